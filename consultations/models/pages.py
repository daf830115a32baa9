import copy
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .questions import ReadingAgeFieldPanel, easy_read_picture_errors
from .settings import MAX_OPTION_LENGTH, AboutYouOptions, _lines

DEFAULT_PRIVACY_NOTE = (
    "You do not have to give your name. We do not keep your internet address. Only the youth "
    "workers running this consultation read every answer. Before anyone else sees what young "
    "people said, we take out anything that could show who wrote it. If you tell us something "
    "that makes us worried you or someone else is not safe, a trained safeguarding worker will "
    "read it and may need to share it to keep you safe."
)


def four_weeks_from_now():
    return timezone.now() + timedelta(days=28)


class ConsultationStatus(models.TextChoices):
    COMING_SOON = "coming-soon", _("Coming soon")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    RESULTS_PUBLISHED = "results-published", _("Results published")


class Layout(models.TextChoices):
    SINGLE_PAGE = "single", _("All questions on one page")
    STEPS = "steps", _("One question at a time, then check your answers")


class ConsultationIndexPage(Page):
    """Lists consultations: open ones first, then coming soon, then closed."""

    introduction = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["consultations.ConsultationPage"]

    class Meta:
        verbose_name = _("consultation index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        consultations = list(
            ConsultationPage.objects.live().public().child_of(self).order_by("-opens_at")
        )
        groups = {status: [] for status in ConsultationStatus}
        for consultation in consultations:
            groups[consultation.status].append(consultation)
        context["open_consultations"] = sorted(
            groups[ConsultationStatus.OPEN], key=lambda c: c.closes_at
        )
        context["coming_soon"] = sorted(
            groups[ConsultationStatus.COMING_SOON], key=lambda c: c.opens_at
        )
        context["finished"] = (
            groups[ConsultationStatus.RESULTS_PUBLISHED] + groups[ConsultationStatus.CLOSED]
        )
        return context


class ConsultationPageForm(WagtailAdminPageForm):
    """Refuses to delete a question that already has answers, with a reason."""

    def clean(self):
        cleaned_data = super().clean()
        questions = self.formsets.get("questions")
        if questions is None:
            return cleaned_data
        from .responses import Answer  # models/responses imports this module

        for form in questions.forms:
            question = form.instance
            if (
                question.pk
                # The question forms are not cleaned yet when the page form is (modelcluster
                # validates formsets after the form), so read the DELETE box from the post.
                and "DELETE" in form.fields
                and form.fields["DELETE"].clean(form["DELETE"].data)
                and Answer.objects.filter(question=question).exists()
            ):
                count = Answer.objects.filter(question=question).count()
                raise ValidationError(
                    _(
                        "“%(question)s” already has %(count)s answers, so it cannot be deleted: "
                        "the answers would be lost. You can reword it or make it optional instead."
                    ),
                    params={"question": question.text, "count": count},
                )
        return cleaned_data


