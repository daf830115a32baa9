"""Small-number suppression: no count under the threshold can be seen or worked out."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultations.analysis.suppression import (
    DEFAULT_THRESHOLD,
    suppress,
    suppress_crosstab,
)


def displays(table):
    return {cell.label: cell.display for cell in table.cells}


# --------------------------------------------------------------------------------------------
# One-way breakdowns


def test_the_default_threshold_is_ten():
    assert DEFAULT_THRESHOLD == 10
    table = suppress({"a": 9, "b": 10, "c": 10, "d": 30})
    assert displays(table) == {"a": "fewer than 10", "b": "hidden", "c": "10", "d": "30"}


def test_counts_at_or_over_the_threshold_are_shown_as_numbers():
    table = suppress({"11-13": 40, "14-15": 10, "16-18": 1250})
    assert displays(table) == {"11-13": "40", "14-15": "10", "16-18": "1,250"}
    assert [c.value for c in table.cells] == [40, 10, 1250]
    assert table.total.display == "1,300"
    assert table.rows_hidden == 0
    assert not any(c.suppressed for c in table)


def test_a_small_count_is_hidden_as_fewer_than_the_threshold():
    table = suppress({"a": 40, "b": 3, "c": 4, "d": 25})
    assert displays(table) == {"a": "40", "b": "fewer than 10", "c": "fewer than 10", "d": "25"}
    b = table.cells[1]
    assert (b.value, b.suppressed, b.reason) == (None, True, "small")
    assert table.total.display == "72"
    assert table.rows_hidden == 2


def test_one_hidden_count_hides_the_next_smallest_so_the_total_cannot_reveal_it():
    table = suppress({"11-13": 40, "14-15": 3, "16-18": 25, "19+": 30})
    assert displays(table) == {
        "11-13": "40",
        "14-15": "fewer than 10",
        "16-18": "hidden",
        "19+": "30",
    }
    assert table.cells[2].reason == "secondary"
    assert table.total.display == "98"
    assert table.rows_hidden == 2


def test_hidden_counts_that_add_up_to_give_themselves_away_hide_another():
    # Two hidden counts that must total 2 are both 1; two that total 18 are both 9.
    for small in (1, 9):
        table = suppress({"a": 40, "b": small, "c": small, "d": 25})
        assert displays(table)["d"] == "hidden"
        assert table.rows_hidden == 3


def test_a_secondary_count_just_over_the_threshold_is_not_enough_on_its_own():
    # 1 and 10 hidden: the reader knows one is under 10 and one is at least 10, so 11 - 10 = 1.
    table = suppress({"a": 40, "b": 1, "c": 10, "d": 25})
    assert displays(table) == {"a": "40", "b": "fewer than 10", "c": "hidden", "d": "hidden"}


def test_a_total_under_the_threshold_hides_everything_including_zeros():
    table = suppress({"a": 5, "b": 2, "c": 0})
    assert all(c.suppressed for c in table)
    assert {c.display for c in table} == {"fewer than 10"}
    assert (table.total.value, table.total.display) == (None, "fewer than 10")
    assert table.rows_hidden == 3


def test_zero_is_shown_because_it_describes_nobody():
    table = suppress({"a": 40, "b": 0, "c": 25})
    assert displays(table) == {"a": "40", "b": "0", "c": "25"}
    assert table.cells[1].value == 0 and not table.cells[1].suppressed


def test_an_empty_breakdown_shows_its_zeros():
    table = suppress({"a": 0, "b": 0})
    assert displays(table) == {"a": "0", "b": "0"}
    assert table.total.display == "0"


def test_a_zero_is_never_the_secondary_cell():
    table = suppress({"a": 3, "b": 0, "c": 50})
    assert displays(table) == {"a": "fewer than 10", "b": "0", "c": "hidden"}


def test_when_nothing_is_left_to_hide_the_total_is_hidden():
    # Everyone outside the breakdown is known; the one small count can only be protected by
    # hiding the total.
    table = suppress([("a", 4)], total=30)
    assert displays(table) == {"a": "fewer than 10"}
    assert table.total.suppressed and table.total.display == "hidden"


def test_a_total_larger_than_the_breakdown_counts_the_rest_as_known():
    table = suppress([("a", 50), ("b", 5)], total=70)
    assert displays(table) == {"a": "hidden", "b": "fewer than 10"}
    assert table.total.display == "70"


def test_a_total_smaller_than_the_breakdown_is_refused():
    with pytest.raises(ValueError, match="less than the sum"):
        suppress({"a": 50}, total=20)


@pytest.mark.parametrize("bad", [-1, 2.5, "3", None, True])
def test_counts_must_be_whole_numbers(bad):
    with pytest.raises(ValueError):
        suppress({"a": bad})


@pytest.mark.parametrize("bad", [0, -5, 1.5, True])
def test_the_threshold_must_be_a_positive_whole_number(bad):
    with pytest.raises(ValueError, match="threshold"):
        suppress({"a": 20}, threshold=bad)


def test_the_threshold_can_be_changed():
    table = suppress({"a": 12, "b": 40, "c": 30}, threshold=15)
    assert displays(table) == {"a": "fewer than 15", "b": "40", "c": "hidden"}
    assert table.threshold == 15


def test_order_and_lists_of_pairs_are_kept():
    table = suppress([("Year 9", 30), ("Year 7", 20), ("Year 8", 25)])
    assert [c.label for c in table] == ["Year 9", "Year 7", "Year 8"]
    assert len(table) == 3


def _recoverable(table, threshold):
    """Whether the shown counts and total pin down a small hidden count (worked out the long
    way: every value the reader cannot rule out)."""
    hidden = [c for c in table.cells if c.suppressed]
    if not hidden or table.total.suppressed:
        return False
    remaining = table.total.value - sum(c.value for c in table.cells if not c.suppressed)
    # A reader who knows the rules knows a secondary cell was shown before: at least the
    # threshold.
    ranges = [
        range(1, threshold) if c.reason == "small" else range(threshold, remaining + 1)
        for c in hidden
    ]

    def sums(options):
        reachable = {0}
        for values in options:
            reachable = {s + v for s in reachable for v in values if s + v <= remaining}
        return reachable

    for position, cell in enumerate(hidden):
        if cell.reason != "small":
            continue
        others = sums(ranges[:position] + ranges[position + 1 :])
        feasible = {v for v in ranges[position] if remaining - v in others}
        if len(feasible) == 1:
            return True
    return False


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=5))
def test_no_small_count_can_be_shown_or_worked_out(values):
    threshold = 10
    table = suppress({f"row {i}": v for i, v in enumerate(values)}, threshold=threshold)
    for value, cell in zip(values, table.cells, strict=True):
        if 0 < value < threshold:
            assert cell.suppressed and cell.value is None
        if not cell.suppressed:
            assert cell.value == value
    if 0 < sum(values) < threshold:
        assert table.total.suppressed
    assert not _recoverable(table, threshold)


# --------------------------------------------------------------------------------------------
# Cross-tabulations


AGE_BY_AREA = {
    "11-13": {"North": 20, "South": 3, "West": 15},
    "14-15": {"North": 12, "South": 14, "West": 30},
    "16-18": {"North": 25, "South": 11, "West": 2},
}


def grid_displays(table):
    return [[cell.display for cell in row] for row in table.grid()]


def test_a_crosstab_hides_small_cells_and_enough_others_in_every_row_and_column():
    table = suppress_crosstab(AGE_BY_AREA)
    assert grid_displays(table) == [
        ["20", "fewer than 10", "hidden", "38"],
        ["12", "14", "30", "56"],
        ["25", "hidden", "fewer than 10", "38"],
        ["57", "28", "47", "132"],
    ]
    assert table.cells_hidden == 4
    assert table.rows == ("11-13", "14-15", "16-18")
    assert table.columns == ("North", "South", "West")


def _lines(table):
    for row in table.rows:
        yield [table.cells[row][c] for c in table.columns] + [table.row_totals[row]]
    for column in table.columns:
        yield [table.cells[r][column] for r in table.rows] + [table.column_totals[column]]
    yield list(table.row_totals.values()) + [table.grand_total]
    yield list(table.column_totals.values()) + [table.grand_total]


def test_no_row_or_column_of_a_crosstab_has_exactly_one_hidden_entry():
    table = suppress_crosstab(AGE_BY_AREA)
    for line in _lines(table):
        assert sum(cell.suppressed for cell in line) != 1


def test_a_small_row_total_hides_its_whole_row():
    table = suppress_crosstab(
        {"Boys": {"Y7": 30, "Y8": 25}, "Girls": {"Y7": 28, "Y8": 31}, "Other": {"Y7": 4, "Y8": 0}}
    )
    other = [table.cells["Other"][c] for c in ("Y7", "Y8")] + [table.row_totals["Other"]]
    assert all(cell.suppressed for cell in other)
    assert table.cells["Other"]["Y8"].reason == "small total"
    for line in _lines(table):
        assert sum(cell.suppressed for cell in line) != 1


def test_a_crosstab_with_a_small_grand_total_hides_everything():
    table = suppress_crosstab({"a": {"x": 2, "y": 3}, "b": {"x": 0, "y": 1}})
    assert all(cell.suppressed for row in table.grid() for cell in row)


def test_a_crosstab_with_nothing_small_shows_everything():
    table = suppress_crosstab({"a": {"x": 20, "y": 30}, "b": {"x": 10, "y": 0}})
    assert grid_displays(table) == [["20", "30", "50"], ["10", "0", "10"], ["30", "30", "60"]]
    assert table.cells_hidden == 0


def test_missing_crosstab_counts_are_zero_and_columns_keep_their_order():
    table = suppress_crosstab({"a": {"y": 20}, "b": {"x": 15, "y": 30}}, columns=["x", "y"])
    assert table.cells["a"]["x"].display == "0"
    assert table.columns == ("x", "y")
    with pytest.raises(ValueError, match="unknown columns"):
        suppress_crosstab({"a": {"z": 3}}, columns=["x"])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(0, 30), min_size=3, max_size=3),
        min_size=2,
        max_size=4,
    )
)
def test_every_crosstab_leaves_no_line_with_a_single_hidden_entry(rows):
    table = suppress_crosstab(
        {f"r{i}": {f"c{j}": v for j, v in enumerate(row)} for i, row in enumerate(rows)}
    )
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            cell = table.cells[f"r{r}"][f"c{c}"]
            if 0 < value < DEFAULT_THRESHOLD:
                assert cell.suppressed
            elif not cell.suppressed:
                assert cell.value == value
    for line in _lines(table):
        assert sum(cell.suppressed for cell in line) != 1
