"""Demo consultations: the "Have your say" section, two consultations and generated answers.

- ``/consultations/`` ("Have your say"), with
- the **Children & Young People's Plan** consultation, open from a few weeks before the demo was
  first loaded until a couple of months after, with questions on the themes young people raised
  with the partnership's Executive in 2020–21 (feeling safe, mental health and well-being,
  school, getting around, life after the pandemic, what the partners should do first), in
  standard and easy read words (its "Easy read" switch), and about :data:`RESPONSE_COUNT`
  generated answers, like the 2,500 the real consultation heard;
- an earlier, closed consultation, **What does being a Youth Forum member mean to you?**,
  answered at a forum meeting (source "workshop"), with :data:`CLOSED_RESPONSE_COUNT` answers
  built from the words members used for the word cloud.

Every generated response is marked ``is_demo=True`` and goes in through
:func:`consultations.services.submit_responses`, the same rules as any other answer (validated,
screened, redacted, counted) in batches of 500 a transaction. They are made from phrase
templates with a fixed random seed, one seed per response, and their tokens are ``uuid5`` of the
consultation's slug and the response's number: a second ``load_demo`` finds every token already
there and creates nothing. The phrases are ordinary things young people ask for; none is a
disclosure, so the safeguarding screen has nothing to flag in the demo.

Each consultation also gets answers to the "what was taking part like?" step
(``TakingPartFeedback``), created directly with a plausible spread (:data:`TAKING_PART`): about a
third of the Plan's online answers, and for the members' consultation the forum's own show of
hands at the meeting, entered by a youth worker. They are made once per consultation, with the
same seed, so a second ``load_demo`` adds none.

Dates are set when a consultation is created and kept while it still has the status it was made
with; a demo loaded long ago and loaded again gets fresh dates, so the Plan is always open after
``load_demo``. The questions are created with the page and then left alone (a facilitator trying
the editor may change them); ``load_demo --reset`` rebuilds them.

``settings.YOUTHVOICE_DEMO_RESPONSES`` (if set) replaces :data:`RESPONSE_COUNT`; the test
settings make it small so that tests which load the demo stay fast.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from wagtail.models import Page

from consultations.models import (
    AboutYou,
    AboutYouOptions,
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationStatus,
    ImportBatch,
    Layout,
    Question,
    QuestionKind,
    Response,
    Source,
    TakingPartFeedback,
)
from consultations.services import OTHER, NewResponse, RawAnswer, submit_responses

#: Generated answers to the Plan consultation (the real one heard from over 2,500 young people).
RESPONSE_COUNT = 2_500
#: Answers to the closed "being a member" consultation: one forum meeting's worth.
CLOSED_RESPONSE_COUNT = 40
#: Seeds every generated response (response ``n`` uses ``SEED + n``), so the demo is the same
#: on every machine.
SEED = 20_210_325
#: Namespace of the demo responses' ``uuid5`` tokens.
TOKEN_NAMESPACE = uuid.UUID("6f1d3c55-8f7e-4b8e-9a53-2a1c0de5d3a1")

# --- Pages ------------------------------------------------------------------------------------

INDEX = {
    "slug": "consultations",
    "title": "Have your say",
    "show_in_menus": True,
    "introduction": (
        "<p>The people in charge of keeping children safe in Somerset want to know what you "
        "think. Answer on your phone, it only takes a few minutes, and you do not have to give "
        "your name.</p>"
    ),
}


@dataclass(frozen=True)
class QuestionSpec:
    """A demo question; ``key`` names it for the answer generator."""

    key: str
    kind: str
    text: str
    help_text: str = ""
    required: bool = False
    options: tuple[str, ...] = ()
    allow_other: bool = False
    max_ranked: int = 3
    face_labels: bool = False
    about: str = ""
    easy_read_text: str = ""
    easy_read_hint: str = ""

    def build(self, sort_order: int) -> Question:
        return Question(
            sort_order=sort_order,
            kind=self.kind,
            text=self.text,
            help_text=self.help_text,
            required=self.required,
            options="\n".join(self.options),
            allow_other=self.allow_other,
            max_ranked=self.max_ranked,
            face_labels=self.face_labels,
            about=self.about,
            easy_read_text=self.easy_read_text,
            easy_read_hint=self.easy_read_hint,
        )


@dataclass(frozen=True)
class ConsultationSpec:
    slug: str
    values: dict
    questions: tuple[QuestionSpec, ...]
    #: Opening and closing, in days from the day the demo is (re)dated; 9 am to 5 pm.
    opens_in_days: int
    closes_in_days: int
    status: ConsultationStatus


SCHOOL_OPTIONS = (
    "I like it and feel safe there",
    "It is mostly OK",
    "I find it hard, but I get help",
    "I find it hard and do not get enough help",
    "I am not in school at the moment",
)
TRAVEL_OPTIONS = (
    "Walking",
    "Bike or scooter",
    "Bus",
    "Train",
    "Lifts from family or friends",
    "I find it hard to get anywhere",
)
PRIORITIES = (
    "Mental health support",
    "Safer schools",
    "Tackling knife crime",
    "Stopping exploitation",
    "Better transport",
    "More things to do",
)

PLAN = ConsultationSpec(
    slug="children-and-young-peoples-plan",
    values={
        "title": "Children & Young People's Plan",
        "introduction": (
            "<p>The council, the police and the NHS are writing a new plan for children, young "
            "people and families in Somerset. It says what they will do for the next three "
            "years. Tell them what matters to you, so the plan is about what you need.</p>"
            "<p>The Youth Forum will read every answer and make sure the partnership's leaders "
            "hear them.</p>"
        ),
        # Easy read: short sentences, one idea per line (each line shows on its own).
        "easy_read_intro": (
            "The people in charge are making a new plan.\n"
            "The plan is for children and young people.\n"
            "It says what they will do for 3 years.\n"
            "We want to know what matters to you.\n"
            "You do not have to give your name.\n"
            "The Youth Forum will read what you say."
        ),
        "min_age": 10,
        "max_age": 18,
        "estimated_minutes": 8,
        "layout": Layout.SINGLE_PAGE,
    },
    questions=(
        QuestionSpec(
            "safer",
            QuestionKind.LONG_TEXT,
            "What would make you feel safer where you live, at school or online?",
            help_text="Anything big or small. Write as much or as little as you like.",
            required=True,
            easy_read_text="What would help you feel safe?",
            easy_read_hint=(
                "Think about where you live.\nThink about school.\nThink about being online."
            ),
        ),
        QuestionSpec(
            "feeling",
            QuestionKind.RATING,
            "How have you been feeling lately?",
            face_labels=True,
            easy_read_text="How do you feel at the moment?",
            easy_read_hint="Pick the face that is most like you.",
        ),
        QuestionSpec(
            "wellbeing",
            QuestionKind.LONG_TEXT,
            "What would help your mental health and well-being?",
            easy_read_text="What would help you feel OK in your mind?",
        ),
        QuestionSpec(
            "school",
            QuestionKind.SINGLE_CHOICE,
            "How is school for you at the moment?",
            options=SCHOOL_OPTIONS,
            allow_other=True,
            easy_read_text="How is school for you now?",
            easy_read_hint="Pick one.",
        ),
        QuestionSpec(
            "travel",
            QuestionKind.MULTIPLE_CHOICE,
            "How do you get around, for school, friends and things to do?",
            help_text="Choose all that apply.",
            options=TRAVEL_OPTIONS,
            allow_other=True,
            easy_read_text="How do you get to places?",
            easy_read_hint="Pick all the ways you use.",
        ),
        QuestionSpec(
            "pandemic",
            QuestionKind.LONG_TEXT,
            "What has life been like since the lockdowns ended?",
            help_text="What got harder, what got better, what you miss.",
            easy_read_text="What has life been like since lockdown?",
            easy_read_hint="What is harder now?\nWhat is better now?",
        ),
        QuestionSpec(
            "priorities",
            QuestionKind.RANKING,
            "What should the partners do first?",
            help_text="Put up to three in order, the most important first.",
            options=PRIORITIES,
            max_ranked=3,
            easy_read_text="What should the people in charge do first?",
            easy_read_hint="Pick up to 3.\nPut the most important first.",
        ),
        QuestionSpec("age", QuestionKind.ABOUT_YOU, "How old are you?", about=AboutYou.AGE_BAND),
        QuestionSpec("area", QuestionKind.ABOUT_YOU, "Where do you live?", about=AboutYou.AREA),
    ),
    opens_in_days=-21,
    closes_in_days=61,
    status=ConsultationStatus.OPEN,
)

MEMBERS = ConsultationSpec(
    slug="what-being-a-member-means",
    values={
        "title": "What does being a Youth Forum member mean to you?",
        "introduction": (
            "<p>Before we met the partnership's Executive, we asked our own members what being "
            "part of the Youth Forum means to them. Their words made the word cloud we showed "
            "the Executive.</p>"
        ),
        "min_age": 10,
        "max_age": 18,
        "estimated_minutes": 3,
        "layout": Layout.SINGLE_PAGE,
    },
    questions=(
        QuestionSpec(
            "means",
            QuestionKind.SHORT_TEXT,
            "In a few words, what does being a member mean to you?",
            required=True,
        ),
        QuestionSpec(
            "proud",
            QuestionKind.LONG_TEXT,
            "What are you proud to have given to the forum this year?",
        ),
        QuestionSpec(
            "confidence",
            QuestionKind.RATING,
            "How much has the forum helped your confidence?",
            help_text="1 is not at all, 5 is a lot.",
        ),
        QuestionSpec("age", QuestionKind.ABOUT_YOU, "How old are you?", about=AboutYou.AGE_BAND),
    ),
    opens_in_days=-240,
    closes_in_days=-200,
    # Its results are published (a week after it closed): its page shows them to young people.
    status=ConsultationStatus.RESULTS_PUBLISHED,
)

CONSULTATIONS = (PLAN, MEMBERS)

# --- Phrases the generated answers are made of --------------------------------------------------
# Written for this demo: ordinary requests and feelings, nothing a safeguarding screen should
# flag (no harm, no threats, no weapons, no abuse), so the demo's queue stays empty.

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


# --- Generating answers -------------------------------------------------------------------------


def _phone_typed(rng: random.Random, text: str) -> str:
    """Some people type in lower case and skip the full stop, as on a phone."""
    if rng.random() < 0.25:
        text = text.lower().rstrip(".")
    return text[0].upper() + text[1:] if text and rng.random() < 0.9 else text


def _fill(rng: random.Random, templates, phrases, extras=("",)) -> str:
    a, b = rng.sample(phrases, 2)
    text = rng.choice(templates).format(a=a, b=b, extra=rng.choice(extras)).strip()
    return _phone_typed(rng, text)


def _weighted(rng: random.Random, options: list[str], weights: dict[str, int]) -> str:
    return rng.choices(options, weights=[weights.get(o, 5) for o in options])[0]


def _ranked(rng: random.Random, options, weights, k: int) -> list[str]:
    """``k`` options in order, more popular ones more likely near the top."""
    pool, pool_weights, chosen = list(options), list(weights), []
    for _ in range(min(k, len(pool))):
        index = rng.choices(range(len(pool)), weights=pool_weights)[0]
        chosen.append(pool.pop(index))
        pool_weights.pop(index)
    return chosen


def plan_answers(
    rng: random.Random, *, age_bands: list[str], areas: list[str]
) -> tuple[dict[str, RawAnswer], str]:
    """One young person's answers to the Plan, by question key, and where they answered."""
    source = rng.choices([Source.ONLINE, Source.PAPER, Source.WORKSHOP], weights=(86, 9, 5))[0]
    answers = {"safer": RawAnswer.of(_fill(rng, SAFER_TEMPLATES, SAFER, SAFER_EXTRAS))}
    if rng.random() < 0.92:
        answers["feeling"] = RawAnswer.of(str(rng.choices(range(1, 6), FEELING_WEIGHTS)[0]))
    if rng.random() < 0.7:
        answers["wellbeing"] = RawAnswer.of(_fill(rng, WELLBEING_TEMPLATES, WELLBEING))
    if rng.random() < 0.9:
        if rng.random() < 0.05:
            answers["school"] = RawAnswer.of(OTHER, other=rng.choice(SCHOOL_OTHER))
        else:
            answers["school"] = RawAnswer.of(rng.choices(SCHOOL_OPTIONS, SCHOOL_WEIGHTS)[0])
    if rng.random() < 0.85:
        travel = _ranked(rng, TRAVEL_OPTIONS, TRAVEL_WEIGHTS, rng.choice((1, 1, 2, 2, 3)))
        if rng.random() < 0.04:
            answers["travel"] = RawAnswer.of(*travel, OTHER, other=rng.choice(TRAVEL_OTHER))
        else:
            answers["travel"] = RawAnswer.of(*travel)
    if rng.random() < 0.55:
        told = " ".join(rng.sample(PANDEMIC, rng.choice((1, 1, 2))))
        answers["pandemic"] = RawAnswer.of(_phone_typed(rng, told))
    if rng.random() < 0.88:
        count = rng.choices((1, 2, 3), weights=(10, 15, 75))[0]
        answers["priorities"] = RawAnswer.of(*_ranked(rng, PRIORITIES, PRIORITY_WEIGHTS, count))
    if rng.random() < 0.9:
        answers["age"] = RawAnswer.of(_weighted(rng, age_bands, AGE_WEIGHTS))
        answers["area"] = RawAnswer.of(_weighted(rng, areas, AREA_WEIGHTS))
    return answers, source


