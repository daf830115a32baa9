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

A third function, ``k_anonymise(records, dates=...)``, is for files with a row per answer or per
young person (the Executive's ``answers.csv`` and the Answers sheet, the facilitators' response
downloads). Counts cannot be hidden there, so details are coarsened instead until every
combination of about-you answers and date left in the file is shared by at least the threshold
of young people: see its docstring.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from math import inf

__all__ = [
    "DEFAULT_THRESHOLD",
    "NOT_SHOWN",
    "Cell",
    "KAnonymised",
    "SuppressedCrossTab",
    "SuppressedTable",
    "k_anonymise",
    "month_of",
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

    def __iter__(self) -> Iterator[Cell]:
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


# Row-level files ------------------------------------------------------------------------------

#: What a detail coarsened away reads as in a file.
NOT_SHOWN = "Not shown"


def month_of(day: date) -> str:
    """A date (or date-time) as its month, ``"2026-03"``: the first coarsening of a date."""
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True)
class KAnonymised:
    """What :func:`k_anonymise` lets a file show of each record, in the order given.

    ``values[i]`` holds record ``i``'s about-you values, each as given or ``hidden``;
    ``dates[i]`` its date as given, coarsened (``month_of``) or ``hidden`` (``dates`` is None
    when no dates were given). ``levels[i]`` says how far the record was coarsened, from 0 (not
    at all) to ``top`` (everything hidden); pass ``levels`` and ``drop_order`` to another call
    (``start=``, ``drop_order=``) to coarsen a narrower file at least as much as a wider one.
    """

    values: tuple[tuple[Hashable, ...], ...]
    dates: tuple[Hashable, ...] | None
    levels: tuple[int, ...]
    drop_order: tuple[int, ...]
    date_levels: int
    top: int
    threshold: int
    hidden: str

    @property
    def changed(self) -> int:
        """How many records had a detail coarsened or hidden."""
        return sum(level > 0 for level in self.levels)

    def shown(self, index: int) -> tuple[Hashable, ...]:
        """Record ``index`` as a reader sees it: its values, then its date if there are dates."""
        if self.dates is None:
            return self.values[index]
        return (*self.values[index], self.dates[index])

    def column_shown(self, index: int, column: int) -> bool:
        """Whether record ``index`` shows about-you column ``column`` as given."""
        dropped = max(0, self.levels[index] - self.date_levels)
        return column not in self.drop_order[:dropped]

    def date_step(self, index: int) -> int:
        """0: record ``index`` shows its date as given; 1, 2…: coarsened by that many
        ``date_steps``; ``date_levels``: hidden."""
        return min(self.levels[index], self.date_levels)


def _drop_order(
    records: Sequence[Sequence[Hashable]], people: Sequence[Hashable], threshold: int
) -> tuple[int, ...]:
    """About-you columns, rarest first: most young people whose answer to that question alone
    is shared by fewer than ``threshold``, then most different answers, then column order."""
    columns = len(records[0]) if records else 0
    rare, distinct = [], []
    for column in range(columns):
        holders: dict[Hashable, set[Hashable]] = {}
        for record, person in zip(records, people, strict=True):
            holders.setdefault(record[column], set()).add(person)
        rare.append(sum(len(who) for who in holders.values() if len(who) < threshold))
        distinct.append(len(holders))
    return tuple(sorted(range(columns), key=lambda c: (-rare[c], -distinct[c], c)))


