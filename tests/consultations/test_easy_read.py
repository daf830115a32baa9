"""Easy read: a switch at the top of a consultation's pages, without JavaScript, remembered for
the visit, showing the easy read introduction and questions, and never losing typed answers."""

import re

import pytest
from django.core.exceptions import ValidationError

from consultations.models import ConsultationPage, Layout, QuestionKind, Response
from consultations.views import EASY_READ_SESSION_KEY
from tests.factories import ImageFactory, make_consultation

pytestmark = pytest.mark.django_db

EASY_INTRO = "We want to know what you think.\nIt is about feeling safe.\n\nIt takes 5 minutes."
EASY_SAFER = "What would help you feel safe?"


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


def with_easy_read(page, *, layout=Layout.SINGLE_PAGE):
    page.easy_read_intro = EASY_INTRO
    page.layout = layout
    page.save_revision().publish()
    safer = question(page, QuestionKind.LONG_TEXT)
    safer.easy_read_text = EASY_SAFER
    safer.easy_read_hint = "Write a few words.\nOne idea is fine."
    safer.save()
    return ConsultationPage.objects.get(pk=page.pk)


@pytest.fixture
def consultation(home):
    return with_easy_read(make_consultation(home, title="Feeling safe", slug="feeling-safe"))


@pytest.fixture
def stepped(home):
    page = make_consultation(home, title="Feeling safe", slug="feeling-safe")
    return with_easy_read(page, layout=Layout.STEPS)


def question(page, kind):
    return next(q for q in page.ordered_questions() if q.kind == kind)


def words_url(page, here):
    return f"{page.url}words/?next={here}"


def switch_to(client, page, words, here=None, **typed):
    return client.post(words_url(page, here or page.url), {"words": words, **typed})


def token_of(html):
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


# The switch ---------------------------------------------------------------------------------


def test_the_switch_is_a_button_at_the_top_that_sends_the_answer_form(client, consultation):
    html = client.get(consultation.url).content.decode()
    switch = html.index('class="words-switch"')
    assert switch < html.index("<h1")
    assert "You are reading the standard words." in html
    assert re.search(
        r'<button [^>]*form="answer-form" formaction="/[^"]*/words/\?next=[^"]*"[^>]*'
        r'name="words" value="easy"[^>]*>Easy read</button>',
        html,
    )
    assert 'id="answer-form"' in html
    assert "<script" not in html[switch : html.index("</form>")]


def test_a_consultation_without_easy_read_words_has_no_switch(client, home):
    plain = make_consultation(home, title="Buses", slug="buses")
    html = client.get(plain.url).content.decode()
    assert "words-switch" not in html and "Easy read" not in html


def test_choosing_easy_read_shows_the_easy_read_words_and_is_remembered(client, consultation):
    response = switch_to(client, consultation, "easy")
    assert response.status_code == 302 and response["Location"] == consultation.url
    assert client.session[EASY_READ_SESSION_KEY] is True

    html = client.get(consultation.url).content.decode()
    assert "You are reading the easy read words." in html
    assert re.search(r'value="standard"[^>]*>Standard words</button>', html)
    # The introduction, a line at a time (the empty line left out), instead of the standard one.
    assert (
        "<p>We want to know what you think.</p><p>It is about feeling safe.</p>"
        "<p>It takes 5 minutes.</p>" in html
    )
    assert "feel safer" not in html  # neither the introduction's nor the question's own words
    assert f"2. {EASY_SAFER}" in html
    assert "Write a few words.<br>One idea is fine." in html
    # A question without easy read words falls back to its own.
    assert "1. What is your name for this?" in html
    assert 'lang="en' in html.split(">", 2)[1]  # the page's language is unchanged

    assert "Standard words" in client.get(consultation.url).content.decode()  # still remembered


def test_choosing_standard_words_goes_back_to_them(client, consultation):
    switch_to(client, consultation, "easy")
    assert EASY_SAFER in client.get(consultation.url).content.decode()
    switch_to(client, consultation, "standard")
    # Not the easy read form drawn a moment ago (blank forms are kept per process).
    html = client.get(consultation.url).content.decode()
    assert client.session[EASY_READ_SESSION_KEY] is False
    assert "You are reading the standard words." in html
    assert "2. What would make you feel safer?" in html and EASY_SAFER not in html


def test_easy_read_is_remembered_on_other_consultations_for_the_visit(client, home, consultation):
    other = with_easy_read(make_consultation(home, title="Parks", slug="parks"))
    switch_to(client, consultation, "easy")
    assert EASY_SAFER in client.get(other.url).content.decode()


def test_a_browser_that_did_not_choose_sees_the_standard_words(client, consultation):
    switch_to(client, consultation, "easy")
    html = type(client)().get(consultation.url).content.decode()
    assert "What would make you feel safer?" in html and EASY_SAFER not in html


def test_the_easy_read_picture_shows_with_what_it_shows(client, consultation):
    consultation.easy_read_image = ImageFactory()
    consultation.easy_read_image_alt = "Two young people talking to a youth worker"
    consultation.save_revision().publish()
    switch_to(client, consultation, "easy")
    html = client.get(consultation.url).content.decode()
    assert re.search(r'<img [^>]*alt="Two young people talking to a youth worker"', html)


