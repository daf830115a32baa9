"""One concern: everything about it, and a lead's actions on it, each with a required note."""

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import registry as log_registry

from consultations.safeguarding.models import SafeguardingConcern, Severity
from consultations.services.raw_answers import can_read_raw_answers

from .. import selectors, services
from ..display import (
    category_choices,
    category_labels,
    found_by_learned_check,
    highlight,
    note_summary,
    screen_reasons,
)
from ..forms import (
    AssignForm,
    CategoryForm,
    ConcernStatusForm,
    ReleaseForm,
    SeverityForm,
    WithholdForm,
)
from .common import SafeguardingPermissionMixin, admin_url, person_name


def screen_findings(concern: SafeguardingConcern, notes) -> tuple[list[str], str]:
    """The categories and severity the screen gave, before any lead corrected them."""
    categories, severity = list(concern.categories or []), concern.severity
    for note in reversed(list(notes)):  # the earliest correction holds what the screen said
        changes = note.changes or {}
        if note.action == services.ACTION_CATEGORY and "categories" in changes:
            categories = list(changes["categories"][0] or [])
        if note.action == services.ACTION_SEVERITY and "severity" in changes:
            severity = changes["severity"][0]
    return categories, severity


class ConcernDetailView(SafeguardingPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Everything about one concern, the lead's forms, its notes and its audit log.

    Shows the words as written (with the screen's matches marked) to those who may read them
    (``view_raw_answers``: Safeguarding leads), because deciding needs them; others see the
    redacted words only. Every opening of this page is recorded in the audit log, as "Read an
    answer as written" when the words were shown (consultations.services.raw_answers).
    """

    template_name = "safeguarding/detail.html"
    header_icon = "warning"

    @cached_property
    def concern(self):
        return get_object_or_404(
            SafeguardingConcern.objects.select_related(
                "consultation", "response", "answer__question", "respondent", "assigned_to"
            ).prefetch_related("taking_part_feedback"),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def taking_part(self):
        """The “what was taking part like?” row whose “Anything else?” raised this concern, if
        it was raised there rather than by an answer (those words are kept apart from the
        answers, so the concern has no answer or response)."""
        if self.concern.answer_id:
            return None
        return self.concern.taking_part_feedback.first()

    @cached_property
    def words_as_written(self) -> str:
        """The words the concern is about, as written: the answer's, or “Anything else?”'s."""
        if self.concern.answer:
            return self.concern.answer.text
        if self.taking_part:
            return self.taking_part.anything_else
        return ""

    @cached_property
    def shows_words_as_written(self) -> bool:
        return bool(self.words_as_written) and can_read_raw_answers(self.request.user)

    def get(self, request, *args, **kwargs):
        services.concern_view_record(
            concern=self.concern, user=request.user, as_written=self.shows_words_as_written
        )
        return super().get(request, *args, **kwargs)

    def get_page_title(self):
        return _("Concern #%(pk)s") % {"pk": self.concern.pk}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": admin_url("index"), "label": _("Safeguarding queue")},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def leads(self):
        return services.safeguarding_leads()

    def form_kwargs(self, form_class) -> dict:
        """What each form needs to know of the concern (used for the blank and posted forms)."""
        concern = self.concern
        if form_class is ConcernStatusForm:
            return {
                "current_status": concern.status,
                "referred": services.was_referred(concern),
            }
        if form_class is CategoryForm:
            return {"choices": category_choices()}
        if form_class is AssignForm:
            return {"leads": self.leads}
        return {}

    def forms(self) -> dict:
        concern = self.concern
        known = {name for name, _label in category_choices()}
        return {
            "status_form": ConcernStatusForm(
                initial={
                    "status": concern.status,
                    "expected_status": concern.status,
                    "referred_to": concern.referred_to,
                    "referred_on": concern.referred_on,
                },
                **self.form_kwargs(ConcernStatusForm),
            ),
            "severity_form": SeverityForm(initial={"severity": concern.severity}),
            "category_form": CategoryForm(
                initial={"categories": [c for c in concern.categories or [] if c in known]},
                **self.form_kwargs(CategoryForm),
            ),
            "assign_form": AssignForm(
                initial={"assigned_to": concern.assigned_to_id}, **self.form_kwargs(AssignForm)
            ),
            "release_form": ReleaseForm(),
            "withhold_form": WithholdForm(),
        }

    def notes(self) -> list:
        notes = list(self.concern.notes.select_related("author"))
        ids = {
            user_id
            for note in notes
            for user_id in (note.changes or {}).get("assigned_to", [])
            if user_id
        }
        names = {u.pk: person_name(u) for u in get_user_model().objects.filter(pk__in=ids)}
        for note in notes:
            note.summary = note_summary(note, names)
        return notes

    def get_context_data(self, **kwargs):
        concern = self.concern
        answer = concern.answer
        [concern] = selectors.concern_deadlines_annotate([concern], now=self.now())
        notes = self.notes()
        screen_categories, screen_severity = screen_findings(concern, notes)
        context = {**self.forms(), **kwargs}
        context.update(
            concern=concern,
            answer=answer,
            question=answer.question if answer else None,
            taking_part=self.taking_part,
            answer_html=(
                highlight(self.words_as_written, concern.spans)
                if self.shows_words_as_written
                else ""
            ),
            words_kept=bool(self.words_as_written),
            categories=category_labels(concern.categories),
            screen_categories=category_labels(screen_categories),
            categories_corrected=screen_categories != list(concern.categories or []),
            reasons=screen_reasons(
                spans=concern.spans,
                categories=screen_categories,
                severity=screen_severity,
                text=self.words_as_written if self.shows_words_as_written else None,
            ),
            decision=selectors.concern_answer_decision(concern),
            notes=notes,
            log_entries=log_registry.get_logs_for_instance(concern).select_related("user"),
            urgent=concern.severity == Severity.URGENT,
            learned_only=found_by_learned_check(concern.spans),
            assigned_to=person_name(concern.assigned_to),
            whole_response_url=(
                admin_url("whole_response", concern.pk) if concern.response_id else ""
            ),
        )
        return super().get_context_data(**context)


class ConcernActionView(ConcernDetailView):
    """A lead's action on a concern, posted from its page; shown again with errors if refused."""

    http_method_names = ["post"]
    form_class: type | None = None
    form_context_name = ""

    def perform(self, form):
        raise NotImplementedError

    def success_message(self, note) -> str:
        raise NotImplementedError

    def refused_form(self, form):
        """The form to show again after a refusal (as posted, by default)."""
        return form

    def bound_form(self, data):
        return self.form_class(data, **self.form_kwargs(self.form_class))

    def show_again(self, form):
        """The concern's page again, with the form as it is; a reading like any other."""
        services.concern_view_record(
            concern=self.concern, user=self.request.user, as_written=self.shows_words_as_written
        )
        return self.render_to_response(self.get_context_data(**{self.form_context_name: form}))

    def post(self, request, *args, **kwargs):
        form = self.bound_form(request.POST)
        if not form.is_valid():
            messages.error(request, _("Nothing was changed. See the message by the form."))
            return self.show_again(form)
        try:
            note = self.perform(form)
        except services.ConcernActionRefused as refusal:
            form.add_error(None, str(refusal))
            messages.error(request, _("Nothing was changed. %(reason)s") % {"reason": refusal})
            return self.show_again(self.refused_form(form))
        messages.success(request, self.success_message(note))
        return redirect(admin_url("detail", self.concern.pk))


class ConcernStatusView(ConcernActionView):
    form_class = ConcernStatusForm
    form_context_name = "status_form"

    def perform(self, form):
        data = form.cleaned_data
        return services.concern_status_change(
            concern_id=self.concern.pk,
            user=self.request.user,
            to_status=data["status"],
            note=data["note"],
            expected_status=data["expected_status"] or None,
            referred_to=data["referred_to"],
            referred_on=data["referred_on"],
            outcome=data["outcome"],
            false_alarm=data["false_alarm"],
        )

    def refused_form(self, form):
        # Someone else may have changed the status meanwhile: the lead has now seen the current
        # status (and the notes), so a second attempt goes through.
        data = form.data.copy()
        data[form.add_prefix("expected_status")] = self.current_status()
        refreshed = self.bound_form(data)
        refreshed.is_valid()
        for error in form.non_field_errors():
            refreshed.add_error(None, error)
        return refreshed

    def current_status(self) -> str:
        return SafeguardingConcern.objects.values_list("status", flat=True).get(pk=self.concern.pk)

    def success_message(self, note):
        if note.action == services.ACTION_NOTE:
            return _("Your note was added.")
        return _("Status changed to “%(status)s”.") % {"status": note.get_to_status_display()}


class SeverityView(ConcernActionView):
    form_class = SeverityForm
    form_context_name = "severity_form"

    def perform(self, form):
        return services.concern_severity_change(
            concern_id=self.concern.pk,
            user=self.request.user,
            severity=form.cleaned_data["severity"],
            note=form.cleaned_data["note"],
        )

    def success_message(self, note):
        return _("Severity changed to “%(severity)s”; its deadline was worked out again.") % {
            "severity": Severity(note.changes["severity"][1]).label
        }


class CategoryView(ConcernActionView):
    form_class = CategoryForm
    form_context_name = "category_form"

    def perform(self, form):
        return services.concern_categories_change(
            concern_id=self.concern.pk,
            user=self.request.user,
            categories=form.cleaned_data["categories"],
            note=form.cleaned_data["note"],
        )

    def success_message(self, note):
        return _("Categories changed.")


class AssignView(ConcernActionView):
    form_class = AssignForm
    form_context_name = "assign_form"

    def perform(self, form):
        return services.concern_assign(
            concern_id=self.concern.pk,
            user=self.request.user,
            assignee_id=form.cleaned_data["assigned_to"].pk,
            note=form.cleaned_data["note"],
        )

    def success_message(self, note):
        assignee_id = note.changes["assigned_to"][1]
        if assignee_id == self.request.user.pk:
            return _("It is assigned to you.")
        assignee = get_user_model().objects.get(pk=assignee_id)
        return _("Assigned to %(name)s. They are emailed a link to this concern.") % {
            "name": person_name(assignee)
        }


class ReleaseView(ConcernActionView):
    form_class = ReleaseForm
    form_context_name = "release_form"

    def perform(self, form):
        return services.concern_answer_release(
            concern_id=self.concern.pk, user=self.request.user, note=form.cleaned_data["note"]
        )

    def success_message(self, note):
        return _("The answer was released. It may now appear, redacted, in outputs.")


class WithholdView(ConcernActionView):
    form_class = WithholdForm
    form_context_name = "withhold_form"

    def perform(self, form):
        return services.concern_answer_withhold(
            concern_id=self.concern.pk, user=self.request.user, note=form.cleaned_data["note"]
        )

    def success_message(self, note):
        return _("The answer is withheld. It will not appear in any output.")
