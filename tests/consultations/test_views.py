"""Answering a consultation through the web form, on one page or step by step."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from consultations.forms import TOKEN_SALT
from consultations.models import Layout, QuestionKind, Response
from consultations.views import REFERENCE_SALT
from tests.factories import MemberFactory, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe", slug="feeling-safe")


def question(consultation, kind, index=0):
    return [x for x in consultation.ordered_questions() if x.kind == kind][index]


def form_token(client, url) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def valid_post(client, consultation, **extra):
    safer = question(consultation, QuestionKind.LONG_TEXT)
    return {
        "token": form_token(client, consultation.url),
        f"q-{safer.pk}": "More youth workers",
        **extra,
    }


def test_the_form_shows_every_question_with_labels_and_hints(client, consultation):
    html = client.get(consultation.url).content.decode()
    assert html.count("<h1") == 1
    assert "Open" in html
    assert "Young people aged 10 to 18" in html
    for q in consultation.ordered_questions():
        assert q.text in html
    assert 'name="website"' in html and 'tabindex="-1"' in html and 'autocomplete="off"' in html
    assert "3 – Not sure" in html  # face labels on the rating
    assert "Prefer not to say" in html
    assert f'name="q-{question(consultation, QuestionKind.RANKING).pk}-rank-2"' in html


def test_sending_answers_shows_a_thank_you_page_with_a_reference_and_help(client, consultation):
    response = client.post(consultation.url, valid_post(client, consultation), follow=True)
    html = response.content.decode()
    saved = Response.objects.get()
    assert response.redirect_chain[-1][0].startswith(consultation.url + "thank-you/?ref=")
    assert saved.reference in html
    assert "0800 1111" in html
    assert "If you are in danger now, call 999." in html
    assert saved.user is None


def test_answers_store_no_ip_address(client, consultation):
    client.post(consultation.url, valid_post(client, consultation), REMOTE_ADDR="203.0.113.9")
    saved = Response.objects.get()
    for field in saved._meta.concrete_fields:
        assert "203.0.113.9" not in str(getattr(saved, field.attname))


def test_double_submit_and_back_button_resubmit_store_one_response(client, consultation):
    data = valid_post(client, consultation)
    first = client.post(consultation.url, data)
    second = client.post(consultation.url, data)
    assert first.status_code == second.status_code == 302
    # Both go to the thank-you page with the one stored reference (the signature carries a
    # timestamp, so the two links differ when the posts fall in different seconds).
    references = [
        signing.loads(parse_qs(urlsplit(r["Location"]).query)["ref"][0], salt=REFERENCE_SALT)
        for r in (first, second)
    ]
    assert references == [Response.objects.get().reference] * 2


def test_a_mistake_shows_an_error_summary_keeps_everything_typed_and_saves_nothing(
    client, consultation
):
    single = question(consultation, QuestionKind.SINGLE_CHOICE)
    short = question(consultation, QuestionKind.SHORT_TEXT)
    safer = question(consultation, QuestionKind.LONG_TEXT)
    data = {
        "token": form_token(client, consultation.url),
        f"q-{short.pk}": "Sam's idea",
        f"q-{single.pk}": "Walk",
    }
    response = client.post(consultation.url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Response.objects.count() == 0
    assert "<title>Error:" in html
    assert 'role="alert"' in html and "There is a problem" in html
    assert (
        f'<a href="#q-{safer.pk}">What would make you feel safer? – '
        "write your answer to this question</a>" in html
    )
    assert f'id="q-{safer.pk}-error"' in html
    assert 'value="Sam&#x27;s idea"' in html
    assert re.search(rf'id="q-{single.pk}-1" name="q-{single.pk}" value="Walk"\s+checked', html)
    # The same form, corrected, is accepted with the same token.
    data[f"q-{safer.pk}"] = "Safer parks"
    assert client.post(consultation.url, data).status_code == 302
    assert Response.objects.count() == 1


@pytest.mark.parametrize("token", ["", "not-a-token", "abc:def:ghi"])
def test_a_missing_or_tampered_token_is_refused_and_nothing_saved(client, consultation, token):
    data = valid_post(client, consultation)
    data["token"] = token
    response = client.post(consultation.url, data)
    assert response.status_code == 400
    assert "This form was changed or is incomplete" in response.content.decode()
    assert Response.objects.count() == 0


def test_an_expired_token_asks_to_send_again_keeping_answers(client, consultation, monkeypatch):
    data = valid_post(client, consultation)
    monkeypatch.setattr("consultations.forms.TOKEN_MAX_AGE", -1)
    response = client.post(consultation.url, data)
    assert response.status_code == 200
    assert "Check your answers and send them again" in response.content.decode()
    assert "More youth workers" in response.content.decode()
    assert Response.objects.count() == 0


def test_a_token_signed_for_something_else_is_refused(client, consultation):
    data = valid_post(client, consultation)
    data["token"] = signing.dumps("not-a-uuid", salt=TOKEN_SALT)
    assert client.post(consultation.url, data).status_code == 400
    data["token"] = signing.dumps("c0ffee00-0000-4000-8000-000000000000", salt="something.else")
    assert client.post(consultation.url, data).status_code == 400
    assert Response.objects.count() == 0


def test_a_question_id_from_another_consultation_is_refused(client, consultation, home):
    other = make_consultation(home, slug="other")
    foreign = question(other, QuestionKind.LONG_TEXT)
    response = client.post(
        consultation.url, valid_post(client, consultation, **{f"q-{foreign.pk}": "hi"})
    )
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_two_values_for_a_text_question_are_refused(client, consultation):
    safer = question(consultation, QuestionKind.LONG_TEXT)
    data = valid_post(client, consultation)
    data[f"q-{safer.pk}"] = ["one", "two"]
    assert client.post(consultation.url, data).status_code == 400
    assert Response.objects.count() == 0


def test_the_honeypot_refuses_robots(client, consultation):
    response = client.post(
        consultation.url, valid_post(client, consultation, website="http://spam.example")
    )
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_answers_are_rate_limited_per_client(client, consultation, settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = (2, 600)
    codes = []
    for _ in range(3):
        browser = Client()  # three young people on one network address, each in their own browser
        codes.append(browser.post(consultation.url, valid_post(browser, consultation)).status_code)
    assert codes == [302, 302, 429]
    assert Response.objects.count() == 2


def test_a_client_cannot_dodge_the_rate_limit_by_faking_the_forwarded_header(
    client, consultation, settings
):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = (2, 600)
    settings.YOUTHVOICE_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    # The proxy appends the address it saw; what comes before it is whatever the client sent.
    browsers = [Client() for _ in range(3)]  # one browser sends one response (Back or not)
    codes = [
        browser.post(
            consultation.url,
            valid_post(browser, consultation),
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.7",
        ).status_code
        for n, browser in enumerate(browsers)
    ]
    assert codes == [302, 302, 429]
    assert Response.objects.count() == 2


def test_non_utf8_bodies_are_refused(client, consultation):
    token = form_token(client, consultation.url)
    body = f"token={token}&q-1=".encode() + b"\xff\xfe"
    response = client.generic(
        "POST", consultation.url, body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert Response.objects.count() == 0


@pytest.mark.parametrize(
    ("opens", "closes", "shown"),
    [
        (timedelta(days=2), timedelta(days=9), "This consultation opens on"),
        (timedelta(days=-9), timedelta(days=-2), "This consultation has closed"),
    ],
)
def test_closed_or_not_yet_open_consultations_show_no_form_and_refuse_answers(
    client, consultation, opens, closes, shown
):
    data = valid_post(client, consultation)
    consultation.opens_at = timezone.now() + opens
    consultation.closes_at = timezone.now() + closes
    consultation.save_revision().publish()
    html = client.get(consultation.url).content.decode()
    assert shown in html
    assert '<form method="post"' not in html
    response = client.post(consultation.url, data)
    assert response.status_code == 403
    assert "not taking answers" in response.content.decode()
    assert Response.objects.count() == 0


def test_unpublished_consultations_are_not_found(client, consultation):
    data = valid_post(client, consultation)
    consultation.unpublish()
    assert client.post(consultation.url, data).status_code == 404
    assert Response.objects.count() == 0


def test_members_answer_anonymously_unless_they_choose_otherwise(client, consultation):
    member = MemberFactory()
    client.force_login(member)
    consultation.allow_answer_again = True  # a second response needs "Answer again"
    consultation.save_revision().publish()
    client.post(consultation.url, valid_post(client, consultation))
    client.post(consultation.url + "answer-again/")
    client.post(consultation.url, valid_post(client, consultation, answer_as_me="yes"))
    assert [r.user for r in Response.objects.order_by("pk")] == [None, member]


def test_open_consultations_are_listed_on_the_home_page_and_index(client, consultation):
    home_html = client.get("/").content.decode()
    assert "Feeling safe" in home_html
    assert "There are no consultations open right now" not in home_html
    index_html = client.get(consultation.get_parent().url).content.decode()
    assert "Open now" in index_html and "Feeling safe" in index_html


class TestStepByStep:
    @pytest.fixture
    def stepped(self, consultation):
        consultation.layout = Layout.STEPS
        consultation.save_revision().publish()
        return consultation

    def step_url(self, page, number):
        return f"{page.url}questions/{number}/"

    def test_a_young_person_answers_one_question_at_a_time_then_checks_and_sends(
        self, client, stepped
    ):
        questions = list(stepped.ordered_questions())
        assert "Start now" in client.get(stepped.url).content.decode()
        # Question 1 (optional short text): skip it.
        response = client.post(self.step_url(stepped, 1), {})
        assert response["Location"] == self.step_url(stepped, 2)
        # Question 2 is required: leaving it empty shows the error on that step.
        response = client.get(self.step_url(stepped, 2))
        assert f'<h1 class="label-heading"><label class="label" for="q-{questions[1].pk}">' in (
            response.content.decode()
        )
        response = client.post(self.step_url(stepped, 2), {})
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
        client.post(self.step_url(stepped, 2), {f"q-{questions[1].pk}": "Lights on the path"})
        for number in range(3, len(questions) + 1):
            response = client.post(self.step_url(stepped, number), {})
        assert response["Location"] == stepped.url + "check/"
        check = client.get(stepped.url + "check/").content.decode()
        assert "Check your answers before you send them" in check
        assert "Lights on the path" in check
        assert Response.objects.count() == 0
        token = re.search(r'name="token" value="([^"]+)"', check).group(1)
        response = client.post(stepped.url + "check/", {"token": token})
        assert response.status_code == 302 and "thank-you/?ref=" in response["Location"]
        assert Response.objects.get().answers.get().text == "Lights on the path"
        # The draft is gone: going back to "check" starts again.
        assert client.get(stepped.url + "check/")["Location"] == stepped.url

    def test_change_links_return_to_check_your_answers(self, client, stepped):
        questions = list(stepped.ordered_questions())
        client.post(self.step_url(stepped, 2), {f"q-{questions[1].pk}": "First thought"})
        response = client.post(
            self.step_url(stepped, 2) + "?return=check", {f"q-{questions[1].pk}": "Second thought"}
        )
        assert response["Location"] == stepped.url + "check/"
        assert "Second thought" in client.get(stepped.url + "check/").content.decode()

    def test_sending_from_check_with_a_missing_required_answer_links_to_its_step(
        self, client, stepped
    ):
        client.post(self.step_url(stepped, 1), {})
        check = client.get(stepped.url + "check/").content.decode()
        token = re.search(r'name="token" value="([^"]+)"', check).group(1)
        response = client.post(stepped.url + "check/", {"token": token})
        html = response.content.decode()
        assert "There is a problem" in html
        assert f'href="{self.step_url(stepped, 2)}"' in html
        assert Response.objects.count() == 0
