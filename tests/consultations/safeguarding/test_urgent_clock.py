"""Urgent means now: urgent concerns are due by the clock, and out of hours someone on call hears.

Ordinary concerns keep working-hour deadlines, which now skip bank holidays. 2026-03-06 is a
Friday; British Summer Time starts on 29 March 2026 and ends on 25 October 2026.
"""

import re
import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from consultations.models import Answer, QuestionKind
from consultations.safeguarding import selectors
from consultations.safeguarding.deadlines import (
    add_working_hours,
    bank_holidays,
    check_deadline_settings,
    due_by,
    is_out_of_hours,
    urgent_deadline_minutes,
)
from consultations.safeguarding.models import SafeguardingConcern, Severity
from consultations.services import RawAnswer, submit_response
from tests.factories import UserFactory, make_consultation
from tests.youthforum.accounts.support import sign_in_with_second_factor
from youthforum.accounts.roles import SAFEGUARDING_LEADS
from youthforum.core.models import SiteSettings
from youthforum.settings import base as shipped

from .support import QUEUE, detail_url, london

URGENT_WORDS = "i want to kill myself tonight, i have the pills ready"
ORDINARY_WORDS = "my step dad hits me when he is drunk"
ON_CALL = "edt@council.example.org"
PHONE = "0300 123 4567"


@pytest.fixture(autouse=True)
def shipped_clock_settings(settings):
    """An hour for urgent, a few bank holidays and no on-call address, whatever an overlay says."""
    settings.YOUTHVOICE_URGENT_DEADLINE_MINUTES = "60"
    settings.YOUTHVOICE_BANK_HOLIDAYS = ["2026-04-03", "2026-04-06", "2026-08-31", "2026-12-25"]
    settings.YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL = ""


@pytest.fixture
def clock(monkeypatch):
    """A clock the test sets: ``clock.set(london(...))``."""

    class Clock:
        now = london(2026, 3, 3, 10, 0)

        def set(self, moment):
            self.now = moment

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.now)
    return frozen


@pytest.fixture
def consultation(home):
    """Open all through the dates these tests set the clock to."""
    return make_consultation(
        home, title="Feeling safe", opens_at=london(2026, 1, 1), closes_at=london(2028, 1, 1)
    )


@pytest.fixture
def the_lead(db):
    return UserFactory(email="dsl@example.org", roles=[SAFEGUARDING_LEADS])


@pytest.fixture
def contact(home):
    site_settings = SiteSettings.for_site(home.get_site())
    site_settings.out_of_hours_name = "Emergency Duty Team"
    site_settings.out_of_hours_phone = PHONE
    site_settings.save()
    return site_settings


def raise_concern(consultation, words, clock, at) -> SafeguardingConcern:
    """A young person sends ``words`` at ``at``; the leads' email goes as after a real commit."""
    clock.set(at)
    question = consultation.questions.get(kind=QuestionKind.LONG_TEXT)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = submit_response(
            consultation=consultation,
            answers={question.pk: RawAnswer.of(words)},
            token=uuid.uuid4(),
        ).response
    return SafeguardingConcern.objects.get(response=response)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def row_of(html: str, concern) -> str:
    rows = re.findall(r"<tr[^>]*>.*?</tr>", html, flags=re.S)
    [row] = [r for r in rows if re.search(rf">\s*Concern #{concern.pk}\s*<", r)]
    return text_of(row)


@pytest.fixture
def lead_client(client, settings, the_lead):
    """A Safeguarding lead signed in with their second factor, as in production."""
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = True
    sign_in_with_second_factor(client, the_lead)
    return client


# Urgent concerns: by the clock ----------------------------------------------------------------


def test_an_urgent_concern_raised_on_friday_evening_is_due_an_hour_later_not_on_monday():
    assert due_by(london(2026, 3, 6, 18, 30), Severity.URGENT) == london(2026, 3, 6, 19, 30)


