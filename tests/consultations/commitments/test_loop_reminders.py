"""Reminders to close the loop, with a frozen clock: who gets them, what they say, how often."""

from datetime import date, datetime, timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from consultations.commitments.models import LoopReminder
from consultations.commitments.reminders import send_loop_reminders
from consultations.commitments.tasks import send_loop_reminders_task
from tests.factories import UserFactory
from youthforum.accounts import roles

from .test_loop import CLOSED, LONDON, closed_consultation, promise, theme

pytestmark = pytest.mark.django_db

BEFORE = CLOSED + timedelta(weeks=11)  # 23 March 2026: within the 12 weeks
AFTER = CLOSED + timedelta(weeks=13)  # 6 April 2026: past them


@pytest.fixture
def staff(db):
    """Who should get reminders (the first two) and who should not."""
    return [
        UserFactory(roles=[roles.FACILITATORS], email="facilitator@example.org"),
        UserFactory(roles=[roles.EXECUTIVE_PARTNERS], email="exec@example.org"),
        UserFactory(roles=[roles.SAFEGUARDING_LEADS], email="lead@example.org"),
        UserFactory(roles=[roles.FACILITATORS], email="gone@example.org", is_active=False),
        UserFactory(roles=[roles.FACILITATORS], email=""),
        UserFactory(roles=[roles.MEMBERS], email="member@example.org"),
    ]


@pytest.fixture
def closed(home):
    """Closed 5 January 2026; "Lights" answered by a promise overdue since 1 March."""
    page = closed_consultation(home)
    promise(
        page,
        theme=theme(page, "Lights"),
        status="in_progress",
        due_date=date(2026, 3, 1),
        we_will="We will fix the lights by the park.",
    )
    promise(page, theme=theme(page, "Buses"), published=False, we_will="Later buses.")
    return page


def test_within_the_weeks_only_an_overdue_promise_is_reminded(staff, closed):
    report = send_loop_reminders(now=BEFORE)
    assert sorted(m.to[0] for m in mail.outbox) == ["exec@example.org", "facilitator@example.org"]
    assert all(len(m.to) == 1 for m in mail.outbox)  # nobody sees who else was told
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Closing the loop: 1 thing to follow up"
    assert "Commitments past their due date" in body
    assert "“We will fix the lights by the park.” (County council, due 1 March 2026" in body
    promise_id = closed.commitments.get(we_will__startswith="We will fix").pk
    assert f"http://testserver/admin/snippets/commitments/commitment/edit/{promise_id}/" in body
    assert "Publish its results" not in body and "top theme" not in body
    assert len(report.sent) == 1


def test_past_the_weeks_results_and_unanswered_top_themes_are_reminded(staff, closed):
    send_loop_reminders(now=AFTER)
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == "Closing the loop: 6 things to follow up"
    assert "“Feeling safe” closed on 5 January 2026, 13 weeks ago. Publish its results" in body
    assert f"http://testserver/admin/pages/{closed.pk}/edit/" in body
    for name in ("Buses", "Clubs", "Parks", "Online"):
        assert f"“{name}”, a top theme of “Feeling safe”, has no published commitment" in body
    assert "(one is drafted but not published)" in body  # Buses
    assert "“Lights”, a top theme" not in body  # answered
    assert "“Shops”" not in body  # sixth: not a top theme
    assert "http://testserver/admin/snippets/commitments/commitment/add/" in body
    assert "http://testserver/reports/" in body


def test_each_thing_is_reminded_at_most_weekly(staff, closed):
    send_loop_reminders(now=AFTER)
    assert len(mail.outbox) == 2
    send_loop_reminders(now=AFTER + timedelta(hours=1))
    send_loop_reminders(now=AFTER + timedelta(days=6, hours=23))
    assert len(mail.outbox) == 2  # nothing new within the week
    send_loop_reminders(now=AFTER + timedelta(days=7))
    assert len(mail.outbox) == 4
    assert mail.outbox[-1].subject == "Closing the loop: 6 things to follow up"


