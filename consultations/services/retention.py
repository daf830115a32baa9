"""Retention: deleting the words people wrote once a consultation's retention period is over.

Each consultation keeps its answers for ``retention_days`` after it closes (a facilitator sets
this on the page). After that, :func:`purge_expired_responses` deletes what people *wrote* and
keeps what reports count:

- deleted: ``Answer.text`` and its ``redacted_text``, that is every text answer and every
  "Other – tell us" text;
- kept: each ``Answer`` row (so "how many answered this question" survives), the options
  chosen, ranking orders and ratings; an "Other" answer keeps the :data:`OTHER` marker in its
  ``choices``, so "how many chose Other" survives too;
- kept: the response's ``age_band`` and ``area``. They are bands from short lists, never dates
  of birth or addresses, and every report suppresses small groups, so on their own they do not
  identify anyone; without them the kept counts could not be broken down as reports need;
- cleared: the link to a signed-in member who answered as themselves (``Response.user``), so
  what is left is anonymous;
- stamped: ``Response.text_purged_at``, so a purged response is never touched again and admin
  listings can say why its answers are empty;
- deferred: a response with an open safeguarding concern (new, under review, referred or
  monitoring) keeps its words until a Safeguarding lead closes the concern; the next run after
  that purges it. Deleting what a lead is still acting on could lose what they need to keep a
  child safe;
- safeguarding records (docs/decisions/0007-safeguarding-records-retention.md): a concern about
  a purged response keeps what was decided, by whom and when, but loses the screen's matches
  (``spans``: positions in the words, and for the learned check the words themselves) and its
  link to a member's account; each of the lead's notes loses any quote of the answer and any
  personal detail the redaction found in it (:func:`_purge_concerns`). A concern whose response
  was deleted earlier (an import undone) loses its matches and account link the same way.

Runs in batches of :data:`BATCH_SIZE` responses, each batch in its own transaction, so a purge of
a consultation with tens of thousands of answers never holds one long lock and a crash half way
leaves whole batches done and the rest untouched; running it again finishes the job. It logs
counts only, never text.

Run it from ``python manage.py purge_expired_responses [--dry-run]`` or the
``consultations.tasks.purge_expired_responses_task`` task; see that module for scheduling.

Anything added later that keeps copies of what people wrote (redacted text, quotes picked for a
report, cached word lists) must be cleared here too, in :func:`_purge_batch`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from consultations.analysis.quotes import remove_quoted_words
from consultations.analysis.redaction import redact
from consultations.models import Answer, ConsultationPage, QuestionKind, Response
from consultations.safeguarding.models import OPEN_STATUSES, ConcernNote, SafeguardingConcern
from consultations.safeguarding.screening import redaction_lists
from consultations.services.responses import OTHER
from consultations.services.terms import uncount_answers

logger = logging.getLogger(__name__)

#: Responses purged per transaction. Tests shrink it to prove batching purges everything.
BATCH_SIZE = 500

TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


@dataclass
class ConsultationPurge:
    """What was (or, in a dry run, would be) purged from one consultation."""

    consultation_id: int
    title: str
    closed_at: datetime
    expired_at: datetime
    responses: int = 0
    """Responses stamped as purged (including those that had nothing written)."""
    answers: int = 0
    """Answers whose written text was deleted."""
    deferred: int = 0
    """Responses kept for now because a safeguarding concern about them is still open."""


@dataclass
class PurgeReport:
    """The outcome of one run: one entry per consultation past its retention period."""

    now: datetime
    dry_run: bool
    consultations: list[ConsultationPurge] = field(default_factory=list)

    @property
    def responses(self) -> int:
        return sum(c.responses for c in self.consultations)

    @property
    def answers(self) -> int:
        return sum(c.answers for c in self.consultations)

    @property
    def deferred(self) -> int:
        return sum(c.deferred for c in self.consultations)

    def as_dict(self) -> dict:
        """Counts only, JSON-friendly: what the scheduled task returns."""
        return {
            "now": self.now.isoformat(),
            "dry_run": self.dry_run,
            "responses": self.responses,
            "answers": self.answers,
            "deferred": self.deferred,
            "consultations": [
                {
                    "id": c.consultation_id,
                    "expired_at": c.expired_at.isoformat(),
                    "responses": c.responses,
                    "answers": c.answers,
                    "deferred": c.deferred,
                }
                for c in self.consultations
            ],
        }


def retention_expires_at(consultation: ConsultationPage) -> datetime:
    """When the words written in answers to ``consultation`` are due to be deleted."""
    return consultation.closes_at + timedelta(days=consultation.retention_days)


def expired_consultations(*, now: datetime) -> list[ConsultationPage]:
    """Consultations (published or not) whose retention period ended at or before ``now``."""
    # Only closed consultations can have expired; the few left are checked in Python, which
    # works the same on SQLite and PostgreSQL (date arithmetic on a column does not).
    closed = ConsultationPage.objects.filter(closes_at__lt=now).order_by("closes_at", "pk")
    return [page for page in closed if retention_expires_at(page) <= now]


def purge_expired_responses(*, now: datetime | None = None, dry_run: bool = False) -> PurgeReport:
    """Delete the words written in responses to every consultation past its retention period.

    Idempotent: responses already purged are skipped, so a second run does nothing. With
    ``dry_run`` nothing is changed and the report says what a real run would purge.
    """
    now = now or timezone.now()
    report = PurgeReport(now=now, dry_run=dry_run)
    for consultation in expired_consultations(now=now):
        outcome = ConsultationPurge(
            consultation_id=consultation.pk,
            title=consultation.title,
            closed_at=consultation.closes_at,
            expired_at=retention_expires_at(consultation),
        )
        unpurged = Response.objects.filter(page=consultation, text_purged_at__isnull=True)
        pending = _purgeable(unpurged)
        outcome.deferred = unpurged.count() - pending.count()
        if dry_run:
            outcome.responses = pending.count()
            outcome.answers = (
                Answer.objects.filter(response__in=pending)
                .exclude(text="", redacted_text="")
                .count()
            )
        else:
            while True:
                responses, answers = _purge_batch(consultation, now)
                if not responses:
                    break
                outcome.responses += responses
                outcome.answers += answers
            _purge_orphan_concerns(consultation)
        if outcome.responses or outcome.deferred:
            report.consultations.append(outcome)
            logger.info(
                "%s consultation %s: %s responses, %s written answers; %s deferred for "
                "open safeguarding concerns",
                "Would purge" if dry_run else "Purged",
                consultation.pk,
                outcome.responses,
                outcome.answers,
                outcome.deferred,
            )
    return report


def _purgeable(responses):
    """Leave out responses a Safeguarding lead is still acting on."""
    return responses.exclude(concerns__status__in=OPEN_STATUSES)


@transaction.atomic
def _purge_batch(consultation: ConsultationPage, now: datetime) -> tuple[int, int]:
    """Purge up to BATCH_SIZE unpurged responses; returns (responses, answers) purged."""
    # skip_locked lets two purges (say a cron job and a queued task) share the work instead of
    # waiting on each other. SQLite has no row locks and ignores it.
    ids = list(
        _purgeable(
            Response.objects.select_for_update(skip_locked=True).filter(
                page=consultation, text_purged_at__isnull=True
            )
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH_SIZE]
    )
    if not ids:
        return 0, 0
    _purge_concerns(ids)  # first: the notes are cleaned against the words still there
    uncount_answers(Answer.objects.filter(response_id__in=ids))  # keep word cloud totals exact
    written = Answer.objects.filter(response_id__in=ids).exclude(text="", redacted_text="")
    answers = written.filter(question__kind__in=TEXT_KINDS).update(text="", redacted_text="")
    # What is left with text is an "Other – tell us": keep that Other was chosen.
    others = list(written.only("pk", "choices"))
    for answer in others:
        answer.text = answer.redacted_text = ""
        if OTHER not in answer.choices:
            answer.choices = [*answer.choices, OTHER]
    Answer.objects.bulk_update(others, ["text", "redacted_text", "choices"])
    Response.objects.filter(pk__in=ids).update(text_purged_at=now, user=None)
    return len(ids), answers + len(others)


def _personal_details(texts: list[str]) -> list[str]:
    """The personal details (names, phone numbers...) the redaction finds in ``texts``."""
    lists = redaction_lists()
    found = []
    for text in texts:
        try:
            spans = redact(text, extra=lists).spans
        except Exception:  # noqa: BLE001 - quotes still go; a purge must not stop half way
            logger.exception("Redaction failed while purging a safeguarding note.")
            continue
        found.extend(text[span.start : span.end] for span in spans)
    return found


def _purge_concerns(response_ids: list[int]) -> None:
    """Take the answers' words out of the safeguarding records of these responses (ADR 0007)."""
    concerns = dict(
        SafeguardingConcern.objects.filter(response_id__in=response_ids).values_list(
            "pk", "response_id"
        )
    )
    if not concerns:
        return
    written: dict[int, list[str]] = {}
    for response_id, text in (
        Answer.objects.filter(response_id__in=set(concerns.values()))
        .exclude(text="")
        .values_list("response_id", "text")
    ):
        written.setdefault(response_id, []).append(text)
    details = {response_id: _personal_details(texts) for response_id, texts in written.items()}
    notes = []
    for note in ConcernNote.objects.filter(concern_id__in=concerns).only(
        "pk", "concern", "text", "changes"
    ):
        response_id = concerns[note.concern_id]

        def clean(value, response_id=response_id):
            if not isinstance(value, str) or not value:
                return value
            return remove_quoted_words(
                value, written.get(response_id, []), details=details.get(response_id, [])
            )

        # The note, and what it changed (an outcome written on closing is kept as before/after).
        text = clean(note.text)
        changes = {key: [clean(value) for value in pair] for key, pair in note.changes.items()}
        if text != note.text or changes != note.changes:
            note.text, note.changes = text, changes
            notes.append(note)
    ConcernNote.objects.bulk_update(notes, ["text", "changes"])
    # The outcome a lead wrote on closing may quote the answer too.
    outcomes = []
    for concern in SafeguardingConcern.objects.filter(pk__in=concerns).exclude(outcome=""):
        cleaned = remove_quoted_words(
            concern.outcome,
            written.get(concern.response_id, []),
            details=details.get(concern.response_id, []),
        )
        if cleaned != concern.outcome:
            concern.outcome = cleaned
            outcomes.append(concern)
    SafeguardingConcern.objects.bulk_update(outcomes, ["outcome"])
    SafeguardingConcern.objects.filter(pk__in=concerns).update(spans=[], respondent=None)


def _purge_orphan_concerns(consultation: ConsultationPage) -> None:
    """Closed concerns whose response was deleted earlier lose their matches and account link.

    Their words went with the response, so their notes cannot be compared with them any more.
    """
    SafeguardingConcern.objects.filter(consultation=consultation, response__isnull=True).exclude(
        status__in=OPEN_STATUSES
    ).update(spans=[], respondent=None)
