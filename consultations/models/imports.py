from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