def test_a_new_problem_is_sent_at_once_and_alone(staff, closed):
    send_loop_reminders(now=AFTER)
    promise(closed, status="planned", due_date=date(2026, 4, 1), we_will="Paint the underpass.")
    send_loop_reminders(now=AFTER + timedelta(days=1))
    assert len(mail.outbox) == 4
    assert mail.outbox[-1].subject == "Closing the loop: 1 thing to follow up"
    assert "Paint the underpass." in mail.outbox[-1].body


def test_put_right_stops_the_reminder_and_coming_back_restarts_it(staff, closed):
    send_loop_reminders(now=AFTER)
    closed.results_published_at = AFTER + timedelta(hours=1)
    closed.save()
    send_loop_reminders(now=AFTER + timedelta(days=8))
    assert "Publish its results" not in mail.outbox[-1].body
    assert not LoopReminder.objects.filter(key=f"results:{closed.pk}").exists()

    closed.results_published_at = None  # taken down again
    closed.save()
    mail.outbox.clear()
    send_loop_reminders(now=AFTER + timedelta(days=9))  # within a week of the last email
    assert [m.subject for m in mail.outbox] == ["Closing the loop: 1 thing to follow up"] * 2
    assert "Publish its results" in mail.outbox[0].body


def test_the_number_of_weeks_is_a_setting(settings, staff, closed):
    settings.YOUTHVOICE_LOOP_REMINDER_WEEKS = 4
    send_loop_reminders(now=CLOSED + timedelta(weeks=5))
    assert "5 weeks ago. Publish its results" in mail.outbox[0].body


def test_a_failed_email_records_nothing_so_the_next_run_tries_again(staff, closed):
    with (
        mock.patch(
            "consultations.commitments.reminders.send_mass_mail", side_effect=OSError("SMTP down")
        ),
        pytest.raises(OSError),
    ):
        send_loop_reminders(now=AFTER)
    assert not LoopReminder.objects.exists()
    send_loop_reminders(now=AFTER + timedelta(minutes=5))
    assert len(mail.outbox) == 2


# The command and the task, with the clock frozen ----------------------------------------------


def frozen(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_the_command_sends_on_the_frozen_day(staff, closed):
    out = StringIO()
    with frozen(AFTER):
        call_command("send_loop_reminders", stdout=out)
        call_command("send_loop_reminders", stdout=out)  # same day: nothing more
    assert out.getvalue() == "Emailed 2 people about 6 thing(s).\n"
    assert len(mail.outbox) == 2
    assert LoopReminder.objects.count() == 6


def test_a_dry_run_sends_and_records_nothing(staff, closed):
    out = StringIO()
    with frozen(AFTER):
        call_command("send_loop_reminders", "--dry-run", stdout=out)
    assert "Would email 2 people about 6 of 6 open things:" in out.getvalue()
    assert "- “Feeling safe” closed on 5 January 2026" in out.getvalue()
    assert mail.outbox == [] and not LoopReminder.objects.exists()


def test_nobody_to_tell_is_an_error_and_is_sent_once_someone_can_be(closed):
    with frozen(AFTER), pytest.raises(CommandError, match="no active Facilitator"):
        call_command("send_loop_reminders", stdout=StringIO())
    assert not LoopReminder.objects.exists()
    UserFactory(roles=[roles.EXECUTIVE_PARTNERS], email="exec@example.org")
    with frozen(AFTER + timedelta(hours=1)):
        call_command("send_loop_reminders", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [["exec@example.org"]]


def test_nothing_open_sends_nothing(staff, home):
    closed_consultation(home, closes_at=datetime(2026, 3, 30, 17, tzinfo=LONDON))
    out = StringIO()
    with frozen(AFTER):
        call_command("send_loop_reminders", stdout=out)
    assert out.getvalue() == "" and mail.outbox == []


def test_the_task_sends_the_same_reminders(staff, closed):
    with frozen(AFTER):
        result = send_loop_reminders_task.enqueue()
    assert result.return_value == {"open": 6, "sent": 6, "recipients": 2, "dry_run": False}
    assert len(mail.outbox) == 2
