"""After sending: a fresh form after Back sends nothing twice; "Answer again" only where allowed."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from consultations.models import Layout, QuestionKind, Response
from consultations.services import sent_forms
from consultations.views import REFERENCE_SALT
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe", slug="feeling-safe")


def allow_answer_again(page):
    page.allow_answer_again = True
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def safer(page):
    return next(q for q in page.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)


def token_on(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def reference_in(response) -> str:
    assert response.status_code == 302, response.content.decode()
    location = response["Location"]
    assert "/thank-you/?ref=" in location
    return signing.loads(parse_qs(urlsplit(location).query)["ref"][0], salt=REFERENCE_SALT)


def send(client, page, words="More youth workers", token=None):
    """Send one answer: from the form as it was (``token``), or from the form opened now."""
    token = token or token_on(client.get(page.url).content.decode())
    return client.post(page.url, {"token": token, safer(page).field_name: words})


def test_a_fresh_form_after_back_is_not_shown_and_links_to_the_same_thank_you(client, consultation):
    reference = reference_in(send(client, consultation))
    # Back, and the browser loads the page afresh instead of showing the old one.
    html = client.get(consultation.url).content.decode()
    assert "You have sent your answers" in html
    assert 'name="token"' not in html and "Send my answers" not in html
    assert "Answer again" not in html  # this consultation does not allow it
    link = re.search(r'href="([^"]+/thank-you/\?ref=[^"]+)"', html).group(1)
    thank_you = client.get(link.replace("&amp;", "&")).content.decode()
    assert reference in thank_you
    assert Response.objects.count() == 1


def test_sending_from_a_form_loaded_before_sending_gives_the_same_response(client, consultation):
    # Two tabs (or a form loaded afresh by Back before the sent page was remembered).
    first_tab = token_on(client.get(consultation.url).content.decode())
    second_tab = token_on(client.get(consultation.url).content.decode())
    assert first_tab != second_tab
    field = safer(consultation).field_name
    first = reference_in(client.post(consultation.url, {"token": first_tab, field: "Lights"}))
    again = client.post(consultation.url, {"token": second_tab, field: "Different words"})
    assert reference_in(again) == first
    assert Response.objects.count() == 1
    assert Response.objects.get().answers.get().text == "Lights"
    shown = client.get(again["Location"]).content.decode()
    assert "You had already sent your answers, so we did not send them again." in shown
    assert first in shown


def test_another_browser_still_answers(client, consultation):
    reference_in(send(client, consultation))
    reference_in(send(Client(), consultation))
    assert Response.objects.count() == 2


def test_after_an_hour_the_browser_gets_a_fresh_form(client, consultation, monkeypatch):
    reference_in(send(client, consultation))
    later = timezone.now() + sent_forms.SENT_MAX_AGE + timedelta(minutes=1)
    monkeypatch.setattr(sent_forms.timezone, "now", lambda: later)
    html = client.get(consultation.url).content.decode()
    assert "You have sent your answers" not in html and "Send my answers" in html


class TestAnswerAgain:
    def test_not_offered_where_the_consultation_does_not_allow_it(self, client, consultation):
        token = token_on(client.get(consultation.url).content.decode())
        sent = send(client, consultation, token=token)
        thank_you = client.get(sent["Location"]).content.decode()
        assert "Answer again" not in thank_you
        refused = client.post(consultation.url + "answer-again/")
        assert refused.status_code == 403
        assert "you cannot answer again" in refused.content.decode()
        # Still the same response: the browser's memory of what it sent was not forgotten.
        assert 'name="token"' not in client.get(consultation.url).content.decode()
        assert reference_in(send(client, consultation, "Second go", token)) == reference_in(sent)
        assert Response.objects.count() == 1

    def test_allowed_it_starts_a_fresh_form_that_stores_a_new_response(self, client, consultation):
        page = allow_answer_again(consultation)
        token = token_on(client.get(page.url).content.decode())
        first_sent = send(client, page, token=token)
        first = reference_in(first_sent)
        thank_you = client.get(first_sent["Location"]).content.decode()
        assert 'action="/consultations/feeling-safe/answer-again/"' in thank_you
        assert "Answer again" in thank_you
        # Without choosing it, Back and send again is still the same response.
        back = client.get(page.url).content.decode()
        assert "Answer again" in back and 'name="token"' not in back
        assert reference_in(send(client, page, "Changed", token)) == first

        started = client.post(page.url + "answer-again/")
        assert started.status_code == 302 and started["Location"] == page.url
        html = client.get(page.url).content.decode()
        assert "You have sent your answers" not in html and "Send my answers" in html
        second = reference_in(
            client.post(page.url, {"token": token_on(html), safer(page).field_name: "Buses"})
        )
        assert second != first
        assert sorted(Response.objects.values_list("reference", flat=True)) == sorted(
            [first, second]
        )

    def test_a_link_to_answer_again_changes_nothing(self, client, consultation):
        page = allow_answer_again(consultation)
        token = token_on(client.get(page.url).content.decode())
        first = reference_in(send(client, page, token=token))
        assert client.get(page.url + "answer-again/")["Location"] == page.url
        assert "You have sent your answers" in client.get(page.url).content.decode()
        assert reference_in(send(client, page, "Changed", token)) == first
        assert Response.objects.count() == 1

    def test_step_by_step_back_on_the_check_page_then_answer_again(self, client, consultation):
        page = allow_answer_again(consultation)
        page.layout = Layout.STEPS
        page.save_revision().publish()
        number = list(page.ordered_questions()).index(safer(page)) + 1
        step_url = f"{page.url}questions/{number}/"
        client.post(step_url, {safer(page).field_name: "Lights on the path"})
        token = token_on(client.get(page.url + "check/").content.decode())
        first = reference_in(client.post(page.url + "check/", {"token": token}))
        # Back: the check page has no draft any more, and the steps lead to the "sent" page.
        assert client.get(page.url + "check/")["Location"] == page.url
        assert client.get(step_url)["Location"] == page.url
        assert client.post(step_url, {safer(page).field_name: "More"})["Location"] == page.url
        assert reference_in(client.post(page.url + "check/", {"token": token})) == first
        assert Response.objects.count() == 1

        started = client.post(page.url + "answer-again/")
        assert started["Location"] == page.url + "questions/1/"
        assert client.get(step_url).status_code == 200
        client.post(step_url, {safer(page).field_name: "A second young person"})
        fresh = token_on(client.get(page.url + "check/").content.decode())
        assert fresh != token
        second = reference_in(client.post(page.url + "check/", {"token": fresh}))
        assert second != first and Response.objects.count() == 2


def test_answering_again_on_a_closed_consultation_is_refused(client, consultation):
    page = allow_answer_again(consultation)
    reference_in(send(client, page))
    page.closes_at = timezone.now() - timedelta(minutes=1)
    page.opens_at = timezone.now() - timedelta(days=1)
    page.save_revision().publish()
    response = client.post(page.url + "answer-again/")
    assert response.status_code == 403
    assert Response.objects.count() == 1
