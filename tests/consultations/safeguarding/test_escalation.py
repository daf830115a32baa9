"""An urgent concern nobody acknowledged by its deadline is escalated, once, and audit-logged.

2026-03-06 is a Friday. Concerns are made as submission leaves them (``support.make_concern``
sets ``due_at``); an urgent one raised at 18:30 is due at 19:30.
"""

from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.log_actions import registry as log_registry
from wagtail.models import ModelLogEntry

from consultations.safeguarding import acknowledgement
from consultations.safeguarding.acknowledgement import (
    LOG_ESCALATE,
    acknowledge,
    escalate_overdue_concerns,
)
from consultations.safeguarding.models import ConcernStatus, SafeguardingConcern, Severity
from consultations.safeguarding.tasks import escalate_overdue_concerns_task

from .support import lead, london, make_concern

RAISED = london(2026, 3, 6, 18, 30)
DUE = london(2026, 3, 6, 19, 30)
ESCALATION = "safeguarding-manager@council.example.org"
ON_CALL = "edt@council.example.org"


@pytest.fixture(autouse=True)
def escalation_settings(settings):
    settings.YOUTHVOICE_URGENT_DEADLINE_MINUTES = 60
    settings.YOUTHVOICE_SAFEGUARDING_ESCALATION_EMAIL = ESCALATION
    settings.YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL = ON_CALL


@pytest.fixture
def clock(monkeypatch):
    class Clock:
        now = RAISED

        def set(self, moment):
            self.now = moment

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture
def leads(db):
    return [lead(email="dsl@example.org"), lead(email="deputy@example.org")]


@pytest.fixture
def urgent(consultation, clock, leads):
    return make_concern(consultation, severity=Severity.URGENT, created_at=RAISED)


def escalation_entries(concern):
    return ModelLogEntry.objects.filter(action=LOG_ESCALATE, object_id=str(concern.pk))


def test_not_escalated_before_its_deadline(urgent, clock):
    clock.set(london(2026, 3, 6, 19, 29))

    assert escalate_overdue_concerns().escalated == []
    assert mail.outbox == []
    urgent.refresh_from_db()
    assert urgent.escalated_at is None


def test_unacknowledged_after_its_deadline_it_is_emailed_once_marked_and_logged(urgent, clock):
    assert urgent.due_at == DUE
    clock.set(london(2026, 3, 6, 19, 31))

    report = escalate_overdue_concerns()

    assert report.escalated == [urgent.pk]
    [email] = mail.outbox
    assert email.to == [ESCALATION]
    assert "OVERDUE and not acknowledged" in email.subject
    assert "Feeling safe" in email.subject
    assert "was due by Friday 6 March 2026, 19:30" in email.body
    assert "No Safeguarding lead has acknowledged it yet" in email.body
    assert f"/admin/safeguarding/{urgent.pk}/" in email.body
    for words in ("step dad", "hits", "drunk"):
        assert words not in email.body
    urgent.refresh_from_db()
    assert urgent.escalated_at == london(2026, 3, 6, 19, 31)
    [entry] = escalation_entries(urgent)
    assert entry.user is None
    assert entry.data["due_at"] == DUE.isoformat()
    [logged] = [e for e in log_registry.get_logs_for_instance(urgent) if e.action == LOG_ESCALATE]
    assert "not acknowledged" in logged.message


def test_run_twice_it_is_sent_once(urgent, clock):
    clock.set(london(2026, 3, 6, 19, 35))
    escalate_overdue_concerns()
    clock.set(london(2026, 3, 6, 19, 40))

    assert escalate_overdue_concerns().escalated == []

    assert len(mail.outbox) == 1
    assert escalation_entries(urgent).count() == 1
    urgent.refresh_from_db()
    assert urgent.escalated_at == london(2026, 3, 6, 19, 35)


def test_two_workers_at_once_send_it_once(urgent, clock, monkeypatch):
    clock.set(london(2026, 3, 6, 19, 35))
    # The second worker read the concern as due before the first one claimed it.
    read_earlier = SafeguardingConcern.objects.filter(pk=urgent.pk)
    escalate_overdue_concerns()
    monkeypatch.setattr(acknowledgement, "escalation_due", lambda now: read_earlier)

    assert escalate_overdue_concerns().escalated == []

    assert len(mail.outbox) == 1
    assert escalation_entries(urgent).count() == 1


