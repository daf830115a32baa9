"""The coding engine: the codebook alone finds themes, examples teach it more, people win."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from consultations.analysis.quality import evaluate
from consultations.analysis.theme_coding import (
    Engine,
    Example,
    Rule,
    ThemeSpec,
    default_engine,
    load_codebook_yaml,
    merge,
)

CODEBOOK = """
themes:
  - name: Knife crime
    description: Carrying knives, stabbings and being scared of being stabbed.
    keywords: [knife, knives, stabbing, stabbed, blade]
  - name: Getting around
    description: Buses, trains and how young people travel.
    keywords: [bus, train, transport, bus fare]
  - name: Things to do
    description: Places to go and activities for young people.
    keywords: [youth club, activities]
  - name: Online safety
    description: Staying safe on phones, apps and social media.
    keywords: [online, social media, internet]
  - name: Cyberbullying
    description: Being bullied through phones and apps.
    keywords: [cyberbullying, bullied online, mean messages]
    parent: Online safety
"""

THEMES = load_codebook_yaml(CODEBOOK)
NAMES = [t.name for t in THEMES]

# How young people write about "Things to do" without the codebook's keywords.
BORED = [
    "there is nothing to do round here so we just hang about",
    "we are bored every weekend, nowhere to go",
    "need a skate park and somewhere to hang out",
    "so bored in the holidays, nothing for us",
    "the park is rubbish, nowhere to go after school",
    "nothing to do at weekends apart from sit at the shops",
    "somewhere to hang out that is warm and dry",
    "a skate park would stop people being bored",
    "we get moved on from everywhere, nowhere to go",
    "nothing to do so people get into trouble",
    "bored bored bored, need more stuff for teenagers",
    "more football pitches and somewhere to hang out",
]
BORED_TEST = [
    "honestly so bored, there is nothing to do",
    "nowhere to go in the evenings",
    "we want a skate park",
    "need somewhere to hang out with mates",
]
OTHER = [
    ("the bus is always late and the bus fare is too dear", {"Getting around"}),
    ("my mate got stabbed near the station", {"Knife crime"}),
    ("people carry knives to school", {"Knife crime"}),
    ("trains cost too much for students", {"Getting around"}),
    ("people send mean messages on snapchat", {"Cyberbullying"}),
    ("I got bullied online last year", {"Cyberbullying"}),
    ("school is fine I suppose", set()),
    ("the teachers are nice", set()),
    ("I like my family", set()),
    ("more police on the streets", set()),
    ("exams are stressful", set()),
    ("the food at school is bad", set()),
]
OTHER_TEST = ["lunch at school is fine", "my family are kind", "I worry about exams a lot"]


def _examples() -> list[Example]:
    bored = [Example(text, frozenset({"Things to do"})) for text in BORED]
    other = [Example(text, frozenset(themes)) for text, themes in OTHER]
    return bored + other


def _codes(engine: Engine, texts: list[str]) -> list[set[str]]:
    return [{name for name, _ in engine.assign(s)} for s in engine.scores(texts)]


# --------------------------------------------------------------------------------------------
# The codebook alone


def test_themes_with_no_coded_examples_are_found_from_the_codebook():
    engine = default_engine().fit(THEMES, [])
    codes = _codes(
        engine,
        [
            "There were two stabbings near my school this year",
            "The buses never come on time",
            "We need a youth club in our village",
            "I got bullied online by people in my year",
            "I like maths",
        ],
    )
    assert codes[0] == {"Knife crime"}
    assert codes[1] == {"Getting around"}
    assert codes[2] == {"Things to do"}
    assert "Cyberbullying" in codes[3]
    assert codes[4] == set()


def test_plurals_and_capitals_in_answers_still_match_keywords():
    engine = default_engine().fit(THEMES, [])
    [codes] = _codes(engine, ["YOUTH CLUBS closed down and BUSES got cut"])
    assert codes == {"Things to do", "Getting around"}


def test_a_child_theme_brings_its_parent_with_at_least_its_confidence():
    engine = default_engine().fit(THEMES, [])
    [scores] = engine.scores(["someone sent me mean messages"])
    chosen = dict(engine.assign(scores))
    assert set(chosen) == {"Cyberbullying", "Online safety"}
    assert chosen["Online safety"] >= chosen["Cyberbullying"]


def test_scores_cover_every_theme_between_zero_and_one():
    engine = default_engine().fit(THEMES, [])
    for scores in engine.scores(["knife crime is bad", "", "🙂🙂"]):
        assert set(scores) == set(NAMES)
        assert all(0.0 <= value <= 1.0 for value in scores.values())


def test_assign_puts_the_most_confident_theme_first():
    engine = default_engine().fit(THEMES, [])
    [scores] = engine.scores(["knife crime, stabbings and knives everywhere; the bus is late"])
    chosen = engine.assign(scores)
    assert [name for name, _ in chosen] == ["Knife crime", "Getting around"]
    assert chosen[0][1] > chosen[1][1]


# --------------------------------------------------------------------------------------------
# Learning from examples


def test_examples_teach_the_engine_how_young_people_write_about_a_theme():
    before = default_engine().fit(THEMES, [])
    after = default_engine().fit(THEMES, _examples())
    gold = {i: frozenset({"Things to do"}) for i in range(len(BORED_TEST))}
    gold.update({len(BORED_TEST) + i: frozenset() for i in range(len(OTHER_TEST))})
    texts = BORED_TEST + OTHER_TEST

    def quality(engine):
        predicted = {i: frozenset(c) for i, c in enumerate(_codes(engine, texts))}
        return evaluate(gold, predicted, NAMES).theme("Things to do")

    assert quality(before).tp == 0
    learnt = quality(after)
    assert learnt.recall >= 0.75
    assert learnt.precision >= 0.75
    assert after.thresholds["Things to do"] != 0.4  # tuned by cross-validation


def test_the_rule_gives_the_best_theme_down_to_its_floor_and_drops_weak_seconds():
    scores = np.array([[0.30, 0.10, 0.0], [0.90, 0.50, 0.45], [0.04, 0.02, 0.0], [0.0, 0.0, 0.0]])
    at_least_one = Rule(threshold=0.4, relative=0.0, floor=0.0).choose(scores)
    assert at_least_one.tolist() == [
        [True, False, False],  # under the threshold, but the best: given
        [True, True, True],
        [True, False, False],
        [False, False, False],  # no evidence for anything: nothing, even with a floor of 0
    ]
    strict = Rule(threshold=0.4, relative=0.6, floor=0.2).choose(scores)
    assert strict.tolist() == [
        [True, False, False],
        [True, False, False],  # 0.5 and 0.45 are under 0.6 x 0.9
        [False, False, False],  # the best is under the floor
        [False, False, False],
    ]


def test_the_engine_learns_how_many_themes_people_give_an_answer():
    """People gave every example exactly one theme, though many answers touch two: the tuned
    engine gives about one, not every theme whose words appear."""
    topics = {
        "Knife crime": ["knives", "stabbed", "blade", "knife crime", "carrying a knife"],
        "Getting around": ["bus", "train", "bus fare", "late buses", "the station"],
        "Things to do": ["youth club", "skate park", "nothing to do", "bored", "somewhere"],
    }
    rng = np.random.RandomState(4)
    names = list(topics)
    examples, tests = [], []
    for n in range(90):
        main, aside = rng.choice(3, size=2, replace=False)
        words = [topics[names[main]][k] for k in rng.choice(5, size=3)]
        text = " and ".join(words) + f" really, also a bit about {topics[names[aside]][n % 5]}"
        (examples if n < 60 else tests).append(Example(text, frozenset({names[main]})))
    engine = default_engine().fit(THEMES, examples)
    codes = _codes(engine, [e.text for e in tests])
    assert engine.rule.floor == 0.0  # every example had a theme: every answer gets one
    assert all(codes)
    assert np.mean([len(c) for c in codes]) <= 1.3
    right = sum(e.themes <= c for e, c in zip(tests, codes, strict=True))
    assert right >= 0.8 * len(tests)


def test_examples_coded_none_of_these_teach_the_engine_to_leave_answers_uncoded():
    engine = default_engine().fit(THEMES, _examples())
    assert engine.rule.floor > 0.0
    assert _codes(engine, OTHER_TEST) == [set(), set(), set()]


def test_the_codebook_still_finds_themes_that_have_too_few_examples():
    engine = default_engine().fit(THEMES, _examples())
    [codes] = _codes(engine, ["the internet is not safe for young people"])
    assert "Online safety" in codes  # no examples at all: the keyword prior decides


def test_when_tuning_turns_the_codebook_off_it_stays_off_for_themes_with_no_examples():
    """The rule was chosen on scores without the codebook's words; new answers are scored
    the same way, so a theme nobody coded is not given on its name's words alone."""
    health = ThemeSpec("Mental health", keywords=("anxious", "stressed"))
    engine = default_engine().fit([*THEMES, health], _examples())
    worried = "I feel anxious all the time"
    assert engine.scores([worried])[0]["Mental health"] >= 0.5  # no examples: the codebook

    engine.use_prior = False  # what the tuning chooses when the codebook's words mislead
    [scores] = engine.scores([worried])
    assert scores["Mental health"] == 0.0
    assert "Mental health" not in dict(engine.assign(scores))
    assert engine.scores(BORED_TEST)[0]["Things to do"] > 0.0  # the examples still count


