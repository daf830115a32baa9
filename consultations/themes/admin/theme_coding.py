"""Facilitators' coding screens, per consultation: coding, quality, discovery, themed summary.

- **Coding** (``coding``): one answer's redacted text with the machine's suggested themes ticked;
  a facilitator accepts, unticks, ticks others, and saves (or skips). The next answer is the one
  the model was least sure of. Keyboard shortcuts come from ``consultations/js/coding.js``; the
  page works without it.
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
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views.generic import PermissionCheckedMixin
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from consultations.admin.responses import ConsultationMixin
from consultations.analysis.discovery import SuggestedTheme, discover
from consultations.models import QuestionKind
from consultations.themes.models import Codebook, CodingRun, HumanCoding, RunStatus
from consultations.themes.services import theme_coding as service
from consultations.themes.services.summaries import cached_themed_summary, earlier_consultation

CODEBOOK_URLS = "wagtailsnippets_themes_codebook"
#: Gold sample sizes a facilitator may draw.
GOLD_MIN, GOLD_MAX, GOLD_DEFAULT = 10, 500, 50
#: Below this many gold answers the quality figures are not worth much.
GOLD_ENOUGH = 30
#: Suggestions discovery may make, and example answers shown with each.
DISCOVERY_THEMES, DISCOVERY_EXAMPLES = 8, 3


URL_NAMESPACE = "themes"  # served under /admin/consultations/<id>/ beside the responses


def admin_url(name: str, *args) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


def confidence_words(score: float) -> str:
    """A confidence in words, for people who do not read decimals as probabilities."""
    if score >= 0.85:
        return _("very likely")
    if score >= 0.65:
        return _("likely")
    if score >= 0.45:
        return _("possible")
    return _("unlikely")


def _gold_key(codebook: Codebook) -> str:
    return f"consultations:gold:{codebook.pk}"


def _skip_key(codebook: Codebook) -> str:
    return f"consultations:skipped:{codebook.pk}"


class CodingMixin(PermissionCheckedMixin, ConsultationMixin, WagtailAdminTemplateMixin):
    """The consultation's codebook (or a page explaining there is none yet) and breadcrumbs."""

    model = HumanCoding
    permission_required = "add"
    header_icon = "tag"
    page_label = ""

    @cached_property
    def codebook(self) -> Codebook | None:
        return Codebook.objects.filter(consultation=self.consultation).first()

    def get(self, request, *args, **kwargs):
        if self.codebook is None:
            return self.no_codebook()
        return super().get(request, *args, **kwargs)

    def no_codebook(self):
        """A page saying how to give the consultation a codebook (the views' own context
        needs one, so only this mixin's is built)."""
        self.template_name = "themes/admin/coding_no_codebook.html"
        return self.render_to_response(CodingMixin.get_context_data(self))

    def get_page_title(self):
        return str(self.page_label)

    def get_page_subtitle(self):
        return self.consultation.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [*self.consultation_breadcrumbs(), {"url": "", "label": self.page_label}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        starter = Codebook.objects.filter(is_starter=True).order_by("pk").first()
        context.update(
            codebook=self.codebook,
            starter=starter,
            codebooks_url=reverse(f"{CODEBOOK_URLS}:list"),
            copy_starter_url=(
                reverse(f"{CODEBOOK_URLS}:copy", args=[starter.pk]) if starter else ""
            ),
            nav=self.nav_links(),
        )
        return context

    def nav_links(self) -> list[dict]:
        page_id = self.consultation.pk
        links = [
            ("coding", _("Coding")),
            ("quality", _("Quality check")),
            ("discovery", _("Discovery")),
            ("themed_summary", _("Themed summary")),
        ]
        current = self.request.resolver_match.url_name if self.request.resolver_match else ""
        return [
            {"url": admin_url(name, page_id), "label": label, "current": name == current}
            for name, label in links
        ]

    def run_status(self) -> dict:
        codebook = self.codebook
        current = service.current_run(codebook)
        running = (
            CodingRun.objects.filter(codebook=codebook, status=RunStatus.RUNNING)
            .order_by("-started_at", "-pk")
            .first()
        )
        latest = service.latest_run(codebook)
        return {
            "current": current,
            "running": running,
            "failed": latest if latest is not None and latest.status == RunStatus.FAILED else None,
            "since": service.codings_since_last_run(codebook),
            "every": service.retrain_every(),
            "status_url": admin_url("coding_status", self.consultation.pk),
            "can_start": self.request.user.has_perm("themes.add_codingrun"),
            "start_url": admin_url("coding_retrain", self.consultation.pk),
        }


# The coding screen -------------------------------------------------------------------------


class CodingView(CodingMixin, TemplateView):
    """One answer at a time; POST saves the ticked themes (or skips) and shows the next."""

    template_name = "themes/admin/coding_screen.html"
    page_label = gettext_lazy("Coding")
    gold = False

    def answer_to_show(self):
        requested = self.request.GET.get("answer", "")
        if requested.isdigit():
            answer = service.codable_answers(self.codebook).filter(pk=int(requested)).first()
            if answer is not None:
                return answer
        skipped = self.request.session.get(_skip_key(self.codebook), [])
        found = service.next_answers(self.codebook, 1, exclude=skipped)
        if not found and skipped:
            # Everything left was skipped: start offering the skipped ones again.
            self.request.session.pop(_skip_key(self.codebook), None)
            found = service.next_answers(self.codebook, 1)
        return found[0] if found else None

    def themes(self):
        return list(self.codebook.themes.select_related("parent").order_by("sort_order", "pk"))

    def theme_rows(self, answer, suggestions: dict[int, float], ticked: set[int]) -> list[dict]:
        rows = []
        for number, theme in enumerate(self.themes(), start=1):
            score = suggestions.get(theme.pk)
            rows.append(
                {
                    "theme": theme,
                    "key": str(number) if number <= 9 else "",
                    "checked": theme.pk in ticked,
                    "suggested": score is not None,
                    "score": score,
                    "words": confidence_words(score) if score is not None else "",
                }
            )
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answer = kwargs.get("answer") or self.answer_to_show()
        coded, total = service.coding_progress(self.codebook)
        context.update(coded=coded, total=total, gold=self.gold, answer=answer)
        context["status"] = self.run_status()
        if answer is not None:
            existing = HumanCoding.objects.filter(
                answer=answer, codebook=self.codebook, gold=self.gold
            ).first()
            suggestions = {} if self.gold else service.suggestions_for(self.codebook, answer)
            if existing is not None:
                ticked = set(existing.themes.values_list("pk", flat=True))
            else:
                ticked = set(suggestions)
            context["theme_rows"] = self.theme_rows(answer, suggestions, ticked)
            context["already_coded"] = existing is not None
            context["question"] = answer.question
        return context

    def post(self, request, *args, **kwargs):
        if self.codebook is None:
            return self.no_codebook()
        answer = (
            service.codable_answers(self.codebook)
            .filter(pk=request.POST.get("answer") or 0)
            .first()
        )
        if answer is None:
            messages.error(
                request,
                _("That answer cannot be coded: it may have been held for safeguarding review."),
            )
            return redirect(self.request.path)
        if request.POST.get("action") == "skip":
            skipped = request.session.get(_skip_key(self.codebook), [])
            request.session[_skip_key(self.codebook)] = [*skipped, answer.pk][-500:]
            return redirect(self.next_url())
        wanted = {int(pk) for pk in request.POST.getlist("themes") if pk.isdigit()}
        themes = list(self.codebook.themes.filter(pk__in=wanted))
        if len(themes) != len(wanted):
            messages.error(request, _("Some of the themes ticked are not in this codebook."))
            return redirect(self.request.path)
        try:
            service.record_coding(answer, self.codebook, themes, request.user, gold=self.gold)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.request.path)
        messages.success(
            request,
            ngettext("Saved with %(count)s theme.", "Saved with %(count)s themes.", len(themes))
            % {"count": len(themes)}
            if themes
            else _("Saved as matching none of the themes."),
        )
        return redirect(self.next_url())

    def next_url(self) -> str:
        return admin_url("coding", self.consultation.pk)


