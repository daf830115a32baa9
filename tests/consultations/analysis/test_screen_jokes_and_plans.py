"""What blind batches V, W, X and Z taught the rules: jokes about being told off, pets and
things gone missing, plays about grooming, harm told as over with a court order; and plans to
end it with a time, "not really wanting to be alive", threats to stop someone leaving.

Each look-alike the rules now pass has a disclosure beside it, worded the same way, that they
must still flag: the look-alikes are narrow on purpose (docs/safeguarding-screen.md).
"""

import pytest

from consultations.analysis.safeguarding import URGENT, load_screen
from consultations.analysis.safeguarding.context import told_as_over

# Each pair: (a look-alike the rules pass, the disclosure beside it they must flag).
PAIRS = [
    (
        "my nan is going to kill me when she sees the state of my room",
        "my nan is going to kill me when she finds out i told my teacher",
    ),
    (
        "my brother will murder me when he finds out i borrowed his headphones",
        "my brother will murder me if he finds out i told anyone what he does",
    ),
    (
        "dad says hes gonna strangle me if i leave my plates in my room again",
        "dad says hes gonna strangle me if i leave the house without asking",
    ),
    (
        "if i hear that advert one more time ill kill myself",
        "if i get hit one more time ill kill myself",
    ),
    (
        "if i sit one more maths test this week i will actually die lol",
        "i will actually kill myself this week, i have it planned",
    ),
    (
        "our puppy got out of the garden and has been missing since sunday",
        "my little sister got out of the house and has been missing since sunday",
    ),
    (
        "my headphones went missing in pe and nobody has handed them in",
        "my best mate went missing after pe and nobody has seen her since",
    ),
    (
        "we watched a play about a boy being groomed online and it was really good",
        "i think i am being groomed by a man i met online",
    ),
    (
        "posters should tell younger kids the signs of getting groomed into gangs",
        "my little brother is getting groomed into a gang by the olders on our road",
    ),
    # From H, J and K.
    (
        "my mum will kill me if she sees my test score lol",
        "my mum will kill me if she finds out i told the teacher",
    ),
    (
        "im going to murder my sister one day she ate my chips",
        "im going to murder him, he hurt my little sister",
    ),
    (
        "my hamster died and we buried him with his favourite toy",
        "he says i am his favourite and its our secret",
    ),
    (
        "my nan says its not safe to walk into town on my own",
        "it is not safe at home when my stepdad is drunk",
    ),
    (
        "my stepdad wont let me eat in my room",
        "my stepdad wont let me eat when i have been bad",
    ),
    (
        "someone slashed the tyres on our car last night",
        "a lad slashed me with a blade on the way home last night",
    ),
    (
        "we are doing a musical where the main character gets stabbed",
        "i got stabbed at the park on friday and i am scared to go out",
    ),
    (
        "my teddy has been missing since we moved house",
        "my little brother has been missing since friday",
    ),
    # From AA, AB and AC.
    (
        "if the bus is late again tomorrow im going to kill someone",
        "if he comes near my sister again im going to kill him",
    ),
    (
        "if my sister takes my charger again im going to murder her",
        "my sister said she is going to murder me if i tell",
    ),
    (
        "english homework makes me want to die",
        "everything at home makes me want to die",
    ),
    (
        "his jokes are so bad i want to throw myself off a cliff",
        "its so bad at home i want to throw myself off a cliff",
    ),
    (
        "the wifi makes me want to bang my head on the desk",
        "i bang my head on the wall until i feel nothing",
    ),
    (
        "our cat scratched me so badly there are marks all up my arm",
        "i scratch my arm till there are marks all up it",
    ),
    (
        "mum threatened to take my phone if i didnt do my homework",
        "they threatened to hurt my mum if i didnt do the drop",
    ),
    (
        "we are reading a book in english where a girls dad hits her",
        "my dad hits me when he has been drinking",
    ),
]


