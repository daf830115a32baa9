"""A facilitator codes answers with the keyboard alone on a laptop-sized screen.

They sign in with an authenticator code, open the coding screen of a consultation whose
codebook has the starter's 15 themes, and find every theme, the answer and "Save and next" on
one 1366 × 768 screen; a theme's key ticks it, Enter saves the answer with the answers that say
the same thing, and the next answer appears. axe-core finds nothing on either page.
"""

import re

import pytest

from consultations.models import Answer
from consultations.themes.models import HumanCoding
from consultations.themes.services import codebooks
from consultations.themes.services import theme_coding as coding
from tests.consultations.themes.support import add_answer
from tests.factories import make_consultation
from tests.youthforum.accounts.support import make_user
from youthforum.accounts import roles

from .conftest import axe_lines, sign_in_with_code

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1366, "height": 768}, "is_mobile": False, "has_touch": False}
LATE_BUSES = "I would feel safer with staff on the late buses"
TEXTS = [
    *[LATE_BUSES] * 4,
    "i would feel safer with staff on the late buses!!",
    "More youth workers around the park in the evenings",
    "Somewhere warm and safe to go after school",
    "Someone to talk to when exams get too much",
]


@pytest.fixture
def consultation(live_home):
    page = make_consultation(live_home, title="Feeling safe", slug="feeling-safe")
    codebook = codebooks.copy_codebook(
        codebooks.starter_codebook(), name="Themes", consultation=page
    )
    for text in TEXTS:
        add_answer(page, text)
    coding.recode(codebook)
    return page


def first_late_buses(consultation) -> int:
    """The first "late buses" answer, to open the screen on it whatever the model's order."""
    return (
        Answer.objects.filter(question__page=consultation, redacted_text=LATE_BUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def within_viewport(page, locator) -> bool:
    """The element is wholly on screen (the buttons stick to the bottom of the window when the
    form is taller than it, so the test also checks the themes end above them)."""
    box = locator.bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def test_facilitator_codes_a_group_with_the_keyboard_on_one_screen(
    consultation, live_server, new_page, axe_path
):
    facilitator = make_user(roles=[roles.FACILITATORS], email="facilitator@example.org")
    page = new_page(**LAPTOP)
    coding_url = f"{live_server.url}/admin/consultations/{consultation.pk}/coding/"
    problems = []

    sign_in_with_code(page, coding_url, facilitator, lands_on=r"/coding/$")
    page.goto(f"{coding_url}?answer={first_late_buses(consultation)}")
    page.wait_for_selector("[data-coding-form]")

    themes = page.locator("input[name=themes]")
    assert themes.count() == 15
    assert [themes.nth(i).get_attribute("data-key") for i in (0, 8, 9, 14)] == [
        "1",
        "9",
        "a",
        "f",
    ]
    assert "5 answers say this" in page.inner_text("[data-group-size]")
    save = page.get_by_role("button", name="Save and next")
    assert within_viewport(page, save), "“Save and next” is below the fold at 1366 × 768"
    assert within_viewport(page, page.locator(".coding-answer"))
    last_theme = page.locator(".coding-theme").nth(14).bounding_box()
    assert within_viewport(page, page.locator(".coding-theme").nth(14))
    assert last_theme["y"] + last_theme["height"] <= save.bounding_box()["y"], (
        "the last theme is hidden behind the buttons"
    )
    problems += axe_lines(page, axe_path, "coding screen", after_messages=True)

    # Keyboard only: untick whatever was suggested, tick the 10th theme with "a", save with Enter.
    for i in range(themes.count()):
        if themes.nth(i).is_checked():
            page.keyboard.press(themes.nth(i).get_attribute("data-key"))
    page.keyboard.press("a")
    tenth = themes.nth(9).get_attribute("value")
    assert themes.nth(9).is_checked()
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Saved 5 answers with 1 theme.")

    codings = HumanCoding.objects.filter(answer__redacted_text__iregex=r"late buses")
    assert codings.count() == 5
    assert {tuple(c.themes.values_list("pk", flat=True)) for c in codings} == {(int(tenth),)}
    shown = page.inner_text(".coding-answer")
    assert "late buses" not in shown
    assert re.search(r"5 of 8 answers coded", page.inner_text("main"))
    assert within_viewport(page, save), "with the “Saved” message, “Save and next” moved below"
    problems += axe_lines(page, axe_path, "next answer", after_messages=True)

    assert not problems, "\n".join(problems)
