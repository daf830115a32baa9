"""Working-time arithmetic: when a concern is due (consultations.safeguarding.deadlines)."""

from datetime import UTC, datetime, time, timedelta

import pytest

from consultations.safeguarding.deadlines import (
    add_working_hours,
    deadline_hours,
    due_by,
    is_overdue,
    urgent_deadline_minutes,
)

from .support import LONDON, london

OFFICE = {"day_start": time(9), "day_end": time(17), "workdays": {0, 1, 2, 3, 4}}


def add(start, hours, **overrides):
    return add_working_hours(start, hours, **{**OFFICE, **overrides})


# 2025-03-03 is a Monday; 2025-03-07 a Friday.


def test_hours_within_one_working_day_are_plain_hours():
    assert add(london(2025, 3, 4, 10, 0), 4) == london(2025, 3, 4, 14, 0)


def test_deadline_at_closing_time_stays_that_day():
    assert add(london(2025, 3, 4, 13, 0), 4) == london(2025, 3, 4, 17, 0)


def test_friday_afternoon_runs_on_to_monday_morning():
    assert add(london(2025, 3, 7, 16, 0), 4) == london(2025, 3, 10, 12, 0)


def test_one_working_day_from_friday_lunchtime_is_monday_lunchtime():
    assert add(london(2025, 3, 7, 13, 30), 8) == london(2025, 3, 10, 13, 30)


def test_before_nine_the_clock_starts_at_nine():
    assert add(london(2025, 3, 4, 6, 45), 4) == london(2025, 3, 4, 13, 0)


def test_after_five_the_clock_starts_next_morning():
    assert add(london(2025, 3, 4, 22, 10), 4) == london(2025, 3, 5, 13, 0)


def test_after_five_on_friday_the_clock_starts_on_monday():
    assert add(london(2025, 3, 7, 17, 30), 8) == london(2025, 3, 10, 17, 0)


@pytest.mark.parametrize("day", [8, 9])  # Saturday and Sunday
def test_at_the_weekend_the_clock_starts_on_monday(day):
    assert add(london(2025, 3, day, 11, 0), 4) == london(2025, 3, 10, 13, 0)


def test_many_hours_span_whole_weeks():
    # 40 working hours is one working week, whatever the weekend in between.
    assert add(london(2025, 3, 5, 11, 0), 40) == london(2025, 3, 12, 11, 0)


def test_fractions_of_an_hour_count():
    assert add(london(2025, 3, 4, 16, 45), 0.5) == london(2025, 3, 5, 9, 15)


def test_zero_hours_outside_working_time_is_the_next_opening():
    assert add(london(2025, 3, 8, 11, 0), 0) == london(2025, 3, 10, 9, 0)


def test_clocks_going_forward_over_the_weekend_keep_nine_oclock_local():
    # British Summer Time starts on Sunday 30 March 2025 at 01:00 GMT.
    due = add(london(2025, 3, 28, 15, 0), 4)
    assert due == london(2025, 3, 31, 11, 0)
    assert due.utcoffset() == timedelta(hours=1)
    assert due.astimezone(UTC) == datetime(2025, 3, 31, 10, 0, tzinfo=UTC)


def test_clocks_going_back_over_the_weekend_keep_nine_oclock_local():
    # British Summer Time ends on Sunday 26 October 2025 at 02:00 BST.
    due = add(london(2025, 10, 24, 16, 0), 4)
    assert due == london(2025, 10, 27, 12, 0)
    assert due.astimezone(UTC) == datetime(2025, 10, 27, 12, 0, tzinfo=UTC)


def test_a_start_in_utc_is_read_in_its_own_zone():
    # 16:30 UTC on a winter Friday is 16:30 in London too; in UTC the arithmetic is the same.
    start = datetime(2025, 1, 10, 16, 30, tzinfo=UTC)
    assert add(start, 1) == datetime(2025, 1, 13, 9, 30, tzinfo=UTC)


def test_naive_times_stay_naive():
    assert add(datetime(2025, 3, 7, 16, 0), 2) == datetime(2025, 3, 10, 10, 0)


def test_other_working_days_and_hours():
    # A team that works Tuesday to Saturday, 08:00 to 12:00.
    due = add(
        london(2025, 3, 8, 11, 0),
        3,
        day_start=time(8),
        day_end=time(12),
        workdays={1, 2, 3, 4, 5},
    )
    assert due == london(2025, 3, 11, 10, 0)


@pytest.mark.parametrize(
    "overrides",
    [
        {"day_start": time(17), "day_end": time(9)},
        {"workdays": set()},
        {"workdays": {7}},
    ],
)
def test_impossible_working_time_is_refused(overrides):
    with pytest.raises(ValueError):
        add(london(2025, 3, 4, 10, 0), 1, **overrides)


def test_negative_hours_are_refused():
    with pytest.raises(ValueError):
        add(london(2025, 3, 4, 10, 0), -1)


# The settings ---------------------------------------------------------------------------------


def test_default_deadlines_are_an_hour_by_the_clock_for_urgent_and_a_working_day_otherwise(
    settings,
):
    del settings.YOUTHVOICE_SAFEGUARDING_DEADLINES
    del settings.YOUTHVOICE_URGENT_DEADLINE_MINUTES
    assert urgent_deadline_minutes() == 60
    assert deadline_hours("concern") == 8


# Replaces "urgent concern raised Friday afternoon is due Monday morning": urgent concerns are
# now due by the clock (test_urgent_clock.py has the rest).
def test_urgent_concern_raised_friday_afternoon_is_due_an_hour_later_the_same_afternoon():
    assert due_by(london(2025, 3, 7, 15, 0), "urgent") == london(2025, 3, 7, 16, 0)


def test_due_by_reads_times_stored_in_utc_in_london_time():
    created = datetime(2025, 6, 3, 8, 30, tzinfo=UTC)  # 09:30 BST
    assert due_by(created, "concern") == london(2025, 6, 4, 9, 30)


def test_deadlines_and_working_hours_come_from_settings(settings):
    settings.YOUTHVOICE_SAFEGUARDING_DEADLINES = {"concern": 1, "low": 2}
    settings.YOUTHVOICE_WORKING_HOURS = ("08:30", "16:30")
    settings.YOUTHVOICE_WORKING_DAYS = (0, 1, 2, 3, 4, 5)
    settings.YOUTHVOICE_URGENT_DEADLINE_MINUTES = 15
    # Half an hour on Friday, the rest on Saturday; urgent ignores the working day.
    assert due_by(london(2025, 3, 7, 16, 0), "concern") == london(2025, 3, 8, 9, 0)
    assert due_by(london(2025, 3, 7, 16, 0), "low") == london(2025, 3, 8, 10, 0)
    assert due_by(london(2025, 3, 7, 16, 0), "urgent") == london(2025, 3, 7, 16, 15)


def test_overdue_only_after_the_deadline():
    created = london(2025, 3, 4, 10, 0)
    assert not is_overdue(created, "concern", now=london(2025, 3, 5, 10, 0))
    assert is_overdue(created, "concern", now=london(2025, 3, 5, 10, 1))
    assert not is_overdue(created, "urgent", now=london(2025, 3, 4, 11, 0))
    assert is_overdue(created, "urgent", now=london(2025, 3, 4, 11, 1))
    assert LONDON.key == "Europe/London"