# From AG to AR: jokes the rules read as urgent, each beside the threat worded the same way.
URGENT_JOKES = [
    (
        "my dad would kill me if he knew i skipped maths to go to the shops",
        "my dad would kill me if he knew i told the nurse about the bruises",
    ),
    (
        "my nan will kill me if i come home muddy from football again",
        "my stepdad says he will kill me if i come home tonight",
    ),
    (
        "my mum will kill me if i spend my birthday money on sweets",
        "he will kill me if i tell anyone what happens at his house",
    ),
    (
        "my sister is going to murder me for posting that photo of her",
        "my sister's boyfriend is going to murder me, he said it to my face",
    ),
    (
        "my brother will kill me i sat on his controller and cracked it",
        "my brother has a knife and says he will kill me",
    ),
    (
        "if the wifi is off again im going to murder someone lol",
        "im going to murder him when i see him, he hurt my mum",
    ),
    (
        "if i get one more detention im going to jump off a cliff lol",
        "i cant take another day of this, im going to jump off the bridge",
    ),
    (
        "if city lose again on saturday im ending it all",
        "after saturday im ending it all, ive decided",
    ),
    (
        "my favourite song is about a girl who wants to end it all and it is beautiful",
        "i want to end it all, every song i listen to is about it",
    ),
]


# From AY to BA: tellings off, a sister's hoodie, a tortoise, opinions about knives and older lads;
# and from CH, medicine that helps and the light left on.
AY_TO_BA_LOOK_ALIKES = [
    (
        "my mum will batter me if i lose another phone",
        "my mum will batter me if i tell anyone what she did",
    ),
    (
        "my sister nicked my charger so im gonna kill her",
        "he says hes going to kill my sister",
    ),
    (
        "our tortoise disappeared for two days and turned up under the shed",
        "my little brother disappeared for two days and came back with money and a new phone",
    ),
    (
        "they should stop selling knives to teenagers in shops",
        "a lad in my year is selling knives out of his bag",
    ),
    (
        "school should warn people about older lads offering free stuff",
        "older lads keep giving me free stuff and want me to go to their flat",
    ),
    (
        "i wont be here for the trip because we are going to spain",
        "i wont be here after christmas, ive decided",
    ),
    # From CH: medicine that helps, not pills taken in a lot.
    (
        "had a bad time in year 9 but camhs and my meds helped loads and im in a good place now",
        "had a bad time and last night i took loads of my meds",
    ),
    # From CH: a series that means sleeping with the light on, not with someone.
    (
        "stranger things makes me sleep with the light on ngl",
        "my mums boyfriend makes me sleep with him when shes on nights",
    ),
]


@pytest.mark.parametrize(("look_alike", "disclosure"), PAIRS + URGENT_JOKES + AY_TO_BA_LOOK_ALIKES)
def test_a_narrow_look_alike_is_passed_and_the_disclosure_beside_it_is_flagged(
    look_alike, disclosure, rules_only
):
    assert not rules_only.screen(look_alike).flagged, rules_only.explain(look_alike)
    assert rules_only.screen(disclosure).flagged, rules_only.explain(disclosure)


@pytest.mark.parametrize(
    "text",
    [
        "im going to end it tonight, sorry to whoever reads this",
        "gonna end things soon tbh",
        "planning to end it this weekend",
        # Nothing left to live for, beside a joke too.
        "i have nothing left to live for",
        "kill me now lol i mean it i have nothing left to live for",
        "nobody else to live for since my nan died",
    ],
)
def test_a_plan_to_end_it_with_a_time_or_nothing_left_to_live_for_is_urgent(text, rules_only):
    result = rules_only.screen(text)
    assert result.severity == URGENT, rules_only.explain(text)
    assert result.categories == ["self_harm"]


def test_ending_a_friendship_or_a_game_is_not_a_plan(rules_only):
    for text in ["im going to end things with my boyfriend soon", "we end it at 5 today"]:
        assert not rules_only.screen(text).flagged, text


def test_not_really_wanting_to_be_alive_is_flagged_in_a_long_answer(rules_only):
    text = (
        "the buses are always late and the park is muddy. honestly i do not really want to be "
        "alive most days. more clubs would be good"
    )
    assert rules_only.screen(text).categories == ["self_harm"]


def test_a_threat_if_they_leave_him_written_as_hell_is_flagged(rules_only):
    text = "my boyfriend says hell hurt me if i ever leave him"
    result = rules_only.screen(text)
    assert result.flagged
    assert "domestic_abuse" in result.categories


