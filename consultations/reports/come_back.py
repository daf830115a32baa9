"""Coming back with a reference: "Sent answers before? See what happened next" (#17, item 4).

A young person types the reference from their thank-you page and sees, once a consultation's
results are published, what the partnership heard and promised for that consultation: the same
results the consultation's own page shows (:mod:`.public`), nothing more. The reference only
says *which consultation*; the page never reads or shows anything else of the response (no
answers, age band, area or date), and says so.

- POST only (with a CSRF token), answered on the same page: the reference never goes in a URL,
  where it would land in server logs and browser history. The answer is ``no-store``.
- One "not found" message for a reference that is unknown, mistyped or of answers that were
  deleted (an import undone), so the page does not say which. The retention purge deletes the
  words people wrote but keeps the response, so a reference still leads to the results after it.
- Every lookup counts against a per-client limit in the cache (``YOUTHVOICE_REFERENCE_RATE_LIMIT``,
  env ``REFERENCE_RATE_LIMIT``, ``count/seconds``), found or not, so references cannot be
  guessed by trying many; over it, a 429 with a plain message and no result.
- Results only for a consultation that is live, open to the public and has its results
  published; otherwise the page says they are not published yet and when it closes.

To accept other ways of typing a reference, change :func:`normalise_reference`.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from consultations.models import ConsultationPage, Response
from consultations.models.responses import REFERENCE_ALPHABET, REFERENCE_LENGTH
from consultations.ratelimit import allow_submission

from .public import public_results, results_published

TEMPLATE = "reports/come_back.html"
FIELD_ID = "reference"
#: Characters people put between the parts of a reference that are not part of it: spaces and
#: dashes of every kind (hyphen, non-breaking hyphen, figure dash, en and em dash, minus sign).
SEPARATORS = frozenset("-‐‑‒–—―−_.")
#: Longer than any reference with separators; anything longer is not looked up at all.
MAX_TYPED = 64

ENTER_REFERENCE = _("Enter your reference")
NOT_FOUND = _(
    "We could not find that reference. Check it against your thank-you page and try again."
)


def normalise_reference(typed: str) -> str:
    """The reference as stored: capitals, without spaces or dashes, full-width letters made
    plain ("ab cd-2345", "ＡＢＣＤ２３４５" and "ABCD2345" are the same reference)."""
    plain = unicodedata.normalize("NFKC", typed)
    return "".join(c for c in plain if not c.isspace() and c not in SEPARATORS).upper()


def is_well_formed(reference: str) -> bool:
    return len(reference) == REFERENCE_LENGTH and all(c in REFERENCE_ALPHABET for c in reference)


def consultation_for_reference(typed: str) -> ConsultationPage | None:
    """The consultation a reference's response was given to, or None.

    Reads nothing of the response but which consultation it belongs to.
    """
    if len(typed) > MAX_TYPED:
        return None
    reference = normalise_reference(typed)
    if not is_well_formed(reference):
        return None
    page_id = Response.objects.filter(reference=reference).values_list("page_id", flat=True).first()
    if page_id is None:
        return None
    return ConsultationPage.objects.filter(pk=page_id).first()


class ReferenceForm(forms.Form):
    """One text box for the reference. The template draws it (GOV.UK pattern, as the answer
    form does); :meth:`error_links` gives the error summary its link."""

    reference = forms.CharField(
        error_messages={"required": ENTER_REFERENCE, "null_characters_not_allowed": NOT_FOUND}
    )

    consultation: ConsultationPage | None = None

    def clean_reference(self) -> str:
        typed = self.cleaned_data["reference"]
        self.consultation = consultation_for_reference(typed)
        if self.consultation is None:
            raise forms.ValidationError(NOT_FOUND)
        return normalise_reference(typed)

    def error_links(self) -> list[tuple[str, str]]:
        return [(f"#{FIELD_ID}", message) for message in self.errors.get("reference", [])]

    def typed(self) -> str:
        """What was typed, to show again in the box after an error (cut short if very long)."""
        return (self.data.get("reference") or "")[:MAX_TYPED]


def _outcome(consultation: ConsultationPage) -> dict:
    """What the page says about a found consultation: its results, or when to come back."""
    public = ConsultationPage.objects.live().public().filter(pk=consultation.pk).exists()
    if public and results_published(consultation):
        return {"consultation": consultation, "results": public_results(consultation)}
    return {
        "consultation": consultation,
        "not_yet": True,
        "closed": consultation.closes_at <= timezone.now(),
    }


def _render(request, context: dict, status: int = 200) -> TemplateResponse:
    return TemplateResponse(request, TEMPLATE, {"field_id": FIELD_ID, **context}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def come_back(request):
    """The "See what happened next" page: the form, and on POST what the reference leads to."""
    if request.method == "GET":
        return _render(request, {"form": ReferenceForm()})
    if not allow_submission(request, scope="reference", setting="YOUTHVOICE_REFERENCE_RATE_LIMIT"):
        return _render(request, {"too_many": True}, status=429)
    form = ReferenceForm(request.POST)
    if form.is_valid() and form.consultation is not None:
        return _render(request, _outcome(form.consultation))
    return _render(request, {"form": form, "errors": form.error_links()})
