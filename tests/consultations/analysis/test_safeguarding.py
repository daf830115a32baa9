"""The safeguarding screen: disclosures found in young people's own words, topics left alone."""

import ast
import csv
import logging
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultations.analysis import safeguarding
from consultations.analysis.safeguarding import (
    CATEGORY_LABELS,
    CONCERN,
    RULES_DIR,
    URGENT,
    Screen,
    ScreenRulesError,
    evaluate,
    load_screen,
    parse_labels,
    screen,
)

LABELLED = Path(__file__).parent / "data" / "screen_labelled.csv"
ANALYSIS = Path(safeguarding.__file__).parents[1]  # the analysis library

# Several phrasings per category, in the way 10-18-year-olds write: text-speak, slang,
# misspellings, no capitals. Written apart from the labelled set.
DISCLOSURES = {
    "self_harm": [
        "kms",
        "i wanna die",
        "i just want to unalive myself",
        "been cuttin myself again",
        "im gonna end it all tonight",
        "i want 2 dye",
        "i keep hurting myself when im sad",
        "my sister says she wants to kill herself",
        "no point living anymore tbh",
        "i took loads of tablets last night",
    ],
    "abuse_neglect": [
        "my stepdad hits me",
        "my step-dad beats me when he's drunk",
        "there's no food at home",
        "mum locks me in my room all weekend",
        "i get hit at home",
        "my dad leathers me if i answer back",
        "my nan slaps me round the face",
        "my friend jess's dad hits her",
    ],
    "sexual_exploitation": [
        "he sent me pics and said he'd share them",
        "a man on snap keeps asking me to send nudes",
        "my uncle touches me when no one is in",
        "someone is threatening to post my pics unless i pay",
        "i was raped at a party",
        "an older guy keeps buying me vapes and wants to meet me at his flat",
        "my coach told me not to tell anyone about us",
    ],
    "criminal_exploitation": [
        "made to hold stuff for older lads",
        "the olders make me sell weed for them",
        "i keep getting sent country to sell",
        "they gave me a burner and said i owe them",
        "some men are using our flat to sell from",
        "my brother is doing county lines i think",
    ],
    "weapons_violence": [
        "someone is going to stab me",
        "i carry a knife for protection",
        "they said they'll shank me after school",
        "my cousin keeps a gun in his room",
        "this boy pulled a blade on me",
        "im going to stab him if he touches me again",
    ],
    "missing_homeless": [
        "sleeping at my mates coz I can't go home",
        "my mum kicked me out and ive got nowhere to stay",
        "i ran away from home last night",
        "ive been sofa surfing for weeks",
        "my brother's been missing for 3 days",
        "i've been sleeping rough",
    ],
    "domestic_abuse": [
        "my dad hits my mum",
        "my stepdad hurts my mum when he's drunk",
        "mums boyfriend strangled her",
        "my parents fight and he throws things at her",
        "my boyfriend checks my phone and says he'll hurt me",
        "the police keep coming round because dad attacks mum",
    ],
    "bullying_threat": [
        "they keep telling me to kys",
        "people at school tell me to kill myself",
        "a group of girls said theyll jump me after school",
        "im being bullied and they punch me every day",
        "someone made a fake account of me and posted my address",
        "im too scared to go to school because of the bullies",
    ],
}

URGENT_CASES = [
    "kms",
    "i want to die",
    "im going to kill myself",
    "i wanna kys",
    "someone is going to stab me",
    "he said he'll post my nudes if i dont send more",
    "my uncle touches me at night",
    "i ran away from home last night and im at the station",
    "i've got nowhere to sleep tonight",
    "they said they will kill me if i tell",
    "im going to stab him",
    "my dad strangled my mum",
]

CONCERN_CASES = [
    "my stepdad hits me",
    "there's no food at home",
    "i self harm",
    "made to hold stuff for older lads",
    "im being bullied every day",
    "i carry a knife",
]

