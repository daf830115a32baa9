"""``manage.py evaluate_screen``: the screen's figures on a labelled CSV, with its mistakes."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.csv_support import write_csv

LABELLED = Path(__file__).parents[1] / "analysis" / "data" / "screen_labelled.csv"


def _run(*args) -> str:
    out = StringIO()
    call_command("evaluate_screen", *args, stdout=out)
    return out.getvalue()


def test_prints_figures_overall_and_per_category_and_lists_the_mistakes(tmp_path):
    path = write_csv(
        tmp_path / "set.csv",
        [
            ("i wanna die", "self_harm"),
            ("my stepdad hits me", "abuse_neglect"),
            ("the bus never comes", "missing_homeless"),
            ("my mates coz i cant go home", "missing_homeless;abuse_neglect"),
            ("more benches in the park", "none"),
            ("i carry a knife to school", "none"),
            ("knife crime is a problem in my town", "none"),
            ("", "none"),
        ],
    )
    output = _run(str(path))

    assert "7 answers: 4 disclosures, 3 ordinary" in output
    assert "recall     0.750 (3/4)" in output
    assert "precision  0.750 (3/4)" in output
    assert "false-positive rate on ordinary answers  0.333 (1/3)" in output
    rows = {
        line.split()[0]: line.split()[1:] for line in output.splitlines() if line.startswith("  ")
    }
    assert rows["self_harm"] == ["1", "1.000", "1.000", "1.000"]
    assert rows["missing_homeless"] == ["2", "0.500", "0.500", "1.000"]
    assert rows["weapons_violence"] == ["0", "-", "-", "0.000"]
    assert "Misses (disclosures not flagged): 1\n  [missing_homeless] the bus never comes" in output
    assert "False alarms (ordinary answers flagged): 1\n  i carry a knife to school" in output
    assert "      by weapons_violence: " in output
    assert "knife crime" not in output


def test_the_shipped_labelled_set_meets_the_targets():
    output = _run(str(LABELLED))
    recall = float(output.split("recall", 1)[1].split()[0])
    rate = float(output.split("ordinary answers", 1)[1].split()[0])
    assert recall >= 0.95
    assert rate <= 0.05


def test_explain_shows_how_one_answer_was_read():
    output = _run("--explain", "im gonna kms")
    assert output.splitlines()[0] == "read as: . i am going to kill myself ."
    assert "self_harm/urgent: 'kill myself'" in output
    assert output.splitlines()[-1] == "result: flagged=True severity=urgent categories=self_harm"


def test_other_rules_can_be_tried_before_they_go_live(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "weapons_violence.yaml").write_text("concern:\n  terms: [cosh]\n", encoding="utf-8")
    path = write_csv(tmp_path / "set.csv", [("he has a cosh", "weapons_violence"), ("hi", "none")])
    output = _run(str(path), "--rules", str(rules))
    assert "recall     1.000 (1/1)" in output
    assert f"Rules: {rules}" in output


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([("hello", "selfharm")], ("text", "label"), "line 2: unknown category: selfharm"),
        ([("hello", "")], ("text", "label"), "line 2: empty label"),
        ([("hello", "none")], ("answer", "label"), "expected the columns text,label"),
        ([], ("text", "label"), "no labelled answers"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(tmp_path, rows, header, message):
    path = write_csv(tmp_path / "bad.csv", rows, header=header)
    with pytest.raises(CommandError, match=message):
        _run(str(path))


def test_a_missing_file_or_no_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        _run(str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="Give a CSV file"):
        _run()


def test_broken_rules_are_refused(tmp_path):
    (tmp_path / "self_harm.yaml").write_text("concern:\n  terms: [(oops]\n", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot be read"):
        _run("--rules", str(tmp_path), "--explain", "hi")