def k_anonymise(
    records: Sequence[Sequence[Hashable]],
    *,
    dates: Sequence[date | None] | None = None,
    people: Sequence[Hashable] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    date_steps: Sequence[Callable[[date], Hashable]] = (month_of,),
    hidden: str = NOT_SHOWN,
    start: Sequence[int] | None = None,
    drop_order: Sequence[int] | None = None,
    pad: bool = True,
) -> KAnonymised:
    """Coarsen a file's about-you details so no one can be picked out of a small group.

    ``records[i]`` is row ``i``'s about-you answers (one value per question: age band, area,
    school year…, the same questions in every row), ``dates[i]`` the day it was given (or
    None), ``people[i]`` who gave it (rows of one young person share every value; by default
    each row is a different person). Groups are counted in young people, not rows.

    The rule: every combination of about-you values and date that the file shows must be
    shared by at least ``threshold`` young people, or be hidden completely. To get there, each
    row climbs a ladder one rung at a time, only as far as it must:

    0. everything as given;
    1. the date coarsened by each of ``date_steps`` in turn (by default to its month,
       ``"2026-03"``), then hidden;
    2. then about-you columns hidden one at a time, rarest first (``_drop_order``: the column
       in which most young people give an answer fewer than ``threshold`` share), the same
       order for every row so that coarsened rows can pool together;
    3. until everything is hidden (the top rung).

    Every combination shown by fewer than ``threshold`` young people climbs a rung, and this
    repeats until none is left. A group that has reached ``threshold`` only ever gains rows,
    so it is never undone, and the loop ends within as many rounds as there are rungs.

    If ``pad`` is true and the completely hidden rows belong to fewer than ``threshold`` young
    people, the smallest groups nearest the top are hidden with them until they are not (as
    ``suppress`` hides a second count beside a small one), unless everything is hidden.

    ``start`` (levels from an earlier call) makes each row start at least that high, and
    ``drop_order`` fixes the order columns are hidden in: give both from a call over the whole
    consultation when writing a narrower (filtered) file, so that the same row is never shown
    in more detail in one file than in another, and putting files side by side tells a reader
    no more than the widest of them.

    Plain Python, no Django. To change the rule: the threshold is the caller's (the Django side
    passes ``YOUTHVOICE_SUPPRESSION_THRESHOLD``); pass other ``date_steps`` to coarsen dates
    differently (say, to the week and then the month), or ``hidden`` for other wording.
    """
    _check_threshold(threshold)
    count = len(records)
    width = len(records[0]) if count else len(drop_order or ())
    if any(len(record) != width for record in records):
        raise ValueError("every record must have the same number of about-you values")
    for name, given in (("dates", dates), ("people", people), ("start", start)):
        if given is not None and len(given) != count:
            raise ValueError(f"{name} must have one entry per record")
    who = list(people) if people is not None else list(range(count))
    order = tuple(drop_order) if drop_order is not None else _drop_order(records, who, threshold)
    if sorted(order) != list(range(width)):
        raise ValueError(f"drop_order must name each of the {width} columns once: {order!r}")
    date_levels = len(date_steps) + 1 if dates is not None else 0
    top = date_levels + width
    levels = list(start) if start is not None else [0] * count
    if any(not 0 <= level <= top for level in levels):
        raise ValueError(f"start levels must be from 0 to {top}")

    def show_date(when: date | None, level: int) -> Hashable:
        if when is None:
            return None
        step = min(level, date_levels)
        if step == 0:
            return when
        if step < date_levels:
            return date_steps[step - 1](when)
        return hidden

    def show(i: int, level: int) -> tuple[Hashable, ...]:
        dropped = set(order[: max(0, level - date_levels)])
        values = tuple(hidden if c in dropped else v for c, v in enumerate(records[i]))
        if dates is None:
            return values
        return (*values, show_date(dates[i], level))

    def groups() -> dict[tuple[Hashable, ...], list[int]]:
        found: dict[tuple[Hashable, ...], list[int]] = {}
        for i in range(count):
            if levels[i] < top:
                found.setdefault(show(i, levels[i]), []).append(i)
        return found

    def size(rows: Iterable[int]) -> int:
        return len({who[i] for i in rows})

    while True:
        small = [rows for rows in groups().values() if size(rows) < threshold]
        if not small:
            break
        for rows in small:
            for i in rows:
                levels[i] += 1

    if pad:
        hidden_rows = [i for i in range(count) if levels[i] == top]
        while 0 < size(hidden_rows) < threshold:
            rest = groups()
            if not rest:
                break
            rows = min(rest.values(), key=lambda rows: (-levels[rows[0]], size(rows), rows[0]))
            for i in rows:
                levels[i] = top
            hidden_rows += rows

    shown = [show(i, levels[i]) for i in range(count)]
    return KAnonymised(
        values=tuple(row[:width] for row in shown),
        dates=tuple(row[width] for row in shown) if dates is not None else None,
        levels=tuple(levels),
        drop_order=order,
        date_levels=date_levels,
        top=top,
        threshold=threshold,
        hidden=hidden,
    )
