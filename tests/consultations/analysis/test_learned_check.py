"""The safeguarding screen's learned check: a second look at answers the rules passed."""

import csv
import json
import math
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from consultations.analysis import learned_check
from consultations.analysis.learned_check import (
    FILLERS,
    MODEL_NAME,
    RULE_NAME,
    LearnedCheck,
    features,
    letters,
    read_examples,
    train,
)
from consultations.analysis.safeguarding import (
    CONCERN,
    RULES_DIR,
    Screen,
    ScreenRulesError,
    evaluate,
    load_screen,
    parse_labels,
)
from tests.csv_support import write_csv

DATA = Path(__file__).parent / "data"
EXAMPLES = RULES_DIR / "examples"

# Disclosures no rule matches, in wordings from the held-out batch B: the check finds them.
ONLY_THE_CHECK_FINDS = [
    ("my friend sam has marks on his back from his dads belt, he showed me in pe", "abuse_neglect"),
    ("theres shouting every night and last week mum had a cut on her head", "domestic_abuse"),
    ("they give me 50 quid to keep a bag in my room and idk whats in it", "criminal_exploitation"),
    (
        "a guy from insta keeps saying he loves me and wants to meet up, hes 30",
        "sexual_exploitation",
    ),
]


def _rows(name: str) -> list[tuple[str, frozenset[str]]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return [
            (row["text"], parse_labels(row["label"], load_screen().categories))
            for row in csv.DictReader(fh)
        ]


# --- What the screen does with it ---------------------------------------------------------------


@pytest.mark.parametrize(("text", "category"), ONLY_THE_CHECK_FINDS)
def test_the_check_flags_a_concern_the_rules_passed(text, category, rules_only):
    assert not rules_only.screen(text).flagged
    result = load_screen().screen(text)
    assert result.flagged
    assert result.severity == CONCERN
    assert result.categories == [category]
    assert 1 <= len(result.spans) <= 3
    for span in result.spans:
        assert span.rule.startswith(f"{RULE_NAME}: ")
        assert span.category == category and span.severity == CONCERN
        # The span is the words it names ("hes" read as "he is"), where they are written.
        written = [w for w in load_screen().words(text[span.start : span.end]) if w != "."]
        assert " ".join(written) == span.rule.split(": ", 1)[1]


def test_rules_flags_are_left_as_they_are():
    result = load_screen().screen("i want to kill myself tonight")
    assert result.severity == "urgent"
    assert all(not s.rule.startswith(RULE_NAME) for s in result.spans)


@pytest.mark.parametrize(
    "text",
    [
        # Told as over in words the context does not know ("the police found me").
        "i went missing once in year 7 but the police found me and now i see a support worker",
    ],
)
def test_a_rules_concern_the_second_opinion_reads_as_a_look_alike_is_set_aside(text, rules_only):
    assert rules_only.screen(text).severity == CONCERN
    screen = load_screen()
    assert screen.learned.second_opinion(screen.words(text)) < screen.learned.set_aside_below
    assert not screen.screen(text).flagged
    assert any("so the rules' concern is set aside" in line for line in screen.explain(text))


def test_urgent_wording_is_never_set_aside():
    # A joke, and the second opinion reads it as one, but urgent wording is the rules' to judge.
    text = "the wifi at school is so bad i want to die"
    screen = load_screen()
    assert screen.learned.second_opinion(screen.words(text)) < screen.learned.set_aside_below
    assert screen.screen(text).severity == "urgent"


@pytest.mark.parametrize(
    "text",
    [
        "my brother is doing county lines i think",
        "im 16 and homeless, the council wont help",
        "i'm so tired of living",
        "i hav scars all up my arms from wen i used 2 cut but ive started again",
    ],
)
def test_plain_disclosures_the_rules_find_keep_their_concern(text):
    # The check learned from every example reads these as ordinary (the county lines one scores
    # 0.008): why the second opinion learns only from what the rules flag (docs/benchmarks.md).
    assert load_screen().screen(text).flagged


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "more buses please",
        "Being listened to and Debates and discussions",
        "I have just started college",
        "my dad takes me to football on saturdays and my mum works nights",
    ],
)
def test_ordinary_answers_pass(text):
    assert not load_screen().screen(text).flagged


