"""Reading answers as young people write them: normalising, tokens, folding, phrases, terms."""

import pytest

from consultations.analysis.text import (
    FILLER_WORDS,
    STOP_WORDS,
    PhraseSet,
    build_phrases,
    default_phrases,
    extend_stop_words,
    find_phrases,
    fold,
    normalise,
    terms,
    tokens,
)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("I DON\u2019T know", "i do not know"),
        ("dont", "do not"),
        ("we're sure they'll go", "we are sure they will go"),
        ("the school's field", "the school field"),
        ("u r gonna love it", "you are going to love it"),
        ("idk tbh", "i do not know to be honest"),
        ("my favorite color", "my favourite colour"),
        ("sooooo boring", "so boring"),
        ("fuuuun", "fun"),
        ("goooood", "good"),
        ("nooooo", "no"),
        ("park \U0001f622\U0001f622 sad", "park    sad"),
        ("\u2764\ufe0f youth club", "   youth club"),
        ("\U0001f44d\U0001f3fd yes", "   yes"),
        ("bus & train", "bus and train"),
        ("\u201cquoted\u201d", '"quoted"'),
    ],
)
def test_normalise_reads_text_speak_contractions_spellings_and_emoji(written, read):
    assert normalise(written) == read


def test_tokens_drop_punctuation_and_redaction_tokens():
    assert tokens("[name] said: the [school] bus?! Was LATE... again") == [
        "said",
        "the",
        "bus",
        "was",
        "late",
        "again",
    ]


def test_tokens_of_empty_or_symbol_only_text_are_empty():
    assert tokens("") == []
    assert tokens("\U0001f602\U0001f602 !!! ...") == []


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("clubs", "club"),
        ("buses", "bus"),
        ("parties", "party"),
        ("cities", "city"),
        ("churches", "church"),
        ("boxes", "box"),
        ("classes", "class"),
        ("houses", "house"),
        ("causes", "cause"),
        ("headaches", "headache"),
        ("movies", "movie"),
        ("children", "child"),
        ("knives", "knife"),
        ("lies", "lie"),
        # left alone
        ("bus", "bus"),
        ("news", "news"),
        ("less", "less"),
        ("glasses", "glasses"),
        ("crisis", "crisis"),
        ("nervous", "nervous"),
        ("series", "series"),
        ("police", "police"),
        ("bullying", "bullying"),
        ("gas", "gas"),
    ],
)
def test_fold_turns_plurals_into_singulars_with_exceptions(word, folded):
    assert fold(word) == folded


def test_stop_words_hold_english_words_and_filler():
    assert {"the", "and", "would"} <= STOP_WORDS
    assert {"like", "literally", "basically", "really"} <= FILLER_WORDS <= STOP_WORDS
    # Words that carry a view are kept on purpose.
    assert not {"safe", "scared", "help", "bored", "listen"} & STOP_WORDS


def test_terms_leave_out_stop_words_filler_numbers_and_profanity():
    counted = terms("Literally the buses are like SO shit and basically 2 late, fucking buses")
    assert counted == {"bus": 2, "late": 1}


def test_terms_keep_known_phrases_as_one_term():
    counted = terms("Mental health support, knife crime and County Lines. More youth clubs!")
    assert counted == {
        "mental health": 1,
        "support": 1,
        "knife crime": 1,
        "county lines": 1,
        "youth club": 1,
    }


def test_phrases_match_their_folded_forms_and_phrases_with_stop_words():
    counted = terms("There are no things to do and the youth club closed")
    assert counted == {"things to do": 1, "youth club": 1, "closed": 1}


def test_terms_never_include_redaction_tokens():
    assert terms("[name] from [school] at [place] said [phone]") == {}


def test_terms_can_use_other_stop_words_and_phrases():
    phrases = PhraseSet(["skate park"])
    assert terms("a skate park and a park", phrases=phrases) == {"skate park": 1, "park": 1}
    assert terms("a skate park", stop_words=frozenset({"a", "skate"}), phrases=PhraseSet()) == {
        "park": 1
    }


def test_extend_stop_words_adds_a_consultations_own_words_folded():
    extended = extend_stop_words("Clubs\n\n  Youth Club  \nCOUNTY LINE")
    assert {"club", "youth club", "county lines"} <= extended
    assert extended >= STOP_WORDS
    counted = terms("clubs, youth clubs and county lines and parks", stop_words=extended)
    assert counted == {"park": 1}


def test_phrase_set_refuses_profane_and_single_word_phrases():
    phrases = PhraseSet(["bus pass", "shit show", "park"])
    assert list(phrases) == ["bus pass"]
    assert "bus passes" in phrases
    assert "shit show" not in phrases


def test_bundled_phrases_include_the_partnership_priorities():
    for phrase in ("mental health", "knife crime", "youth club", "county lines"):
        assert phrase in default_phrases()


SKATE = [
    "we need a pump track",
    "pump track please",
    "the pump track is broken",
    "fix the pump track",
    "pump track lights",
    "more buses please",
    "buses at night",
    "park lights",
    "night buses and lights",
    "we need more to do",
]


def test_find_phrases_finds_pairs_used_together_more_than_by_chance():
    found = find_phrases(SKATE, min_count=3, min_pmi=1.0)
    assert found == ["pump track"]


def test_find_phrases_needs_enough_uses():
    assert find_phrases(SKATE, min_count=6, min_pmi=1.0) == []


def test_found_phrases_join_the_bundled_ones_and_become_terms():
    phrases = build_phrases(SKATE, min_count=3, min_pmi=1.0)
    assert "pump track" in phrases and "mental health" in phrases
    assert "pump track" not in default_phrases()
    assert terms("the pump tracks are great", phrases=phrases) == {"pump track": 1, "great": 1}


def test_very_long_words_are_not_terms():
    assert terms("abcdefghij" * 5 + " park") == {"park": 1}
