"""Read paths of the safeguarding queue: the order concerns are shown in, counts, deadlines."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from consultations.safeguarding.models import (
    OPEN_STATUSES,
    ConcernNote,
    ConcernStatus,
    SafeguardingConcern,
    Severity,
)

from .deadlines import (
    WorkingTime,
    due_by,
    is_out_of_hours,
    urgent_deadline_minutes,
    working_time,
)
from .services import ACTION_RELEASE, ACTION_WITHHOLD


def concern_queue(*, queryset: QuerySet | None = None) -> QuerySet:
    """Concerns in the order a lead should deal with them.

    Open ones (new, under review) first, then urgent before concern, then oldest first.
    """
    queryset = SafeguardingConcern.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("consultation")
        .annotate(
            open_rank=Case(
                When(status__in=OPEN_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            severity_rank=Case(
                When(severity=Severity.URGENT, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("open_rank", "severity_rank", "created_at", "pk")
    )


def _due_at(concern: SafeguardingConcern, working: WorkingTime) -> datetime:
    """The stored deadline; worked out afresh only for a concern saved without one."""
    if concern.due_at is not None:
        return concern.due_at
    return due_by(concern.created_at, concern.severity, working=working)


def concern_deadlines_annotate(
    concerns, *, now: datetime, working: WorkingTime | None = None
) -> list:
    """Set ``due_by``, ``overdue`` and ``out_of_hours`` on each concern.

    ``due_by`` is the stored ``due_at`` (by the clock for urgent concerns); closed concerns
    have none and are never overdue. ``out_of_hours`` marks an open urgent concern raised
    outside working time, which ``safeguarding/includes/out_of_hours.html`` shows with the
    partnership's out-of-hours contact.
    """
    concerns = list(concerns)
    if not concerns:
        return concerns
    working = working or working_time()
    for concern in concerns:
        if concern.status in OPEN_STATUSES:
            concern.due_by = _due_at(concern, working)
            concern.overdue = now > concern.due_by
            concern.out_of_hours = concern.severity == Severity.URGENT and is_out_of_hours(
                concern.created_at, working=working
            )
        else:
            concern.due_by = None
            concern.overdue = False
            concern.out_of_hours = False
    return concerns


def _overdue_without_due_at(now: datetime) -> list[int]:
    """Open concerns saved without ``due_at`` (none once raised through ``concerns_create``
    and migrated), checked in Python so that none is ever silently never overdue."""
    rows = SafeguardingConcern.objects.filter(
        status__in=OPEN_STATUSES, due_at__isnull=True
    ).values_list("pk", "severity", "created_at")
    working = None
    overdue = []
    for pk, severity, created_at in rows.iterator():
        working = working or working_time()
        if now > due_by(created_at, severity, working=working):
            overdue.append(pk)
    return overdue


def _overdue_q(now: datetime) -> Q:
    past_due = Q(due_at__lt=now)
    if missing := _overdue_without_due_at(now):
        past_due |= Q(pk__in=missing)
    return Q(status__in=OPEN_STATUSES) & past_due


def overdue_concerns(*, now: datetime, queryset: QuerySet | None = None) -> QuerySet:
    """The open concerns past their deadline (``due_at``) at ``now``, filtered in the database."""
    queryset = SafeguardingConcern.objects.all() if queryset is None else queryset
    return queryset.filter(_overdue_q(now))


def overdue_concern_ids(*, now: datetime) -> list[int]:
    """The open concerns past their deadline at ``now``."""
    return list(overdue_concerns(now=now).values_list("pk", flat=True))


@dataclass(frozen=True)
class QueueCounts:
    new: int
    under_review: int
    urgent_open: int
    overdue: int
    referred: int = 0
    monitoring: int = 0
    urgent_out_of_hours: int = 0
    urgent_minutes: int = 60  # the urgent deadline in force, for the words beside the counts

    @property
    def open(self) -> int:
        # Referred and Monitoring are still open: someone has to hear back and close them.
        return self.new + self.under_review + self.referred + self.monitoring


def concern_counts(*, now: datetime) -> QueueCounts:
    """How many concerns are new, under review, urgent and open, and overdue at ``now``.

    Overdue is counted in the database from each open concern's stored deadline (``due_at``),
    so an urgent concern raised on a Friday evening is counted overdue all weekend.
    ``urgent_out_of_hours`` counts the open urgent ones raised outside working time.
    """
    open_concerns = SafeguardingConcern.objects.filter(status__in=OPEN_STATUSES)
    counts = open_concerns.aggregate(
        new=Count("pk", filter=Q(status=ConcernStatus.NEW)),
        under_review=Count("pk", filter=Q(status=ConcernStatus.UNDER_REVIEW)),
        referred=Count("pk", filter=Q(status=ConcernStatus.REFERRED)),
        monitoring=Count("pk", filter=Q(status=ConcernStatus.MONITORING)),
        urgent_open=Count("pk", filter=Q(severity=Severity.URGENT)),
        overdue=Count("pk", filter=_overdue_q(now)),
    )
    urgent_raised = list(
        open_concerns.filter(severity=Severity.URGENT).values_list("created_at", flat=True)
    )
    working = working_time()
    out_of_hours = sum(is_out_of_hours(raised, working=working) for raised in urgent_raised)
    return QueueCounts(
        **counts,
        urgent_out_of_hours=out_of_hours,
        urgent_minutes=urgent_deadline_minutes(),
    )


@dataclass(frozen=True)
class AnswerDecision:
    """The latest release or withholding of a concern's answer."""

    action: str
    note: ConcernNote

    @property
    def released(self) -> bool:
        return self.action == ACTION_RELEASE


def concern_answer_decision(concern: SafeguardingConcern) -> AnswerDecision | None:
    """The latest release or withholding recorded on the concern, or None if undecided."""
    note = (
        concern.notes.filter(action__in=[ACTION_RELEASE, ACTION_WITHHOLD])
        .select_related("author")
        .order_by("-created_at", "-pk")
        .first()
    )
    return AnswerDecision(action=note.action, note=note) if note else None
