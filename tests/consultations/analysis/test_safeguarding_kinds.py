"""The kinds of wording the screen learned from blind batch A, each with its look-alikes.

Each disclosure below is written in new words (not the batch's, not the labelled set's), so that
a rule that only memorised one phrasing fails here. Each kind has ordinary answers beside it
that share its words and must stay unflagged.
"""

import pytest

from consultations.analysis.safeguarding import CONCERN, RULES_DIR, URGENT, Screen, screen

# (kind, category, disclosure)
DISCLOSURES = [
    # Injury words near someone at home.
    ("injury at home", "abuse_neglect", "my nan's fella goes mad and i wake up with bruises"),
    ("injury at home", "abuse_neglect", "theres marks on my legs from my stepdad's belt"),
    ("fed only at school", "abuse_neglect", "school lunch is the only meal i get most days"),
    (
        "carer not home",
        "abuse_neglect",
        "mum hasnt come home since friday and i am feeding my sister",
    ),
    # Followed, stalked, things thrown.
    ("followed", "bullying_threat", "a gang of lads keep following me home from the bus"),
    ("followed", "bullying_threat", "they chucked bricks at me and my mate on the way home"),
    ("beaten up", "bullying_threat", "i was jumped again behind the leisure centre"),
    (
        "threat if they tell",
        "bullying_threat",
        "they said theyd batter my sister if she told anyone",
    ),
    # Made to travel, sell, hold a phone for someone.
    (
        "made to travel",
        "criminal_exploitation",
        "i keep getting sent on the train to other towns to sell",
    ),
    (
        "made to travel",
        "criminal_exploitation",
        "the olders pay for my cabs and tell me where to drop",
    ),
    ("phone", "criminal_exploitation", "i was given a phone and i have to go wherever they say"),
    (
        "stash at home",
        "criminal_exploitation",
        "some older boys hide bags at our flat and i cant say no",
    ),
    # Goodbye notes, won't be here.
    ("won't be here", "self_harm", "idk if im still gonna be here after half term"),
    ("better off gone", "self_harm", "my mum would be happier if i just disappeared"),
    (
        "hiding marks",
        "self_harm",
        "i been cutting my thighs and wearing long sleeves so no one sees",
    ),
    ("someone close", "self_harm", "my girlfriend keeps cutting herself and made me promise"),
    # Adults at home: smashing, screaming, police.
    ("adults at home", "domestic_abuse", "dad kept smashing things and screaming at mum all night"),
    (
        "adults at home",
        "domestic_abuse",
        "the police turned up at ours again after he wrecked the kitchen",
    ),
    (
        "adults at home",
        "domestic_abuse",
        "i found my mum on the bathroom floor after they had a row",
    ),
    ("adults at home", "domestic_abuse", "he had his arm round mums throat so i called 999"),
    (
        "adults at home",
        "domestic_abuse",
        "i take my little brother to my room when they start arguing",
    ),
    # Much older partner of a young teen; men offering things.
    (
        "age gap",
        "sexual_exploitation",
        "im 14 and im dating a 23 year old he picks me up from school",
    ),
    (
        "man touching",
        "sexual_exploitation",
        "some old man on the bus keeps putting his hand on my knee",
    ),
    (
        "man inviting",
        "sexual_exploitation",
        "a guy at the chippy keeps asking me and my friend to his flat",
    ),
    # Threats via social media.
    ("threats online", "weapons_violence", "everyones posting that im getting shanked on saturday"),
    ("threats online", "weapons_violence", "they messaged saying they would stab my brother"),
    # Going missing, told not to come back, sofas.
    ("missing", "missing_homeless", "i keep going missing cos being at home is hell"),
    ("missing", "missing_homeless", "i go missing a lot and nobody comes looking"),
    (
        "not come back",
        "missing_homeless",
        "mum said not to bother coming back so im on my mates sofa",
    ),
    ("sofas", "missing_homeless", "ive been crashing on random peoples sofas for a month"),
]

# Ordinary answers that share the words of a kind above.
ORDINARY = [
    "i got bruises from the trampoline park lol",
    "my dad doesnt come home till late because of work",
    "school is the only place i get to use a laptop",
    "my dog follows me everywhere and its so cute",
    "we got battered at football on sunday",
    "i keep my bike in my nans shed",
    "i was given a phone for my birthday",
    "idk if ill still be here next year, we might move to scotland",
    "my little brother would be happier if i stopped hogging the xbox",
    "i cut myself on some glass at the beach",
    "he hurt himself playing rugby",
    "i wear long sleeves in winter because its cold",
    "the neighbours are always shouting and banging late at night",
    "the police came round ours about our stolen bike",
    "i take my little sister to my room to play games",
    "im 14 and my cousin is 23 and she is a nurse",
    "a man at the market gives out free samples",
    "everyone says you get stabbed in town but ive never seen anything",
    "my mates said theyd shoot me a text later",
    "my phone charger keeps going missing lol",
    "i missed a lesson because of the dentist",
    "i keep missing a trick in maths",
    "i slept on my mates sofa after the party",
    "there is nowhere for us to go on a friday night",
    "if i dont get a ps5 im running away jk",
    "i read a story about a girl who runs away from home",
]