# Topics, lessons, hyperbole and ordinary life: none of these is a disclosure.
ORDINARY = [
    "knife crime is a problem in my town",
    "teach us about county lines",
    "this survey is killing me",
    "I'd die for a pizza",
    "my mum would kill me if I failed",
    "we learned about grooming in PSHE",
    "we need more buses to the leisure centre",
    "the park needs better lights",
    "I want to die my hair pink",
    "dying of boredom in maths",
    "people on xbox say kys all the time",
    "suicide prevention should be taught in schools",
    "some people self harm and need support",
    "young people carry knives because they are scared",
    "homeless people in town need more help",
    "I shot a video for the competition",
    "my stepdad is sound, he takes me to football",
    "I got hit by a ball in PE",
    "covid made everything harder at school",
    "nobody listens to young people",
    "the canteen food is a crime",
    "my friend fell and cut her knee on the way to school",
    "going missing from lessons to vape is a problem",
    "i was bullied in year 7 but it got sorted",
    "im gonna die if i have to do another assembly",
    "the bus home is so packed",
]


def test_every_category_has_a_label_for_people():
    assert set(CATEGORY_LABELS) == set(DISCLOSURES)
    assert CATEGORY_LABELS["self_harm"] == "Suicide and self-harm"
    assert all(label and label != name for name, label in CATEGORY_LABELS.items())


@pytest.mark.parametrize(
    ("category", "text"),
    [(category, text) for category, texts in DISCLOSURES.items() for text in texts],
)
def test_disclosure_is_flagged_under_its_category(category, text):
    result = screen(text)
    assert result.flagged
    assert category in result.categories, (text, result.categories)


@pytest.mark.parametrize("text", URGENT_CASES)
def test_imminent_risk_is_urgent(text):
    assert screen(text).severity == URGENT


@pytest.mark.parametrize("text", CONCERN_CASES)
def test_disclosure_without_imminent_risk_is_a_concern(text):
    result = screen(text)
    assert result.flagged
    assert result.severity == CONCERN


@pytest.mark.parametrize("text", ORDINARY)
def test_topics_and_exaggeration_are_not_flagged(text):
    result = screen(text)
    assert not result.flagged, (text, [(s.category, s.rule) for s in result.spans])
    assert result.severity is None
    assert result.categories == []
    assert result.spans == []


def test_kys_about_oneself_is_suicidal_and_said_to_you_is_bullying():
    assert screen("i wanna kys").categories == ["self_harm"]
    told = screen("people in my form keep telling me to kys")
    assert told.categories == ["bullying_threat"]
    assert not screen("people on xbox say kys all the time").flagged


@pytest.mark.parametrize(
    "text",
    [
        "I WANNA DIE",
        "i wannaaaa dieeee",
        "i w4nt t0 d13",
        "i want to d!e",
        "i want to die!!!",
        "i wanna die\u2026",
        "I\u2019m going to kill myself",
        "Im sooo done... evry1 wud b better off w/o me",
    ],
)
def test_the_screen_reads_through_capitals_leetspeak_repeats_and_apostrophes(text):
    assert screen(text).severity == URGENT


def test_a_harm_word_near_someone_close_counts_but_not_as_a_topic():
    assert "weapons_violence" in screen("my cousin got stabbed last week").categories
    assert not screen("we did a lesson about people who got stabbed").flagged


def test_spans_point_at_the_words_in_the_original_text():
    text = "Honestly?? I WANNA DIEEEE, nobody gets it"
    result = screen(text)
    assert result.spans
    words = [text[s.start : s.end] for s in result.spans]
    assert "I WANNA DIEEEE" in words
    span = next(s for s in result.spans if text[s.start : s.end] == "I WANNA DIEEEE")
    assert span.category == "self_harm"
    assert span.severity == URGENT
    assert span.rule
    assert span.as_dict() == {
        "start": span.start,
        "end": span.end,
        "category": "self_harm",
        "rule": span.rule,
        "severity": URGENT,
    }


def test_urgent_categories_come_first():
    result = screen("my stepdad hits me and i want to die")
    assert result.severity == URGENT
    assert result.categories == ["self_harm", "abuse_neglect"]


