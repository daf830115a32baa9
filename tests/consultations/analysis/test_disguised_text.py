"""Disguised text: what is hidden from a machine but not from a person changes nothing.

Every labelled answer the project has (the learned check's examples and the screen's labelled
and blind sets) is disguised at random, with invisible characters, soft hyphens, bidi controls,
look-alike letters, "fancy font" letters and line breaks or other whitespace between words; the
screen must say exactly what it says of the answer as written. Personal data from the redaction
tests is disguised the same way; none of it may be left in the redacted text.
"""

from __future__ import annotations

import csv
import functools
import random
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations.analysis.normalise import BIDI_CONTROLS, LOOK_ALIKES, unmask
from consultations.analysis.redaction import RedactionLists, redact
from consultations.analysis.safeguarding import RULES_DIR, screen

ROOT = Path(__file__).resolve().parents[3]
LABELLED_SETS = [
    *sorted((RULES_DIR / "examples").glob("*.csv")),
    *sorted((ROOT / "tests/consultations/analysis/data").glob("screen_*.csv")),
]

INVISIBLE = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u034f", "\ufe0f",
    "\u200e", "\u200f", "\u202a", "\u202c", "\u202d", "\u2066", "\u2068", "\u2069",
]  # fmt: skip
WHITESPACE = ["\n", "\n\n\n", "\r\n", " \n ", "  ", "\t", "\u00a0", "\u2003", "\u3000", "\u2028"]
#: Latin letter -> the look-alikes that read as it.
DISGUISES_OF: dict[str, list[str]] = {}
for _char, _latin in LOOK_ALIKES.items():
    if _latin.isascii():
        DISGUISES_OF.setdefault(_latin, []).append(_char)
KINDS = ("invisible", "look-alike", "fancy", "whitespace")


def _fancy(char: str, rng: random.Random) -> str:
    """The letter or digit in full-width or in mathematical bold ("fancy font" sites)."""
    if char.isdigit():
        return chr(rng.choice([0xFF10, 0x1D7CE]) + int(char))
    if char.islower():
        return chr(rng.choice([0xFF41, 0x1D41A]) + ord(char) - ord("a"))
    return chr(rng.choice([0xFF21, 0x1D400]) + ord(char) - ord("A"))


def disguise(text: str, kinds: set[str], rate: float, rng: random.Random) -> str:
    """``text`` disguised: each place a disguise can go gets one with probability ``rate``."""
    out = []
    for index, char in enumerate(text):
        if char == " " and "whitespace" in kinds and rng.random() < rate:
            out.append(rng.choice(WHITESPACE))
        elif char.isascii() and char.isalnum() and rng.random() < rate:
            choices = []
            if "look-alike" in kinds and char in DISGUISES_OF:
                choices.append(rng.choice(DISGUISES_OF[char]))
            if "fancy" in kinds:
                choices.append(_fancy(char, rng))
            out.append(rng.choice(choices) if choices else char)
        else:
            out.append(char)
        if "invisible" in kinds and index < len(text) - 1 and rng.random() < rate:
            out.append("".join(rng.choices(INVISIBLE, k=rng.randint(1, 3))))
    return "".join(out)


@functools.cache
def labelled() -> tuple[tuple[str, bool], ...]:
    rows = []
    for path in LABELLED_SETS:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                text = " ".join((row["text"] or "").split())
                if text:
                    rows.append((text, row["label"].strip() != "none"))
    return tuple(rows)


def verdict(text: str):
    result = screen(text)
    return result.flagged, result.severity, result.categories


def spans_as_read(text: str) -> list[tuple[str, str, str]]:
    """The screen's spans, each as the words it covers read unmasked."""
    return [(unmask(text[s.start : s.end]).text, s.category, s.rule) for s in screen(text).spans]


# --------------------------------------------------------------------------------------------
# The screen


def test_the_labelled_sets_are_found():
    rows = labelled()
    assert len(rows) > 2000 and sum(flagged for _, flagged in rows) > 1000


