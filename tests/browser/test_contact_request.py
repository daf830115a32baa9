"""A young person who disclosed something asks, on a phone, to be contacted, and is helped past a
mistake by keyboard.

Chromium at a phone viewport. The young person reads that answers are anonymous before the first
question, sends an answer that raises a concern, opens "I’d like someone to contact me" from the
thank-you page, forgets the consent box, follows the error summary to it by keyboard, and sends.
axe-core finds nothing on the notice, the form, the form with its error and the confirmation.
"""

import re

import pytest

from consultations.models import QuestionKind
from consultations.safeguarding.models import ContactRequest, SafeguardingConcern

from .conftest import axe_lines
from .test_answer_consultation import focused, gets_focus, send, tab_to

pytestmark = pytest.mark.browser

DISCLOSURE = "My stepdad hits me when he's drunk and I'm scared to go home."
HOW_TO_REACH = "Sam, text 07700 900456"
BEST_TIME = "After school"


def test_a_young_person_who_disclosed_asks_to_be_contacted_and_fixes_a_mistake_by_keyboard(
    consultation, live_server, new_page, axe_path
):
    safer = consultation.questions.get(kind=QuestionKind.LONG_TEXT)
    first = consultation.ordered_questions().first()
    problems = []
    page = new_page()
    page.goto(live_server.url + consultation.url)

    # Told before the first question, in plain words.
    notice = page.locator("[data-anonymous-notice]")
    assert notice.is_visible()
    assert "Your answers are anonymous" in notice.inner_text()
    assert "a person will read it" in notice.inner_text()
    assert "Nobody can contact you unless you choose to" in notice.inner_text()
    question_top = page.locator(f"#{first.field_name}").bounding_box()["y"]
    assert notice.bounding_box()["y"] < question_top, "the notice is not before the questions"
    problems += axe_lines(page, axe_path, "consultation with the notice")

    tab_to(page, f"#{safer.field_name}")
    page.keyboard.type(DISCLOSURE)
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/thank-you/\?ref="))
    assert SafeguardingConcern.objects.count() == 1

    # The thank-you page offers, kindly, a way to be contacted.
    offer = page.locator("[data-contact-offer]")
    assert "nobody can contact you unless you choose to" in offer.inner_text()
    tab_to(page, "[data-contact-offer] a")
    send(page)
    page.wait_for_url(re.compile(r"/thank-you/contact/\?ref="))
    assert page.get_by_role("heading", level=1).inner_text() == "Ask someone to contact you"
    assert "Childline" in page.get_by_role("main").inner_text()
    problems += axe_lines(page, axe_path, "contact form")

    # How to reach them and when, but the consent box is missed.
    tab_to(page, "#how-to-reach")
    page.keyboard.type(HOW_TO_REACH)
    tab_to(page, "#best-time")
    page.keyboard.type(BEST_TIME)
    tab_to(page, "button[type=submit]")
    send(page)

    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    assert gets_focus(page, ".error-summary"), f"the error summary is not focused: {focused(page)}"
    assert page.title().startswith("Error:")
    link = summary.get_by_role(
        "link", name="Tick the box to say a safeguarding lead can contact you."
    )
    assert link.get_attribute("href") == "#consent"
    assert page.input_value("#how-to-reach") == HOW_TO_REACH
    assert page.input_value("#best-time") == BEST_TIME
    assert not ContactRequest.objects.exists()
    problems += axe_lines(page, axe_path, "contact form with a mistake")

    # The link takes focus to the box; Space ticks it; the details are sent.
    tab_to(page, ".error-summary a[href='#consent']")
    page.keyboard.press("Enter")
    assert gets_focus(page, "#consent"), f"the error link did not reach the box: {focused(page)}"
    assert page.locator("#consent").get_attribute("aria-describedby") == "consent-error"
    page.keyboard.press("Space")
    assert page.is_checked("#consent")
    tab_to(page, "button[type=submit]")
    send(page)

    assert "we have your details" in page.get_by_role("heading", level=1).inner_text().lower()
    problems += axe_lines(page, axe_path, "confirmation")
    made = ContactRequest.objects.get()
    assert made.how_to_reach == HOW_TO_REACH and made.best_time == BEST_TIME
    assert made.consent is True
    assert made.concern == SafeguardingConcern.objects.get()
    assert not problems, "\n".join(problems)