def test_explain_says_what_the_check_made_of_an_answer():
    screen = load_screen()
    lines = screen.explain(ONLY_THE_CHECK_FINDS[0][0])
    assert any(
        re.match(r"learned check: [01]\.\d{3} ", line) and "abuse_neglect" in line for line in lines
    )
    assert screen.explain("more buses")[-2].startswith("learned check:")


def _rules_folder(tmp_path) -> Path:
    """A copy of the shipped rules, without their check."""
    folder = tmp_path / "rules"
    folder.mkdir()
    for path in RULES_DIR.glob("*.yaml"):
        shutil.copy(path, folder)
    return folder


def test_a_folder_without_a_check_screens_with_its_rules_alone(tmp_path):
    rules = _rules_folder(tmp_path)
    assert Screen(rules).learned is None
    shutil.copy(RULES_DIR / MODEL_NAME, rules)
    assert Screen(rules).learned is not None
    assert Screen(rules, learned=False).learned is None


def test_a_check_for_categories_the_rules_lack_is_refused(tmp_path):
    shutil.copy(RULES_DIR / "_normalise.yaml", tmp_path)
    shutil.copy(RULES_DIR / "_shared.yaml", tmp_path)
    shutil.copy(RULES_DIR / "self_harm.yaml", tmp_path)
    shutil.copy(RULES_DIR / MODEL_NAME, tmp_path)
    with pytest.raises(ScreenRulesError, match="categories the rules do not have"):
        Screen(tmp_path)


@pytest.mark.parametrize("content", ["{not json", '{"format": 99}', '{"format": 1}'])
def test_a_broken_check_file_is_refused_with_its_name(tmp_path, content):
    rules = _rules_folder(tmp_path)
    (rules / MODEL_NAME).write_text(content, encoding="utf-8")
    with pytest.raises(ScreenRulesError, match=MODEL_NAME):
        Screen(rules)


# --- One sentence read alone ---------------------------------------------------------------------

#: Long ordinary answers with one sentence that is not: read as a whole, the check is not sure
#: enough; the sentence read alone it is.
BURIED = [
    (
        "more youth clubs would be good and cheaper cinema tickets for students. the council "
        "should fix the potholes and the broken street lights on our estate. i stand on the "
        "bridge over the motorway most nights. the library should open on sundays and the "
        "swimming pool should be cheaper",
        "i stand on the bridge over the motorway most nights",
    ),
]


@pytest.mark.parametrize(("text", "sentence"), BURIED)
def test_one_sentence_it_is_sure_of_flags_a_long_answer_it_is_not(text, sentence, rules_only):
    screen = load_screen()
    check = screen.learned
    words = screen.words(text)
    assert check.score(words) < check.threshold  # as a whole: not sure enough
    assert not rules_only.screen(text).flagged  # and the rules pass it
    verdict = check.read(words)
    assert verdict.flagged and verdict.score >= check.sentence_threshold
    first, last = verdict.sentence
    assert " ".join(words[first : last + 1]) == " ".join(screen.words(sentence)[1:-1])
    assert all(first <= a <= b <= last for a, b in verdict.reasons)
    result = screen.screen(text)
    assert result.severity == "concern" and result.categories == ["self_harm"]
    assert all(
        text.index(sentence) <= s.start < s.end <= text.index(sentence) + len(sentence)
        for s in result.spans
    )
    assert any("one sentence alone" in line for line in screen.explain(text))


def test_an_ordinary_answer_and_an_answer_of_one_sentence_are_not_read_sentence_by_sentence():
    check = load_screen().learned
    words = load_screen().words("the buses are late. the park is fine. i like my school.")
    assert check.read(words).sentence is None
    one = load_screen().words("i hope the bus hits me tbh")
    verdict = check.read(one)
    assert verdict.sentence is None  # one sentence: the answer itself, at its own threshold


