"""The "I'd like someone to contact me" form on the thank-you page, in a young person's words."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .contact_requests import BEST_TIME_MAX_LENGTH, HOW_TO_REACH_MAX_LENGTH


class ContactRequestForm(forms.Form):
    """How to reach them (required), the best time (optional), and their consent (required).

    The template draws the fields itself (GOV.UK patterns, as the answer form does); the errors
    are in the order of the fields, for the error summary.
    """

    how_to_reach = forms.CharField(
        max_length=HOW_TO_REACH_MAX_LENGTH,
        error_messages={
            "required": _("Tell us your name or how we can reach you."),
            "max_length": _("How to reach you must be %(limit_value)s characters or fewer."),
            "null_characters_not_allowed": _("Use only letters, numbers and punctuation."),
        },
    )
    best_time = forms.CharField(
        required=False,
        max_length=BEST_TIME_MAX_LENGTH,
        error_messages={
            "max_length": _("The best time must be %(limit_value)s characters or fewer."),
            "null_characters_not_allowed": _("Use only letters, numbers and punctuation."),
        },
    )
    consent = forms.BooleanField(
        error_messages={
            "required": _("Tick the box to say a safeguarding lead can contact you."),
        },
    )

    #: Each field's id in the page, which the error summary links to.
    FIELD_IDS = {
        "how_to_reach": "how-to-reach",
        "best_time": "best-time",
        "consent": "consent",
    }

    def error_links(self) -> list[tuple[str, str]]:
        """``(#field-id, message)`` for the error summary, one per field, in page order."""
        return [
            (f"#{self.FIELD_IDS[name]}", self.errors[name][0])
            for name in self.FIELD_IDS
            if name in self.errors
        ]
