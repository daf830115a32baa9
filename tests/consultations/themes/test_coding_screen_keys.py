"""Every theme has a key, shown beside it; the screen still works as plain checkboxes."""

import pytest

from consultations.themes import selectors
from consultations.themes.models import HumanCoding
from tests.consultations.themes.screen_support import screen_url, signed_in
from tests.consultations.themes.support import add_answer, make_codebook
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

__all__ = ["signed_in"]

FIFTEEN = {f"Theme {n}": [f"word{n}"] for n in range(1, 16)}


def test_keys_are_digits_then_letters_without_the_skip_key():
    assert selectors.theme_keys(15) == [*"123456789", *"abcdef"]
    many = selectors.theme_keys(40)
    assert "s" not in many
    assert many[9 + 18 - 1] == "r" and many[9 + 18] == "t"
    assert many[9 + 25 :] == [""] * 6  # 9 digits and 25 letters, then none


def test_reserved_letters_are_skipped_whatever_their_case():
    assert selectors.theme_keys(12, reserved={"A", "s"}) == [*"123456789", *"bcd"]


def test_every_one_of_fifteen_themes_shows_its_key(signed_in, home):
    consultation = make_consultation(home)
    codebook = make_codebook(consultation, themes=FIFTEEN)
    answer = add_answer(consultation, "Something to code")

    response = signed_in.get(screen_url(consultation, answer=answer.pk))

    html = response.content.decode()
    themes = list(codebook.themes.order_by("sort_order"))
    for key, theme in zip([*"123456789", *"abcdef"], themes, strict=True):
        assert f'data-key="{key}" aria-keyshortcuts="{key}"' in html
        assert f'<kbd aria-hidden="true">{key}</kbd>' in html
        assert f'id="theme-{theme.pk}"' in html
    assert "a theme’s key ticks or unticks it" in html


def test_without_javascript_ticked_boxes_and_the_save_button_save_the_themes(signed_in, home):
    consultation = make_consultation(home)
    codebook = make_codebook(consultation, themes=FIFTEEN)
    answer = add_answer(consultation, "Something to code")
    tenth, fifteenth = codebook.themes.order_by("sort_order")[9], codebook.themes.last()

    signed_in.post(
        screen_url(consultation),
        {"answer": answer.pk, "themes": [tenth.pk, fifteenth.pk], "action": "save"},
    )

    coding = HumanCoding.objects.get(answer=answer)
    assert set(coding.themes.all()) == {tenth, fifteenth}
