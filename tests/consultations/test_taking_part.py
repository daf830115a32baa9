"""The optional "what was taking part like?" step after sending answers (#17, item 2).

Shown on the thank-you page to the browser that sent the answers, skippable, kept apart from the
answers (no link to the response, the day only), one per response sent, rate-limited, screened
and redacted like every answer, and switched off per consultation.
"""

import re
import time
import uuid
from datetime import timedelta
from io import StringIO
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from consultations.models import ConsultationPage, QuestionKind, Response, TakingPartFeedback
from consultations.safeguarding.models import ConcernStatus, SafeguardingConcern
from consultations.services.taking_part import (
    TakingPartRefused,
    taking_part_feedback_create,
    taking_part_purge,
)
from tests.consultations.admin.support import edit_form_data, facilitator
from tests.factories import UserFactory, make_consultation
from youthforum.accounts.roles import SAFEGUARDING_LEADS

pytestmark = pytest.mark.django_db

STEP = "One last thing: what was taking part like?"
THANKED = "Thank you for telling us what taking part was like"
THANK_YOU = "Thank you: your answers have been sent"
DISCLOSURE = (
    "My stepdad hits me when he's drunk and I'm scared to go home. Ring me on 07700 900123."
)


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe", slug="feeling-safe")


def send_answers(client, page, text="More youth workers") -> str:
    """Send answers through the form, as a young person does; the thank-you page's URL."""
    html = client.get(page.url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    safer = page.questions.get(kind=QuestionKind.LONG_TEXT)
    sent = client.post(page.url, {"token": token, safer.field_name: text})
    assert sent.status_code == 302, sent.content.decode()
    return sent["Location"]


def step_form(html: str) -> tuple[str, dict]:
    """The step's form: where it posts and its hidden token."""
    section = re.search(r'<section class="panel" id="taking-part".*?</section>', html, re.S)
    assert section, "no taking part step on the page"
    action = re.search(r'<form method="post" action="([^"]+)"', section.group(0)).group(1)
    token = re.search(r'name="form_token" value="([^"]+)"', section.group(0)).group(1)
    return action.replace("&amp;", "&"), {"form_token": token}


def open_step(client, page) -> tuple[str, str, dict]:
    """Send answers, open the thank-you page; (thank-you url, step action, hidden fields)."""
    thank_you = send_answers(client, page)
    html = client.get(thank_you).content.decode()
    action, hidden = step_form(html)
    return thank_you, action, hidden


def test_the_step_shows_on_the_thank_you_page_after_sending(client, consultation):
    thank_you = send_answers(client, consultation)

    html = client.get(thank_you).content.decode()

    assert THANK_YOU in html
    assert STEP in html
    for question in (
        "Did you understand what this was about?",
        "Do you think the people in charge will listen to what young people said?",
        "Would you take part in something like this again?",
        "Anything else you want to tell us about taking part?",
    ):
        assert question in html
    assert 'type="radio" id="taking-part-understood-yes" name="understood" value="yes"' in html
    assert ">Skip</a>" in html


def test_skipping_keeps_the_thank_you_page_and_saves_nothing(client, consultation):
    thank_you = send_answers(client, consultation)
    html = client.get(thank_you).content.decode()
    skip = re.search(r'<a href="([^"]+)" data-taking-part-skip>Skip</a>', html).group(1)

    skipped = client.get(skip.replace("&amp;", "&"))

    page = skipped.content.decode()
    assert skipped.status_code == 200
    assert THANK_YOU in page and Response.objects.get().reference in page
    assert STEP not in page
    assert TakingPartFeedback.objects.count() == 0


def test_sending_saves_one_row_with_no_link_to_the_response(client, consultation):
    thank_you, action, hidden = open_step(client, consultation)

    sent = client.post(
        action,
        {**hidden, "understood": "yes", "listened": "not-sure", "again": "maybe"},
        follow=True,
    )

    html = sent.content.decode()
    assert THANKED in html
    assert THANK_YOU in html and STEP not in html  # the thank-you content stays
    feedback = TakingPartFeedback.objects.get()
    assert (feedback.understood, feedback.listened, feedback.again) == ("yes", "not-sure", "maybe")
    assert feedback.consultation_id == consultation.pk
    assert feedback.given_on == timezone.localdate()
    # Nothing on the row points at the response: no field holds its id, token or reference,
    # and the date has no time of day.
    response = Response.objects.get()
    columns = {f.attname for f in TakingPartFeedback._meta.concrete_fields}
    assert not {"response_id", "answer_id", "user_id"} & columns
    values = {str(getattr(feedback, name)) for name in columns - {"id", "consultation_id"}}
    assert not {str(response.token), response.reference, str(response.submitted_at)} & values
    assert feedback.form_token != response.token


def test_a_second_post_after_sending_saves_nothing(client, consultation):
    _thank_you, action, hidden = open_step(client, consultation)
    client.post(action, {**hidden, "understood": "yes"})

    # Back, and the same form sent again; then a form with a fresh token of its own.
    again = client.post(action, {**hidden, "understood": "no"}, follow=True)
    fresh = client.post(action, {"form_token": str(uuid.uuid4()), "understood": "no"}, follow=True)

    assert TakingPartFeedback.objects.count() == 1
    assert TakingPartFeedback.objects.get().understood == "yes"
    assert "You had already told us" in again.content.decode()
    assert "You had already told us" in fresh.content.decode()


def test_the_same_step_token_twice_stores_one_row(consultation):
    token = uuid.uuid4()

    first, created = taking_part_feedback_create(
        consultation=consultation, form_token=token, understood="yes"
    )
    second, created_again = taking_part_feedback_create(
        consultation=consultation, form_token=token, understood="yes"
    )

    assert (created, created_again) == (True, False)
    assert first.pk == second.pk
    assert TakingPartFeedback.objects.count() == 1


def test_another_browser_cannot_answer_for_a_response_it_did_not_send(client, consultation):
    _thank_you, action, hidden = open_step(client, consultation)
    other = type(client)()

    refused = other.post(action, {**hidden, "understood": "yes"})

    assert refused.status_code == 400
    assert "nothing was sent" in refused.content.decode()
    assert TakingPartFeedback.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message", "link"),
    [
        (
            {"understood": "maybe"},
            "Choose one of the answers given.",
            "#taking-part-understood-yes",
        ),
        ({"again": "definitely"}, "Choose one of the answers given.", "#taking-part-again-yes"),
        (
            {"anything_else": "x" * 1001},
            "What you write must be 1000 characters or fewer.",
            "#taking-part-anything-else",
        ),
    ],
)
def test_a_bad_answer_shows_the_error_summary_and_saves_nothing(
    client, consultation, data, message, link
):
    _thank_you, action, hidden = open_step(client, consultation)

    shown = client.post(action, {**hidden, "listened": "yes", **data})

    html = shown.content.decode()
    assert shown.status_code == 200
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    assert f'<a href="{link}">{message}</a>' in summary
    assert "<title>Error:" in html
    assert THANK_YOU in html  # still the thank-you page, with the step to fix
    assert 'value="yes" checked' in html  # what they chose is kept
    assert TakingPartFeedback.objects.count() == 0
    # Fixed, it is sent.
    client.post(action, {**hidden, "listened": "yes"})
    assert TakingPartFeedback.objects.count() == 1