@pytest.mark.parametrize(
    "text",
    [
        "my old stepdad was nasty to us but mum got a restraining order and we havent seen him "
        "since",
        "my ex hurt me in year 9 but theres a court order now and i feel safe",
    ],
)
def test_harm_ended_by_a_court_order_is_told_as_over(text):
    assert told_as_over(text)
    assert not load_screen().screen(text).flagged


@pytest.mark.parametrize(
    "text",
    [
        "my old stepdad has a restraining order but he came round last night and hit mum",
        "theres a court order but my ex turned up at school yesterday and grabbed me",
    ],
)
def test_a_court_order_broken_yesterday_or_last_night_is_not_over(text, rules_only):
    assert not told_as_over(text)
    assert rules_only.screen(text).flagged, rules_only.explain(text)


# Wordings AG to AR showed, which the rules now find.
AG_TO_AR_WORDINGS = [
    ("some nights i think about not waking up", "self_harm"),
    ("i keep googling ways and clearing my history", "self_harm"),
    ("i dont think ill be around for my gcses", "self_harm"),
    ("pick whoever you want, i wont be here by then anyway", "self_harm"),
    ("its getting deeper each time and i cant stop", "self_harm"),
    ("no one takes me to the dentist even though my tooth is black", "abuse_neglect"),
    ("havent had a hot meal at home for weeks", "abuse_neglect"),
    ("school lunch is my only meal most days", "abuse_neglect"),
    ("our gas has been cut off for three weeks and its freezing", "abuse_neglect"),
    ("i get a smack most days for nothing", "abuse_neglect"),
    ("my dad threw the remote at my head and it bled", "abuse_neglect"),
    ("my aunt says i am going back home to get married after year 11", "abuse_neglect"),
    ("my ticket is one way and they wont say why", "abuse_neglect"),
    ("i can hear mum crying when he has hit her", "domestic_abuse"),
    ("dad was kicking off at mum again so i stayed in my room", "domestic_abuse"),
    ("there are holes in our walls the size of his fist", "domestic_abuse"),
    ("the woman i live with kept my passport and my papers", "criminal_exploitation"),
    ("i was brought over here to clean and cook for a family", "criminal_exploitation"),
    ("i have to work to pay off the debt for bringing me here", "criminal_exploitation"),
    ("they wont let me ring my mum back home in vietnam", "criminal_exploitation"),
    ("got robbed for the food and now they say i owe them", "criminal_exploitation"),
    ("the ones who left are traitors and we know where they live", "weapons_violence"),
    ("i wrote a list of people in my year i would go after", "weapons_violence"),
    ("my cousin says we should burn the hotel where the migrants are", "weapons_violence"),
    ("school shooters were right and it could happen here", "weapons_violence"),
    ("he says its normal for dads and daughters to do that", "sexual_exploitation"),
    ("the man at the shop gives us free vapes and now wants favours", "sexual_exploitation"),
    ("my older boyfriend takes me to hotels after school", "sexual_exploitation"),
    ("nobody noticed i was gone for a whole week", "missing_homeless"),
    ("im not allowed home anymore so i sofa surf", "missing_homeless"),
    ("some lads set my hair on fire on the bus", "bullying_threat"),
]


