"""“You said, we did”: what the partners promise in answer to a consultation, and what they did.

A ``Commitment`` answers a consultation, or one theme of it: what will be done, which partner owns
it, a lead, a due date and a status, with dated ``ProgressUpdate`` notes. Published commitments are
listed in plain language at ``/you-said-we-did/``, where young people can say whether a commitment
answers what they said (``CommitmentFeedback``: one anonymous row per answer given, nothing about
who gave it). ``LoopReminder`` records when staff were last reminded to close a consultation's
loop (``reminders.py``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable


class Partner(models.TextChoices):
    COUNCIL = "council", _("County council")
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health")
    ALL = "all", _("All three partners")


class CommitmentStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_DOING = "not_doing", _("Not doing")


class Commitment(ClusterableModel):
    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        verbose_name=_("consultation"),
        on_delete=models.CASCADE,
        related_name="commitments",
    )
    theme = models.ForeignKey(
        "themes.Theme",
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        help_text=_("Optional. A theme from this consultation's codebook."),
    )
    you_said = models.TextField(
        _("what young people said"),
        help_text=_(
            "In plain words a 10-year-old can read, for example “You told us buses stop "
            "too early for you to get home safely.”"
        ),
    )
    we_will = models.TextField(
        _("what will be done"),
        help_text=_(
            "Plain words: who will do what, for example “We will ask the bus company to "
            "run a later bus on weekdays.”"
        ),
    )
    partner = models.CharField(_("partner"), max_length=10, choices=Partner.choices)
    lead = models.CharField(
        _("lead"),
        max_length=200,
        help_text=_("A job title is enough, for example “Head of Community Safety”."),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PLANNED,
    )
    reason = models.TextField(
        _("reason"),
        blank=True,
        help_text=_("Needed when the status is “Not doing”: say why, in plain words."),
    )
    published = models.BooleanField(_("show on the public “You said, we did” page"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "consultations_commitment"  # kept from before the app split
        ordering = ["due_date", "pk"]

    def __str__(self):
        return self.we_will[:80]

    def clean(self):
        super().clean()
        errors = {}
        if self.status == CommitmentStatus.NOT_DOING and not self.reason.strip():
            errors["reason"] = _("Say why this will not be done. Young people will read it.")
        if self.theme_id and self.consultation_id:
            codebook = getattr(self.theme, "codebook", None)
            if codebook is None or codebook.consultation_id != self.consultation_id:
                errors["theme"] = _("Choose a theme from this consultation’s codebook.")
        if errors:
            raise ValidationError(errors)


class ProgressUpdate(Orderable):
    commitment = ParentalKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("what happened"))

    class Meta(Orderable.Meta):
        db_table = "consultations_progressupdate"  # kept from before the app split
        pass

    def __str__(self):
        return f"{self.date}: {self.text[:60]}"


class FeedbackAnswer(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class CommitmentFeedback(models.Model):
    """One young person's answer to “Does this answer what you said?”. Nothing about who."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="feedback")
    answer = models.CharField(max_length=6, choices=FeedbackAnswer.choices)
    given_on = models.DateField(default=timezone.localdate)

    class Meta:
        db_table = "consultations_commitmentfeedback"  # kept from before the app split

    def __str__(self):
        return f"{self.get_answer_display()} to commitment {self.commitment_id}"


class LoopReminder(models.Model):
    """When a “closing the loop” reminder about one thing was last emailed to staff.

    One row per thing reminded about, named by ``key`` (see
    ``consultations.commitments.loop.LoopProblem.key``): results not published, a top theme with
    no commitment, a commitment past its date. ``send_loop_reminders`` emails a thing again only
    once ``REMIND_AGAIN_AFTER`` (a week) has passed since ``last_sent_at``, and deletes the row
    once the thing is put right, so that it is reminded at once if it comes back.
    """

    key = models.CharField(max_length=100, unique=True)
    consultation = models.ForeignKey(
        "consultations.ConsultationPage",
        on_delete=models.CASCADE,
        related_name="loop_reminders",
    )
    last_sent_at = models.DateTimeField()

    def __str__(self):
        return f"{self.key} (last sent {self.last_sent_at:%Y-%m-%d %H:%M})"
