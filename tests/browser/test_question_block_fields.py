"""A facilitator building a consultation sees only the fields of each question's type.

They open the page editor of a consultation with one question of each type and see, on each,
only its type's fields; they add a question, choose its type, change it, move the question up
and change it again, and the fields follow. If the script that hides fields fails, every field
is there. axe-core finds nothing on the editor. And the form that adds a consultation is not
autosaved, so an editor who leaves it and starts again is not told the address is in use.
"""

import re

import pytest
from playwright.sync_api import expect

from consultations.models import ConsultationPage
from tests.factories import make_consultation
from tests.youthforum.accounts.support import make_user
from youthforum.accounts import roles

from .conftest import axe_lines, sign_in_with_code

pytestmark = pytest.mark.browser

LAPTOP = {"viewport": {"width": 1366, "height": 900}, "is_mobile": False, "has_touch": False}
TYPE_FIELDS = [
    "options",
    "allow_other",
    "max_ranked",
    "character_limit",
    "face_labels",
    "rating_low_label",
    "rating_high_label",
    "about",
]
SHOWN_FOR = {
    "short_text": {"character_limit"},
    "long_text": {"character_limit"},
    "single_choice": {"options", "allow_other", "character_limit"},
    "multiple_choice": {"options", "allow_other", "character_limit"},
    "rating": {"face_labels", "rating_low_label", "rating_high_label"},
    "ranking": {"options", "max_ranked"},
    "about_you": {"about"},
    "": set(),  # a new question before its type is chosen
}


# Wagtail's rich text editor (Draftail, for the introduction) renders its editable area, the only
# ".notranslate" element on the page, as an ARIA textbox without a name of its own: Wagtail's to
# fix, not this page's. DRAFTAIL_ONLY checks that no other element is reported under it.
DRAFTAIL_NAMELESS = "[serious] aria-input-field-name: ARIA input fields must have an accessible"
DRAFTAIL_ONLY = """() => Array.from(document.querySelectorAll(".notranslate"))
    .every(e => e.closest(".Draftail-Editor"))"""


def draftails_own(line: str) -> bool:
    return DRAFTAIL_NAMELESS in line and line.endswith("at [['.notranslate']]")


@pytest.fixture
def facilitator():
    return make_user(roles=[roles.FACILITATORS], email="facilitator@example.org")


def shown_fields(page, prefix: str) -> set[str]:
    return {
        field for field in TYPE_FIELDS if page.locator(f"#id_{prefix}-{field}").first.is_visible()
    }


def wait_for_fields(page, prefix: str, kind: str) -> None:
    """The rules controller resolves a moment (50 ms) after a change: wait until it has."""
    expected = SHOWN_FOR[kind]
    page.wait_for_function(
        """([prefix, fields, expected]) => fields.every(field => {
            const input = document.getElementById(`id_${prefix}-${field}`);
            const shown = !!input && input.checkVisibility();
            return shown === expected.includes(field);
        })""",
        arg=[prefix, TYPE_FIELDS, sorted(expected)],
    )


def test_question_blocks_show_only_the_fields_of_their_type(
    live_home, live_server, new_page, axe_path, facilitator
):
    consultation = make_consultation(live_home, title="Feeling safe", slug="feeling-safe")
    kinds = [q.kind for q in consultation.ordered_questions()]
    edit_url = f"{live_server.url}/admin/pages/{consultation.pk}/edit/"
    page = new_page(**LAPTOP)

    sign_in_with_code(page, edit_url, facilitator, lands_on=r"/edit/$")

    # Each question as saved: only its type's fields.
    for index, kind in enumerate(kinds):
        wait_for_fields(page, f"questions-{index}", kind)
        assert shown_fields(page, f"questions-{index}") == SHOWN_FOR[kind], kind
    assert page.evaluate(DRAFTAIL_ONLY), "a .notranslate element outside Draftail"
    problems = axe_lines(page, axe_path, "page editor")

    # A new question: no type yet, so no type-specific fields; then each type chosen in turn.
    new = f"questions-{len(kinds)}"
    page.locator("#id_questions-ADD").click()
    type_select = page.locator(f"#id_{new}-kind")
    type_select.wait_for()
    wait_for_fields(page, new, "")
    for kind in ["ranking", "rating", "single_choice", "long_text", "about_you"]:
        type_select.select_option(kind)
        wait_for_fields(page, new, kind)
        assert shown_fields(page, new) == SHOWN_FOR[kind], kind

    # Moved up above the last saved question, it still follows its type.
    page.locator(f"#inline_child_{new} [data-inline-panel-child-move-up]").click()
    type_select.select_option("multiple_choice")
    wait_for_fields(page, new, "multiple_choice")
    assert shown_fields(page, new) == SHOWN_FOR["multiple_choice"]
    problems += axe_lines(page, axe_path, "page editor with a new question")

    # If the rules controller never runs (here: taken out of the page as it loads), nothing is
    # hidden: every field of every question is there. (The rest of Wagtail's editor needs
    # JavaScript anyway: with none at all it shows only "JavaScript is required".)
    def without_rules(route):
        response = route.fetch()
        body = response.text().replace('data-controller="w-rules"', "")
        route.fulfill(response=response, body=body)

    failed = new_page(**LAPTOP, storage_state=page.context.storage_state())
    failed.route(re.compile(r"/admin/pages/\d+/edit/$"), without_rules)
    failed.goto(edit_url)
    failed.locator("#id_questions-0-kind").wait_for()
    failed.wait_for_timeout(500)
    for index in range(len(kinds)):
        assert shown_fields(failed, f"questions-{index}") == set(TYPE_FIELDS)

    assert [line for line in problems if not draftails_own(line)] == []


def test_the_add_form_is_not_autosaved_so_starting_again_works(
    live_home, live_server, new_page, facilitator
):
    index = make_consultation(live_home, title="Feeling safe", slug="feeling-safe").get_parent()
    add_url = f"{live_server.url}/admin/pages/add/consultations/consultationpage/{index.pk}/"
    page = new_page(**LAPTOP)
    sign_in_with_code(page, add_url, facilitator, lands_on=r"/add/")

    # Wagtail starts watching for changes two seconds after the form opens; autosave follows
    # half a second after a change.
    page.wait_for_timeout(2_500)
    page.fill("#id_title", "Bus safety")
    page.keyboard.press("Tab")
    page.get_by_text("A new consultation is first saved when you choose").wait_for()
    assert not ConsultationPage.objects.filter(title="Bus safety").exists()

    # The editor leaves and starts again with the same title, and saves a draft.
    page.once("dialog", lambda dialog: dialog.accept())  # "Leave this page?": yes
    page.goto(add_url)
    page.wait_for_load_state("networkidle")  # Wagtail's scripts are listening before typing
    page.fill("#id_title", "Bus safety")
    page.keyboard.press("Tab")  # leaving the title fills in the slug, as for an editor
    expect(page.locator("#id_slug")).to_have_value("bus-safety")
    page.select_option("#id_questions-0-kind", "long_text")
    page.fill("#id_questions-0-text", "What would make the bus feel safer?")
    page.get_by_role("button", name="Save draft").click()

    page.wait_for_url(re.compile(r"/admin/pages/\d+/edit/$"))
    assert "already in use" not in page.content()
    created = ConsultationPage.objects.get(title="Bus safety")
    assert (created.slug, created.live) == ("bus-safety", False)
