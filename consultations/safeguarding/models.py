from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Severity(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    CONCERN = "concern", _("Concern")


class ConcernStatus(models.TextChoices):
    NEW = "new", _("New")
    UNDER_REVIEW = "under-review", _("Under review")
    REFERRED = "referred", _("Referred")
    MONITORING = "monitoring", _("Monitoring")
    ACTION_TAKEN = "action-taken", _("Action taken")
    NO_FURTHER_ACTION = "no-further-action", _("No further action")


# Referred and Monitoring stay open: someone still has to hear back and close it with an outcome.
OPEN_STATUSES = (
    ConcernStatus.NEW,
    ConcernStatus.UNDER_REVIEW,
    ConcernStatus.REFERRED,
    ConcernStatus.MONITORING,
)
CLOSED_STATUSES = (
    ConcernStatus.ACTION_TAKEN,
    ConcernStatus.NO_FURTHER_ACTION,
)


class SafeguardingConcern(models.Model):
    """An answer the safeguarding screen flagged (or could not screen), for a lead to act on.

    Created inside ``submit_response``, in the same transaction as the answer. The answer stays
    held back from every output until a Safeguarding lead releases it. Links to the answer and
    response are kept if they are deleted later (an import undone, say), as a record of the
    concern; the words themselves live only on the answer.
    """

    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        null=True,
        on_delete=models.SET_NULL,
        related_name="concerns",
    )
    response = models.ForeignKey(
        "consultations.Response", null=True, on_delete=models.SET_NULL, related_name="concerns"
    )
    answer = models.ForeignKey(
        "consultations.Answer", null=True, on_delete=models.SET_NULL, related_name="concerns"
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="safeguarding_concerns",
        help_text=_("The member's account, when they answered signed in as themselves."),
    )
    severity = models.CharField(max_length=10, choices=Severity.choices, db_index=True)
    categories = models.JSONField(default=list)
    spans = models.JSONField(default=list, help_text=_("What the screen matched, by position."))
    screening_failed = models.BooleanField(
        default=False,
        help_text=_("The screen could not read this answer, so it was held for review."),
    )
    status = models.CharField(
        max_length=20, choices=ConcernStatus.choices, default=ConcernStatus.NEW, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    due_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When a lead should have dealt with it: by the clock when urgent."),
    )
    acknowledged_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When a lead first acted on it.")
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    escalated_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When it was sent on to the escalation address, not acknowledged in time."),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_concerns",
        help_text=_("The Safeguarding lead dealing with it."),
    )
    referred_to = models.CharField(
        max_length=255,
        blank=True,
        help_text=_("Who it was referred to, such as children's social care or the police."),
    )
    referred_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True, help_text=_("What happened, written when closed."))

    class Meta:
        db_table = "consultations_safeguardingconcern"  # kept from before the app split
        ordering = ["-created_at"]
        permissions = [
            ("review_safeguarding", "Can see the safeguarding queue and raw flagged answers")
        ]
        verbose_name = _("safeguarding concern")
        verbose_name_plural = _("safeguarding concerns")

    def __str__(self):
        return f"{self.get_severity_display()} concern #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ConcernNote(models.Model):
    """A lead's note on a concern: every status change and every release or withholding has one."""

    concern = models.ForeignKey(SafeguardingConcern, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    from_status = models.CharField(max_length=20, choices=ConcernStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ConcernStatus.choices, blank=True)
    action = models.CharField(
        max_length=20,
        blank=True,
        help_text=_("status, release, withhold, severity, category, assign or acknowledge"),
    )
    changes = models.JSONField(
        default=dict,
        blank=True,
        help_text=_("What the action changed, as {field: [before, after]}."),
    )
    text = models.TextField()

    class Meta:
        db_table = "consultations_concernnote"  # kept from before the app split
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Note on concern #{self.concern_id} at {self.created_at:%Y-%m-%d %H:%M}"


class ContactRequest(models.Model):
    """A young person's own request to be contacted, made after a disclosure.

    Answers are anonymous, so nobody can reach a young person unless they choose to say how.
    This is kept apart from the answers (it never reaches a report, an export or a word cloud),
    only Safeguarding leads can read it, and the daily purge deletes it after
    ``YOUTHVOICE_CONTACT_REQUEST_DAYS``.
    """

    response = models.ForeignKey(
        "consultations.Response",
        null=True,
        on_delete=models.SET_NULL,
        related_name="contact_requests",
    )
    concern = models.ForeignKey(
        SafeguardingConcern,
        null=True,
        on_delete=models.SET_NULL,
        related_name="contact_requests",
    )
    how_to_reach = models.TextField(
        help_text=_("Their name, or how to reach them, as they wrote it.")
    )
    best_time = models.CharField(max_length=255, blank=True)
    consent = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        db_table = "consultations_contactrequest"
        ordering = ["-created_at"]
        verbose_name = _("contact request")
        verbose_name_plural = _("contact requests")

    def __str__(self):
        return f"Contact request #{self.pk}"
