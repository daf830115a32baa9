"""The young person's side of a contact request: the offer on the thank-you page, and the form.

The consultation page's ``thank-you/contact/`` route (``consultations.views.thank_you_contact``)
checks the signed reference of the thank-you link, finds the response, and hands over to
:func:`contact_request` here. So the form works exactly as long as the thank-you link does (an
hour), for that response only, and only when one of its answers raised a concern. It is plain
HTML (a POST, the GOV.UK error summary, no JavaScript). Writes go through
:func:`contact_requests.contact_request_create`. Sending is rate-limited per client like the
answer form (``YOUTHVOICE_ANSWER_RATE_LIMIT``, counted in a window of its own).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from consultations.models import Response
from consultations.ratelimit import allow_submission

from .contact_forms import ContactRequestForm
from .contact_requests import (
    HOW_TO_REACH_MAX_LENGTH,
    ContactRequestRefused,
    contact_request_create,
    contact_request_of,
    first_concern,
)

FORM_TEMPLATE = "safeguarding/contact/form.html"
SENT_TEMPLATE = "safeguarding/contact/sent.html"
EXPIRED_TEMPLATE = "safeguarding/contact/expired.html"


def _render(request, page, template, context, status=200):
    context = {
        "page": page,
        "self": page,
        "request": request,
        "contact_days": settings.YOUTHVOICE_CONTACT_REQUEST_DAYS,
        "max_length": HOW_TO_REACH_MAX_LENGTH,
        **context,
    }
    return TemplateResponse(request, template, context, status=status)


def offer(response: Response | None, *, form_url: str) -> dict | None:
    """What the thank-you page says of the form: None when there is nothing to offer."""
    if response is None or first_concern(response) is None:
        return None
    return {"url": form_url, "sent": contact_request_of(response) is not None}


def link_expired(request, page):
    """The thank-you link is over an hour old: no form, and nothing that says why it was shown."""
    return _render(request, page, EXPIRED_TEMPLATE, {}, status=400)


def contact_request(request, page, *, response: Response, form_url: str, thank_you_url: str):
    """Show the form, or keep what was sent and show "we have your details".

    404 when the response has no concern: there is no form to show, and nothing is saved.
    Once a request is kept, every later visit or POST shows the confirmation and saves nothing.
    """
    if first_concern(response) is None:
        raise Http404
    context = {"form_url": form_url, "thank_you_url": thank_you_url}
    if contact_request_of(response) is not None:
        return _render(request, page, SENT_TEMPLATE, context)
    if request.method != "POST":
        return _render(request, page, FORM_TEMPLATE, {**context, "form": ContactRequestForm()})
    if not allow_submission(request, scope="contact-requests"):
        return _render(
            request,
            page,
            "consultations/consultation_problem.html",
            {
                "message": _(
                    "Lots of forms have been sent from your network in the last few minutes. "
                    "Please wait a few minutes and try again."
                )
            },
            status=429,
        )
    form = ContactRequestForm(request.POST)
    if form.is_valid():
        try:
            contact_request_create(response=response, **form.cleaned_data)
        except ContactRequestRefused as refused:
            form.add_error(None, str(refused))
        else:
            # Post/redirect/get: reloading the confirmation never sends the form again.
            return redirect(form_url)
    return _render(
        request,
        page,
        FORM_TEMPLATE,
        {
            **context,
            "form": form,
            "errors": form.error_links(),
            "form_errors": form.non_field_errors(),
        },
    )
