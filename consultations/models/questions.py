from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Orderable

from .settings import AboutYouOptions, _lines

DEFAULT_CHARACTER_LIMIT = 2_000
MAX_CHARACTER_LIMIT = 10_000
RATING_FACES = {1: "Very unhappy", 2: "Unhappy", 3: "Not sure", 4: "Happy", 5: "Very happy"}


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Choose one")
    MULTIPLE_CHOICE = "multiple_choice", _("Choose any")
    RATING = "rating", _("Rating from 1 to 5")
    RANKING = "ranking", _("Put in order")
    ABOUT_YOU = "about_you", _("About you")


class AboutYou(models.TextChoices):
    AGE_BAND = "age_band", _("Age band")
    AREA = "area", _("Area or district")
    SCHOOL_YEAR = "school_year", _("School year")
    GENDER = "gender", _("Gender")


TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}
CHOICE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.ABOUT_YOU}


class Question(Orderable):
    """One question of a consultation.

    Its primary key is its identity: answers point at it, so facilitators can reword a live
    question without losing answers. A question that has answers cannot be deleted (the page
    form says why); make a new consultation instead, or leave it in and mark it not required.
    """

    page = ParentalKey(
        "consultations.ConsultationPage", on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("type of question"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("hint"), max_length=500, blank=True)
    required = models.BooleanField(_("must be answered"), default=False)
    character_limit = models.PositiveIntegerField(
        _("character limit"),
        default=DEFAULT_CHARACTER_LIMIT,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CHARACTER_LIMIT)],
        help_text=_("For text answers, and “Other – tell us”. At most 10,000."),
    )
    options = models.TextField(
        _("options"),
        blank=True,
        help_text=_("For “choose” and “put in order” questions: one option per line."),
    )
    allow_other = models.BooleanField(
        _("offer “Other – tell us”"), default=False, help_text=_("For “choose” questions.")
    )
    max_ranked = models.PositiveSmallIntegerField(
        _("how many to put in order"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("For “put in order” questions."),
    )
    face_labels = models.BooleanField(
        _("show faces"),
        default=False,
        help_text=_("For ratings: label 1 to 5 with faces, for younger children."),
    )
    about = models.CharField(
        _("about you: which"),
        max_length=20,
        choices=AboutYou.choices,
        blank=True,
        help_text=_(
            "For “about you” questions. The options are in Settings › “About you” options."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("required")]),
        FieldPanel("text"),
        FieldPanel("help_text"),
        MultiFieldPanel(
            [
                FieldPanel("options"),
                FieldRowPanel([FieldPanel("allow_other"), FieldPanel("max_ranked")]),
                FieldRowPanel(
                    [FieldPanel("character_limit"), FieldPanel("face_labels"), FieldPanel("about")]
                ),
            ],
            heading=_("Options for this type of question"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text

    @property
    def field_name(self) -> str:
        return f"q-{self.pk}"

    def choice_options(self, about_you: AboutYouOptions | None = None) -> list[str]:
        """The options a person may choose, in order (about-you lists come from site settings)."""
        if self.kind == QuestionKind.ABOUT_YOU:
            return (about_you or AboutYouOptions.cached()).options_for(
                self.about or AboutYou.AGE_BAND
            )
        if self.kind == QuestionKind.RATING:
            return [str(n) for n in range(1, 6)]
        return _lines(self.options)

    def clean(self):
        super().clean()
        errors = {}
        option_kinds = {
            QuestionKind.SINGLE_CHOICE,
            QuestionKind.MULTIPLE_CHOICE,
            QuestionKind.RANKING,
        }
        if self.kind in option_kinds and len(_lines(self.options)) < 2:
            errors["options"] = _("Give at least two options, one per line.")
        if self.kind == QuestionKind.RANKING and self.max_ranked > len(_lines(self.options)):
            errors["max_ranked"] = _("This cannot be more than the number of options.")
        if self.kind == QuestionKind.ABOUT_YOU and not self.about:
            errors["about"] = _("Choose what this “about you” question asks.")
        if errors:
            raise ValidationError(errors)
