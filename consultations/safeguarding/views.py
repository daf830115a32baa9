"""The safeguarding queue in the Wagtail admin: the listing, one concern, and a lead's actions.

Only people with ``safeguarding.review_safeguarding`` (Safeguarding leads and superusers) get
in; signed-in staff without it get a 403 page that says so. Wagtail itself sends people without
admin access (members, anonymous visitors) to sign in. The views only orchestrate: reads are in
``selectors``, writes in ``services``.
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, Table, TitleColumn
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.log_actions import registry as log_registry

from consultations.models import ConsultationPage
from consultations.safeguarding.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    ConcernStatus,
    SafeguardingConcern,
    Severity,
)
from consultations.services.raw_answers import can_read_raw_answers

from . import selectors, services
from .display import category_labels, found_by_learned_check, highlight
from .forms import ConcernStatusForm, ReleaseForm, WithholdForm

PERMISSION = "safeguarding.review_safeguarding"
URL_NAMESPACE = "safeguarding"


def admin_url(name: str, *args) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def can_review(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(PERMISSION)


class SafeguardingPermissionMixin:
    """Refuse, with a 403 page, anyone who may not see the queue.

    A 403 rather than Wagtail's usual "redirect to the dashboard with a message": a link to a
    concern is emailed to leads, and whoever else follows one should be told plainly that this
    page is not for them.
    """

    def dispatch(self, request, *args, **kwargs):
        if not can_review(request.user):
            return TemplateResponse(
                request,
                "safeguarding/forbidden.html",
                {
                    "page_title": _("Safeguarding queue"),
                    "header_title": _("Safeguarding queue"),
                    "header_icon": "warning",
                },
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def now(self):
        return timezone.now()


# The queue ------------------------------------------------------------------------------------


STATUS_OPEN = "open"
STATUS_CLOSED = "closed"
STATUS_ANY = "all"
STATUS_CHOICES = [
    (STATUS_OPEN, gettext_lazy("Open (new or under review)")),
    *ConcernStatus.choices,
    (STATUS_CLOSED, gettext_lazy("Closed (any outcome)")),
    (STATUS_ANY, gettext_lazy("Any status")),
]


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

    def filter_status(self, queryset, name, value):
        if value == STATUS_OPEN:
            return queryset.filter(status__in=OPEN_STATUSES)
        if value == STATUS_CLOSED:
            return queryset.filter(status__in=CLOSED_STATUSES)
        if value in ConcernStatus.values:
            return queryset.filter(status=value)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=selectors.overdue_concern_ids(now=timezone.now()))


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
            DueByColumn("due_by", label=_("Due by")),
        ]

    def get_base_queryset(self):
        return selectors.concern_queue()

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


# One concern ----------------------------------------------------------------------------------


class ConcernDetailView(SafeguardingPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Everything about one concern, the lead's forms, its notes and its audit log.

    Shows the words as written (with the screen's matches marked) to those who may read them
    (``view_raw_answers``: Safeguarding leads), because deciding needs them; others see the
    redacted words only. Every opening of this page is recorded in the audit log, as "Read an
    answer as written" when the words were shown (consultations.services.raw_answers).
    """

    template_name = "safeguarding/detail.html"
    header_icon = "warning"

    @cached_property
    def concern(self):
        return get_object_or_404(
            SafeguardingConcern.objects.select_related(
                "consultation", "response", "answer__question", "respondent"
            ),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def shows_words_as_written(self) -> bool:
        answer = self.concern.answer
        return bool(answer and answer.text) and can_read_raw_answers(self.request.user)

    def get(self, request, *args, **kwargs):
        services.concern_view_record(
            concern=self.concern, user=request.user, as_written=self.shows_words_as_written
        )
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("Concern #%(pk)s") % {"pk": self.concern.pk}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": admin_url("index"), "label": _("Safeguarding queue")},
            {"url": "", "label": self.get_page_title()},
        ]

    def forms(self, bound=None) -> dict:
        concern = self.concern
        forms_ = {
            "status_form": ConcernStatusForm(
                initial={"status": concern.status, "expected_status": concern.status}
            ),
            "release_form": ReleaseForm(),
            "withhold_form": WithholdForm(),
        }
        if bound is not None:
            forms_.update(bound)
        return forms_

    def get_context_data(self, **kwargs):
        concern = self.concern
        answer = concern.answer
        [concern] = selectors.concern_deadlines_annotate([concern], now=self.now())
        context = {**self.forms(), **kwargs}
        context.update(
            concern=concern,
            answer=answer,
            question=answer.question if answer else None,
            answer_html=(
                highlight(answer.text, concern.spans) if self.shows_words_as_written else ""
            ),
            words_kept=bool(answer and answer.text),
            categories=category_labels(concern.categories),
            decision=selectors.concern_answer_decision(concern),
            notes=concern.notes.select_related("author"),
            log_entries=log_registry.get_logs_for_instance(concern).select_related("user"),
            urgent=concern.severity == Severity.URGENT,
            learned_only=found_by_learned_check(concern.spans),
        )
        return super().get_context_data(**context)


