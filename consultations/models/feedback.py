"""What young people thought of being asked: the optional last step after sending their answers.

Three questions in plain words from the Lundy model's checklists (Voice: did they understand
what it was about; Influence: do they think the people in charge will listen; and would they
take part again), and an optional "anything else?". Kept apart from the answers on purpose:
a ``TakingPartFeedback`` row has no link to the response it followed, and keeps the day it was
given, not the time, so it cannot be matched to a response by its timestamp either.

To change the questions or their options, change :data:`TAKING_PART_QUESTIONS` (the form, the
report and the dashboard all read it); a new question needs a field here and a migration.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: The most a young person may write in "Anything else" (the form says so too).
ANYTHING_ELSE_MAX_LENGTH = 1000


class TakingPartAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    A_BIT = "a-bit", _("A bit")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")
    NOT_SURE = "not-sure", _("Not sure")


@dataclass(frozen=True)
class TakingPartQuestion:
    """One question of the step: its field, its words, a short name for tables, its options."""

    name: str
    text: str | Promise
    short: str | Promise
    options: tuple[TakingPartAnswer, ...]

    def choices(self) -> list[tuple[str, str]]:
        return [(option.value, str(option.label)) for option in self.options]


A = TakingPartAnswer
TAKING_PART_QUESTIONS = (
    TakingPartQuestion(
        "understood",
        _("Did you understand what this was about?"),
        _("Understood what it was about"),
        (A.YES, A.A_BIT, A.NO),
    ),
    TakingPartQuestion(
        "listened",
        _("Do you think the people in charge will listen to what young people said?"),
        _("Think the people in charge will listen"),
        (A.YES, A.A_BIT, A.NO, A.NOT_SURE),
    ),
    TakingPartQuestion(
        "again",
        _("Would you take part in something like this again?"),
        _("Would take part again"),
        (A.YES, A.MAYBE, A.NO),
    ),
)


class TakingPartFeedback(models.Model):
    """One young person's answers to the "what was taking part like?" step. Nothing about who.

    Written by ``consultations.services.taking_part.taking_part_feedback_create``, which screens
    and redacts ``anything_else`` as every answer is: a disclosure raises a
    ``SafeguardingConcern`` (``concern``) and the words are ``held``. (The demo makes its rows
    directly, with ordinary words.) Reports count the three
    answers (suppressed) and how many wrote something more; they never show the words.
    ``form_token`` is the step's own one-time token (a fresh random value, never the answers'
    token), so a double tap on "Send" stores one row.
    """

    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="taking_part_feedback",
    )
    given_on = models.DateField(
        default=timezone.localdate,
        db_index=True,
        help_text=_("The day only, never the time, so it cannot be matched to a response."),
    )
    understood = models.CharField(
        max_length=10, choices=TakingPartAnswer.choices, blank=True, default=""
    )
    listened = models.CharField(
        max_length=10, choices=TakingPartAnswer.choices, blank=True, default=""
    )
    again = models.CharField(
        max_length=10, choices=TakingPartAnswer.choices, blank=True, default=""
    )
    anything_else = models.TextField(blank=True, help_text=_("As written. Never shown in reports."))
    anything_else_redacted = models.TextField(blank=True)
    commented = models.BooleanField(
        default=False,
        help_text=_("They wrote something in “anything else” (kept when the words are deleted)."),
    )
    held = models.BooleanField(
        default=False,
        help_text=_("The safeguarding screen flagged the words, or could not read them."),
    )
    concern = models.ForeignKey(
        "safeguarding.SafeguardingConcern",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="taking_part_feedback",
    )
    form_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("taking part feedback")
        verbose_name_plural = _("taking part feedback")

    def __str__(self):
        return f"Taking part feedback #{self.pk}"
