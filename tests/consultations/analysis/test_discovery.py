"""Discovery: answers matching no theme are grouped into suggested new themes."""

from __future__ import annotations

from consultations.analysis.discovery import SuggestedTheme, discover

BUSES = [
    "the buses are always late and the bus fares cost too much",
    "bus drivers are rude and the buses never come",
    "bus fares are too expensive for students",
    "the last bus home is far too early",
    "more buses at night please, the bus stops are dark",
    "the bus to town is late every morning",
]
PARKS = [
    "we need a skate park, the park has nothing in it",
    "the park needs football pitches and a skate park",
    "the skate park is broken and the park is dirty",
    "football pitches at the park are always muddy",
    "a new skate park for the older kids",
    "the park has no football goals",
]
EXAMS = [
    "too many exams and too much homework",
    "exams stress me out and the homework never stops",
    "homework every night on top of exam revision",
    "teachers set too much homework before exams",
    "exam season is awful, so much revision",
    "less homework during exams please",
]
TEXTS = BUSES + PARKS + EXAMS


def _topic(index: int) -> str:
    return ("buses", "parks", "exams")[index // 6]


def test_three_obvious_topics_come_back_as_three_suggestions():
    suggestions = discover(TEXTS, max_themes=3, min_size=3)
    assert len(suggestions) == 3
    groups = [{_topic(i) for i in s.examples} for s in suggestions]
    assert sorted(g.pop() for g in groups if len(g) == 1) == ["buses", "exams", "parks"]
    terms = {term for s in suggestions for term in s.top_terms[:2]}
    assert {"bus", "park"} <= terms
    assert {"exam", "homework"} & terms


def test_each_suggestion_is_named_from_its_top_terms_and_counts_its_answers():
    suggestions = discover(TEXTS, max_themes=3, min_size=3)
    for suggestion in suggestions:
        assert isinstance(suggestion, SuggestedTheme)
        first = suggestion.top_terms[0]
        assert suggestion.name.lower().startswith(first)
        assert 3 <= suggestion.size <= 8
        assert 1 <= len(suggestion.examples) <= 5
        assert all(0 <= i < len(TEXTS) for i in suggestion.examples)
    assert sum(s.size for s in suggestions) <= len(TEXTS)
    sizes = [s.size for s in suggestions]
    assert sizes == sorted(sizes, reverse=True)


def test_the_same_texts_give_the_same_suggestions():
    assert discover(TEXTS, max_themes=3, min_size=3) == discover(
        list(TEXTS), max_themes=3, min_size=3
    )


def test_too_few_texts_give_no_suggestions():
    assert discover([], max_themes=3) == []
    assert discover(BUSES[:3], max_themes=3, min_size=5) == []


def test_texts_that_share_no_words_give_no_suggestions():
    texts = ["apple", "banana", "cherry", "damson", "elder", "fig", "grape", "hazel", "ice", "jam"]
    assert discover(texts, max_themes=3, min_size=2) == []


def test_small_groups_are_left_out():
    suggestions = discover(TEXTS + ["my dog is called Rex"], max_themes=4, min_size=4)
    assert all(s.size >= 4 for s in suggestions)
