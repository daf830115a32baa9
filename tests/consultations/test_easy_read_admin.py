"""Easy read in the page editor: its fields under an "Easy read" heading, a picture refused
without words for it, and a reading-age figure under what the facilitator writes."""

import re

import pytest
from django.urls import reverse

from consultations.models import ConsultationPage, QuestionKind
from tests.consultations.admin.support import edit_form_data, facilitator
from tests.factories import ImageFactory, QuestionFactory, make_consultation

pytestmark = pytest.mark.django_db

READING_AGE_URL = "/admin/consultations/reading-age/"


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    """These tests are about the editor, not MFA (tests/youthforum/accounts tests that)."""
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False


@pytest.fixture
def editor(client):
    user = facilitator()
    client.force_login(user)
    return user


@pytest.fixture
def page(home):
    page = make_consultation(home, title="Feeling safe")
    page.questions.all().delete()
    QuestionFactory(
        page=page,
        kind=QuestionKind.LONG_TEXT,
        text="What would make you feel safer?",
        easy_read_text="What would help you feel safe?",
    )
    page.introduction = "<p>We want to hear what you think about feeling safe.</p>"
    page.easy_read_intro = "We want to know\nwhat you think"
    page.save_revision().publish()
    return ConsultationPage.objects.get(pk=page.pk)


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def figure(html, source_id):
    match = re.search(
        rf'<p class="help reading-age"[^>]*data-reading-age-source="{source_id}"[^>]*>([^<]*)</p>',
        html,
    )
    assert match, f"no reading age for {source_id}"
    return match.group(1)


def test_the_editor_shows_the_reading_age_of_each_thing_written(client, editor, page):
    html = client.get(edit_url(page)).content.decode()
    # 10 words, 12 syllables: about 7 (tests/consultations/test_readability.py works it out).
    assert figure(html, "id_introduction") == (
        "Reading age: about 7 years (10 words in 1 sentences or lines)."
    )
    assert figure(html, "id_easy_read_intro") == (
        "Reading age: about 5 years (7 words in 2 sentences or lines)."
    )
    assert figure(html, "id_questions-0-text").startswith("Reading age: about ")
    assert figure(html, "id_questions-0-easy_read_text").startswith("Reading age: about ")
    # A question added in the editor gets its figure too, from Wagtail's template.
    assert 'data-reading-age-source="id_questions-__prefix__-easy_read_text"' in html
    assert "consultations/js/reading_age.js" in html
    assert f'data-reading-age-url="{READING_AGE_URL}"' in html


def test_the_easy_read_fields_are_under_an_easy_read_heading(client, editor, page):
    html = client.get(edit_url(page)).content.decode()
    headings = [m.start() for m in re.finditer(r">\s*Easy read\s*<", html)]
    assert headings[0] < html.index('id="id_easy_read_intro"') < html.index('id="id_opens_at"')
    assert 'id="id_easy_read_image_alt"' in html
    question = html.index('id="id_questions-0-text"')
    assert any(question < h < html.index('id="id_questions-0-easy_read_text"') for h in headings)


def test_the_figure_is_worked_out_again_from_what_is_posted(client, editor, page):
    data = edit_form_data(client, page)
    data["easy_read_intro"] = "We want to hear what you think about feeling safe."
    response = client.post(edit_url(page), data)
    assert response.status_code == 302
    html = client.get(edit_url(page)).content.decode()
    assert figure(html, "id_easy_read_intro").startswith("Reading age: about 7 years")


