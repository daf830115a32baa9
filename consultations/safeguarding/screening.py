"""Safeguarding at submission: screen and redact each written answer, hold and report concerns.

Called by ``submit_response`` inside its transaction, so a concern exists whenever its answer
does. The leads' email goes after the commit, within the same request: a disclosure reaches a
Safeguarding lead "within the request", and a failure to send mail never loses the answer. Each
concern is given its deadline (``due_at``) here; an urgent one raised out of hours is emailed to
the on-call address too (``YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL``).
"""

import logging
from dataclasses import asdict, dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import send_mass_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import Site

from consultations.analysis.redaction import RedactionLists, redact
from consultations.analysis.safeguarding import screen
from consultations.models import Answer, RedactionSettings, Response
from consultations.safeguarding.models import SafeguardingConcern, Severity
from youthforum.accounts.roles import SAFEGUARDING_LEADS
from youthforum.core.models import SiteSettings

from .deadlines import due_by, is_out_of_hours

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
    """Create a concern for each flagged answer and email the leads once the save commits.

    Each concern gets its deadline (``due_at``) now: by the clock when urgent, in working time
    otherwise (``deadlines.due_by``).
    """
    raised_at = timezone.now()
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
    for concern in concerns:
        concern.due_at = _deadline(raised_at, concern.severity)
    if concerns:
        SafeguardingConcern.objects.bulk_create(concerns)
        ids = [c.pk for c in concerns]
        transaction.on_commit(lambda: notify_leads(concern_ids=ids))
    return concerns


def _deadline(raised_at: datetime, severity: str) -> datetime:
    """The concern's deadline; never lets a settings mistake lose a young person's answer."""
    try:
        return due_by(raised_at, severity)
    except ImproperlyConfigured:
        logger.exception("The safeguarding deadline settings are wrong; the concern is due now.")
        return raised_at


def lead_emails() -> list[str]:
    """The addresses of every active Safeguarding lead."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=SAFEGUARDING_LEADS)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def on_call_email() -> str:
    """``YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL``: who hears of urgent concerns out of hours."""
    return (getattr(settings, "YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL", "") or "").strip()


def raised_out_of_hours(concern: SafeguardingConcern) -> bool:
    """An urgent concern raised in an evening, at a weekend or on a bank holiday."""
    if concern.severity != Severity.URGENT:
        return False
    try:
        return is_out_of_hours(concern.created_at)
    except ImproperlyConfigured:
        logger.exception("The working hours settings are wrong; treating it as out of hours.")
        return True


def out_of_hours_contact() -> tuple[str, str]:
    """The partnership's out-of-hours service (name, phone) from the default site's settings."""
    try:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return "", ""
        site_settings = SiteSettings.for_site(site)
    except Exception:  # noqa: BLE001 - the email matters more than the phone number in it
        logger.exception("Could not read the out-of-hours contact from the site settings.")
        return "", ""
    return site_settings.out_of_hours_name.strip(), site_settings.out_of_hours_phone.strip()


def local_time(value: datetime) -> str:
    return date_format(timezone.localtime(value), "l j F Y, H:i")


def with_address(addresses: list[str], extra: str) -> list[str]:
    if not extra or extra.lower() in {a.lower() for a in addresses}:
        return list(addresses)
    return [*addresses, extra]


def notify_leads(*, concern_ids: list[int]) -> int:
    """Email every active Safeguarding lead about these concerns: which consultation, a link.

    An urgent concern raised out of hours goes to ``YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL`` as
    well, in the same email, which says so and gives the out-of-hours contact. Never the answer
    text: email leaves our systems. Returns the number of emails sent.
    """
    leads = lead_emails()
    on_call = on_call_email()
    if not leads:
        logger.error(
            "A safeguarding concern was raised but there is no Safeguarding lead to email."
        )
    concerns = SafeguardingConcern.objects.filter(pk__in=concern_ids).select_related("consultation")
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    messages = []
    for concern in concerns:
        out_of_hours = raised_out_of_hours(concern)
        recipients = with_address(leads, on_call) if out_of_hours else leads
        if not recipients:
            continue
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
        ) % {"title": title, "urgent": _(" as urgent") if urgent else "", "link": link}
        if urgent and concern.due_at:
            body += _("It is due by %(due)s, by the clock.\n\n") % {
                "due": local_time(concern.due_at)
            }
        if out_of_hours:
            body += _out_of_hours_paragraph(on_call_copied=bool(on_call))
        body += _(
            "The answer is held back from reports and downloads until you release it.\n"
            "This email does not contain the answer, on purpose."
        )
        messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, recipients))
    if not messages:
        return 0
    try:
        return send_mass_mail(messages, fail_silently=False)
    except Exception:  # noqa: BLE001 - the concern is saved and shown in the queue regardless
        logger.exception(
            "Could not email the Safeguarding leads about %s concern(s).", len(messages)
        )
        return 0


def _out_of_hours_paragraph(*, on_call_copied: bool) -> str:
    text = _(
        "OUT OF HOURS: this urgent concern was raised outside working hours (an evening, a "
        "weekend or a bank holiday)."
    )
    if on_call_copied:
        text += " " + _("This email has also gone to the on-call address.")
    name, phone = out_of_hours_contact()
    if phone:
        text += " " + _(
            "If someone may be in danger and no Safeguarding lead can act now, call "
            "%(name)s on %(phone)s."
        ) % {"name": name or _("the out-of-hours service"), "phone": phone}
    return text + "\n\n"
