"""Quality figures of machine codes against gold codes, checked on a worked example."""

from __future__ import annotations

import pytest

from consultations.analysis.quality import evaluate

THEMES = ["Bullying", "Money", "Transport"]

# Five answers coded blind by a person (gold) and by the machine (predicted).
GOLD = {
    1: frozenset({"Bullying"}),
    2: frozenset({"Bullying", "Money"}),
    3: frozenset(),
    4: frozenset({"Transport"}),
    5: frozenset(),
}
PREDICTED = {
    1: frozenset({"Bullying"}),  # right
    2: frozenset({"Bullying"}),  # missed Money
    3: frozenset({"Money"}),  # false Money
    4: frozenset({"Bullying", "Transport"}),  # right Transport, false Bullying
    # 5 missing: the machine chose nothing, as the person did
}

# Worked by hand:
# Bullying:  tp = 2 (answers 1, 2), fp = 1 (answer 4), fn = 0
#            precision = 2/3 = 0.6667, recall = 2/2 = 1, F1 = 2*2/(2*2+1+0) = 4/5 = 0.8
# Money:     tp = 0, fp = 1 (answer 3), fn = 1 (answer 2)
#            precision = 0/1 = 0, recall = 0/1 = 0, F1 = 0/(0+1+1) = 0
# Transport: tp = 1 (answer 4), fp = 0, fn = 0 -> precision = recall = F1 = 1
# Micro:     tp = 3, fp = 2, fn = 1 -> precision = 3/5 = 0.6, recall = 3/4 = 0.75,
#            F1 = 6/(6+2+1) = 6/9 = 0.6667
# Macro F1:  (0.8 + 0 + 1)/3 = 0.6
# Sample F1: answer 1: 2*1/(1+1) = 1; answer 2: 2*1/(2+1) = 0.6667; answer 3: gold empty,
#            predicted not: 0; answer 4: 2*1/(1+2) = 0.6667; answer 5: both empty: 1
#            mean = (1 + 0.6667 + 0 + 0.6667 + 1)/5 = 3.3333/5 = 0.6667


def test_per_theme_counts_and_measures_match_the_worked_example():
    report = evaluate(GOLD, PREDICTED, THEMES)
    bullying, money, transport = report.themes
    assert (bullying.tp, bullying.fp, bullying.fn, bullying.support) == (2, 1, 0, 2)
    assert bullying.precision == pytest.approx(2 / 3)
    assert bullying.recall == 1.0
    assert bullying.f1 == pytest.approx(0.8)
    assert (money.tp, money.fp, money.fn, money.support) == (0, 1, 1, 1)
    assert (money.precision, money.recall, money.f1) == (0.0, 0.0, 0.0)
    assert (transport.tp, transport.fp, transport.fn) == (1, 0, 0)
    assert (transport.precision, transport.recall, transport.f1) == (1.0, 1.0, 1.0)


def test_overall_measures_match_the_worked_example():
    report = evaluate(GOLD, PREDICTED, THEMES)
    assert report.answers == 5
    assert (report.tp, report.fp, report.fn) == (3, 2, 1)
    assert report.micro_precision == pytest.approx(0.6)
    assert report.micro_recall == pytest.approx(0.75)
    assert report.micro_f1 == pytest.approx(2 / 3)
    assert report.macro_f1 == pytest.approx(0.6)
    assert report.sample_f1 == pytest.approx((1 + 2 / 3 + 0 + 2 / 3 + 1) / 5)


def test_an_answer_with_no_themes_from_either_side_counts_as_full_agreement():
    report = evaluate({1: frozenset()}, {1: frozenset()}, THEMES)
    assert report.sample_f1 == 1.0
    assert report.micro_f1 is None  # nothing coded at all: nothing to measure


def test_measures_with_nothing_to_divide_by_are_none_not_zero():
    report = evaluate({1: frozenset({"Money"})}, {1: frozenset({"Money"})}, THEMES)
    bullying = report.theme("Bullying")
    assert (bullying.precision, bullying.recall, bullying.f1) == (None, None, None)
    assert report.theme("Money").f1 == 1.0
    assert report.macro_f1 == 1.0  # Bullying and Transport were never used: left out


def test_no_gold_answers_gives_no_figures():
    report = evaluate({}, {1: frozenset({"Money"})}, THEMES)
    assert report.answers == 0
    assert report.sample_f1 is None
    assert report.micro_f1 is None
    assert report.macro_f1 is None


def test_predictions_for_answers_without_gold_and_unknown_themes_are_ignored():
    report = evaluate(
        {1: frozenset({"Money", "Weather"})},
        {1: frozenset({"Money", "Weather"}), 2: frozenset({"Money"})},
        THEMES,
    )
    assert (report.tp, report.fp, report.fn) == (1, 0, 0)
    assert report.sample_f1 == 1.0


def test_an_unknown_theme_name_is_a_key_error():
    with pytest.raises(KeyError):
        evaluate(GOLD, PREDICTED, THEMES).theme("Weather")
