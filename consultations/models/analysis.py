"""Analysis data per consultation: stored term counts and the options for its word clouds.

Stored term counts: each answer's terms are counted once, and a question's totals kept exact.

``AnswerTerm`` holds one answer's terms (computed as the answer is saved from the redacted
text). ``TermTotal`` is the running total per question, for the unfiltered word cloud: it is
updated in the same transaction as every change to what counts (terms stored, answer held or
released, answers deleted by an import undo or a retention purge), so it always equals a full
recount of the answers that count. ``TermSlice`` keeps the same running totals for each value
of one filter (an age band, an area, a way of answering, a day) and for each pair of values of
two of the first three (an age band and an area, and so on), so a cloud filtered by one of them
or by two of the first three reads totals too; any other mix aggregates ``AnswerTerm`` rows.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AnswerTerm(models.Model):
    answer = models.ForeignKey(
        "consultations.Answer", on_delete=models.CASCADE, related_name="terms"
    )
    term = models.CharField(max_length=100)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "term"], name="one_row_per_answer_term")
        ]
        indexes = [models.Index(fields=["term"])]

    def __str__(self):
        return f"{self.term} × {self.count}"


class TermTotal(models.Model):
    """A question's running totals of one term over the answers that count."""

    question = models.ForeignKey(
        "consultations.Question", on_delete=models.CASCADE, related_name="term_totals"
    )
    term = models.CharField(max_length=100)
    count = models.PositiveIntegerField(_("times used"), default=0)
    answers = models.PositiveIntegerField(_("answers using it"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "term"], name="one_total_per_question_term")
        ]

    def __str__(self):
        return f"{self.term}: {self.count} in {self.answers} answers"


class SliceDimension(models.TextChoices):
    """The filter a ``TermSlice`` row is kept for (each a field of the response), or the two."""

    AGE_BAND = "age_band", _("age band")
    AREA = "area", _("area")
    SOURCE = "source", _("how they answered")
    DAY = "day", _("day answered")
    AGE_BAND_AREA = "age_band+area", _("age band and area")
    AGE_BAND_SOURCE = "age_band+source", _("age band and how they answered")
    SOURCE_AREA = "source+area", _("how they answered and area")


#: The pairs of filters kept as one slice, and the response's fields each joins, in order.
SLICE_PAIRS = {
    SliceDimension.AGE_BAND_AREA: ("age_band", "area"),
    SliceDimension.AGE_BAND_SOURCE: ("age_band", "source"),
    SliceDimension.SOURCE_AREA: ("source", "area"),
}
#: Between the two values of a pair (a control character no age band or area is written with;
#: a value that has one is not kept in pairs, and a cloud filtered by it reads ``AnswerTerm``).
PAIR_SEPARATOR = "\x1f"


def pair_value(first: str, second: str) -> str | None:
    """The ``value`` of the pair slice for these two values, or None if it has none."""
    if not first or not second or PAIR_SEPARATOR in first or PAIR_SEPARATOR in second:
        return None
    return f"{first}{PAIR_SEPARATOR}{second}"


class TermSlice(models.Model):
    """A question's running totals of one term over the answers that count with one filter value.

    ``value`` is the response's age band, area or source, or for ``day`` the date it was
    submitted on the wall clock of ``TIME_ZONE`` (``YYYY-MM-DD``, which sorts as dates do), or
    for a pair (``SLICE_PAIRS``) the two values joined by ``PAIR_SEPARATOR`` (``pair_value``).
    Responses with no value for a dimension (or for either of a pair's) have no rows for it.
    The row whose ``term`` is empty (``ANSWERS``) counts the slice's answers themselves, terms or
    not: the share of a term is its ``answers`` over that row's.
    """

    #: The ``term`` of the row that counts the answers of a slice.
    ANSWERS = ""

    question = models.ForeignKey(
        "consultations.Question", on_delete=models.CASCADE, related_name="term_slices"
    )
    dimension = models.CharField(max_length=20, choices=SliceDimension.choices)
    value = models.CharField(max_length=201)
    term = models.CharField(max_length=100, blank=True)
    count = models.PositiveIntegerField(_("times used"), default=0)
    answers = models.PositiveIntegerField(_("answers using it"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "dimension", "value", "term"],
                name="one_slice_per_question_value_term",
            )
        ]

    def __str__(self):
        return f"{self.term or '(answers)'} where {self.dimension} is {self.value}: {self.answers}"


class AnalysisOptions(models.Model):
    """A consultation's analysis options, edited by facilitators (one row per consultation)."""

    consultation = models.OneToOneField(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="analysis_options"
    )
    max_words = models.PositiveSmallIntegerField(
        _("most words in a word cloud"),
        default=100,
        validators=[MinValueValidator(10), MaxValueValidator(300)],
    )
    extra_stop_words = models.TextField(
        _("extra words to leave out"),
        blank=True,
        help_text=_("One word or phrase per line, left out of this consultation's word clouds."),
    )
    mask = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("word cloud shape"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional. Words are drawn inside the dark parts of this image."),
    )
    earlier_consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        verbose_name=_("earlier consultation to compare with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("analysis options")
        verbose_name_plural = _("analysis options")  # not "optionss"

    def __str__(self):
        return f"Analysis options for {self.consultation}"
