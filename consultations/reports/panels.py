"""The report readers' panels on the Wagtail dashboard: “Consultation reports” and “What taking
part was like”, for everyone who may read reports.

Executive partners land on the Wagtail dashboard after signing in; this panel is what leads them
to their reports (``/reports/``) and to the promises waiting on them. ``wagtail_hooks`` adds it
only for people ``can_view_reports`` lets in; the figures come from ``briefing.briefing``, in a
fixed number of queries.
"""

from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from consultations.commitments.models import Commitment

from .briefing import briefing
from .taking_part import taking_part_over_time


class ConsultationReportsPanel(Component):
    """The latest consultations (responses, top themes, open and overdue promises, each linked
    to its report) and the overdue promises by name (each linked to its record).

    ``order`` puts it after the safeguarding queue (50) and before Wagtail's own panels (210 and
    on): for an Executive partner it is the dashboard.
    """

    name = "consultation_reports"
    template_name = "reports/includes/dashboard_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        viewset = Commitment.snippet_viewset
        context.update(
            briefing=briefing(today=timezone.localdate()),
            reports_url=reverse("reports_dashboard"),
            promises_url=reverse(viewset.get_url_name("list")),
            can_edit_promises=viewset.permission_policy.user_has_permission(user, "change"),
            edit_url_name=viewset.get_url_name("edit"),
        )
        return context


class TakingPartPanel(Component):
    """What young people thought of being asked, consultation by consultation over time: one
    row per consultation by closing date, the share answering "Yes" to each of the three
    questions (``taking_part.taking_part_over_time``), hidden where the report hides the count.

    ``order`` puts it straight after “Consultation reports” (60).
    """

    name = "taking_part"
    template_name = "reports/includes/taking_part_panel.html"
    order = 65

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["rows"] = taking_part_over_time()
        return context
