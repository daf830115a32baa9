import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Reference codes avoid letters and digits that look alike (0/O, 1/I/L).
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class Source(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")
    WORKSHOP = "workshop", _("Workshop")
    IMPORT = "import", _("Imported file")


class Response(models.Model):
    """One submission to a consultation: the answers one person gave at one time.

    Written only by ``consultations.services.submit_response``. ``token`` makes a submission
    idempotent: the same token always means the same response. No IP address or browser detail
    is ever stored. ``age_band`` and ``area`` copy the "about you" answers so reports can filter
    without joining every answer.
    """

    page = models.ForeignKey(
        "consultations.ConsultationPage", on_delete=models.PROTECT, related_name="responses"
    )
    token = models.UUIDField(unique=True, editable=False)
    reference = models.CharField(
        max_length=REFERENCE_LENGTH, unique=True, default=new_reference, editable=False
    )
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.ONLINE)
    import_batch = models.ForeignKey(
        "consultations.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="responses",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultation_responses",
        help_text=_("Only when a signed-in member chose to answer as themselves."),
    )
    submitted_at = models.DateTimeField(default=timezone.now, db_index=True)
    age_band = models.CharField(max_length=100, blank=True, db_index=True)
    area = models.CharField(max_length=100, blank=True, db_index=True)
    is_demo = models.BooleanField(
        default=False, help_text=_("Generated demo data, not a real answer.")
    )
    text_purged_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When the words written were deleted under the retention period."),
    )

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["page", "submitted_at"]),
            models.Index(fields=["page", "source"]),
        ]
        # Staff read redacted words everywhere. ``view_raw_answers`` shows the words as written,
        # on screen, of answers a safeguarding concern was raised about (Safeguarding leads have
        # it; consultations.services.raw_answers). Downloads withhold the words people wrote
        # unless the user has ``export_raw_answers``; no role has it by default (an admin gives
        # it to a person or group in Wagtail's Users screens).
        permissions = [
            ("export_raw_answers", _("Can download the raw words of answers")),
            ("view_raw_answers", _("Can read answers as written")),
        ]

    def __str__(self):
        return self.reference


class Answer(models.Model):
    """The answer to one question within a response.

    ``text`` holds what was written (text questions, and "Other – tell us"); ``choices`` the
    options chosen, in order for rankings; ``rating`` a 1–5 rating.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "consultations.Question", on_delete=models.PROTECT, related_name="answers"
    )
    text = models.TextField(blank=True)
    redacted_text = models.TextField(
        blank=True, help_text=_("``text`` with personal details replaced; what every output uses.")
    )
    choices = models.JSONField(default=list, blank=True)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    held = models.BooleanField(
        default=False,
        db_index=True,
        help_text=_(
            "Held for safeguarding review: left out of every output until a lead releases it."
        ),
    )
    terms_counted = models.BooleanField(
        default=False,
        help_text=_("Its terms are stored in AnswerTerm and included in the question's totals."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self):
        return f"{self.response.reference}: {self.question_id}"

    @property
    def display(self) -> str:
        parts = []
        if self.rating is not None:
            parts.append(str(self.rating))
        if self.choices:
            parts.append("; ".join(self.choices))
        if self.text:
            parts.append(self.text)
        return " — ".join(parts)
