"""When a safeguarding concern is due: urgent ones by the clock, others in working time.

An urgent concern ("i want to kill myself tonight") cannot wait for Monday: it is due a fixed
number of minutes after it was raised, day and night, weekends and bank holidays included
(``YOUTHVOICE_URGENT_DEADLINE_MINUTES``, 60 by default). Other concerns are due after a number
of *working* hours: a concern raised at 16:00 on a Friday with a working day (8 hours) to deal
with it is due at 16:00 on Monday, or on Tuesday when Monday is a bank holiday.

The working-time arithmetic is ``add_working_hours`` and ``is_working_time``, plain functions
with no Django in them; ``due_by``, ``is_overdue`` and ``is_out_of_hours`` add the settings:

- ``YOUTHVOICE_URGENT_DEADLINE_MINUTES``: minutes by the clock for an urgent concern (a whole
  number, 0 or more).
- ``YOUTHVOICE_SAFEGUARDING_DEADLINES``: working hours allowed per other severity,
  e.g. ``{"concern": 8}`` (an ``"urgent"`` entry is no longer used).
- ``YOUTHVOICE_WORKING_HOURS``: the working day as ``("09:00", "17:00")`` (strings or
  ``datetime.time``), in ``TIME_ZONE`` (Europe/London), so it follows British Summer Time.
- ``YOUTHVOICE_WORKING_DAYS``: weekday numbers, Monday 0 to Sunday 6.
- ``YOUTHVOICE_BANK_HOLIDAYS``: dates written ``YYYY-MM-DD`` (or ``datetime.date``) that are not
  working days. The shipped list is England and Wales for 2026 and 2027: add each new year's
  (and Scotland's or Northern Ireland's, where a partnership works there) before it starts.

A malformed setting raises ``ImproperlyConfigured`` naming the setting and the bad value; the
system check below reports it when the site starts (``manage.py check``), not first at 2 a.m.

A concern's deadline is worked out once, when it is raised, and stored on it (``due_at``), so
the queue finds overdue concerns in the database. ``due_by`` is also what to call when a lead
changes a concern's severity.
"""

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from numbers import Real

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

URGENT = "urgent"  # consultations.safeguarding.models.Severity.URGENT
DEFAULT_DEADLINES = {"concern": 8}
DEFAULT_URGENT_MINUTES = 60
DEFAULT_WORKING_HOURS = ("09:00", "17:00")
DEFAULT_WORKING_DAYS = (0, 1, 2, 3, 4)


def add_working_hours(
    start: datetime,
    hours: Real,
    *,
    day_start: time,
    day_end: time,
    workdays: Collection[int],
    holidays: Collection[date] = (),
) -> datetime:
    """The moment ``hours`` of working time after ``start``.

    Working time is ``day_start`` to ``day_end`` on each weekday in ``workdays`` (Monday 0)
    that is not one of ``holidays``, read on the wall clock of ``start``'s time zone: pass
    ``start`` in the zone the working day is set in (``timezone.localtime``). The result is in
    the same zone, and is correct across a change to or from summer time because the working
    day never spans the change (in the UK clocks go forward at 01:00 and back at 02:00). Time
    before opening, after closing, on other days and on holidays does not count: a start outside
    working time begins at the next opening. A deadline that falls exactly at closing time stays
    at closing time rather than moving to the next opening. Naive datetimes are read as
    wall-clock time and stay naive.
    """
    if hours < 0:
        raise ValueError("hours must not be negative")
    days = _checked_days(day_start, day_end, workdays)
    closed = frozenset(holidays)

    zone = start.tzinfo
    # Work on the wall clock: aware arithmetic in one zone is wall-clock arithmetic anyway, and
    # naive values make that explicit.
    cursor = start.replace(tzinfo=None)
    remaining = timedelta(hours=float(hours))
    day: date = cursor.date()
    # Ends: holidays are finite, so working days come round again after the last of them.
    while True:
        if day.weekday() in days and day not in closed:
            opens = datetime.combine(day, day_start)
            closes = datetime.combine(day, day_end)
            begin = max(cursor, opens)
            if begin <= closes:
                available = closes - begin
                if remaining <= available:
                    return _in_zone(begin + remaining, zone)
                remaining -= available
        day += timedelta(days=1)
        cursor = datetime.combine(day, time.min)


def is_working_time(
    moment: datetime,
    *,
    day_start: time,
    day_end: time,
    workdays: Collection[int],
    holidays: Collection[date] = (),
) -> bool:
    """Whether ``moment``, on its own wall clock, falls in working time (opening included,
    closing not): a working weekday that is not a holiday, between ``day_start`` and
    ``day_end``."""
    days = _checked_days(day_start, day_end, workdays)
    day = moment.date()
    return (
        day.weekday() in days
        and day not in frozenset(holidays)
        and day_start <= moment.time() < day_end
    )


def _checked_days(day_start: time, day_end: time, workdays: Collection[int]) -> set[int]:
    if day_end <= day_start:
        raise ValueError("the working day must end after it starts")
    days = {int(day) for day in workdays}
    if not days or not days <= set(range(7)):
        raise ValueError("workdays must be weekday numbers from 0 (Monday) to 6 (Sunday)")
    return days


def _in_zone(wall_clock: datetime, zone: tzinfo | None) -> datetime:
    if zone is None:
        return wall_clock
    # zoneinfo gives the right offset for a wall-clock time, summer or winter.
    return wall_clock.replace(tzinfo=zone)


