"""Profanity and slurs: word clouds drop them, quotes mask them, ordinary words are safe."""

from __future__ import annotations

import pytest
import yaml

from consultations.analysis.profanity import DEFAULT_PATH, ProfanityList, is_profane, mask


@pytest.mark.parametrize(
    "token",
    [
        "fuck",
        "FUCK",
        "Fucking",
        "fuckin",
        "motherfucker",
        "shit",
        "shitty",
        "bullshit",
        "bitches",
        "dickhead",
        "wanker",
        "arsed",
        "twats",
        "pissed",
        "cunt",
    ],
)
def test_swearing_and_its_endings_are_profane(token):
    assert is_profane(token)


@pytest.mark.parametrize(
    "token", ["sh1t", "5h1t", "b!tch", "b1tch", "@$$", "a$$hole", "fvck", "c0ck", "p1ss", "7wat"]
)
def test_leetspeak_is_seen_through(token):
    assert is_profane(token)


@pytest.mark.parametrize("token", ["fuuuuck", "shiiiit", "FUUUCK", "biiitch", "asss"])
def test_stretched_letters_are_seen_through(token):
    assert is_profane(token)


@pytest.mark.parametrize("token", ["f**k", "f***", "sh*t", "c*nt", "b*tch", "f*cking"])
def test_asterisks_standing_for_letters_count(token):
    assert is_profane(token)


@pytest.mark.parametrize("token", ["retard", "retarded", "spastic", "paki", "pakis", "faggot"])
def test_slurs_are_profane(token):
    assert is_profane(token)


@pytest.mark.parametrize(
    "token",
    [
        "Scunthorpe",
        "class",
        "assess",
        "assassin",
        "passing",
        "cocktail",
        "cockpit",
        "Dickens",
        "cumin",
        "spicy",
        "Sussex",
        "shitake",
        "hello",
        "h3ll0",
        "A55",
        "m8",
        "gr8",
        "5318008",
        "****",
        "",
        "  ",
    ],
)
def test_ordinary_words_numbers_and_road_names_are_not_profane(token):
    assert not is_profane(token)


@pytest.mark.parametrize(
    "token",
    ["fag", "fags", "gay", "queer", "crap", "bloody", "damn", "sex", "rape", "porn", "abuse"],
)
def test_words_left_out_on_purpose_are_not_masked(token):
    # Cigarettes, identities, mild words, and topics a consultation must be able to report.
    assert not is_profane(token)


def test_slagged_off_is_criticism_not_a_slur():
    assert not is_profane("slagged")
    assert is_profane("slag")


def test_doubling_a_letter_does_not_make_another_word_profane():
    assert not is_profane("assess")  # "asses" with a doubled s
    assert not is_profane("fuuck")  # two letters is a typo; three or more is stretching


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this is fucking unfair", "this is f****** unfair"),
        ("school is sh1t!!", "school is s***!!"),
        ("you b!tch.", "you b****."),
        ("(fuck) off", "(f***) off"),
        ("WTF is this", "W** is this"),
        ("a $hitty place", "a $***** place"),
        ("Scunthorpe is fine, class", "Scunthorpe is fine, class"),
        ("  spacing  stays  ", "  spacing  stays  "),
        ("", ""),
    ],
)
def test_mask_keeps_the_first_letter_and_everything_around_the_word(text, expected):
    assert mask(text) == expected


def test_masking_masked_text_changes_nothing():
    once = mask("this is fucking shit, you twat")
    assert once == "this is f****** s***, you t***"
    assert mask(once) == once


def test_mask_uses_another_character_if_asked():
    assert mask("shit", char="#") == "s###"


def test_the_bundled_list_is_reviewable_yaml_with_sections():
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    assert set(data) == {"swearing", "sexual", "slurs"}
    for lists in data.values():
        assert set(lists) <= {"inflect", "exact"}
        for words in lists.values():
            assert words == sorted(words)
            assert all(w == w.strip().lower() for w in words)
    assert DEFAULT_PATH.read_text(encoding="utf-8").startswith("# ")


def test_an_organisation_can_use_its_own_list(tmp_path):
    path = tmp_path / "words.yaml"
    path.write_text("local:\n  inflect: [frick]\n  exact: [heck]\n", encoding="utf-8")
    words = ProfanityList.from_yaml(path)
    assert is_profane("fricking", words=words)
    assert is_profane("heck", words=words)
    assert not is_profane("hecking", words=words)
    assert not is_profane("fuck", words=words)
    assert mask("oh heck", words=words) == "oh h***"


def test_a_malformed_list_is_refused(tmp_path):
    path = tmp_path / "words.yaml"
    path.write_text("local:\n  words: [heck]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="inflect"):
        ProfanityList.from_yaml(path)
