"""Write paths of the safeguarding queue: what a Safeguarding lead does to a concern.

Every action writes a ``ConcernNote`` (the lead's words, shown on the concern) and an entry in
Wagtail's audit log (who, what, when; shown on the concern and in Reports › Site history), in
one transaction with the change itself. A note is required for every action. The audit log
entry never copies the note or the answer: it records what changed and points at the note.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from consultations.models import Answer
from consultations.safeguarding.models import ConcernNote, ConcernStatus, SafeguardingConcern
from consultations.services import raw_answers
from consultations.services.terms import set_answer_held

LOG_VIEW = "consultations.concern.view"
LOG_STATUS = "consultations.concern.status"
LOG_NOTE = "consultations.concern.note"
LOG_RELEASE = "consultations.concern.release"
LOG_WITHHOLD = "consultations.concern.withhold"

ACTION_STATUS = "status"
ACTION_NOTE = "note"
ACTION_RELEASE = "release"
ACTION_WITHHOLD = "withhold"


class ConcernActionRefused(Exception):
    """The action was not taken; ``str(error)`` says why, in words a lead can act on."""


def _locked_concern(concern_id: int) -> SafeguardingConcern:
    # No select_related: PostgreSQL cannot lock the nullable side of an outer join.
    return SafeguardingConcern.objects.select_for_update().get(pk=concern_id)


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ConcernActionRefused(_("Write a note saying what you did and why."))
    return note


def concern_view_record(*, concern: SafeguardingConcern, user, as_written: bool) -> None:
    """Record that ``user`` opened the concern: reading a raw disclosure is auditable.

    When the answer's words were shown as written the entry is the one every such reading
    leaves ("Read an answer as written", ``raw_answers.LOG_VIEW_RAW``); otherwise it says the
    concern was opened and the words were not shown.
    """
    if as_written:
        raw_answers.raw_answer_read_record(
            concern=concern, user=user, where=raw_answers.WHERE_CONCERN
        )
    else:
        log(concern, LOG_VIEW, user=user, data={"as_written": False})


@transaction.atomic
def concern_status_change(
    *,
    concern_id: int,
    user,
    to_status: str,
    note: str,
    expected_status: str | None = None,
) -> ConcernNote:
    """Move a concern to ``to_status`` with the lead's note.

    Any move is allowed (a lead may reopen a closed concern, or correct a mistake); each is
    recorded. Choosing the current status adds a note without changing anything else.
    ``expected_status`` is the status the lead saw: if someone else changed it meanwhile the
    change is refused, so neither lead's decision is lost without being read.
    """
    text = _clean_note(note)
    if to_status not in ConcernStatus.values:
        raise ConcernActionRefused(_("Choose one of the statuses listed."))
    concern = _locked_concern(concern_id)
    from_status = concern.status
    if expected_status and expected_status != from_status:
        raise ConcernActionRefused(
            _(
                "Someone else changed this concern to “%(status)s” while you had it open. "
                "Read their note below, then try again."
            )
            % {"status": concern.get_status_display()}
        )
    action = ACTION_NOTE if to_status == from_status else ACTION_STATUS
    if action == ACTION_STATUS:
        concern.status = to_status
        concern.save(update_fields=["status", "updated_at"])
    concern_note = ConcernNote.objects.create(
        concern=concern,
        author=user,
        from_status=from_status,
        to_status=to_status,
        action=action,
        text=text,
    )
    log(
        concern,
        LOG_STATUS if action == ACTION_STATUS else LOG_NOTE,
        user=user,
        data={"from_status": from_status, "to_status": to_status, "note_id": concern_note.pk},
    )
    return concern_note


def _answer_or_refuse(concern: SafeguardingConcern) -> Answer:
    if concern.answer is None:
        raise ConcernActionRefused(
            _("The answer this concern was about has been deleted, so there is nothing to decide.")
        )
    return concern.answer


def _decision_note(concern: SafeguardingConcern, user, action: str, text: str) -> ConcernNote:
    return ConcernNote.objects.create(
        concern=concern,
        author=user,
        from_status=concern.status,
        to_status=concern.status,
        action=action,
        text=text,
    )


@transaction.atomic
def concern_answer_release(*, concern_id: int, user, note: str) -> ConcernNote:
    """Release the answer: it stops being held and may appear, redacted, in outputs.

    Refused when the answer has words but no redacted version (redaction failed when it was
    saved): outputs use the redacted text, so there would be nothing safe to show.
    """
    text = _clean_note(note)
    concern = _locked_concern(concern_id)
    answer = _answer_or_refuse(concern)
    if answer.text.strip() and not answer.redacted_text.strip():
        raise ConcernActionRefused(
            _(
                "Personal details could not be taken out of this answer when it was saved, so "
                "it cannot be released. Withhold it, or ask the platform admin to redact it "
                "again first."
            )
        )
    set_answer_held(answer_id=answer.pk, held=False)  # keeps word cloud totals exact
    concern_note = _decision_note(concern, user, ACTION_RELEASE, text)
    log(
        concern,
        LOG_RELEASE,
        user=user,
        data={"answer_id": answer.pk, "note_id": concern_note.pk},
    )
    return concern_note


@transaction.atomic
def concern_answer_withhold(*, concern_id: int, user, note: str) -> ConcernNote:
    """Withhold the answer for good: it stays held (or is held again) and never reaches outputs."""
    text = _clean_note(note)
    concern = _locked_concern(concern_id)
    answer = _answer_or_refuse(concern)
    set_answer_held(answer_id=answer.pk, held=True)
    concern_note = _decision_note(concern, user, ACTION_WITHHOLD, text)
    log(
        concern,
        LOG_WITHHOLD,
        user=user,
        data={"answer_id": answer.pk, "note_id": concern_note.pk},
    )
    return concern_note
