"""The forms on a concern: change its status, release or withhold its answer. A note is required."""

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.safeguarding.models import ConcernStatus

NOTE_REQUIRED = _("Write a note saying what you did and why.")


def _note_field(label, help_text):
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 4}),
        strip=True,
        error_messages={"required": NOTE_REQUIRED},
    )


class ConcernStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ConcernStatus.choices,
        help_text=_("Keep the same status to add a note without changing it."),
    )
    note = _note_field(
        _("Note"),
        _("What you did or decided, and why. Everyone who can see the queue reads this."),
    )
    # The status the lead saw, so a change made meanwhile by someone else is not overwritten.
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    prefix = "status"


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
