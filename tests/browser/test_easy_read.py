"""Easy read in Chromium on a small phone: the switch at the top, with and without JavaScript.

The switch is a button that sends the answer form to the consultation's "words" address, so
what was typed comes back in the easy read words; axe-core checks the easy read pages. Without
JavaScript, step by step, switching half-way keeps the answers given and the one being typed.
In the page editor, the reading-age figures follow what the facilitator types.
"""

import re

import pytest
from playwright.sync_api import expect

from consultations.models import ConsultationPage, Layout, QuestionKind, Response
from tests.factories import ImageFactory, make_consultation
from tests.youthforum.accounts.support import make_user
from youthforum.accounts import roles

from .conftest import axe_lines, sign_in_with_code

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 375, "height": 812}
LAPTOP = {"viewport": {"width": 1366, "height": 900}, "is_mobile": False, "has_touch": False}
THANK_YOU = re.compile(r"/thank-you/\?ref=")
EASY_SAFER = "What would help you feel safe?"
BUS_STOP = "A bus stop at night with a light on"


def easy_read_consultation(home, *, layout):
    page = make_consultation(home, title="Feeling safe", slug="feeling-safe")
    page.layout = layout
    page.easy_read_intro = "We want to know what you think.\nIt is about feeling safe."
    page.easy_read_image = ImageFactory()
    page.easy_read_image_alt = "Young people talking with a youth worker"
    page.save_revision().publish()
    for question in page.ordered_questions():
        if question.kind == QuestionKind.LONG_TEXT:
            question.easy_read_text = EASY_SAFER
            question.easy_read_hint = "Write a few words.\nOne idea is fine."
            question.easy_read_image = ImageFactory()
            question.easy_read_image_alt = BUS_STOP
        elif question.kind == QuestionKind.RATING:
            question.easy_read_text = "How safe is school for you?"
        question.save()
    return ConsultationPage.objects.get(pk=page.pk)


def safer(consultation):
    return next(q for q in consultation.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)


def test_switch_to_easy_read_keep_what_was_typed_pass_axe_and_send(
    live_home, live_server, new_page, axe_path
):
    consultation = easy_read_consultation(live_home, layout=Layout.SINGLE_PAGE)
    page = new_page(viewport=SMALL_PHONE)
    page.goto(live_server.url + consultation.url)
    assert page.get_by_text("You are reading the standard words.").is_visible()
    expect(page.get_by_role("img", name=BUS_STOP)).to_have_count(0)
    page.get_by_label("What would make you feel safer?").fill("Lights on the path")

    with page.expect_navigation():
        page.get_by_role("button", name="Easy read").click()

    assert page.get_by_text("You are reading the easy read words.").is_visible()
    assert page.get_by_role("button", name="Standard words").is_visible()
    assert page.get_by_text("It is about feeling safe.").is_visible()
    picture = page.get_by_role("img", name="Young people talking with a youth worker")
    assert picture.is_visible()
    assert page.get_by_label(EASY_SAFER).input_value() == "Lights on the path"
    question_picture = page.get_by_role("img", name=BUS_STOP)
    assert question_picture.is_visible()
    assert question_picture.evaluate("(img) => img.getBoundingClientRect().width") <= 240
    school = page.get_by_role("group", name=re.compile("How safe is school for you"))
    assert school.is_visible()
    assert page.evaluate("() => document.documentElement.lang").startswith("en")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SMALL_PHONE["width"]
    problems = axe_lines(page, axe_path, "easy read consultation page")

    school.get_by_role("radio", name="4 – Happy").check()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(THANK_YOU)
    assert not problems, "\n".join(problems)
    answers = Response.objects.get().answers
    assert answers.get(question=safer(consultation)).text == "Lights on the path"
    assert answers.get(question__kind=QuestionKind.RATING).rating == 4

    # Remembered for the visit: the consultation opens in easy read again.
    page.goto(live_server.url + consultation.url)
    assert page.get_by_text("You are reading the easy read words.").is_visible()


