"""Write paths of the safeguarding queue: what a Safeguarding lead does to a concern.

Every action writes a ``ConcernNote`` (the lead's words, shown on the concern, with what changed
in ``changes`` as ``{field: [before, after]}``) and an entry in Wagtail's audit log (who, what,
when; shown on the concern and in Reports › Site history), in one transaction with the change
itself. A note is required for every action. The audit log entry never copies the note or the
answer: it records what changed and points at the note. A lead's first action on a concern
acknowledges it (``acknowledgement.acknowledge``), which stops the clock on escalation.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from consultations.models import Answer
from consultations.safeguarding.models import (
    CLOSED_STATUSES,
    ConcernNote,
    ConcernStatus,
    SafeguardingConcern,
    Severity,
)
from consultations.services import raw_answers
from consultations.services.terms import set_answer_held

from . import deadlines
from .display import category_names

logger = logging.getLogger(__name__)

REVIEW_PERMISSION = "safeguarding.review_safeguarding"

LOG_VIEW = "consultations.concern.view"
LOG_VIEW_RESPONSE = "consultations.concern.view_response"
LOG_STATUS = "consultations.concern.status"
LOG_NOTE = "consultations.concern.note"
LOG_RELEASE = "consultations.concern.release"
LOG_WITHHOLD = "consultations.concern.withhold"
LOG_SEVERITY = "consultations.concern.severity"
LOG_CATEGORY = "consultations.concern.category"
LOG_ASSIGN = "consultations.concern.assign"

ACTION_STATUS = "status"
ACTION_NOTE = "note"
ACTION_RELEASE = "release"
ACTION_WITHHOLD = "withhold"
ACTION_SEVERITY = "severity"
ACTION_CATEGORY = "category"
ACTION_ASSIGN = "assign"


class ConcernActionRefused(Exception):
    """The action was not taken; ``str(error)`` says why, in words a lead can act on."""


def safeguarding_leads() -> QuerySet:
    """The people a concern may be assigned to: active, with the queue's permission.

    Members of the Safeguarding leads group and anyone given the permission directly, and
    superusers (who have every permission). Ordered by name, for the assign form's list.
    """
    return (
        get_user_model()
        .objects.with_perm(
            REVIEW_PERMISSION,
            is_active=True,
            include_superusers=True,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .order_by("first_name", "last_name", "email", "pk")
    )


def _locked_concern(concern_id: int) -> SafeguardingConcern:
    # No select_related: PostgreSQL cannot lock the nullable side of an outer join.
    return SafeguardingConcern.objects.select_for_update().get(pk=concern_id)


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ConcernActionRefused(_("Write a note saying what you did and why."))
    return note


def _acknowledge(concern: SafeguardingConcern, user) -> None:
    """A lead acted on the concern: the first time, it is acknowledged (once, by them)."""
    # Imported here: acknowledgement reads selectors, which read this module's action names.
    from .acknowledgement import acknowledge

    acknowledge(concern, user)


def _note(concern: SafeguardingConcern, user, action: str, text: str, changes=None):
    return ConcernNote.objects.create(
        concern=concern,
        author=user,
        from_status=concern.status,
        to_status=concern.status,
        action=action,
        changes=changes or {},
        text=text,
    )


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


def concern_response_view_record(
    *, concern: SafeguardingConcern, user, read_as_written: dict[int, SafeguardingConcern]
) -> None:
    """Record that ``user`` opened the whole response of ``concern``, and what they read.

    One entry on the concern for the opening (with the ids of the answers shown as written),
    and, as for every reading, a "Read an answer as written" entry on the concern of each
    answer shown as written (``read_as_written``: answer id to its concern).
    """
    for answer_concern in read_as_written.values():
        raw_answers.raw_answer_read_record(
            concern=answer_concern, user=user, where=raw_answers.WHERE_RESPONSE
        )
    log(
        concern,
        LOG_VIEW_RESPONSE,
        user=user,
        data={"response_id": concern.response_id, "as_written": sorted(read_as_written)},
    )


# Status ---------------------------------------------------------------------------------------


def was_referred(concern: SafeguardingConcern) -> bool:
    """Whether the concern went to someone else (so closing it needs the outcome)."""
    return concern.status == ConcernStatus.REFERRED or bool(concern.referred_to)


def _referral_changes(
    concern: SafeguardingConcern, *, to_status: str, referred_to: str, referred_on, outcome: str
) -> dict:
    """The referral and outcome fields to set, as ``{field: [before, after]}``; refuses gaps."""
    moving = to_status != concern.status
    if moving and to_status == ConcernStatus.REFERRED and not (referred_to and referred_on):
        raise ConcernActionRefused(
            _("Say who it was referred to and on what date before you mark it Referred.")
        )
    if moving and to_status in CLOSED_STATUSES and was_referred(concern) and not outcome:
        raise ConcernActionRefused(
            _("Say what happened after the referral (the outcome) before you close the concern.")
        )
    changes = {}
    for field, value in (
        ("referred_to", referred_to),
        ("referred_on", referred_on),
        ("outcome", outcome),
    ):
        before = getattr(concern, field)
        if value and value != before:
            changes[field] = [before, value]
    return changes


def _as_json(changes: dict) -> dict:
    return {
        field: [v.isoformat() if hasattr(v, "isoformat") else v for v in values]
        for field, values in changes.items()
    }


@transaction.atomic
def concern_status_change(
    *,
    concern_id: int,
    user,
    to_status: str,
    note: str,
    expected_status: str | None = None,
    referred_to: str = "",
    referred_on=None,
    outcome: str = "",
    false_alarm: bool = False,
) -> ConcernNote:
    """Move a concern to ``to_status`` with the lead's note.

    Any move is allowed (a lead may reopen a closed concern, or correct a mistake); each is
    recorded. Choosing the current status adds a note without changing anything else.
    ``expected_status`` is the status the lead saw: if someone else changed it meanwhile the
    change is refused, so neither lead's decision is lost without being read.

    Moving to Referred needs ``referred_to`` and ``referred_on``; closing a concern that was
    referred needs ``outcome``. ``false_alarm`` (only with No further action) marks the answer
    as not a disclosure, for teaching the screen (``train_screen_check``).
    """
    text = _clean_note(note)
    if to_status not in ConcernStatus.values:
        raise ConcernActionRefused(_("Choose one of the statuses listed."))
    if false_alarm and to_status != ConcernStatus.NO_FURTHER_ACTION:
        raise ConcernActionRefused(
            _("Only a concern closed with No further action can be a false alarm.")
        )
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
    changes = _referral_changes(
        concern,
        to_status=to_status,
        referred_to=(referred_to or "").strip(),
        referred_on=referred_on,
        outcome=(outcome or "").strip(),
    )
    action = ACTION_NOTE if to_status == from_status else ACTION_STATUS
    fields = list(changes)
    for field, (_before, after) in changes.items():
        setattr(concern, field, after)
    if action == ACTION_STATUS:
        concern.status = to_status
        fields.append("status")
        changes = {"status": [from_status, to_status], **changes}
    if fields:
        concern.save(update_fields=[*fields, "updated_at"])
    if false_alarm:
        changes["false_alarm"] = [False, True]
    concern_note = ConcernNote.objects.create(
        concern=concern,
        author=user,
        from_status=from_status,
        to_status=to_status,
        action=action,
        changes=_as_json(changes),
        text=text,
    )
    data = {"from_status": from_status, "to_status": to_status, "note_id": concern_note.pk}
    also = sorted(set(changes) - {"status"})
    if also:
        data["changed"] = also
    log(concern, LOG_STATUS if action == ACTION_STATUS else LOG_NOTE, user=user, data=data)
    _acknowledge(concern, user)
    return concern_note


# Severity, categories, assignment -------------------------------------------------------------


@transaction.atomic
def concern_severity_change(*, concern_id: int, user, severity: str, note: str) -> ConcernNote:
    """Make the concern urgent, or not, and work its deadline out again from when it was raised."""
    text = _clean_note(note)
    if severity not in Severity.values:
        raise ConcernActionRefused(_("Choose Urgent or Concern."))
    concern = _locked_concern(concern_id)
    before = concern.severity
    if severity == before:
        raise ConcernActionRefused(
            _("It is already “%(severity)s”.") % {"severity": concern.get_severity_display()}
        )
    due_before = concern.due_at
    concern.severity = severity
    concern.due_at = deadlines.due_by(concern.created_at, severity)
    concern.save(update_fields=["severity", "due_at", "updated_at"])
    concern_note = _note(
        concern, user, ACTION_SEVERITY, text, changes={"severity": [before, severity]}
    )
    log(
        concern,
        LOG_SEVERITY,
        user=user,
        data={
            "severity": [before, severity],
            "due_at": [
                due_before.isoformat() if due_before else None,
                concern.due_at.isoformat(),
            ],
            "note_id": concern_note.pk,
        },
    )
    _acknowledge(concern, user)
    return concern_note


@transaction.atomic
def concern_categories_change(
    *, concern_id: int, user, categories: list[str], note: str
) -> ConcernNote:
    """Set the concern's categories to ``categories`` (the screen's machine names, one or more).

    What the screen matched (``spans``) is kept as it was: the page shows both.
    """
    text = _clean_note(note)
    known = category_names()
    unknown = [name for name in categories if name not in known]
    if unknown:
        raise ConcernActionRefused(
            _("“%(name)s” is not one of the categories listed. Choose from the list.")
            % {"name": unknown[0]}
        )
    chosen = [name for name in known if name in set(categories)]
    if not chosen:
        raise ConcernActionRefused(_("Choose at least one category."))
    concern = _locked_concern(concern_id)
    before = list(concern.categories or [])
    if set(chosen) == set(before):
        raise ConcernActionRefused(_("These are already its categories."))
    concern.categories = chosen
    concern.save(update_fields=["categories", "updated_at"])
    concern_note = _note(
        concern, user, ACTION_CATEGORY, text, changes={"categories": [before, chosen]}
    )
    log(
        concern,
        LOG_CATEGORY,
        user=user,
        data={"categories": [before, chosen], "note_id": concern_note.pk},
    )
    _acknowledge(concern, user)
    return concern_note


@transaction.atomic
def concern_assign(*, concern_id: int, user, assignee_id: int, note: str) -> ConcernNote:
    """Give the concern to a Safeguarding lead, and email them a link once it is saved.

    Refused for anyone who may not see the queue (``safeguarding_leads``): the email would lead
    them to a page they cannot open.
    """
    text = _clean_note(note)
    assignee = safeguarding_leads().filter(pk=assignee_id).first()
    if assignee is None:
        raise ConcernActionRefused(
            _(
                "That person is not a Safeguarding lead, so the concern cannot be assigned to "
                "them. Choose someone from the list."
            )
        )
    concern = _locked_concern(concern_id)
    before = concern.assigned_to_id
    if before == assignee.pk:
        raise ConcernActionRefused(_("It is already assigned to them."))
    concern.assigned_to = assignee
    concern.save(update_fields=["assigned_to", "updated_at"])
    concern_note = _note(
        concern, user, ACTION_ASSIGN, text, changes={"assigned_to": [before, assignee.pk]}
    )
    log(
        concern,
        LOG_ASSIGN,
        user=user,
        data={"assigned_to": [before, assignee.pk], "note_id": concern_note.pk},
    )
    _acknowledge(concern, user)
    if assignee.pk != getattr(user, "pk", None):
        transaction.on_commit(
            lambda: assignment_notify(concern_id=concern.pk, assignee_id=assignee.pk, by=user)
        )
    return concern_note


def _name(user) -> str:
    if user is None:
        return _("Someone")
    return user.get_full_name() or user.email or str(user)


def assignment_notify(*, concern_id: int, assignee_id: int, by) -> bool:
    """Email the lead a concern was assigned to: which consultation, who assigned it, a link.

    Never the answer, nor the note: email leaves our systems, and notes often quote the answer.
    Returns whether the email was sent; a failure is logged, the assignment stands.
    """
    assignee = get_user_model().objects.filter(pk=assignee_id).first()
    concern = (
        SafeguardingConcern.objects.select_related("consultation").filter(pk=concern_id).first()
    )
    if assignee is None or concern is None:
        return False
    if not assignee.email:
        logger.error("Concern %s was assigned to a lead with no email address.", concern_id)
        return False
    title = concern.consultation.title if concern.consultation else _("a consultation")
    urgent = concern.severity == Severity.URGENT
    subject = (
        _("URGENT safeguarding concern assigned to you: %(title)s")
        if urgent
        else _("Safeguarding concern assigned to you: %(title)s")
    ) % {"title": title}
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "safeguarding:detail", args=[concern.pk]
    )
    body = _(
        "%(who)s has assigned you a safeguarding concern%(urgent)s about an answer to "
        "“%(title)s”.\n\n"
        "Read it, and their note, in the safeguarding queue:\n%(link)s\n\n"
        "This email does not contain the answer or the note, on purpose."
    ) % {
        "who": _name(by),
        "urgent": _(" (urgent)") if urgent else "",
        "title": title,
        "link": link,
    }
    try:
        return bool(send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [assignee.email]))
    except Exception:  # noqa: BLE001 - the assignment is saved and shown in the queue regardless
        logger.exception("Could not email the lead assigned to concern %s.", concern_id)
        return False


# The answer -----------------------------------------------------------------------------------


def _answer_or_refuse(concern: SafeguardingConcern) -> Answer:
    if concern.answer is None:
        raise ConcernActionRefused(
            _("The answer this concern was about has been deleted, so there is nothing to decide.")
        )
    return concern.answer


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
    concern_note = _note(concern, user, ACTION_RELEASE, text)
    log(
        concern,
        LOG_RELEASE,
        user=user,
        data={"answer_id": answer.pk, "note_id": concern_note.pk},
    )
    _acknowledge(concern, user)
    return concern_note


@transaction.atomic
def concern_answer_withhold(*, concern_id: int, user, note: str) -> ConcernNote:
    """Withhold the answer for good: it stays held (or is held again) and never reaches outputs."""
    text = _clean_note(note)
    concern = _locked_concern(concern_id)
    answer = _answer_or_refuse(concern)
    set_answer_held(answer_id=answer.pk, held=True)
    concern_note = _note(concern, user, ACTION_WITHHOLD, text)
    log(
        concern,
        LOG_WITHHOLD,
        user=user,
        data={"answer_id": answer.pk, "note_id": concern_note.pk},
    )
    _acknowledge(concern, user)
    return concern_note
