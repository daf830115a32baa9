"""The reports' place in the Wagtail admin, for everyone who may read them (``can_view_reports``).

A “Consultation reports” menu item leading to ``/reports/`` (named so, not “Reports”, because
Wagtail's own “Reports” menu holds its site reports: locked pages, site history and so on), and
the “Consultation reports” and “What taking part was like” panels on the dashboard
(``panels.ConsultationReportsPanel``, ``panels.TakingPartPanel``). And
Snippets › Population figures, for "who is missing" (``viewsets.PopulationViewSet``).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from youthforum.accounts.roles import can_view_reports

from .panels import ConsultationReportsPanel, TakingPartPanel
from .viewsets import PopulationViewSet

register_snippet(PopulationViewSet)


class ConsultationReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_reports(request.user)


@hooks.register("register_admin_menu_item")
def register_consultation_reports_menu_item():
    return ConsultationReportsMenuItem(
        gettext_lazy("Consultation reports"),
        reverse("reports_dashboard"),
        name="consultation-reports",
        icon_name="table",
        order=155,  # after Responses (150), before "You said, we did" (160)
    )


@hooks.register("construct_homepage_panels")
def add_consultation_reports_panel(request, panels):
    if can_view_reports(request.user):
        panels.append(ConsultationReportsPanel())
        panels.append(TakingPartPanel())
