"""How matched words are marked in an answer, and category names shown (no database)."""

from consultations.safeguarding import display
from consultations.safeguarding.display import category_label, highlight, matches


def test_overlapping_matches_are_merged_with_both_categories(monkeypatch):
    monkeypatch.setattr(display, "_screen_labels", lambda: {"weapons": "Weapons and threats"})
    text = "he made me hold stuff for the older lads"

    html = highlight(
        text,
        [
            {"start": 3, "end": 21, "category": "criminal_exploitation_new"},
            {"start": 11, "end": 21, "category": "weapons"},
        ],
    )

    assert html == (
        'he <mark class="safeguarding-match">made me hold stuff</mark> '
        "<strong>[Criminal exploitation new, Weapons and threats]</strong> for the older lads"
    )


def test_spans_that_no_longer_fit_are_left_out():
    assert matches("short", [{"start": 2, "end": 40, "category": "x"}]) == []


def test_a_span_with_only_the_matched_words_is_found_in_the_text():
    [match] = matches("I want to KMS", [{"text": "kms", "category": "suicide"}])
    assert (match.start, match.end, match.categories) == (10, 13, ("suicide",))


def test_no_spans_means_the_words_escaped_and_nothing_marked():
    assert highlight("a < b & c", []) == "a &lt; b &amp; c"


def test_category_names_are_tidied_without_labels_from_the_screen():
    assert category_label("going-missing_homeless", {}) == "Going missing homeless"
    assert category_label("weapons", {"weapons": "Weapons and threats"}) == "Weapons and threats"
