"""In Chromium: send, press Back, send again: the same thank-you page, one response stored.

Chromium loads the page afresh after Back; sending the page as it was again (the same token) is
tested with Django's test client in tests/consultations/test_form_double_send.py and
test_form_answer_again.py. "Answer again" (where a consultation allows it) starts a new form.
"""

import re

import pytest

from consultations.models import Layout, QuestionKind, Response

from .conftest import axe_lines

pytestmark = pytest.mark.browser

THANK_YOU = re.compile(r"/thank-you/\?ref=")


def safer(page):
    return next(q for q in page.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)


def reference_on(page) -> str:
    return page.locator(".reference").inner_text().strip()


def test_back_and_send_again_on_one_page(consultation, live_server, new_page, axe_path):
    page = new_page()
    page.goto(live_server.url + consultation.url)
    page.fill(f"#{safer(consultation).field_name}", "Lights on the path")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(THANK_YOU)
    first = reference_on(page)

    # Chromium loads the page afresh after Back (a fresh form would have a fresh token, and
    # used to store a second response). It says the answers were sent, and links to them.
    page.go_back()
    assert page.get_by_role("heading", name="You have sent your answers").is_visible()
    assert page.get_by_role("button", name="Send my answers").count() == 0
    assert page.get_by_role("button", name="Answer again").count() == 0  # not allowed here
    problems = axe_lines(page, axe_path, "consultation page after sending")
    page.get_by_role("link", name="See your thank-you page and reference").click()
    page.wait_for_url(THANK_YOU)
    assert reference_on(page) == first
    assert not problems, "\n".join(problems)
    assert Response.objects.count() == 1


def test_back_and_send_again_on_the_check_page_then_answer_again(
    consultation, live_server, new_page, axe_path
):
    consultation.layout = Layout.STEPS
    consultation.allow_answer_again = True
    consultation.save_revision().publish()
    number = list(consultation.ordered_questions()).index(safer(consultation)) + 1
    page = new_page()
    page.goto(f"{live_server.url}{consultation.url}questions/{number}/")
    page.fill(f"#{safer(consultation).field_name}", "Lights on the path")
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{live_server.url}{consultation.url}check/")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(THANK_YOU)
    first = reference_on(page)
    problems = axe_lines(page, axe_path, "thank-you page with Answer again")

    # Back reloads "check your answers", whose draft is gone: it leads to the consultation's
    # page, which says the answers were sent; the steps lead there too.
    page.go_back()
    assert page.get_by_role("heading", name="You have sent your answers").is_visible()
    page.goto(f"{live_server.url}{consultation.url}questions/{number}/")
    assert page.get_by_role("heading", name="You have sent your answers").is_visible()
    assert Response.objects.count() == 1

    page.get_by_role("button", name="Answer again").click()
    page.wait_for_url(re.compile(r"/questions/1/$"))
    page.goto(f"{live_server.url}{consultation.url}questions/{number}/")
    assert page.input_value(f"#{safer(consultation).field_name}") == ""
    page.fill(f"#{safer(consultation).field_name}", "A second young person's answer")
    page.get_by_role("button", name="Continue").click()
    page.goto(f"{live_server.url}{consultation.url}check/")
    page.get_by_role("button", name="Send my answers").click()
    page.wait_for_url(THANK_YOU)
    assert reference_on(page) != first
    assert Response.objects.count() == 2
    assert not problems, "\n".join(problems)
