"""Taking an answer's quoted words and personal details out of a lead's note."""

from consultations.analysis.quotes import REMOVED, remove_quoted_words

ANSWER = "I want to kill myself tonight. My name is Kayden Marsh, ring 07700 900123"


def test_a_quote_of_three_or_more_words_goes_whatever_the_case_and_punctuation():
    note = 'They wrote "i WANT to kill myself!!" last night.'

    assert remove_quoted_words(note, [ANSWER]) == f'They wrote "{REMOVED}!!" last night.'


def test_words_side_by_side_in_the_note_but_not_in_the_answer_stay():
    note = "Spoke to them tonight; myself and a colleague will follow up."

    assert remove_quoted_words(note, [ANSWER]) == note


def test_personal_details_found_in_the_answer_go_even_in_part():
    note = "Kayden's teacher was called on 07700 900123. Kayden is safe."

    cleaned = remove_quoted_words(note, [ANSWER], details=["Kayden Marsh", "07700 900123"])

    assert "Kayden" not in cleaned and "07700" not in cleaned and "900123" not in cleaned
    assert cleaned.endswith(" is safe.")


def test_an_answer_shorter_than_a_quote_counts_whole():
    assert remove_quoted_words("They only wrote kms.", ["kms"]) == f"They only wrote {REMOVED}."


def test_a_note_with_nothing_from_the_answer_is_returned_unchanged():
    note = "Referred to children's social care, ref CSC-4471."

    assert remove_quoted_words(note, [ANSWER], details=["Kayden Marsh"]) is note


def test_a_note_that_is_only_a_quote_becomes_the_marker():
    assert remove_quoted_words("I want to kill myself tonight", [ANSWER]) == REMOVED


def test_no_sources_change_nothing():
    assert remove_quoted_words("Any note at all", []) == "Any note at all"
