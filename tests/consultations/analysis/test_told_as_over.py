"""Harm told as over, short answers, and look-alikes the rules know: when the screen holds back.

Each way of holding back has a disclosure beside it that must still be flagged.
"""

import pytest

from consultations.analysis.safeguarding import CONCERN, RULES_DIR, URGENT, Screen, load_screen
from consultations.analysis.safeguarding.context import told_as_over

# --- Harm told as over ------------------------------------------------------------------------

OVER = [
    "i used to self harm in year 8 but i got help from camhs and havent done it for two years",
    "my dad used to hit my mum when i was little but he left years ago and were fine now",
    "a lad threatened me with a knife once when i was 12, he got excluded and nothing since",
    "I used to go missing a lot in year 9 but we talked it through and things are better now",
    # From AY to BA: "a few years back", "i had a time when".
    "me and my mum were in a refuge a few years back but we have our own flat now and its good",
    "i went through a bad patch with cutting but got help from the school nurse and im fine now",
    # From BB to BJ: "camhs helped", "sober", "handed it in", "it got reported", "i was scared".
    "i used to self harm but camhs helped and i havent in over a year now",
    "my dad used to drink loads but hes been sober for three years and home is calm now",
    "i used to carry a knife cos i was scared but i handed it in at the amnesty bin",
    "a man online asked me for pics when i was 11 but it got reported and i know the signs now",
    # From CH: months clean, a good place now.
    "i used to self harm but i had camhs for a year and im 8 months clean now",
    "i had a really dark time in year 9 and cut myself, and im in a good place now",
]

STILL_GOING_ON = [
    "i used to self harm and got help from camhs but ive started again",
    "my dad used to hit my mum, she left him but he still comes round and hits her",
    "i got help from camhs last year but i want to die",
    "my stepdad used to hit me and hes in prison now but hes out tomorrow and im scared",
    "a few years back dad started hitting me and we got help but he still hits me",
    "i went through a bad patch with cutting and got help but im doing it again",
    "i used to self harm and camhs helped but ive been doing it this week",
    "my dad used to drink, hes been sober a year but last night he got drunk and hit my mum again",
    "i handed it in at the amnesty bin last year but im scared of them so ive got another knife",
    "a man online asked me for pics when i was 11 and it got reported but he still messages me",
    "i used to self harm and was 8 months clean but last night i cut again",
    "i had a dark time in year 9 and cut myself, i was in a good place now but its back again",
]


@pytest.mark.parametrize("text", OVER)
def test_harm_told_as_past_and_resolved_is_not_a_concern(text, rules_only):
    assert told_as_over(text)
    assert rules_only.screen(text).flagged is False
    assert load_screen().screen(text).flagged is False


@pytest.mark.parametrize("text", STILL_GOING_ON)
def test_harm_that_goes_on_keeps_its_flag_whatever_was_said_of_the_past(text, rules_only):
    assert not told_as_over(text)
    assert rules_only.screen(text).flagged, text


def test_a_past_and_resolved_urgent_is_lowered_to_a_concern_never_set_aside(rules_only):
    text = "i tried to kill myself when i was 13 but i got help and im in a good place now"
    result = rules_only.screen(text)
    assert result.flagged
    assert result.severity == CONCERN
    assert {span.severity for span in result.spans} == {CONCERN}
    lines = rules_only.explain(text)
    assert "told as over (past, resolved, nothing ongoing): urgent lowered to concern" in lines
    # The same wording without the resolution is urgent.
    assert rules_only.screen("i tried to kill myself last week").severity == URGENT


@pytest.mark.parametrize(
    "text",
    [
        # Past, but nothing says it ended: "never came back" is not "came back".
        "my sister went to pakistan last year and never came back, now theyre saying its my turn",
        # Resolved words, but nothing in the past.
        "my mum says were fine but my dad hits her",
        # A disguise hides the resolution words, so the flag stays.
        "i used to s3lf h4rm but i g0t h3lp",
        "",
    ],
)
def test_without_all_three_markers_it_is_not_told_as_over(text):
    assert not told_as_over(text)


