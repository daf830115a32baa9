"""The forum's films, each with a transcript, a poster and a player that loads only on request."""

import math
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.embeds import embeds
from wagtail.embeds.exceptions import EmbedException
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .embeds import parse_video_url


def validate_video_url(value: str) -> None:
    if parse_video_url(value) is None:
        raise ValidationError(
            _(
                "Enter the address of a YouTube or Vimeo video, for example https://www.youtube.com/watch?v=…"
            )
        )


class AgeGuidance(models.TextChoices):
    ALL = "all", _("Suitable for everyone")
    TEN_PLUS = "10+", _("Ages 10 and over")
    THIRTEEN_PLUS = "13+", _("Ages 13 and over")
    SIXTEEN_PLUS = "16+", _("Ages 16 and over")


class FilmIndexPage(Page):
    introduction = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["films.FilmPage"]

    class Meta:
        verbose_name = _("film index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["films"] = (
            FilmPage.objects.live()
            .public()
            .child_of(self)
            .select_related("poster")
            .order_by("-first_published_at")
        )
        return context


class FilmPage(Page):
    """A film. Its transcript is required and always on the page, so no one depends on the video."""

    summary = models.TextField(
        _("summary"), max_length=300, help_text=_("What the film is about, in a sentence or two.")
    )
    video_url = models.URLField(
        _("video address"),
        validators=[validate_video_url],
        help_text=_(
            "A YouTube or Vimeo address. The video loads only when a visitor presses play."
        ),
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("poster image"),
        help_text=_("Shown until the visitor chooses to play the video."),
    )
    poster_alt = models.CharField(
        _("poster description"),
        max_length=255,
        help_text=_("Describe the poster for people who cannot see it."),
    )
    transcript = RichTextField(
        _("transcript"),
        features=["h3", "bold", "italic", "ol", "ul"],
        help_text=_("Everything said in the film, and any important sounds or on-screen text."),
    )
    captions_note = models.CharField(
        _("captions note"),
        max_length=255,
        blank=True,
        default="This film has subtitles. Turn them on with the CC button in the player.",
    )
    duration = models.DurationField(
        _("length"),
        help_text=_("Hours, minutes and seconds, for example 00:04:30."),
        default=timedelta(minutes=3),
    )
    age_guidance = models.CharField(
        _("age guidance"), max_length=8, choices=AgeGuidance.choices, default=AgeGuidance.ALL
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("video_url"),
                FieldPanel("poster"),
                FieldPanel("poster_alt"),
                FieldPanel("duration"),
            ],
            heading=_("Video"),
        ),
        MultiFieldPanel(
            [FieldPanel("transcript"), FieldPanel("captions_note"), FieldPanel("age_guidance")],
            heading=_("Accessibility and age guidance"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("transcript"),
    ]

    parent_page_types = ["films.FilmIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("film page")

    @property
    def duration_minutes(self) -> int:
        """Length in whole minutes, rounded up, for listings (“5 minutes”)."""
        return max(1, math.ceil(self.duration.total_seconds() / 60))

    def player_html(self) -> str:
        """The player's HTML from Wagtail's embeds (our privacy-enhanced finder), or ''."""
        try:
            return embeds.get_embed(self.video_url).html
        except EmbedException:
            return ""

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Without JavaScript the "Play" button is a link to ?play=1, which shows the player.
        context["playing"] = request.GET.get("play") == "1"
        return context
