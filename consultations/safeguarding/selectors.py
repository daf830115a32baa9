"""Read paths of the safeguarding queue: the order concerns are shown in, counts, deadlines."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case, IntegerField, QuerySet, Value, When

from consultations.safeguarding.models import (
    OPEN_STATUSES,
    ConcernNote,
    ConcernStatus,
    SafeguardingConcern,
    Severity,
)

from .deadlines import WorkingTime, due_by, working_time
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


def concern_deadlines_annotate(
    concerns, *, now: datetime, working: WorkingTime | None = None
) -> list:
    """Set ``due_by`` and ``overdue`` on each concern (open ones only; closed ones have none)."""
    working = working or working_time()
    concerns = list(concerns)
    for concern in concerns:
        if concern.status in OPEN_STATUSES:
            concern.due_by = due_by(concern.created_at, concern.severity, working=working)
            concern.overdue = now > concern.due_by
        else:
            concern.due_by = None
            concern.overdue = False
    return concerns


def overdue_concern_ids(*, now: datetime) -> list[int]:
    """The open concerns past their deadline at ``now``."""
    working = working_time()
    rows = SafeguardingConcern.objects.filter(status__in=OPEN_STATUSES).values_list(
        "pk", "severity", "created_at"
    )
    return [
        pk
        for pk, severity, created_at in rows.iterator()
        if now > due_by(created_at, severity, working=working)
    ]


@dataclass(frozen=True)
class QueueCounts:
    new: int
    under_review: int
    urgent_open: int
    overdue: int

    @property
    def open(self) -> int:
        return self.new + self.under_review


def concern_counts(*, now: datetime) -> QueueCounts:
    """How many concerns are new, under review, urgent and open, and overdue at ``now``.

    Overdue is worked out in Python from each open concern's age: open concerns are few, and
    working-time deadlines do not translate into SQL.
    """
    working = working_time()
    new = under_review = urgent_open = overdue = 0
    rows = SafeguardingConcern.objects.filter(status__in=OPEN_STATUSES).values_list(
        "status", "severity", "created_at"
    )
    for status, severity, created_at in rows.iterator():
        new += status == ConcernStatus.NEW
        under_review += status == ConcernStatus.UNDER_REVIEW
        urgent_open += severity == Severity.URGENT
        overdue += now > due_by(created_at, severity, working=working)
    return QueueCounts(new=new, under_review=under_review, urgent_open=urgent_open, overdue=overdue)


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
