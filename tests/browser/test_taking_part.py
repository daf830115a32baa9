"""After sending, a young person on a phone answers "what was taking part like?" by keyboard
(#17, item 2).

Chromium at a phone viewport. The thank-you page keeps its reference and offers the optional
step below it; sending it empty shows the error summary (focused, nothing saved); choosing
answers with the arrow keys and sending thanks them on the same page. axe-core finds nothing on
the page with the step, with its error and after sending.
"""

import re

import pytest

from consultations.models import QuestionKind, Response, TakingPartFeedback

from .conftest import axe_lines
from .test_answer_consultation import focused, gets_focus, send, tab_to

pytestmark = pytest.mark.browser


def test_a_young_person_tells_us_what_taking_part_was_like_by_keyboard(
    consultation, live_server, new_page, axe_path
):
    safer = consultation.questions.get(kind=QuestionKind.LONG_TEXT)
    problems = []
    page = new_page()
    page.goto(live_server.url + consultation.url)
    tab_to(page, f"#{safer.field_name}")
    page.keyboard.type("More youth clubs open late")
    tab_to(page, "button[type=submit]")
    send(page)
    page.wait_for_url(re.compile(r"/thank-you/\?ref="))
    reference = Response.objects.get().reference

    step = page.locator("[data-taking-part]")
    assert reference in page.get_by_role("main").inner_text()
    assert step.is_visible()
    assert "What you tell us here is kept apart" in step.inner_text()
    problems += axe_lines(page, axe_path, "thank-you page with the step")

    # Sent with nothing chosen: the error summary, focused, and nothing saved.
    tab_to(page, "[data-taking-part] button[type=submit]")
    send(page)
    summary = page.locator(".error-summary")
    assert gets_focus(page, ".error-summary"), f"the error summary is not focused: {focused(page)}"
    assert "Answer at least one question" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert reference in page.get_by_role("main").inner_text()
    assert not TakingPartFeedback.objects.exists()
    problems += axe_lines(page, axe_path, "the step with its error")

    # Tab reaches each group; an arrow key chooses within it.
    tab_to(page, "#taking-part-understood-yes")
    page.keyboard.press("ArrowDown")  # "A bit"
    tab_to(page, "#taking-part-again-yes")
    page.keyboard.press("Space")
    tab_to(page, "#taking-part-anything-else")
    page.keyboard.type("Some words were hard")
    tab_to(page, "[data-taking-part] button[type=submit]")
    send(page)

    assert "Thank you for telling us what taking part was like" in step.inner_text()
    assert reference in page.get_by_role("main").inner_text()
    problems += axe_lines(page, axe_path, "after sending the step")
    feedback = TakingPartFeedback.objects.get()
    assert (feedback.understood, feedback.listened, feedback.again) == ("a-bit", "", "yes")
    assert feedback.anything_else == "Some words were hard"
    assert not problems, "\n".join(problems)


def test_skip_is_a_link_that_keeps_the_thank_you_page(consultation, live_server, new_page):
    safer = consultation.questions.get(kind=QuestionKind.LONG_TEXT)
    page = new_page()
    page.goto(live_server.url + consultation.url)
    page.fill(f"#{safer.field_name}", "Lights in the park")
    with page.expect_navigation():
        page.click("button[type=submit]")

    tab_to(page, "[data-taking-part-skip]")
    send(page)

    assert "Thank you: your answers have been sent" in page.get_by_role("main").inner_text()
    assert page.locator("[data-taking-part]").count() == 0
    assert not TakingPartFeedback.objects.exists()
