"""Content-Security-Policy for the site, with the relaxations the Wagtail admin still needs."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.urls import reverse


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, adding ``YOUTHVOICE_ADMIN_CSP_RELAXATIONS`` under the admin only.

    The public site, where young people are, gets the strict policy in
    ``CONTENT_SECURITY_POLICY``. The Wagtail admin (staff only, behind a second factor) still uses
    inline scripts and styles, so it gets those sources added; see docs/decisions/0003.
    """

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(reverse("wagtailadmin_home")):
            update = dict(parts.update or {})
            for directive, sources in settings.YOUTHVOICE_ADMIN_CSP_RELAXATIONS.items():
                update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts
