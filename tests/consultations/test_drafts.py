"""Step-by-step drafts last a day: after that they are deleted and the young person starts again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import Layout, Response
from consultations.services.drafts import DRAFT_MAX_AGE, draft_key
from tests.factories import MemberFactory, make_consultation

pytestmark = pytest.mark.django_db

STARTED_AGAIN = "You started answering more than a day ago"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def stepped(home):
    consultation = make_consultation(home, title="Feeling safe", slug="feeling-safe")
    consultation.layout = Layout.STEPS
    consultation.save_revision().publish()
    return consultation


def step_url(page, number):
    return f"{page.url}questions/{number}/"


def answer_second_question(client, page, words="Lights on the path"):
    second = list(page.ordered_questions())[1]
    client.post(step_url(page, 2), {f"q-{second.pk}": words})


def age_the_draft(client, page, by: timedelta):
    """Move the draft's saved time back, as if ``by`` had passed since it was saved."""
    session = client.session
    draft = session[draft_key(page.pk)]
    draft["saved_at"] -= int(by.total_seconds())
    session[draft_key(page.pk)] = draft
    session.save()


def test_a_draft_keeps_the_time_it_was_saved(client, stepped):
    before = int(timezone.now().timestamp())
    answer_second_question(client, stepped)

    draft = client.session[draft_key(stepped.pk)]

    assert before <= draft["saved_at"] <= int(timezone.now().timestamp())
    assert draft["answers"]


def test_a_draft_a_minute_short_of_a_day_old_is_still_there(client, stepped):
    answer_second_question(client, stepped)
    age_the_draft(client, stepped, DRAFT_MAX_AGE - timedelta(minutes=1))

    check = client.get(stepped.url + "check/")

    assert check.status_code == 200
    assert "Lights on the path" in check.content.decode()


@pytest.mark.parametrize("where", ["check/", "questions/3/"])
def test_a_draft_over_a_day_old_is_deleted_and_the_young_person_starts_again(
    client, stepped, where
):
    answer_second_question(client, stepped)
    age_the_draft(client, stepped, DRAFT_MAX_AGE + timedelta(minutes=1))

    response = client.get(stepped.url + where, follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == stepped.url
    assert STARTED_AGAIN in html
    assert "Lights on the path" not in html
    assert draft_key(stepped.pk) not in client.session
    # Starting again works as the first time did.
    assert "Lights on the path" not in client.get(step_url(stepped, 2)).content.decode()


def test_sending_an_answer_to_a_step_after_a_day_starts_again_and_saves_nothing(client, stepped):
    answer_second_question(client, stepped)
    age_the_draft(client, stepped, DRAFT_MAX_AGE + timedelta(hours=1))
    third = list(stepped.ordered_questions())[2]

    response = client.post(step_url(stepped, 3), {f"q-{third.pk}": "Later words"})

    assert response.status_code == 302 and response["Location"] == stepped.url
    assert draft_key(stepped.pk) not in client.session
    assert Response.objects.count() == 0


def test_a_draft_saved_before_drafts_had_a_time_counts_as_expired(client, stepped):
    session = client.session
    session[draft_key(stepped.pk)] = {"answers": {"1": {"values": ["Old words"]}}}
    session.save()

    response = client.get(stepped.url + "check/", follow=True)

    assert STARTED_AGAIN in response.content.decode()
    assert draft_key(stepped.pk) not in client.session


def test_an_anonymous_session_with_a_draft_expires_a_day_after_the_last_answer(client, stepped):
    answer_second_question(client, stepped)

    session = client.session
    assert session.get_expiry_age() == int(DRAFT_MAX_AGE.total_seconds())
    expires = timezone.now() + DRAFT_MAX_AGE
    assert abs(session.get_expiry_date() - expires) < timedelta(minutes=1)
    cookie = client.cookies["sessionid"]
    assert int(cookie["max-age"]) == int(DRAFT_MAX_AGE.total_seconds())


def test_a_signed_in_members_session_keeps_its_own_length(client, stepped, settings):
    client.force_login(MemberFactory())
    answer_second_question(client, stepped)

    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
