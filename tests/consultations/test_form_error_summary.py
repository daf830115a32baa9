"""The error summary names the question in each link; radio "Other" is not told to "untick"."""

import re

import pytest

from consultations.models import Layout, QuestionKind, Response
from consultations.services import OTHER
from tests.factories import QuestionFactory, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def consultation(home):
    page = make_consultation(home, title="Feeling safe", slug="feeling-safe")
    QuestionFactory(
        page=page, kind=QuestionKind.RATING, text="How safe do you feel on the bus?", required=True
    )
    return page


def by_text(page, text):
    return next(q for q in page.ordered_questions() if q.text == text)


def form_token(client, url) -> str:
    return re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode()).group(1)


def summary_links(html) -> list[tuple[str, str]]:
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', summary)


def test_each_summary_link_names_its_question_and_the_field_keeps_its_message(client, consultation):
    bus = by_text(consultation, "How safe do you feel on the bus?")
    safer = by_text(consultation, "What would make you feel safer?")
    response = client.post(consultation.url, {"token": form_token(client, consultation.url)})
    html = response.content.decode()
    assert response.status_code == 200
    assert summary_links(html) == [
        (
            f"#{safer.field_name}",
            "What would make you feel safer? – write your answer to this question",
        ),
        (f"#{bus.field_name}-0", "How safe do you feel on the bus? – choose a number from 1 to 5"),
    ]
    # Beside the question, the message is as before.
    assert re.search(
        rf'id="{bus.field_name}-error"><span class="visually-hidden">Error:</span> '
        r"Choose a number from 1 to 5\.</p>",
        html,
    )
    assert Response.objects.count() == 0


def test_a_step_and_the_check_page_name_the_question_too(client, consultation):
    consultation.layout = Layout.STEPS
    consultation.save_revision().publish()
    questions = list(consultation.ordered_questions())
    safer = by_text(consultation, "What would make you feel safer?")
    number = questions.index(safer) + 1
    html = client.post(f"{consultation.url}questions/{number}/", {}).content.decode()
    assert summary_links(html) == [
        (
            f"#{safer.field_name}",
            "What would make you feel safer? – write your answer to this question",
        )
    ]
    # On the check page the link goes to the question's own step.
    client.post(f"{consultation.url}questions/1/", {questions[0].field_name: "Sam"})
    check = client.get(consultation.url + "check/").content.decode()
    token = re.search(r'name="token" value="([^"]+)"', check).group(1)
    html = client.post(consultation.url + "check/", {"token": token}).content.decode()
    assert (
        f"{consultation.url}questions/{number}/",
        "What would make you feel safer? – write your answer to this question",
    ) in summary_links(html)
    assert Response.objects.count() == 0


def test_a_radio_other_left_empty_asks_to_choose_another_answer_not_to_untick(client, consultation):
    travel = by_text(consultation, "How do you get to school?")
    data = {
        "token": form_token(client, consultation.url),
        by_text(consultation, "What would make you feel safer?").field_name: "Lights",
        by_text(consultation, "How safe do you feel on the bus?").field_name: "2",
        travel.field_name: OTHER,
    }
    html = client.post(consultation.url, data).content.decode()
    assert "untick" not in html.lower()
    assert "Tell us your other answer, or choose one of the other answers." in html
    assert (
        f"#{travel.field_name}-0",
        "How do you get to school? – tell us your other answer, or choose one of the other answers",
    ) in summary_links(html)
    assert Response.objects.count() == 0


def test_a_checkbox_other_left_empty_may_still_be_unticked(client, consultation):
    unsafe = by_text(consultation, "Where do you feel unsafe?")
    data = {
        "token": form_token(client, consultation.url),
        by_text(consultation, "What would make you feel safer?").field_name: "Lights",
        by_text(consultation, "How safe do you feel on the bus?").field_name: "2",
        unsafe.field_name: OTHER,
    }
    html = client.post(consultation.url, data).content.decode()
    assert "Tell us your other answer, or untick “Other”." in html
    assert Response.objects.count() == 0