def member_answers(
    rng: random.Random, *, age_bands: list[str], areas: list[str]
) -> tuple[dict[str, RawAnswer], str]:
    """One member's answers to the closed "being a member" consultation, given at a meeting."""
    answers = {"means": RawAnswer.of(" and ".join(rng.sample(MEMBER_WORDS, rng.choice((1, 2)))))}
    if rng.random() < 0.6:
        answers["proud"] = RawAnswer.of(rng.choice(MEMBER_PROUD))
    answers["confidence"] = RawAnswer.of(str(rng.choices(range(1, 6), (1, 2, 8, 16, 13))[0]))
    answers["age"] = RawAnswer.of(_weighted(rng, age_bands, MEMBER_AGE_WEIGHTS))
    return answers, Source.WORKSHOP


GENERATORS: dict[str, Callable[..., tuple[dict[str, RawAnswer], str]]] = {
    PLAN.slug: plan_answers,
    MEMBERS.slug: member_answers,
}


def demo_token(slug: str, number: int) -> uuid.UUID:
    return uuid.uuid5(TOKEN_NAMESPACE, f"{slug}/{number}")


def _submitted_at(rng: random.Random, source: str, start: datetime, end: datetime) -> datetime:
    """A plausible time between ``start`` and ``end``: school hours for paper and workshops,
    mostly after school online."""
    days = max((end - start).days, 1)
    day = timezone.localtime(start).date() + timedelta(days=rng.randrange(days))
    if source == Source.ONLINE:
        hours = range(7, 23)
        weights = [4 if 16 <= hour < 22 else 1 for hour in hours]
    else:
        hours, weights = range(9, 15), None
    hour = rng.choices(hours, weights)[0]
    moment = timezone.make_aware(
        datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60))),
        timezone.get_default_timezone(),
    )
    return min(max(moment, start), end)


