"""Facilitators' coding screens, per consultation: coding, quality, discovery, themed summary.

- **Coding** (``coding``): one answer (and the answers that say the same thing) at a time; see
  ``coding_screen.py``, which also has the blind gold coding, the run's status and retraining.
- **Quality** (``quality``, ``gold``): draw a random sample, code it blind (no suggestions shown)
  as "gold", and see per theme and overall how well the machine agrees.
- **Discovery** (``discovery``): answers matching no theme, clustered into suggested themes; one
  button adds a suggestion to the codebook.
- **Themed summary** (``themed_summary``): the summary of the whole consultation or of one
  question, through ``themes/includes/themed_summary.html`` (the Executive's report pages
  include it too).

Who may: ``themes.add_humancoding`` for coding, quality and discovery (adopting a theme
also needs ``change_codebook``), ``themes.view_codingrun`` for the summary and the run's
status, ``add_codingrun`` to start a re-code by hand. Facilitators have them all (migration
``0006_coding_permissions``); Safeguarding leads, Executive partners and members none.
Held answers are never shown, and only ``Answer.redacted_text`` is.
"""

from __future__ import annotations

import re
import secrets

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from consultations.analysis.discovery import SuggestedTheme, discover
from consultations.models import QuestionKind
from consultations.themes.admin.coding_base import (
    URL_NAMESPACE,
    CodingMixin,
    admin_url,
    gold_key,
)
from consultations.themes.admin.coding_screen import (
    CodingStatusView,
    CodingView,
    GoldCodingView,
    RetrainView,
)
from consultations.themes.models import CodingRun, HumanCoding
from consultations.themes.services import theme_coding as service
from consultations.themes.services.summaries import cached_themed_summary, earlier_consultation

__all__ = ["URL_NAMESPACE", "get_urlpatterns"]

#: Gold sample sizes a facilitator may draw.
GOLD_MIN, GOLD_MAX, GOLD_DEFAULT = 10, 500, 50
#: Below this many gold answers the quality figures are not worth much.
GOLD_ENOUGH = 30
#: Suggestions discovery may make, and example answers shown with each.
DISCOVERY_THEMES, DISCOVERY_EXAMPLES = 8, 5


# Quality ------------------------------------------------------------------------------------


class GoldSampleForm(forms.Form):
    size = forms.IntegerField(
        label=gettext_lazy("How many answers to draw"),
        min_value=GOLD_MIN,
        max_value=GOLD_MAX,
        initial=GOLD_DEFAULT,
        help_text=gettext_lazy("Between 10 and 500. 100 gives a fair idea; 30 is the least."),
    )


def trust_words(report) -> str:
    """Plain words on how far to trust the summary, from the gold sample's figures."""
    if report.answers < GOLD_ENOUGH or report.sample_f1 is None:
        return _(
            "Not enough answers have been coded blind to say yet: code at least %(n)s (100 is "
            "better) before relying on these figures."
        ) % {"n": GOLD_ENOUGH}
    if report.sample_f1 >= 0.8:
        return _(
            "The machine’s themes agree closely with people’s. The summary’s counts can be "
            "trusted for the themes with a high F1 below; check the others."
        )
    if report.sample_f1 >= 0.6:
        return _(
            "The machine’s themes mostly agree with people’s. Use the summary’s counts as a "
            "guide, not exact figures, and be careful with themes with a low F1 below."
        )
    return _(
        "The machine’s themes often disagree with people’s. Code more answers on the coding "
        "screen, let the model retrain, and check again before relying on the summary."
    )


def _rate(value) -> str:
    return "–" if value is None else f"{value:.2f}"


class QualityView(CodingMixin, TemplateView):
    template_name = "themes/admin/coding_quality.html"
    page_label = gettext_lazy("Quality check")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = service.quality(self.codebook)
        context["report"] = report
        context["rows"] = [
            {
                "theme": t.theme,
                "support": t.support,
                "predicted": t.predicted,
                "tp": t.tp,
                "fp": t.fp,
                "fn": t.fn,
                "precision": _rate(t.precision),
                "recall": _rate(t.recall),
                "f1": _rate(t.f1),
                "few": t.support < 5,
            }
            for t in report.themes
        ]
        context["overall"] = {
            "precision": _rate(report.micro_precision),
            "recall": _rate(report.micro_recall),
            "f1": _rate(report.micro_f1),
            "macro_f1": _rate(report.macro_f1),
            "sample_f1": _rate(report.sample_f1),
        }
        context["trust"] = trust_words(report)
        context["form"] = kwargs.get("form") or GoldSampleForm()
        sample = self.request.session.get(gold_key(self.codebook), [])
        context["sample_left"] = (
            len(sample)
            - HumanCoding.objects.filter(
                codebook=self.codebook, gold=True, answer_id__in=sample
            ).count()
        )
        context["gold_url"] = admin_url("gold", self.consultation.pk)
        context["current_run"] = service.current_run(self.codebook)
        return context

    def post(self, request, *args, **kwargs):
        if self.codebook is None:
            return self.no_codebook()
        form = GoldSampleForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        seed = secrets.randbelow(1_000_000)
        sample = service.draw_gold_sample(self.codebook, form.cleaned_data["size"], seed)
        if not sample:
            messages.error(request, _("Every answer has been coded blind already."))
            return redirect(admin_url("quality", self.consultation.pk))
        request.session[gold_key(self.codebook)] = sample
        messages.success(
            request,
            ngettext(
                "Drew %(count)s answer at random (seed %(seed)s). Code it without suggestions.",
                "Drew %(count)s answers at random (seed %(seed)s). Code them without suggestions.",
                len(sample),
            )
            % {"count": len(sample), "seed": seed},
        )
        return redirect(admin_url("gold", self.consultation.pk))