def test_a_picture_without_words_for_it_is_refused_and_nothing_saved(client, editor, page):
    revisions = page.revisions.count()
    data = edit_form_data(client, page)
    data["easy_read_image"] = str(ImageFactory().pk)
    data["easy_read_image_alt"] = ""
    data["easy_read_intro"] = "Changed words"

    response = client.post(edit_url(page), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The page could not be saved due to validation errors" in html
    assert (
        "Say what the picture shows, for people who cannot see it, or remove the picture." in html
    )
    page.refresh_from_db()
    assert page.revisions.count() == revisions
    assert page.easy_read_image is None
    assert page.easy_read_intro == "We want to know\nwhat you think"


def test_a_picture_with_words_for_it_is_saved(client, editor, page):
    image = ImageFactory()
    data = edit_form_data(client, page)
    data["easy_read_image"] = str(image.pk)
    data["easy_read_image_alt"] = "A bus stop at night"
    assert client.post(edit_url(page), data).status_code == 302
    latest = ConsultationPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert (latest.easy_read_image, latest.easy_read_image_alt) == (image, "A bus stop at night")


# The live figure's address ------------------------------------------------------------------


def test_the_live_figure_uses_the_same_formula(client, editor):
    response = client.post(READING_AGE_URL, {"text": "The cat sat on the mat."})
    assert response.status_code == 200
    assert response.json() == {
        "label": "Reading age: about 5 years (6 words in 1 sentences or lines)."
    }
    empty = client.post(READING_AGE_URL, {"text": "  "}).json()
    assert empty == {"label": "Reading age: write some words to see it."}


def test_the_live_figure_refuses_a_get_and_a_text_too_long(client, editor):
    assert client.get(READING_AGE_URL, {"text": "Hello"}).status_code == 405
    response = client.post(READING_AGE_URL, {"text": "word " * 5_000})
    assert response.status_code == 400
    assert response.json() == {"error": "This is too long to measure."}


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_the_live_figure_is_for_the_admin_only(client, signed_in):
    if signed_in:
        from tests.factories import MemberFactory

        client.force_login(MemberFactory())
    response = client.post(READING_AGE_URL, {"text": "Hello there."})
    assert response.status_code in (302, 403)
    assert "label" not in response.content.decode()


# A picture per question ---------------------------------------------------------------------


def test_a_questions_picture_is_under_its_easy_read_words(client, editor, page):
    html = client.get(edit_url(page)).content.decode()
    easy_text = html.index('id="id_questions-0-easy_read_text"')
    picture = html.index('id="id_questions-0-easy_read_image"')
    alt = html.index('id="id_questions-0-easy_read_image_alt"')
    assert easy_text < picture < alt < html.index('id="id_questions-0-options"')


@pytest.mark.parametrize(
    ("with_picture", "alt", "message"),
    [
        (
            True,
            "  ",
            "Say what the picture shows, for people who cannot see it, or remove the picture.",
        ),
        (
            False,
            "A bus stop at night",
            "There is no picture to describe: choose one, or delete what is written here.",
        ),
    ],
    ids=["picture-without-words", "words-without-picture"],
)
def test_a_questions_picture_and_its_words_go_together_or_nothing_is_saved(
    client, editor, page, with_picture, alt, message
):
    revisions = page.revisions.count()
    data = edit_form_data(client, page)
    data["questions-0-easy_read_image"] = str(ImageFactory().pk) if with_picture else ""
    data["questions-0-easy_read_image_alt"] = alt
    data["questions-0-easy_read_text"] = "Changed words"

    response = client.post(edit_url(page), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert "The page could not be saved due to validation errors" in html
    assert message in html
    page.refresh_from_db()
    assert page.revisions.count() == revisions
    question = page.questions.get()
    assert (question.easy_read_image, question.easy_read_image_alt) == (None, "")
    assert question.easy_read_text == "What would help you feel safe?"


def test_a_questions_picture_with_words_for_it_is_saved(client, editor, page):
    image = ImageFactory()
    data = edit_form_data(client, page)
    data["questions-0-easy_read_image"] = str(image.pk)
    data["questions-0-easy_read_image_alt"] = "A bus stop at night"
    data["action-publish"] = "action-publish"
    assert client.post(edit_url(page), data).status_code == 302
    question = ConsultationPage.objects.get(pk=page.pk).questions.get()
    assert (question.easy_read_image, question.easy_read_image_alt) == (
        image,
        "A bus stop at night",
    )
