"""The Executive's pages: ``/reports/`` (dashboard) and ``/reports/<slug>/`` (a report)."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from consultations.analysis.compare import compare_themes
from consultations.commitments.loop import TOP_THEMES, loop_status, partner_counts
from consultations.commitments.models import Commitment
from consultations.commitments.reminders import reminder_weeks
from consultations.commitments.services import FeedbackCounts, feedback_counts
from consultations.models import ConsultationPage
from consultations.services.word_clouds import word_cloud

from .access import reports_required
from .filters import ReportFilterForm, describe_filters, querystring
from .report import build_report, themed_summary
from .selectors import headline
from .year import Year, year_in_review, year_xlsx, years_with_consultations


def consultation_for(slug: str) -> ConsultationPage:
    return get_object_or_404(ConsultationPage.objects.live(), slug=slug)


def top_themes(report, n: int = 3) -> list:
    themes = getattr(report.themes, "themes", None) or []
    return [t for t in themes if getattr(t, "respondents", 0)][:n]


@require_GET
@reports_required
def dashboard(request):
    consultations = list(
        ConsultationPage.objects.live()
        .annotate(responses_count=Count("responses"))
        .order_by("-opens_at", "title")
    )
    commitments = list(
        Commitment.objects.filter(consultation__in=consultations).select_related("consultation")
    )
    counts = feedback_counts(commitments)
    feedback: dict[int, FeedbackCounts] = {}
    promised: dict[int, int] = {}
    for commitment in commitments:
        got = counts.get(commitment.pk, FeedbackCounts())
        mine = feedback.get(commitment.consultation_id, FeedbackCounts())
        feedback[commitment.consultation_id] = FeedbackCounts(
            mine.yes + got.yes, mine.partly + got.partly, mine.no + got.no
        )
        promised[commitment.consultation_id] = promised.get(commitment.consultation_id, 0) + 1
    rows = []
    reports = {}
    for consultation in consultations:
        report = reports[consultation.pk] = build_report(consultation)
        rows.append(
            {
                "consultation": consultation,
                "responses": consultation.responses_count,
                "themes": [] if report.too_small else top_themes(report),
                "commitments": promised.get(consultation.pk, 0),
                "feedback": feedback.get(consultation.pk, FeedbackCounts()),
            }
        )
    loops = loop_status(
        # The names from the reports built above, so the two panels agree.
        top_themes=lambda page: [
            t.theme for t in top_themes(reports.get(page.pk) or build_report(page), n=TOP_THEMES)
        ]
    )
    return TemplateResponse(
        request,
        "reports/dashboard.html",
        {
            "rows": rows,
            "loops": loops,
            "reminder_weeks": reminder_weeks(),
            "top_theme_count": TOP_THEMES,
            "partners": partner_counts(commitments, today=timezone.localdate()),
        },
    )


@require_GET
@reports_required
def report(request, slug: str):
    consultation = consultation_for(slug)
    form = ReportFilterForm(request.GET or None, consultation=consultation)
    filters = form.filters()
    data = build_report(consultation, filters)
    query = querystring(filters)
    return TemplateResponse(
        request,
        "reports/report.html",
        {
            "consultation": consultation,
            "form": form,
            "report": data,
            "query": query,
            "suffix": f"?{query}" if query else "",
        },
    )


@require_GET
@reports_required
def word_cloud_image(request, slug: str, fmt: str):
    if fmt not in ("png", "svg"):
        raise Http404
    consultation = consultation_for(slug)
    form = ReportFilterForm(request.GET or None, consultation=consultation)
    filters = form.filters()
    if build_report(consultation, filters).too_small:
        raise Http404
    drawn = word_cloud(consultation, filters=filters, fmt=fmt)
    content_type = "image/png" if fmt == "png" else "image/svg+xml"
    response = HttpResponse(drawn, content_type=content_type)
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_GET
@reports_required
def compare(request, slug: str):
    consultation = consultation_for(slug)
    data = request.GET or None
    form_a = ReportFilterForm(data, consultation=consultation, prefix="a")
    form_b = ReportFilterForm(data, consultation=consultation, prefix="b")
    context = {"consultation": consultation, "form_a": form_a, "form_b": form_b}
    if data is not None and form_a.is_valid() and form_b.is_valid():
        filters_a, filters_b = form_a.filters(), form_b.filters()
        head_a, head_b = headline(consultation, filters_a), headline(consultation, filters_b)
        context.update(
            compared=True,
            head_a=head_a,
            head_b=head_b,
            words_a=describe_filters(filters_a, consultation) or ["Everyone"],
            words_b=describe_filters(filters_b, consultation) or ["Everyone"],
        )
        if not (head_a.too_small or head_b.too_small):
            summary_a = themed_summary(consultation, filters_a)
            summary_b = themed_summary(consultation, filters_b)
            if summary_a and summary_b:
                context["rows"] = compare_themes(summary_a, summary_b)
    return TemplateResponse(request, "reports/compare.html", context)


@require_GET
@reports_required
def year_index(request):
    return TemplateResponse(
        request, "reports/year_index.html", {"years": years_with_consultations()}
    )


def _year(label: str):
    year = Year.parse(label)
    if year is None:
        raise Http404
    return year


@require_GET
@reports_required
def year_review(request, label: str):
    review = year_in_review(_year(label))
    return TemplateResponse(request, "reports/year.html", {"review": review})


@require_GET
@reports_required
def year_review_xlsx(request, label: str):
    review = year_in_review(_year(label))
    response = HttpResponse(
        year_xlsx(review),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="year-in-review-{review.year.label}.xlsx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
