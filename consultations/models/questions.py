import json
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html, strip_tags
from django.utils.text import get_text_list
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from consultations.readability import readability

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
CHOOSE_KINDS = {QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE}
OPTION_KINDS = CHOOSE_KINDS | {QuestionKind.RANKING}

# The types of question each type-specific field is for. The page editor shows such a field only
# for these types (``TypeFieldPanel``), and ``Question.clean`` refuses a value set for another
# type, which would otherwise be silently ignored. A new type-specific field goes here too.
FIELD_KINDS = {
    "options": OPTION_KINDS,
    "allow_other": CHOOSE_KINDS,
    "character_limit": TEXT_KINDS | CHOOSE_KINDS,  # "Other – tell us" is written text too
    "max_ranked": {QuestionKind.RANKING},
    "face_labels": {QuestionKind.RATING},
    "rating_low_label": {QuestionKind.RATING},
    "rating_high_label": {QuestionKind.RATING},
    "about": {QuestionKind.ABOUT_YOU},
}
# Numbers always hold a value (their default), so one left over from another type is not refused:
# it does nothing, and the editor cannot see it.
UNREFUSED_LEFTOVERS = {"character_limit", "max_ranked"}


class TypeFieldPanel(FieldPanel):
    """A field of ``FIELD_KINDS``, shown in the page editor only while its types are chosen.

    It uses Wagtail's own ``w-rules`` controller (the one behind the privacy and image URL
    generator forms): the ``InlinePanel`` of questions carries the controller, and each of these
    fields says which values of its question's "type" select show it. Nothing is hidden by the
    server, so every field stays visible if JavaScript fails, and a field with an error is never
    hidden, so the editor can always see what to fix.
    """

    class BoundPanel(FieldPanel.BoundPanel):
        @property
        def attrs(self):
            attrs = super().attrs
            if self.bound_field is None or self.bound_field.errors:
                return attrs
            kinds = sorted(str(kind) for kind in FIELD_KINDS[self.field_name])
            # The prefix is "questions-0", or "questions-__prefix__" in the template for new
            # questions, which Wagtail's InlinePanel numbers when it adds one.
            rules = {self.form.add_prefix("kind"): kinds}
            return {**attrs, "data-w-rules-target": "show", "data-w-rules": json.dumps(rules)}


def reading_age_label(text: str, *, html: bool = False) -> str:
    """The reading-age figure the page editor shows under a field, for ``text`` as written.

    ``html``: ``text`` is rich text, whose tags are not words (each paragraph or list item
    counts as a line). The figure comes from ``consultations.readability`` (one formula, used
    for the figure drawn with the page and for the live one the editor's script asks for).
    """
    if html:
        text = strip_tags(re.sub(r"</(p|li|h[1-6])>|<br\s*/?>", "\n", text))
    measured = readability(text)
    if measured is None:
        return gettext("Reading age: write some words to see it.")
    return gettext(
        "Reading age: about %(age)s years (%(words)s words in %(sentences)s sentences or lines)."
    ) % {"age": measured.reading_age, "words": measured.words, "sentences": measured.sentences}


class ReadingAgeFieldPanel(FieldPanel):
    """A field with its reading age under it, worked out as the facilitator writes.

    The figure is drawn with the page from the field's value (so it is there without
    JavaScript, and after a save), and ``consultations/js/reading_age.js`` redraws it as they
    type, from the admin's reading-age URL (``consultations.wagtail_hooks``), which runs the
    same :func:`reading_age_label`.
    """

    class BoundPanel(FieldPanel.BoundPanel):
        def render_html(self, parent_context=None):
            html = super().render_html(parent_context)
            if self.bound_field is None:
                return html
            value = str(getattr(self.instance, self.field_name, "") or "")
            rich = isinstance(self.panel.db_field, RichTextField)
            figure = render_to_string(
                "consultations/admin/reading_age.html",
                {
                    "label": reading_age_label(value, html=rich),
                    "rich_text": rich,
                    "source_id": self.bound_field.id_for_label,
                    "url": reverse("consultations_reading_age"),
                },
            )
            return format_html("{}{}", html, figure)