class GoldCodingView(CodingView):
    """The blind coding of the gold sample: no suggestions, nothing ticked in advance."""

    page_label = gettext_lazy("Quality check: code blind")
    gold = True

    def sample(self) -> list[int]:
        return self.request.session.get(_gold_key(self.codebook), [])

    def answer_to_show(self):
        done = set(
            HumanCoding.objects.filter(codebook=self.codebook, gold=True).values_list(
                "answer_id", flat=True
            )
        )
        released = service.codable_answers(self.codebook)
        for pk in self.sample():
            if pk not in done and released.filter(pk=pk).exists():
                return released.get(pk=pk)
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sample = self.sample()
        done = HumanCoding.objects.filter(
            codebook=self.codebook, gold=True, answer_id__in=sample
        ).count()
        context.update(
            coded=done, total=len(sample), quality_url=admin_url("quality", self.consultation.pk)
        )
        return context

    def post(self, request, *args, **kwargs):
        if self.codebook is not None and request.POST.get("action") == "skip":
            return redirect(self.next_url())
        return super().post(request, *args, **kwargs)

    def next_url(self) -> str:
        return admin_url("gold", self.consultation.pk)


class CodingStatusView(CodingMixin, TemplateView):
    """The latest run's progress, as JSON for ``coding.js`` to update the progress bar."""

    model = CodingRun
    permission_required = "view"

    def get(self, request, *args, **kwargs):
        if self.codebook is None:
            return JsonResponse({"running": False})
        status = self.run_status()
        running = status["running"]
        return JsonResponse(
            {
                "running": running is not None,
                "done": running.done if running else 0,
                "total": running.total if running else 0,
            }
        )


class RetrainView(CodingMixin, TemplateView):
    """POST: start a re-code now (a worker does it; the coding screen shows its progress)."""

    model = CodingRun
    permission_required = "add"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if self.codebook is None:
            return redirect(admin_url("coding", self.consultation.pk))
        service.enqueue_recode(self.codebook)
        messages.success(
            request, _("Re-coding started. The answers keep their codes until it ends.")
        )
        return redirect(admin_url("coding", self.consultation.pk))


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
        sample = self.request.session.get(_gold_key(self.codebook), [])
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
        request.session[_gold_key(self.codebook)] = sample
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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        ids, texts = service.uncoded_texts(self.codebook)
        suggestions = discover(texts, max_themes=DISCOVERY_THEMES)
        context["unmatched"] = len(ids)
        context["suggestions"] = [
            {
                "suggestion": s,
                "terms": "\n".join(s.top_terms),
                "examples": varied_examples([texts[i] for i in s.examples]),
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
