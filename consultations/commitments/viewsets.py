"""Commitments in the Wagtail admin, for Executive partners and Facilitators."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import SnippetViewSet

from consultations.commitments.models import Commitment

from .selectors import OPEN_STATUSES, is_overdue
from .services import feedback_counts


class DueColumn(Column):
    """The due date, and “Overdue” when an open commitment's date has passed."""

    cell_template_name = "commitments/admin/due_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["overdue"] = is_overdue(instance, today=timezone.localdate())
        return context


class CommitmentFilterSet(WagtailFilterSet):
    overdue = django_filters.BooleanFilter(
        label=_("Overdue only"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
        initial=False,  # unticked is not a filter, so Wagtail shows no "active filter" for it
    )

    class Meta:
        model = Commitment
        fields = ["status", "partner", "consultation", "published"]

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())


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
        DueColumn("due_date", label=_("Due")),
        Column("status", label=_("Status"), accessor="get_status_display"),
        FeedbackColumn("feedback", label=_("Does it answer what they said?")),
    ]
    filterset_class = CommitmentFilterSet
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