def test_sending_nothing_at_all_asks_for_an_answer_or_skip(client, consultation):
    _thank_you, action, hidden = open_step(client, consultation)

    shown = client.post(action, {**hidden, "anything_else": "   "})

    assert "Answer at least one question, or choose “Skip”." in shown.content.decode()
    assert TakingPartFeedback.objects.count() == 0


def test_a_changed_form_token_is_refused_and_nothing_is_saved(client, consultation):
    _thank_you, action, _hidden = open_step(client, consultation)

    refused = client.post(action, {"form_token": "not-a-token", "understood": "yes"})

    assert refused.status_code == 400
    assert TakingPartFeedback.objects.count() == 0


def test_the_step_is_rate_limited_like_the_form(client, consultation, settings):
    _thank_you, action, hidden = open_step(client, consultation)
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = (1, 600)
    client.post(action, {**hidden, "understood": "maybe"})  # a bad answer uses the one try

    refused = client.post(action, {**hidden, "understood": "yes"})

    assert refused.status_code == 429
    assert "wait a few minutes" in refused.content.decode()
    assert TakingPartFeedback.objects.count() == 0


def test_a_disclosure_in_anything_else_raises_a_concern_and_is_redacted_and_held(
    client, consultation, django_capture_on_commit_callbacks
):
    UserFactory(email="lead@example.org", roles=[SAFEGUARDING_LEADS])
    _thank_you, action, hidden = open_step(client, consultation)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            action, {**hidden, "again": "yes", "anything_else": DISCLOSURE}, follow=True
        )

    feedback = TakingPartFeedback.objects.get()
    assert feedback.held is True
    assert feedback.anything_else == DISCLOSURE  # as written, for the lead
    assert "07700 900123" not in feedback.anything_else_redacted
    assert "[phone]" in feedback.anything_else_redacted
    concern = SafeguardingConcern.objects.get()
    assert feedback.concern == concern
    assert concern.consultation_id == consultation.pk
    assert concern.response is None and concern.answer is None  # nothing links to the answers
    assert concern.due_at is not None
    assert concern.status == ConcernStatus.NEW
    assert [m.to for m in mail.outbox] == [["lead@example.org"]]
    assert "Feeling safe" in mail.outbox[0].subject
    assert DISCLOSURE not in mail.outbox[0].body
    # The young person is shown the stronger help, as after a flagged answer.
    assert "You can talk to someone today" in sent.content.decode()