def demo_response_items(
    *, consultation: ConsultationPage, spec: ConsultationSpec, count: int
) -> tuple[list[NewResponse], int]:
    """The first ``count`` generated responses that do not exist yet, and how many do."""
    questions = list(consultation.ordered_questions())
    by_text = {question.text: question for question in questions}
    ids = {qs.key: by_text[qs.text].pk for qs in spec.questions if qs.text in by_text}
    existing = set(
        Response.objects.filter(page=consultation, is_demo=True).values_list("token", flat=True)
    )
    options = AboutYouOptions.load()
    age_bands, areas = options.options_for(AboutYou.AGE_BAND), options.options_for(AboutYou.AREA)
    now = timezone.now()
    end = min(now, consultation.closes_at) - timedelta(minutes=1)
    generate = GENERATORS[spec.slug]
    items = []
    for number in range(count):
        token = demo_token(spec.slug, number)
        if token in existing:
            continue
        rng = random.Random(SEED + number)  # noqa: S311 - repeatable demo data, not a secret
        answers, source = generate(rng, age_bands=age_bands, areas=areas)
        items.append(
            NewResponse(
                answers={ids[key]: raw for key, raw in answers.items() if key in ids},
                token=token,
                source=source,
                submitted_at=_submitted_at(rng, source, consultation.opens_at, end),
                is_demo=True,
            )
        )
    return items, len(existing)


