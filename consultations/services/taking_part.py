"""Keeping what young people thought of being asked (``TakingPartFeedback``), and its retention.

:func:`taking_part_feedback_create` is the one door for these rows. It keeps them apart from the
answers (no response, no time of day) and treats the words written in "Anything else" as every
answer's words are treated in ``submit_response``: screened for safeguarding disclosures and
redacted on the way in, with the same services (``safeguarding.screening.check_text`` and
``redaction_lists``). A flagged comment is held, a ``SafeguardingConcern`` is saved with it (for
the consultation, with no response or answer to point at, since there is none) and the
Safeguarding leads are emailed as soon as the save commits (``screening.notify_leads``), with its
deadline set as ``screening.concerns_create`` sets it.

:func:`taking_part_purge` deletes the words once the consultation's retention period is over
(the daily purge's ``consultations.signals.purge_due``), keeping the three answers and the fact
that something was written, as the answers' own purge does.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import (
    TAKING_PART_QUESTIONS,
    ConsultationPage,
    TakingPartFeedback,
)
from consultations.models.feedback import ANYTHING_ELSE_MAX_LENGTH
from consultations.safeguarding.deadlines import due_by
from consultations.safeguarding.models import OPEN_STATUSES, SafeguardingConcern, Severity
from consultations.safeguarding.screening import (
    Checked,
    check_text,
    notify_leads,
    redaction_lists,
)

from .responses import CONTROL_CHARACTERS
from .retention import expired_consultations

logger = logging.getLogger(__name__)


class TakingPartRefused(ValueError):
    """Nothing was kept; the message says why, in words a young person can follow."""


def _clean_text(value: str) -> str:
    value = CONTROL_CHARACTERS.sub("", (value or "").replace("\r\n", "\n").replace("\r", "\n"))
    return value.strip()


def taking_part_feedback_create(
    *,
    consultation: ConsultationPage,
    form_token: uuid.UUID,
    understood: str = "",
    listened: str = "",
    again: str = "",
    anything_else: str = "",
) -> tuple[TakingPartFeedback, bool]:
    """Keep one young person's answers to the "taking part" step; ``(feedback, created)``.

    Each answer is "" (not answered) or one of its question's options; at least one of the four
    must be given. Anything else is refused with :class:`TakingPartRefused` and nothing is
    saved (the form checks these first; this is the door every caller goes through).
    ``form_token`` is the step's own one-time token: the same token again (a double tap)
    returns the row already kept, with ``created`` False.
    """
    given = {"understood": understood or "", "listened": listened or "", "again": again or ""}
    for question in TAKING_PART_QUESTIONS:
        value = given[question.name]
        if value and value not in {option.value for option in question.options}:
            raise TakingPartRefused(_("Choose one of the answers given."))
    text = _clean_text(anything_else)
    if len(text) > ANYTHING_ELSE_MAX_LENGTH:
        raise TakingPartRefused(
            _("What you write must be %(limit)s characters or fewer.")
            % {"limit": f"{ANYTHING_ELSE_MAX_LENGTH:,}"}
        )
    if not text and not any(given.values()):
        raise TakingPartRefused(_("Answer at least one question, or choose “Skip”."))
    if not isinstance(form_token, uuid.UUID):
        raise TakingPartRefused(_("This form is missing its token."))
    existing = TakingPartFeedback.objects.filter(form_token=form_token).first()
    if existing is not None:
        return existing, False
    try:
        return _save(consultation, form_token, given, text), True
    except IntegrityError:
        # The same form sent twice at once, and the other request kept it.
        existing = TakingPartFeedback.objects.filter(form_token=form_token).first()
        if existing is None:
            raise
        return existing, False


@transaction.atomic
def _save(consultation, form_token, given, text) -> TakingPartFeedback:
    feedback = TakingPartFeedback(
        consultation=consultation, form_token=form_token, commented=bool(text), **given
    )
    if text:
        # Screened and redacted like every answer, by the same services (never raises).
        check = check_text(text, lists=redaction_lists())
        feedback.anything_else = text
        feedback.anything_else_redacted = check.redacted_text
        feedback.held = check.flagged
        if check.flagged:
            feedback.concern = _concern_raise(consultation, check)
    feedback.save()
    return feedback


def _concern_raise(consultation: ConsultationPage, check: Checked) -> SafeguardingConcern:
    """A concern about the words, as ``screening.concerns_create`` makes one for an answer.

    There is no response or answer to link it to: these words are kept apart from the answers,
    so the concern points at the consultation, and at this row through
    ``TakingPartFeedback.concern``.
    """
    severity = check.severity or Severity.CONCERN
    raised_at = timezone.now()
    try:
        due_at = due_by(raised_at, severity)
    except ImproperlyConfigured:
        logger.exception("The safeguarding deadline settings are wrong; the concern is due now.")
        due_at = raised_at
    concern = SafeguardingConcern.objects.create(
        consultation=consultation,
        severity=severity,
        categories=check.categories,
        spans=check.spans,
        screening_failed=check.screening_failed,
        due_at=due_at,
    )
    transaction.on_commit(lambda: notify_leads(concern_ids=[concern.pk]))
    return concern


def taking_part_purge(*, now: datetime | None = None) -> int:
    """Delete the words of "Anything else" in consultations past their retention period.

    Keeps the three answers and ``commented``; keeps the words while a concern about them is
    still open, as the answers' purge does. Returns how many comments were deleted.
    """
    expired = expired_consultations(now=now or timezone.now())
    if not expired:
        return 0
    due = (
        TakingPartFeedback.objects.filter(consultation__in=expired)
        .exclude(anything_else="", anything_else_redacted="")
        .exclude(concern__status__in=OPEN_STATUSES)
    )
    return due.update(anything_else="", anything_else_redacted="")


def purge_when_due(**kwargs) -> dict[str, int]:
    """The daily purge's share for these comments (``consultations.signals.purge_due``)."""
    return {"taking_part_comments": taking_part_purge()}
