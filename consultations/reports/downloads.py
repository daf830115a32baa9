"""The report's downloads: ``report.pdf``, ``report.xlsx`` and ``answers.csv``.

Each is for the same people as the report page (``reports_required``) and honours the same
filters, read from the query string by ``ReportFilterForm``; invalid filters get a plain 400 and
no file. Files are attachments named ``<slug>-report-YYYY-MM-DD.<ext>``, a filtered one after its
filters too (``<slug>-report-age-13-15-area-mendip-YYYY-MM-DD.<ext>``: :func:`download_name`), and
never cached by a shared cache. What goes in them is built in ``pdf``, ``spreadsheets`` and
``exports``.

A large consultation's PDF and workbook (``exports.needs_task``) are built by a task:
``report.pdf`` or ``report.xlsx`` starts it and sends the reader to a progress page, which
refreshes itself until the file is ready to download.

The report page's script (``reports/download_busy.js``) shows "Preparing your PDF…" while a file
is built in the request. Its link then carries ``?download_token=…``, and the file's response sets
a short-lived cookie named for that token (:func:`_tell_the_page`): the script watches for it to
know the download has started. Without the script, no token is sent and nothing changes.
"""

from __future__ import annotations

import re

from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from consultations.reports.models import ExportKind, ExportStatus, ReportExport
from consultations.selectors import TermFilters

from . import exports
from .access import reports_required
from .filters import ReportFilterForm, querystring
from .selectors import headline
from .spreadsheets import answers_csv_lines
from .views import consultation_for

CSV = "text/csv; charset=utf-8"


def _filters(request, consultation):
    """(filters, None), or (None, a 400 response saying what is wrong with them)."""
    form = ReportFilterForm(request.GET or None, consultation=consultation)
    if form.is_bound and not form.is_valid():
        lines = ["These filters are not valid, so no file was made:"]
        for field in form:
            lines += [f"- {field.label}: {error}" for error in field.errors]
        lines += [f"- {error}" for error in form.non_field_errors()]
        return None, HttpResponseBadRequest(
            "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
        )
    return form.filters(), None


#: The longest the filters' part of a file name may be (a longer one is cut after a whole word),
#: so that with the slug and the date the name stays well under the 255 a file system allows.
FILTER_NAME_LENGTH = 150
#: How much of a question's wording, or of an area's name, goes in the file name.
WORDING_LENGTH = 30


def _cut(words: str, length: int) -> str:
    """``words`` (a slug) no longer than ``length``, cut after a whole word where there is one."""
    if len(words) <= length:
        return words
    cut = words[: length + 1].rsplit("-", 1)[0]
    return (cut if cut and len(cut) <= length else words[:length]).strip("-")


def filter_name(consultation, filters: TermFilters) -> str:
    """The filters in force as part of a file name, in the order of the filter form:
    ``question-what-would-make-you-feel-safer-age-13-15-area-mendip-paper-from-2026-03-01``,
    or "" for none. Only lower-case ASCII letters, digits and dashes (``slugify``; accents are
    dropped, "Ynys Môn" is ``ynys-mon``); "13 to 15" is ``13-15``."""
    parts = []
    if filters.question:
        text = (
            consultation.questions.filter(pk=filters.question)
            .values_list("text", flat=True)
            .first()
        )
        wording = _cut(slugify(text or ""), WORDING_LENGTH)
        parts.append(f"question-{wording or filters.question}")
    if filters.age_band:
        band = re.sub(r"(\d)\s*(?:to|-|–)\s*(\d)", r"\1 \2", filters.age_band)
        parts.append(f"age-{slugify(band)}")
    if filters.area:
        parts.append(f"area-{_cut(slugify(filters.area), WORDING_LENGTH)}")
    if filters.source:
        parts.append(slugify(filters.source))
    if filters.date_from:
        parts.append(f"from-{filters.date_from:%Y-%m-%d}")
    if filters.date_to:
        parts.append(f"to-{filters.date_to:%Y-%m-%d}")
    name = re.sub(r"-{2,}", "-", "-".join(p.strip("-") for p in parts if p.strip("-")))
    return _cut(name, FILTER_NAME_LENGTH)


def download_name(consultation, filters: TermFilters, kind: str, day=None, *, what="report"):
    """``exports.filename`` with the filters in force after ``what``, so that downloads of the
    whole report and of a group of it are told apart: ``feeling-safe-report-age-13-15-<date>.pdf``.
    """
    named = filter_name(consultation, filters)
    return exports.filename(consultation, kind, day, what=f"{what}-{named}" if named else what)


def _attachment(response, filename: str):
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "private, no-store"
    return response


