"""Reading text as a person sees it: what is undone, and spans that still point at the words."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from consultations.analysis import normalise
from consultations.analysis.normalise import (
    BIDI_CONTROLS,
    LOOK_ALIKES,
    clean,
    neutralise_bidi,
    unmask,
)
from consultations.analysis.redaction import redact
from consultations.analysis.safeguarding import screen

# --------------------------------------------------------------------------------------------
# What unmask reads


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("kil\u200bl my\u200cse\u200dlf", "kill myself"),
        ("ki\u00adll my\u2060self\ufeff", "kill myself"),
        ("kill \n\n\nmyself\r\n\ttonight", "kill myself tonight"),
        ("kill\u00a0myself\u2003now\u3000ok", "kill myself now ok"),
        ("k\u0456ll m\u0443s\u0435lf", "kill myself"),  # Cyrillic і, у, е
        ("\u03bapi\u03bde \u0391\u039c", "kpive AM"),  # Greek κ, ν, Α, Μ
        ("\uff4b\uff49\uff4c\uff4c \U0001d426\U0001d432\U0001d42c", "kill mys"),  # full-width, bold
        ("k\u0336i\u0336l\u0336l\u0336", "kill"),  # struck through
        ("Zoe\u0308", "Zo\u00eb"),  # the accent makes one letter
        ("\u0967\u0968\u0969 \u0660\u0661", "123 01"),  # Devanagari and Arabic-Indic digits
        ("x\u202eevil\u202c \u2066y\u2069", "xevil y"),
        ("\u1d0b\u026a\u029f\u029f", "kill"),  # small capitals
    ],
)
def test_unmask_reads_what_a_person_would_read(written, read):
    assert unmask(written).text == read


def test_printable_ascii_with_single_spaces_comes_back_unchanged():
    seen = unmask("i want to die. really!")
    assert seen.unchanged and seen.text == "i want to die. really!"
    assert seen.span(2, 6) == (2, 6)


def test_a_whole_cyrillic_word_of_look_alikes_is_read_as_latin():
    # English written entirely in look-alikes has no Latin letter to give it away.
    assert unmask("\u0455\u0435\u0445").text == "sex"
    assert unmask("\u0421\u041e\u0421\u0410").text == "COCA"


# --------------------------------------------------------------------------------------------
# Spans point into the original


def _each_character(written: str) -> list[str]:
    seen = unmask(written)
    return [written[slice(*seen.span(i, i + 1))] for i in range(len(seen.text))]


def test_each_character_read_points_at_the_characters_it_came_from():
    written = "a \u200b\n b\uff4b\ufb01e\u0301\u0456"
    assert unmask(written).text == "a bkfi\u00e9i"
    assert _each_character(written) == [
        "a",
        " \u200b\n ",  # the run of whitespace, and the invisible character inside it
        "b",
        "\uff4b",
        "\ufb01",  # "fi" is one ligature: both letters point at it
        "\ufb01",
        "e\u0301",
        "\u0456",
    ]


def test_a_span_covers_the_invisible_characters_inside_it_but_not_around_it():
    written = "\u200bcall 07700\u200b900123\u00ad now"
    seen = unmask(written)
    start = seen.text.index("07700")
    begin, end = seen.span(start, start + len("07700900123"))
    assert written[begin:end] == "07700\u200b900123"


def test_empty_spans_and_spans_past_the_end_are_safe():
    seen = unmask("ab\u200b")
    assert seen.text == "ab"
    assert seen.span(1, 1) == (1, 1)
    assert seen.span(2, 2) == (3, 3)
    assert seen.span(0, 99) == (0, 2)


def test_the_screens_spans_point_into_the_answer_as_written():
    written = "I want to k\u0456l\u200bl \n\nmyself tonight"
    result = screen(written)
    assert result.flagged and result.severity == "urgent"
    assert any(
        written[s.start : s.end].endswith("k\u0456l\u200bl \n\nmyself") for s in result.spans
    )
    plain = screen("I want to kill myself tonight")
    assert [(s.category, s.rule, s.severity) for s in result.spans] == [
        (s.category, s.rule, s.severity) for s in plain.spans
    ]


def test_the_learned_checks_spans_point_into_the_answer_as_written():
    plain = "theres shouting every night and last week mum had a cut on her head"
    written = plain.replace(" ", " \n").replace("e", "\u0435")
    first, second = screen(plain), screen(written)
    assert first.flagged and second.flagged
    assert [unmask(written[s.start : s.end]).text for s in second.spans] == [
        plain[s.start : s.end] for s in first.spans
    ]


# --------------------------------------------------------------------------------------------
# Redaction


@pytest.mark.parametrize(
    ("written", "expected", "found"),
    [
        ("ring me 07700\u200b900123", "ring me [phone]", "07700\u200b900123"),
        ("I live in BA1\u200b1AA", "I live in [postcode]", "BA1\u200b1AA"),
        (
            "\uff10\uff17\uff17\uff10\uff10 900123",
            "[phone]",
            "\uff10\uff17\uff17\uff10\uff10 900123",
        ),
        ("07700\n900123", "[phone]", "07700\n900123"),
        ("\u0392\u0391\u0661 1AA", "[postcode]", "\u0392\u0391\u0661 1AA"),
        ("josh\u00ad.smith@gmail.com", "[email]", "josh\u00ad.smith@gmail.com"),
        ("\u0408osh said hi", "[name] said hi", "\u0408osh"),
    ],
)
def test_disguised_personal_data_is_redacted_whole(written, expected, found):
    result = redact(written)
    assert result.text == expected
    assert [written[s.start : s.end] for s in result.spans] == [found]


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("mr\nsmith is mean", "[name] is mean"),
        ("my friend\n\njosh told me", "my friend\n\n[name] told me"),
        ("call me 07700\r\n900123", "call me [phone]"),
        # A phone writes a capital after a line break: the word may start a sentence.
        ("More clubs\nWill you listen?", "More clubs\nWill you listen?"),
        ("I like it\n\nMark my words", "I like it\n\nMark my words"),
    ],
)
def test_a_line_break_reads_as_a_space_that_may_start_a_sentence(written, expected):
    assert redact(written).text == expected


def test_redacted_text_keeps_the_young_persons_spacing_and_line_breaks():
    written = "Josh\u200b said:\n\n  call me   on 07700 900123\n"
    assert redact(written).text == "[name] said:\n\n  call me   on [phone]\n"


def test_no_invisible_character_or_bidi_control_survives_into_redacted_text():
    written = "more\u200b clubs \u202eplease\u202c, bul\u00adlying\u2066 is bad\u2069 \ufeffok"
    text = redact(written).text
    assert text == "more clubs please, bullying is bad ok"
    assert not any(unicodedata.category(c) == "Cf" for c in text)


def test_look_alikes_in_a_latin_word_are_read_as_latin_in_redacted_text():
    assert redact("more \u0441lubs and \u0455ports").text == "more clubs and sports"


# --------------------------------------------------------------------------------------------
# clean: what reports and word clouds read


def test_clean_keeps_genuine_cyrillic_and_greek_words():
    ukrainian = (
        "\u043f\u0440\u0438\u0432\u0456\u0442, \u044f\u043a \u0441\u043f\u0440\u0430\u0432\u0438"
    )
    greek = "\u03ba\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1"
    for words in (ukrainian, greek):
        assert clean(words) == words
    # In an English answer, a word made only of look-alikes is read as English.
    assert clean("more \u0441\u043e\u0440\u0455 in town") == "more cops in town"


def test_clean_keeps_emoji_sequences_and_flags_whole():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    heart = "\u2764\ufe0f"
    assert clean(f"my {family} {england} {heart}") == f"my {family} {england} {heart}"


def test_clean_reads_fancy_letters_and_keeps_digits_as_written():
    assert clean("\U0001d42f\U0001d428\U0001d42d\U0001d41e \u0661\u0662") == "vote \u0661\u0662"
    assert clean("tab\tand\r\nline\u2028break") == "tab\tand\r\nline\nbreak"


# --------------------------------------------------------------------------------------------
# neutralise_bidi: the words as written, for staff


def test_neutralise_bidi_removes_only_the_bidi_controls():
    written = "fine \u202eflesym llik\u202c \u2067x\u2069 \u200bok \u0645\u0631\u062d\u0628\u0627"
    assert neutralise_bidi(written) == "fine flesym llik x \u200bok \u0645\u0631\u062d\u0628\u0627"
    assert not BIDI_CONTROLS & set(neutralise_bidi(written))
    assert neutralise_bidi("plain") == "plain"


# --------------------------------------------------------------------------------------------
# The look-alike table


def test_every_look_alike_stands_for_a_latin_letter_of_the_same_case():
    for char, latin in LOOK_ALIKES.items():
        assert not char.isascii(), char
        assert len(latin) == 1 and unicodedata.name(latin).startswith("LATIN"), (char, latin)
        assert char.isupper() == latin.isupper(), (char, latin)


def test_the_analysis_library_imports_no_django():
    source = Path(normalise.__file__).read_text(encoding="utf-8")
    imports = set(re.findall(r"^\s*(?:import|from)\s+(\w+)", source, re.M))
    assert imports and not {"django", "wagtail"} & imports
