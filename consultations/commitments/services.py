"""Recording young people's feedback on commitments, so that it cannot be stuffed.

Three locks, each tested:

- one answer per commitment per browser session (the session remembers which commitments it has
  answered; a second answer from the same session changes nothing);
- a per-client rate limit in Django's cache (``YOUTHVOICE_FEEDBACK_RATE_LIMIT``, default 30 in
  10 minutes; a keyed hash of the address, never the address itself, and never in the database),
  so a script that throws its cookies away each time is still held back;
- only published commitments take feedback, only by POST with a CSRF token, only “yes”,
  “partly” or “no”.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from consultations.commitments.models import Commitment, CommitmentFeedback, FeedbackAnswer
from consultations.ratelimit import allow_submission

SESSION_KEY = "commitment_feedback"


class FeedbackRefused(Exception):
    """Too many answers from this client just now."""


def answered(session) -> dict[str, str]:
    """{commitment id (as text): answer} this browser session has given."""
    value = session.get(SESSION_KEY)
    return value if isinstance(value, dict) else {}


def record_feedback(request, commitment: Commitment, answer: str) -> bool:
    """Store one answer; False when this session had already answered this commitment."""
    if answer not in FeedbackAnswer.values:
        raise ValueError(answer)
    given = answered(request.session)
    if str(commitment.pk) in given:
        return False
    if not allow_submission(request, scope="feedback", setting="YOUTHVOICE_FEEDBACK_RATE_LIMIT"):
        raise FeedbackRefused
    CommitmentFeedback.objects.create(commitment=commitment, answer=answer)
    request.session[SESSION_KEY] = {**given, str(commitment.pk): answer}
    return True


@dataclass(frozen=True)
class FeedbackCounts:
    yes: int = 0
    partly: int = 0
    no: int = 0

    @property
    def total(self) -> int:
        return self.yes + self.partly + self.no


def feedback_counts(commitments) -> dict[int, FeedbackCounts]:
    """{commitment id: counts} in one query."""
    rows = (
        CommitmentFeedback.objects.filter(commitment__in=commitments)
        .values("commitment")
        .annotate(
            yes=Count("pk", filter=Q(answer=FeedbackAnswer.YES)),
            partly=Count("pk", filter=Q(answer=FeedbackAnswer.PARTLY)),
            no=Count("pk", filter=Q(answer=FeedbackAnswer.NO)),
        )
    )
    return {row["commitment"]: FeedbackCounts(row["yes"], row["partly"], row["no"]) for row in rows}
