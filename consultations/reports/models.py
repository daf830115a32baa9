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

``Population`` holds how many young people live in each age band and area of the partnership's
footprint (``PopulationFigure`` rows), so that reports can say who is missing from the answers
(``consultations.reports.representation``).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

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


class Population(ClusterableModel):
    """How many young people live in each age band and area: one table per source and year.

    Staff enter the rows in Snippets › Population figures, or import them from a CSV file
    (``consultations.reports.viewsets``). A report compares a consultation with the table of the
    latest year not after the year it opened (else the earliest table): see
    ``consultations.reports.population.population_for``. Age bands and areas are matched to the
    consultation's own age bands and the site's areas (Settings › “About you” options) by their
    words, ignoring capitals and spaces; rows that match neither are listed as not used.
    """

    source = models.CharField(
        _("source"),
        max_length=255,
        help_text=_(
            "Where the figures come from, for example “ONS mid-year estimates 2023, "
            "approximate”. Reports show it beside the figures."
        ),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year the figures are for."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("population figures")
        verbose_name_plural = _("population figures")
        ordering = ["-year", "-updated_at", "-pk"]

    def __str__(self):
        return f"{self.source} ({self.year})"


class PopulationFigure(Orderable):
    """The number of young people of one age band living in one area."""

    population = ParentalKey(
        Population, on_delete=models.CASCADE, related_name="figures", verbose_name=_("table")
    )
    age_band = models.CharField(
        _("age band"),
        max_length=100,
        help_text=_("As worded in Settings › “About you” options, for example “13 to 15”."),
    )
    area = models.CharField(
        _("area"),
        max_length=100,
        help_text=_("As worded in Settings › “About you” options, for example “Mendip”."),
    )
    young_people = models.PositiveIntegerField(_("number of young people"))

    class Meta(Orderable.Meta):
        verbose_name = _("population figure")
        constraints = [
            models.UniqueConstraint(
                fields=["population", "age_band", "area"],
                name="reports_population_one_figure_per_group",
            )
        ]

    def __str__(self):
        return f"{self.age_band}, {self.area}: {self.young_people:,}"
