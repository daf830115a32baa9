"""The reading-age formula (``consultations.readability``), on sentences worked out by hand."""

import pytest

from consultations.readability import MIN_READING_AGE, readability, reading_age, syllables


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("cat", 1),
        ("make", 1),  # a silent e
        ("makes", 1),
        ("liked", 1),
        ("wanted", 2),  # -ted is said
        ("buses", 2),  # -ses is said
        ("little", 2),  # a consonant and -le is a syllable
        ("whale", 1),
        ("free", 1),
        ("school", 1),
        ("people", 2),
        ("consultation", 4),
        ("partnership's", 3),
    ],
)
def test_syllables_are_counted_by_groups_of_vowels(word, count):
    assert syllables(word) == count


def test_short_words_in_a_short_sentence_read_from_the_youngest_age():
    # 6 words, 1 sentence, 6 syllables: 0.39 × 6 + 11.8 × 1 − 15.59 = −1.45, a grade below
    # school, so the youngest age the figure gives.
    measured = readability("The cat sat on the mat.")
    assert (measured.words, measured.sentences, measured.syllables) == (6, 1, 6)
    assert measured.grade == pytest.approx(-1.45)
    assert measured.reading_age == MIN_READING_AGE


def test_an_everyday_sentence_reads_at_about_seven():
    # We want to hear what you think about (a-bout) feel-ing safe: 10 words, 12 syllables.
    # 0.39 × 10 + 11.8 × 1.2 − 15.59 = 3.9 + 14.16 − 15.59 = 2.47; + 5 = 7.47, about 7.
    measured = readability("We want to hear what you think about feeling safe.")
    assert (measured.words, measured.sentences, measured.syllables) == (10, 1, 12)
    assert measured.grade == pytest.approx(2.47)
    assert measured.reading_age == 7


def test_long_official_words_read_far_above_the_age_of_the_young_people():
    # 10 words, 32 syllables (1+3+4+6+3+4+4+1+4+2): 3.9 + 11.8 × 3.2 − 15.59 = 26.07; + 5.
    text = (
        "The partnership's statutory responsibilities encompass safeguarding arrangements "
        "for vulnerable children."
    )
    measured = readability(text)
    assert (measured.words, measured.syllables) == (10, 32)
    assert measured.grade == pytest.approx(26.07)
    assert reading_age(text) == 31


def test_each_line_is_a_sentence_with_or_without_a_full_stop():
    # One idea per line: 2 sentences of 4 and 3 one-syllable words.
    # 0.39 × 3.5 + 11.8 × 1 − 15.59 = −2.425: the youngest age.
    measured = readability("We want to know\nwhat you think\n\n")
    assert (measured.words, measured.sentences, measured.syllables) == (7, 2, 7)
    assert measured.grade == pytest.approx(-2.425)
    # The same words as one sentence read older.
    assert readability("We want to know what you think").grade > measured.grade


def test_splitting_a_long_sentence_in_two_lowers_the_figure():
    long = "We want to hear what you think about feeling safe and what would help you at school."
    split = "We want to hear what you think about feeling safe. What would help you at school?"
    assert readability(split).sentences == 2
    assert readability(split).grade < readability(long).grade


@pytest.mark.parametrize("text", ["", "   \n ", "1234 — !?"])
def test_text_with_no_words_has_no_figure(text):
    assert readability(text) is None
    assert reading_age(text) is None