@settings(
    max_examples=250,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    row=st.sampled_from(labelled()),
    kinds=st.sets(st.sampled_from(KINDS), min_size=1),
    rate=st.floats(0.05, 1.0),
    seed=st.integers(0, 2**32),
)
def test_disguising_a_labelled_answer_never_changes_the_screens_verdict(row, kinds, rate, seed):
    text, _ = row
    disguised = disguise(text, kinds, rate, random.Random(seed))
    assert verdict(disguised) == verdict(text)
    assert spans_as_read(disguised) == spans_as_read(text)


@pytest.mark.parametrize("kinds", [{"invisible"}, {"look-alike"}, {"whitespace"}, set(KINDS)])
def test_every_labelled_disclosure_is_flagged_as_before_when_disguised(kinds):
    rng = random.Random(12)
    changed = [
        text
        for text, flagged in labelled()
        if flagged and verdict(disguise(text, kinds, 0.5, rng)) != verdict(text)
    ]
    assert changed == []


# --------------------------------------------------------------------------------------------
# Redaction

#: (an answer, the personal data in it), from the redaction tests' examples.
PERSONAL = [
    ("email me at josh.smith@gmail.com please", "josh.smith@gmail.com"),
    ("my email is Josh_Smith99@Hotmail.co.uk.", "Josh_Smith99@Hotmail.co.uk"),
    ("ring me on 07700 900123", "07700 900123"),
    ("07700-900-123 or so", "07700-900-123"),
    ("+44 7700 900123", "+44 7700 900123"),
    ("landline 01632 960001", "01632 960001"),
    ("call 020 7946 0000 tonight", "020 7946 0000"),
    ("my number is 834 2211", "834 2211"),
    ("I live in TA1 1AA", "TA1 1AA"),
    ("postcode ta11aa", "ta11aa"),
    ("SW1A 1AA is near", "SW1A 1AA"),
    ("see https://example.com/page?x=1.", "https://example.com/page?x=1"),
    ("add me @josh_b123", "@josh_b123"),
    ("sc: joshb", "joshb"),
    ("I live at 12 Acacia Avenue, Taunton", "12 Acacia Avenue"),
    ("Josh said it was fine", "Josh"),
    ("me and olivia got bullied by kayden", "kayden"),
    ("Olivia Patel and Will Smith", "Olivia Patel"),
    ("mr smith is my teacher", "mr smith"),
    ("I'm scared of Mr. Khan", "Khan"),
    ("my friend josh told me", "josh"),
    ("her name is grace", "grace"),
    ("At Oakwood Academy Mrs Sarah Jones shouted", "Oakwood Academy"),
    ("At Oakwood Academy Mrs Sarah Jones shouted", "Sarah Jones"),
]
LISTS = RedactionLists(schools=["Oakwood Academy"], staff_names=["Sarah Jones"])


def squash(text: str) -> str:
    """Letters and digits only, unmasked and lower-cased: how personal data is compared."""
    return re.sub(r"[^0-9a-z]", "", unmask(text).text.lower())


def test_the_personal_data_is_redacted_as_written():
    for text, personal in PERSONAL:
        assert squash(personal) not in squash(redact(text, extra=LISTS).text), text


@settings(
    max_examples=300,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    example=st.sampled_from(PERSONAL),
    kinds=st.sets(st.sampled_from(KINDS), min_size=1),
    rate=st.floats(0.05, 1.0),
    seed=st.integers(0, 2**32),
)
def test_disguised_personal_data_never_survives_redaction(example, kinds, rate, seed):
    text, personal = example
    disguised = disguise(text, kinds, rate, random.Random(seed))
    result = redact(disguised, extra=LISTS)
    assert squash(personal) not in squash(result.text)
    assert not BIDI_CONTROLS & set(result.text)
    assert not any(unicodedata.category(c) == "Cf" for c in result.text)
    assert redact(result.text, extra=LISTS).text == result.text
    # The spans cover what the same spans cover in the answer as written.
    plain = redact(text, extra=LISTS)
    assert [unmask(disguised[s.start : s.end]).text for s in result.spans] == [
        text[s.start : s.end] for s in plain.spans
    ]