def test_an_acknowledged_concern_is_not_escalated(urgent, clock, leads):
    clock.set(london(2026, 3, 6, 19, 5))
    assert acknowledge(urgent, leads[0]) is True
    clock.set(london(2026, 3, 6, 19, 45))

    assert escalate_overdue_concerns().escalated == []

    assert mail.outbox == []
    assert not escalation_entries(urgent).exists()


def test_only_the_first_acknowledgement_counts(urgent, clock, leads):
    stale_copy = SafeguardingConcern.objects.get(pk=urgent.pk)  # the other lead's page
    clock.set(london(2026, 3, 6, 19, 5))
    acknowledge(urgent, leads[0])
    clock.set(london(2026, 3, 6, 19, 6))

    assert acknowledge(stale_copy, leads[1]) is False

    urgent.refresh_from_db()
    assert urgent.acknowledged_by == leads[0]
    assert urgent.acknowledged_at == london(2026, 3, 6, 19, 5)
    assert stale_copy.acknowledged_by == leads[0]


def test_ordinary_and_closed_concerns_are_not_escalated(consultation, clock, leads):
    ordinary = make_concern(consultation, created_at=london(2026, 3, 2, 10, 0))
    closed = make_concern(
        consultation,
        severity=Severity.URGENT,
        status=ConcernStatus.NO_FURTHER_ACTION,
        created_at=london(2026, 3, 2, 10, 0),
    )
    clock.set(london(2026, 3, 6, 19, 45))

    assert escalate_overdue_concerns().escalated == []

    assert mail.outbox == []
    for concern in (ordinary, closed):
        concern.refresh_from_db()
        assert concern.escalated_at is None


def test_without_an_escalation_address_every_lead_and_the_on_call_address_hear(
    settings, urgent, clock
):
    settings.YOUTHVOICE_SAFEGUARDING_ESCALATION_EMAIL = ""
    clock.set(london(2026, 3, 6, 19, 45))

    escalate_overdue_concerns()

    [email] = mail.outbox
    assert set(email.to) == {"dsl@example.org", "deputy@example.org", ON_CALL}


def test_with_nobody_to_tell_nothing_is_marked_and_the_command_fails(settings, consultation, clock):
    settings.YOUTHVOICE_SAFEGUARDING_ESCALATION_EMAIL = ""
    settings.YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL = ""
    concern = make_concern(consultation, severity=Severity.URGENT, created_at=RAISED)
    clock.set(london(2026, 3, 6, 19, 45))

    with pytest.raises(CommandError, match="there is nobody to email"):
        call_command("escalate_overdue_concerns")

    concern.refresh_from_db()
    assert concern.escalated_at is None
    assert not escalation_entries(concern).exists()


def test_an_email_that_fails_is_not_marked_sent_and_the_next_run_sends_it(urgent, clock):
    clock.set(london(2026, 3, 6, 19, 45))
    mail_down = mock.patch.object(acknowledgement, "send_mail", side_effect=OSError("mail down"))
    with mail_down, pytest.raises(CommandError, match=f"#{urgent.pk}"):
        call_command("escalate_overdue_concerns")

    urgent.refresh_from_db()
    assert urgent.escalated_at is None
    assert not escalation_entries(urgent).exists()

    clock.set(london(2026, 3, 6, 19, 50))
    assert escalate_overdue_concerns().escalated == [urgent.pk]
    assert len(mail.outbox) == 1


def test_the_command_says_what_it_escalated_and_is_quiet_otherwise(urgent, clock, capsys):
    clock.set(london(2026, 3, 6, 19, 45))

    call_command("escalate_overdue_concerns")
    assert f"Escalated urgent concern #{urgent.pk}" in capsys.readouterr().out

    call_command("escalate_overdue_concerns")
    assert capsys.readouterr().out == ""


def test_the_task_escalates_too(urgent, clock):
    clock.set(london(2026, 3, 6, 19, 45))

    result = escalate_overdue_concerns_task.enqueue()

    assert result.return_value == {"escalated": 1, "failed": 0, "no_one_to_tell": False}
    assert len(mail.outbox) == 1


def test_an_escalated_concern_shows_in_its_history(client, urgent, clock, leads):
    clock.set(london(2026, 3, 6, 19, 45))
    escalate_overdue_concerns()
    client.force_login(leads[0])

    html = client.get(f"/admin/safeguarding/{urgent.pk}/").text

    assert "Escalated: urgent, overdue and not acknowledged" in html
