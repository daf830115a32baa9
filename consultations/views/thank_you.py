"""The thank-you page after sending, with its optional steps: telling us what taking part was
like, and asking a Safeguarding lead to get in touch."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from consultations.models import Response
from consultations.models.feedback import ANYTHING_ELSE_MAX_LENGTH
from consultations.ratelimit import allow_submission
from consultations.safeguarding import contact_views
from consultations.services import (
    sent_forms,
)
from consultations.services.taking_part import TakingPartRefused, taking_part_feedback_create
from consultations.taking_part_forms import TakingPartForm

from .common import REFERENCE_MAX_AGE, REFERENCE_SALT, problem, render_page, too_many


def _thank_you_reference(request) -> str:
    """The reference signed into the thank-you link; raises ``signing.BadSignature`` (or its
    subclass ``SignatureExpired``, after :data:`REFERENCE_MAX_AGE`)."""
    return signing.loads(request.GET.get("ref", ""), salt=REFERENCE_SALT, max_age=REFERENCE_MAX_AGE)


def _with_reference(page, request, route: str) -> str:
    """A subpage (the thank-you page, the contact form) with the link's own signed reference."""
    return f"{page.url}{page.reverse_subpage(route)}?{urlencode({'ref': request.GET['ref']})}"


def _may_tell_us_about_taking_part(request, page, response: Response | None) -> bool:
    """Whether the consultation asks (``ConsultationPage.ask_about_taking_part``) and this is
    the browser that sent ``response`` in the last hour (``services.sent_forms``)."""
    return (
        page.ask_about_taking_part
        and response is not None
        and sent_forms.sent_token(request.session, page_id=page.pk) == response.token
    )


def _taking_part_offer(request, page, response: Response | None, *, form=None) -> dict | None:
    """The optional "what was taking part like?" step on the thank-you page, or None.

    Offered to the browser that sent this response (:func:`_may_tell_us_about_taking_part`);
    once answered, the page thanks them instead. ``?skip=taking-part`` (the step's "Skip"
    link) shows the thank-you page without it.
    """
    if not _may_tell_us_about_taking_part(request, page, response):
        return None
    done = sent_forms.sent_taking_part(request.session, page_id=page.pk)
    if not done and form is None and request.GET.get("skip") == "taking-part":
        return None
    return {
        "done": bool(done),
        "form": form if form is not None else TakingPartForm(),
        "url": _with_reference(page, request, "taking_part"),
        "skip_url": _with_reference(page, request, "thank_you") + "&skip=taking-part",
        "max_length": ANYTHING_ELSE_MAX_LENGTH,
    }


def _thank_you_context(request, page, reference: str, *, taking_part_form=None) -> dict:
    response = Response.objects.filter(page=page, reference=reference).first()
    stronger_help = Response.objects.filter(
        page=page, reference=reference, answers__held=True
    ).exists()
    taking_part = _taking_part_offer(request, page, response, form=taking_part_form)
    if taking_part and sent_forms.sent_taking_part(request.session, page_id=page.pk) == "held":
        stronger_help = True
    return {
        "reference": reference,
        "stronger_help": stronger_help,
        "contact": contact_views.offer(
            response, form_url=_with_reference(page, request, "contact")
        ),
        "answer_again": page.allow_answer_again and page.is_open(),
        "taking_part": taking_part,
    }


@never_cache
def thank_you(request, page):
    """The reference, and where to get help. Stronger help when an answer raised a concern.

    When an answer raised a concern, the page also offers an optional, separate form to ask a
    Safeguarding lead to get in touch (:func:`thank_you_contact`): answers are anonymous, so
    nobody can contact a young person unless they choose to say how. Neither says that an
    answer was flagged or that anyone is in danger. The link works for
    :data:`REFERENCE_MAX_AGE`; after that it shows a plain thank-you, with neither the reference
    nor the stronger help nor the offer, so someone opening it later on a shared device learns
    nothing. No browser or proxy keeps a copy (``Cache-Control: no-store``).

    It also offers the optional "what was taking part like?" step (:func:`_taking_part_offer`,
    sent to :func:`thank_you_taking_part`), with the thank-you content above it either way.
    """
    try:
        reference = _thank_you_reference(request)
    except signing.SignatureExpired:
        return render_page(
            request,
            page,
            "consultations/consultation_thank_you.html",
            {"reference": None, "stronger_help": False, "link_expired": True},
        )
    except signing.BadSignature:
        return redirect(page.url)
    return render_page(
        request,
        page,
        "consultations/consultation_thank_you.html",
        _thank_you_context(request, page, reference),
    )


