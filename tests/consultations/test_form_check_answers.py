"""Step by step: "Check your answers" reads each answer back as the form showed it; Back works."""

import re

import pytest

from consultations.models import Layout, QuestionKind, Response
from tests.factories import QuestionFactory, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def stepped(home):
    page = make_consultation(home, title="Feeling safe", slug="feeling-safe")
    page.layout = Layout.STEPS
    page.save_revision().publish()
    return page


def step_url(page, number):
    return f"{page.url}questions/{number}/"


def answer(client, page, kind, value, **extra):
    questions = list(page.ordered_questions())
    question = next(q for q in questions if q.kind == kind)
    number = questions.index(question) + 1
    response = client.post(step_url(page, number), {question.field_name: value, **extra})
    assert response.status_code == 302, response.content.decode()
    return question


def summary_row(html, question_text):
    """The text of the answer given beside ``question_text`` on the check page."""
    match = re.search(rf"<dt>{re.escape(question_text)}</dt>\s*<dd>(.*?)</dd>", html, re.S)
    assert match, f"no row for {question_text!r}"
    return match.group(1)


def test_a_rating_reads_back_with_its_number_and_the_words_the_form_showed(client, stepped):
    answer(client, stepped, QuestionKind.RATING, "3")
    form = client.get(step_url(stepped, 5)).content.decode()
    assert "3 – Not sure" in form  # the words on the form...
    html = client.get(stepped.url + "check/").content.decode()
    assert summary_row(html, "How safe do you feel at school?") == "3 – Not sure"  # ...read back


def test_a_rating_without_faces_reads_back_as_the_form_shows_it(client, home):
    page = make_consultation(home, title="Buses", slug="buses")
    page.layout = Layout.STEPS
    page.save_revision().publish()
    plain = QuestionFactory(
        page=page, kind=QuestionKind.RATING, text="How safe do you feel on the bus?"
    )
    number = [q.pk for q in page.ordered_questions()].index(plain.pk) + 1
    client.post(step_url(page, number), {plain.field_name: "4"})
    html = client.get(page.url + "check/").content.decode()
    assert summary_row(html, "How safe do you feel on the bus?") == "4"


def test_choice_answers_read_back_as_the_options_words(client, stepped):
    answer(client, stepped, QuestionKind.SINGLE_CHOICE, "Walk")
    answer(client, stepped, QuestionKind.MULTIPLE_CHOICE, "Bus stop")
    ranking = next(q for q in stepped.ordered_questions() if q.kind == QuestionKind.RANKING)
    number = list(stepped.ordered_questions()).index(ranking) + 1
    client.post(
        step_url(stepped, number),
        {f"{ranking.field_name}-rank-1": "Transport", f"{ranking.field_name}-rank-2": "Bullying"},
    )
    html = client.get(stepped.url + "check/").content.decode()
    assert summary_row(html, "How do you get to school?") == "Walk"
    assert summary_row(html, "Where do you feel unsafe?") == "Bus stop"
    assert summary_row(html, "What matters most?") == "1. Transport; 2. Bullying"


def test_the_check_page_has_a_back_link_to_the_last_question(client, stepped):
    answer(client, stepped, QuestionKind.SINGLE_CHOICE, "Walk")
    html = client.get(stepped.url + "check/").content.decode()
    last = len(list(stepped.ordered_questions()))
    back = re.search(r'<a class="back-link" href="([^"]+)">Back</a>', html)
    assert back, "no Back link"
    assert back.group(1) == step_url(stepped, last)
    # The Back link comes before the heading, as on GOV.UK.
    assert html.index('class="back-link"') < html.index("<h1>")
    assert client.get(back.group(1)).status_code == 200
    assert Response.objects.count() == 0
