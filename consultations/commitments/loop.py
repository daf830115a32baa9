"""Closing the loop: for each closed consultation, were young people told what happened?

Reads only; the reminders that follow from them are in ``reminders.py``. The measures, and the
standards they come from, are explained in ``docs/reports.md`` ("Closing the loop"):

- **Results published on**: the consultation's ``results_published_at``, once that time has come
  (a date set in the future is not published yet).
- **Top themes**: the first ``TOP_THEMES`` themes of the consultation's themed summary, by the
  number of young people who raised them, as the Executive's report lists them. A consultation
  with fewer responses than the suppression threshold has no top themes here, as its report has
  none; only theme names leave this module, never counts.
- **Answered**: a top theme has at least one *published* commitment whose status is not “Not
  doing” (``ANSWERING_STATUSES``). A draft nobody can read yet has not told young people
  anything, so it does not count (``TopTheme.drafted`` says one is on its way); a reasoned “Not
  doing” is shown to young people but is not a commitment, so the theme still needs one.
  To count other statuses, change ``ANSWERING_STATUSES``.
- **Overdue**: an open commitment (“Planned” or “In progress”) whose due date has passed, by the
  rule of ``selectors.commitments_overdue`` (due today is not overdue yet).

Per partner (``partner_counts``): commitments made (every status), done, in progress, overdue,
and young people's “Does this answer what you said?” answers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import ConsultationPage, Response
from consultations.themes.models import Theme
from consultations.themes.services.summaries import cached_themed_summary

from .models import Commitment, CommitmentStatus, Partner
from .selectors import is_overdue
from .services import FeedbackCounts, feedback_counts

#: How many of a consultation's themes, biggest first, must each have a commitment.
TOP_THEMES = 5

#: A published commitment in one of these statuses answers its theme.
ANSWERING_STATUSES = (
    CommitmentStatus.PLANNED,
    CommitmentStatus.IN_PROGRESS,
    CommitmentStatus.DONE,
)


def top_theme_names(consultation: ConsultationPage) -> list[str]:
    """The consultation's top theme names, biggest first, as its report reads them: none when
    fewer young people answered than the suppression threshold or there is no codebook."""
    threshold = getattr(settings, "YOUTHVOICE_SUPPRESSION_THRESHOLD", 10)
    if Response.objects.filter(page=consultation).count() < threshold:
        return []
    summary = cached_themed_summary(consultation)
    if summary is None:
        return []
    return [t.theme for t in summary.themes if t.respondents][:TOP_THEMES]


@dataclass(frozen=True)
class TopTheme:
    name: str
    theme_id: int | None  # None only if the theme was renamed or removed since it was counted
    answered: bool
    drafted: bool = False  # an unpublished commitment would answer it


@dataclass
class ConsultationLoop:
    consultation: ConsultationPage
    results_published_on: date | None
    days_since_closing: int  # calendar days in the UK, so a change of the clocks does not count
    themes: list[TopTheme] = field(default_factory=list)
    overdue: list[Commitment] = field(default_factory=list)
    commitments: int = 0

    @property
    def closed_on(self) -> date:
        return timezone.localtime(self.consultation.closes_at).date()

    @property
    def weeks_since_closing(self) -> int:
        return self.days_since_closing // 7

    def closed_more_than(self, weeks: int) -> bool:
        """Closed more than ``weeks`` weeks ago (from the day after the 12th week, say): results
        and top themes are then late."""
        return self.days_since_closing > 7 * weeks

    @property
    def unanswered(self) -> list[TopTheme]:
        return [theme for theme in self.themes if not theme.answered]


def closed_consultations(*, now: datetime) -> list[ConsultationPage]:
    """Live consultations closed by ``now``, the most recently closed first."""
    return list(
        ConsultationPage.objects.live().filter(closes_at__lte=now).order_by("-closes_at", "pk")
    )


def loop_status(
    *,
    now: datetime | None = None,
    top_themes: Callable[[ConsultationPage], list[str]] | None = None,
) -> list[ConsultationLoop]:
    """How far each closed consultation's loop is closed (see the module docstring).

    ``top_themes`` gives a consultation's top theme names, biggest first; the default is
    :func:`top_theme_names`. The Executive dashboard passes the names from the report it has
    already built, so both agree and the summary is worked out once.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    top_themes = top_themes or top_theme_names
    pages = closed_consultations(now=now)
    by_page: dict[int, list[Commitment]] = {}
    for commitment in Commitment.objects.filter(consultation__in=pages).order_by("due_date", "pk"):
        by_page.setdefault(commitment.consultation_id, []).append(commitment)
    result = []
    for page in pages:
        mine = by_page.get(page.pk, [])
        names = list(top_themes(page))[:TOP_THEMES]
        ids = dict(
            Theme.objects.filter(codebook__consultation=page, name__in=names).values_list(
                "name", "pk"
            )
        )
        themes = []
        for name in names:
            theme_id = ids.get(name)
            answering = [
                c
                for c in mine
                if theme_id is not None
                and c.theme_id == theme_id
                and c.status in ANSWERING_STATUSES
            ]
            themes.append(
                TopTheme(
                    name=name,
                    theme_id=theme_id,
                    answered=any(c.published for c in answering),
                    drafted=any(not c.published for c in answering),
                )
            )
        published = page.results_published_at
        result.append(
            ConsultationLoop(
                consultation=page,
                results_published_on=timezone.localtime(published).date()
                if published is not None and published <= now
                else None,
                days_since_closing=(today - timezone.localtime(page.closes_at).date()).days,
                themes=themes,
                overdue=[c for c in mine if is_overdue(c, today=today)],
                commitments=len(mine),
            )
        )
    return result


# Per partner ------------------------------------------------------------------------------------


@dataclass
class PartnerCounts:
    partner: str  # the label, e.g. "Police"
    made: int = 0
    done: int = 0
    in_progress: int = 0
    overdue: int = 0
    feedback: FeedbackCounts = field(default_factory=FeedbackCounts)


@dataclass
class PartnerTable:
    rows: list[PartnerCounts]
    total: PartnerCounts


def partner_counts(commitments: Iterable[Commitment], *, today: date) -> PartnerTable:
    """Commitments made, done, in progress and overdue, and young people's feedback, for each
    partner (every partner listed, in ``Partner`` order, even with none) and in total."""
    commitments = list(commitments)
    feedback = feedback_counts(commitments)
    rows = {value: PartnerCounts(str(label)) for value, label in Partner.choices}
    total = PartnerCounts(_("Total"))
    for commitment in commitments:
        got = feedback.get(commitment.pk, FeedbackCounts())
        for row in (rows.get(commitment.partner), total):
            if row is None:  # a partner no longer offered: counted in the total only
                continue
            row.made += 1
            row.done += commitment.status == CommitmentStatus.DONE
            row.in_progress += commitment.status == CommitmentStatus.IN_PROGRESS
            row.overdue += is_overdue(commitment, today=today)
            row.feedback = FeedbackCounts(
                row.feedback.yes + got.yes,
                row.feedback.partly + got.partly,
                row.feedback.no + got.no,
            )
    return PartnerTable(rows=list(rows.values()), total=total)