@never_cache
def thank_you_taking_part(request, page):
    """Keep the answers to the "what was taking part like?" step, then the thank-you page.

    Only by POST, from the browser that sent the response of the thank-you link, once per
    response sent (the session's memory of it, ``services.sent_forms``; a double tap is caught
    by the step's own token), rate-limited like the answer form in a window of its own. A bad
    answer shows the thank-you page again with the error summary, and nothing is saved. The
    answers are kept apart from the response (``services.taking_part``).
    """
    try:
        reference = _thank_you_reference(request)
    except signing.SignatureExpired:
        return problem(
            request,
            page,
            _(
                "This page was open for more than an hour, so to keep your answers private, "
                "nothing was sent."
            ),
            400,
        )
    except signing.BadSignature:
        return problem(
            request, page, _("This link was changed or is incomplete, so nothing was sent."), 400
        )
    thank_you_url = _with_reference(page, request, "thank_you")
    if request.method != "POST":
        return redirect(thank_you_url)
    response = Response.objects.filter(page=page, reference=reference).first()
    if response is None or not page.ask_about_taking_part:
        raise Http404
    if not _may_tell_us_about_taking_part(request, page, response):
        return problem(
            request,
            page,
            _(
                "We can only take these answers from the device that sent the answers, for an "
                "hour after sending them, so nothing was sent."
            ),
            400,
        )
    if sent_forms.sent_taking_part(request.session, page_id=page.pk):
        messages.info(request, _("You had already told us, so we did not send it again."))
        return redirect(thank_you_url + "#taking-part")
    if not allow_submission(request, scope="taking-part"):
        return too_many(request, page)
    form = TakingPartForm(request.POST)
    if form.is_valid():
        try:
            feedback, _created = taking_part_feedback_create(consultation=page, **form.cleaned_data)
        except TakingPartRefused as refused:
            form.add_error(None, str(refused))
        else:
            sent_forms.sent_taking_part_remember(
                request.session, page_id=page.pk, held=feedback.held
            )
            return redirect(thank_you_url + "#taking-part")
    if "form_token" in form.errors:
        return problem(
            request,
            page,
            _("This form was changed or is incomplete. Go back, reload the page and try again."),
            400,
        )
    context = _thank_you_context(request, page, reference, taking_part_form=form)
    context["errors"] = form.error_links()
    context["form_errors"] = form.non_field_errors()
    return render_page(request, page, "consultations/consultation_thank_you.html", context)


@never_cache
def thank_you_contact(request, page):
    """The optional contact form (``consultations.safeguarding.contact_views``).

    Reached from the thank-you page with the same signed reference, so it works for as long as
    that link does, for that response only. An expired link shows no form (400); a changed one
    is refused (400); a reference of no response here is not found (404). Nothing is saved.
    """
    try:
        reference = _thank_you_reference(request)
    except signing.SignatureExpired:
        return contact_views.link_expired(request, page)
    except signing.BadSignature:
        return problem(
            request,
            page,
            _("This link was changed or is incomplete, so nothing was sent."),
            400,
        )
    response = Response.objects.filter(page=page, reference=reference).first()
    if response is None:
        raise Http404
    return contact_views.contact_request(
        request,
        page,
        response=response,
        form_url=_with_reference(page, request, "contact"),
        thank_you_url=_with_reference(page, request, "thank_you"),
    )
