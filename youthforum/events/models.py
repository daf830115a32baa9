"""Forum meetings and forum weeks. How to join is for signed-in members only."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from youthforum.accounts.roles import is_forum_member
from youthforum.core.blocks import BodyBlock


class EventKind(models.TextChoices):
    MEETING = "meeting", _("Termly forum meeting")
    FORUM_WEEK = "forum-week", _("Forum week")
    OTHER = "other", _("Other event")


class Attendance(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in-person", _("In person")
    BOTH = "both", _("Online and in person")


class EventIndexPage(Page):
    introduction = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    content_panels = [*Page.content_panels, FieldPanel("introduction")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["events.EventPage"]

    class Meta:
        verbose_name = _("event index page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        events = EventPage.objects.live().public().child_of(self)
        now = timezone.now()
        context["upcoming_events"] = events.filter(end__gte=now).order_by("start")
        context["past_events"] = events.filter(end__lt=now).order_by("-start")[:12]
        return context


class EventPage(Page):
    kind = models.CharField(
        _("kind of event"), max_length=16, choices=EventKind.choices, default=EventKind.MEETING
    )
    start = models.DateTimeField(_("starts"))
    end = models.DateTimeField(_("ends"))
    attendance = models.CharField(
        _("online or in person"),
        max_length=16,
        choices=Attendance.choices,
        default=Attendance.ONLINE,
    )
    place = models.CharField(
        _("where (public)"),
        max_length=255,
        blank=True,
        help_text=_(
            "A town or “Online”. Never an exact address or a meeting link: those go below."
        ),
    )
    summary = models.TextField(_("summary"), max_length=300)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("about the event"))
    joining_details = RichTextField(
        _("how to join (members only)"),
        features=["bold", "italic", "link", "ul"],
        blank=True,
        help_text=_(
            "Meeting link, address or meeting point. Only signed-in Youth Forum members see this."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
                FieldPanel("attendance"),
                FieldPanel("place"),
            ],
            heading=_("When and where"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("joining_details"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.FilterField("start")]

    parent_page_types = ["events.EventIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("event page")

    def clean(self):
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end must be after the start.")})

    @property
    def is_past(self) -> bool:
        return self.end < timezone.now()

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["show_joining_details"] = is_forum_member(request.user)
        return context
