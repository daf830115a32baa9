"""Content-Security-Policy for the site, with the relaxations the Wagtail admin still needs."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponseBadRequest
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


class UnreadableFormBodyMiddleware:
    """Answer 400, not 500, to a POST body Django's form parsers cannot read.

    Django's multipart parser raises LookupError when a part names a "charset" that is a byte
    transform such as rot13 or base64. Reading ``request.POST`` here, before the CSRF check
    reads it, turns that into a clear 400. Oversized bodies are left to Django, which already
    answers 400. Must come before CsrfViewMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                # Read the body first, so it stays readable (views check it is UTF-8) after the
                # form is parsed; an oversized body raises RequestDataTooBig here, a 400.
                request.body  # noqa: B018
                request.POST  # noqa: B018 - parse now; Django caches the result on the request
            except LookupError:
                return HttpResponseBadRequest(
                    "The form was sent in a way we do not understand.", content_type="text/plain"
                )
        return self.get_response(request)