def test_an_urgent_concern_sent_on_friday_afternoon_is_due_within_the_hour(
    consultation, clock, the_lead
):
    concern = raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 6, 14, 54))

    assert concern.severity == Severity.URGENT
    assert concern.due_at == london(2026, 3, 6, 15, 54)


def test_the_urgent_deadline_comes_from_the_setting(settings):
    settings.YOUTHVOICE_URGENT_DEADLINE_MINUTES = 30

    assert due_by(london(2026, 3, 7, 23, 50), Severity.URGENT) == london(2026, 3, 8, 0, 20)


def test_an_urgent_hour_is_a_real_hour_when_the_clocks_go_forward():
    # 00:30 GMT on 29 March 2026; at 01:00 GMT the clocks jump to 02:00 BST.
    due = due_by(london(2026, 3, 29, 0, 30), Severity.URGENT)

    assert due.astimezone(UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert due == london(2026, 3, 29, 2, 30)
    assert due.utcoffset() == timedelta(hours=1)


def test_an_urgent_hour_is_a_real_hour_when_the_clocks_go_back():
    # 01:30 BST on 25 October 2026 (00:30 UTC); at 02:00 BST the clocks go back to 01:00 GMT.
    raised = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)

    due = due_by(raised, Severity.URGENT)

    assert due.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)
    assert due.utcoffset() == timedelta(0)  # 01:30 GMT, the second 01:30 of the night


# Ordinary concerns: working hours, without bank holidays --------------------------------------


def test_an_ordinary_concern_before_a_bank_holiday_skips_it():
    # Friday 28 August 2026, 14:00; Monday 31 August is the summer bank holiday.
    assert due_by(london(2026, 8, 28, 14, 0), Severity.CONCERN) == london(2026, 9, 1, 14, 0)


def test_christmas_and_the_weekend_are_both_skipped(settings):
    settings.YOUTHVOICE_BANK_HOLIDAYS = ["2026-12-25", "2026-12-28"]
    # Thursday 24 December 2026, 13:00: Friday and Monday are bank holidays.
    assert due_by(london(2026, 12, 24, 13, 0), Severity.CONCERN) == london(2026, 12, 29, 13, 0)


def test_easter_across_the_start_of_summer_time_keeps_nine_oclock_local():
    # Thursday 2 April 2026, 16:00 (BST since 29 March); Good Friday and Easter Monday skipped.
    due = due_by(london(2026, 4, 2, 16, 0), Severity.CONCERN)

    assert due == london(2026, 4, 7, 16, 0)
    assert due.astimezone(UTC) == datetime(2026, 4, 7, 15, 0, tzinfo=UTC)


def test_working_hours_start_after_a_bank_holiday_in_the_pure_arithmetic():
    due = add_working_hours(
        datetime(2026, 4, 6, 10, 0),  # Easter Monday, naive wall clock
        2,
        day_start=time(9),
        day_end=time(17),
        workdays={0, 1, 2, 3, 4},
        holidays={date(2026, 4, 6)},
    )

    assert due == datetime(2026, 4, 7, 11, 0)


def test_the_shipped_bank_holidays_are_england_and_waless_for_2026_and_2027(settings):
    settings.YOUTHVOICE_BANK_HOLIDAYS = shipped.YOUTHVOICE_BANK_HOLIDAYS

    holidays = bank_holidays()
    assert len(holidays) == 16
    assert {date(2026, 12, 25), date(2026, 12, 28), date(2027, 3, 26), date(2027, 12, 28)} <= (
        holidays
    )
    assert all(day.weekday() < 5 for day in holidays)
    assert urgent_deadline_minutes() == 60


@pytest.mark.parametrize(
    ("moment", "out_of_hours"),
    [
        (london(2026, 3, 6, 18, 30), True),  # Friday evening
        (london(2026, 3, 7, 11, 0), True),  # Saturday
        (london(2026, 4, 6, 11, 0), True),  # Easter Monday
        (london(2026, 3, 3, 8, 59), True),  # Tuesday, before opening
        (london(2026, 3, 3, 9, 0), False),  # Tuesday, opening
        (london(2026, 3, 6, 16, 59), False),  # Friday, just before closing
    ],
)
def test_out_of_hours_is_evenings_weekends_and_bank_holidays(moment, out_of_hours):
    assert is_out_of_hours(moment) is out_of_hours


