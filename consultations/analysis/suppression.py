"""Hide small numbers in every breakdown, so no reader can pick out a handful of young people.

One function per shape of table, used by every page, PDF and spreadsheet alike:

* ``suppress(counts)`` for a one-way breakdown (answers by age band, area, school year, gender,
  source) with its total;
* ``suppress_crosstab(rows)`` for a cross-tabulation (age band by area, say) with row, column
  and grand totals.

The rules, in plain words:

1. **Primary suppression.** A count from 1 to ``threshold - 1`` is hidden and shown as "fewer
   than 10". The threshold is ``DEFAULT_THRESHOLD`` (10) unless the caller passes another; the
   Django side passes its setting, so an organisation changes it in one place.
2. **Zero is shown.** A count of 0 describes nobody, so it is shown as "0". (Where the total is
   small, zeros are hidden too: see rule 4.)
3. **Secondary suppression.** A hidden count must not be recoverable by subtraction from the
   total and the counts shown. While a line (the breakdown with its total, or one row or column
   of a cross-tab) would give a hidden count away, the smallest count still shown in that line
   is hidden as well and shown as "hidden". "Gives away" means exactly one hidden entry in the
   line, or hidden counts whose sum pins one of them down (two hidden counts summing to 2 must
   both be 1). If no count is left to hide, the total is hidden instead.
4. **Small totals.** If the total itself is under the threshold, everything in the breakdown
   (or that row or column of a cross-tab) is hidden, zeros included, since showing where the
   few young people are not would show where they are.

This is plain Python with no Django imports; ``Cell.reason`` says why a cell is hidden, so the
templates can word it (and translate it) as they like. To extend: change the threshold with
the setting, or the wording through ``Cell.reason`` in the templates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from math import inf

__all__ = [
    "DEFAULT_THRESHOLD",
    "Cell",
    "SuppressedCrossTab",
    "SuppressedTable",
    "suppress",
    "suppress_crosstab",
]

#: Counts below this are hidden. Configurable: every caller may pass ``threshold=``, and the
#: Django glue passes the project's setting.
DEFAULT_THRESHOLD = 10

#: Why a cell is hidden: a count under the threshold; hidden so that a small count cannot be
#: worked out; or part of a row, column or table whose total is under the threshold.
SMALL = "small"
SECONDARY = "secondary"
SMALL_TOTAL = "small total"


@dataclass(frozen=True, slots=True)
class Cell:
    """One number as a reader may see it: ``value`` is None when it is hidden."""

    label: str
    value: int | None
    display: str
    suppressed: bool
    reason: str | None = None


@dataclass(frozen=True)
class SuppressedTable:
    """A one-way breakdown after suppression: its cells, in order, and its total."""

    cells: tuple[Cell, ...]
    total: Cell
    threshold: int
    rows_hidden: int

    def __iter__(self):
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)


@dataclass(frozen=True)
class SuppressedCrossTab:
    """A cross-tabulation after suppression.

    ``cells[row][column]`` and the totals are ``Cell``s; ``grid()`` lays the whole table out,
    totals included, for a template, PDF or spreadsheet to draw row by row.
    """

    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: dict[str, dict[str, Cell]]
    row_totals: dict[str, Cell]
    column_totals: dict[str, Cell]
    grand_total: Cell
    threshold: int
    cells_hidden: int

    def grid(self) -> list[list[Cell]]:
        """Rows of cells, each ending with its row total; the last row holds the column
        totals and the grand total."""
        grid = [
            [self.cells[row][column] for column in self.columns] + [self.row_totals[row]]
            for row in self.rows
        ]
        grid.append([self.column_totals[c] for c in self.columns] + [self.grand_total])
        return grid


# --------------------------------------------------------------------------------------------


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"threshold must be a whole number of at least 1, not {threshold!r}")


def _check_count(label: object, count: object) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise ValueError(f"count for {label!r} must be a whole number of at least 0: {count!r}")
    return count


def _fewer_than(threshold: int) -> str:
    return f"fewer than {threshold}"


def _shown(label: str, value: int) -> Cell:
    return Cell(label, value, f"{value:,}", False)


def _hidden(label: str, reason: str, threshold: int) -> Cell:
    display = "hidden" if reason == SECONDARY else _fewer_than(threshold)
    return Cell(label, None, display, True, reason)


def _line_gives_away(
    values: Sequence[int],
    reasons: Sequence[str | None],
    total: int,
    total_hidden: bool,
    threshold: int,
) -> bool:
    """Whether a reader could work out a small hidden count in one line.

    The line is ``values`` (summing to ``total``); ``reasons[i]`` is why ``values[i]`` is
    hidden, or None where it is shown. The reader knows the shown values, the total unless it
    is hidden, the threshold and the rules above.
    """
    hidden = [i for i, reason in enumerate(reasons) if reason is not None]
    if len(hidden) + total_hidden == 1:
        return True
    if total_hidden or not hidden:
        return False
    remaining = total - sum(v for v, reason in zip(values, reasons, strict=True) if reason is None)

    def bounds(i: int) -> tuple[float, float]:
        reason = reasons[i]
        if reason == SMALL:
            return 1, threshold - 1
        if reason == SMALL_TOTAL:
            return 0, threshold - 1
        # A secondary count was shown before, so it is 0 or at least the threshold.
        return (0, inf) if values[i] == 0 else (threshold, inf)

    ranges = [bounds(i) for i in hidden]
    low_sum = sum(low for low, _ in ranges)
    high_sum = sum(high for _, high in ranges)
    for i, (low, high) in zip(hidden, ranges, strict=True):
        if reasons[i] != SMALL:
            continue
        least = max(low, remaining - (high_sum - high))
        most = min(high, remaining - (low_sum - low))
        if least >= most:
            return True
    return False


def _smallest_shown(values: Sequence[int], reasons: Sequence[str | None]) -> int | None:
    shown = [(v, i) for i, (v, reason) in enumerate(zip(values, reasons, strict=True))]
    positive = [(v, i) for v, i in shown if reasons[i] is None and v > 0]
    if positive:
        return min(positive)[1]
    zeros = [i for v, i in shown if reasons[i] is None]
    return zeros[0] if zeros else None


# --------------------------------------------------------------------------------------------


def suppress(
    table: Mapping[str, int] | Iterable[tuple[str, int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    total: int | None = None,
) -> SuppressedTable:
    """Suppress a one-way breakdown of counts, keeping its order.

    ``total`` is for a breakdown that does not cover everyone (say "prefer not to say" is left
    out): it must be at least the sum of the counts, and the difference is treated as known to
    the reader, which is the cautious assumption.
    """
    _check_threshold(threshold)
    items = list(table.items()) if isinstance(table, Mapping) else list(table)
    labels = [str(label) for label, _ in items]
    values = [_check_count(label, count) for label, count in items]
    counted = sum(values)
    if total is None:
        total = counted
    else:
        total = _check_count("total", total)
        if total < counted:
            raise ValueError(f"total {total} is less than the sum of the counts, {counted}")

    if 0 < total < threshold:
        cells = tuple(_hidden(label, SMALL_TOTAL, threshold) for label in labels)
        return SuppressedTable(cells, _hidden("Total", SMALL, threshold), threshold, len(cells))

    reasons: list[str | None] = [SMALL if 0 < v < threshold else None for v in values]
    total_hidden = False
    # The part of the total outside the breakdown counts as a shown member of the line.
    line_values = [*values, total - counted]
    while _line_gives_away(line_values, [*reasons, None], total, total_hidden, threshold):
        choice = _smallest_shown(values, reasons)
        if choice is None or values[choice] == 0:
            total_hidden = True
            break
        reasons[choice] = SECONDARY

    cells = tuple(
        _shown(label, value) if reason is None else _hidden(label, reason, threshold)
        for label, value, reason in zip(labels, values, reasons, strict=True)
    )
    total_cell = _hidden("Total", SECONDARY, threshold) if total_hidden else _shown("Total", total)
    return SuppressedTable(cells, total_cell, threshold, sum(c.suppressed for c in cells))


def suppress_crosstab(
    table: Mapping[str, Mapping[str, int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    columns: Sequence[str] | None = None,
) -> SuppressedCrossTab:
    """Suppress a cross-tabulation given as ``{row: {column: count}}``.

    Rows keep their order; columns are ``columns`` if given, else every column in the order
    first seen. A missing count is 0. Totals are worked out here. No row or column, totals
    included, is left with a hidden count that subtraction would give away.
    """
    _check_threshold(threshold)
    rows = [str(row) for row in table]
    if columns is None:
        seen: dict[str, None] = {}
        for counts in table.values():
            seen.update(dict.fromkeys(str(c) for c in counts))
        columns = list(seen)
    columns = [str(c) for c in columns]
    values: dict[str, dict[str, int]] = {}
    for row, counts in table.items():
        row = str(row)
        given = {str(c): _check_count(f"{row}, {c}", v) for c, v in counts.items()}
        unknown = set(given) - set(columns)
        if unknown:
            raise ValueError(f"row {row!r} has counts for unknown columns: {sorted(unknown)}")
        values[row] = {c: given.get(c, 0) for c in columns}

    row_totals = {r: sum(values[r].values()) for r in rows}
    column_totals = {c: sum(values[r][c] for r in rows) for c in columns}
    grand = sum(row_totals.values())

    # Every entry, totals included, keyed so that lines can share them.
    entry_values: dict[tuple[str, ...], int] = {("grand",): grand}
    reasons: dict[tuple[str, ...], str | None] = {("grand",): None}
    for r in rows:
        entry_values[("row", r)] = row_totals[r]
        for c in columns:
            entry_values[("cell", r, c)] = values[r][c]
    for c in columns:
        entry_values[("column", c)] = column_totals[c]
    for key, value in entry_values.items():
        reasons[key] = SMALL if 0 < value < threshold else None

    if 0 < grand < threshold:
        for key in reasons:
            reasons[key] = SMALL if key[0] != "cell" else SMALL_TOTAL
    else:
        for r in rows:
            if 0 < row_totals[r] < threshold:
                for c in columns:
                    reasons[("cell", r, c)] = reasons[("cell", r, c)] or SMALL_TOTAL
        for c in columns:
            if 0 < column_totals[c] < threshold:
                for r in rows:
                    reasons[("cell", r, c)] = reasons[("cell", r, c)] or SMALL_TOTAL

    # Each line: its members and its total.
    lines: list[tuple[list[tuple[str, ...]], tuple[str, ...]]] = []
    lines += [([("cell", r, c) for c in columns], ("row", r)) for r in rows]
    lines += [([("cell", r, c) for r in rows], ("column", c)) for c in columns]
    lines.append(([("row", r) for r in rows], ("grand",)))
    lines.append(([("column", c) for c in columns], ("grand",)))

    changed = True
    while changed:
        changed = False
        for members, total_key in lines:
            member_values = [entry_values[m] for m in members]
            member_reasons = [reasons[m] for m in members]
            if not _line_gives_away(
                member_values,
                member_reasons,
                entry_values[total_key],
                reasons[total_key] is not None,
                threshold,
            ):
                continue
            choice = _smallest_shown(member_values, member_reasons)
            if choice is not None and member_values[choice] > 0:
                reasons[members[choice]] = SECONDARY
            elif reasons[total_key] is None:
                reasons[total_key] = SECONDARY
            elif choice is not None:
                reasons[members[choice]] = SECONDARY
            else:
                continue  # every entry of this line is hidden already
            changed = True

    def cell(key: tuple[str, ...], label: str) -> Cell:
        reason = reasons[key]
        if reason is None:
            return _shown(label, entry_values[key])
        return _hidden(label, reason, threshold)

    cells = {r: {c: cell(("cell", r, c), c) for c in columns} for r in rows}
    return SuppressedCrossTab(
        rows=tuple(rows),
        columns=tuple(columns),
        cells=cells,
        row_totals={r: cell(("row", r), r) for r in rows},
        column_totals={c: cell(("column", c), c) for c in columns},
        grand_total=cell(("grand",), "Total"),
        threshold=threshold,
        cells_hidden=sum(cells[r][c].suppressed for r in rows for c in columns),
    )
