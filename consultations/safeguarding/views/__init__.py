"""The safeguarding queue in the Wagtail admin: the listing, one concern, its whole response.

Only people with ``safeguarding.review_safeguarding`` (Safeguarding leads and superusers) get
in; signed-in staff without it get a 403 page that says so. Wagtail itself sends people without
admin access (members, anonymous visitors) to sign in. The views only orchestrate: reads are in
``selectors``, writes in ``services``.

- ``queue``: the listing and its filters;
- ``concern``: one concern and a lead's actions on it;
- ``whole_response``: every answer of the response a concern came from.
"""

from .common import (
    PERMISSION,
    URL_NAMESPACE,
    SafeguardingPermissionMixin,
    admin_url,
    can_review,
    person_name,
)
from .concern import (
    AssignView,
    CategoryView,
    ConcernActionView,
    ConcernDetailView,
    ConcernStatusView,
    ReleaseView,
    SeverityView,
    WithholdView,
)
from .queue import ConcernFilterSet, ConcernIndexView
from .whole_response import WholeResponseView

__all__ = [
    "PERMISSION",
    "URL_NAMESPACE",
    "AssignView",
    "CategoryView",
    "ConcernActionView",
    "ConcernDetailView",
    "ConcernFilterSet",
    "ConcernIndexView",
    "ConcernStatusView",
    "ReleaseView",
    "SafeguardingPermissionMixin",
    "SeverityView",
    "WholeResponseView",
    "WithholdView",
    "admin_url",
    "can_review",
    "person_name",
]