def test_an_answer_with_no_words_gets_no_themes_from_a_trained_engine():
    engine = default_engine().fit(THEMES, _examples())
    for scores in engine.scores(["", "🙂🙂", "[name]"]):
        assert engine.assign(scores) == []
        assert max(scores.values()) == 0.0


def test_uncertainty_is_highest_near_a_threshold():
    engine = default_engine().fit(THEMES, [])
    sure_no = dict.fromkeys(NAMES, 0.0)
    sure_yes = dict(sure_no, **{"Knife crime": 1.0})
    borderline = dict(sure_no, **{"Knife crime": engine.thresholds["Knife crime"]})
    assert engine.uncertainty(sure_no) == 0.0
    assert engine.uncertainty(sure_yes) == 0.0
    assert engine.uncertainty(borderline) == 1.0


def test_fitting_twice_on_the_same_data_gives_the_same_scores():
    texts = BORED_TEST + OTHER_TEST + ["bus fares and knives"]
    first = default_engine().fit(THEMES, _examples()).scores(texts)
    second = default_engine().fit(THEMES, list(_examples())).scores(texts)
    assert first == second


def test_examples_with_unknown_themes_are_refused():
    with pytest.raises(ValueError, match="unknown themes"):
        default_engine().fit(THEMES, [Example("hi", frozenset({"Weather"}))])


