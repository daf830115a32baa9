"""The tabs every admin view of a consultation shares: one workspace per consultation.

Overview, Responses, Import, Word cloud, Coding, Themed summary, Reports and Safeguarding, each
shown only to those who may open what it leads to. The views put them in their context as
``workspace_tabs`` (``ConsultationMixin`` does it for every view with a consultation in its
URL) and their templates show them with ``consultations/admin/workspace_tabs.html``, between
Wagtail's header and the page's content.

Which tab is marked current follows from the view's URL name (``CURRENT_TAB``), so a new view of
a consultation joins a tab by adding its URL name there. Reports and Safeguarding lead out of the
admin's consultation area (to ``/reports/`` and the safeguarding queue, filtered to the
consultation), so they are never current here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from youthforum.accounts.roles import can_view_reports

OVERVIEW = "overview"
RESPONSES = "responses"
IMPORT = "import"
WORD_CLOUD = "word_cloud"
CODING = "coding"
THEMED_SUMMARY = "themed_summary"
REPORTS = "reports"
SAFEGUARDING = "safeguarding"

#: The tab each admin view of a consultation belongs to, by the view's namespaced URL name.
CURRENT_TAB = {
    "consultations:overview": OVERVIEW,
    "consultations:responses": RESPONSES,
    "consultations:response": RESPONSES,
    "consultations:import": IMPORT,
    "consultations:import_preview": IMPORT,
    "consultations:imports": IMPORT,
    "consultations:undo_import": IMPORT,
    "consultations:word_cloud": WORD_CLOUD,
    "themes:coding": CODING,
    "themes:quality": CODING,
    "themes:gold": CODING,
    "themes:discovery": CODING,
    "themes:themed_summary": THEMED_SUMMARY,
}

# The permission each of the admin's own tabs needs: the same as the view it leads to.
VIEW_RESPONSES = "consultations.view_response"
ADD_IMPORT = "consultations.add_importbatch"
CODE_ANSWERS = "themes.add_humancoding"
VIEW_CODING_RUNS = "themes.view_codingrun"
REVIEW_SAFEGUARDING = "safeguarding.review_safeguarding"


@dataclass(frozen=True)
class Tab:
    name: str
    label: str
    url: str
    current: bool = False


def current_tab(request) -> str:
    """The tab of the view ``request`` was resolved to ("" when it belongs to none)."""
    match = getattr(request, "resolver_match", None)
    return CURRENT_TAB.get(match.view_name, "") if match else ""


def workspace_tabs(*, consultation, user, current: str = "") -> list[Tab]:
    """The consultation's tabs this user may open, in order, with ``current`` marked."""
    pk = consultation.pk
    wanted = [
        (OVERVIEW, _("Overview"), VIEW_RESPONSES, "consultations:overview"),
        (RESPONSES, _("Responses"), VIEW_RESPONSES, "consultations:responses"),
        (IMPORT, _("Import"), ADD_IMPORT, "consultations:import"),
        (WORD_CLOUD, _("Word cloud"), VIEW_RESPONSES, "consultations:word_cloud"),
        (CODING, _("Coding"), CODE_ANSWERS, "themes:coding"),
        (THEMED_SUMMARY, _("Themed summary"), VIEW_CODING_RUNS, "themes:themed_summary"),
    ]
    tabs = [
        Tab(name, label, reverse(url_name, args=[pk]), current=name == current)
        for name, label, permission, url_name in wanted
        if user.has_perm(permission)
    ]
    # The Executive's report is of published consultations only (it answers 404 for a draft).
    if consultation.live and can_view_reports(user):
        tabs.append(Tab(REPORTS, _("Reports"), reverse("report", args=[consultation.slug])))
    if user.has_perm(REVIEW_SAFEGUARDING):
        queue = reverse("safeguarding:index")
        tabs.append(Tab(SAFEGUARDING, _("Safeguarding"), f"{queue}?consultation={pk}"))
    return tabs
