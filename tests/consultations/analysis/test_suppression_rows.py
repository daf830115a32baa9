"""Row-level files: ``k_anonymise`` coarsens about-you answers and dates until no combination
left in a file belongs to fewer young people than the threshold."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultations.analysis.suppression import NOT_SHOWN, k_anonymise, month_of

MARCH = date(2026, 3, 2)


def groups(result, people=None) -> dict[tuple, set]:
    """Who shares each combination the file shows."""
    found: dict[tuple, set] = defaultdict(set)
    for i in range(len(result.levels)):
        found[result.shown(i)].add(people[i] if people else i)
    return found


def fully_hidden(shown: tuple) -> bool:
    return all(value in (NOT_SHOWN, None) for value in shown)


def assert_k_anonymous(result, people=None, threshold=10):
    for shown, who in groups(result, people).items():
        assert fully_hidden(shown) or len(who) >= threshold, (shown, len(who))


def test_a_file_with_no_small_group_is_left_as_it_is():
    records = [("13 to 15", "Mendip")] * 12 + [("16 to 18", "Sedgemoor")] * 10
    result = k_anonymise(records, dates=[MARCH] * 22)
    assert result.changed == 0
    assert result.values == tuple(records)
    assert result.dates == (MARCH,) * 22


def test_the_issues_example_six_under_11s_outside_somerset_cannot_be_found():
    records = (
        [("13 to 15", "Mendip")] * 30
        + [("16 to 18", "Sedgemoor")] * 20
        + [("Under 11", "Outside Somerset")] * 6
    )
    dates = [MARCH] * 50 + [MARCH + timedelta(days=3)] * 6
    result = k_anonymise(records, dates=dates)
    assert_k_anonymous(result)
    shown = [result.shown(i) for i in range(56)]
    assert not any("Under 11" in row or "Outside Somerset" in row for row in shown)
    # The six are hidden completely, and so is the smallest other group with them, so that the
    # hidden rows are not themselves a group of six.
    hidden = [i for i, row in enumerate(shown) if fully_hidden(row)]
    assert set(range(50, 56)) <= set(hidden) and len(hidden) == 26
    assert shown[0] == ("13 to 15", "Mendip", MARCH)


def test_dates_are_coarsened_to_the_month_before_anything_is_hidden():
    records = [("13 to 15", "Mendip")] * 12
    dates = [MARCH + timedelta(days=n) for n in range(12)]  # all in March, no two alike
    result = k_anonymise(records, dates=dates)
    assert result.values == tuple(records)
    assert set(result.dates) == {"2026-03"}
    assert result.changed == 12


def test_then_the_date_is_hidden_and_then_the_rarest_question():
    # Twelve 13 to 15s over two months, in two areas of six: the date goes first, then the area
    # (rarer than the age band here), and the age band stays.
    records = [("13 to 15", "Mendip")] * 6 + [("13 to 15", "Sedgemoor")] * 6
    dates = [MARCH + timedelta(days=20 * n) for n in range(12)]
    result = k_anonymise(records, dates=dates)
    assert result.drop_order == (1, 0)
    assert {result.shown(i) for i in range(12)} == {("13 to 15", NOT_SHOWN, NOT_SHOWN)}
    assert all(result.column_shown(i, 0) and not result.column_shown(i, 1) for i in range(12))
    assert all(result.date_step(i) == result.date_levels for i in range(12))


def test_groups_are_counted_in_young_people_not_rows():
    # Three young people with four answers each are 12 rows but 3 people.
    records = [("Under 11", "Mendip")] * 12 + [("13 to 15", "Mendip")] * 10
    people = [n // 4 for n in range(12)] + [100 + n for n in range(10)]
    result = k_anonymise(records, dates=[MARCH] * 22, people=people, pad=False)
    # 12 rows, but 3 young people: hidden all the way (with the age band gone, the three are
    # still a group of three in Mendip on their own).
    assert {result.shown(i) for i in range(12)} == {(NOT_SHOWN, NOT_SHOWN, NOT_SHOWN)}
    assert {result.shown(i) for i in range(12, 22)} == {("13 to 15", "Mendip", MARCH)}
    assert_k_anonymous(result, people)


def test_without_padding_a_small_fully_hidden_group_may_stay():
    records = [("13 to 15", "Mendip")] * 15 + [("Under 11", "Outside Somerset")] * 2
    result = k_anonymise(records, dates=[MARCH] * 17, pad=False)
    assert result.changed == 2
    padded = k_anonymise(records, dates=[MARCH] * 17)
    assert padded.changed == 17  # two hidden alone would be a group of two


def test_everything_is_hidden_when_the_whole_file_is_a_small_group():
    result = k_anonymise([("13 to 15", "Mendip")] * 4, dates=[MARCH] * 4)
    assert all(fully_hidden(result.shown(i)) for i in range(4))
    assert result.levels == (result.top,) * 4


def test_files_without_dates_and_other_thresholds_and_wording():
    records = [("a",)] * 3 + [("b",)] * 2
    result = k_anonymise(records, threshold=3, hidden="—", pad=False)
    assert result.dates is None
    assert result.values == (("a",),) * 3 + (("—",),) * 2
    # Padded, the a's are hidden too: two hidden alone would be a group of two.
    assert k_anonymise(records, threshold=3, hidden="—").values == (("—",),) * 5


def test_a_narrower_file_starts_where_the_whole_file_left_off():
    records = [("13 to 15", "Mendip")] * 20 + [("13 to 15", "Sedgemoor")] * 12
    dates = [MARCH] * 20 + [MARCH + timedelta(days=n) for n in range(12)]
    whole = k_anonymise(records, dates=dates)
    assert whole.dates[20:] == ("2026-03",) * 12
    # A filtered file of the first 10 Mendip rows and the first 10 Sedgemoor rows.
    chosen = list(range(10)) + list(range(20, 30))
    narrow = k_anonymise(
        [records[i] for i in chosen],
        dates=[dates[i] for i in chosen],
        start=[whole.levels[i] for i in chosen],
        drop_order=whole.drop_order,
    )
    for n, i in enumerate(chosen):
        assert narrow.levels[n] >= whole.levels[i]
    assert_k_anonymous(narrow)


def test_the_month_of_a_date_or_date_time():
    from datetime import datetime

    assert month_of(date(2026, 3, 31)) == "2026-03"
    assert month_of(datetime(2025, 12, 1, 9, 30)) == "2025-12"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"records": [("a",), ("a", "b")]}, "same number"),
        ({"records": [("a",)], "dates": []}, "one entry per record"),
        ({"records": [("a",)], "people": [1, 2]}, "one entry per record"),
        ({"records": [("a",)], "start": [9]}, "start levels"),
        ({"records": [("a", "b")], "drop_order": [0, 0]}, "drop_order"),
        ({"records": [("a",)], "threshold": 0}, "threshold"),
    ],
)
def test_bad_input_is_refused(kwargs, message):
    records = kwargs.pop("records")
    with pytest.raises(ValueError, match=message):
        k_anonymise(records, **kwargs)


def test_an_empty_file_is_fine():
    result = k_anonymise([], dates=[], drop_order=[0, 1])
    assert result.values == () and result.changed == 0


# --------------------------------------------------------------------------------------------
# Any file

AGES = ["Under 11", "11 to 12", "13 to 15", "16 to 18", ""]
AREAS = ["Mendip", "Sedgemoor", "Outside Somerset", ""]
GENDERS = ["Girl", "Boy", "Another way", ""]

rows = st.lists(
    st.tuples(
        st.sampled_from(AGES),
        st.sampled_from(AREAS),
        st.sampled_from(GENDERS),
        st.integers(0, 90),  # day
        st.integers(0, 40),  # person (answers of one person share everything below)
    ),
    max_size=80,
)


def consistent(given, shown, day: date | None) -> bool:
    values, when = shown[:-1], shown[-1]
    if any(s not in (g, NOT_SHOWN) for g, s in zip(given, values, strict=True)):
        return False
    return when in (day, month_of(day), NOT_SHOWN)


@settings(max_examples=150, deadline=None)
@given(rows, st.integers(2, 12), st.booleans())
def test_every_combination_left_is_shared_by_the_threshold_or_hidden(data, threshold, pad):
    # A person's answers share their about-you answers and day: take them from their first row.
    first: dict[int, tuple] = {}
    for age, area, gender, day, person in data:
        first.setdefault(person, (age, area, gender, day))
    people = [person for *_, person in data]
    records = [first[p][:3] for p in people]
    dates = [date(2026, 1, 1) + timedelta(days=first[p][3]) for p in people]
    result = k_anonymise(records, dates=dates, people=people, threshold=threshold, pad=pad)

    assert_k_anonymous(result, people, threshold)
    for i, record in enumerate(records):
        # Only ever coarsened, never changed into something else.
        assert consistent(record, result.shown(i), dates[i])
        # A row whose combination was already shared by enough people is never touched,
        # unless padding hid it.
        same = {p for j, p in enumerate(people) if records[j] == record and dates[j] == dates[i]}
        if len(same) >= threshold and not pad:
            assert result.levels[i] == 0
    # A person's rows are shown alike.
    by_person = defaultdict(set)
    for i, person in enumerate(people):
        by_person[person].add(result.shown(i))
    assert all(len(shown) == 1 for shown in by_person.values())
    if pad:
        hidden = {people[i] for i in range(len(people)) if result.levels[i] == result.top}
        everyone = set(people)
        assert not hidden or len(hidden) >= threshold or hidden == everyone
