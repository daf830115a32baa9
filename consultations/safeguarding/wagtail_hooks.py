"""The safeguarding queue's place in the Wagtail admin.

The URLs, a menu item and a dashboard panel shown only to people with
``safeguarding.review_safeguarding``, the audit log's wording for what leads do, and the link
from Reports › Site history to a concern.
"""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder, register_admin_url_finder
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from consultations.safeguarding.models import ConcernStatus, SafeguardingConcern, Severity

from . import acknowledgement, services, urls
from .display import category_labels
from .panels import SafeguardingPanel
from .views import can_review


@hooks.register("register_admin_urls")
def register_safeguarding_urls():
    return [path("safeguarding/", include(urls, namespace="safeguarding"))]


class SafeguardingMenuItem(MenuItem):
    def is_shown(self, request):
        return can_review(request.user)


@hooks.register("register_admin_menu_item")
def register_safeguarding_menu_item():
    return SafeguardingMenuItem(
        gettext_lazy("Safeguarding"),
        reverse("safeguarding:index"),
        name="safeguarding",
        icon_name="warning",
        order=140,  # before the consultations' Responses (150), after Pages (100)
    )


@hooks.register("construct_homepage_panels")
def add_safeguarding_panel(request, panels):
    if can_review(request.user):
        panels.append(SafeguardingPanel())


class ConcernAdminURLFinder(ModelAdminURLFinder):
    """Links Site history entries to the concern, for those who may open it."""

    edit_url_name = "safeguarding:detail"

    def get_edit_url(self, instance):
        if self.user is not None and not can_review(self.user):
            return None
        return self.construct_edit_url(instance)


register_admin_url_finder(SafeguardingConcern, ConcernAdminURLFinder)


def _severity_label(value: str) -> str:
    try:
        return Severity(value).label
    except ValueError:
        return value or _("(none)")


def _status_label(value: str) -> str:
    try:
        return ConcernStatus(value).label
    except ValueError:
        return value or _("(none)")


@hooks.register("register_log_actions")
def register_safeguarding_log_actions(actions):
    @actions.register_action(services.LOG_VIEW)
    class ViewFormatter(LogFormatter):
        label = gettext_lazy("View safeguarding concern")

        def format_message(self, log_entry):
            if (log_entry.data or {}).get("as_written") is False:
                return _("Viewed the concern; the answer's words as written were not shown")
            # Older entries, from before reading as written had its own action, showed the words.
            return _("Viewed the concern and the answer's words")

    @actions.register_action(services.LOG_STATUS)
    class StatusFormatter(LogFormatter):
        label = gettext_lazy("Change safeguarding concern status")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Changed the status from “%(from)s” to “%(to)s”, with a note") % {
                "from": _status_label(data.get("from_status", "")),
                "to": _status_label(data.get("to_status", "")),
            }

    @actions.register_action(services.LOG_NOTE)
    class NoteFormatter(LogFormatter):
        label = gettext_lazy("Note on safeguarding concern")
        message = gettext_lazy("Added a note without changing the status")

    @actions.register_action(services.LOG_RELEASE)
    class ReleaseFormatter(LogFormatter):
        label = gettext_lazy("Release answer held for safeguarding")
        message = gettext_lazy("Released the answer, with a note: it may appear in outputs")

    @actions.register_action(services.LOG_WITHHOLD)
    class WithholdFormatter(LogFormatter):
        label = gettext_lazy("Withhold answer held for safeguarding")
        message = gettext_lazy("Withheld the answer for good, with a note")

    @actions.register_action(services.LOG_SEVERITY)
    class SeverityFormatter(LogFormatter):
        label = gettext_lazy("Change safeguarding concern severity")

        def format_message(self, log_entry):
            before, after = (log_entry.data or {}).get("severity") or ["", ""]
            return _(
                "Changed the severity from “%(from)s” to “%(to)s”, with a note; "
                "the deadline was worked out again"
            ) % {"from": _severity_label(before), "to": _severity_label(after)}

    @actions.register_action(services.LOG_CATEGORY)
    class CategoryFormatter(LogFormatter):
        label = gettext_lazy("Change safeguarding concern categories")

        def format_message(self, log_entry):
            before, after = (log_entry.data or {}).get("categories") or [[], []]
            return _("Changed the categories from “%(from)s” to “%(to)s”, with a note") % {
                "from": ", ".join(category_labels(before)) or _("(none)"),
                "to": ", ".join(category_labels(after)) or _("(none)"),
            }

    @actions.register_action(services.LOG_ASSIGN)
    class AssignFormatter(LogFormatter):
        label = gettext_lazy("Assign safeguarding concern")
        message = gettext_lazy("Assigned the concern to a Safeguarding lead, with a note")

    @actions.register_action(services.LOG_VIEW_RESPONSE)
    class ViewResponseFormatter(LogFormatter):
        label = gettext_lazy("View the whole response of a safeguarding concern")

        def format_message(self, log_entry):
            if (log_entry.data or {}).get("as_written"):
                return _(
                    "Opened the whole response; the answers a concern was raised about were "
                    "shown as written"
                )
            return _("Opened the whole response; every answer was shown redacted")

    @actions.register_action(acknowledgement.LOG_ESCALATE)
    class EscalateFormatter(LogFormatter):
        label = gettext_lazy("Escalate unacknowledged urgent safeguarding concern")
        message = gettext_lazy(
            "Escalated: urgent, overdue and not acknowledged, so emailed to the escalation address"
        )
