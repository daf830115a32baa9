"""The demo's consultations as data: the "Have your say" page, and each consultation's page,
dates, status and questions (:data:`PLAN`, :data:`MEMBERS`). :mod:`.consultations` builds them."""

from __future__ import annotations

from dataclasses import dataclass

from consultations.models import (
    AboutYou,
    ConsultationStatus,
    Layout,
    Question,
    QuestionKind,
)

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
