"""Reminders to close the loop: email Facilitators and Executive partners what is still open.

Three kinds of thing are reminded about (the measures are in ``loop.py``):

- a consultation that closed more than ``YOUTHVOICE_LOOP_REMINDER_WEEKS`` weeks ago (12 unless
  set) and whose results are not published to young people;
- a top theme of such a consultation with no published commitment: partners have the same weeks
  to answer before they are reminded;
- a commitment past its own due date and not done (whenever its consultation closed).

Each active Facilitator and Executive partner with an email address gets one email per run
listing what is due, each thing with a link to put it right. A thing is emailed once, then again
at most once every ``REMIND_AGAIN_AFTER`` (a week) while it stays open, however often the job
runs: ``LoopReminder`` rows record when. When a thing is put right its row is deleted, so it is
reminded at once if it comes back. Run ``manage.py send_loop_reminders`` once a day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from youthforum.accounts.roles import EXECUTIVE_PARTNERS, FACILITATORS

from .loop import ConsultationLoop, loop_status
from .models import Commitment, LoopReminder

#: Nothing is reminded about more often than this.
REMIND_AGAIN_AFTER = timedelta(weeks=1)

RESULTS = "results"
THEME = "theme"
OVERDUE = "overdue"

COMMITMENT_URLS = "wagtailsnippets_commitments_commitment"


def reminder_weeks() -> int:
    """``YOUTHVOICE_LOOP_REMINDER_WEEKS``: weeks after closing before results and top themes
    with no commitment are reminded about (12 unless set)."""
    return int(getattr(settings, "YOUTHVOICE_LOOP_REMINDER_WEEKS", 12))


@dataclass(frozen=True)
class LoopProblem:
    """One thing still open: ``key`` names it in ``LoopReminder``; ``line`` is its email line."""

    kind: str
    key: str
    consultation_id: int
    line: str


def _admin(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _day(value) -> str:
    return f"{value:%-d %B %Y}"


def _theme_key(loop: ConsultationLoop, theme) -> str:
    name = theme.theme_id or hashlib.sha256(theme.name.encode()).hexdigest()[:16]
    return f"{THEME}:{loop.consultation.pk}:{name}"


def _overdue_line(commitment: Commitment, title: str) -> str:
    return _(
        "“%(what)s” (%(partner)s, due %(due)s, %(status)s), for “%(title)s”. Update it or "
        "agree a new date: %(link)s"
    ) % {
        "what": Truncator(commitment.we_will).chars(120),
        "partner": commitment.get_partner_display(),
        "due": _day(commitment.due_date),
        "status": commitment.get_status_display().lower(),
        "title": title,
        "link": _admin(reverse(f"{COMMITMENT_URLS}:edit", args=[commitment.pk])),
    }


def loop_problems(*, now: datetime, loops: list[ConsultationLoop] | None = None):
    """Everything open that a reminder would list (whether or not it was sent lately)."""
    weeks = reminder_weeks()
    loops = loop_status(now=now) if loops is None else loops
    problems = []
    for loop in loops:
        page = loop.consultation
        late = loop.closed_more_than(weeks)
        if late and loop.results_published_on is None:
            problems.append(
                LoopProblem(
                    RESULTS,
                    f"{RESULTS}:{page.pk}",
                    page.pk,
                    _(
                        "“%(title)s” closed on %(closed)s, %(weeks)s weeks ago. Publish its "
                        "results to young people on the consultation page: %(link)s"
                    )
                    % {
                        "title": page.title,
                        "closed": _day(loop.closed_on),
                        "weeks": loop.weeks_since_closing,
                        "link": _admin(reverse("wagtailadmin_pages:edit", args=[page.pk])),
                    },
                )
            )
        if late:
            for theme in loop.unanswered:
                problems.append(
                    LoopProblem(
                        THEME,
                        _theme_key(loop, theme),
                        page.pk,
                        _(
                            "“%(theme)s”, a top theme of “%(title)s”, has no published "
                            "commitment%(drafted)s. Add one: %(link)s"
                        )
                        % {
                            "theme": theme.name,
                            "title": page.title,
                            "drafted": _(" (one is drafted but not published)")
                            if theme.drafted
                            else "",
                            "link": _admin(reverse(f"{COMMITMENT_URLS}:add")),
                        },
                    )
                )
        for commitment in loop.overdue:
            problems.append(
                LoopProblem(
                    OVERDUE,
                    f"{OVERDUE}:{commitment.pk}:{commitment.due_date.isoformat()}",
                    page.pk,
                    _overdue_line(commitment, page.title),
                )
            )
    return problems


def reminder_recipients() -> list[str]:
    """Email addresses of active Facilitators and Executive partners, each once."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name__in=[FACILITATORS, EXECUTIVE_PARTNERS])
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
        .order_by("email")
    )


