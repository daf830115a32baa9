"""What blind batches BN to BV taught the rules, in three rounds, each from three batches read
once (docs/benchmarks.md, "Fresh blind batches BN to BY"); the rules' comments name the round.

- Eighth, from BN to BP: suicidal wording tied to a day or a wait, standing close to trains, a
  belt used on them, neglect told through the dentist or an inhaler, hands that "go places they
  shouldnt", wages never seen, being filmed while hurt, staying with people they meet.
- Ninth, from BQ to BS: someone "going for" or hitting mum with no "my", a parent gone for days,
  needles at home, "theres nothing in", a marriage to a cousin, kept in so the community will
  not talk, wages taken, brought here to work, not eating and fainting, fire set to a bin, a
  location leaked, strangers at the door, going missing from a care home.
- Tenth, from BT to BV: wanting to go where someone who died is, "we all carry now", a price on
  their head, spat at, racist abuse every day, made to take bags somewhere, a bruise "not from
  falling", shouting before the hitting, a mum who must ask to go out, a bag packed to run.

And the false alarms each round cleared: jokes, songs, game characters, opinions, security
guards, and harm told as over in words the context did not know. Every wording here is written
afresh, not copied from a batch. Each look-alike the rules now pass has a disclosure beside it,
worded the same way, that they must still flag.
"""

import pytest

from consultations.analysis.safeguarding import CONCERN, URGENT
from consultations.analysis.safeguarding.context import told_as_over

# (text, category): wordings the rules now find, round by round.
EIGHTH = [
    ("im not going to be around for my gcses so why revise", "self_harm"),
    ("the waiting list is a year and i doubt i can hold on that long", "self_harm"),
    ("i wait right next to the tracks when the fast trains come through", "self_harm"),
    ("some nights i sit by the bridge and wish i had the courage", "self_harm"),
    ("music, my cat, and sometimes my razor as well", "self_harm"),
    ("i hardly eat anything now because it makes me feel in control", "self_harm"),
    ("i hurt myself a bit most nights, nobody knows", "self_harm"),
    ("my mums boyfriend used his belt on me last week", "abuse_neglect"),
    ("i had to tell my form tutor i fell down the stairs again", "abuse_neglect"),
    ("nobody has taken me to the doctor for ages even though my ear is bad", "abuse_neglect"),
    ("my dad never renewed my inhaler and i keep getting out of breath", "abuse_neglect"),
    ("at home the cupboards are always empty", "abuse_neglect"),
    ("in our flat theres cat poo all over and nobody cleans it", "abuse_neglect"),
    ("we have to keep the baby quiet otherwise mum gets it", "domestic_abuse"),
    ("my cousin stays over and his hands wander where they shouldnt", "sexual_exploitation"),
    ("we clean offices every night and never get any wages", "criminal_exploitation"),
    ("a van picks us up at five for work on the farms", "criminal_exploitation"),
    ("we keep getting moved around flats by the people we owe", "criminal_exploitation"),
    ("the discord im in keeps saying we have to rise up soon", "weapons_violence"),
    ("two lads recorded themselves punching me by the shops", "bullying_threat"),
    ("they kicked me on the field and posted it all over snapchat", "bullying_threat"),
    ("i crash with randoms i meet in town instead of going home", "missing_homeless"),
]

NINTH = [
    ("i hide in the bathroom when hes laying into mum", "domestic_abuse"),
    ("my uncle is always battering nan when hes had a drink", "domestic_abuse"),
    ("dad didnt come home for three days and we had no money", "abuse_neglect"),
    ("theres syringes on the sofa when i get in from school", "abuse_neglect"),
    ("i skip tea cos there is nothing in and mum is asleep", "abuse_neglect"),
    ("i wish i could tell a teacher about what my step dad does", "abuse_neglect"),
    ("my aunty says i have to marry a man from her village", "abuse_neglect"),
    ("im kept in all holiday in case the aunties talk", "abuse_neglect"),
    ("the boss keeps all the money we make at the car wash", "criminal_exploitation"),
    (
        "i was sent over to england to live with family but i just clean all day",
        "criminal_exploitation",
    ),
    ("my sister is not eating and keeps passing out at school", "self_harm"),
    ("some lads set fire to our shed and shouted that we should go home", "bullying_threat"),
    ("they posted my address in the group chat after i blocked them", "bullying_threat"),
    ("men i have never met keep coming up to my door at night", "bullying_threat"),
    ("my brother keeps going missing from his placement", "missing_homeless"),
]

TENTH = [
    ("since grandad passed i just want to be with him again", "self_harm"),
    ("people say see you tomorrow and i never know if i will be", "self_harm"),
    ("all my mates carry now because of the estate", "weapons_violence"),
    ("someone has put a price on my brothers head on snapchat", "weapons_violence"),
    ("a group of boys spat at me outside the chippy", "bullying_threat"),
    ("i get racist names shouted at me every day on the bus", "bullying_threat"),
    ("they shared where we live on a story and said watch out", "bullying_threat"),
    ("my uncle makes me carry parcels over to the next town", "criminal_exploitation"),
    ("the marks on my arm were not from football whatever i said", "abuse_neglect"),
    ("if i bring my report home ill get a hiding", "abuse_neglect"),
    ("first comes the yelling and then the slapping", "abuse_neglect"),
    ("my mum has to ask him before she can go out with her friends", "domestic_abuse"),
    ("my step dad checks her receipts every night", "domestic_abuse"),
    ("we keep a suitcase packed by the stairs in case we need to leave again", "domestic_abuse"),
]