@pytest.mark.parametrize("text", ["", "   ", "\n", "💀💀💀", "....", "12345"])
def test_empty_or_wordless_answers_are_not_flagged(text):
    assert not screen(text).flagged


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_screened_without_error_and_spans_stay_inside_it(text):
    result = screen(text)
    assert result.flagged == bool(result.spans)
    assert result.severity in (None, URGENT, CONCERN)
    for span in result.spans:
        assert 0 <= span.start < span.end <= len(text)
        assert span.category in CATEGORY_LABELS


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(DISCLOSURES["self_harm"] + DISCLOSURES["abuse_neglect"]), st.text(max_size=60)
)
def test_a_disclosure_is_still_found_with_other_words_around_it(text, other):
    assert screen(f"{other}. {text}").flagged


def test_the_word_index_never_hides_a_match():
    """The index that skips rules an answer cannot match must give the same answer as trying all."""
    rules = load_screen()
    texts = [row[0] for row in _labelled_rows()] + ORDINARY
    for text in texts:
        fast = rules.screen(text)
        full = rules.explain(text)[-1]
        assert full == (
            f"result: flagged={fast.flagged} severity={fast.severity} "
            f"categories={','.join(fast.categories) or '-'}"
        ), text


def test_screening_logs_nothing_of_the_text(caplog):
    caplog.set_level(logging.DEBUG)
    secret = "my stepdad hits me and calls me zzyzx"
    assert screen(secret).flagged
    assert "zzyzx" not in caplog.text


def test_the_analysis_package_has_no_django_imports():
    for path in ANALYSIS.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] in {"django", "wagtail"} for n in names), path


# --- Rules as data ----------------------------------------------------------------------------


def test_every_shipped_rule_compiles():
    Screen().compile_all()


def test_the_compiled_rules_are_cached_per_folder():
    assert load_screen() is load_screen(RULES_DIR)
    assert load_screen() is load_screen(str(RULES_DIR))


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_a_local_folder_adds_words_to_the_shipped_rules(tmp_path):
    local = tmp_path / "ours"
    _write(local, "weapons_violence.yaml", "concern:\n  terms:\n    - has a cosh\n")
    assert not screen("my brother has a cosh").flagged
    extended = Screen(RULES_DIR, local)
    assert extended.screen("my brother has a cosh").categories == ["weapons_violence"]
    assert extended.screen("someone is going to stab me").severity == URGENT


def test_a_local_folder_can_add_a_category(tmp_path):
    local = tmp_path / "ours"
    _write(
        local,
        "radicalisation.yaml",
        "name: radicalisation\nlabel: Radicalisation\nconcern_near_person:\n"
        "  terms: [extremist group]\n",
    )
    rules = Screen(RULES_DIR, local)
    assert rules.categories["radicalisation"] == "Radicalisation"
    assert rules.screen("my brother joined an extremist group").categories == ["radicalisation"]
    assert not rules.screen("we learned about extremist group tactics in a lesson").flagged


def test_a_minimal_rules_folder_works_on_its_own(tmp_path):
    _write(tmp_path, "self_harm.yaml", 'urgent:\n  patterns:\n    - "(want|wish) to die"\n')
    rules = Screen(tmp_path)
    assert rules.screen("i want to die").severity == URGENT
    assert not rules.screen("i'd die for a pizza").flagged


def test_no_and_yes_stay_words_in_the_rules(tmp_path):
    _write(tmp_path, "abuse_neglect.yaml", "concern:\n  together:\n    - [[no], [dinner]]\n")
    assert Screen(tmp_path).screen("no dinner again").flagged


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('concern:\n  patterns:\n    - "(hits|hit me"\n', "not closed"),
        ('concern:\n  patterns:\n    - "hit (me)?"\n', "optional"),
        ('concern:\n  patterns:\n    - "{monsters} hit me"\n', "no word list called {monsters}"),
        ('concern:\n  patterns:\n    - "[maybe] ..."\n', "without any words"),
        ("concerns:\n  terms: [x]\n", "unknown section"),
        ("concern:\n  terms: [a]\nconcern:\n  terms: [b]\n", "written twice"),
        ("concern:\n  words: [a]\n", "terms"),
        ("concern:\n  together:\n    - [[alone]]\n", "two or more lists"),
        ('concern:\n  patterns:\n    - regex: "(unclosed"\n', "unclosed"),
    ],
)
def test_a_broken_rules_file_is_refused_with_a_message_naming_it(tmp_path, content, message):
    _write(tmp_path, "abuse_neglect.yaml", content)
    with pytest.raises(ScreenRulesError) as error:
        Screen(tmp_path)
    assert "abuse_neglect.yaml" in str(error.value)
    assert message in str(error.value)


