"""Compare two groups of young people (10–13 against 14–18, or two areas) theme by theme.

Each group is a set of report filters. Nothing is compared unless both groups have at least the
suppression threshold of young people. A difference "matters" when it is at least
``MIN_POINTS`` percentage points and a two-proportion z-test puts it beyond chance
(|z| ≥ 1.96, about 95% confidence); the page highlights those and says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import sqrt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consultations.analysis.summaries import ThemedSummary

MIN_POINTS = 5.0
Z_95 = 1.96


@dataclass(frozen=True)
class Difference:
    theme: str
    share_a: float
    share_b: float
    count_a: int
    count_b: int

    @property
    def points(self) -> float:
        return (self.share_a - self.share_b) * 100

    def matters(self, n_a: int, n_b: int) -> bool:
        return (
            abs(self.points) >= MIN_POINTS
            and abs(z_score(self.count_a, n_a, self.count_b, n_b)) >= Z_95
        )


def z_score(x_a: int, n_a: int, x_b: int, n_b: int) -> float:
    """Two-proportion z statistic with a pooled proportion; 0 when it cannot be computed."""
    if not n_a or not n_b:
        return 0.0
    pooled = (x_a + x_b) / (n_a + n_b)
    spread = sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if spread == 0:
        return 0.0
    return (x_a / n_a - x_b / n_b) / spread


@dataclass(frozen=True)
class Row:
    difference: Difference
    matters: bool


def compare_themes(summary_a: ThemedSummary, summary_b: ThemedSummary) -> list[Row]:
    """Themes of both summaries side by side, biggest difference that matters first."""
    b_by_name = {t.theme: t for t in summary_b.themes}
    rows = []
    for theme in summary_a.themes:
        other = b_by_name.get(theme.theme)
        if other is None:
            continue
        difference = Difference(
            theme=theme.theme,
            share_a=theme.share,
            share_b=other.share,
            count_a=theme.respondents,
            count_b=other.respondents,
        )
        rows.append(
            Row(difference, difference.matters(summary_a.respondents, summary_b.respondents))
        )
    rows.sort(key=lambda r: (not r.matters, -abs(r.difference.points), r.difference.theme))
    return rows
