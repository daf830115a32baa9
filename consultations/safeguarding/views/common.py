"""What every safeguarding view shares: who may come in, and links between the pages."""

from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

PERMISSION = "safeguarding.review_safeguarding"
URL_NAMESPACE = "safeguarding"


def admin_url(name: str, *args) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def can_review(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm(PERMISSION)


def person_name(user) -> str:
    """How a lead is named on the queue's pages: their name, or their email without one."""
    if user is None:
        return ""
    return user.get_full_name() or user.email or str(user)


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