def test_without_javascript_switching_mid_way_through_the_steps_keeps_every_answer(
    live_home, live_server, new_page, axe_path
):
    consultation = easy_read_consultation(live_home, layout=Layout.STEPS)
    page = new_page(viewport=SMALL_PHONE, java_script_enabled=False)
    page.goto(live_server.url + consultation.url)
    page.get_by_role("link", name="Start now").click()
    page.get_by_label("What is your name for this?").fill("Sam")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What would make you feel safer?").fill("Lights")

    with page.expect_navigation():
        page.get_by_role("button", name="Easy read").click()

    expect(page.get_by_role("heading", name=EASY_SAFER)).to_be_visible()
    expect(page.get_by_label(EASY_SAFER)).to_have_value("Lights")
    check = page.get_by_role("heading", name="Check your answers before you send them")
    while not check.count():
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    expect(check).to_be_visible()
    expect(page.get_by_text(EASY_SAFER, exact=True)).to_be_visible()
    expect(page.get_by_text("Sam")).to_be_visible()
    expect(page.get_by_text("Lights")).to_be_visible()
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(THANK_YOU)
    assert Response.objects.get().answers.get(question=safer(consultation)).text == "Lights"


def test_the_easy_read_steps_pass_axe(live_home, live_server, new_page, axe_path):
    consultation = easy_read_consultation(live_home, layout=Layout.STEPS)
    page = new_page(viewport=SMALL_PHONE)
    page.goto(live_server.url + consultation.url)
    with page.expect_navigation():
        page.get_by_role("button", name="Easy read").click()
    problems = axe_lines(page, axe_path, "easy read start page")
    page.get_by_role("link", name="Start now").click()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name=EASY_SAFER).is_visible()
    assert page.get_by_role("img", name=BUS_STOP).is_visible()
    problems += axe_lines(page, axe_path, "easy read step")
    page.get_by_role("button", name="Continue").click()  # nothing written: an error
    assert page.get_by_role("alert").is_visible()
    problems += axe_lines(page, axe_path, "easy read step with an error")
    assert not problems, "\n".join(problems)


def test_the_reading_age_follows_what_the_facilitator_types(live_home, live_server, new_page):
    consultation = easy_read_consultation(live_home, layout=Layout.SINGLE_PAGE)
    facilitator = make_user(roles=[roles.FACILITATORS], email="facilitator@example.org")
    edit_url = f"{live_server.url}/admin/pages/{consultation.pk}/edit/"
    page = new_page(**LAPTOP)
    sign_in_with_code(page, edit_url, facilitator, lands_on=r"/edit/$")

    figure = page.locator('[data-reading-age-source="id_easy_read_intro"]')
    expect(figure).to_have_text("Reading age: about 6 years (12 words in 2 sentences or lines).")
    page.locator("#id_easy_read_intro").fill(
        "The partnership's statutory responsibilities encompass safeguarding arrangements "
        "for vulnerable children."
    )
    expect(figure).to_have_text("Reading age: about 31 years (10 words in 1 sentences or lines).")

    # The introduction is rich text: its words are read from Wagtail's editor.
    intro = page.locator('[data-reading-age-source="id_introduction"]')
    before = intro.inner_text()
    editor = page.locator(".Draftail-Editor [contenteditable='true']").first
    editor.click()
    editor.press("Control+End")
    editor.type(" Incomprehensible institutional terminology discourages participation.")
    expect(intro).not_to_have_text(before)
    expect(intro).to_have_text(re.compile(r"Reading age: about \d+ years"))

    # A question added in the editor has its figure, which follows its words too.
    page.locator("#id_questions-ADD").click()
    new = page.locator("[id$='-easy_read_text'][id^='id_questions-']").last
    new.fill("Is the bus OK?")
    source = new.get_attribute("id")
    expect(page.locator(f'[data-reading-age-source="{source}"]')).to_have_text(
        "Reading age: about 5 years (4 words in 1 sentences or lines)."
    )