def test_an_ordinary_comment_is_kept_redacted_and_raises_no_concern(consultation):
    feedback, _created = taking_part_feedback_create(
        consultation=consultation,
        form_token=uuid.uuid4(),
        anything_else="It was good but ask Mr Jenkins at Bridgwater College 07700 900123",
    )

    assert feedback.held is False and feedback.commented is True
    assert "07700 900123" not in feedback.anything_else_redacted
    assert SafeguardingConcern.objects.count() == 0


@pytest.mark.parametrize(
    "given",
    [
        {"understood": "maybe"},  # an option, but not this question's
        {"listened": "YES"},
        {},
        {"anything_else": "x" * 1001},
    ],
)
def test_the_service_refuses_bad_answers_and_saves_nothing(consultation, given):
    with pytest.raises(TakingPartRefused):
        taking_part_feedback_create(consultation=consultation, form_token=uuid.uuid4(), **given)

    assert TakingPartFeedback.objects.count() == 0


def test_turning_the_option_off_hides_the_step_and_refuses_posts(client, consultation):
    _thank_you, action, hidden = open_step(client, consultation)
    consultation.ask_about_taking_part = False
    consultation.save_revision().publish()

    html = client.get(_thank_you).content.decode()
    posted = client.post(action, {**hidden, "understood": "yes"})

    assert THANK_YOU in html and STEP not in html
    assert posted.status_code == 404
    assert TakingPartFeedback.objects.count() == 0


def test_the_option_is_on_for_a_new_consultation(consultation):
    assert consultation.ask_about_taking_part is True


def test_answer_again_lets_the_next_response_have_its_own_step(client, consultation):
    consultation.allow_answer_again = True
    consultation.save_revision().publish()
    _thank_you, action, hidden = open_step(client, consultation)
    client.post(action, {**hidden, "understood": "yes"})

    client.post(consultation.url + "answer-again/")
    _second, action2, hidden2 = open_step(client, consultation)
    client.post(action2, {**hidden2, "understood": "no"})

    assert sorted(TakingPartFeedback.objects.values_list("understood", flat=True)) == [
        "no",
        "yes",
    ]
    # Two responses, two answers to the step, and the step's tokens are not the responses'.
    assert Response.objects.count() == 2
    assert not set(TakingPartFeedback.objects.values_list("form_token", flat=True)) & set(
        Response.objects.values_list("token", flat=True)
    )


