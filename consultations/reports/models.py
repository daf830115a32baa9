"""A report download (PDF or XLSX) built in the background, for consultations too large to build
in a request.

``ReportExport`` records who asked, for which consultation and filters (the query string of the
report page), in which format, how far the build has got (``done`` of ``total`` steps) and, once
built, the file. The file holds answers, so it lives in the private storage
(``youthforum.core.storage``: outside ``MEDIA_ROOT``, no URL serves it) under a random name,
``reports/<32 hex characters>.<kind>``; readers see the friendly name
``<slug>-report-YYYY-MM-DD.<kind>`` only in the download's ``Content-Disposition``. Only the
person who asked, or an admin, may download it, through ``consultations.reports.downloads``.
Exports are deleted a day after they were made by
``consultations.reports.exports.purge_old_exports`` (see ``docs/reports.md``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from youthforum.core.storage import private_storage, random_name


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class ExportKind(models.TextChoices):
    PDF = "pdf", _("PDF")
    XLSX = "xlsx", _("spreadsheet (XLSX)")


def export_file_name(instance: "ReportExport", filename: str) -> str:
    """A name nobody can guess, whatever name the file was saved under."""
    return random_name("reports", instance.kind)


class ReportExport(models.Model):
    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="report_exports",
    )
    filters = models.CharField(
        _("filters"), max_length=1000, blank=True, help_text=_("The report's query string.")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="report_exports",
    )
    kind = models.CharField(
        _("format"), max_length=4, choices=ExportKind.choices, default=ExportKind.PDF
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    done = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps in all"), default=0)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=export_file_name, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        db_table = "consultations_reportexport"  # kept from before the app split
        verbose_name = _("report export")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Report export {self.pk} of {self.consultation_id} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)
