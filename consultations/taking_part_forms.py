"""The "what was taking part like?" form on the thank-you page, in a young person's words."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from consultations.models import TAKING_PART_QUESTIONS
from consultations.models.feedback import ANYTHING_ELSE_MAX_LENGTH

CHOOSE_GIVEN = _("Choose one of the answers given.")


class TakingPartForm(forms.Form):
    """Three optional radio groups and an optional "Anything else", plus the step's token.

    The template draws the fields itself (GOV.UK patterns, as the answer form does);
    :meth:`questions` gives it what each radio group needs, and :meth:`error_links` the error
    summary's links, in page order.
    """

    understood = forms.ChoiceField(
        required=False,
        choices=TAKING_PART_QUESTIONS[0].choices(),
        error_messages={"invalid_choice": CHOOSE_GIVEN},
    )
    listened = forms.ChoiceField(
        required=False,
        choices=TAKING_PART_QUESTIONS[1].choices(),
        error_messages={"invalid_choice": CHOOSE_GIVEN},
    )
    again = forms.ChoiceField(
        required=False,
        choices=TAKING_PART_QUESTIONS[2].choices(),
        error_messages={"invalid_choice": CHOOSE_GIVEN},
    )
    anything_else = forms.CharField(
        required=False,
        max_length=ANYTHING_ELSE_MAX_LENGTH,
        error_messages={
            "max_length": _("What you write must be %(limit_value)s characters or fewer."),
            "null_characters_not_allowed": _("Use only letters, numbers and punctuation."),
        },
    )
    form_token = forms.UUIDField(widget=forms.HiddenInput)

    PREFIX = "taking-part"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("form_token", uuid.uuid4())

    def clean(self):
        cleaned = super().clean()
        names = [q.name for q in TAKING_PART_QUESTIONS]
        if not self.errors and not any(cleaned.get(n) for n in [*names, "anything_else"]):
            raise forms.ValidationError(_("Answer at least one question, or choose “Skip”."))
        return cleaned

    def field_id(self, name: str) -> str:
        """The id the error summary links to: the first radio of a question, or the text box."""
        if name == "anything_else":
            return f"{self.PREFIX}-anything-else"
        question = next(q for q in TAKING_PART_QUESTIONS if q.name == name)
        return f"{self.PREFIX}-{name}-{question.options[0].value}"

    def questions(self) -> list[dict]:
        """Each question with its options (id, value, label, checked) and its error, if any."""
        chosen = {q.name: self[q.name].value() or "" for q in TAKING_PART_QUESTIONS}
        return [
            {
                "name": q.name,
                "text": q.text,
                "error": self.errors[q.name][0] if q.name in self.errors else "",
                "options": [
                    {
                        "id": f"{self.PREFIX}-{q.name}-{option.value}",
                        "value": option.value,
                        "label": option.label,
                        "checked": chosen[q.name] == option.value,
                    }
                    for option in q.options
                ],
            }
            for q in TAKING_PART_QUESTIONS
        ]

    def error_links(self) -> list[tuple[str, str]]:
        """``(#field-id, message)`` for the error summary, one per field, in page order."""
        names = [q.name for q in TAKING_PART_QUESTIONS] + ["anything_else"]
        return [(f"#{self.field_id(n)}", self.errors[n][0]) for n in names if n in self.errors]