def test_a_hand_written_regex_rule_works(tmp_path):
    _write(
        tmp_path,
        "weapons_violence.yaml",
        "concern:\n  patterns:\n    - name: a calibre\n      regex: '\\d+ ?mm '\n"
        "    - regex: 'glock\\w* '\n      anchors: [glock]\n",
    )
    rules = Screen(tmp_path)
    assert rules.screen("he has a 9mm pistol").spans[0].rule == "a calibre"
    assert rules.screen("he has a glock").flagged
    assert not rules.screen("he has a dog").flagged


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(ScreenRulesError, match="no such folder"):
        Screen(tmp_path / "nowhere")


# --- The labelled set -------------------------------------------------------------------------


def _labelled_rows() -> list[tuple[str, str]]:
    with LABELLED.open(encoding="utf-8", newline="") as fh:
        return [(row["text"], row["label"]) for row in csv.DictReader(fh)]


def test_the_labelled_set_is_big_enough_and_mostly_ordinary():
    rows = _labelled_rows()
    ordinary = [text for text, label in rows if label == "none"]
    assert len(rows) >= 200
    assert len(ordinary) >= len(rows) / 2
    counts = dict.fromkeys(CATEGORY_LABELS, 0)
    for _, label in rows:
        for name in parse_labels(label, CATEGORY_LABELS):
            counts[name] += 1
    assert min(counts.values()) >= 15, counts


def test_the_screen_meets_its_targets_on_the_labelled_set():
    """Shipped targets: recall at least 0.95, false alarms on ordinary answers at most 0.05.

    These rows were written by the people who tuned the rules, so the figures flatter the screen;
    docs/benchmarks.md gives the figures on sets it had not seen.
    """
    rows = [(text, parse_labels(label, CATEGORY_LABELS)) for text, label in _labelled_rows()]
    result = evaluate(rows)
    assert result.recall >= 0.95, result.misses
    assert result.false_positive_rate <= 0.05, [t for t, _ in result.false_alarm_rows]


def test_evaluate_counts_misses_wrong_categories_and_false_alarms():
    rows = [
        ("i wanna die", frozenset({"self_harm"})),
        ("the bus is late", frozenset({"self_harm"})),
        ("my stepdad hits me", frozenset({"domestic_abuse"})),
        ("the park is nice", frozenset()),
        ("i carry a knife", frozenset()),
    ]
    result = evaluate(rows)
    assert (result.disclosures, result.ordinary) == (3, 2)
    assert result.caught == 2
    assert result.recall == pytest.approx(2 / 3)
    assert result.false_positive_rate == 0.5
    assert result.misses == [("the bus is late", frozenset({"self_harm"}))]
    assert [text for text, _, _ in result.wrong_category] == ["my stepdad hits me"]
    assert [text for text, _ in result.false_alarm_rows] == ["i carry a knife"]
    self_harm = result.categories["self_harm"]
    assert (self_harm.examples, self_harm.found, self_harm.recall) == (2, 1, 0.5)
    assert result.categories["weapons_violence"].precision == 0.0


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("none", frozenset()),
        ("self_harm", frozenset({"self_harm"})),
        ("self_harm; missing_homeless", frozenset({"self_harm", "missing_homeless"})),
    ],
)
def test_labels_are_read_as_category_sets(label, expected):
    assert parse_labels(label, CATEGORY_LABELS) == expected


@pytest.mark.parametrize("label", ["", "selfharm", "none;self_harm"])
def test_unknown_labels_are_refused(label):
    with pytest.raises(ValueError):
        parse_labels(label, CATEGORY_LABELS)