# Wordings AY to BA showed, which the rules now find.
AY_TO_BA_WORDINGS = [
    ("the electric ran out on monday and nobody has topped it up", "abuse_neglect"),
    ("my dad took his belt off because i was late back", "abuse_neglect"),
    ("i take food from the shop because theres nothing at home", "abuse_neglect"),
    ("kids say i smell because our washing machine is broken", "abuse_neglect"),
    ("no one at home notices when i dont come back", "abuse_neglect"),
    ("im not allowed back at school after we go abroad for my wedding", "abuse_neglect"),
    ("we all live in one room in a hostel now", "missing_homeless"),
    ("if the library stayed open all night id have somewhere to sleep", "missing_homeless"),
    ("i looked up ways that dont hurt", "self_harm"),
    ("ive planned it so i wont be here next month", "self_harm"),
    ("i dont plan on being around after easter", "self_harm"),
    ("used the sharpener blade on my arm again", "self_harm"),
    ("i keep a needle in my pencil case and dig it into my thigh", "self_harm"),
    ("the group chat i am in has plans and wants me to help", "weapons_violence"),
    ("a boy in year 10 is selling machetes on snapchat", "weapons_violence"),
    ("everyone is bringing knives to the fight on friday", "weapons_violence"),
    ("he smashed my mums phone so she couldnt ring anyone", "domestic_abuse"),
    ("something happened with my uncle when i stayed at his", "sexual_exploitation"),
]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my nan pulls my hair so hard it comes out", "abuse_neglect"),
        ("my step dad held my hand on the cooker because i was cheeky", "abuse_neglect"),
        ("my parents are always too drunk to take me to school", "abuse_neglect"),
        ("after my report came home i couldnt sit down properly for days", "abuse_neglect"),
        ("school dinners should be free in the holidays too, thats when i eat", "abuse_neglect"),
        ("im getting married in the summer, my dad arranged it", "abuse_neglect"),
        ("my engagement party is after my gcses and i dont want it", "abuse_neglect"),
        (
            "mum goes away with her boyfriend and leaves me and my brother with no food",
            "abuse_neglect",
        ),
        ("everyone would be happier if i wasnt around", "self_harm"),
        ("if i was gone my family would have less to worry about", "self_harm"),
        ("ive thought about how i would do it", "self_harm"),
        ("the cuts on my arm are getting deeper", "self_harm"),
        ("i carved his name into my arm with a compass", "self_harm"),
        ("my best mate says shes going to jump off the bridge tonight", "self_harm"),
        ("we work in the restaurant 14 hours a day and never get paid", "criminal_exploitation"),
        (
            "they give me lifts and money but i have to do stuff for the driver",
            "sexual_exploitation",
        ),
    ]
    + AG_TO_AR_WORDINGS
    + AY_TO_BA_WORDINGS,
)
def test_wordings_blind_batches_showed_are_flagged(text, category, rules_only):
    result = rules_only.screen(text)
    assert result.flagged, rules_only.explain(text)
    assert category in result.categories


@pytest.mark.parametrize(
    "text",
    [
        "my cousin was sent abroad to get married when she was 16 but the forced marriage unit "
        "brought her back and she lives with us now",
        "back in year 7 i ran away for a night after a row, we did family counselling and were "
        "close now",
        "a coach at my old primary hurt me, he got convicted and i had therapy. im ok now",
    ],
)
def test_harm_dealt_with_by_the_courts_or_counselling_is_told_as_over(text):
    assert told_as_over(text)


@pytest.mark.parametrize(
    "text",
    [
        "my stepdad used to hit me but hes been gone for years and we are happy",
        "when we first came here we slept in a hostel but the council helped loads and we have a "
        "flat",
        "i self harmed in year 8 but my counsellor really helped me and i feel loads better",
    ],
)
def test_harm_that_people_helped_with_and_that_has_gone_is_told_as_over(text):
    assert told_as_over(text)


def test_a_bit_scared_is_not_biting(rules_only):
    assert not rules_only.screen("i get a bit scared at night when mum works late").flagged
    assert rules_only.screen("i bit my arm till it bled last night").flagged


def test_sent_abroad_again_is_not_over(rules_only):
    text = (
        "my cousin was sent abroad to get married when she was 16, the forced marriage unit "
        "brought her back but they are sending her again next week"
    )
    assert not told_as_over(text)


def test_wanting_to_die_with_lol_stays_urgent(rules_only):
    # The jokes above are narrow: "lol" alone softens no urgent wording (docs).
    result = rules_only.screen("by the end of the day i want to die lol")
    assert result.flagged and result.severity == URGENT


@pytest.mark.parametrize(
    "text",
    [
        "my uncle took my passport to renew it before our holiday",
        "kids who dont get fed properly at home should get free breakfast",
        "i dont think ill be around for the trip cos we are moving in september",
    ],
)
def test_everyday_answers_with_this_rounds_words_pass(text, rules_only):
    assert not rules_only.screen(text).flagged, rules_only.explain(text)
