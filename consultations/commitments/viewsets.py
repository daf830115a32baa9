"""Commitments in the Wagtail admin, for Executive partners and Facilitators."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from consultations.commitments.models import Commitment

from .services import feedback_counts


class FeedbackColumn(Column):
    """“Does this answer what you said?” counts: yes / partly / no."""

    def get_value(self, instance):
        counts = getattr(instance, "_feedback_counts", None)
        if counts is None:
            counts = feedback_counts([instance]).get(instance.pk)
        if not counts or not counts.total:
            return _("No answers yet")
        return _("Yes %(yes)s · Partly %(partly)s · No %(no)s") % {
            "yes": counts.yes,
            "partly": counts.partly,
            "no": counts.no,
        }


class CommitmentViewSet(SnippetViewSet):
    model = Commitment
    icon = "tasks"
    menu_label = _("You said, we did")
    menu_name = "commitments"
    menu_order = 160
    add_to_admin_menu = True
    list_display = [
        Column("we_will", label=_("What will be done"), accessor="__str__"),
        Column("consultation", label=_("Consultation")),
        Column("partner", label=_("Partner"), accessor="get_partner_display"),
        Column("due_date", label=_("Due")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        FeedbackColumn("feedback", label=_("Does it answer what they said?")),
    ]
    list_filter = ["status", "partner", "consultation", "published"]
    search_fields = ["we_will", "you_said", "lead"]
    ordering = ["due_date"]

    panels = [
        FieldPanel("consultation"),
        FieldPanel("theme"),
        FieldPanel("you_said"),
        FieldPanel("we_will"),
        FieldRowPanel([FieldPanel("partner"), FieldPanel("lead")]),
        FieldRowPanel([FieldPanel("due_date"), FieldPanel("status")]),
        FieldPanel("reason"),
        FieldPanel("published"),
        MultiFieldPanel(
            [InlinePanel("updates", label=_("Progress update"))], heading=_("Progress")
        ),
    ]
