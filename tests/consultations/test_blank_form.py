"""The blank answer form is drawn once per process and reused, and never goes out of date."""

import re

import pytest
from django.template.loader import render_to_string

from consultations import forms
from consultations.forms import blank_form_html, question_fields
from consultations.models import AboutYouOptions, QuestionKind
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def nothing_drawn_yet(monkeypatch):
    monkeypatch.setattr(forms, "_BLANK_FORMS", forms.OrderedDict())


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe", slug="feeling-safe")


def form_of(html: str) -> str:
    """The answer form, without the per-visitor tokens."""
    form = re.search(r'<form method="post".*?</form>', html, re.S).group(0)
    return re.sub(r'(name="(?:csrfmiddlewaretoken|token)" value=")[^"]+', r"\1", form)


def drawn_each_time(consultation) -> str:
    fields = question_fields(list(consultation.ordered_questions()))
    return "".join(
        render_to_string("consultations/includes/question_field.html", {"field": f}) for f in fields
    )


def test_a_reused_form_is_the_form_drawn_afresh(client, consultation):
    first = client.get(consultation.url).content.decode()
    second = client.get(consultation.url).content.decode()
    assert len(forms._BLANK_FORMS) == 1
    assert form_of(first) == form_of(second)
    assert drawn_each_time(consultation) in first


def test_each_visitor_still_gets_their_own_one_time_token(client, consultation):
    tokens = {
        re.search(r'name="token" value="([^"]+)"', client.get(consultation.url).content.decode())[1]
        for _ in range(3)
    }
    assert len(tokens) == 3


def test_an_edited_question_is_shown_at_once(client, consultation):
    client.get(consultation.url)
    question = next(q for q in consultation.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)
    question.text = "What would make your street feel safer at night?"
    question.help_text = "Think about lights, buses and people around."
    question.save()
    html = client.get(consultation.url).content.decode()
    assert "What would make your street feel safer at night?" in html
    assert "Think about lights, buses and people around." in html


def test_changed_about_you_options_are_shown_at_once(client, consultation):
    client.get(consultation.url)
    options = AboutYouOptions.load()
    options.areas = "Riverside\nHilltop"
    options.save()
    html = client.get(consultation.url).content.decode()
    assert "Hilltop" in html


def test_a_form_shown_again_with_errors_is_drawn_with_them(client, consultation):
    client.get(consultation.url)
    token = re.search(
        r'name="token" value="([^"]+)"', client.get(consultation.url).content.decode()
    )[1]
    html = client.post(consultation.url, {"token": token}).content.decode()
    assert "There is a problem" in html
    assert "form-group--error" in html
    assert "form-group--error" not in client.get(consultation.url).content.decode()


def test_only_blank_forms_are_kept(consultation):
    fields = question_fields(list(consultation.ordered_questions()))
    fields[0].error = "Enter an answer"
    with pytest.raises(ValueError, match="only blank forms"):
        blank_form_html(fields)
    assert not forms._BLANK_FORMS


def test_the_oldest_forms_go_first(consultation, monkeypatch):
    monkeypatch.setattr(forms, "_BLANK_FORMS_KEPT", 2)
    questions = list(consultation.ordered_questions())
    for n in range(3):
        questions[0].text = f"Question version {n}"
        blank_form_html(question_fields(questions))
    assert len(forms._BLANK_FORMS) == 2
    assert "Question version 0" not in "".join(forms._BLANK_FORMS.values())