def test_the_reference_in_the_step_link_is_the_thank_you_links(client, consultation):
    thank_you, action, _hidden = open_step(client, consultation)

    assert parse_qs(urlsplit(action).query)["ref"] == parse_qs(urlsplit(thank_you).query)["ref"]
    assert client.get(action)["Location"].endswith(urlsplit(thank_you).query)


class TestRetention:
    def expire(self, consultation):
        consultation.opens_at = timezone.now() - timedelta(days=30)
        consultation.closes_at = timezone.now() - timedelta(days=20)
        consultation.retention_days = 10
        consultation.save()

    def test_words_go_when_the_consultation_is_past_its_retention(self, consultation):
        feedback, _ = taking_part_feedback_create(
            consultation=consultation,
            form_token=uuid.uuid4(),
            understood="yes",
            anything_else="It was fun",
        )
        assert taking_part_purge() == 0  # not yet
        self.expire(consultation)

        assert taking_part_purge() == 1

        feedback.refresh_from_db()
        assert (feedback.anything_else, feedback.anything_else_redacted) == ("", "")
        assert feedback.understood == "yes" and feedback.commented is True

    def test_the_daily_purge_deletes_them_and_says_so(self, consultation):
        feedback, _ = taking_part_feedback_create(
            consultation=consultation, form_token=uuid.uuid4(), anything_else="It was fun"
        )
        self.expire(consultation)
        out = StringIO()

        call_command("purge_expired_responses", stdout=out)

        feedback.refresh_from_db()
        assert feedback.anything_else == ""
        assert "Deleted 1 taking part comments." in out.getvalue()

    def test_words_of_an_open_concern_stay_until_it_is_closed(self, consultation):
        feedback, _ = taking_part_feedback_create(
            consultation=consultation, form_token=uuid.uuid4(), anything_else=DISCLOSURE
        )
        self.expire(consultation)

        assert taking_part_purge() == 0
        SafeguardingConcern.objects.update(status=ConcernStatus.NO_FURTHER_ACTION)
        assert taking_part_purge() == 1
        feedback.refresh_from_db()
        assert feedback.anything_else == ""


def test_a_facilitator_turns_the_step_off_in_the_page_editor(client, consultation, settings):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False
    client.force_login(facilitator())
    edit = reverse("wagtailadmin_pages:edit", args=[consultation.pk])
    shown = client.get(edit).content.decode()
    assert "Ask what taking part was like" in shown
    assert 'name="ask_about_taking_part"' in shown
    data = edit_form_data(client, consultation)
    data.pop("ask_about_taking_part", None)  # unticked
    data["action-publish"] = "action-publish"

    published = client.post(edit, data)

    assert published.status_code == 302
    assert ConsultationPage.objects.get(pk=consultation.pk).ask_about_taking_part is False
    client.logout()
    html = client.get(send_answers(client, consultation)).content.decode()
    assert THANK_YOU in html and STEP not in html


def test_a_step_sent_after_the_hour_is_refused_and_nothing_saved(client, consultation):
    _thank_you, action, hidden = open_step(client, consultation)
    later = time.time() + 61 * 60

    with mock.patch("django.core.signing.time.time", return_value=later):
        refused = client.post(action, {**hidden, "understood": "yes"})

    assert refused.status_code == 400
    assert "nothing was sent" in refused.content.decode()
    assert TakingPartFeedback.objects.count() == 0


def test_a_changed_link_is_refused_and_nothing_saved(client, consultation):
    _thank_you, action, hidden = open_step(client, consultation)

    refused = client.post(action.split("?")[0] + "?ref=not-signed", {**hidden, "understood": "yes"})

    assert refused.status_code == 400
    assert TakingPartFeedback.objects.count() == 0