def test_scoring_before_fitting_is_a_clear_error():
    with pytest.raises(RuntimeError, match="fit"):
        default_engine().scores(["hello"])


def test_the_default_engine_meets_the_engine_interface():
    engine = default_engine()
    assert isinstance(engine, Engine)
    assert engine.name


# --------------------------------------------------------------------------------------------
# Human codes win


def test_human_codes_replace_the_machine_codes():
    machine = [("Knife crime", 0.91), ("Getting around", 0.55)]
    assert merge(machine, frozenset({"Things to do", "Cyberbullying"})) == [
        ("Cyberbullying", 1.0),
        ("Things to do", 1.0),
    ]


def test_a_human_saying_none_of_these_themes_clears_the_machine_codes():
    assert merge([("Knife crime", 0.91)], frozenset()) == []


def test_without_a_human_coding_the_machine_codes_stand():
    machine = [("Knife crime", 0.91), ("Getting around", 0.55)]
    assert merge(machine, None) == machine


# --------------------------------------------------------------------------------------------
# Codebooks as YAML


def test_a_codebook_is_read_from_yaml_text_or_a_file(tmp_path):
    path = tmp_path / "codebook.yaml"
    path.write_text(CODEBOOK, encoding="utf-8")
    from_file = load_codebook_yaml(path)
    from_name = load_codebook_yaml(str(path))
    other = tmp_path / "codebook.txt"
    other.write_text(CODEBOOK, encoding="utf-8")
    assert from_file == from_name == load_codebook_yaml(str(other)) == THEMES
    assert THEMES[0] == ThemeSpec(
        "Knife crime",
        "Carrying knives, stabbings and being scared of being stabbed.",
        ("knife", "knives", "stabbing", "stabbed", "blade"),
        None,
    )
    assert THEMES[-1].parent == "Online safety"


def test_keywords_may_be_given_one_per_line():
    [theme] = load_codebook_yaml(
        "themes:\n  - name: Money\n    keywords: |\n      cash\n      pocket money\n"
    )
    assert theme.keywords == ("cash", "pocket money")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("themes: [", "not valid YAML"),
        ("- name: Money", "must start with 'themes:'"),
        ("themes: []", "at least one theme"),
        ("themes:\n  - description: no name", "theme 1 has no name"),
        ("themes:\n  - name: '  '", "theme 1 has no name"),
        ("themes:\n  - just a string", "must be a mapping"),
        ("themes:\n  - name: Money\n  - name: money", "used twice"),
        ("themes:\n  - name: A;B", "may not contain ';'"),
        ("themes:\n  - name: Money\n    parent: Cash", "unknown parent 'Cash'"),
        ("themes:\n  - name: Money\n    parent: Money", "its own parent"),
        (
            "themes:\n  - name: A\n  - name: B\n    parent: A\n  - name: C\n    parent: B",
            "two levels at most",
        ),
        ("themes:\n  - name: Money\n    keywords: {a: 1}", "keywords must be a list"),
        ("themes:\n  - name: Money\n    description: [a]", "description must be text"),
    ],
)
def test_bad_codebooks_are_refused_with_a_clear_message(text, message):
    with pytest.raises(ValueError, match=message):
        load_codebook_yaml(text)


def test_a_missing_codebook_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        load_codebook_yaml(Path(tmp_path / "missing.yaml"))