# The queue: overdue by the clock --------------------------------------------------------------


def test_a_friday_evening_urgent_concern_is_overdue_at_1931_and_all_weekend(
    lead_client, consultation, clock
):
    concern = raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 6, 18, 30))

    clock.set(london(2026, 3, 6, 19, 29))
    response = lead_client.get(QUEUE)
    assert response.status_code == 200
    row = row_of(response.text, concern)
    assert "Fri 6 Mar, 19:30" in row
    assert "Overdue" not in row
    assert "0 overdue" in text_of(response.text)

    for later in (london(2026, 3, 6, 19, 31), london(2026, 3, 8, 21, 0)):  # and Sunday night
        clock.set(later)
        response = lead_client.get(QUEUE)
        assert "Overdue" in row_of(response.text, concern)
        assert "1 overdue" in text_of(response.text)
        assert selectors.overdue_concern_ids(now=later) == [concern.pk]


def test_the_queue_explains_the_urgent_clock(lead_client, consultation, clock):
    raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 3, 10, 0))

    text = text_of(lead_client.get(QUEUE).text)

    assert "An urgent concern is due 60 minutes after it was raised, by the clock" in text
    assert "bank holidays are not taken into account" not in text


def test_the_dashboard_counts_the_weekend_urgent_concern_as_overdue(
    client, consultation, clock, the_lead
):
    raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 6, 18, 30))
    clock.set(london(2026, 3, 7, 9, 0))
    client.force_login(the_lead)

    html = client.get(reverse("wagtailadmin_home")).text

    panel = text_of(re.search(r'id="safeguarding-section".*?</section>', html, flags=re.S)[0])
    assert "1 overdue" in panel
    assert "1 urgent, raised out of hours" in panel


# Out of hours: the on-call address and the out-of-hours contact -------------------------------


def test_out_of_hours_an_urgent_concern_also_goes_to_the_on_call_address(
    settings, consultation, clock, the_lead, contact
):
    settings.YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL = ON_CALL

    concern = raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 6, 18, 30))

    [email] = mail.outbox
    assert set(email.to) == {"dsl@example.org", ON_CALL}
    assert email.subject.startswith("URGENT")
    assert "OUT OF HOURS" in email.body
    assert "also gone to the on-call address" in email.body
    assert "Emergency Duty Team on 0300 123 4567" in email.body
    assert "Friday 6 March 2026, 19:30" in email.body
    assert f"/admin/safeguarding/{concern.pk}/" in email.body
    for words in ("kill", "pills", "tonight"):
        assert words not in email.body and words not in email.subject


def test_on_a_bank_holiday_morning_it_is_out_of_hours_too(settings, consultation, clock, the_lead):
    settings.YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL = ON_CALL

    raise_concern(consultation, URGENT_WORDS, clock, london(2026, 4, 6, 10, 0))  # Easter Monday

    assert ON_CALL in mail.outbox[0].to


def test_out_of_hours_with_no_lead_the_on_call_address_still_hears(settings, consultation, clock):
    settings.YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL = ON_CALL

    raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 7, 3, 0))

    assert [email.to for email in mail.outbox] == [[ON_CALL]]


def test_in_hours_the_on_call_address_is_not_emailed(settings, consultation, clock, the_lead):
    settings.YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL = ON_CALL

    raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 6, 14, 54))

    [email] = mail.outbox
    assert email.to == ["dsl@example.org"]
    assert "OUT OF HOURS" not in email.body