# Discovery ----------------------------------------------------------------------------------


class AdoptForm(forms.Form):
    name = forms.CharField(max_length=90)
    terms = forms.CharField(max_length=2000)
    size = forms.IntegerField(min_value=0)


def varied_examples(texts: list[str], how_many: int = DISCOVERY_EXAMPLES) -> list[str]:
    """The first ``how_many`` texts that differ by more than capitals and punctuation."""
    chosen, seen = [], set()
    for text in texts:
        key = " ".join(re.findall(r"\w+", text.casefold()))
        if key not in seen:
            seen.add(key)
            chosen.append(text)
    return chosen[:how_many]


class DiscoveryView(CodingMixin, TemplateView):
    template_name = "themes/admin/coding_discovery.html"
    page_label = gettext_lazy("Discovery")

    @staticmethod
    def overlap_words(suggestion: SuggestedTheme) -> str:
        """How much a suggestion overlaps the codebook, in words."""
        if suggestion.overlap_theme is None or suggestion.overlap <= 0:
            return _("No overlap with the codebook")
        share = suggestion.overlap
        percent = _("less than 1%") if share < 0.005 else f"{round(share * 100)}%"
        return _("Overlaps %(percent)s with “%(theme)s”") % {
            "percent": percent,
            "theme": suggestion.overlap_theme,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids, texts = service.uncoded_texts(self.codebook)
        specs = service.theme_specs(self.codebook.themes.all())
        suggestions = discover(texts, max_themes=DISCOVERY_THEMES, codebook=specs)
        context["unmatched"] = len(ids)
        context["suggestions"] = [
            {
                "suggestion": s,
                "terms": "\n".join(s.top_terms),
                "examples": varied_examples([texts[i] for i in s.examples]),
                "overlap": self.overlap_words(s),
            }
            for s in suggestions
        ]
        context["can_adopt"] = self.request.user.has_perm("themes.change_codebook")
        return context

    def post(self, request, *args, **kwargs):
        if self.codebook is None:
            return self.no_codebook()
        if not request.user.has_perm("themes.change_codebook"):
            raise PermissionDenied
        form = AdoptForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("That suggestion could not be added. Try again."))
            return redirect(admin_url("discovery", self.consultation.pk))
        terms = [t.strip() for t in form.cleaned_data["terms"].splitlines() if t.strip()]
        suggested = SuggestedTheme(
            name=form.cleaned_data["name"],
            top_terms=terms,
            examples=[],
            size=form.cleaned_data["size"],
        )
        theme = service.adopt_suggestion(self.codebook, suggested)
        messages.success(
            request,
            _(
                "Added the theme “%(name)s” to the codebook. The answers are being coded again; "
                "rename or edit it in the codebook."
            )
            % {"name": theme.name},
        )
        return redirect(admin_url("discovery", self.consultation.pk))


# Themed summary -----------------------------------------------------------------------------


class ThemedSummaryView(CodingMixin, TemplateView):
    template_name = "themes/admin/coding_summary.html"
    page_label = gettext_lazy("Themed summary")
    model = CodingRun
    permission_required = "view"

    def text_questions(self):
        return [
            q
            for q in self.consultation.ordered_questions()
            if q.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questions = self.text_questions()
        chosen = self.request.GET.get("question", "")
        question = next((q for q in questions if str(q.pk) == chosen), None)
        context.update(
            questions=questions,
            question=question,
            summary=cached_themed_summary(self.consultation, question=question),
            earlier=earlier_consultation(self.consultation),
            current_run=service.current_run(self.codebook),
            now=timezone.now(),
        )
        return context


def get_urlpatterns():
    """The coding views' URLs, served by ``ThemeCodingViewSet`` in ``themes/wagtail_hooks.py``."""
    return [
        path("<int:page_id>/coding/", CodingView.as_view(), name="coding"),
        path("<int:page_id>/coding/status/", CodingStatusView.as_view(), name="coding_status"),
        path("<int:page_id>/coding/retrain/", RetrainView.as_view(), name="coding_retrain"),
        path("<int:page_id>/quality/", QualityView.as_view(), name="quality"),
        path("<int:page_id>/quality/gold/", GoldCodingView.as_view(), name="gold"),
        path("<int:page_id>/discovery/", DiscoveryView.as_view(), name="discovery"),
        path("<int:page_id>/themes/", ThemedSummaryView.as_view(), name="themed_summary"),
    ]
