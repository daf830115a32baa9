"""The safeguarding queue: open concerns by severity and age, with filters a lead works from."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, Table, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView

from consultations.models import ConsultationPage
from consultations.safeguarding.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    ConcernStatus,
    SafeguardingConcern,
    Severity,
)

from .. import selectors, services
from ..display import category_labels
from .common import URL_NAMESPACE, SafeguardingPermissionMixin, admin_url, person_name

STATUS_OPEN = "open"
STATUS_CLOSED = "closed"
STATUS_ANY = "all"
STATUS_CHOICES = [
    (STATUS_OPEN, gettext_lazy("Open (new, under review, referred or monitoring)")),
    *ConcernStatus.choices,
    (STATUS_CLOSED, gettext_lazy("Closed (action taken or no further action)")),
    (STATUS_ANY, gettext_lazy("Any status")),
]
ASSIGNED_TO_ME = "me"
ASSIGNED_TO_NOBODY = "nobody"


class ConcernFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=None,
        initial=STATUS_OPEN,
        widget=forms.RadioSelect,
    )
    severity = django_filters.ChoiceFilter(
        label=gettext_lazy("Severity"),
        choices=Severity.choices,
        empty_label=gettext_lazy("Any"),
        widget=forms.RadioSelect,
    )
    assignee = django_filters.ChoiceFilter(
        label=gettext_lazy("Assigned to"),
        choices=[],  # the leads, set in __init__
        method="filter_assignee",
        empty_label=gettext_lazy("Anyone or nobody"),
    )
    consultation = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Consultation"),
        queryset=ConsultationPage.objects.none(),
        empty_label=gettext_lazy("Any consultation"),
    )
    overdue = django_filters.BooleanFilter(
        label=gettext_lazy("Overdue only"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
        initial=False,  # unticked is not a filter, so Wagtail shows no "active filter" for it
    )

    class Meta:
        model = SafeguardingConcern
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("status"):
            # Open concerns unless asked otherwise (the field's initial value, so Wagtail does
            # not count it as an active filter).
            data = data.copy()
            data["status"] = STATUS_OPEN
        super().__init__(data, *args, **kwargs)
        self.filters["consultation"].queryset = ConsultationPage.objects.filter(
            Exists(SafeguardingConcern.objects.filter(consultation=OuterRef("pk")))
        ).order_by("title")
        self.filters["assignee"].extra["choices"] = [
            (ASSIGNED_TO_ME, _("Assigned to me")),
            (ASSIGNED_TO_NOBODY, _("Nobody")),
            *((str(user.pk), person_name(user)) for user in self.assignees()),
        ]

    @staticmethod
    def assignees():
        """The leads, and anyone who has concerns assigned though no longer a lead."""
        assigned = SafeguardingConcern.objects.filter(assigned_to=OuterRef("pk"))
        return (
            get_user_model()
            .objects.filter(Q(pk__in=services.safeguarding_leads().values("pk")) | Exists(assigned))
            .order_by("first_name", "last_name", "email", "pk")
        )

    def filter_status(self, queryset, name, value):
        if value == STATUS_OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == STATUS_CLOSED:
            return queryset.filter(status__in=CLOSED_STATUSES)
        if value in ConcernStatus.values:
            return queryset.filter(status=value)
        return queryset

    def filter_assignee(self, queryset, name, value):
        if value == ASSIGNED_TO_ME:
            return queryset.filter(assigned_to=self.request.user)
        if value == ASSIGNED_TO_NOBODY:
            return queryset.filter(assigned_to__isnull=True)
        if value and value.isdigit():
            return queryset.filter(assigned_to_id=int(value))
        return queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        # Open and past ``due_at`` (selectors.overdue_concerns), as the counts above the list.
        return selectors.overdue_concerns(now=timezone.now(), queryset=queryset)


class ConcernTable(Table):
    def get_caption(self):
        return _("Safeguarding concerns, open ones first, most urgent and oldest at the top")

    def get_row_classname(self, instance):
        return "safeguarding-overdue" if getattr(instance, "overdue", False) else ""


class DueByColumn(Column):
    cell_template_name = "safeguarding/due_cell.html"


class ConcernIndexView(SafeguardingPermissionMixin, BaseListingView):
    """Concerns by severity and age, with their deadlines; open ones unless filtered."""

    model = SafeguardingConcern
    page_title = gettext_lazy("Safeguarding queue")
    header_icon = "warning"
    template_name = "safeguarding/index.html"
    results_template_name = "safeguarding/index_results.html"
    table_class = ConcernTable
    paginate_by = 50
    index_url_name = f"{URL_NAMESPACE}:index"
    index_results_url_name = f"{URL_NAMESPACE}:index_results"
    filterset_class = ConcernFilterSet
    verbose_name_plural = gettext_lazy("concerns")

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "concern",
                label=_("Concern"),
                accessor=lambda c: _("Concern #%(pk)s") % {"pk": c.pk},
                get_url=lambda c: admin_url("detail", c.pk),
            ),
            StatusTagColumn(
                "severity",
                label=_("Severity"),
                accessor="get_severity_display",
                primary=lambda c: c.severity == Severity.URGENT,
            ),
            Column(
                "categories",
                label=_("Categories"),
                accessor=lambda c: (
                    ", ".join(category_labels(c.categories))
                    or (_("Screening failed") if c.screening_failed else "")
                ),
            ),
            Column(
                "consultation",
                label=_("Consultation"),
                accessor=lambda c: c.consultation.title if c.consultation else _("(deleted)"),
            ),
            DateColumn("created_at", label=_("Age")),
            Column("status", label=_("Status"), accessor="get_status_display"),
            Column(
                "assigned_to",
                label=_("Assigned to"),
                accessor=lambda c: person_name(c.assigned_to) or _("Nobody"),
            ),
            DueByColumn("due_by", label=_("Due by")),
        ]

    def get_base_queryset(self):
        return selectors.concern_queue().select_related("assigned_to")

    def order_queryset(self, queryset):
        return queryset  # the queue's own order (selectors.concern_queue)

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        object_list = selectors.concern_deadlines_annotate(object_list, now=self.now())
        return paginator, page, object_list, is_paginated

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = selectors.concern_counts(now=self.now())
        return context