@pytest.mark.parametrize(("text", "category"), EIGHTH + NINTH + TENTH)
def test_wordings_blind_batches_bn_to_bv_showed_are_flagged(text, category, rules_only):
    result = rules_only.screen(text)
    assert result.flagged, rules_only.explain(text)
    assert category in result.categories


def test_hands_that_go_where_they_should_not_are_urgent(rules_only):
    result = rules_only.screen("when he babysits his fingers go places they shouldnt")
    assert result.severity == URGENT


# (a look-alike the rules pass, the disclosure beside it they must flag), round by round.
EIGHTH_PAIRS = [
    (
        "my favourite character in apex is a hero who has a knife",
        "my brother has a knife in his room and says hes using it saturday",
    ),
    (
        "bullying online is a big problem and apps should ban people faster",
        "the bullying online is so bad i dont want to go to school, they said theyll jump me",
    ),
    (
        "i wont be here for the sponsored walk because we are going to my nans",
        "i wont be here for results day, ive decided",
    ),
    ("i hurt myself a bit playing rugby on saturday", "i hurt myself a bit before bed every night"),
    (
        "my little brother beat me at fifa and posted it on his story",
        "they beat me up and posted it on their story",
    ),
    ("the park is a mess, dog poo everywhere", "at home theres dog poo everywhere and no food"),
]

NINTH_PAIRS = [
    (
        "my sister is so annoying im going to kill her one day lol",
        "my step dad said he is going to kill her one day and i believe him",
    ),
    (
        "if i have to sit through one more assembly i will jump off the roof lol",
        "i keep thinking i will jump off the roof of the car park",
    ),
    (
        "mum is gonna strangle me when she sees the phone bill",
        "mum is gonna strangle me when she finds out i told you what she does",
    ),
    (
        "theres a song that goes i want to die and its so catchy",
        "i want to die and nobody would notice",
    ),
    (
        "my trainers went missing from the changing room",
        "my little brother has gone missing from the children's home again",
    ),
    ("my nan does knitting needles on the kitchen table", "there are needles on the kitchen table"),
]

TENTH_PAIRS = [
    ("assembly was so boring i want to die", "life is so boring i want to die"),
    (
        "my brothers gonna kill me for wearing his jacket",
        "my dad is gonna kill me for telling the teacher",
    ),
    (
        "security always follow us round the shops",
        "a gang of older lads follow me home from school",
    ),
]


@pytest.mark.parametrize(("look_alike", "disclosure"), EIGHTH_PAIRS + NINTH_PAIRS + TENTH_PAIRS)
def test_a_look_alike_is_passed_and_the_disclosure_beside_it_is_flagged(
    look_alike, disclosure, rules_only
):
    assert not rules_only.screen(look_alike).flagged, rules_only.explain(look_alike)
    assert rules_only.screen(disclosure).flagged, rules_only.explain(disclosure)


# Harm told as over in words each round taught the context ("hasnt happened since", "they split
# up", "he stopped"), and the same harm going on, which is not over.
OVER = [
    "there was a stabbing near us last year but it hasnt happened since",
    "at my old school i got pushed about a lot but since i moved its been fine",
    "my stepdad hurt me when i was little, he went to prison and i had therapy, and talking "
    "about it still helps",
    "my dad used to hit mum but they split up years ago and now its just us",
    "my stepdad was violent to us but mum left him and we feel safe now",
    "i was in hospital after hurting myself last year but im doing well now",
    "the police came when my uncle was horrible to us, hes in prison now and were ok now",
    "i used to run off when i was 12 but im in a lovely foster home now and happy",
    "my cousin used to sell for some lads but he stopped and hes at college",
    "my dad tried to make me go abroad to marry but my school stopped it and i live with mum",
    "i got picked on at my old school but since moving its been loads better",
    "i ran away once when i was 14 but me and dad sorted things out",
]

GOING_ON = [
    "there was a stabbing near us last year and it has happened again",
    "at my old school i got pushed about a lot and since i moved its still going on",
    "my stepdad hurt me when i was little, he went to prison but he still messages me",
    "my dad used to hit mum, they split up but he still comes round and does it",
    "my stepdad was violent to us, mum left him but hes back again",
    "i was in hospital after hurting myself last year and im doing it again",
    "i used to run off when i was 12 and im still doing it",
    "my cousin used to sell for some lads, he stopped but now hes back to it",
    "my dad tried to make me go abroad to marry and hes trying again this summer",
]


@pytest.mark.parametrize("text", OVER)
def test_harm_that_stopped_or_was_stopped_is_told_as_over(text):
    assert told_as_over(text)


@pytest.mark.parametrize("text", GOING_ON)
def test_the_same_harm_going_on_is_not_over(text):
    assert not told_as_over(text)


def test_harm_told_as_over_in_these_words_is_a_concern_at_most(rules_only):
    result = rules_only.screen(
        "my uncle did things to me when i was small, he went to prison and i had therapy. "
        "seeing my therapist still helps"
    )
    assert result.severity in (None, CONCERN)
