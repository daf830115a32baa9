"""The whole response a concern came from: every answer, the about-you answers, source and time.

A lead deciding about one answer often needs the rest: the age band, a rating of "Very unhappy",
another answer that was held too. The words people wrote read redacted, as everywhere; an answer
a concern was raised about reads as written for those who may (``raw_answers``), each reading
recorded in the audit log as on the concern's own page.
"""

import copy

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from consultations import raw_downloads
from consultations.models import Answer, Question, QuestionKind
from consultations.models.questions import RATING_FACES, TEXT_KINDS, AboutYou
from consultations.safeguarding.models import SafeguardingConcern
from consultations.services import raw_answers

from .. import services
from ..display import highlight
from .common import SafeguardingPermissionMixin, admin_url

#: About-you answers also copied onto the response (imports may set them without a question).
RESPONSE_ABOUT_YOU = (AboutYou.AGE_BAND, AboutYou.AREA)


class WholeResponseView(SafeguardingPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "safeguarding/whole_response.html"
    header_icon = "warning"

    @cached_property
    def concern(self) -> SafeguardingConcern:
        return get_object_or_404(
            SafeguardingConcern.objects.select_related("response__page", "response__import_batch"),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def response(self):
        return self.concern.response

    @cached_property
    def answers(self) -> dict[int, Answer]:
        if self.response is None:
            return {}
        return {a.question_id: a for a in self.response.answers.all()}

    @cached_property
    def concerns_by_answer(self) -> dict[int, SafeguardingConcern]:
        """Every concern raised about an answer of this response (the latest, per answer)."""
        if self.response is None:
            return {}
        concerns = SafeguardingConcern.objects.filter(response=self.response).order_by(
            "created_at", "pk"
        )
        return {c.answer_id: c for c in concerns if c.answer_id}

    @cached_property
    def as_written(self) -> dict[int, SafeguardingConcern]:
        """The answers this reader may read as written, by answer id, with their concerns."""
        return raw_answers.readable_as_written(
            user=self.request.user, answers=self.answers.values()
        )

    def get(self, request, *args, **kwargs):
        if self.response is not None:
            services.concern_response_view_record(
                concern=self.concern, user=request.user, read_as_written=self.as_written
            )
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("The whole response (concern #%(pk)s)") % {"pk": self.concern.pk}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": admin_url("index"), "label": _("Safeguarding queue")},
            {
                "url": admin_url("detail", self.concern.pk),
                "label": _("Concern #%(pk)s") % {"pk": self.concern.pk},
            },
            {"url": "", "label": _("The whole response")},
        ]

    def value(self, question: Question, answer: Answer | None) -> str:
        """The answer in words: redacted unless this reader may read it as written."""
        if answer is None:
            return ""
        if question.kind == QuestionKind.RATING:
            if answer.rating is None:
                return ""
            if question.face_labels and answer.rating in RATING_FACES:
                return _("%(rating)s out of 5: %(face)s") % {
                    "rating": answer.rating,
                    "face": RATING_FACES[answer.rating],
                }
            return _("%(rating)s out of 5") % {"rating": answer.rating}
        # answer_value shows a held answer as "held" (downloads must); a lead reads it here.
        readable = copy.copy(answer)
        readable.held = False
        return str(
            raw_downloads.answer_value(question, readable, raw_text=answer.pk in self.as_written)
        )

    def item(self, number: int, question: Question) -> dict:
        answer = self.answers.get(question.pk)
        value = self.value(question, answer)
        as_written = answer is not None and answer.pk in self.as_written
        answer_concern = self.concerns_by_answer.get(answer.pk) if answer else None
        html = ""
        if as_written and question.kind in TEXT_KINDS and answer_concern is not None:
            html = highlight(answer.text, answer_concern.spans)
        return {
            "number": number,
            "question": question,
            "answer": value,
            "html": html,
            "as_written": as_written,
            "held": bool(answer and answer.held),
            "this_concern": bool(answer and answer.pk == self.concern.answer_id),
            "concern_url": (
                admin_url("detail", answer_concern.pk)
                if answer_concern and answer_concern.pk != self.concern.pk
                else ""
            ),
        }

    def about_you(self, questions) -> list[tuple[str, str]]:
        rows, asked = [], set()
        for question in questions:
            label = AboutYou(question.about).label if question.about else question.text
            value = self.value(question, self.answers.get(question.pk))
            if value:
                asked.add(question.about)
            rows.append((str(label), value))
        for about in RESPONSE_ABOUT_YOU:
            value = getattr(self.response, about.value)
            if value and about not in asked:
                rows.append((str(about.label), value))
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        response = self.response
        context.update(
            concern=self.concern,
            response=response,
            concern_url=admin_url("detail", self.concern.pk),
        )
        if response is None:
            return context
        questions = list(response.page.ordered_questions())
        about = [q for q in questions if q.kind == QuestionKind.ABOUT_YOU]
        others = [q for q in questions if q.kind != QuestionKind.ABOUT_YOU]
        items = [self.item(n, q) for n, q in enumerate(others, start=1)]
        context.update(
            consultation=response.page,
            submitted_at=timezone.localtime(response.submitted_at),
            about_you=self.about_you(about),
            answers=items,
            held_count=sum(item["held"] for item in items),
            any_as_written=bool(self.as_written),
        )
        return context
