"""The themed summary: counts and shares, suppressed breakdowns, safe varied quotes, headline."""

from __future__ import annotations

import random

import pytest

from consultations.analysis.summaries import CodedAnswer, summarise

THEMES = ["Getting around", "Mental health", "Knife crime"]

BUS_TEXTS = [
    "the buses are always late in the morning so I miss registration",
    "bus fares cost too much for young people on no money",
    "the last bus home leaves far too early at night",
    "trains to the college are expensive and always cancelled",
    "there is no bus to the leisure centre from our village",
]


def _answers() -> list[CodedAnswer]:
    answers = []
    # 30 young people raise transport: 12 aged 11-13, 12 aged 14-15, 6 aged 16-18;
    # 24 in North, 6 in South.
    for i in range(30):
        answers.append(
            CodedAnswer(
                id=i,
                respondent=f"r{i}",
                text=f"{BUS_TEXTS[i % 5]} {'honestly' if i % 2 else 'really'}",
                themes=frozenset({"Getting around"}),
                age_band="11-13" if i < 12 else "14-15" if i < 24 else "16-18",
                area="North" if i < 24 else "South",
            )
        )
    # 10 raise mental health, one of them twice (two answers, one respondent).
    for i in range(30, 40):
        answers.append(
            CodedAnswer(
                id=i,
                respondent=f"r{i}",
                text="I feel anxious and stressed about exams and nobody listens",
                themes=frozenset({"Mental health"}),
                age_band="14-15",
                area="North",
            )
        )
    answers.append(
        CodedAnswer(
            id=40,
            respondent="r30",
            text="still stressed, still anxious",
            themes=frozenset({"Mental health"}),
            age_band="14-15",
            area="North",
        )
    )
    # 10 raise nothing the codebook has.
    for i in range(41, 51):
        answers.append(
            CodedAnswer(i, f"r{i}", "school dinners are fine", frozenset(), "11-13", "South")
        )
    return answers


def test_respondents_are_counted_once_per_theme_and_shared_over_everyone_who_answered():
    summary = summarise(_answers(), THEMES)
    assert summary.respondents == 50
    assert summary.answers == 51
    assert summary.uncoded_respondents == 10
    assert [t.theme for t in summary.themes] == ["Getting around", "Mental health", "Knife crime"]
    transport, mental, knife = summary.themes
    assert (transport.respondents, transport.share) == (30, pytest.approx(0.6))
    assert (mental.respondents, mental.share) == (10, pytest.approx(0.2))
    assert (knife.respondents, knife.share) == (0, 0.0)
    assert knife.quotes == ()


def test_breakdowns_hide_small_groups():
    transport = summarise(_answers(), THEMES).theme("Getting around")
    ages = {c.label: c.display for c in transport.by_age_band}
    areas = {c.label: c.display for c in transport.by_area}
    # 6 aged 16-18 is under 10; the smallest other group is hidden too, so that the 6 cannot
    # be worked out from the total.
    assert ages == {"11-13": "hidden", "14-15": "12", "16-18": "fewer than 10"}
    assert areas == {"North": "hidden", "South": "fewer than 10"}
    assert transport.by_age_band.total.display == "30"


def test_breakdowns_follow_the_order_given_and_show_empty_groups():
    summary = summarise(
        _answers(), THEMES, age_bands=["11-13", "14-15", "16-18", "19-25"], threshold=5
    )
    ages = {c.label: c.display for c in summary.theme("Getting around").by_age_band}
    assert list(ages) == ["11-13", "14-15", "16-18", "19-25"]
    assert ages == {"11-13": "12", "14-15": "12", "16-18": "6", "19-25": "0"}


def test_change_since_the_earlier_consultation_is_in_percentage_points():
    summary = summarise(_answers(), THEMES, earlier_shares={"Getting around": 0.45})
    assert summary.theme("Getting around").change == pytest.approx(15.0)
    assert summary.theme("Mental health").change is None
    assert "biggest rise was in getting around (up 15 percentage points)" in summary.headline


def test_the_headline_names_the_most_common_themes_with_their_shares():
    summary = summarise(_answers(), THEMES)
    assert summary.headline.startswith(
        "The most common themes were getting around (60% of young people who answered) "
        "and mental health (20%). 50 young people answered."
    )


def test_the_headline_copes_with_no_answers_and_no_themes():
    assert summarise([], THEMES).headline == "No young people have answered yet."
    none = [CodedAnswer(1, "a", "fine", frozenset())]
    assert "None of the 1 young people" in summarise(none, THEMES).headline


def test_quotes_are_typical_varied_and_short():
    transport = summarise(_answers(), THEMES).theme("Getting around")
    quotes = [q.text for q in transport.quotes]
    assert 3 <= len(quotes) <= 5
    assert len({q.rsplit(" ", 1)[0] for q in quotes}) == len(quotes)  # no near-duplicates
    assert all(len(q) <= 300 for q in quotes)
    assert all(q.answer_id in range(30) for q in transport.quotes)


def test_profane_answers_are_never_quoted():
    answers = _answers()
    # The most typical transport answer of all, but sweary; and one the caller flagged.
    answers.append(
        CodedAnswer(
            99,
            "r99",
            "the fucking buses are always late in the morning really",
            frozenset({"Getting around"}),
            "11-13",
            "North",
        )  # fmt: skip
    )
    answers.append(
        CodedAnswer(
            98,
            "r98",
            "the buses are always late in the morning honestly",
            frozenset({"Getting around"}),
            "11-13",
            "North",
            profane=True,
        )  # fmt: skip
    )
    quotes = summarise(answers, THEMES).theme("Getting around").quotes
    assert quotes
    assert {q.answer_id for q in quotes}.isdisjoint({98, 99})
    assert not any("fuck" in q.text for q in quotes)


