"""Facilitators' views of responses: which consultations have how many, a listing, a detail.

The list of consultations is the admin's "Consultations" menu item; each consultation's views
share its tabs (``tabs.py``), starting with its overview (``workspace.py``).

Nothing here shows who a member is: a response given while signed in says only that.
"""

import copy

import django_filters
from django.db.models import Count, Exists, Max, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import (
    Column,
    DateColumn,
    NumberColumn,
    StatusFlagColumn,
    TitleColumn,
)
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import BaseListingView, WagtailAdminTemplateMixin
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.admin.widgets.button import Button, HeaderButton

from consultations import raw_downloads
from consultations.models import (
    AboutYouOptions,
    Answer,
    ConsultationPage,
    ImportBatch,
    Question,
    Response,
    Source,
)
from consultations.services import raw_answers

from .columns import CalendarDateColumn, LinkedNumberColumn
from .tabs import current_tab, workspace_tabs

URL_NAMESPACE = "consultations"
REVIEW_PERMISSION = "safeguarding.review_safeguarding"  # the safeguarding queue's


def admin_url(name: str, *args) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def consultation_breadcrumbs(consultation, *, link_consultation=True) -> list[dict]:
    """Consultations › the consultation (its overview), as Wagtail's breadcrumbs."""
    return [
        *WagtailAdminTemplateMixin.breadcrumbs_items,
        {"url": admin_url("index"), "label": _("Consultations")},
        {
            "url": admin_url("overview", consultation.pk) if link_consultation else "",
            "label": consultation.get_admin_display_title(),
        },
    ]


class ConsultationMixin:
    """Loads the consultation named in the URL (after PermissionCheckedMixin has checked), and
    gives the templates its tabs (``workspace_tabs``, see ``tabs.py``)."""

    def dispatch(self, request, *args, **kwargs):
        self.consultation = get_object_or_404(ConsultationPage, pk=kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def consultation_breadcrumbs(self, *, link_consultation=True) -> list[dict]:
        return consultation_breadcrumbs(self.consultation, link_consultation=link_consultation)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            consultation=self.consultation,
            workspace_tabs=workspace_tabs(
                consultation=self.consultation,
                user=self.request.user,
                current=current_tab(self.request),
            ),
            **kwargs,
        )


# The consultations, with how many responses each has -------------------------------------------


class ConsultationIndexView(PermissionCheckedMixin, BaseListingView):
    """Every consultation, linking to its overview, with its number of responses, linking to
    them. The admin menu's "Consultations"."""

    model = Response
    permission_required = "view"
    page_title = gettext_lazy("Consultations")
    header_icon = "clipboard-list"
    paginate_by = 50
    index_url_name = f"{URL_NAMESPACE}:index"
    index_results_url_name = f"{URL_NAMESPACE}:index_results"
    is_searchable = True
    search_fields = ["title"]
    search_backend_name = None
    default_ordering = "-opens_at"
    verbose_name_plural = gettext_lazy("consultations")

    columns = [
        TitleColumn(
            "title",
            label=gettext_lazy("Consultation"),
            get_url=lambda page: admin_url("overview", page.pk),
            sort_key="title",
        ),
        Column("status", accessor="status.label", label=gettext_lazy("Status")),
        LinkedNumberColumn(
            "response_count",
            label=gettext_lazy("Responses"),
            sort_key="response_count",
            get_url=lambda page: admin_url("responses", page.pk),
            link_suffix=gettext_lazy("responses"),
        ),
        DateColumn(
            "last_response_at", label=gettext_lazy("Latest response"), sort_key="last_response_at"
        ),
        CalendarDateColumn("opens_at", label=gettext_lazy("Opens"), sort_key="opens_at"),
        CalendarDateColumn("closes_at", label=gettext_lazy("Closes"), sort_key="closes_at"),
    ]

    def get_base_queryset(self):
        return ConsultationPage.objects.annotate(
            response_count=Count("responses"), last_response_at=Max("responses__submitted_at")
        )

    def order_queryset(self, queryset):
        return queryset.order_by(self.ordering or self.default_ordering, "-pk")


# Responses: listing, filters, downloads ---------------------------------------------------------


