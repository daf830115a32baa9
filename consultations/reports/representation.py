"""Who is missing: each age band's and area's answers against how many young people live there.

Plain Python, no Django: numbers in, numbers out, so the maths can be checked by hand (see
``tests/consultations/reports/test_representation.py``). ``consultations.reports.population``
feeds it from the database and the report's "Who answered" tables.

For each group (an age band, or an area) with a population figure:

- **responses per 1,000 young people**: its answers ÷ its young people × 1,000;
- **share of responses**: its answers ÷ the answers of every group compared;
- **share of population**: its young people ÷ the young people of every group compared;
- **ratio**: share of responses ÷ share of population. 1 means as many answers as its size
  would give; under ``UNDER_RATIO`` (0.5, "fewer than half as many as expected") the group is
  flagged ``UNDER``, and a group with no answers at all is flagged ``NONE``.

Answers that belong to no group compared ("Not given", "Prefer not to say", an area outside the
footprint, an age band without a figure) are left out of the shares and listed apart.

Suppression. The counts are the report's own "Who answered" cells (``suppression.suppress``),
so a number hidden there is hidden here, with the same words ("fewer than 10", "hidden"). A
hidden count's rate, shares and ratio are hidden too, since any of them would give it back. The
shares also publish one number the "Who answered" table does not: the answers of the groups
compared (the shares' denominator). When that number would let a reader work out a hidden count
(``_gives_away``: the same test ``suppress`` applies to each line of a table), every share and
ratio of that breakdown is hidden and nobody is flagged under-represented; the rates, which need
no denominator, stay. A hidden small group is flagged under-represented only when it would be so
even with ``threshold - 1`` answers, which a reader can work out anyway.

To change the flag, change ``UNDER_RATIO``; to count per 100 or per 10,000, change ``PER``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from math import inf

from consultations.analysis.suppression import SECONDARY, SMALL, SMALL_TOTAL, Cell, SuppressedTable

#: A group whose share of the answers is under this fraction of its share of the young people is
#: flagged as under-represented.
UNDER_RATIO = 0.5
#: Rates are answers per this many young people.
PER = 1000

#: Flags: fewer than half as many answers as expected; no answers at all.
UNDER = "under-represented"
NONE = "no responses"


@dataclass(frozen=True)
class Group:
    """One age band or area. ``count`` is its cell as "Who answered" shows it; ``rate``,
    ``response_share`` and ``ratio`` are None where they are hidden (or cannot be worked out)."""

    label: str
    count: Cell
    population: int
    population_share: float
    rate: float | None
    response_share: float | None
    ratio: float | None
    flag: str = ""


@dataclass(frozen=True)
class Comparison:
    """One breakdown (age band or area) compared with the population.

    ``compared`` is the answers of every group compared (the shares' denominator) as a reader may
    see it; ``left_out`` the cells of the answers that are not in any group compared, and
    ``left_out_total`` their sum, hidden unless a reader could work it out anyway.
    ``shares_hidden`` says the shares and ratios are hidden to protect a hidden count.
    """

    key: str
    title: str
    groups: tuple[Group, ...]
    compared: Cell
    population: int
    left_out: tuple[Cell, ...]
    left_out_total: Cell
    shares_hidden: bool
    threshold: int

    @property
    def rate(self) -> float | None:
        """Answers per ``PER`` young people over every group compared."""
        if self.compared.value is None or not self.population:
            return None
        return self.compared.value * PER / self.population

    @property
    def under(self) -> tuple[Group, ...]:
        return tuple(group for group in self.groups if group.flag == UNDER)

    @property
    def none(self) -> tuple[Group, ...]:
        return tuple(group for group in self.groups if group.flag == NONE)


@dataclass(frozen=True)
class Representation:
    """Every breakdown a report compares, with the population figures it used."""

    source: str
    year: int
    comparisons: tuple[Comparison, ...]
    #: Population rows ("age band, area") that match no age band or area compared.
    unused: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return any(c.under or c.none for c in self.comparisons)

    @property
    def shares_hidden(self) -> bool:
        return any(c.shares_hidden for c in self.comparisons)


def _bounds(value: int, reason: str | None, threshold: int) -> tuple[float, float]:
    """What a reader knows of a hidden count (as ``suppression`` reasons about it)."""
    if reason == SMALL:
        return 1, threshold - 1
    if reason == SMALL_TOTAL:
        return 0, threshold - 1
    # Hidden so that a small count cannot be worked out: 0, or at least the threshold.
    return (0, inf) if value == 0 else (threshold, inf)


def _gives_away(values: Sequence[int], reasons: Sequence[str | None], threshold: int) -> bool:
    """Whether publishing the sum of ``values`` lets a reader work out a hidden one of them.

    ``reasons[i]`` is why ``values[i]`` is hidden, None where it is shown. Like ``suppress``: a
    line with a single hidden count gives it away, and so does one whose hidden counts' bounds
    and sum leave a small count only one possible value.
    """
    hidden = [i for i, reason in enumerate(reasons) if reason is not None]
    if not hidden:
        return False
    if len(hidden) == 1:
        return True
    remaining = sum(values[i] for i in hidden)
    ranges = {i: _bounds(values[i], reasons[i], threshold) for i in hidden}
    low_sum = sum(low for low, _ in ranges.values())
    high_sum = sum(high for _, high in ranges.values())
    for i, (low, high) in ranges.items():
        if reasons[i] != SMALL:
            continue
        least = max(low, remaining - (high_sum - high))
        most = min(high, remaining - (low_sum - low))
        if least >= most:
            return True
    return False


def _shown(label: str, value: int) -> Cell:
    return Cell(label, value, f"{value:,}", False)


def _hidden(label: str, reason: str, threshold: int) -> Cell:
    display = "hidden" if reason == SECONDARY else f"fewer than {threshold}"
    return Cell(label, None, display, True, reason)


def _small_or_shown(label: str, value: int, threshold: int) -> Cell:
    """A number a reader could work out anyway, still worded "fewer than 10" when small."""
    return _hidden(label, SMALL, threshold) if 0 < value < threshold else _shown(label, value)


def compare(
    *,
    key: str,
    title: str,
    counts: Mapping[str, int],
    table: SuppressedTable,
    population: Mapping[str, int],
    threshold: int,
) -> Comparison:
    """Compare one breakdown of answers with the population.

    ``counts``: the exact number of answers by label (every label of ``table``). ``table``: the
    same counts as the report's "Who answered" table shows them. ``population``: young people
    by label; the groups compared are the labels with a figure above 0, in ``population``'s
    order. Every other label of ``table`` is left out of the shares. ``key`` names the
    breakdown for code ("age_band", "area"), ``title`` for readers.
    """
    cells = {cell.label: cell for cell in table}
    everyone_hidden = table.total.suppressed and table.total.reason != SECONDARY
    labels = [label for label, people in population.items() if people > 0]

    def cell_of(label: str) -> Cell:
        if label in cells:
            return cells[label]
        # Not in the table: nobody gave it (the table lists every answer given).
        return _hidden(label, SMALL_TOTAL, threshold) if everyone_hidden else _shown(label, 0)

    group_cells = [cell_of(label) for label in labels]
    left_cells = [cell for cell in table if cell.label not in labels]
    values = [counts.get(label, 0) for label in labels]
    left_values = [counts.get(cell.label, 0) for cell in left_cells]
    compared_value = sum(values)
    left_value = sum(left_values)

    total_known = not table.total.suppressed
    shares_hidden = _gives_away(values, [c.reason for c in group_cells], threshold) or (
        total_known and _gives_away(left_values, [c.reason for c in left_cells], threshold)
    )
    # The answers compared are known when no group's count is hidden, and otherwise published
    # only when that gives nothing away (just checked).
    if any(c.suppressed for c in group_cells) and shares_hidden:
        compared = _hidden("Compared", SECONDARY, threshold)
    else:
        compared = _small_or_shown("Compared", compared_value, threshold)
    left_known = not any(c.suppressed for c in left_cells) or (total_known and not shares_hidden)
    left_out_total = (
        _small_or_shown("Left out", left_value, threshold)
        if left_known
        else _hidden("Left out", SECONDARY, threshold)
    )

    people = sum(population[label] for label in labels)
    groups = []
    for label, cell, value in zip(labels, group_cells, values, strict=True):
        size = population[label]
        population_share = size / people
        rate = response_share = ratio = None
        flag = ""
        if not cell.suppressed:
            rate = value * PER / size
            if not shares_hidden and compared_value:
                response_share = value / compared_value
                ratio = response_share / population_share
            if value == 0:
                flag = NONE
            elif ratio is not None and ratio < UNDER_RATIO:
                flag = UNDER
        elif cell.reason == SMALL and not shares_hidden and compared_value:
            # Even at its largest possible size, under half its share: a reader knows that too.
            largest = (threshold - 1) / compared_value / population_share
            if largest < UNDER_RATIO:
                flag = UNDER
        groups.append(
            Group(
                label=label,
                count=cell,
                population=size,
                population_share=population_share,
                rate=rate,
                response_share=response_share,
                ratio=ratio,
                flag=flag,
            )
        )
    return Comparison(
        key=key,
        title=title,
        groups=tuple(groups),
        compared=compared,
        population=people,
        left_out=tuple(c for c in left_cells if c.suppressed or c.value),
        left_out_total=left_out_total,
        shares_hidden=shares_hidden,
        threshold=threshold,
    )
