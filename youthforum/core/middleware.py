"""Content-Security-Policy for the site, with the relaxations the Wagtail admin still needs."""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
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
    """Answer 400, not 500, to a POST body Django's form parsers cannot read; 413 to one bigger
    than any upload may be. Must come before CsrfViewMiddleware.

    Django's multipart parser raises LookupError when a part names a "charset" that is a byte
    transform such as rot13 or base64. Parsing ``request.POST`` here, before the CSRF check
    parses it, turns that into a clear 400.

    It must not lower Django's upload limits. A multipart body larger than
    ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MB: a file upload) is parsed as a stream, never read
    whole into ``request.body`` (which would refuse it as too big): its files go to Django's
    upload handlers (memory up to ``FILE_UPLOAD_MAX_MEMORY_SIZE``, then a temporary file) and
    each form checks its own limit (``YOUTHVOICE_IMPORT_MAX_BYTES``,
    ``WAGTAILDOCS_MAX_UPLOAD_SIZE``), with a message. Any other body is read whole first, as
    Django would: that is what lets a view check the raw body is UTF-8 after the form is parsed
    (the answer form does). After a streamed body, ``request.body`` raises RawPostDataException;
    the answer form, which takes no files, refuses such a POST as one it does not understand.

    ``YOUTHVOICE_MAX_REQUEST_BYTES`` bounds every body by its Content-Length, so streamed uploads
    cannot fill the disk with temporary files. Set the proxy's limit (nginx:
    ``client_max_body_size``) to the same.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            length = _content_length(request)
            limit = getattr(settings, "YOUTHVOICE_MAX_REQUEST_BYTES", None)
            if limit is not None and length > limit:
                return HttpResponse(
                    f"The upload is too big: everything sent at once must be "
                    f"{limit / (1024 * 1024):g} MB or less.",
                    status=413,
                    content_type="text/plain",
                )
            try:
                if not _is_file_upload(request, length):
                    # Read the body first, so it stays readable (views check it is UTF-8) after
                    # the form is parsed; an oversized body raises RequestDataTooBig here, a 400.
                    request.body  # noqa: B018
                request.POST  # noqa: B018 - parse now; Django caches the result on the request
            except LookupError:
                return HttpResponseBadRequest(
                    "The form was sent in a way we do not understand.", content_type="text/plain"
                )
        return self.get_response(request)


def _content_length(request) -> int:
    try:
        return max(0, int(request.META.get("CONTENT_LENGTH") or 0))
    except ValueError:
        return 0  # as Django reads it: no body


def _is_file_upload(request, length: int) -> bool:
    """A multipart body too big to hold in memory: Django streams it, files to disk."""
    in_memory = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if in_memory is None:
        in_memory = settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    return request.content_type == "multipart/form-data" and length > in_memory
