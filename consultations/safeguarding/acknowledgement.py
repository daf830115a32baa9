"""Acknowledging a concern, and escalating an urgent one that nobody acknowledged in time.

A lead acknowledges a concern by first acting on it (``acknowledge``, called by the lead's
actions). An urgent concern still unacknowledged when it is due (``due_at``, by the clock) is
escalated once: emailed to ``YOUTHVOICE_SAFEGUARDING_ESCALATION_EMAIL`` (or, when that is blank,
to every Safeguarding lead and the on-call address), marked ``escalated_at`` and written to
Wagtail's audit log. ``escalate_overdue_concerns`` does it; run it every 5 minutes, day and
night, with ``manage.py escalate_overdue_concerns`` from cron or a systemd timer, or enqueue
``tasks.escalate_overdue_concerns_task``.

Both are conditional updates (``... WHERE acknowledged_at IS NULL``, ``... WHERE escalated_at IS
NULL``), so two leads acting at once, or two escalation runs at once, each take effect once.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from consultations.safeguarding.models import OPEN_STATUSES, SafeguardingConcern, Severity

from .screening import (
    lead_emails,
    local_time,
    on_call_email,
    out_of_hours_contact,
    with_address,
)
from .selectors import overdue_concerns

logger = logging.getLogger(__name__)

LOG_ESCALATE = "consultations.concern.escalate"


def acknowledge(concern: SafeguardingConcern, user) -> bool:
    """Record that ``user`` acknowledged ``concern``, unless someone already has.

    Call it when a lead first acts on a concern. Only the first acknowledgement counts (a
    conditional update, safe when two leads act at once); returns whether this one did. The
    concern passed in is left holding whoever acknowledged it first.
    """
    now = timezone.now()
    won = SafeguardingConcern.objects.filter(pk=concern.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=user
    )
    if won:
        concern.acknowledged_at, concern.acknowledged_by = now, user
    else:
        concern.refresh_from_db(fields=["acknowledged_at", "acknowledged_by"])
    return bool(won)


def escalation_recipients() -> list[str]:
    """``YOUTHVOICE_SAFEGUARDING_ESCALATION_EMAIL``, or every lead and the on-call address."""
    escalation = (getattr(settings, "YOUTHVOICE_SAFEGUARDING_ESCALATION_EMAIL", "") or "").strip()
    if escalation:
        return [escalation]
    return with_address(lead_emails(), on_call_email())


def escalation_due(*, now: datetime):
    """Open urgent concerns past their deadline, not acknowledged and not yet escalated."""
    return overdue_concerns(now=now).filter(
        severity=Severity.URGENT, acknowledged_at__isnull=True, escalated_at__isnull=True
    )


@dataclass
class EscalationReport:
    escalated: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    no_one_to_tell: bool = False

    def as_dict(self) -> dict:
        return {
            "escalated": len(self.escalated),
            "failed": len(self.failed),
            "no_one_to_tell": self.no_one_to_tell,
        }


def escalate_overdue_concerns(*, now: datetime | None = None) -> EscalationReport:
    """Escalate each urgent concern nobody acknowledged by its deadline, once.

    Each concern is claimed with ``UPDATE ... WHERE escalated_at IS NULL`` and emailed inside
    the same transaction: a second run at the same moment waits for the first and then finds
    nothing to claim, and an email that cannot be sent undoes the claim, so the next run tries
    again. The email never contains the answer.
    """
    now = now or timezone.now()
    report = EscalationReport()
    due = list(escalation_due(now=now).select_related("consultation").order_by("due_at", "pk"))
    if not due:
        return report
    recipients = escalation_recipients()
    if not recipients:
        logger.error(
            "%s urgent safeguarding concern(s) are overdue and unacknowledged, but there is no "
            "escalation address, Safeguarding lead or on-call address to tell.",
            len(due),
        )
        report.no_one_to_tell = True
        report.failed = [concern.pk for concern in due]
        return report
    for concern in due:
        try:
            with transaction.atomic():
                claimed = SafeguardingConcern.objects.filter(
                    pk=concern.pk,
                    status__in=OPEN_STATUSES,
                    acknowledged_at__isnull=True,
                    escalated_at__isnull=True,
                ).update(escalated_at=now)
                if not claimed:
                    continue  # acknowledged, closed or escalated meanwhile
                concern.escalated_at = now
                log(
                    concern,
                    LOG_ESCALATE,
                    data={
                        "due_at": concern.due_at.isoformat() if concern.due_at else None,
                        "recipients": len(recipients),
                    },
                )
                send_mail(*_escalation_email(concern), settings.DEFAULT_FROM_EMAIL, recipients)
        except Exception:  # noqa: BLE001 - one failure must not stop the others being escalated
            logger.exception("Could not escalate safeguarding concern #%s.", concern.pk)
            report.failed.append(concern.pk)
        else:
            report.escalated.append(concern.pk)
    return report


def _escalation_email(concern: SafeguardingConcern) -> tuple[str, str]:
    title = concern.consultation.title if concern.consultation else _("a consultation")
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "safeguarding:detail", args=[concern.pk]
    )
    subject = _("OVERDUE and not acknowledged: urgent safeguarding concern: %(title)s") % {
        "title": title
    }
    body = _(
        "An urgent safeguarding concern about an answer to “%(title)s” was raised on "
        "%(raised)s and was due by %(due)s. No Safeguarding lead has acknowledged it yet.\n\n"
        "Make sure someone deals with it now. Open it in the safeguarding queue:\n%(link)s\n\n"
    ) % {
        "title": title,
        "raised": local_time(concern.created_at),
        "due": local_time(concern.due_at or concern.created_at),
        "link": link,
    }
    name, phone = out_of_hours_contact()
    if phone:
        body += _(
            "If no Safeguarding lead can act now and someone may be in danger, call %(name)s on "
            "%(phone)s.\n\n"
        ) % {"name": name or _("the out-of-hours service"), "phone": phone}
    body += _(
        "You are getting this because it was not acknowledged in time. "
        "This email does not contain the answer, on purpose."
    )
    return subject, body
