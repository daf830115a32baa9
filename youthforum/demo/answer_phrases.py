"""The phrases the demo's generated answers are made of (:mod:`.consultations` picks from them
with a fixed seed), and how often each "about you" and choice answer is given.

Written for this demo: ordinary requests and feelings, nothing a safeguarding screen should
flag (no harm, no threats, no weapons, no abuse), so the demo's queue stays empty.
"""

SAFER = (
    "better street lights on the way home from the bus stop",
    "more youth workers around the park in the evenings",
    "police officers who stop and chat instead of just driving past",
    "cameras at the bus station that actually work",
    "teachers stepping in quickly when people are unkind",
    "somewhere warm and safe to go after school",
    "staff on the late buses",
    "knowing who to ask about things that happen online",
    "more adults around the skate park",
    "walking home in a group with my friends",
    "an easy way to report horrible messages online",
    "online safety lessons that are not boring",
    "the underpass being cleaned up and lit",
    "people actually doing something when you report a problem",
    "a youth club that is open at weekends",
    "more crossings near school because the road is really busy",
    "shops and cafes where young people are welcome",
    "school staff who notice when someone is struggling",
    "a map of safe places in town",
    "the town centre being busier in the evening so it is not empty",
    "being taken seriously when we say something feels wrong",
    "group chats having better privacy settings by default",
)
SAFER_TEMPLATES = (
    "{a}.",
    "I would feel safer with {a}.",
    "{a} and {b}.",
    "Honestly, {a}.",
    "Probably {a}. {extra}",
    "{a}. Also {b}.",
    "I think {a} would help.",
    "{a}",
)
SAFER_EXTRAS = (
    "It gets dark really early in winter.",
    "My friends all say the same.",
    "That would make a big difference.",
    "It has been like this for ages.",
    "Nobody seems to listen though.",
)

WELLBEING = (
    "someone to talk to at school who is not a teacher",
    "shorter waits to see a counsellor",
    "clubs and sport that do not cost much",
    "less pressure about exams",
    "being outside more",
    "seeing my friends in person, not just online",
    "a quiet room to go to at lunch",
    "mental health lessons that are actually useful",
    "drop-in sessions at the youth centre",
    "spending less time on my phone",
    "adults who listen without rushing to fix it",
    "a text service that replies quickly",
    "more time off between assignments",
    "being able to talk about it without it being a big deal",
    "help that does not stop when you turn 18",
    "my school nurse having more time",
)
WELLBEING_TEMPLATES = (
    "What helps me is {a}.",
    "We need {a}.",
    "{a} would really help.",
    "I would like {a}.",
    "{a} and {b}.",
    "{a}",
    "Honestly, {a}.",
)

PANDEMIC = (
    "Being able to see my friends again has been the best bit.",
    "Catching up at school has been really stressful.",
    "I got used to being at home and now crowds feel like a lot.",
    "I miss the online clubs we had in lockdown.",
    "Things feel mostly normal again now.",
    "Loads of trips and events got cancelled and never came back.",
    "I started running in lockdown and kept it up.",
    "My sleep still has not gone back to normal.",
    "It was hard to start a new school after months at home.",
    "I feel behind on my work compared to where I should be.",
    "I appreciate small things more now, like going to the shops with mates.",
    "Everything costs more than it used to.",
    "I spend more time online than before.",
    "It is good to be back doing sport.",
    "My confidence talking to new people went down.",
    "Some of my friendships changed a lot.",
)

SCHOOL_OTHER = (
    "I have just started college",
    "It depends on the day",
    "I am between schools",
    "I am doing an apprenticeship",
    "I am home educated",
)
TRAVEL_OTHER = (
    "School taxi",
    "Skateboard",
    "Community minibus",
    "Mobility scooter",
)

MEMBER_WORDS = (
    "My voice",
    "Confidence",
    "Making friends",
    "Being able to challenge",
    "Giving my opinion",
    "Making a difference",
    "Our films",
    "Debates and discussions",
    "My values",
    "Being part of the community",
    "Sharing ideas",
    "Having fun",
    "My experiences",
    "New skills",
    "Being listened to",
    "Helping change things",
)
MEMBER_PROUD = (
    "Being the voice for the group at the Executive meeting.",
    "Helping with the scripts for our films.",
    "Spreading the word about the consultation at my school.",
    "Speaking at the safeguarding week session.",
    "Coming up with ideas for the word cloud.",
    "Asking the police a hard question and getting a proper answer.",
    "Getting my friends to fill in the survey.",
    "Just turning up every term and saying what I think.",
)

# Weights for "about you" answers, by option. Options a facilitator adds get weight 5.
AGE_WEIGHTS = {
    "Under 11": 12,
    "11 to 12": 22,
    "13 to 15": 38,
    "16 to 18": 22,
    "19 to 25": 2,
    "Prefer not to say": 4,
}
AREA_WEIGHTS = {
    "Mendip": 22,
    "Sedgemoor": 22,
    "Somerset West and Taunton": 27,
    "South Somerset": 24,
    "Outside Somerset": 2,
    "Prefer not to say": 3,
}
MEMBER_AGE_WEIGHTS = {"11 to 12": 6, "13 to 15": 14, "16 to 18": 18, "Prefer not to say": 2}
FEELING_WEIGHTS = (8, 17, 33, 28, 14)  # 1 (very unhappy) to 5 (very happy)
PRIORITY_WEIGHTS = (30, 22, 16, 10, 12, 18)  # in PRIORITIES order
SCHOOL_WEIGHTS = (30, 38, 14, 12, 3)  # in SCHOOL_OPTIONS order
TRAVEL_WEIGHTS = (30, 14, 30, 5, 30, 6)  # in TRAVEL_OPTIONS order