HEADINGS = {
    RESULTS: gettext_lazy("Results not yet published to young people"),
    THEME: gettext_lazy("Top themes with no commitment"),
    OVERDUE: gettext_lazy("Commitments past their due date"),
}


def reminder_email(problems: list[LoopProblem]) -> tuple[str, str]:
    """The subject and plain-text body listing ``problems``."""
    subject = ngettext(
        "Closing the loop: %(n)s thing to follow up",
        "Closing the loop: %(n)s things to follow up",
        len(problems),
    ) % {"n": len(problems)}
    parts = [
        _(
            "Young people should hear what happened to what they told us. These consultations "
            "have not closed the loop yet."
        )
    ]
    for kind in (RESULTS, THEME, OVERDUE):
        lines = [f"- {p.line}" for p in problems if p.kind == kind]
        if lines:
            parts.append("\n".join([str(HEADINGS[kind]), *lines]))
    parts.append(
        _("See every consultation on the Executive dashboard: %(link)s")
        % {"link": _admin(reverse("reports_dashboard"))}
    )
    parts.append(
        _(
            "You get this email because you are a Facilitator or an Executive partner. We remind "
            "you about each thing at most once a week until it is put right."
        )
    )
    return subject, "\n\n".join(parts)


@dataclass
class ReminderReport:
    problems: list[LoopProblem] = field(default_factory=list)  # everything open
    sent: list[LoopProblem] = field(default_factory=list)  # emailed this time (or would be)
    recipients: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def no_one_to_tell(self) -> bool:
        return bool(self.sent) and not self.recipients

    def as_dict(self) -> dict:
        return {
            "open": len(self.problems),
            "sent": len(self.sent),
            "recipients": len(self.recipients),
            "dry_run": self.dry_run,
        }


def _claim(problem: LoopProblem, *, now: datetime) -> bool:
    """Record that ``problem`` is being sent now, unless it was sent within the week (or by
    another run just now)."""
    if LoopReminder.objects.filter(
        key=problem.key, last_sent_at__lte=now - REMIND_AGAIN_AFTER
    ).update(last_sent_at=now, consultation_id=problem.consultation_id):
        return True
    if LoopReminder.objects.filter(key=problem.key).exists():
        return False
    try:
        with transaction.atomic():
            LoopReminder.objects.create(
                key=problem.key, consultation_id=problem.consultation_id, last_sent_at=now
            )
    except IntegrityError:  # another run claimed it first
        return False
    return True


def send_loop_reminders(*, now: datetime | None = None, dry_run: bool = False) -> ReminderReport:
    """Email what is due (see the module docstring); ``dry_run`` sends and records nothing.

    The reminders are recorded in the same transaction as the email is sent: if sending fails,
    nothing is recorded and the next run tries again.
    """
    now = now or timezone.now()
    problems = loop_problems(now=now)
    report = ReminderReport(problems=problems, recipients=reminder_recipients(), dry_run=dry_run)
    if dry_run:
        report.sent = [p for p in problems if not _recent(p, now=now)]
        return report
    with transaction.atomic():
        LoopReminder.objects.exclude(key__in=[p.key for p in problems]).delete()
        if not report.recipients:
            report.sent = [p for p in problems if not _recent(p, now=now)]
            return report  # nothing recorded: sent as soon as someone can receive it
        report.sent = [p for p in problems if _claim(p, now=now)]
        if report.sent:
            subject, body = reminder_email(report.sent)
            send_mass_mail(
                [(subject, body, settings.DEFAULT_FROM_EMAIL, [to]) for to in report.recipients]
            )
    return report


def _recent(problem: LoopProblem, *, now: datetime) -> bool:
    return LoopReminder.objects.filter(
        key=problem.key, last_sent_at__gt=now - REMIND_AGAIN_AFTER
    ).exists()