def test_the_reason_is_in_the_explanation(rules_only):
    lines = rules_only.explain(OVER[0])
    assert "told as over (past, resolved, nothing ongoing): concern set aside" in lines
    assert lines[-1] == "result: flagged=False severity=None categories=-"


# --- The learned check: surer for short answers and where the rules read a look-alike ----------


def _eager_check(*, short_threshold: float = 0.0, look_alike_threshold: float = 1.0) -> Screen:
    """The shipped screen with a check that flags anything it scores, except where it must be
    surer (short answers, look-alikes, as given), where it flags nothing."""
    screen = Screen(RULES_DIR)
    assert screen.learned is not None
    screen.learned.threshold = 0.0
    screen.learned.short_threshold = short_threshold
    screen.learned.look_alike_threshold = look_alike_threshold
    return screen


LONG = "i do not really know what to say about where i live apart from the park is ok and my dad"


def test_a_short_answer_needs_the_surer_threshold():
    check = load_screen().learned
    assert check is not None
    assert check.short_threshold > check.threshold
    assert check.threshold_for(["."] + ["word"] * (check.short_words - 1) + ["."]) == (
        check.short_threshold
    )
    assert check.threshold_for(["word"] * check.short_words) == check.threshold

    screen = _eager_check(short_threshold=1.0)
    assert screen.screen(LONG).flagged  # long enough: the eager check flags it
    assert not screen.screen("my dad is ok").flagged  # short: it must be surer


def test_where_the_rules_read_a_look_alike_the_check_must_be_surer():
    text = "idk if ill still be here next year, we might move to scotland with my dad and his dog"
    screen = _eager_check()
    assert not screen.screen(text).flagged
    assert any("as the rules read a look-alike here" in line for line in screen.explain(text))
    # Where it is sure enough, it still flags.
    assert _eager_check(look_alike_threshold=0.0).screen(text).flagged
    shipped = load_screen().learned
    assert shipped is not None and shipped.look_alike_threshold > shipped.threshold


# --- Look-alikes the rules now know, each with a disclosure beside it --------------------------

LOOK_ALIKES = [
    "my mums gonna kill me when she sees my report lol",
    "my sister is going to murder me for borrowing her hoodie",
    "my dad will kill me if im late home again",
    "our cat ran away last week and hasnt come back",
    "my hamster keeps trying to run off",
    "my pe kit has been missing since september",
    "my airpods have gone missing again",
    # From BB to BJ: things that went missing, and "kill me now" said of a lesson.
    "my headset has gone missing, pretty sure my brother has it",
    "the nets at the skate park have been missing for ages",
    "the controller at youth club is missing a button so nobody can play",
    "kill me now we have double maths",
    "someone shoot me now, its a three hour exam",
    "cutting my fringe myself was a mistake lol",
    # From BM: why they trust someone.
    "my nan, she listens and never makes me feel weird about stuff",
]

STILL_DISCLOSURES = [
    ("my dad said he will kill me if he finds out i told anyone", URGENT),
    ("my brother ran away and has been missing for 3 days", URGENT),
    ("my stepdad says he is going to kill me", URGENT),
    ("my mums boyfriend said he will kill me now that i told my teacher", URGENT),
    ("my little sister has been missing since saturday and her phone is off", URGENT),
    ("my football at the park went missing and my brother has been missing since friday", URGENT),
    ("my coach makes me feel weird when he messages me at night", URGENT),
    ("i cut myself again last night after my mum cut my hair", CONCERN),
]


@pytest.mark.parametrize("text", LOOK_ALIKES)
def test_tellings_off_and_lost_pets_and_things_are_not_flagged(text):
    result = load_screen().screen(text)
    assert not result.flagged, [(s.category, s.rule) for s in result.spans]


@pytest.mark.parametrize(("text", "severity"), STILL_DISCLOSURES)
def test_threats_and_missing_people_beside_them_are_still_flagged(text, severity):
    result = load_screen().screen(text)
    assert result.flagged
    assert result.severity == severity
