"""The coding screen: facilitators confirm or correct the machine's themes, one answer at a time.

- **One answer** (its redacted text and its question) with the machine's suggestions; only those
  at or above their theme's threshold are ticked in advance, and each says how sure the machine
  is in words and with a bar (``consultations.themes.selectors``).
- **Answers that say the same thing** to the same question are a group ("12 answers say this"):
  saving codes every uncoded answer of the group, each with its own coding, so each can be
  undone on its own ("Just saved", or "Undo this coding" on a coded answer). Skipping skips the
  group. "Code only this answer" leaves the others.
- **Keys**: every theme has one (1–9, then letters other than S), shown beside it;
  ``consultations/js/coding.js`` handles them, Enter saves, S skips. Without JavaScript the
  page is checkboxes and buttons.
- **Order**: the answers the model was least sure of first (the default), or at random.
- **Agreement so far**: the sample-averaged F1 between the machine's ticked suggestions and
  people's codes, recomputed on every page.
- **The blind gold coding** (``gold``, for the quality check) is the same screen with no
  suggestions, no groups, no order choice and no agreement line.
"""

from __future__ import annotations

import random

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from consultations.themes import selectors
from consultations.themes.admin.coding_base import CodingMixin, admin_url, gold_key, skip_key
from consultations.themes.models import CodingRun, HumanCoding
from consultations.themes.services import coding_screen as screen_service
from consultations.themes.services import theme_coding as service

#: The orders the coding screen offers; the first is the default.
ORDERS = ("uncertain", "random")
#: Other wordings of a group shown, and answers listed under "Just saved".
VARIANTS_SHOWN, SAVED_SHOWN = 5, 20


def order_key(codebook) -> str:
    return f"consultations:order:{codebook.pk}"


def saved_key(codebook) -> str:
    return f"consultations:saved:{codebook.pk}"