#: A download link's token: letters, digits, "_" and "-" only, so it is safe in a cookie's name.
DOWNLOAD_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,64}")
#: The cookie is named this and the token; download_busy.js looks for the same name.
DOWNLOAD_COOKIE_PREFIX = "report_download_"
#: Seconds the cookie lives: the script reads it within a second, and it holds nothing else.
DOWNLOAD_COOKIE_AGE = 60


def _tell_the_page(request, response, slug: str):
    """Set the cookie that tells the report page its download has started, when the link sent a
    valid ``download_token``; any other token (too short or long, or with ";", "=" or spaces)
    is ignored and the file is sent without it. The script must read the cookie, so it is not
    HttpOnly; it is scoped to the report's own page and says only "started"."""
    token = request.GET.get("download_token", "")
    if DOWNLOAD_TOKEN.fullmatch(token):
        response.set_cookie(
            DOWNLOAD_COOKIE_PREFIX + token,
            "1",
            max_age=DOWNLOAD_COOKIE_AGE,
            path=reverse("report", args=[slug]),
            secure=request.is_secure(),
            samesite="Lax",
        )
    return response


def _in_background(request, consultation, filters, kind: str):
    """Start (or find) the user's export and send them to it: straight to the file when it
    was built already (the immediate task backend), else to its progress page."""
    export = exports.start_export(
        consultation, filters=querystring(filters), user=request.user, kind=kind
    )
    export.refresh_from_db()
    if export.status == ExportStatus.DONE:
        # Built in this request after all: the file follows this redirect, so the page may stop
        # saying it is preparing it.
        response = redirect("report_export_file", slug=consultation.slug, pk=export.pk)
        return _tell_the_page(request, response, consultation.slug)
    return redirect("report_export", slug=consultation.slug, pk=export.pk)


def _report_file(request, slug: str, kind: str):
    """The report as a PDF or workbook under the request's filters, or (for a large
    consultation) a task building it and a page showing its progress."""
    consultation = consultation_for(slug)
    filters, error = _filters(request, consultation)
    if error:
        return error
    if exports.needs_task(consultation):
        return _in_background(request, consultation, filters, kind)
    data = exports.build_file(consultation, filters, kind)
    response = HttpResponse(data, content_type=exports.CONTENT_TYPES[kind])
    _tell_the_page(request, response, slug)
    return _attachment(response, download_name(consultation, filters, kind))


@require_GET
@reports_required
def report_pdf(request, slug: str):
    return _report_file(request, slug, ExportKind.PDF)


@require_GET
@reports_required
def report_xlsx(request, slug: str):
    return _report_file(request, slug, ExportKind.XLSX)


@require_GET
@reports_required
def answers_csv(request, slug: str):
    consultation = consultation_for(slug)
    filters, error = _filters(request, consultation)
    if error:
        return error
    lines = answers_csv_lines(consultation, filters, headline=headline(consultation, filters))
    response = StreamingHttpResponse(lines, content_type=CSV)
    name = download_name(consultation, filters, "csv", what="answers")
    return _attachment(response, name)


def _own_export(request, slug: str, pk: int) -> ReportExport:
    """The export, if it is this consultation's and the user asked for it (or is an admin)."""
    export = get_object_or_404(
        ReportExport.objects.select_related("consultation"), pk=pk, consultation__slug=slug
    )
    if export.requested_by_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    return export


@require_GET
@reports_required
def export_status(request, slug: str, pk: int):
    export = _own_export(request, slug, pk)
    query = export.filters
    return TemplateResponse(
        request,
        "reports/export_status.html",
        {
            "export": export,
            "consultation": export.consultation,
            "report_url": reverse("report", args=[slug]) + (f"?{query}" if query else ""),
            "again_url": reverse(
                "report_xlsx" if export.kind == ExportKind.XLSX else "report_pdf", args=[slug]
            )
            + (f"?{query}" if query else ""),
            "file_url": reverse("report_export_file", args=[slug, export.pk]),
        },
    )


@require_GET
@reports_required
def export_file(request, slug: str, pk: int):
    export = _own_export(request, slug, pk)
    if export.status != ExportStatus.DONE or not export.file:
        raise Http404
    # The file is in the private storage, which no URL serves: this view is its only way out.
    try:
        opened = export.file.storage.open(export.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(opened, content_type=exports.CONTENT_TYPES[export.kind])
    day = timezone.localtime(export.created_at).date()
    form = ReportFilterForm(QueryDict(export.filters), consultation=export.consultation)
    name = download_name(export.consultation, form.filters(), export.kind, day)
    return _attachment(response, name)