def demo_responses_create(*, consultation: ConsultationPage, spec: ConsultationSpec, count: int):
    """Create the first ``count`` generated responses that do not exist yet; (created, total).

    Through the same rules as every answer (validated, screened, redacted, counted), in batches
    rather than a transaction each, so the demo loads in seconds (benchmarks/demo_load.py)."""
    items, existing = demo_response_items(consultation=consultation, spec=spec, count=count)
    submit_responses(consultation=consultation, items=items)
    return len(items), existing + len(items)


@dataclass(frozen=True)
class TakingPartSpread:
    """How a demo consultation's young people answered the "taking part" step: the share of
    its responses that answered, weights per answer ("" for a question left out), and the
    comments some wrote (ordinary words: nothing the safeguarding screen would hold)."""

    share: float
    weights: dict[str, dict[str, int]]
    comments: tuple[str, ...]
    comment_share: float = 0.08


TAKING_PART = {
    PLAN.slug: TakingPartSpread(
        share=0.35,
        weights={
            "understood": {"yes": 68, "a-bit": 22, "no": 6, "": 4},
            "listened": {"yes": 36, "a-bit": 24, "no": 14, "not-sure": 22, "": 4},
            "again": {"yes": 54, "maybe": 32, "no": 10, "": 4},
        },
        comments=(
            "It was quick and I could do it on my phone.",
            "Some of the words were hard to understand.",
            "I want to know what happens next.",
            "Please tell us what you changed because of this.",
            "More questions about school please.",
            "It was good that I did not have to give my name.",
        ),
    ),
    MEMBERS.slug: TakingPartSpread(
        share=0.6,
        weights={
            "understood": {"yes": 85, "a-bit": 15, "no": 0},
            "listened": {"yes": 55, "a-bit": 25, "no": 5, "not-sure": 15},
            "again": {"yes": 80, "maybe": 18, "no": 2},
        },
        comments=("Doing it together at the meeting was fun.",),
        comment_share=0.05,
    ),
}


