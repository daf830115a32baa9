"""A rating with "show faces": a drawn face beside the words of each number, hidden from screen
readers because the words say the same; "Check your answers" reads back the words alone."""

import re

import pytest

from consultations.models import Layout, QuestionKind
from tests.factories import QuestionFactory, make_consultation

pytestmark = pytest.mark.django_db

MOOD_WORDS = ["1 – Very unhappy", "2 – Unhappy", "3 – Not sure", "4 – Happy", "5 – Very happy"]


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Buses", slug="buses")


def faces_question(consultation):
    return next(q for q in consultation.ordered_questions() if q.face_labels)


def fieldset_of(html: str, question) -> str:
    return re.search(rf"{re.escape(question.text)}.*?</fieldset>", html, re.S).group(0)


def options_on_form(html: str, question) -> list[dict]:
    """Each radio button's label as the form draws it: its words, and its face if it has one."""
    labels = re.findall(
        rf'<label class="radios__label" for="{question.field_name}-\d">(.*?)</label>',
        fieldset_of(html, question),
        re.S,
    )
    options = []
    for label in labels:
        svgs = re.findall(r"<svg\b[^>]*>.*?</svg>", label, re.S)
        assert len(svgs) <= 1, label
        words = re.sub(r"<svg\b.*?</svg>", "", label, flags=re.S).strip()
        options.append({"words": words, "svg": svgs})
    return options


def mouth_curve(svg: str) -> float:
    """How far the mouth's middle sits below its corners: below zero a frown, above a smile."""
    d = re.search(r'<path d="([^"]+)"', svg).group(1)
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    if "Q" not in d:  # a straight line
        return 0.0
    _x0, y0, _cx, control_y, _x1, y1 = numbers
    # The middle of a quadratic curve is halfway between its ends and its control point.
    return (control_y - (y0 + y1) / 2) / 2


def test_each_number_of_a_faces_rating_has_a_hidden_face_beside_its_words(client, consultation):
    school = faces_question(consultation)
    html = client.get(consultation.url).content.decode()
    options = options_on_form(html, school)

    assert [o["words"] for o in options] == MOOD_WORDS
    faces = [o["svg"][0] for o in options if o["svg"]]
    assert len(faces) == 5, "each of the five options has its own face"
    for face in faces:
        assert 'aria-hidden="true"' in face
        assert 'focusable="false"' in face
        assert 'stroke="currentColor"' in face
        assert re.search(r'width="[\d.]+em" height="[\d.]+em"', face), "sized to grow with text"
    assert len(re.findall(r"<svg\b", fieldset_of(html, school))) == 5


def test_the_faces_go_from_a_deep_frown_at_1_to_a_big_smile_at_5(client, consultation):
    school = faces_question(consultation)
    html = client.get(consultation.url).content.decode()
    curves = [mouth_curve(o["svg"][0]) for o in options_on_form(html, school)]

    assert curves[0] < curves[1] < 0 == curves[2] < curves[3] < curves[4]
    assert abs(curves[0]) > 2 * abs(curves[1]), "1 frowns much more than 2"
    assert curves[4] > 2 * curves[3], "5 smiles much more than 4"


def test_a_rating_without_faces_draws_no_face(client, consultation):
    plain = QuestionFactory(page=consultation, kind=QuestionKind.RATING, text="How was it?")
    with_words = QuestionFactory(
        page=consultation,
        kind=QuestionKind.RATING,
        text="How safe do you feel on the bus?",
        rating_low_label="Not safe at all",
        rating_high_label="Very safe",
    )
    html = client.get(consultation.url).content.decode()

    assert [o["words"] for o in options_on_form(html, plain)] == ["1", "2", "3", "4", "5"]
    assert "<svg" not in fieldset_of(html, plain)
    assert "<svg" not in fieldset_of(html, with_words)
    # Only the faces rating made by make_consultation draws faces on the page.
    assert html.count("<svg") == 5


def test_faces_stay_on_every_number_when_the_question_has_its_own_end_words(client, consultation):
    bus = QuestionFactory(
        page=consultation,
        kind=QuestionKind.RATING,
        text="How safe do you feel on the bus?",
        face_labels=True,
        rating_low_label="Not safe at all",
        rating_high_label="Very safe",
    )
    html = client.get(consultation.url).content.decode()
    options = options_on_form(html, bus)

    assert [o["words"] for o in options] == ["1 – Not safe at all", "2", "3", "4", "5 – Very safe"]
    assert [len(o["svg"]) for o in options] == [1, 1, 1, 1, 1]


def test_a_form_drawn_again_after_a_mistake_keeps_the_faces_and_the_choice(client, consultation):
    school = faces_question(consultation)
    token = re.search(
        r'name="token" value="([^"]+)"', client.get(consultation.url).content.decode()
    ).group(1)
    # "What would make you feel safer?" is required and left empty.
    response = client.post(consultation.url, {"token": token, school.field_name: "4"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "There is a problem" in html
    assert [len(o["svg"]) for o in options_on_form(html, school)] == [1, 1, 1, 1, 1]
    four = rf'id="{school.field_name}-3" name="{school.field_name}" value="4" checked'
    assert re.search(four, html), "the face chosen is still chosen"


def test_one_question_at_a_time_shows_the_faces_and_check_your_answers_the_words(
    client, consultation
):
    consultation.layout = Layout.STEPS
    consultation.save_revision().publish()
    school = faces_question(consultation)
    number = [q.pk for q in consultation.ordered_questions()].index(school.pk) + 1
    step = f"{consultation.url}questions/{number}/"

    html = client.get(step).content.decode()
    assert [o["words"] for o in options_on_form(html, school)] == MOOD_WORDS
    assert html.count("<svg") == 5

    client.post(step, {school.field_name: "3"})
    check = client.get(consultation.url + "check/").content.decode()
    assert re.search(r"<dt>How safe do you feel at school\?</dt>\s*<dd>3 – Not sure</dd>", check)
    assert "<svg" not in check