class ConsultationPage(RoutablePageMixin, Page):
    """A consultation young people answer, anonymously by default.

    Facilitators build its questions in the page editor (the Questions panel). Wagtail's "Copy"
    action copies a consultation with its questions, but never its answers, into a new one.
    """

    introduction = RichTextField(_("introduction"), features=["bold", "italic", "link", "ul"])
    easy_read_intro = models.TextField(
        _("introduction in easy read"),
        blank=True,
        help_text=_(
            "Short sentences, one idea per line: each line shows on a line of its own. When "
            "this or any question has easy read words, the consultation offers an “Easy read” "
            "switch at the top."
        ),
    )
    easy_read_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("easy read picture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: a picture that shows what the consultation is about."),
    )
    easy_read_image_alt = models.CharField(
        _("what the picture shows"),
        max_length=250,
        blank=True,
        help_text=_(
            "Needed with a picture: read out to people who cannot see it, for example "
            "“Young people talking to a youth worker”."
        ),
    )
    min_age = models.PositiveSmallIntegerField(_("youngest age"), default=10)
    max_age = models.PositiveSmallIntegerField(_("oldest age"), default=18)
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), default=four_weeks_from_now)
    estimated_minutes = models.PositiveSmallIntegerField(_("minutes it takes"), default=5)
    privacy_note = models.TextField(_("privacy note"), default=DEFAULT_PRIVACY_NOTE)
    layout = models.CharField(
        _("layout"), max_length=10, choices=Layout.choices, default=Layout.SINGLE_PAGE
    )
    age_bands = models.TextField(
        _("age bands to offer"),
        blank=True,
        help_text=_(
            "For an “about you” question about age. One per line, for example “10 to 12”. "
            "Leave empty to offer the site’s age bands (Settings › “About you” options). "
            "“Prefer not to say” is added for you."
        ),
    )
    allow_answer_again = models.BooleanField(
        _("let people answer again"),
        default=False,
        help_text=_(
            "Shows an “Answer again” button after someone sends their answers, which starts a "
            "new, empty form. Use it when young people share a device, for example in a "
            "workshop. Left unticked, sending the same form again never stores a second set "
            "of answers."
        ),
    )
    ask_about_taking_part = models.BooleanField(
        _("ask what taking part was like"),
        default=True,
        help_text=_(
            "After sending their answers, young people are asked three short, optional "
            "questions: did they understand what it was about, do they think the people in "
            "charge will listen, and would they take part again. Their answers are kept apart "
            "from their answers to the consultation and shown in its report."
        ),
    )
    thank_you_text = models.TextField(
        _("thank-you message"),
        default=(
            "Thank you for telling us what you think. The Youth Forum will make sure the people "
            "in charge hear it."
        ),
    )
    results_published_at = models.DateTimeField(
        _("results published"),
        null=True,
        blank=True,
        help_text=_("Set when the results are public."),
    )
    retention_days = models.PositiveIntegerField(
        _("keep answers for (days)"),
        default=730,
        help_text=_(
            "After this many days from closing, the words people wrote are deleted. "
            "Counts used in reports are kept."
        ),
    )

    content_panels = [
        *Page.content_panels,
        ReadingAgeFieldPanel("introduction"),
        MultiFieldPanel(
            [
                ReadingAgeFieldPanel("easy_read_intro"),
                FieldPanel("easy_read_image"),
                FieldPanel("easy_read_image_alt"),
            ],
            heading=_("Easy read"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel(
                    [FieldPanel("min_age"), FieldPanel("max_age"), FieldPanel("estimated_minutes")]
                ),
                FieldPanel("age_bands"),
                FieldPanel("layout"),
                FieldPanel("allow_answer_again"),
                FieldPanel("ask_about_taking_part"),
            ],
            heading=_("Who, when and how"),
        ),
        InlinePanel(
            "questions",
            heading=_("Questions"),
            label=_("Question"),
            min_num=1,
            # Wagtail's rules controller shows each question's type-specific fields only for
            # the type chosen (see TypeFieldPanel), again whenever a "type" select changes.
            attrs={"data-controller": "w-rules", "data-action": "change->w-rules#resolve"},
        ),
        FieldPanel("privacy_note"),
        FieldPanel("thank_you_text"),
        MultiFieldPanel(
            [FieldPanel("results_published_at"), FieldPanel("retention_days")],
            heading=_("Results and keeping answers"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]
    base_form_class = ConsultationPageForm

    parent_page_types = ["consultations.ConsultationIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The closing time must be after the opening time.")
        if self.min_age and self.max_age and self.max_age < self.min_age:
            errors["max_age"] = _("The oldest age must be at least the youngest age.")
        too_long = [band for band in _lines(self.age_bands) if len(band) > MAX_OPTION_LENGTH]
        if too_long:
            errors["age_bands"] = _(
                "Each age band must be %(n)s characters or fewer: “%(band)s” is longer."
            ) % {"n": MAX_OPTION_LENGTH, "band": too_long[0][:40] + "…"}
        errors |= easy_read_picture_errors(
            image_id=self.easy_read_image_id,
            alt=self.easy_read_image_alt,
            alt_field="easy_read_image_alt",
        )
        if errors:
            raise ValidationError(errors)

    def status_at(self, when) -> ConsultationStatus:
        if self.results_published_at and self.results_published_at <= when:
            return ConsultationStatus.RESULTS_PUBLISHED
        if when < self.opens_at:
            return ConsultationStatus.COMING_SOON
        if when >= self.closes_at:
            return ConsultationStatus.CLOSED
        return ConsultationStatus.OPEN

    @property
    def status(self) -> ConsultationStatus:
        return self.status_at(timezone.now())

    def is_open(self, when=None) -> bool:
        """Taking answers: live, and between its opening and closing times."""
        when = when or timezone.now()
        return self.live and self.status_at(when) == ConsultationStatus.OPEN

    def about_you_options(self, site_options: AboutYouOptions | None = None) -> AboutYouOptions:
        """The options this consultation's "about you" questions offer.

        The site's lists (Settings › "About you" options), with this consultation's own age bands
        in place of the site's when it has some. An unsaved copy: never save it. Pass
        ``site_options`` to reuse settings already read.
        """
        site_options = site_options or AboutYouOptions.cached()
        if not _lines(self.age_bands):
            return site_options
        own = copy.copy(site_options)
        own.age_bands = self.age_bands
        return own

    def ordered_questions(self):
        return self.questions.order_by("sort_order", "pk")

    def easy_read_lines(self) -> list[str]:
        """The easy read introduction, a line (one idea) at a time, empty lines left out."""
        return [line.strip() for line in self.easy_read_intro.splitlines() if line.strip()]

    def has_easy_read(self, questions=None) -> bool:
        """Whether there is easy read wording to offer: an introduction, or a question's.

        ``questions``: the questions already read, to save reading them again.
        """
        if self.easy_read_intro.strip():
            return True
        if questions is None:
            return self.questions.exclude(easy_read_text="").exists()
        return any(q.easy_read_text.strip() for q in questions)

    # Answering. The views live in consultations/views/; these routes only name them, importing
    # them when called (Wagtail's routable-page idiom: the views import this model).
    @path("", name="start")
    def start_route(self, request):
        from consultations import views  # routable-page idiom, see above

        return views.start(request, self)

    @path("questions/<int:number>/", name="step")
    def step_route(self, request, number):
        from consultations import views  # routable-page idiom, see above

        return views.step(request, self, number)

    @path("check/", name="check")
    def check_route(self, request):
        from consultations import views  # routable-page idiom, see above

        return views.check_answers(request, self)

    @path("words/", name="words")
    def words_route(self, request):
        from consultations import views  # routable-page idiom, see above

        return views.words_switch(request, self)

    @path("answer-again/", name="answer_again")
    def answer_again_route(self, request):
        from consultations import views  # routable-page idiom, see above

        return views.answer_again(request, self)

    @path("results/word-cloud/", name="results_word_cloud")
    def results_word_cloud_route(self, request):
        from consultations import views  # routable-page idiom, see above

        return views.results_word_cloud(request, self)

    @path("thank-you/", name="thank_you")
    def thank_you_route(self, request):
        from consultations import views  # routable-page idiom, see above

        return views.thank_you(request, self)

    @path("thank-you/taking-part/", name="taking_part")
    def taking_part_route(self, request):
        from consultations import views  # routable-page idiom, see above

        return views.thank_you_taking_part(request, self)

    @path("thank-you/contact/", name="contact")
    def contact_route(self, request):
        from consultations import views  # routable-page idiom, see above

        return views.thank_you_contact(request, self)