class ConcernActionView(ConcernDetailView):
    """A lead's action on a concern, posted from its page; shown again with errors if refused."""

    http_method_names = ["post"]
    form_class = None
    form_context_name = None

    def perform(self, form):
        raise NotImplementedError

    def success_message(self, note) -> str:
        raise NotImplementedError

    def refused_form(self, form):
        """The form to show again after a refusal (as posted, by default)."""
        return form

    def show_again(self, form):
        """The concern's page again, with the form as it is; a reading like any other."""
        services.concern_view_record(
            concern=self.concern, user=self.request.user, as_written=self.shows_words_as_written
        )
        return self.render_to_response(self.get_context_data(**{self.form_context_name: form}))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was changed. See the message by the form."))
            return self.show_again(form)
        try:
            note = self.perform(form)
        except services.ConcernActionRefused as refusal:
            form.add_error(None, str(refusal))
            messages.error(request, _("Nothing was changed. %(reason)s") % {"reason": refusal})
            return self.show_again(self.refused_form(form))
        messages.success(request, self.success_message(note))
        return redirect(admin_url("detail", self.concern.pk))


class ConcernStatusView(ConcernActionView):
    form_class = ConcernStatusForm
    form_context_name = "status_form"

    def perform(self, form):
        return services.concern_status_change(
            concern_id=self.concern.pk,
            user=self.request.user,
            to_status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
            expected_status=form.cleaned_data["expected_status"] or None,
        )

    def refused_form(self, form):
        # Someone else may have changed the status meanwhile: the lead has now seen the current
        # status (and the notes), so a second attempt goes through.
        data = form.data.copy()
        data[form.add_prefix("expected_status")] = self.current_status()
        refreshed = self.form_class(data)
        refreshed.is_valid()
        for error in form.non_field_errors():
            refreshed.add_error(None, error)
        return refreshed

    def current_status(self) -> str:
        return SafeguardingConcern.objects.values_list("status", flat=True).get(pk=self.concern.pk)

    def success_message(self, note):
        if note.action == services.ACTION_NOTE:
            return _("Your note was added.")
        return _("Status changed to “%(status)s”.") % {"status": note.get_to_status_display()}


class ReleaseView(ConcernActionView):
    form_class = ReleaseForm
    form_context_name = "release_form"

    def perform(self, form):
        return services.concern_answer_release(
            concern_id=self.concern.pk, user=self.request.user, note=form.cleaned_data["note"]
        )

    def success_message(self, note):
        return _("The answer was released. It may now appear, redacted, in outputs.")


class WithholdView(ConcernActionView):
    form_class = WithholdForm
    form_context_name = "withhold_form"

    def perform(self, form):
        return services.concern_answer_withhold(
            concern_id=self.concern.pk, user=self.request.user, note=form.cleaned_data["note"]
        )

    def success_message(self, note):
        return _("The answer is withheld. It will not appear in any output.")
