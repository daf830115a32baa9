"""Year in review: a year's consultations, responses, themes and promises, for the annual report.

Years are the partnership's financial years, 1 April to 31 March, labelled like "2025-26" (its
annual reports are for such years). A consultation belongs to a year when it was open at any time
in it; its responses are counted when they were given in that year.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time
from io import BytesIO

from django.db.models import Count, Min, Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from consultations.commitments.loop import PartnerTable, partner_counts
from consultations.commitments.models import Commitment, CommitmentStatus
from consultations.commitments.services import FeedbackCounts, feedback_counts
from consultations.models import ConsultationPage, Response
from consultations.raw_downloads import neutralise_formula

from .report import build_report

LABEL = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Year:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        return f"{self.start.year}-{(self.start.year + 1) % 100:02d}"

    @property
    def title(self) -> str:
        return f"April {self.start.year} to March {self.end.year}"

    @classmethod
    def parse(cls, label: str) -> Year | None:
        match = LABEL.match(label)
        if not match:
            return None
        first = int(match.group(1))
        if int(match.group(2)) != (first + 1) % 100 or not 2000 <= first <= 2100:
            return None
        return cls.starting(first)

    @classmethod
    def starting(cls, year: int) -> Year:
        return cls(date(year, 4, 1), date(year + 1, 3, 31))

    @classmethod
    def containing(cls, day: date) -> Year:
        return cls.starting(day.year if day.month >= 4 else day.year - 1)


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


def years_with_consultations() -> list[Year]:
    """Every year from the first consultation's to this one, newest first."""
    first = ConsultationPage.objects.live().aggregate(first=Min("opens_at"))["first"]
    this = Year.containing(timezone.localdate())
    if first is None:
        return [this]
    start = Year.containing(timezone.localtime(first).date()).start.year
    return [Year.starting(y) for y in range(this.start.year, start - 1, -1)]


@dataclass
class ConsultationYear:
    consultation: ConsultationPage
    responses: int
    themes: list = field(default_factory=list)  # ThemeSummary, top three
    commitments: list[Commitment] = field(default_factory=list)


@dataclass
class YearReview:
    year: Year
    consultations: list[ConsultationYear]
    responses: int
    statuses: list[tuple[str, int]]
    feedback: FeedbackCounts
    #: Per partner: made, done, in progress, overdue (as of today) and young people's feedback.
    partners: PartnerTable | None = None


def year_in_review(year: Year) -> YearReview:
    start, end = _aware(year.start, time.min), _aware(year.end, time.max)
    pages = list(
        ConsultationPage.objects.live()
        .filter(opens_at__lte=end, closes_at__gte=start)
        .annotate(
            in_year=Count(
                "responses",
                filter=Q(responses__submitted_at__gte=start, responses__submitted_at__lte=end),
            )
        )
        .order_by("opens_at", "title")
    )
    commitments = list(
        Commitment.objects.filter(consultation__in=pages)
        .select_related("theme")
        .prefetch_related("updates")
        .order_by("due_date", "pk")
    )
    by_page: dict[int, list[Commitment]] = {}
    for commitment in commitments:
        by_page.setdefault(commitment.consultation_id, []).append(commitment)
    rows = []
    for page in pages:
        report = build_report(page)
        summary = None if report.too_small else report.themes
        top = [t for t in summary.themes if t.respondents][:3] if summary else []
        rows.append(ConsultationYear(page, page.in_year, top, by_page.get(page.pk, [])))
    counts = Counter(c.status for c in commitments)
    feedback = FeedbackCounts()
    for got in feedback_counts(commitments).values():
        feedback = FeedbackCounts(
            feedback.yes + got.yes, feedback.partly + got.partly, feedback.no + got.no
        )
    return YearReview(
        year=year,
        consultations=rows,
        responses=Response.objects.filter(
            page__in=pages, submitted_at__gte=start, submitted_at__lte=end
        ).count(),
        statuses=[(label, counts.get(value, 0)) for value, label in CommitmentStatus.choices],
        feedback=feedback,
        partners=partner_counts(commitments, today=timezone.localdate()),
    )


def year_xlsx(review: YearReview) -> bytes:
    """The year as a workbook: Summary, Consultations, Commitments, Partners."""

    book = Workbook()
    bold = Font(bold=True)

    def sheet(title, header, rows, widths):
        ws = book.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        for row in rows:
            ws.append([neutralise_formula(v) for v in row])
        for column, width in zip("ABCDEFGHIJ", widths, strict=False):
            ws.column_dimensions[column].width = width
        ws.freeze_panes = "A2"
        return ws

    book.remove(book.active)
    sheet(
        "Summary",
        ["Year in review", review.year.title],
        [
            ["Consultations", len(review.consultations)],
            ["Responses given in the year", review.responses],
            *[[f"Promises: {label.lower()}", n] for label, n in review.statuses],
            ["Feedback: yes, it answers what we said", review.feedback.yes],
            ["Feedback: partly", review.feedback.partly],
            ["Feedback: no", review.feedback.no],
        ],
        [40, 30],
    )
    sheet(
        "Consultations",
        ["Consultation", "Opened", "Closed", "Responses in the year", "Top themes", "Promises"],
        [
            [
                row.consultation.title,
                timezone.localtime(row.consultation.opens_at).date(),
                timezone.localtime(row.consultation.closes_at).date(),
                row.responses,
                "; ".join(f"{t.theme} ({t.share:.0%})" for t in row.themes),
                len(row.commitments),
            ]
            for row in review.consultations
        ],
        [40, 12, 12, 12, 60, 10],
    )
    sheet(
        "Commitments",
        [
            "Consultation",
            "Theme",
            "You said",
            "What will be done",
            "Partner",
            "Lead",
            "Due",
            "Status",
            "Reason",
            "Latest progress",
        ],
        [
            [
                row.consultation.title,
                c.theme.name if c.theme else "",
                c.you_said,
                c.we_will,
                c.get_partner_display(),
                c.lead,
                c.due_date,
                c.get_status_display(),
                c.reason,
                (lambda u: f"{u.date:%-d %B %Y}: {u.text}" if u else "")(
                    max(c.updates.all(), key=lambda u: (u.date, u.pk), default=None)
                ),
            ]
            for row in review.consultations
            for c in row.commitments
        ],
        [30, 20, 40, 40, 16, 24, 12, 12, 30, 40],
    )
    if review.partners is not None:
        sheet(
            "Partners",
            [
                "Partner",
                "Made",
                "Done",
                "In progress",
                "Overdue",
                "Feedback: yes",
                "Feedback: partly",
                "Feedback: no",
            ],
            [
                [
                    row.partner,
                    row.made,
                    row.done,
                    row.in_progress,
                    row.overdue,
                    row.feedback.yes,
                    row.feedback.partly,
                    row.feedback.no,
                ]
                for row in [*review.partners.rows, review.partners.total]
            ],
            [24, 10, 10, 12, 10, 14, 14, 14],
        )
    output = BytesIO()
    book.save(output)
    return output.getvalue()
