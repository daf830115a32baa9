"""A young person answers a consultation on a phone, by keyboard only, and is helped past a mistake.

Chromium at a phone viewport, driven with nothing but Tab, Space, the arrow keys, End, Enter and
typing. axe-core checks every page visited against WCAG 2.x A and AA; a serious or critical
violation fails the test.
"""

import re

import pytest

from consultations.models import Answer, Layout, QuestionKind, Response
from consultations.models.responses import REFERENCE_ALPHABET, REFERENCE_LENGTH
from tests.factories import (
    ConsultationIndexPageFactory,
    ConsultationPageFactory,
    QuestionFactory,
)

from .conftest import run_axe

pytestmark = pytest.mark.browser

FAILING_IMPACTS = {"serious", "critical"}
REFERENCE = re.compile(rf"^[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}$")
SMALLEST_PHONE = {"width": 320, "height": 640}
HONEYPOT_ID = "id-website"


def axe_problems(page, axe_path, name: str) -> list[str]:
    """Serious and critical WCAG 2.x A/AA violations on the page (all are printed, for -rP)."""
    violations = run_axe(page, axe_path)
    lines = []
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.extend(f"      at {node['target']}" for node in violation["nodes"])
    if lines:
        print(f"axe on the {name} ({page.url}):\n" + "\n".join(lines))
    failing = [v for v in violations if v["impact"] in FAILING_IMPACTS]
    return [f"{name}: [{v['impact']}] {v['id']}: {v['help']}" for v in failing]