class ResponseFilterSet(WagtailFilterSet):
    question = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Answered the question"),
        queryset=Question.objects.none(),
        method="filter_answered",
        empty_label=gettext_lazy("Any question"),
    )
    submitted_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Date given"), widget=DateRangePickerWidget
    )
    source = django_filters.ChoiceFilter(
        label=gettext_lazy("Source"), choices=Source.choices, empty_label=gettext_lazy("Any")
    )
    age_band = django_filters.ChoiceFilter(
        label=gettext_lazy("Age band"), choices=[], empty_label=gettext_lazy("Any")
    )
    area = django_filters.ChoiceFilter(
        label=gettext_lazy("Area"), choices=[], empty_label=gettext_lazy("Any")
    )
    import_batch = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Import batch"),
        queryset=ImportBatch.objects.none(),
        empty_label=gettext_lazy("Any"),
    )

    class Meta:
        model = Response
        fields = []

    def __init__(self, *args, consultation: ConsultationPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["question"].queryset = consultation.ordered_questions()
        self.filters["import_batch"].queryset = consultation.import_batches.all()
        given = Response.objects.filter(page=consultation)
        settings = AboutYouOptions.load()
        for name, about in (("age_band", "age_band"), ("area", "area")):
            present = set(given.exclude(**{name: ""}).values_list(name, flat=True).distinct())
            offered = settings.options_for(about)
            options = [o for o in offered if o in present] + sorted(present - set(offered))
            self.filters[name].extra["choices"] = [(o, o) for o in options]

    def filter_answered(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(Answer.objects.filter(response=OuterRef("pk"), question=value))
        )


class ResponseIndexView(
    PermissionCheckedMixin, ConsultationMixin, SpreadsheetExportMixin, BaseListingView
):
    """A consultation's responses, filtered, with counts, and downloads of what is shown.

    ``?export=csv`` or ``?export=xlsx`` downloads every response the filters select (see
    ``consultations.raw_downloads`` for what the file holds and who sees the words people wrote).
    """

    model = Response
    permission_required = "view"
    template_name = "consultations/admin/workspace_listing.html"
    results_template_name = "consultations/admin/responses_results.html"
    header_icon = "clipboard-list"
    paginate_by = 50
    filterset_class = ResponseFilterSet
    is_searchable = True
    search_fields = ["reference"]
    search_backend_name = None
    default_ordering = "-submitted_at"
    verbose_name_plural = gettext_lazy("responses")
    list_export = ["response"]  # the columns come from raw_downloads.ResponseTable

    def get(self, request, *args, **kwargs):
        if self.is_export:
            file_format = request.GET.get("export")
            if self.export_table.raw_text:
                raw_answers.raw_download_record(
                    consultation=self.consultation, user=request.user, file_format=file_format
                )
            # Straight to the file: the listing's context (tables, pages) is not needed.
            return self.as_spreadsheet(self.get_queryset(), file_format)
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("Responses")

    def get_page_subtitle(self):
        return self.consultation.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.consultation_breadcrumbs(link_consultation=False)

    def get_index_url(self):
        return admin_url("responses", self.consultation.pk)

    def get_index_results_url(self):
        return admin_url("responses_results", self.consultation.pk)

    @cached_property
    def columns(self):
        page_id = self.consultation.pk
        return [
            TitleColumn(
                "reference",
                label=_("Reference"),
                get_url=lambda response: admin_url("response", page_id, response.pk),
            ),
            DateColumn("submitted_at", label=_("Given"), sort_key="submitted_at"),
            Column("source", accessor="get_source_display", label=_("Source"), sort_key="source"),
            Column(
                "import_batch",
                accessor=lambda r: r.import_batch.filename if r.import_batch else "",
                label=_("Import batch"),
            ),
            Column("age_band", label=_("Age band"), sort_key="age_band"),
            Column("area", label=_("Area"), sort_key="area"),
            NumberColumn("answer_count", label=_("Questions answered")),
            StatusFlagColumn(
                "has_held_answer",
                label=_("Status"),
                true_label=_("Held for safeguarding review"),
            ),
        ]

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "consultation": self.consultation}

    def get_base_queryset(self):
        return Response.objects.filter(page=self.consultation)

    def order_queryset(self, queryset):
        ordering = self.ordering or "-submitted_at"
        return queryset.order_by(ordering, "-pk" if ordering.startswith("-") else "pk")

    def get_queryset(self):
        held = Answer.objects.filter(response=OuterRef("pk"), held=True)
        return (
            super()
            .get_queryset()
            .select_related("import_batch")
            .annotate(has_held_answer=Exists(held))
        )

    def paginate_queryset(self, queryset, page_size):
        paginator, page, object_list, is_paginated = super().paginate_queryset(queryset, page_size)
        # Count answers for the shown page only, not for every response in the consultation.
        counts = dict(
            Answer.objects.filter(response__in=[r.pk for r in object_list])
            .values_list("response")
            .annotate(n=Count("pk"))
        )
        for response in object_list:
            response.answer_count = counts.get(response.pk, 0)
        return paginator, page, object_list, is_paginated

    def counts(self, queryset) -> dict:
        """How many responses are shown, by source, and how many the consultation has."""
        by_source = dict(queryset.order_by().values_list("source").annotate(n=Count("pk")))
        return {
            "shown": sum(by_source.values()),
            "total": Response.objects.filter(page=self.consultation).count(),
            "by_source": [
                {"label": label, "count": by_source.get(value, 0)}
                for value, label in Source.choices
                if by_source.get(value)
            ],
        }

    @cached_property
    def header_buttons(self):
        buttons = []
        user = self.request.user
        if user.has_perm("consultations.add_importbatch"):
            buttons.append(
                HeaderButton(
                    _("Import answers"),
                    url=admin_url("import", self.consultation.pk),
                    icon_name="upload",
                    priority=10,
                )
            )
        return buttons

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons  # the downloads
        if self.request.user.has_perm("consultations.view_importbatch"):
            buttons.append(
                Button(
                    _("Imports"),
                    url=admin_url("imports", self.consultation.pk),
                    icon_name="list-ul",
                    priority=100,
                )
            )
        if self.consultation.permissions_for_user(self.request.user).can_edit():
            buttons.append(
                Button(
                    _("Edit consultation"),
                    url=reverse("wagtailadmin_pages:edit", args=[self.consultation.pk]),
                    icon_name="edit",
                    priority=110,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = self.counts(self.get_queryset())
        context["csv_export_url"] = self.csv_export_url
        context["xlsx_export_url"] = self.xlsx_export_url
        context["raw_text_allowed"] = raw_downloads.can_export_raw_answers(self.request.user)
        return context

    # Downloads: SpreadsheetExportMixin builds the response; exports builds the file.

    @cached_property
    def export_table(self):
        return raw_downloads.ResponseTable(
            self.consultation, raw_text=raw_downloads.can_export_raw_answers(self.request.user)
        )

    def get_filename(self):
        return f"{self.consultation.slug}-responses-{timezone.localdate():%Y-%m-%d}"

    def get_export_url(self, format):
        # The listing's own URL, also when the results part is refreshed after filtering.
        params = self.request.GET.copy()
        params.pop(self.page_kwarg, None)
        params.pop("_w_filter_fragment", None)
        params["export"] = format
        return f"{self.get_index_url()}?{params.urlencode()}"

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def stream_csv(self, queryset):
        return raw_downloads.csv_lines(self.export_table, queryset)

    def write_xlsx(self, queryset, output):
        raw_downloads.write_xlsx(self.export_table, queryset, output)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # The file holds answers: no cache may keep it (Wagtail's never_cache says so too, but
        # only where the view is mounted under its admin URLs).
        response = super().as_spreadsheet(queryset, spreadsheet_format)
        if response is not None:
            response["Cache-Control"] = "private, no-store"
        return response


class ResponseDetailView(
    PermissionCheckedMixin, ConsultationMixin, WagtailAdminTemplateMixin, TemplateView
):
    """One response: every question with its answer, and where the response came from.

    The words people wrote read redacted, and a held answer reads "held", as in downloads. A
    holder of ``view_raw_answers`` reads an answer that raised a safeguarding concern as written;
    each such reading is written to the audit log (``consultations.services.raw_answers``).
    """

    model = Response
    permission_required = "view"
    template_name = "consultations/admin/response_detail.html"
    header_icon = "clipboard-list"

    @cached_property
    def response(self):
        return get_object_or_404(
            Response.objects.select_related("import_batch"),
            page=self.consultation,
            pk=self.kwargs["response_id"],
        )

    def get_page_title(self):
        return _("Response %(reference)s") % {"reference": self.response.reference}

    def get_breadcrumbs_items(self):
        return [*self.consultation_breadcrumbs(), {"url": "", "label": self.response.reference}]

    @cached_property
    def answers(self) -> dict[int, Answer]:
        return {a.question_id: a for a in self.response.answers.all()}

    @cached_property
    def as_written(self) -> dict:
        """The answers this reader may read as written, by answer id, with their concerns."""
        return raw_answers.readable_as_written(
            user=self.request.user, answers=self.answers.values()
        )

    def get(self, request, *args, **kwargs):
        for concern in self.as_written.values():
            raw_answers.raw_answer_read_record(
                concern=concern, user=request.user, where=raw_answers.WHERE_RESPONSE
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        response = self.response
        context["response"] = response
        context["answered_as_member"] = response.user_id is not None
        context["answers"] = [
            self.answer_item(number, question)
            for number, question in enumerate(self.consultation.ordered_questions(), start=1)
        ]
        context["any_as_written"] = bool(self.as_written)
        context["submitted_at"] = timezone.localtime(response.submitted_at)
        return context

    def answer_item(self, number: int, question: Question) -> dict:
        answer = self.answers.get(question.pk)
        concern = self.as_written.get(answer.pk) if answer is not None else None
        if concern is None:
            value = raw_downloads.answer_value(question, answer, raw_text=False)
        else:
            # answer_value never shows a held answer's words (downloads must not); this reader
            # may, so it is given a copy that is not held.
            readable = copy.copy(answer)
            readable.held = False
            value = raw_downloads.answer_value(question, readable, raw_text=True)
        return {
            "number": number,
            "question": question,
            "answer": value,
            "as_written": concern is not None,
            "concern_url": (
                reverse("safeguarding:detail", args=[concern.pk])
                if concern is not None and self.request.user.has_perm(REVIEW_PERMISSION)
                else ""
            ),
        }


def consultations_with_answers(page) -> list[tuple[ConsultationPage, int]]:
    """The consultations at or below ``page`` that have responses or imports, with counts."""
    pages = ConsultationPage.objects.filter(
        Q(pk=page.pk) | Q(path__startswith=page.path, depth__gt=page.depth)
    )
    return [
        (consultation, consultation.response_count)
        for consultation in pages.annotate(
            response_count=Count("responses", distinct=True),
            batch_count=Count("import_batches", distinct=True),
        ).filter(Q(response_count__gt=0) | Q(batch_count__gt=0))
    ]