def test_long_answers_are_not_quoted():
    answers = [
        CodedAnswer(i, i, "buses are late " * 30, frozenset({"Getting around"})) for i in range(3)
    ]
    assert summarise(answers, THEMES).theme("Getting around").quotes == ()


def _used_by(phrase: str, texts: list[str]) -> int:
    return sum(phrase.lower() in text.lower() for text in texts)


def test_key_phrases_are_phrases_distinctive_of_the_theme_used_by_two_of_its_answers():
    answers = _answers()
    summary = summarise(answers, THEMES)
    mental = summary.theme("Mental health").key_phrases
    transport = summary.theme("Getting around").key_phrases
    assert any("anxious" in phrase for phrase in mental)
    assert any("stressed" in phrase for phrase in mental)
    assert "bus" in transport
    assert not set(mental) & set(transport)
    for theme, phrases in (("Mental health", mental), ("Getting around", transport)):
        texts = [a.text for a in answers if theme in a.themes]
        assert phrases
        assert all(1 <= len(phrase.split()) <= 4 for phrase in phrases)
        assert all(_used_by(phrase, texts) >= 2 for phrase in phrases), phrases


LATE_BUSES = [
    "Late night buses, so we can get home after college",
    "Late night buses at the weekend",
    "there are no late night buses from town",
    "I miss my friends. Late night buses would help",
    "CAMHS waiting lists are far too long",
    "the CAMHS waiting lists are a joke",
    "my friend is on the camhs waiting lists for a year",
    "the buses need to be cheaper",
    "the bus to school is always full",
    "bus fares went up again",
]


def _late_bus_answers() -> list[CodedAnswer]:
    themed = [
        CodedAnswer(i, i, text, frozenset({"Transport" if i < 4 else "Mental health"}))
        for i, text in enumerate(LATE_BUSES[:7])
    ]
    other = [
        CodedAnswer(10 + i, 10 + i, text, frozenset({"Other"}))
        for i, text in enumerate(LATE_BUSES[7:] + ["school is fine", "I like my teachers"])
    ]
    return themed + other


def test_key_phrases_are_real_phrases_as_most_answers_write_them():
    summary = summarise(_late_bus_answers(), ["Transport", "Mental health", "Other"])
    transport = summary.theme("Transport").key_phrases
    mental = summary.theme("Mental health").key_phrases
    # A capital that only starts a sentence is not how the phrase is written.
    assert transport[0] == "late night buses"
    # Capitals as most answers write them, and never a folded stem ("camh", "list").
    assert mental[0] == "CAMHS waiting lists"
    assert not {"camh", "list", "bus", "late and night"} & set(transport + mental)


def test_a_phrase_only_one_of_the_themes_answers_uses_is_not_a_key_phrase():
    answers = [
        CodedAnswer(1, 1, "the buses are late", frozenset({"Transport"})),
        CodedAnswer(2, 2, "the buses never come", frozenset({"Transport"})),
        CodedAnswer(3, 3, "trains cost a fortune", frozenset({"Transport"})),
        CodedAnswer(4, 4, "school is fine", frozenset()),
    ]
    phrases = summarise(answers, ["Transport"]).theme("Transport").key_phrases
    assert phrases == ("buses",)


def test_key_phrases_never_hold_a_profane_word():
    answers = [
        CodedAnswer(i, i, text, frozenset({"Transport"}))
        for i, text in enumerate(
            ["the fucking buses are late", "fucking buses never come", "shit buses again"] * 3
        )
    ] + [CodedAnswer(20, 20, "school is fine", frozenset())]
    phrases = summarise(answers, ["Transport"]).theme("Transport").key_phrases
    assert "buses" in phrases
    assert not any("fuck" in p or "shit" in p for p in phrases)


def test_the_same_answers_in_any_order_give_the_same_summary():
    answers = _answers()
    shuffled = list(answers)
    random.Random(4).shuffle(shuffled)
    assert summarise(answers, THEMES) == summarise(shuffled, THEMES)


def test_past_the_text_sample_counts_use_every_answer_and_quotes_come_from_the_sample():
    """A theme with more answers than ``text_sample`` is quoted from an even spread of them."""
    sayings = [
        "more buses in the evening so we can get home",
        "cheaper buses to college every morning please",
        "buses that turn up on time after school",
    ]
    answers = [
        CodedAnswer(
            id=n, respondent=n, text=f"{sayings[n % 3]} number {n}", themes=frozenset({"Buses"})
        )
        for n in range(300)
    ]
    full = summarise(answers, ["Buses"])
    sampled = summarise(answers, ["Buses"], text_sample=30)
    assert sampled.theme("Buses").respondents == full.theme("Buses").respondents == 300
    assert sampled.theme("Buses").share == 1.0
    # An even spread of 30 of the theme's 300 answers in order of id: every tenth.
    quoted = {quote.answer_id for quote in sampled.theme("Buses").quotes}
    assert quoted and all(answer_id % 10 == 0 for answer_id in quoted)
    assert summarise(list(reversed(answers)), ["Buses"], text_sample=30) == sampled