@pytest.mark.parametrize("words", ["", "hard", "EASY"])
def test_an_unknown_choice_is_refused_and_nothing_changes(client, consultation, words):
    response = switch_to(client, consultation, words)
    assert response.status_code == 400
    assert "Choose “Easy read” or “Standard words”." in response.content.decode()
    assert EASY_READ_SESSION_KEY not in client.session


@pytest.mark.parametrize(
    "here", ["https://example.com/", "//example.com/", "/admin/", "/\\example.com"]
)
def test_the_switch_only_goes_back_to_this_consultation(client, consultation, here):
    response = switch_to(client, consultation, "easy", here=here)
    assert response["Location"] == consultation.url


def test_opening_the_switch_address_changes_nothing(client, consultation):
    response = client.get(words_url(consultation, consultation.url) + "&words=easy")
    assert response.status_code == 302
    assert EASY_READ_SESSION_KEY not in client.session


# Nothing typed is lost ----------------------------------------------------------------------


def test_switching_on_the_one_page_form_keeps_what_was_typed_and_sends_it(client, consultation):
    safer = question(consultation, QuestionKind.LONG_TEXT)
    school = question(consultation, QuestionKind.SINGLE_CHOICE)
    token = token_of(client.get(consultation.url).content.decode())
    typed = {"token": token, safer.field_name: "Street lights", school.field_name: "Bus"}

    response = switch_to(client, consultation, "easy", **typed)

    html = response.content.decode()
    assert response.status_code == 200
    assert Response.objects.count() == 0  # nothing sent or checked by switching
    assert "There is a problem" not in html
    assert f"2. {EASY_SAFER}" in html
    assert ">Street lights</textarea>" in html
    assert re.search(rf'name="{school.field_name}" value="Bus"\s+checked', html)
    assert token_of(html) == token
    assert f'action="{consultation.url}"' in html  # the form still sends to the consultation

    sent = client.post(consultation.url, {**typed, "token": token_of(html)})
    assert sent.status_code == 302 and "/thank-you/" in sent["Location"]
    assert Response.objects.get().answers.get(question=safer).text == "Street lights"


def test_switching_mid_way_through_the_steps_keeps_the_draft_and_the_step_typed(client, stepped):
    questions = list(stepped.ordered_questions())
    name, safer = questions[0], questions[1]
    client.post(f"{stepped.url}questions/1/", {name.field_name: "Sam"})
    step_2 = f"{stepped.url}questions/2/"
    assert "What would make you feel safer?" in client.get(step_2).content.decode()

    response = switch_to(client, stepped, "easy", here=step_2, **{safer.field_name: "Lights"})

    html = response.content.decode()
    assert response.status_code == 200
    assert (
        f'<h1 class="label-heading"><label class="label" for="{safer.field_name}">{EASY_SAFER}'
        in (html)
    )
    assert ">Lights</textarea>" in html
    assert f'action="{step_2}"' in html
    # Continue from here saves the step, and the first step's answer was kept all along.
    assert client.post(step_2, {safer.field_name: "Lights"}).status_code == 302
    check = client.get(stepped.url + "check/").content.decode()
    assert "Sam" in check and "Lights" in check
    assert f"<dt>{EASY_SAFER}</dt>" in check
    assert "You are reading the easy read words." in check


def test_switching_on_the_check_page_keeps_the_draft(client, stepped):
    questions = list(stepped.ordered_questions())
    client.post(f"{stepped.url}questions/1/", {questions[0].field_name: "Sam"})
    check_url = stepped.url + "check/"
    response = switch_to(client, stepped, "easy", here=check_url)
    assert response["Location"] == check_url
    html = client.get(check_url).content.decode()
    assert "Sam" in html and f"<dt>{EASY_SAFER}</dt>" in html


def test_a_step_returning_to_check_keeps_its_way_back_after_a_switch(client, stepped):
    safer = list(stepped.ordered_questions())[1]
    here = f"{stepped.url}questions/2/?return=check"
    html = client.get(here).content.decode()
    assert f'action="{here}"' in html
    response = client.post(
        f"{stepped.url}words/?next={stepped.url}questions/2/%3Freturn%3Dcheck",
        {"words": "easy", safer.field_name: "Lights"},
    )
    assert f'action="{here}"' in response.content.decode()


# The model ----------------------------------------------------------------------------------


def test_a_picture_without_words_for_it_is_refused(consultation):
    consultation.easy_read_image = ImageFactory()
    consultation.easy_read_image_alt = "  "
    with pytest.raises(ValidationError) as refused:
        consultation.full_clean()
    assert refused.value.message_dict["easy_read_image_alt"] == [
        "Say what the picture shows, for people who cannot see it, or remove the picture."
    ]


def test_words_for_a_picture_that_is_not_there_are_refused(consultation):
    consultation.easy_read_image_alt = "A bus stop"
    with pytest.raises(ValidationError) as refused:
        consultation.full_clean()
    assert "There is no picture to describe" in refused.value.message_dict["easy_read_image_alt"][0]
