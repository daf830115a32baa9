"""A rating with faces on a small phone: a face beside each number's words, picked by tapping it.

Chromium at 375 px wide. The faces are drawn in the page (no script, no image files), so the
choosing works without JavaScript; axe-core checks the page with the faces on it, and the faces
keep to the text colour when Windows-style forced colours are on.
"""

import pytest

from consultations.models import Response

from .conftest import axe_lines

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 375, "height": 812}
MOOD_WORDS = ["1 – Very unhappy", "2 – Unhappy", "3 – Not sure", "4 – Happy", "5 – Very happy"]


def faces_question(consultation):
    return next(q for q in consultation.ordered_questions() if q.face_labels)


def drawn_options(page, question) -> list[dict]:
    """Where each option's radio button, face and words are on screen, and how they look."""
    return page.evaluate(
        """name => Array.from(document.querySelectorAll(`input[name="${name}"]`)).map(input => {
            const label = document.querySelector(`label[for="${input.id}"]`);
            const face = label.querySelector("svg");
            const words = document.createRange();
            words.selectNodeContents(label);
            if (face) words.setEndBefore(face);
            const box = el => {
                const r = el.getBoundingClientRect();
                return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                        width: r.width, height: r.height};
            };
            const faceStyle = face && getComputedStyle(face.querySelector("circle"));
            return {
                words: words.toString().trim(),
                radio: box(input),
                face: face && box(face),
                text: box(words),
                fontSize: parseFloat(getComputedStyle(label).fontSize),
                labelColour: getComputedStyle(label).color,
                stroke: faceStyle && faceStyle.stroke,
            };
        })""",
        question.field_name,
    )


def overlaps_vertically(a: dict, b: dict) -> bool:
    return a["top"] < b["bottom"] and b["top"] < a["bottom"]


def test_each_number_shows_its_face_beside_its_words_and_a_tap_on_a_face_chooses_it(
    consultation, live_server, new_page
):
    school = faces_question(consultation)
    page = new_page(viewport=SMALL_PHONE, java_script_enabled=False)
    page.goto(live_server.url + consultation.url)

    options = drawn_options(page, school)
    assert [o["words"] for o in options] == MOOD_WORDS
    for option in options:
        face, radio, text = option["face"], option["radio"], option["text"]
        assert face is not None, f"{option['words']} has no face"
        # Big enough to see, and sized by the text: twice its height, more or less.
        assert face["width"] >= 24
        assert face["width"] == pytest.approx(2 * option["fontSize"], abs=1)
        # On the same line as its radio button and words, between the two.
        assert overlaps_vertically(face, radio)
        assert overlaps_vertically(face, text)
        assert radio["right"] <= face["left"] < face["right"] <= text["left"]
        assert option["stroke"] == option["labelColour"], "lines drawn in the text colour"
    # The faces line up, one under the other.
    assert len({round(o["face"]["left"]) for o in options}) == 1
    assert page.evaluate("() => document.documentElement.scrollWidth") <= SMALL_PHONE["width"]

    page.locator(f"label[for='{school.field_name}-3'] svg").click()
    assert page.locator(f"#{school.field_name}-3").is_checked()
    page.get_by_text("4 – Happy").click()  # the words choose it too
    assert page.locator(f"#{school.field_name}-3").is_checked()
    page.locator(f"label[for='{school.field_name}-1'] svg").click()
    assert page.locator(f"#{school.field_name}-1").is_checked()
    assert not page.locator(f"#{school.field_name}-3").is_checked()

    page.get_by_label("What would make you feel safer?").fill("More lights")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert "/thank-you/" in page.url
    assert Response.objects.get().answers.get(question=school).rating == 2


def test_the_faces_pass_axe_and_keep_to_the_text_colour_in_forced_colours(
    consultation, live_server, new_page, axe_path
):
    school = faces_question(consultation)
    page = new_page(viewport=SMALL_PHONE)
    page.goto(live_server.url + consultation.url)
    page.locator(f"label[for='{school.field_name}-4'] svg").click()
    assert page.locator(f"#{school.field_name}-4").is_checked()
    # Screen readers hear the words alone: each face is hidden from them.
    radio = page.get_by_role("radio", name="5 – Very happy", exact=True)
    assert radio.is_checked()
    problems = axe_lines(page, axe_path, "consultation with a faces rating")

    page.emulate_media(forced_colors="active")
    for option in drawn_options(page, school):
        assert option["face"]["width"] > 0
        assert option["stroke"] == option["labelColour"], option["words"]
    problems += axe_lines(page, axe_path, "consultation with a faces rating, forced colours")
    assert not problems, "\n".join(problems)
