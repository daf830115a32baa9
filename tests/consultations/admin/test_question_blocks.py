"""Each question in the page editor shows only its type's fields, and the server refuses values
set for another type; a new consultation is not autosaved before the editor first saves it."""

import json
import re

import pytest
from django.urls import reverse

from consultations.models import ConsultationPage, Question, QuestionKind
from tests.factories import QuestionFactory

from .support import _form_data, edit_form_data, facilitator

pytestmark = pytest.mark.django_db

# The type-specific fields and the types each is shown for, as the editor lists them.
SHOWN_FOR = {
    "options": ["multiple_choice", "ranking", "single_choice"],
    "allow_other": ["multiple_choice", "single_choice"],
    "character_limit": ["long_text", "multiple_choice", "short_text", "single_choice"],
    "max_ranked": ["ranking"],
    "face_labels": ["rating"],
    "about": ["about_you"],
    "rating_low_label": ["rating"],
    "rating_high_label": ["rating"],
}


@pytest.fixture
def editor(client):
    user = facilitator()
    client.force_login(user)
    return user


@pytest.fixture
def page(consultation):
    """The consultation with one long text question only, to post as the editor would."""
    consultation.questions.all().delete()
    QuestionFactory(page=consultation, kind=QuestionKind.LONG_TEXT, text="What would help?")
    return ConsultationPage.objects.get(pk=consultation.pk)


