"""Reads of “You said, we did” for staff pages.

A promise is **open** while its status is “Planned” or “In progress” (``OPEN_STATUSES``); an open
promise is **overdue** once its due date has passed (due today is not overdue yet). To count
another status as open, add it to ``OPEN_STATUSES``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from consultations.commitments.models import Commitment, CommitmentStatus

OPEN_STATUSES = (CommitmentStatus.PLANNED, CommitmentStatus.IN_PROGRESS)


def is_overdue(commitment: Commitment, *, today: date) -> bool:
    """The same rule as ``commitments_overdue``, for one commitment already read."""
    return commitment.status in OPEN_STATUSES and commitment.due_date < today


def commitments_open() -> QuerySet[Commitment]:
    return Commitment.objects.filter(status__in=OPEN_STATUSES)


def commitments_overdue(*, today: date) -> QuerySet[Commitment]:
    """Open promises due before ``today``, the longest overdue first."""
    return (
        commitments_open()
        .filter(due_date__lt=today)
        .select_related("consultation")
        .order_by("due_date", "pk")
    )


@dataclass(frozen=True)
class PromiseCounts:
    open: int = 0
    overdue: int = 0


def commitment_counts_by_consultation(
    consultation_ids: Iterable[int], *, today: date
) -> dict[int, PromiseCounts]:
    """{consultation id: open and overdue promises}, in one query."""
    rows = (
        Commitment.objects.filter(consultation_id__in=list(consultation_ids))
        .values("consultation_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        )
    )
    return {
        row["consultation_id"]: PromiseCounts(open=row["open"], overdue=row["overdue"])
        for row in rows
    }