def demo_taking_part_create(*, consultation: ConsultationPage, slug: str) -> int:
    """Answers to the "taking part" step for a demo consultation, once; how many were made.

    Created directly (not through the step's service): the words are fixed, ordinary ones, so
    the redacted text is the text. Days fall between opening and now (or closing).
    """
    spread = TAKING_PART.get(slug)
    if spread is None or TakingPartFeedback.objects.filter(consultation=consultation).exists():
        return 0
    responses = Response.objects.filter(page=consultation, is_demo=True)
    if slug == PLAN.slug:
        responses = responses.filter(source=Source.ONLINE)
    count = round(responses.count() * spread.share)
    rng = random.Random(SEED - 1)  # noqa: S311 - repeatable demo data, not a secret
    first = timezone.localtime(consultation.opens_at).date()
    last = timezone.localtime(min(timezone.now(), consultation.closes_at)).date()
    days = max((last - first).days, 0)
    rows = []
    for _number in range(count):
        answers = {
            name: _weighted(rng, list(weights), weights) for name, weights in spread.weights.items()
        }
        comment = rng.choice(spread.comments) if rng.random() < spread.comment_share else ""
        rows.append(
            TakingPartFeedback(
                consultation=consultation,
                given_on=first + timedelta(days=rng.randint(0, days)),
                anything_else=comment,
                anything_else_redacted=comment,
                commented=bool(comment),
                **answers,
            )
        )
    TakingPartFeedback.objects.bulk_create(rows)
    return len(rows)