def edit_url(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def wrappers(html: str, prefix: str) -> dict[str, str]:
    """Each type-specific field of the question with ``prefix``: the HTML of its wrapper's tag."""
    found = {}
    for field in SHOWN_FOR:
        match = re.search(
            rf'<div class="w-panel__wrapper[^"]*"[^>]*>(?:(?!<div class="w-panel__wrapper).)*?'
            rf'id="id_{re.escape(prefix)}-{field}"',
            html,
            re.S,
        )
        assert match, f"no wrapper for {prefix}-{field}"
        found[field] = match.group(0).split(">", 1)[0]
    return found


def rules_of(tag: str) -> dict | None:
    match = re.search(r'data-w-rules="([^"]*)"', tag)
    return json.loads(match.group(1).replace("&quot;", '"')) if match else None


# What the editor shows -------------------------------------------------------------------------


def test_each_type_specific_field_is_shown_only_for_its_types(client, editor, page):
    html = client.get(edit_url(page)).content.decode()

    for field, tag in wrappers(html, "questions-0").items():
        assert 'data-w-rules-target="show"' in tag, field
        assert rules_of(tag) == {"questions-0-kind": SHOWN_FOR[field]}, field
        # Nothing is hidden by the server: without JavaScript every field stays in sight.
        assert " hidden" not in tag, field


def test_a_question_added_in_the_editor_gets_the_same_rules(client, editor, page):
    html = client.get(edit_url(page)).content.decode()
    template = html.split('id="id_questions-EMPTY_FORM_TEMPLATE"', 1)[1]

    # Wagtail's InlinePanel replaces __prefix__ with the new question's number when it adds one.
    for field, tag in wrappers(template, "questions-__prefix__").items():
        assert rules_of(tag) == {"questions-__prefix__-kind": SHOWN_FOR[field]}, field


def test_the_questions_panel_runs_wagtails_rules_controller_on_every_change(client, editor, page):
    html = client.get(edit_url(page)).content.decode()

    section = re.search(r'<section[^>]*id="panel-child-content-questions-section"[^>]*>', html)
    assert section, "no questions panel"
    assert 'data-controller="w-rules"' in section.group(0)
    assert 'data-action="change-&gt;w-rules#resolve"' in section.group(0)


# What the server refuses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "field", "value", "message"),
    [
        pytest.param(
            "long_text",
            "options",
            "Bus\nWalk",
            "Only “Choose one”, “Choose any” or “Put in order” questions use this. Delete what "
            "is written here, or change the type of question.",
            id="options-on-long-text",
        ),
        pytest.param(
            "rating",
            "allow_other",
            "on",
            "Only “Choose one” or “Choose any” questions use this. Untick it, or change the "
            "type of question.",
            id="other-on-rating",
        ),
        pytest.param(
            "single_choice",
            "face_labels",
            "on",
            "Only “Rating from 1 to 5” questions use this. Untick it, or change the type of "
            "question.",
            id="faces-on-choose-one",
        ),
        pytest.param(
            "short_text",
            "about",
            "age_band",
            "Only “About you” questions use this. Delete what is written here, or change the "
            "type of question.",
            id="about-on-short-text",
        ),
        pytest.param(
            "ranking",
            "rating_low_label",
            "Not safe at all",
            "Only “Rating from 1 to 5” questions use this. Delete what is written here, or "
            "change the type of question.",
            id="rating-words-on-ranking",
        ),
    ],
)
def test_a_value_for_another_type_of_question_is_refused_and_shown(
    client, editor, page, kind, field, value, message
):
    revisions = page.revisions.count()
    data = edit_form_data(client, page)
    data["questions-0-kind"] = kind
    data["questions-0-options"] = "Bus\nWalk\nCar" if kind in ("single_choice", "ranking") else ""
    data[f"questions-0-{field}"] = value

    response = client.post(edit_url(page), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The page could not be saved due to validation errors" in html
    assert message.replace("“", "&ldquo;").replace("”", "&rdquo;") in html or message in html
    # The field with the error is always in sight, whatever the type select says.
    assert rules_of(wrappers(html, "questions-0")[field]) is None
    question = Question.objects.get(page=page)
    assert (question.kind, question.options, question.allow_other, question.face_labels) == (
        QuestionKind.LONG_TEXT,
        "",
        False,
        False,
    )
    assert page.revisions.count() == revisions


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        pytest.param(
            {"kind": "single_choice", "options": "Bus"},
            "options",
            "Give at least two options, one per line.",
            id="one-option",
        ),
        pytest.param(
            {"kind": "ranking", "options": "Bus\nWalk", "max_ranked": "3"},
            "max_ranked",
            "This cannot be more than the number of options.",
            id="ranking-more-than-options",
        ),
        pytest.param(
            {"kind": "about_you", "about": ""},
            "about",
            "Choose what this “about you” question asks.",
            id="about-you-without-which",
        ),
    ],
)
def test_a_question_missing_what_its_type_needs_is_still_refused(
    client, editor, page, changes, field, message
):
    data = edit_form_data(client, page)
    data.update({f"questions-0-{name}": value for name, value in changes.items()})

    response = client.post(edit_url(page), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert message.replace("“", "&ldquo;").replace("”", "&rdquo;") in html or message in html
    assert Question.objects.get(page=page).kind == QuestionKind.LONG_TEXT


def test_a_number_left_from_another_type_is_accepted_and_the_question_saved(client, editor, page):
    data = edit_form_data(client, page)
    data["questions-0-max_ranked"] = "5"  # a ranking's, ignored for a text question
    data["questions-0-text"] = "What would help most?"

    response = client.post(edit_url(page), data)

    assert response.status_code == 302
    latest = ConsultationPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [q.text for q in latest.questions.all()] == ["What would help most?"]


def test_changing_the_type_and_clearing_the_old_fields_saves_the_question(client, editor, page):
    data = edit_form_data(client, page)
    data["questions-0-kind"] = "rating"
    data["questions-0-face_labels"] = "on"
    data["action-publish"] = "action-publish"

    response = client.post(edit_url(page), data)

    assert response.status_code == 302
    question = Question.objects.get(page=page)
    assert (question.kind, question.face_labels) == (QuestionKind.RATING, True)


# Autosave and the "slug already in use" trap ---------------------------------------------------


def add_url(index) -> str:
    return reverse("wagtailadmin_pages:add", args=["consultations", "consultationpage", index.pk])


def add_form_data(client, index, title: str) -> dict:
    response = client.get(add_url(index))
    assert response.status_code == 200
    data = _form_data(response.context["form"])
    data.update(
        {
            "title": title,
            "slug": "bus-safety",
            "questions-0-kind": "long_text",
            "questions-0-text": "What would make the bus feel safer?",
        }
    )
    return data


def test_the_add_form_is_not_autosaved_so_starting_again_is_not_refused(
    client, editor, consultation
):
    index = consultation.get_parent()
    data = add_form_data(client, index, "Bus safety")

    # Wagtail's autosave script posts the add form asking for JSON, a moment after typing.
    autosave = client.post(add_url(index), data, headers={"accept": "application/json"})

    assert autosave.status_code == 400
    assert autosave.json() == {
        "success": False,
        "error_code": "validation_error",
        "error_message": "A new consultation is first saved when you choose “Save draft” or "
        "“Publish”. After that, your changes are saved automatically.",
    }
    assert not ConsultationPage.objects.filter(title="Bus safety").exists()

    # The editor leaves that form and starts again with the same title: nothing is in the way.
    saved = client.post(add_url(index), add_form_data(client, index, "Bus safety"))

    assert saved.status_code == 302
    created = ConsultationPage.objects.get(title="Bus safety")
    assert created.slug == "bus-safety"
    assert not created.live


def test_the_edit_form_is_still_autosaved(client, editor, page):
    data = edit_form_data(client, page)
    data["questions-0-text"] = "What would help most?"

    response = client.post(edit_url(page), data, headers={"accept": "application/json"})

    assert response.status_code == 200
    assert response.json()["success"] is True
    latest = ConsultationPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert [q.text for q in latest.questions.all()] == ["What would help most?"]
