"""The kinds of wording the screen learned from blind batch A, each with its look-alikes.

Each disclosure below is written in new words (not the batch's, not the labelled set's), so that
a rule that only memorised one phrasing fails here. Each kind has ordinary answers beside it
that share its words and must stay unflagged.
"""

import pytest

from consultations.analysis.safeguarding import CONCERN, URGENT, screen

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
    "my uncle asked us to come round to his house for tea",
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
