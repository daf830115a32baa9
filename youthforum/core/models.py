"""The site's home page, general pages and site-wide settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from youthforum.news.models import NewsPage

from .blocks import BodyBlock, HelplineBlock

DEFAULT_HELPLINES = [
    {
        "type": "helpline",
        "value": {
            "name": "Childline",
            "contact": "0800 1111",
            "telephone": "08001111",
            "description": "Free, private and confidential, any time, day or night.",
        },
    },
    {
        "type": "helpline",
        "value": {
            "name": "Shout",
            "contact": "Text SHOUT to 85258",
            "telephone": "",
            "description": "Free text support, any time, if you are struggling to cope.",
        },
    },
]


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """What the partnership tells every visitor: name, logo, contact email and where to get help.

    Facilitators change these in Settings › Site settings; the footer of every page shows them.
    """

    partnership_name = models.CharField(
        _("partnership name"), max_length=255, default="Safeguarding Children Partnership"
    )
    forum_name = models.CharField(_("forum name"), max_length=255, default="Youth Forum")
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    emergency_message = models.CharField(
        _("emergency message"),
        max_length=255,
        default="If you are in danger now, call 999.",
        help_text=_("Shown first, above the helplines, on every page."),
    )
    helplines = StreamField(
        [("helpline", HelplineBlock())],
        blank=True,
        default=DEFAULT_HELPLINES,
        verbose_name=_("helplines"),
        help_text=_("Places young people can get help, in the order they should see them."),
    )

    out_of_hours_name = models.CharField(
        _("out-of-hours service"),
        max_length=255,
        blank=True,
        default="Emergency Duty Team",
        help_text=_("Who Safeguarding leads call when an urgent concern comes in out of hours."),
    )
    out_of_hours_phone = models.CharField(
        _("out-of-hours phone number"),
        max_length=40,
        blank=True,
        help_text=_("Shown beside urgent concerns raised outside working hours."),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("partnership_name"), FieldPanel("forum_name"), FieldPanel("logo")],
            heading=_("Who we are"),
        ),
        FieldPanel("contact_email"),
        MultiFieldPanel(
            [FieldPanel("emergency_message"), FieldPanel("helplines")],
            heading=_("Getting help (signposting)"),
        ),
        MultiFieldPanel(
            [FieldPanel("out_of_hours_name"), FieldPanel("out_of_hours_phone")],
            heading=_("Out of hours (for Safeguarding leads)"),
        ),
    ]

    class Meta:
        verbose_name = _("site settings")


class HomePage(Page):
    """The front door: what the forum is, its news, a film, open consultations and what changed."""

    introduction = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)
    featured_film = models.ForeignKey(
        "films.FilmPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("featured film"),
    )
    you_said_heading = models.CharField(
        _("“You said, we did” heading"), max_length=255, default="You said, we did", blank=True
    )
    you_said_text = models.TextField(
        _("“You said, we did” summary"),
        blank=True,
        help_text=_("One or two sentences about what the partners have done after listening."),
    )
    you_said_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("“You said, we did” link"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("introduction"),
        FieldPanel("featured_film"),
        MultiFieldPanel(
            [
                FieldPanel("you_said_heading"),
                FieldPanel("you_said_text"),
                FieldPanel("you_said_page"),
            ],
            heading=_("You said, we did"),
        ),
    ]
    search_fields = [*Page.search_fields, index.SearchField("introduction")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "core.StandardPage",
        "news.NewsIndexPage",
        "films.FilmIndexPage",
        "events.EventIndexPage",
        "consultations.ConsultationIndexPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_news"] = (
            NewsPage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("listing_image")
            .order_by("-date", "-pk")[:3]
        )
        context["featured_film"] = (
            self.featured_film if self.featured_film and self.featured_film.live else None
        )
        return context


class StandardPage(Page):
    """A general page: about the forum, resources, how we use your information, and so on."""

    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One or two sentences, shown in listings and search.")
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("summary"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["core.HomePage", "core.StandardPage"]
    subpage_types = ["core.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