def easy_read_picture_errors(*, image_id, alt: str, alt_field: str) -> dict:
    """Errors for an easy read picture without words for it, or words without a picture.

    A picture's words (its ``alt`` text) are read out to people who cannot see it, so a picture
    needs them; words with no picture would be kept for nothing. ``alt_field`` names the field
    the error belongs to. Used by ``ConsultationPage.clean`` and ``Question.clean``.
    """
    if image_id and not alt.strip():
        message = _(
            "Say what the picture shows, for people who cannot see it, or remove the picture."
        )
    elif alt.strip() and not image_id:
        message = _("There is no picture to describe: choose one, or delete what is written here.")
    else:
        return {}
    return {alt_field: message}


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
    rating_low_label = models.CharField(
        _("words for 1"),
        max_length=60,
        blank=True,
        help_text=_(
            "For ratings: what 1 means, for example “Not safe at all”. Leave empty for "
            "“Very unhappy”."
        ),
    )
    rating_high_label = models.CharField(
        _("words for 5"),
        max_length=60,
        blank=True,
        help_text=_(
            "For ratings: what 5 means, for example “Very safe”. Leave empty for “Very happy”."
        ),
    )
    easy_read_text = models.CharField(
        _("question in easy read"),
        max_length=500,
        blank=True,
        help_text=_(
            "The question in short, everyday words, shown to people who choose “Easy read”. "
            "Leave empty to show the question as written above."
        ),
    )
    easy_read_hint = models.TextField(
        _("hint in easy read"),
        blank=True,
        help_text=_(
            "Short sentences, one idea per line: each line shows on a line of its own. Leave "
            "empty to show the hint as written above."
        ),
    )
    easy_read_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture in easy read"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: a picture that shows what the question is about."),
    )
    easy_read_image_alt = models.CharField(
        _("what the picture shows"),
        max_length=250,
        blank=True,
        help_text=_(
            "Needed with a picture: read out to people who cannot see it, for example "
            "“A bus stop at night”."
        ),
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
        ReadingAgeFieldPanel("text"),
        FieldPanel("help_text"),
        MultiFieldPanel(
            [
                ReadingAgeFieldPanel("easy_read_text"),
                FieldPanel("easy_read_hint"),
                FieldPanel("easy_read_image"),
                FieldPanel("easy_read_image_alt"),
            ],
            heading=_("Easy read"),
        ),
        MultiFieldPanel(
            [
                TypeFieldPanel("options"),
                FieldRowPanel([TypeFieldPanel("allow_other"), TypeFieldPanel("max_ranked")]),
                FieldRowPanel(
                    [
                        TypeFieldPanel("character_limit"),
                        TypeFieldPanel("face_labels"),
                        TypeFieldPanel("about"),
                    ]
                ),
                FieldRowPanel(
                    [TypeFieldPanel("rating_low_label"), TypeFieldPanel("rating_high_label")]
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

    def easy_read_hint_lines(self) -> list[str]:
        return [line.strip() for line in self.easy_read_hint.splitlines() if line.strip()]

    def choice_options(self, about_you: AboutYouOptions | None = None) -> list[str]:
        """The options a person may choose, in order (about-you lists come from site settings)."""
        if self.kind == QuestionKind.ABOUT_YOU:
            return (about_you or AboutYouOptions.cached()).options_for(
                self.about or AboutYou.AGE_BAND
            )
        if self.kind == QuestionKind.RATING:
            return [str(n) for n in range(1, 6)]
        return _lines(self.options)

    def rating_labels(self) -> dict[int, str]:
        """The words shown beside a rating's numbers, by number; a number without words is absent.

        With no words set, a rating with faces has a word for each number (``RATING_FACES``),
        and one without faces shows the numbers alone, as before per-question words existed.
        Words set for 1 or 5 make the scale the question's own ("1 – Not safe at all …
        5 – Very safe"): both ends get words (an end left empty keeps "Very unhappy" or
        "Very happy"), and the numbers between show alone, since the faces' "Unhappy",
        "Not sure" and "Happy" would not fit the question's words.
        """
        low, high = self.rating_low_label.strip(), self.rating_high_label.strip()
        if not (low or high):
            return dict(RATING_FACES) if self.face_labels else {}
        return {1: low or RATING_FACES[1], 5: high or RATING_FACES[5]}

    def clean(self):
        super().clean()
        errors = self._leftovers_from_other_types()
        if self.kind in OPTION_KINDS and len(_lines(self.options)) < 2:
            errors["options"] = _("Give at least two options, one per line.")
        if self.kind == QuestionKind.RANKING and self.max_ranked > len(_lines(self.options)):
            errors["max_ranked"] = _("This cannot be more than the number of options.")
        if self.kind == QuestionKind.ABOUT_YOU and not self.about:
            errors["about"] = _("Choose what this “about you” question asks.")
        errors |= easy_read_picture_errors(
            image_id=self.easy_read_image_id,
            alt=self.easy_read_image_alt,
            alt_field="easy_read_image_alt",
        )
        if errors:
            raise ValidationError(errors)

    def _leftovers_from_other_types(self) -> dict:
        """Errors for values set in fields this type of question does not use.

        They would be ignored without a word, and usually come from changing a question's type
        after filling in the old type's fields (the editor then hides them: see TypeFieldPanel).
        """
        if self.kind not in QuestionKind.values:
            return {}
        errors = {}
        for name, kinds in FIELD_KINDS.items():
            value = getattr(self, name, None)
            if name in UNREFUSED_LEFTOVERS or self.kind in kinds or not str(value or "").strip():
                continue
            types = get_text_list(
                [f"“{QuestionKind(kind).label}”" for kind in _in_order(kinds)], _("or")
            )
            if isinstance(value, bool):
                message = _(
                    "Only %(types)s questions use this. Untick it, or change the type of question."
                )
            else:
                message = _(
                    "Only %(types)s questions use this. Delete what is written here, or change "
                    "the type of question."
                )
            errors[name] = ValidationError(message, params={"types": types})
        return errors


def _in_order(kinds) -> list[str]:
    """``kinds`` in the order the type select lists them."""
    return [kind for kind in QuestionKind.values if kind in kinds]
