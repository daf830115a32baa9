"""The dashboard panel Safeguarding leads see on the Wagtail admin's home page."""

from django.utils import timezone
from wagtail.admin.ui.components import Component

from . import selectors
from .views import admin_url


class SafeguardingPanel(Component):
    """Counts of new, under-review, urgent and overdue concerns, with a link to the queue.

    Added by ``wagtail_hooks`` only for people who may see the queue; ``order`` puts it above
    Wagtail's own panels, because a waiting disclosure matters more than a page to moderate.
    """

    name = "safeguarding"
    template_name = "safeguarding/panel.html"
    order = 50

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["counts"] = selectors.concern_counts(now=timezone.now())
        context["queue_url"] = admin_url("index")
        return context
