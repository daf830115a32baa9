"""Discovery: answers matching no theme are grouped into suggested new themes."""

from __future__ import annotations

from consultations.analysis.discovery import PhraseReader, SuggestedTheme, discover
from consultations.analysis.text import STOP_WORDS
from consultations.analysis.theme_coding import ThemeSpec

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


def _group(suggestion: SuggestedTheme, texts: list[str] = TEXTS) -> list[str]:
    """The texts of the topic all of a suggestion's examples are about."""
    topics = {_topic(i) for i in suggestion.examples}
    assert len(topics) == 1, topics
    start = ("buses", "parks", "exams").index(topics.pop()) * 6
    return texts[start : start + 6]


def _used_by(phrase: str, texts: list[str]) -> int:
    return sum(phrase.lower() in text.lower() for text in texts)


def test_three_obvious_topics_come_back_as_three_suggestions():
    suggestions = discover(TEXTS, max_themes=3, min_size=3)
    assert len(suggestions) == 3
    groups = [{_topic(i) for i in s.examples} for s in suggestions]
    assert sorted(g.pop() for g in groups if len(g) == 1) == ["buses", "exams", "parks"]
    terms = {term for s in suggestions for term in s.top_terms}
    assert {"bus", "park"} <= terms
    assert {"exam", "homework"} & terms


def test_each_suggestion_is_named_from_a_phrase_its_answers_use_and_counts_its_answers():
    suggestions = discover(TEXTS, max_themes=3, min_size=3)
    for suggestion in suggestions:
        assert isinstance(suggestion, SuggestedTheme)
        name = suggestion.name
        assert 2 <= len(name.split()) <= 4
        assert " and " not in name.lower()
        assert name[0].isupper()
        # Verbatim (but for capitals) in at least two of the group's answers.
        assert _used_by(name, _group(suggestion)) >= 2, name
        assert 3 <= suggestion.size <= 8
        assert 1 <= len(suggestion.examples) <= 5
        assert all(0 <= i < len(TEXTS) for i in suggestion.examples)
    assert sum(s.size for s in suggestions) <= len(TEXTS)
    sizes = [s.size for s in suggestions]
    assert sizes == sorted(sizes, reverse=True)


LATE_BUSES = [
    "We need late night buses so we can get home safely",
    "Late night buses! The last one leaves at 9pm",
    "There are no late night buses from town after the cinema",
    "please bring back late night buses, walking home is scary",
    "the late night buses were cut last year and now I get a taxi",
    "Without late night buses I can't go to anything in the evening",
    "more late night buses at weekends",
]
YOUTH_CLUBS = [
    "More youth clubs in the villages please",
    "we need more youth clubs, there is nothing to do",
    "The youth clubs closed and now kids hang around the shops",
    "more youth clubs with free activities",
    "bring back youth clubs, they kept us off the streets",
    "More youth clubs open on Friday nights",
]
VOTING = [
    "Let sixteen year olds vote in elections",
    "votes at 16 would make politicians listen to us",
    "we should be able to vote at sixteen",
    "young people should get the vote, it's our future too",
    "vote at 16 now",
    "Give us the vote at sixteen",
]
CODEBOOK = [
    ThemeSpec("Transport", keywords=("bus", "train")),
    ThemeSpec("Bullying", keywords=("bullied", "picked on")),
]


def _about(suggestions: list[SuggestedTheme], texts: list[str], topic: list[str]):
    [found] = [s for s in suggestions if {texts[i] for i in s.examples} <= set(topic)]
    return found


def test_a_group_about_late_buses_is_named_with_the_phrase_its_answers_use():
    texts = LATE_BUSES + YOUTH_CLUBS + VOTING
    suggestions = discover(texts, max_themes=3, min_size=3)
    buses = _about(suggestions, texts, LATE_BUSES)
    assert buses.name == "Late night buses"
    # Real phrases come first among the keywords a suggestion would bring.
    assert buses.top_terms[0] == "late night buses"
    assert "bus" in buses.top_terms
    clubs = _about(suggestions, texts, YOUTH_CLUBS)
    assert "youth clubs" in clubs.name.lower()
    assert _used_by(clubs.name, YOUTH_CLUBS) >= 2


def test_a_group_whose_answers_share_no_phrase_is_named_from_one_word():
    homework = ["Homework!!", "homework, every night", "why so much homework?",
                "Homework. Pointless", "I hate homework", "homework; again"]  # fmt: skip
    suggestions = discover(homework + VOTING, max_themes=2, min_size=3)
    found = _about(suggestions, homework + VOTING, homework)
    assert found.name == "Homework"


def test_overlap_is_high_for_a_group_using_a_themes_keywords_and_none_for_a_new_topic():
    texts = LATE_BUSES + YOUTH_CLUBS + VOTING
    suggestions = discover(texts, max_themes=3, min_size=3, codebook=CODEBOOK)
    buses = _about(suggestions, texts, LATE_BUSES)
    assert buses.overlap_theme == "Transport"
    assert buses.overlap >= 0.8
    voting = _about(suggestions, texts, VOTING)
    assert voting.overlap_theme is None and voting.overlap == 0.0
    # A mapping of theme names to keywords does as well; a word of a theme's name counts too.
    again = discover(texts, max_themes=3, min_size=3, codebook={"Votes at 16": ["ballot"]})
    assert _about(again, texts, VOTING).overlap_theme == "Votes at 16"
    assert _about(again, texts, LATE_BUSES).overlap_theme is None


def test_without_a_codebook_there_is_no_overlap():
    suggestions = discover(TEXTS, max_themes=3, min_size=3)
    assert all(s.overlap_theme is None and s.overlap == 0.0 for s in suggestions)


def test_phrases_keep_to_one_idea_and_start_and_end_with_words_that_say_something():
    found = PhraseReader().phrases(
        "The buses are late and the trains are cancelled. More youth clubs, cost of living"
    )
    shown = set(found.values())
    assert {"buses are late", "trains are cancelled", "more youth clubs", "cost of living"} <= shown
    for phrase in shown:
        words = phrase.lower().split()
        assert "and" not in words
        assert words[-1] not in STOP_WORDS
        assert words[0] not in STOP_WORDS or words[0] in {"more", "no", "not", "too"}
    assert "late the trains" not in shown and "cancelled more" not in shown


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
