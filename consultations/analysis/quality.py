"""How far to trust the machine's codes: compare them with codes a person made blind ("gold").

``evaluate(gold, predicted, themes)`` returns, per theme and overall, the counts and the usual
measures:

* **precision** — of the answers the machine gave a theme, the share a person gave it too
  (``tp / (tp + fp)``);
* **recall** — of the answers a person gave a theme, the share the machine found
  (``tp / (tp + fn)``);
* **F1** — the harmonic mean of the two (``2 tp / (2 tp + fp + fn)``);
* **micro** averages pool every theme's counts (big themes weigh more), **macro** averages
  take the mean of the themes' F1 (every theme weighs the same; only themes with any gold,
  predicted or both are counted, so an unused theme does not flatter or punish the figure);
* **sample-averaged F1** — the F1 of each answer's set of themes, averaged over answers: how
  close, on average, one answer's codes are to a person's.

Division by zero is handled explicitly. A measure whose denominator is zero is ``None`` per
theme (there is nothing to measure: "no answers" is shown rather than a made-up number), and
overall it is ``None`` likewise. The one convention: for sample-averaged F1 an answer where
both the person and the machine chose no theme scores **1.0** (they agree completely), and an
answer where only one of them chose themes scores 0.0.

Only answers in ``gold`` are scored; an answer in gold but missing from ``predicted`` counts
as the machine choosing no theme. Themes outside ``themes`` are ignored on both sides.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["QualityReport", "ThemeQuality", "evaluate"]


def _ratio(top: float, bottom: float) -> float | None:
    return top / bottom if bottom else None


@dataclass(frozen=True)
class ThemeQuality:
    """One theme's counts and measures (``None`` where there is nothing to measure)."""

    theme: str
    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        """Answers a person gave this theme."""
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        """Answers the machine gave this theme."""
        return self.tp + self.fp

    @property
    def precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)


@dataclass(frozen=True)
class QualityReport:
    """The comparison of machine codes with gold codes over ``answers`` gold answers."""

    answers: int
    themes: tuple[ThemeQuality, ...]
    sample_f1: float | None

    @property
    def tp(self) -> int:
        return sum(t.tp for t in self.themes)

    @property
    def fp(self) -> int:
        return sum(t.fp for t in self.themes)

    @property
    def fn(self) -> int:
        return sum(t.fn for t in self.themes)

    @property
    def micro_precision(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def micro_recall(self) -> float | None:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def micro_f1(self) -> float | None:
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    def _macro(self, measure: str) -> float | None:
        values = [getattr(t, measure) for t in self.themes]
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None

    @property
    def macro_precision(self) -> float | None:
        return self._macro("precision")

    @property
    def macro_recall(self) -> float | None:
        return self._macro("recall")

    @property
    def macro_f1(self) -> float | None:
        return self._macro("f1")

    def theme(self, name: str) -> ThemeQuality:
        for item in self.themes:
            if item.theme == name:
                return item
        raise KeyError(name)


def evaluate(
    gold: Mapping[Hashable, frozenset[str]],
    predicted: Mapping[Hashable, frozenset[str]],
    themes: Sequence[str],
) -> QualityReport:
    """Compare ``predicted`` with ``gold`` (both answer id -> themes) over ``themes``."""
    names = list(dict.fromkeys(themes))
    wanted = frozenset(names)
    counts = {name: [0, 0, 0] for name in names}
    total_f1 = 0.0
    for answer, gold_themes in gold.items():
        truth = frozenset(gold_themes) & wanted
        guess = frozenset(predicted.get(answer, frozenset())) & wanted
        for name in truth & guess:
            counts[name][0] += 1
        for name in guess - truth:
            counts[name][1] += 1
        for name in truth - guess:
            counts[name][2] += 1
        if not truth and not guess:
            total_f1 += 1.0
        else:
            total_f1 += 2 * len(truth & guess) / (len(truth) + len(guess))
    return QualityReport(
        answers=len(gold),
        themes=tuple(ThemeQuality(name, *counts[name]) for name in names),
        sample_f1=total_f1 / len(gold) if gold else None,
    )
