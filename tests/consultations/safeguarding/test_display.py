"""How matched words are marked in an answer, and category names shown (no database)."""

from consultations.safeguarding import display
from consultations.safeguarding.display import category_label, highlight, matches, screen_reasons


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


# Why the screen flagged it, in words --------------------------------------------------------

WORDS = "i want to die and my stepdad hits me"
SPANS = [
    {"start": 21, "end": 36, "category": "abuse_neglect", "rule": "hits me", "severity": "concern"},
    {"start": 2, "end": 13, "category": "self_harm", "rule": "want to die", "severity": "urgent"},
]


def reasons(text=None, spans=SPANS, categories=("self_harm", "abuse_neglect"), severity="urgent"):
    return screen_reasons(spans=spans, categories=list(categories), severity=severity, text=text)


def test_with_the_words_shown_the_reason_quotes_them_urgent_first():
    assert reasons(text=WORDS) == [
        "Flagged as Suicide and self-harm (urgent) because it says “want to die”.",
        "Flagged as Abuse or neglect at home (a concern) because it says “stepdad hits me”.",
    ]


def test_without_the_words_the_reason_names_the_kind_of_wording_only():
    found = reasons(text=None)

    assert found == [
        "Flagged as Suicide and self-harm (urgent) because it uses wording the screen's rules "
        "treat as urgent on its own.",
        "Flagged as Abuse or neglect at home (a concern) because it uses wording the screen's "
        "rules treat as a possible disclosure.",
    ]
    assert not any("die" in reason or "hits" in reason for reason in found)


def test_the_learned_check_is_named_and_its_words_are_not_called_what_it_says():
    text = "mum had a cut on her head"
    spans = [
        {"start": 0, "end": 3, "category": "domestic_abuse", "rule": "learned check: mum"},
        {"start": 17, "end": 20, "category": "domestic_abuse", "rule": "learned check: her"},
    ]

    [shown] = reasons(text=text, spans=spans, categories=["domestic_abuse"], severity="concern")
    [hidden] = reasons(spans=spans, categories=["domestic_abuse"], severity="concern")

    assert shown == (
        "Flagged as Domestic abuse by the learned check: no rule matched, and the words that "
        "weighed most were “mum” and “her”."
    )
    assert "mum" not in hidden
    assert "no rule matched, but it reads like the example disclosures" in hidden


def test_many_matches_are_summed_up():
    text = "kms kys die die2 end it"
    spans = [
        {"start": s, "end": e, "category": "self_harm", "rule": "r", "severity": "urgent"}
        for s, e in [(0, 3), (4, 7), (8, 11), (12, 16), (17, 23)]
    ]

    [reason] = reasons(text=text, spans=spans, categories=["self_harm"])

    assert reason.endswith("because it says “kms”, “kys”, “die” and 2 more.")


def test_a_concern_without_spans_names_its_categories():
    assert reasons(spans=[], categories=["abuse_neglect"], severity="concern") == [
        "Flagged as Abuse or neglect at home (a concern)."
    ]
    assert reasons(spans=[], categories=[]) == []


def test_quoted_words_lose_bidi_controls():
    text = "i want to \u202edie"
    spans = [{"start": 2, "end": 14, "category": "self_harm", "rule": "r", "severity": "urgent"}]

    [reason] = reasons(text=text, spans=spans, categories=["self_harm"])

    assert "\u202e" not in reason
    assert "“want to die”" in reason