@pytest.mark.parametrize(("kind", "category", "text"), DISCLOSURES)
def test_a_new_wording_of_a_learned_kind_is_flagged(kind, category, text):
    result = screen(text)
    assert result.flagged, (kind, text)
    assert category in result.categories, (kind, text, result.categories)


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_answers_with_the_same_words_are_not_flagged(text):
    result = screen(text)
    assert not result.flagged, (text, [(s.category, s.rule) for s in result.spans])


def test_an_uncles_house_for_tea_is_a_look_alike_to_the_rules():
    """The rules read "round to his house for tea" as a look-alike. The learned check has learned
    that "my uncle" often comes with disclosures, and since BB to BG joined its examples it flags
    this at 0.91, over the 0.9 it needs where the rules see a look-alike: a known false alarm
    (docs/safeguarding-screen.md, "The learned check leans on ordinary words"). Whatever it
    makes of it, the rules stay out of it."""
    text = "my uncle asked us to come round to his house for tea"
    assert not Screen(RULES_DIR, learned=False).screen(text).flagged
    assert all(span.rule.startswith("learned check: ") for span in screen(text).spans)


@pytest.mark.parametrize(
    "text",
    ["i hurt myself on purpose", "i cut myself on purpose to feel something"],
)
def test_on_purpose_is_never_read_as_an_accident(text):
    result = screen(text)
    assert result.flagged
    assert result.categories == ["self_harm"]


def test_hands_round_a_parents_neck_and_threats_to_someone_close_are_urgent():
    assert screen("he had his hands round her neck last night").severity == URGENT
    assert screen("they said they will shoot my cousin").severity == URGENT
    assert screen("people keep messaging me saying im getting merked tonight").severity == URGENT
    assert screen("dad keeps smashing plates when hes drunk").severity == CONCERN


def test_spans_are_found_across_new_lines_and_words_that_stand_for_several():
    text = "fine thanks\r\nbut honestly kms\nand my stepdad hits me"
    result = screen(text)
    found = {(text[s.start : s.end], s.category) for s in result.spans}
    assert ("kms", "self_harm") in found
    assert ("my stepdad hits me", "abuse_neglect") in found


# --- Kinds blind batch C showed, after it was measured -------------------------------------------
# New words again, and tested on the rules alone: the learned check must not be what finds them.

C_KINDS = [
    ("someone close beaten up", "bullying_threat", "my sister keeps getting jumped at the park"),
    ("someone close beaten up", "bullying_threat", "my best mate got battered again at lunch"),
    ("kys in comments", "bullying_threat", "they keep posting kys under all my videos"),
    ("kys in comments", "bullying_threat", "someone sent kill yourself to me on every app"),
    ("head smashed", "bullying_threat", "year 10s slammed my face into the lockers"),
    ("head smashed", "bullying_threat", "i got my head kicked in behind the bike sheds"),
    (
        "thinking about jumping",
        "self_harm",
        "some nights i go up the car park and think about jumping",
    ),
    ("thinking about jumping", "self_harm", "i nearly jumped off the flyover last week"),
    ("looking up ways", "self_harm", "ive been googling ways to not wake up"),
    ("sells for someone", "criminal_exploitation", "i hold stuff for some older lads"),
    ("sells for someone", "criminal_exploitation", "im shotting for a guy from town"),
    ("not by choice", "criminal_exploitation", "dealing at school now, not my choice tbh"),
    (
        "leaves home for days",
        "missing_homeless",
        "i walk out of the house for a few days when mum drinks",
    ),
    ("night buses", "missing_homeless", "most nights im riding the buses all night"),
    (
        "order broken",
        "domestic_abuse",
        "my stepdad has a restraining order but he keeps coming round and banging on the door",
    ),
]

C_KINDS_ORDINARY = [
    "my sister got jumped on by our dog when she came home",
    "people keep commenting nice on all my posts",
    "i banged my head on the cupboard door this morning",
    "we went up the car park to watch the fireworks",
    "i want to jump in the pool at the leisure centre more often",
    "googling ways to do it cheaper, like revision guides",
    "i sell stuff for my mum on vinted",
    "i carry stuff for my nan from the shop",
    "we leave home for a week in the summer holidays",
    "the night bus is really useful for getting home from work",
    "the court order for our house extension came through",
    "our neighbours keep turning up at our door with cake",
]


@pytest.fixture(scope="module")
def rules_alone():
    from consultations.analysis.safeguarding import RULES_DIR, Screen

    return Screen(RULES_DIR, learned=False)


@pytest.mark.parametrize(("kind", "category", "text"), C_KINDS)
def test_a_kind_blind_batch_c_showed_is_found_by_the_rules(kind, category, text, rules_alone):
    result = rules_alone.screen(text)
    assert result.flagged, (kind, text)
    assert category in result.categories, (kind, text, result.categories)


@pytest.mark.parametrize("text", C_KINDS_ORDINARY)
def test_ordinary_answers_with_batch_c_words_are_not_flagged(text, rules_alone):
    assert not rules_alone.screen(text).flagged, text
    assert not screen(text).flagged, text


def test_thinking_about_jumping_from_a_height_is_urgent(rules_alone):
    assert (
        rules_alone.screen("i think about jumping off the bridge on the way home").severity
        == URGENT
    )