def response_count() -> int:
    return getattr(settings, "YOUTHVOICE_DEMO_RESPONSES", RESPONSE_COUNT)


def _dates(spec: ConsultationSpec, existing: ConsultationPage | None) -> dict:
    """Keep an existing consultation's dates while its status is the one the demo wants."""
    if existing is not None and existing.status_at(timezone.now()) == spec.status:
        return {
            "opens_at": existing.opens_at,
            "closes_at": existing.closes_at,
            "results_published_at": existing.results_published_at,
        }
    today = timezone.localdate()
    tz = timezone.get_default_timezone()
    dates = {
        "opens_at": timezone.make_aware(
            datetime.combine(today + timedelta(days=spec.opens_in_days), time(9)), tz
        ),
        "closes_at": timezone.make_aware(
            datetime.combine(today + timedelta(days=spec.closes_in_days), time(17)), tz
        ),
    }
    if spec.status == ConsultationStatus.RESULTS_PUBLISHED:
        dates["results_published_at"] = dates["closes_at"] + timedelta(days=7)
    return dates


@dataclass
class DemoConsultationsResult:
    index: ConsultationIndexPage
    consultations: dict[str, ConsultationPage]
    responses_created: int = 0
    responses_total: int = 0


def demo_consultations_build(
    *, home: Page, page_upsert: Callable[..., Page]
) -> DemoConsultationsResult:
    """Create or update the consultations section and its demo answers.

    ``page_upsert(parent, model, slug, values)`` is the demo loader's page writer (it finds by
    slug, saves a revision and publishes only when something changed).
    """
    index = page_upsert(home, ConsultationIndexPage, INDEX["slug"], _without_slug(INDEX))
    result = DemoConsultationsResult(index=index, consultations={})
    counts = {PLAN.slug: response_count(), MEMBERS.slug: CLOSED_RESPONSE_COUNT}
    for spec in CONSULTATIONS:
        existing = ConsultationPage.objects.child_of(index).filter(slug=spec.slug).first()
        values = {**spec.values, **_dates(spec, existing)}
        if existing is None:
            values["questions"] = [qs.build(n) for n, qs in enumerate(spec.questions)]
        page = page_upsert(index, ConsultationPage, spec.slug, values)
        result.consultations[spec.slug] = page
        created, total = demo_responses_create(
            consultation=page, spec=spec, count=counts[spec.slug]
        )
        result.responses_created += created
        result.responses_total += total
        demo_taking_part_create(consultation=page, slug=spec.slug)
    return result


def demo_consultations_delete(*, home: Page) -> int:
    """Delete every response to consultations under ``home``, so the pages can be deleted.

    Responses (and import batches) protect their consultation from deletion, so that answers are
    never lost by deleting a page; the demo's reset removes them first, on purpose.
    """
    pages = ConsultationPage.objects.descendant_of(home)
    responses = Response.objects.filter(page__in=pages)
    count = responses.count()
    responses.delete()
    ImportBatch.objects.filter(page__in=pages).delete()
    return count


def _without_slug(spec: dict) -> dict:
    return {key: value for key, value in spec.items() if key != "slug"}
