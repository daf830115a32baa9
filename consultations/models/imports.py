"""Imported files of answers: ``ImportBatch`` (done, can be undone) and ``ImportJob`` (pending).

An ``ImportJob`` is a file a facilitator has uploaded but not yet imported: while it is being
read (a large file is read by a task, ``consultations.tasks.read_import_task``), then, once read,
the rows waiting for the facilitator to match columns to questions, check and import. Those rows
are answers as written, not yet screened or redacted, so:

- only the facilitator who uploaded the file, or an admin, may see or import them
  (``consultations.services.import_jobs.pending_import``);
- the uploaded file itself is kept only until it has been read, in the private storage under a
  random name (``youthforum.core.storage``), never in the public media storage;
- the job, with its rows, is deleted when it is imported or cancelled, when the same facilitator
  uploads another file for the same consultation, and a day after the upload at the latest
  (``expires_at``; the daily purge, ``purge_expired_imports``, deletes what is left).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from youthforum.core.storage import private_storage, random_name


class ImportBatch(models.Model):
    """A file of paper or workshop answers imported by a facilitator. Deleting it undoes it."""

    page = models.ForeignKey(
        "consultations.ConsultationPage", on_delete=models.PROTECT, related_name="import_batches"
    )
    source = models.CharField(max_length=16, default="paper")
    filename = models.CharField(max_length=255)
    row_count = models.PositiveIntegerField(default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.filename} ({self.row_count})"


class ImportJobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to be read")
    READING = "reading", _("Being read")
    READY = "ready", _("Ready to check")
    FAILED = "failed", _("Could not be read")


def import_file_name(instance: "ImportJob", filename: str) -> str:
    """``imports/<32 random hex characters>.<csv or xlsx>``: nobody can guess it."""
    return random_name("imports", instance.extension)


class ImportJob(models.Model):
    """A file of answers uploaded for import and not yet imported: see the module's docstring."""

    page = models.ForeignKey(
        "consultations.ConsultationPage",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="import_jobs",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    source = models.CharField(_("source"), max_length=16)
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    file = models.FileField(
        _("uploaded file"),
        storage=private_storage,
        upload_to=import_file_name,
        blank=True,
        help_text=_("Kept only until it has been read."),
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ImportJobStatus.choices,
        default=ImportJobStatus.QUEUED,
    )
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(
        _("rows in the file"), default=0, help_text=_("An estimate until the file has been read.")
    )
    error = models.TextField(_("why it could not be read"), blank=True)
    parsed = models.JSONField(
        _("rows waiting to be imported"),
        null=True,
        blank=True,
        help_text=_("The headings and rows, as ParsedFile.as_dict() gives them."),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    expires_at = models.DateTimeField(_("forgotten at"), db_index=True)

    class Meta:
        verbose_name = _("pending import")
        verbose_name_plural = _("pending imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Pending import {self.pk} of {self.filename} ({self.status})"

    @property
    def extension(self) -> str:
        return self.filename.rsplit(".", 1)[-1].lower() if "." in self.filename else ""

    @property
    def finished(self) -> bool:
        return self.status in (ImportJobStatus.READY, ImportJobStatus.FAILED)
