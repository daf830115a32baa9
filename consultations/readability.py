"""How hard a piece of English is to read, as a reading age: plain Python, no Django.

The figure is the Flesch–Kincaid grade level plus five (a US school grade is the year of
school, and children start at about five):

    grade = 0.39 × (words ÷ sentences) + 11.8 × (syllables ÷ words) − 15.59
    reading age = grade + 5, and never under 5

Long sentences and long words raise it; nothing else does. It is a rough guide for the
facilitator writing a consultation, not a test of the words: it cannot tell a short rare word
from a short common one, or a clear sentence from a muddled one, and the syllables are counted
by rule (groups of vowels), so a few words are a syllable out. Each line counts as a sentence
of its own, with or without a full stop: easy read puts one idea on each line. It is used by
the page editor's reading-age figures (``consultations.models.questions.reading_age_label``),
so a change here changes every figure; ``tests/consultations/test_readability.py`` holds
worked examples.
"""

import re
from dataclasses import dataclass

MIN_READING_AGE = 5
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n")
_VOWEL_GROUP = re.compile(r"[aeiouy]+")


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int
    grade: float

    @property
    def reading_age(self) -> int:
        """The grade plus five, rounded to a whole year, and at least :data:`MIN_READING_AGE`."""
        return max(MIN_READING_AGE, round(self.grade + 5))


def syllables(word: str) -> int:
    """The syllables in one English word, by rule: each group of vowels is one.

    A silent "e" at the end is not counted ("make"), except after a consonant and "l"
    ("little"); "-es" and "-ed" at the end add nothing after most letters ("makes", "liked").
    Every word has at least one.
    """
    word = word.lower().replace("’", "").replace("'", "")
    if not word:
        return 0
    if len(word) <= 3:
        return 1
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")):
        word = word[:-1]
    elif word.endswith(("es", "ed")) and not word.endswith(("ted", "ded", "ses", "zes", "ces")):
        word = word[:-2]
    elif word.endswith("le") and len(word) > 2 and word[-3] in "aeiouy":
        word = word[:-1]
    return max(1, len(_VOWEL_GROUP.findall(word)))


def readability(text: str) -> Readability | None:
    """The counts and grade of ``text`` (plain text; strip any HTML first), or None if it has
    no words."""
    sentences = [part for part in _SENTENCE_END.split(text) if _WORD.search(part)]
    words = _WORD.findall(text)
    if not words:
        return None
    syllable_count = sum(syllables(word) for word in words)
    grade = 0.39 * len(words) / len(sentences) + 11.8 * syllable_count / len(words) - 15.59
    return Readability(
        words=len(words), sentences=len(sentences), syllables=syllable_count, grade=grade
    )


def reading_age(text: str) -> int | None:
    """The reading age of ``text`` in years (see the module's docstring), or None if no words."""
    measured = readability(text)
    return measured.reading_age if measured else None
