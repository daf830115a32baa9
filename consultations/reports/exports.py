"""Report downloads of large consultations, built by a task while the reader watches a progress
page.

A consultation with more responses than ``YOUTHVOICE_REPORT_PDF_TASK_THRESHOLD`` (20,000 by
default) would take too long to draw as a PDF, or to write as a workbook with every answer,
inside a request (gunicorn gives a request 30 seconds), so :func:`start_export` records a
``ReportExport`` and enqueues ``consultations.reports.tasks.build_report_export_task``, which calls
:func:`build_export`: it builds the file (saving its progress after each step) and keeps it in the
private storage under a random name (``ReportExport.file``), never in ``MEDIA_ROOT``. Only the
person who asked, or an admin, may download it, and only through
``consultations.reports.downloads.export_file``, which gives it its friendly :func:`filename`.

Exports are kept for a day: :func:`purge_old_exports` deletes older ones and their files. It runs
whenever someone starts an export, and can be run on its own (``purge_report_exports_task``, or
from cron: see ``docs/reports.md``).
"""

from __future__ import annotations

import logging
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import QueryDict
from django.utils import timezone

from consultations import background
from consultations.models import Response
from consultations.reports.models import ExportKind, ExportStatus, ReportExport

from .filters import ReportFilterForm
from .report import build_report
from .spreadsheets import write_report_xlsx

logger = logging.getLogger(__name__)

#: How long a built export is kept.
KEEP_FOR = timedelta(days=1)
#: Steps of a PDF build, for the progress bar (``pdf.STEPS``, kept equal: see its tests).
STEPS = 4
#: Steps of a workbook build: the report, then the workbook.
XLSX_STEPS = 2
CONTENT_TYPES = {
    ExportKind.PDF: "application/pdf",
    ExportKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def task_threshold() -> int:
    """Responses above which downloads are built by a task (setting, default 20,000)."""
    return int(getattr(settings, "YOUTHVOICE_REPORT_PDF_TASK_THRESHOLD", 20_000))


def needs_task(consultation) -> bool:
    return Response.objects.filter(page=consultation).count() > task_threshold()


def filename(consultation, kind: str = ExportKind.PDF, day=None, *, what: str = "report") -> str:
    """``<slug>-report-YYYY-MM-DD.<kind>``, with nothing but letters, digits and dashes."""
    slug = "".join(c for c in consultation.slug if c.isascii() and (c.isalnum() or c in "-_"))
    return f"{slug or 'consultation'}-{what}-{(day or timezone.localdate()):%Y-%m-%d}.{kind}"


def start_export(consultation, *, filters: str, user, kind: str = ExportKind.PDF) -> ReportExport:
    """The user's export of this report: one already waiting or being built, else a new one
    whose build is enqueued when the transaction commits."""
    purge_old_exports()
    pending = ReportExport.objects.filter(
        consultation=consultation,
        filters=filters,
        kind=kind,
        requested_by=user,
        status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING),
    ).first()
    if pending is not None:
        return pending
    export = ReportExport.objects.create(
        consultation=consultation,
        filters=filters,
        kind=kind,
        requested_by=user,
        total=STEPS if kind == ExportKind.PDF else XLSX_STEPS,
    )
    background.later("consultations.reports.tasks.build_report_export_task", export.pk)
    return export


def _progress(export_id: int):
    def saved(done: int, total: int) -> None:
        ReportExport.objects.filter(pk=export_id).update(done=done, total=total)

    return saved


def build_file(consultation, filters, kind: str, *, progress=None) -> bytes:
    """The report PDF's or workbook's bytes, in the request (a small consultation) or in
    ``build_export`` (a large one); ``progress(done, total)`` is called after each step."""
    step = progress or (lambda done, total: None)
    if kind == ExportKind.PDF:
        from . import pdf  # lazy: WeasyPrint (~0.5 s, 60 MB) loads only where a PDF is made

        return pdf.render_report_pdf(consultation, filters, progress=step)
    return _build_xlsx(consultation, filters, step)


def _build_xlsx(consultation, filters, progress) -> bytes:
    report = build_report(consultation, filters)
    progress(1, XLSX_STEPS)
    output = BytesIO()
    write_report_xlsx(report, output)
    progress(2, XLSX_STEPS)
    return output.getvalue()


def build_export(export_id: int) -> ReportExport:
    """Build the export's file (a finished export is left alone). Never raises: a failure is
    logged and recorded as the export's status."""
    export = ReportExport.objects.select_related("consultation").get(pk=export_id)
    if export.finished:
        return export
    is_pdf = export.kind == ExportKind.PDF
    export.status, export.done = ExportStatus.RUNNING, 0
    export.total = STEPS if is_pdf else XLSX_STEPS
    export.save(update_fields=["status", "done", "total"])
    consultation = export.consultation
    try:
        form = ReportFilterForm(QueryDict(export.filters), consultation=consultation)
        if not form.is_valid():
            raise ValueError(f"The filters are no longer valid: {form.errors.as_text()}")
        data = build_file(consultation, form.filters(), export.kind, progress=_progress(export.pk))
        # The name is only a hint: ReportExport.file gives every file a random one.
        export.file.save(f"report.{export.kind}", ContentFile(data), save=False)
        export.status = ExportStatus.DONE
    except Exception:
        logger.exception("Report export %s failed", export.pk)
        export.status = ExportStatus.FAILED
    export.refresh_from_db(fields=["done", "total"])
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "finished_at"])
    return export


def purge_old_exports(*, now=None, older_than: timedelta = KEEP_FOR) -> int:
    """Delete exports made more than ``older_than`` ago, and their files; return how many."""
    cutoff = (now or timezone.now()) - older_than
    old = list(ReportExport.objects.filter(created_at__lt=cutoff))
    for export in old:
        if export.file:
            try:
                export.file.delete(save=False)
            except Exception:  # noqa: BLE001 - a file already gone must not stop the purge
                logger.warning("Could not delete the file of report export %s", export.pk)
        export.delete()
    return len(old)


def purge_when_due(**kwargs) -> dict[str, int]:
    """The daily purge's share for reports (``consultations.signals.purge_due``)."""
    return {"report_downloads": purge_old_exports()}
