"""The forms on a concern: its status, severity, categories, who deals with it, and its answer.

A note is required on every one. The forms check what a person typed; whether the change may be
made (the concern as it is now, who may be assigned) is for ``services``, which refuses with a
reason the view shows beside the form.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.safeguarding.models import CLOSED_STATUSES, ConcernStatus, Severity

NOTE_REQUIRED = _("Write a note saying what you did and why.")
REFERRED_TO_REQUIRED = _(
    "Say who it was referred to, such as children's social care, the police or a GP."
)
REFERRED_ON_REQUIRED = _("Give the date it was referred.")
REFERRED_ON_FUTURE = _("The date it was referred cannot be in the future.")
FALSE_ALARM_ONLY_CLOSED = _("Only a concern closed with No further action can be a false alarm.")
OUTCOME_REQUIRED = _(
    "Say what happened after the referral (the outcome) before you close the concern."
)


def _note_field(label, help_text):
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=True,
        error_messages={"required": NOTE_REQUIRED},
    )


def _note(help_text=None):
    return _note_field(
        _("Note"),
        help_text
        or _("What you did or decided, and why. Everyone who can see the queue reads this."),
    )


class ConcernStatusForm(forms.Form):
    """Change the status (or keep it and add a note).

    Moving to Referred needs who it was referred to and when; closing a concern that was
    referred needs its outcome. ``needs_outcome`` is set by the view from the concern as the
    lead saw it; the service checks again against the concern as it is.
    """

    status = forms.ChoiceField(
        label=_("Status"),
        choices=ConcernStatus.choices,
        help_text=_(
            "Referred and Monitoring stay in the open queue until you close the concern with "
            "its outcome. Keep the same status to add a note without changing it."
        ),
    )
    referred_to = forms.CharField(
        label=_("Referred to"),
        required=False,
        max_length=255,
        strip=True,
        help_text=_("Needed when the status is Referred: who, such as children's social care."),
    )
    referred_on = forms.DateField(
        label=_("Referred on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Needed when the status is Referred: the date you referred it."),
        error_messages={"invalid": _("Enter the date as day, month and year.")},
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed when you close a concern that was referred (Action taken or No further "
            "action): what happened."
        ),
    )
    false_alarm = forms.BooleanField(
        label=_("This was a false alarm: the answer is not a disclosure"),
        required=False,
        help_text=_(
            "Only with No further action. When the screen is next taught from leads' "
            "corrections, this answer counts as an ordinary one."
        ),
    )
    note = _note()
    # The status the lead saw, so a change made meanwhile by someone else is not overwritten.
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    prefix = "status"

    def __init__(self, *args, current_status: str | None = None, referred: bool = False, **kw):
        super().__init__(*args, **kw)
        self.current_status = current_status
        self.referred = referred

    def clean(self):
        data = super().clean()
        expected = data.get("expected_status")
        if expected and self.current_status and expected != self.current_status:
            # Someone else changed the status meanwhile: the service refuses with that reason,
            # and the form shown again asks for what the status as it is now needs.
            return data
        to_status = data.get("status")
        moving = to_status and to_status != self.current_status
        if moving and to_status == ConcernStatus.REFERRED:
            if not data.get("referred_to"):
                self.add_error("referred_to", REFERRED_TO_REQUIRED)
            referred_on = data.get("referred_on")
            if referred_on is None and "referred_on" not in self.errors:
                self.add_error("referred_on", REFERRED_ON_REQUIRED)
            elif referred_on and referred_on > timezone.localdate():
                self.add_error("referred_on", REFERRED_ON_FUTURE)
        closing = moving and to_status in CLOSED_STATUSES
        if closing and self.referred and not data.get("outcome"):
            self.add_error("outcome", OUTCOME_REQUIRED)
        if data.get("false_alarm") and to_status != ConcernStatus.NO_FURTHER_ACTION:
            self.add_error("false_alarm", FALSE_ALARM_ONLY_CLOSED)
        return data


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(
        label=_("Severity"),
        choices=Severity.choices,
        help_text=_(
            "Urgent concerns come first in the queue and are due sooner: the deadline is worked "
            "out again from when the concern was raised."
        ),
        error_messages={"invalid_choice": _("Choose Urgent or Concern.")},
    )
    note = _note(_("Why the severity is different. Everyone who can see the queue reads this."))

    prefix = "severity"


class CategoryForm(forms.Form):
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Choose every category that fits. Corrections are kept and can be used to teach "
            "the screen."
        ),
        error_messages={
            "required": _("Choose at least one category."),
            "invalid_choice": _(
                "“%(value)s” is not one of the categories listed. Choose from the list."
            ),
        },
    )
    note = _note(_("Why the categories are different. Everyone who can see the queue reads this."))

    prefix = "category"

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = list(choices)


class LeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name()
        return f"{name} ({obj.email})" if name and obj.email else (name or obj.email or str(obj))


class AssignForm(forms.Form):
    """Choose the lead who deals with the concern, from the people who may see the queue.

    ``leads`` is the queryset of people offered; anyone else is refused here and again by
    ``services.concern_assign``.
    """

    assigned_to = LeadChoiceField(
        label=_("Assign to"),
        queryset=get_user_model().objects.none(),
        empty_label=_("Choose a Safeguarding lead"),
        help_text=_("They are emailed a link to this concern (never the answer)."),
        error_messages={
            "required": _("Choose the Safeguarding lead to assign it to."),
            "invalid_choice": _(
                "That person is not a Safeguarding lead, so the concern cannot be assigned to "
                "them. Choose someone from the list."
            ),
        },
    )
    note = _note(_("Why you are assigning it, and anything they need to know first."))

    prefix = "assign"

    def __init__(self, *args, leads=None, **kwargs):
        super().__init__(*args, **kwargs)
        if leads is not None:
            self.fields["assigned_to"].queryset = leads


class ReleaseForm(forms.Form):
    note = _note_field(
        _("Why it can be released"),
        _(
            "Released answers may appear, with personal details removed, in word clouds, quotes, "
            "summaries, reports and downloads."
        ),
    )

    prefix = "release"


class WithholdForm(forms.Form):
    note = _note_field(
        _("Why it is withheld"),
        _("A withheld answer never appears in any word cloud, quote, summary, report or download."),
    )

    prefix = "withhold"
