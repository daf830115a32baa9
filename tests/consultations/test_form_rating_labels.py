"""A rating's own words for 1 and 5, on the form and on "Check your answers"."""

import re

import pytest

from consultations.models import Layout, QuestionKind, Response
from tests.factories import QuestionFactory, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Buses", slug="buses")


def labels_on_form(html, question) -> list[str]:
    return re.findall(
        rf'<label class="radios__label" for="{question.field_name}-\d">([^<]+)<', html
    )


def test_a_rating_with_its_own_words_shows_them_at_each_end(client, consultation):
    bus = QuestionFactory(
        page=consultation,
        kind=QuestionKind.RATING,
        text="How safe do you feel on the bus?",
        rating_low_label="Not safe at all",
        rating_high_label="Very safe",
    )
    html = client.get(consultation.url).content.decode()
    assert labels_on_form(html, bus) == ["1 – Not safe at all", "2", "3", "4", "5 – Very safe"]
    assert "Very unhappy" not in html.split(bus.text)[1].split("</fieldset>")[0]


def test_faces_keep_their_words_until_the_question_has_its_own(client, consultation):
    school = next(q for q in consultation.ordered_questions() if q.kind == QuestionKind.RATING)
    html = client.get(consultation.url).content.decode()
    assert labels_on_form(html, school) == [
        "1 – Very unhappy",
        "2 – Unhappy",
        "3 – Not sure",
        "4 – Happy",
        "5 – Very happy",
    ]
    # Words for one end only: the other end keeps its default, the middle shows numbers.
    school.rating_high_label = "Very safe"
    school.save()
    html = client.get(consultation.url).content.decode()
    assert labels_on_form(html, school) == ["1 – Very unhappy", "2", "3", "4", "5 – Very safe"]


def test_a_rating_without_faces_or_words_shows_numbers_alone(client, consultation):
    plain = QuestionFactory(page=consultation, kind=QuestionKind.RATING, text="How was it?")
    html = client.get(consultation.url).content.decode()
    assert labels_on_form(html, plain) == ["1", "2", "3", "4", "5"]


def test_check_your_answers_reads_back_the_questions_own_words(client, consultation):
    bus = QuestionFactory(
        page=consultation,
        kind=QuestionKind.RATING,
        text="How safe do you feel on the bus?",
        rating_low_label="Not safe at all",
        rating_high_label="Very safe",
    )
    consultation.layout = Layout.STEPS
    consultation.save_revision().publish()
    number = [q.pk for q in consultation.ordered_questions()].index(bus.pk) + 1
    client.post(f"{consultation.url}questions/{number}/", {bus.field_name: "1"})
    html = client.get(consultation.url + "check/").content.decode()
    assert re.search(
        r"<dt>How safe do you feel on the bus\?</dt>\s*<dd>1 – Not safe at all</dd>", html
    )
    # The words are for reading: the answer stored is the number.
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    safer = next(q for q in consultation.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)
    safer_number = [q.pk for q in consultation.ordered_questions()].index(safer.pk) + 1
    client.post(f"{consultation.url}questions/{safer_number}/", {safer.field_name: "Lights"})
    assert client.post(consultation.url + "check/", {"token": token}).status_code == 302
    assert Response.objects.get().answers.get(question=bus).rating == 1