def test_an_ordinary_concern_out_of_hours_waits_for_the_leads(
    settings, consultation, clock, the_lead
):
    settings.YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL = ON_CALL

    raise_concern(consultation, ORDINARY_WORDS, clock, london(2026, 3, 6, 18, 30))

    [email] = mail.outbox
    assert email.to == ["dsl@example.org"]
    assert "OUT OF HOURS" not in email.body


def test_without_an_on_call_address_the_leads_alone_are_told_it_is_out_of_hours(
    consultation, clock, the_lead
):
    raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 6, 18, 30))

    [email] = mail.outbox
    assert email.to == ["dsl@example.org"]
    assert "OUT OF HOURS" in email.body
    assert "on-call address" not in email.body


def test_the_queue_and_the_concern_show_the_out_of_hours_phone(
    lead_client, consultation, clock, contact
):
    concern = raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 6, 18, 30))
    clock.set(london(2026, 3, 6, 18, 40))

    queue = lead_client.get(QUEUE).text
    assert "Raised out of hours. Emergency Duty Team: 0300 123 4567" in row_of(queue, concern)
    assert 'href="tel:03001234567"' in queue
    assert "call Emergency Duty Team on 0300 123 4567" in text_of(queue)

    page = lead_client.get(detail_url(concern))
    assert page.status_code == 200
    assert "data-out-of-hours" in page.text
    page_text = text_of(page.text)
    assert "Raised out of hours" in page_text
    assert "call Emergency Duty Team on 0300 123 4567" in page_text


def test_without_a_phone_number_the_concern_says_how_to_add_one(lead_client, consultation, clock):
    concern = raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 6, 18, 30))

    page_text = text_of(lead_client.get(detail_url(concern)).text)

    assert "No out-of-hours phone number is set" in page_text


def test_in_hours_the_queue_and_the_concern_show_no_out_of_hours_contact(
    lead_client, consultation, clock, contact
):
    concern = raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 6, 14, 54))

    queue = lead_client.get(QUEUE).text
    page = lead_client.get(detail_url(concern)).text

    assert "Raised out of hours" not in queue and PHONE not in queue
    assert "data-out-of-hours" not in page and PHONE not in page


# Settings that cannot work are refused clearly ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("YOUTHVOICE_BANK_HOLIDAYS", ["2026-12-25", "25/12/2026"], "'25/12/2026' is not a date"),
        ("YOUTHVOICE_BANK_HOLIDAYS", ["2026-02-30"], "'2026-02-30' is not a date"),
        ("YOUTHVOICE_BANK_HOLIDAYS", "2026-12-25", "must be a list of dates"),
        ("YOUTHVOICE_URGENT_DEADLINE_MINUTES", -5, "0 or more"),
        ("YOUTHVOICE_URGENT_DEADLINE_MINUTES", "-5", "0 or more"),
        ("YOUTHVOICE_URGENT_DEADLINE_MINUTES", "an hour", "whole number of minutes"),
        ("YOUTHVOICE_WORKING_HOURS", ("17:00", "09:00"), "YOUTHVOICE_WORKING_HOURS"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_error_and_at_start_up(settings, name, value, words):
    setattr(settings, name, value)

    severity = Severity.URGENT if "MINUTES" in name else Severity.CONCERN
    with pytest.raises(ImproperlyConfigured, match=name) as refused:
        due_by(london(2026, 3, 6, 18, 30), severity)
    assert words in str(refused.value)
    [error] = check_deadline_settings()
    assert name in error.msg and error.id == "safeguarding.E001"


def test_the_shipped_settings_pass_the_start_up_check():
    assert check_deadline_settings() == []


def test_bad_settings_never_lose_a_young_persons_answer(settings, consultation, clock, the_lead):
    settings.YOUTHVOICE_URGENT_DEADLINE_MINUTES = -60

    concern = raise_concern(consultation, URGENT_WORDS, clock, london(2026, 3, 6, 18, 30))

    assert Answer.objects.get(pk=concern.answer_id).held is True
    assert concern.due_at == london(2026, 3, 6, 18, 30)  # due at once: shown overdue, escalated
    assert len(mail.outbox) == 1
