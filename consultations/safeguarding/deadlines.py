"""When a safeguarding concern is due, counted in working time.

Leads work office hours, so "urgent within 4 hours" means four *working* hours: a disclosure
made at 16:00 on a Friday is due at 12:00 on Monday, not at 20:00 on Friday. The arithmetic is
``add_working_hours``, a plain function with no Django in it; ``due_by`` and ``is_overdue`` add
the settings:

- ``YOUTHVOICE_SAFEGUARDING_DEADLINES``: working hours allowed per severity,
  e.g. ``{"urgent": 4, "concern": 8}``.
- ``YOUTHVOICE_WORKING_HOURS``: the working day as ``("09:00", "17:00")`` (strings or
  ``datetime.time``), in ``TIME_ZONE`` (Europe/London), so it follows British Summer Time.
- ``YOUTHVOICE_WORKING_DAYS``: weekday numbers, Monday 0 to Sunday 6.

Bank holidays are not handled: a concern raised before a bank holiday is shown as overdue during
it. A partnership that wants them counted can pass a calendar-aware ``workdays`` check here.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from numbers import Real

from django.conf import settings
from django.utils import timezone

DEFAULT_DEADLINES = {"urgent": 4, "concern": 8}
DEFAULT_WORKING_HOURS = ("09:00", "17:00")
DEFAULT_WORKING_DAYS = (0, 1, 2, 3, 4)


def add_working_hours(
    start: datetime,
    hours: Real,
    *,
    day_start: time,
    day_end: time,
    workdays: Collection[int],
) -> datetime:
    """The moment ``hours`` of working time after ``start``.

    Working time is ``day_start`` to ``day_end`` on each weekday in ``workdays`` (Monday 0),
    read on the wall clock of ``start``'s time zone: pass ``start`` in the zone the working day
    is set in (``timezone.localtime``). The result is in the same zone, and is correct across a
    change to or from summer time because the working day never spans the change (in the UK
    clocks go forward at 01:00 and back at 02:00). Time before opening, after closing and on
    other days does not count: a start outside working time begins at the next opening. A
    deadline that falls exactly at closing time stays at closing time rather than moving to the
    next opening. Naive datetimes are read as wall-clock time and stay naive.
    """
    if hours < 0:
        raise ValueError("hours must not be negative")
    if day_end <= day_start:
        raise ValueError("the working day must end after it starts")
    days = {int(day) for day in workdays}
    if not days or not days <= set(range(7)):
        raise ValueError("workdays must be weekday numbers from 0 (Monday) to 6 (Sunday)")

    zone = start.tzinfo
    # Work on the wall clock: aware arithmetic in one zone is wall-clock arithmetic anyway, and
    # naive values make that explicit.
    cursor = start.replace(tzinfo=None)
    remaining = timedelta(hours=float(hours))
    day: date = cursor.date()
    while True:
        if day.weekday() in days:
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


def _as_time(value) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def working_time() -> WorkingTime:
    """The working day from settings (read on each call, never at import)."""
    start, end = getattr(settings, "YOUTHVOICE_WORKING_HOURS", DEFAULT_WORKING_HOURS)
    return WorkingTime(
        day_start=_as_time(start),
        day_end=_as_time(end),
        workdays=tuple(getattr(settings, "YOUTHVOICE_WORKING_DAYS", DEFAULT_WORKING_DAYS)),
        zone=timezone.get_default_timezone(),
    )


def deadline_hours(severity: str) -> float:
    """Working hours a lead has to deal with a concern of this severity."""
    deadlines = {
        **DEFAULT_DEADLINES,
        **getattr(settings, "YOUTHVOICE_SAFEGUARDING_DEADLINES", {}),
    }
    return float(deadlines.get(severity, deadlines["concern"]))


def due_by(created_at: datetime, severity: str, *, working: WorkingTime | None = None) -> datetime:
    """When a concern raised at ``created_at`` should have been dealt with (closed)."""
    working = working or working_time()
    return add_working_hours(
        created_at.astimezone(working.zone),
        deadline_hours(severity),
        day_start=working.day_start,
        day_end=working.day_end,
        workdays=working.workdays,
    )


def is_overdue(
    created_at: datetime,
    severity: str,
    *,
    now: datetime,
    working: WorkingTime | None = None,
) -> bool:
    return now > due_by(created_at, severity, working=working)