# The settings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkingTime:
    day_start: time
    day_end: time
    workdays: tuple[int, ...]
    zone: tzinfo
    holidays: frozenset[date] = field(default_factory=frozenset)

    def as_kwargs(self) -> dict:
        return {
            "day_start": self.day_start,
            "day_end": self.day_end,
            "workdays": self.workdays,
            "holidays": self.holidays,
        }


def _as_time(value) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def _setting(name: str, default):
    return getattr(settings, name, default)


def bank_holidays() -> frozenset[date]:
    """The dates in ``YOUTHVOICE_BANK_HOLIDAYS``; a malformed one is ImproperlyConfigured."""
    values = _setting("YOUTHVOICE_BANK_HOLIDAYS", ())
    if isinstance(values, str | bytes | date):
        raise ImproperlyConfigured(
            "YOUTHVOICE_BANK_HOLIDAYS must be a list of dates such as "
            f'["2026-12-25", "2026-12-28"], not {values!r}.'
        )
    days = set()
    for value in values:
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            days.add(value)
            continue
        try:
            days.add(date.fromisoformat(str(value).strip()))
        except ValueError:
            raise ImproperlyConfigured(
                f"YOUTHVOICE_BANK_HOLIDAYS: {value!r} is not a date written YYYY-MM-DD "
                "(for example 2026-12-25)."
            ) from None
    return frozenset(days)


def urgent_deadline_minutes() -> int:
    """Minutes by the clock an urgent concern is due in (``YOUTHVOICE_URGENT_DEADLINE_MINUTES``)."""
    value = _setting("YOUTHVOICE_URGENT_DEADLINE_MINUTES", DEFAULT_URGENT_MINUTES)
    try:
        minutes = value if isinstance(value, int) else int(str(value).strip())
    except ValueError:
        minutes = None
    if minutes is None or isinstance(value, bool) or minutes < 0:
        raise ImproperlyConfigured(
            f"YOUTHVOICE_URGENT_DEADLINE_MINUTES must be a whole number of minutes, 0 or more "
            f"(60 is an hour), not {value!r}."
        )
    return minutes


def working_time() -> WorkingTime:
    """The working day from settings (read on each call, never at import)."""
    hours = _setting("YOUTHVOICE_WORKING_HOURS", DEFAULT_WORKING_HOURS)
    workdays = _setting("YOUTHVOICE_WORKING_DAYS", DEFAULT_WORKING_DAYS)
    try:
        start, end = hours
        day_start, day_end = _as_time(start), _as_time(end)
        days = tuple(int(day) for day in workdays)
        _checked_days(day_start, day_end, days)
    except (TypeError, ValueError) as error:
        raise ImproperlyConfigured(
            "YOUTHVOICE_WORKING_HOURS must be an opening and a closing time such as "
            '("09:00", "17:00"), and YOUTHVOICE_WORKING_DAYS weekday numbers from 0 (Monday) to '
            f"6 (Sunday); they are {hours!r} and {workdays!r} ({error})."
        ) from None
    return WorkingTime(
        day_start=day_start,
        day_end=day_end,
        workdays=days,
        zone=timezone.get_default_timezone(),
        holidays=bank_holidays(),
    )


def deadline_hours(severity: str) -> float:
    """Working hours a lead has to deal with a concern of this (not urgent) severity."""
    deadlines = {**DEFAULT_DEADLINES, **_setting("YOUTHVOICE_SAFEGUARDING_DEADLINES", {})}
    value = deadlines.get(severity, deadlines["concern"])
    try:
        hours = float(value)
    except (TypeError, ValueError):
        hours = -1.0
    if hours < 0:
        raise ImproperlyConfigured(
            "YOUTHVOICE_SAFEGUARDING_DEADLINES must give working hours, 0 or more, per "
            f"severity, such as {{'concern': 8}}; {severity!r} has {value!r}."
        )
    return hours


def due_by(created_at: datetime, severity: str, *, working: WorkingTime | None = None) -> datetime:
    """When a concern raised at ``created_at`` should have been dealt with, in local time.

    Urgent: ``YOUTHVOICE_URGENT_DEADLINE_MINUTES`` later by the clock, counted in real elapsed
    time (so across a change to or from summer time an hour is still an hour). Otherwise: the
    severity's working hours, skipping evenings, weekends and bank holidays.
    """
    working = working or working_time()
    if severity == URGENT:
        elapsed = timedelta(minutes=urgent_deadline_minutes())
        return (created_at.astimezone(UTC) + elapsed).astimezone(working.zone)
    return add_working_hours(
        created_at.astimezone(working.zone), deadline_hours(severity), **working.as_kwargs()
    )


def is_overdue(
    created_at: datetime,
    severity: str,
    *,
    now: datetime,
    working: WorkingTime | None = None,
) -> bool:
    return now > due_by(created_at, severity, working=working)


def is_out_of_hours(moment: datetime, *, working: WorkingTime | None = None) -> bool:
    """Whether ``moment`` is outside working time: an evening, a weekend or a bank holiday."""
    working = working or working_time()
    local = moment.astimezone(working.zone)
    return not is_working_time(local, **working.as_kwargs())


@checks.register()
def check_deadline_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """Report malformed deadline settings when the site starts, not when a concern comes in."""
    errors = []
    for read in (working_time, urgent_deadline_minutes, lambda: deadline_hours("concern")):
        try:
            read()
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id="safeguarding.E001"))
    return errors
