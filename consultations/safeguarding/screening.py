"""Safeguarding at submission: screen and redact each written answer, hold and report concerns.

Called by ``submit_response`` inside its transaction, so a concern exists whenever its answer
does. The leads' email goes after the commit, within the same request: a disclosure reaches a
Safeguarding lead "within the request", and a failure to send mail never loses the answer.
"""

import logging
from dataclasses import asdict, dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from consultations.analysis.redaction import RedactionLists, redact
from consultations.analysis.safeguarding import screen
from consultations.models import Answer, RedactionSettings, Response
from consultations.safeguarding.models import SafeguardingConcern, Severity
from youthforum.accounts.roles import SAFEGUARDING_LEADS

logger = logging.getLogger(__name__)


@dataclass
class Checked:
    """What the screen and redaction made of one answer's words."""

    redacted_text: str
    flagged: bool
    severity: str | None
    categories: list[str]
    spans: list[dict]
    screening_failed: bool = False


def redaction_lists() -> RedactionLists:
    lists = RedactionSettings.cached().as_lists()
    return RedactionLists(
        schools=tuple(lists["schools"]),
        staff_names=tuple(lists["staff_names"]),
        places=tuple(lists["places"]),
    )


def check_text(text: str, *, lists: RedactionLists | None = None) -> Checked:
    """Screen and redact one answer. Never raises: a failure holds the answer for review."""
    try:
        redacted = redact(text, extra=lists).text
    except Exception:  # noqa: BLE001 - nothing unredacted may leave; hold it instead
        logger.exception("Redaction failed for an answer; it is held for review.")
        redacted = ""
        redaction_failed = True
    else:
        redaction_failed = False
    try:
        result = screen(text)
    except Exception:  # noqa: BLE001 - the answer must still be saved and reach a lead
        logger.exception("The safeguarding screen failed for an answer; it is held for review.")
        return Checked(redacted, True, Severity.CONCERN, [], [], screening_failed=True)
    if redaction_failed:
        return Checked(
            redacted,
            True,
            result.severity or Severity.CONCERN,
            list(result.categories),
            [_span(s) for s in result.spans],
            screening_failed=True,
        )
    return Checked(
        redacted,
        result.flagged,
        result.severity,
        list(result.categories),
        [_span(s) for s in result.spans],
    )


def _span(span) -> dict:
    try:
        return asdict(span)
    except TypeError:
        return dict(span)


def concerns_create(
    *, response: Response, answers: list[Answer], checks: dict[int, Checked]
) -> list:
    """Create a concern for each flagged answer and email the leads once the save commits."""
    concerns = [
        SafeguardingConcern(
            consultation_id=response.page_id,
            response=response,
            answer=answer,
            respondent=response.user,
            severity=checks[id(answer)].severity or Severity.CONCERN,
            categories=checks[id(answer)].categories,
            spans=checks[id(answer)].spans,
            screening_failed=checks[id(answer)].screening_failed,
        )
        for answer in answers
        if checks[id(answer)].flagged
    ]
    if concerns:
        SafeguardingConcern.objects.bulk_create(concerns)
        ids = [c.pk for c in concerns]
        transaction.on_commit(lambda: notify_leads(concern_ids=ids))
    return concerns


def notify_leads(*, concern_ids: list[int]) -> int:
    """Email every active Safeguarding lead about these concerns: which consultation, a link.

    Never the answer text: email leaves our systems. Returns the number of emails sent.
    """
    leads = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=SAFEGUARDING_LEADS)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not leads:
        logger.error(
            "A safeguarding concern was raised but there is no Safeguarding lead to email."
        )
        return 0
    concerns = SafeguardingConcern.objects.filter(pk__in=concern_ids).select_related("consultation")
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    messages = []
    for concern in concerns:
        title = concern.consultation.title if concern.consultation else _("a consultation")
        urgent = concern.severity == Severity.URGENT
        subject = (
            _("URGENT safeguarding concern: %(title)s")
            if urgent
            else _("Safeguarding concern: %(title)s")
        ) % {"title": title}
        link = base + reverse("safeguarding:detail", args=[concern.pk])
        body = _(
            "An answer to “%(title)s” has been flagged by the safeguarding screen%(urgent)s.\n\n"
            "Read it and record what you do in the safeguarding queue:\n%(link)s\n\n"
            "The answer is held back from reports and downloads until you release it.\n"
            "This email does not contain the answer, on purpose."
        ) % {"title": title, "urgent": _(" as urgent") if urgent else "", "link": link}
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, leads))
    try:
        return send_mass_mail(messages, fail_silently=False)
    except Exception:  # noqa: BLE001 - the concern is saved and shown in the queue regardless
        logger.exception(
            "Could not email the Safeguarding leads about %s concern(s).", len(messages)
        )
        return 0
