"""What every consultation view shares: the page's template response, whole-form refusals, and
the signed reference of the thank-you link."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

REFERENCE_SALT = "consultations.reference"
#: How long the thank-you link shows the reference and the help chosen for the answers (in
#: seconds). Opened later, on a shared phone say, it shows a plain thank-you that reveals nothing.
REFERENCE_MAX_AGE = 60 * 60


def render_page(request, page, template, context, status=200):
    context = {"page": page, "self": page, "request": request, **context}
    return TemplateResponse(request, template, context, status=status)


def problem(request, page, message, status):
    """A whole-form refusal (400, 403, 429): a clear message, nothing saved."""
    return render_page(
        request,
        page,
        "consultations/consultation_problem.html",
        {"message": message},
        status=status,
    )


def closed(request, page):
    return problem(
        request,
        page,
        _("This consultation is not taking answers at the moment, so your answers were not sent."),
        status=403,
    )


def too_many(request, page):
    """The rate limit's refusal (429), for the answer form and the taking-part step alike."""
    return problem(
        request,
        page,
        _(
            "Lots of answers have been sent from your network in the last few minutes. "
            "Please wait a few minutes and try again."
        ),
        429,
    )
