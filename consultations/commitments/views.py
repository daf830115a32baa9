"""The public “You said, we did” page and its “Does this answer what you said?” buttons."""

from itertools import groupby

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from consultations.commitments.models import Commitment, FeedbackAnswer
from consultations.models import ConsultationPage

from .services import FeedbackRefused, answered, record_feedback


def public_commitments():
    """Published commitments of consultations anyone may see, by consultation and theme."""
    pages = ConsultationPage.objects.live().public()
    return (
        Commitment.objects.filter(published=True, consultation__in=pages)
        .select_related("consultation", "theme")
        .prefetch_related("updates")
        .order_by("-consultation__closes_at", "consultation_id", "theme__name", "due_date", "pk")
    )


@require_GET
def you_said_we_did(request):
    given = answered(request.session)
    consultations = []
    for consultation, items in groupby(public_commitments(), key=lambda c: c.consultation):
        themes = []
        for theme, theme_items in groupby(items, key=lambda c: c.theme):
            commitments = list(theme_items)
            for commitment in commitments:
                commitment.my_answer = given.get(str(commitment.pk))
            themes.append({"theme": theme, "commitments": commitments})
        consultations.append({"consultation": consultation, "themes": themes})
    return TemplateResponse(
        request,
        "commitments/you_said_we_did.html",
        {"consultations": consultations, "answers": FeedbackAnswer.choices},
    )


@require_POST
def feedback(request, pk: int):
    try:
        commitment = public_commitments().get(pk=pk)
    except Commitment.DoesNotExist:
        raise Http404 from None
    answer = request.POST.get("answer", "")
    back = f"{reverse('you_said_we_did')}#commitment-{commitment.pk}"
    if answer not in FeedbackAnswer.values:
        return HttpResponseBadRequest(
            _("Choose “Yes”, “Partly” or “No”."), content_type="text/plain; charset=utf-8"
        )
    try:
        counted = record_feedback(request, commitment, answer)
    except FeedbackRefused:
        return TemplateResponse(
            request, "consultations/feedback_refused.html", {"back": back}, status=429
        )
    if counted:
        messages.success(request, _("Thank you. We have counted your answer."))
    else:
        messages.info(request, _("You have already answered this one. Thank you."))
    return redirect(back)
