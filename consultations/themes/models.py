"""Codebooks, themes and the codes answers get, from the machine and from people.

- ``Codebook``: a consultation's themes (or the starter "youth voice" codebook that facilitators
  copy), edited in the Wagtail admin.
- ``Theme``: a name, a plain-language description, keywords and phrases, an optional parent theme
  (two levels) and a colour.
- ``CodingRun``: one pass of the coding engine over a codebook's answers. Its ``MachineCode`` rows
  become visible only when the run finishes and is made current, in one transaction, so a worker
  killed mid-run leaves no half-written results on show.
- ``HumanCoding``: the themes a person says an answer has (an empty list means "none of these").
  Human codes always win over machine codes. ``gold`` codings were made blind, for the quality
  check, and are kept out of training.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class Codebook(ClusterableModel):
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    consultation = models.OneToOneField(
        "consultations.ConsultationPage",
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="codebook",
    )
    is_starter = models.BooleanField(
        _("starter codebook"),
        default=False,
        help_text=_("A starting point that facilitators copy for a consultation."),
    )

    class Meta:
        db_table = "consultations_codebook"  # kept from before the app split

    def __str__(self):
        return self.name


class Theme(Orderable):
    codebook = ParentalKey(Codebook, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    keywords = models.TextField(
        _("keywords and phrases"), blank=True, help_text=_("One word or phrase per line.")
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    colour = models.CharField(_("colour"), max_length=7, default="#1d70b8")

    class Meta(Orderable.Meta):
        db_table = "consultations_theme"  # kept from before the app split
        constraints = [
            models.UniqueConstraint(
                fields=["codebook", "name"], name="theme_name_unique_in_codebook"
            )
        ]

    def __str__(self):
        return self.name


class RunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class CodingRun(models.Model):
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    is_current = models.BooleanField(default=False)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    examples = models.PositiveIntegerField(_("human-coded examples used"), default=0)
    engine = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    queue = models.JSONField(
        default=list,
        blank=True,
        help_text=(
            "The uncoded answers the engine was least sure of, most unsure first, as "
            "[answer id, uncertainty] pairs: what the coding screen offers next."
        ),
    )

    thresholds = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "Each theme's threshold as the engine tuned it for this run, by theme id: a "
            "suggestion at or above it is ticked in advance on the coding screen."
        ),
    )

    class Meta:
        db_table = "consultations_codingrun"  # kept from before the app split
        constraints = [
            models.UniqueConstraint(
                fields=["codebook"],
                condition=models.Q(is_current=True),
                name="one_current_run_per_codebook",
            )
        ]

    def __str__(self):
        return f"Coding run {self.pk} of {self.codebook}"


class MachineCode(models.Model):
    run = models.ForeignKey(CodingRun, on_delete=models.CASCADE, related_name="codes")
    answer = models.ForeignKey(
        "consultations.Answer", on_delete=models.CASCADE, related_name="machine_codes"
    )
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="machine_codes")
    score = models.FloatField()

    class Meta:
        db_table = "consultations_machinecode"  # kept from before the app split
        constraints = [
            models.UniqueConstraint(
                fields=["run", "answer", "theme"], name="one_machine_code_per_run_answer_theme"
            )
        ]

    def __str__(self):
        return f"{self.theme} ({self.score:.2f})"


class HumanCoding(models.Model):
    answer = models.ForeignKey(
        "consultations.Answer", on_delete=models.CASCADE, related_name="human_codings"
    )
    codebook = models.ForeignKey(Codebook, on_delete=models.CASCADE, related_name="human_codings")
    themes = models.ManyToManyField(Theme, blank=True, related_name="human_codings")
    gold = models.BooleanField(_("coded blind for the quality check"), default=False)
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    coded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "consultations_humancoding"  # kept from before the app split
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "codebook", "gold"], name="one_human_coding_per_answer"
            )
        ]

    def __str__(self):
        return f"Coding of answer {self.answer_id}" + (" (gold)" if self.gold else "")
