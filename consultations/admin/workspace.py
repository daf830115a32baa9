"""A consultation's overview: the first tab of its workspace in the admin.

Where it stands (status, opening and closing, published or draft), how many responses it has and
from where, how many answers are held for a Safeguarding lead, its latest import, and links to
edit it or see it on the site. The other tabs (``tabs.py``) lead to its responses, import, word
cloud, coding, themed summary, report and (for those who may) safeguarding queue.

When the partnership has entered population figures, "Who is missing so far" names the age bands
and areas with fewer than half as many answers as their share of the young people would give, or
none, as the report does (``consultations.reports.population.missing_so_far``), so that outreach
can be aimed while the consultation is open; it links to the full table in the report.

The same permission as the responses listing (``consultations.view_response``): Facilitators and
admins. Only counts are shown here, never what anyone wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from consultations.models import (
    Answer,
    ConsultationPage,
    ConsultationStatus,
    ImportBatch,
    Response,
    Source,
)
from consultations.reports.population import missing_so_far
from consultations.safeguarding.models import ConcernNote
from consultations.safeguarding.services import ACTION_WITHHOLD
from youthforum.accounts.roles import can_view_reports

from .responses import ConsultationMixin, admin_url


@dataclass(frozen=True)
class SourceCount:
    label: str
    count: int


@dataclass(frozen=True)
class Overview:
    """What a consultation's overview shows, read in a handful of queries."""

    responses: int
    by_source: list[SourceCount]
    last_response_at: datetime | None
    held_waiting: int
    withheld: int
    imports: int
    last_import: ImportBatch | None


def consultation_overview(consultation: ConsultationPage) -> Overview:
    """The consultation's counts for its overview.

    An answer held for safeguarding review is *waiting* until a Safeguarding lead releases it
    (it is then no longer held) or withholds it for good (it stays held, with a "withhold" note
    on its concern); withheld answers are counted apart.
    """
    responses = Response.objects.filter(page=consultation)
    by_source = dict(responses.order_by().values_list("source").annotate(n=Count("pk")))
    held = Answer.objects.filter(response__page=consultation, held=True).annotate(
        withheld=Exists(
            ConcernNote.objects.filter(concern__answer=OuterRef("pk"), action=ACTION_WITHHOLD)
        )
    )
    held_counts = dict(held.order_by().values_list("withheld").annotate(n=Count("pk")))
    batches = ImportBatch.objects.filter(page=consultation)
    return Overview(
        responses=sum(by_source.values()),
        by_source=[
            SourceCount(label=str(label), count=by_source[value])
            for value, label in Source.choices
            if by_source.get(value)
        ],
        last_response_at=(
            responses.order_by("-submitted_at").values_list("submitted_at", flat=True).first()
        ),
        held_waiting=held_counts.get(False, 0),
        withheld=held_counts.get(True, 0),
        imports=batches.count(),
        last_import=batches.select_related("imported_by").order_by("-imported_at", "-pk").first(),
    )


class ConsultationOverviewView(
    PermissionCheckedMixin, ConsultationMixin, WagtailAdminTemplateMixin, TemplateView
):
    """The consultation's overview (its workspace's first tab)."""

    model = Response
    permission_required = "view"
    template_name = "consultations/admin/overview.html"
    header_icon = "clipboard-list"

    def get_page_title(self):
        return _("Overview")

    def get_page_subtitle(self):
        return self.consultation.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.consultation_breadcrumbs(link_consultation=False)

    @cached_property
    def can_edit(self) -> bool:
        return self.consultation.permissions_for_user(self.request.user).can_edit()

    @cached_property
    def header_buttons(self):
        if not self.can_edit:
            return []
        return [
            HeaderButton(
                _("Edit consultation"),
                url=reverse("wagtailadmin_pages:edit", args=[self.consultation.pk]),
                icon_name="edit",
                priority=10,
            )
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        consultation = self.consultation
        user = self.request.user
        context.update(
            overview=consultation_overview(consultation),
            status=consultation.status,
            edit_url=(
                reverse("wagtailadmin_pages:edit", args=[consultation.pk]) if self.can_edit else ""
            ),
            live_url=consultation.get_url(request=self.request) if consultation.live else "",
            responses_url=admin_url("responses", consultation.pk),
            imports_url=(
                admin_url("imports", consultation.pk)
                if user.has_perm("consultations.view_importbatch")
                else ""
            ),
            missing=missing_so_far(consultation),
            is_open=consultation.status == ConsultationStatus.OPEN,
            representation_url=(
                reverse("report", args=[consultation.slug]) + "#representation"
                if consultation.live and can_view_reports(user)
                else ""
            ),
            population_url=(
                reverse("wagtailsnippets_reports_population:list")
                if user.has_perm("reports.add_population")
                else ""
            ),
        )
        return context