def focused(page) -> dict:
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            return {id: el.id, tag: el.tagName.toLowerCase(), text: el.textContent.trim(),
                    name: el.getAttribute('name'), value: el.value};
        }"""
    )


def tab_to(page, selector: str, *, presses: int = 80) -> None:
    """Press Tab until ``selector`` has focus, as someone using a keyboard would.

    Fails if the element cannot be reached, or if the spam trap is ever reached on the way.
    """
    target = page.locator(selector)
    for _ in range(presses):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["id"] != HONEYPOT_ID, "the hidden spam-trap box can be reached with Tab"
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{selector} could not be reached with Tab in {presses} presses")


def gets_focus(page, selector: str, *, within_ms: int = 3_000) -> bool:
    """Whether ``selector`` has focus now or soon: autofocus and fragment links act a bit late."""
    target = page.locator(selector)
    for _ in range(within_ms // 100):
        if target.evaluate("el => el === document.activeElement"):
            return True
        page.wait_for_timeout(100)
    return False


def send(page, key: str = "Enter") -> None:
    """Press ``key`` on the focused button or link and wait for the next page to load."""
    with page.expect_navigation():
        page.keyboard.press(key)


def sticking_out(page, width: int) -> str:
    """Empty if the page fits ``width``; otherwise what sticks out, for the failure message."""
    if page.evaluate("() => document.documentElement.scrollWidth") <= width:
        return ""
    return ", ".join(
        page.evaluate(
            """width => Array.from(document.body.querySelectorAll('*'))
                .filter(el => el.getBoundingClientRect().right > width + 0.5)
                .slice(0, 10)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                           + ' right=' + Math.round(el.getBoundingClientRect().right))""",
            width,
        )
    )


def questions_by_kind(consultation) -> dict:
    found = {}
    for question in consultation.ordered_questions():
        found.setdefault(question.kind, question)
    return found


def test_a_young_person_misses_a_required_answer_fixes_it_by_keyboard_and_is_thanked(
    consultation, live_server, new_page, axe_path
):
    q = questions_by_kind(consultation)
    name, safer = q[QuestionKind.SHORT_TEXT], q[QuestionKind.LONG_TEXT]
    travel, unsafe, ranking = (
        q[QuestionKind.SINGLE_CHOICE],
        q[QuestionKind.MULTIPLE_CHOICE],
        q[QuestionKind.RANKING],
    )
    problems = []
    page = new_page()
    page.goto(live_server.url + consultation.url)
    problems += axe_problems(page, axe_path, "form")

    # Some answers, by keyboard, but not the one that must be answered.
    tab_to(page, f"#{name.field_name}")
    page.keyboard.type("Sam")
    tab_to(page, f"#{travel.field_name}-0")  # into the radio group: Bus
    page.keyboard.press("ArrowDown")  # Walk
    tab_to(page, f"#{unsafe.field_name}-1")
    page.keyboard.press("Space")  # Bus stop
    tab_to(page, f"#{ranking.field_name}-rank-1")
    page.keyboard.press("ArrowDown")  # the first option
    tab_to(page, "button[type=submit]")
    send(page)

    # Back comes the form, with a summary of what is wrong, and nothing saved.
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    assert gets_focus(page, ".error-summary"), f"the error summary is not focused: {focused(page)}"
    assert page.title().startswith("Error:")
    link = summary.get_by_role(
        "link", name="What would make you feel safer? – write your answer to this question"
    )
    assert link.get_attribute("href") == f"#{safer.field_name}"
    assert Response.objects.count() == 0
    problems += axe_problems(page, axe_path, "form with a mistake")

    # Everything typed or chosen before is still there.
    assert page.input_value(f"#{name.field_name}") == "Sam"
    assert page.is_checked(f"#{travel.field_name}-1")
    assert page.is_checked(f"#{unsafe.field_name}-1")
    assert page.input_value(f"#{ranking.field_name}-rank-1") == "Mental health"

    # The link in the summary takes focus to the question; the answer goes in; it is sent.
    tab_to(page, f".error-summary a[href='#{safer.field_name}']")
    page.keyboard.press("Enter")
    assert gets_focus(page, f"#{safer.field_name}"), (
        f"the error link did not move focus to the question; {focused(page)} has it"
    )
    assert (
        page.locator(f"#{safer.field_name}")
        .get_attribute("aria-describedby")
        .endswith(f"{safer.field_name}-error")
    ), "the error message is not read out with the question"
    page.keyboard.type("More youth workers in the park")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/thank-you/\?ref="))

    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE.match(reference), f"{reference!r} is not a reference code"
    thanks = page.get_by_role("main")
    assert "Childline" in thanks.inner_text()
    assert thanks.get_by_role("link", name="0800 1111").get_attribute("href") == "tel:08001111"
    problems += axe_problems(page, axe_path, "thank-you page")

    saved = Response.objects.get()
    assert saved.reference == reference
    answers = {a.question_id: a for a in Answer.objects.filter(response=saved)}
    assert answers[name.pk].text == "Sam"
    assert answers[safer.pk].text == "More youth workers in the park"
    assert answers[travel.pk].choices == ["Walk"]
    assert answers[unsafe.pk].choices == ["Bus stop"]
    assert answers[ranking.pk].choices == ["Mental health"]
    assert not problems, "\n".join(problems)


def test_the_form_and_its_errors_fit_the_smallest_phone(consultation, live_server, new_page):
    width = SMALLEST_PHONE["width"]
    page = new_page(viewport=SMALLEST_PHONE)
    page.goto(live_server.url + consultation.url)
    overflow = sticking_out(page, width)
    assert not overflow, f"the form scrolls sideways at {width}px: {overflow}"

    tab_to(page, "button[type=submit]")
    send(page)  # nothing answered: the form comes back with errors
    assert page.locator(".error-summary").is_visible()
    overflow = sticking_out(page, width)
    assert not overflow, f"the form with errors scrolls sideways at {width}px: {overflow}"


@pytest.fixture
def stepped(live_home):
    """An open consultation asked one question at a time, on the live server."""
    index = ConsultationIndexPageFactory(parent=live_home)
    page = ConsultationPageFactory(
        parent=index, title="Getting around", slug="getting-around", layout=Layout.STEPS
    )
    QuestionFactory(page=page, kind=QuestionKind.LONG_TEXT, text="What would help?", required=True)
    QuestionFactory(
        page=page,
        kind=QuestionKind.SINGLE_CHOICE,
        text="How do you get to school?",
        options="Bus\nWalk\nCar",
    )
    QuestionFactory(page=page, kind=QuestionKind.RATING, text="How easy is it?", face_labels=True)
    return page


def test_step_by_step_by_keyboard_with_a_mistake_a_change_and_a_check(
    stepped, live_server, new_page, axe_path
):
    helps, travel, rating = list(stepped.ordered_questions())
    problems = []
    page = new_page()
    page.goto(live_server.url + stepped.url)
    problems += axe_problems(page, axe_path, "start page")
    tab_to(page, "a.button--start")
    page.keyboard.press("Enter")

    # Question 1: Continue without an answer, then follow the error to the box.
    page.wait_for_url(re.compile(r"/questions/1/(#.*)?$"))
    problems += axe_problems(page, axe_path, "question 1")
    tab_to(page, "button[type=submit]")
    send(page)
    summary = page.locator(".error-summary")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    assert gets_focus(page, ".error-summary")
    problems += axe_problems(page, axe_path, "question 1 with a mistake")
    tab_to(page, f".error-summary a[href='#{helps.field_name}']")
    page.keyboard.press("Enter")
    assert gets_focus(page, f"#{helps.field_name}")
    page.keyboard.type("Cheaper buses")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    # Question 2: a radio button, chosen with the arrow keys.
    page.wait_for_url(re.compile(r"/questions/2/(#.*)?$"))
    problems += axe_problems(page, axe_path, "question 2")
    tab_to(page, f"#{travel.field_name}-0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Car
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    # Question 3 is optional: skip it.
    page.wait_for_url(re.compile(r"/questions/3/(#.*)?$"))
    problems += axe_problems(page, axe_path, "question 3")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")

    # Check your answers, change the first, and come straight back.
    page.wait_for_url(re.compile(r"/check/(#.*)?$"))
    problems += axe_problems(page, axe_path, "check your answers")
    answers = page.locator(".summary-list--answers")
    assert "Cheaper buses" in answers.inner_text()
    assert "Car" in answers.inner_text()
    tab_to(page, "a[href$='/questions/1/?return=check']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/questions/1/\?return=check$"))
    assert page.input_value(f"#{helps.field_name}") == "Cheaper buses"
    tab_to(page, f"#{helps.field_name}")
    page.keyboard.press("End")
    page.keyboard.type(" and more of them")
    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/check/(#.*)?$"))
    assert "Cheaper buses and more of them" in answers.inner_text()
    assert Response.objects.count() == 0, "answers were sent before the young person sent them"

    tab_to(page, "button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/thank-you/\?ref="))
    reference = page.locator(".reference").inner_text().strip()
    assert REFERENCE.match(reference)
    problems += axe_problems(page, axe_path, "thank-you page")

    saved = Response.objects.get()
    assert saved.reference == reference
    answers_saved = {a.question_id: a for a in saved.answers.all()}
    assert answers_saved[helps.pk].text == "Cheaper buses and more of them"
    assert answers_saved[travel.pk].choices == ["Car"]
    assert rating.pk not in answers_saved
    assert not problems, "\n".join(problems)