def test_sentences_are_read_alone_only_when_the_whole_answer_is_somewhat_sure():
    """Under ``SENTENCE_FLOOR`` as a whole, an answer's sentences are not read alone: the cost is
    kept off most answers, and no disclosure found that way on the blind batches scored under
    0.57 as a whole. The same sentence in a shorter answer, which scores over the floor, is
    found."""
    screen = load_screen()
    check = screen.learned
    padding = (
        "the library should open on sundays and the swimming pool should be cheaper for "
        "students. the buses into town are always late and the drivers are rude. we need more "
        "benches in the park and a proper skate park with ramps. the council should fix the "
        "potholes and the broken street lights on our estate. the youth club should open on "
        "fridays and saturdays. the recycling bins need emptying more often and there should "
        "be more trees on the high street. "
    )
    sentence = "i stand on the bridge over the motorway most nights."
    long = screen.words(
        padding + sentence + " also more football for girls please and a cinema in town and a "
        "bowling alley"
    )
    alone = check.score(screen.words(sentence))
    assert alone >= check.sentence_threshold  # the sentence alone is sure enough
    assert check.score(long) < learned_check.SENTENCE_FLOOR
    assert not check.read(long).flagged
    assert check.read(screen.words(BURIED[0][0])).flagged


# --- Its figures --------------------------------------------------------------------------------


def _blind(name: str) -> list[tuple[str, bool]]:
    """A blind batch written as ``text,label,kind`` (label ``disclosure`` or ``ordinary``)."""
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return [(row["text"], row["label"] == "disclosure") for row in csv.DictReader(fh)]


def _found_and_alarms(screen: Screen, rows: list[tuple[str, bool]]) -> tuple[int, int]:
    flagged = [(screen.screen(text).flagged, disclosure) for text, disclosure in rows]
    return sum(f for f, d in flagged if d), sum(f for f, d in flagged if not d)


@pytest.mark.parametrize(
    ("name", "found", "more_than_rules", "alarms"),
    [
        ("screen_blind_ci.csv", 143, 61, 1),
        ("screen_blind_cj.csv", 150, 62, 8),
        ("screen_blind_ck.csv", 147, 65, 8),
    ],
)
def test_on_blind_batches_it_never_learned_from_it_finds_many_more_than_the_rules(
    name, found, more_than_rules, alarms, rules_only
):
    """Batches CI, CJ and CK (each 150 disclosures, 150 ordinary answers, two-thirds of them
    look-alikes) were written by people who never saw the rules or the examples, and read once
    after BW to CH and 1,196 plain everyday answers joined the examples (docs/benchmarks.md,
    "Fresh blind batches BZ to CK"). Each finds over the 95% the screen aims for, but CJ and CK
    flag 8 of their ordinary answers each (5.3%, over the 5%): jokes with urgent words ("if my
    room isnt tidy... my mum will literally kill me"), harm told as over that the markers miss,
    security guards who follow them round a shop.

    docs/benchmarks.md has the figures; this keeps them from slipping back.
    """
    rows = _blind(name)
    alone, both = _found_and_alarms(rules_only, rows), _found_and_alarms(load_screen(), rows)
    assert both[0] >= found
    assert both[0] >= alone[0] + more_than_rules
    assert both[1] <= alarms


def test_on_the_labelled_set_it_adds_few_false_alarms():
    """The labelled set's ordinary answers are hard ones (hyperbole, topics) it never learned.
    Reading letters as well as words, the screen flags 6 of its 421 (it flagged 3 before words
    and letters; 12 after BN to BV joined the examples, until short answers needed 0.96; 10
    after the everyday answers joined, until the threshold was set at 2%)."""
    rows = _rows("screen_labelled.csv")
    result = evaluate(rows)
    assert result.recall == 1.0
    assert result.false_positive_rate <= 0.025, [t for t, _ in result.false_alarm_rows]