class CodingView(CodingMixin, TemplateView):
    """One answer (and its group) at a time; POST saves the ticked themes, skips or undoes."""

    template_name = "themes/admin/coding_screen.html"
    page_label = gettext_lazy("Coding")
    gold = False

    # Which answer --------------------------------------------------------------------------

    def order(self) -> str:
        """The order chosen with ``?order=`` (remembered for the session), else the default."""
        key = order_key(self.codebook)
        wanted = self.request.GET.get("order", "")
        if wanted in ORDERS:
            self.request.session[key] = wanted
        chosen = self.request.session.get(key, ORDERS[0])
        return chosen if chosen in ORDERS else ORDERS[0]

    def next_answer(self, skipped: list[int]):
        if self.order() == "random":
            coded = HumanCoding.objects.filter(codebook=self.codebook).values("answer_id")
            ids = list(
                service.codable_answers(self.codebook)
                .exclude(pk__in=coded)
                .exclude(pk__in=skipped)
                .values_list("pk", flat=True)
            )
            if not ids:
                return None
            pick = random.choice(ids)  # noqa: S311 - an order to code in, not a secret
            return service.codable_answers(self.codebook).get(pk=pick)
        found = service.next_answers(self.codebook, 1, exclude=skipped)
        return found[0] if found else None

    def answer_to_show(self):
        requested = self.request.GET.get("answer", "")
        if requested.isdigit():
            answer = service.codable_answers(self.codebook).filter(pk=int(requested)).first()
            if answer is not None:
                return answer
        skipped = self.request.session.get(skip_key(self.codebook), [])
        answer = self.next_answer(skipped)
        if answer is None and skipped:
            # Everything left was skipped: start offering the skipped ones again.
            self.request.session.pop(skip_key(self.codebook), None)
            answer = self.next_answer([])
        return answer

    # What the page shows -------------------------------------------------------------------

    def themes(self):
        return list(self.codebook.themes.select_related("parent").order_by("sort_order", "pk"))

    def theme_rows(self, suggestions: dict[int, float], ticked: set[int] | None) -> list[dict]:
        """One row per theme; ``ticked=None`` ticks the suggestions at or above threshold."""
        themes = self.themes()
        thresholds = selectors.suggestion_thresholds(self.codebook, (theme.pk for theme in themes))
        rows = []
        for theme, key in zip(themes, selectors.theme_keys(len(themes)), strict=True):
            score = suggestions.get(theme.pk)
            threshold = thresholds[theme.pk]
            suggested = score is not None
            rows.append(
                {
                    "theme": theme,
                    "key": key,
                    "checked": (
                        theme.pk in ticked
                        if ticked is not None
                        else suggested and score >= threshold
                    ),
                    "suggested": suggested,
                    "score": score,
                    "percent": round(score * 100) if suggested else 0,
                    "words": selectors.confidence_words(score, threshold) if suggested else "",
                }
            )
        return rows

    def group_context(self, answer) -> dict:
        if self.gold:
            return {"group_size": 1, "variants": []}
        group = selectors.answer_group(self.codebook, answer)
        shown = selectors.normalise_answer(answer.redacted_text)
        variants, seen = [], {shown}
        texts = dict(
            service.codable_answers(self.codebook)
            .filter(pk__in=group[1:])
            .values_list("pk", "redacted_text")
        )
        for pk in group[1:]:
            key = selectors.normalise_answer(texts.get(pk, ""))
            if key and key not in seen:
                seen.add(key)
                variants.append(texts[pk])
        return {"group_size": len(group), "variants": variants[:VARIANTS_SHOWN]}

    def just_saved(self) -> list[HumanCoding]:
        ids = self.request.session.get(saved_key(self.codebook), [])
        if self.gold or not ids:
            return []
        codings = HumanCoding.objects.filter(
            codebook=self.codebook, gold=False, answer_id__in=ids, answer__held=False
        ).select_related("answer")
        return sorted(codings, key=lambda c: ids.index(c.answer_id))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        answer = kwargs.get("answer") or self.answer_to_show()
        coded, total = service.coding_progress(self.codebook)
        context.update(coded=coded, total=total, gold=self.gold, answer=answer)
        context["status"] = self.run_status()
        if not self.gold:
            order = self.order()
            context["agreement"] = selectors.agreement_so_far(
                self.codebook,
                selectors.suggestion_thresholds(
                    self.codebook, self.codebook.themes.values_list("pk", flat=True)
                ),
            )
            context["orders"] = [
                {
                    "url": f"{admin_url('coding', self.consultation.pk)}?order={name}",
                    "label": label,
                    "current": name == order,
                }
                for name, label in zip(ORDERS, (_("least sure first"), _("at random")), strict=True)
            ]
            saved = self.just_saved()
            context["just_saved"] = saved[:SAVED_SHOWN]
            context["just_saved_more"] = max(len(saved) - SAVED_SHOWN, 0)
        if answer is not None:
            existing = HumanCoding.objects.filter(
                answer=answer, codebook=self.codebook, gold=self.gold
            ).first()
            suggestions = {} if self.gold else service.suggestions_for(self.codebook, answer)
            ticked = None if existing is None else set(existing.themes.values_list("pk", flat=True))
            if self.gold and ticked is None:
                ticked = set()
            context["theme_rows"] = self.theme_rows(suggestions, ticked)
            context["already_coded"] = existing is not None
            context["question"] = answer.question
            context.update(self.group_context(answer))
        return context

    # Saving, skipping, undoing -------------------------------------------------------------

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
        action = request.POST.get("action")
        if action == "skip":
            return self.skip(answer)
        if action == "undo":
            return redirect(self.next_url()) if self.gold else self.undo(answer)
        posted = request.POST.getlist("themes")
        wanted = {int(pk) for pk in posted if pk.isdigit()}
        themes = list(self.codebook.themes.filter(pk__in=wanted))
        if len(themes) != len(wanted) or not all(pk.isdigit() for pk in posted):
            messages.error(request, _("Some of the themes ticked are not in this codebook."))
            return redirect(self.request.path)
        whole_group = not self.gold and not request.POST.get("only_this")
        group = selectors.answer_group(self.codebook, answer) if whole_group else [answer.pk]
        members = service.codable_answers(self.codebook).in_bulk(group)
        answers = [members[pk] for pk in group if pk in members]
        try:
            if self.gold:
                service.record_coding(answer, self.codebook, themes, request.user, gold=True)
            else:
                screen_service.human_coding_record_group(
                    answers=answers, codebook=self.codebook, themes=themes, coder=request.user
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.request.path)
        if not self.gold:
            request.session[saved_key(self.codebook)] = [a.pk for a in answers]
        messages.success(request, self.saved_message(len(answers), len(themes)))
        return redirect(self.next_url())

    @staticmethod
    def saved_message(answers: int, themes: int) -> str:
        if not themes:
            return ngettext(
                "Saved as matching none of the themes.",
                "Saved %(answers)s answers as matching none of the themes.",
                answers,
            ) % {"answers": answers}
        if answers == 1:
            return ngettext(
                "Saved with %(count)s theme.", "Saved with %(count)s themes.", themes
            ) % {"count": themes}
        return ngettext(
            "Saved %(answers)s answers with %(count)s theme.",
            "Saved %(answers)s answers with %(count)s themes.",
            themes,
        ) % {"answers": answers, "count": themes}

    def skip(self, answer):
        group = [answer.pk] if self.gold else selectors.answer_group(self.codebook, answer)
        skipped = self.request.session.get(skip_key(self.codebook), [])
        self.request.session[skip_key(self.codebook)] = [*skipped, *group][-500:]
        return redirect(self.next_url())

    def undo(self, answer):
        if screen_service.human_coding_undo(answer=answer, codebook=self.codebook):
            saved = self.request.session.get(saved_key(self.codebook), [])
            self.request.session[saved_key(self.codebook)] = [pk for pk in saved if pk != answer.pk]
            messages.success(
                self.request,
                _("Coding undone: the answer has the machine’s themes again and can be coded."),
            )
        else:
            messages.error(self.request, _("That answer had no coding to undo."))
        return redirect(f"{self.next_url()}?answer={answer.pk}")

    def next_url(self) -> str:
        return admin_url("coding", self.consultation.pk)


class GoldCodingView(CodingView):
    """The blind coding of the gold sample: no suggestions, nothing ticked in advance."""

    page_label = gettext_lazy("Quality check: code blind")
    gold = True

    def sample(self) -> list[int]:
        return self.request.session.get(gold_key(self.codebook), [])

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