def test_no_blind_batch_is_among_its_examples():
    examples = {text.strip().lower() for text, _ in read_examples([EXAMPLES])}
    texts = {text.strip().lower() for text, _ in _rows("screen_labelled.csv")}
    assert not texts & examples, "screen_labelled.csv"
    # A few answers of CI to CK are word for word in the examples too (short, everyday ones),
    # written the same way by earlier batches' writers. None more.
    for name, overlap in (
        ("screen_blind_ci.csv", 2),
        ("screen_blind_cj.csv", 4),
        ("screen_blind_ck.csv", 1),
    ):
        texts = {text.strip().lower() for text, _ in _blind(name)}
        assert len(texts & examples) <= overlap, name


# --- How it scores --------------------------------------------------------------------------------


def test_features_are_words_and_pairs_never_across_a_sentence_end_nor_fillers_alone():
    words = [".", "he", "hits", "me", ".", "and", "mum", "."]
    assert features(words) == ["he", "hits", "me", "mum", "he hits", "hits me", "and mum"]
    assert "and" in FILLERS


def test_plain_python_scores_as_scikit_learn_does():
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union

    screen = Screen(RULES_DIR, learned=False)
    # batch A's answers, and R's, some of whose ordinary answers the rules flag
    rows = read_examples([EXAMPLES / "batch_a.csv", EXAMPLES / "blind_r.csv"])
    words = [screen.words(text) for text, _ in rows]
    passed = [not screen.by_rules(text).flagged for text, _ in rows]
    flags = [label != "none" for _, label in rows]
    model = train(rows, screen.words, categories=screen.categories, passed_by_rules=passed)
    check = LearnedCheck(model)
    union = make_union(
        TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer=letters, sublinear_tf=True, min_df=2),
    )
    matrix = union.fit_transform(words)
    reference = LogisticRegression(
        C=learned_check.FLAG_STRENGTH, class_weight="balanced", max_iter=5000
    ).fit(matrix, flags)
    expected = reference.predict_proba(matrix)[:, 1]
    for w, p in zip(words[:60], expected[:60], strict=False):
        assert math.isclose(check.score(w), p, abs_tol=1e-4)
    # The second opinion: learned from the rows the rules flag, on the same features.
    flagged = [i for i, p in enumerate(passed) if not p]
    assert {flags[i] for i in flagged} == {True, False}
    second = LogisticRegression(C=learned_check.STRENGTH, class_weight="balanced", max_iter=5000)
    second.fit(matrix[flagged], [flags[i] for i in flagged])
    expected = second.predict_proba(matrix[flagged])[:, 1]
    for i, p in zip(flagged[:60], expected[:60], strict=False):
        assert math.isclose(check.second_opinion(words[i]), p, abs_tol=1e-4)


def test_letters_are_runs_of_two_to_four_within_each_word_marked_at_its_edges():
    assert letters([".", "hit", "me", "."]) == [
        " h", "hi", "it", "t ", " hi", "hit", "it ", " hit", "hit ",
        " m", "me", "e ", " me", "me ", " me ",
    ]  # fmt: skip


def test_training_needs_a_rules_verdict_for_every_row_and_ordinary_rows_the_rules_pass():
    screen = Screen(RULES_DIR, learned=False)
    rows = read_examples([EXAMPLES / "batch_a.csv"])[:40]
    assert {label == "none" for _, label in rows} == {True, False}
    with pytest.raises(ValueError, match="one entry a row"):
        train(rows, screen.words, categories=screen.categories, passed_by_rules=[True])
    with pytest.raises(ValueError, match="at least 5 disclosures and 5 ordinary"):
        few = [("he hits me", "abuse_neglect"), ("more buses", "none"), ("i like it", "none")]
        train(few, screen.words, categories=screen.categories)
    with pytest.raises(ValueError, match="ordinary examples the rules pass"):
        train(
            rows,
            screen.words,
            categories=screen.categories,
            passed_by_rules=[label != "none" for _, label in rows],
        )


def test_the_same_examples_learn_the_same_check():
    screen = Screen(RULES_DIR, learned=False)
    rows = read_examples([EXAMPLES / "batch_a.csv"])

    def learn():
        return train(
            rows,
            lambda text: screen.normaliser.prepare(text)[2],
            categories=screen.categories,
        )

    assert json.dumps(learn(), sort_keys=True) == json.dumps(learn(), sort_keys=True)


# --- train_screen_check ---------------------------------------------------------------------------


def _train(*args) -> str:
    out = StringIO()
    call_command("train_screen_check", *args, stdout=out)
    return out.getvalue()


def test_the_shipped_check_is_what_its_examples_give():
    """A changed example or word list without a retrain fails here (and in CI)."""
    assert "matches its examples" in _train("--check")


def _few_examples(tmp_path) -> Path:
    """Two of the example files (about 320 answers, both kinds): the command's tests need its
    behaviour, not the whole set's 20 seconds of learning (the shipped check's own test, above,
    learns from all of them)."""
    folder = tmp_path / "examples"
    folder.mkdir()
    for name in ("batch_a.csv", "blind_b.csv"):
        shutil.copy(EXAMPLES / name, folder)
    return folder


def test_training_writes_a_check_the_screen_uses(tmp_path):
    rules, examples = _rules_folder(tmp_path), _few_examples(tmp_path)
    out = _train("--rules", str(rules), "--examples", str(examples), "--threshold", "0.95")
    assert f"Wrote {rules / MODEL_NAME}" in out
    screen = Screen(rules)
    assert screen.learned.threshold == 0.95
    assert screen.learned.examples == len(read_examples([examples]))
    assert "matches its examples" in _train(
        "--rules", str(rules), "--examples", str(examples), "--threshold", "0.95", "--check"
    )


def test_check_fails_when_the_examples_changed(tmp_path):
    examples = tmp_path / "examples"
    examples.mkdir()
    shutil.copy(EXAMPLES / "batch_a.csv", examples)
    with (examples / "more.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(
            [("text", "label"), ("my uncle locks me in the shed", "abuse_neglect")]
        )
    with pytest.raises(CommandError, match="not what the examples give"):
        _train("--examples", str(examples), "--check")


@pytest.mark.parametrize(
    ("rows", "header", "message"),
    [
        ([("i wanna die", "self_harm")], ("answer", "label"), "expected the columns text,label"),
        ([("i wanna die", "")], ("text", "label"), "row 2: empty label"),
        ([("i wanna die", "sadness"), ("buses", "none")], ("text", "label"), "unknown label"),
        ([("i wanna die", "self_harm")], ("text", "label"), "both disclosures and ordinary"),
        ([("more buses", "none")], ("text", "label"), "both disclosures and ordinary"),
    ],
)
def test_bad_examples_are_refused_and_nothing_is_written(tmp_path, rows, header, message):
    path = write_csv(tmp_path / "bad.csv", rows, header)
    output = tmp_path / "out.json"
    with pytest.raises(CommandError, match=message):
        _train("--examples", str(path), "--output", str(output))
    assert not output.exists()


@pytest.mark.parametrize("threshold", ["0", "1", "1.5", "-0.2"])
def test_a_threshold_outside_0_to_1_is_refused(tmp_path, threshold):
    output = tmp_path / "out.json"
    with pytest.raises(CommandError, match="between 0 and 1"):
        _train("--threshold", threshold, "--output", str(output))
    assert not output.exists()


def test_a_missing_examples_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        _train("--examples", str(tmp_path / "nowhere.csv"), "--output", str(tmp_path / "o.json"))
    assert not (tmp_path / "o.json").exists()


def _nudge_intercept(model):
    model["intercept"] += 0.01


def _nudge_one_category_weight(model):
    next(iter(model["features"].values()))[2][0] += 0.01


@pytest.mark.parametrize(
    ("nudge", "named"),
    [(_nudge_intercept, "intercept"), (_nudge_one_category_weight, "weights of 1 features")],
)
def test_check_names_what_drifted_beyond_the_tolerance(tmp_path, nudge, named):
    rules, examples = _rules_folder(tmp_path), _few_examples(tmp_path)
    _train("--rules", str(rules), "--examples", str(examples))
    model = json.loads((rules / MODEL_NAME).read_text(encoding="utf-8"))
    nudge(model)
    (rules / MODEL_NAME).write_text(json.dumps(model), encoding="utf-8")
    with pytest.raises(CommandError, match=named):
        _train("--rules", str(rules), "--examples", str(examples), "--check")
