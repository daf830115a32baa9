"""Matching a file's columns to questions by meaning, and never dropping a column unseen.

The headings below are also the measurement behind ``MATCH_THRESHOLD``
(``consultations.analysis.tabular``): every heading written another way for the question it
means scores at least 0.84, and none scores more than 0.67 against a question it does not mean.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations.analysis.column_matching import MATCH_THRESHOLD, heading_score, normalise_heading
from consultations.models import ImportBatch, Response, Source
from consultations.services.imports import (
    LEAVE_OUT,
    ImportInvalid,
    guess_mapping,
    import_responses,
    prepare_rows,
    read_answer_file,
    unchosen_columns,
)
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

NAME = "What is your name for this?"
SAFER = "What would make you feel safer?"
SCHOOL = "How do you get to school?"
UNSAFE = "Where do you feel unsafe?"
RATING = "How safe do you feel at school?"
RANKING = "What matters most?"
AGE = "How old are you?"
AREA = "Where do you live?"
QUESTIONS = [NAME, SAFER, SCHOOL, UNSAFE, RATING, RANKING, AGE, AREA]

#: Headings as people write them, and the question each means.
WRITTEN_ANOTHER_WAY = [
    ("Q2. what would make you feel SAFER", SAFER),
    ("3) How do you get to school", SCHOOL),
    ("Question 7 - How old are you", AGE),
    ("How do you get to scool?", SCHOOL),
    ("what wuold make you feel safr", SAFER),
    ("What would make you feel safer in your area?", SAFER),
    ("WHERE DO YOU FEEL UNSAFE", UNSAFE),
    ("“What matters most?”", RANKING),
    ("What’s your name for this", NAME),
    ("where  do you live ?", AREA),
    ("Rate: how safe do you feel at school (1-5)", RATING),
    ("How safe do you feel in school?", RATING),
    ("Where do you feel unsafe (tick all that apply)", UNSAFE),
    ("Howsafe do you feel at school", RATING),
]
#: Headings that mean none of the questions.
MEANING_NONE = ["Notes", "Comments", "Anything else you want to tell us?", "Your postcode"]


@pytest.fixture
def consultation(home):
    return make_consultation(home)


def by_text(consultation):
    return {q.text: q for q in consultation.ordered_questions()}


def parse(text, name="answers.csv"):
    return read_answer_file(file=SimpleUploadedFile(name, text.encode()))


@pytest.mark.parametrize(
    ("heading", "normalised"),
    [
        ("Q3. How do you get to school?", "how do you get to school"),
        ("3) How do you get to school?", "how do you get to school"),
        ("Question 12: What’s  your NAME?", "whats your name"),
        ("“What matters most?”", "what matters most"),
        ("3D printing club?", "3d printing club"),  # a number that is part of the words stays
        ("Where do you feel unsafe? (tick all that apply)", "where do you feel unsafe"),
    ],
)
def test_headings_are_normalised(heading, normalised):
    assert normalise_heading(heading) == normalised


@pytest.mark.parametrize(("heading", "meant"), WRITTEN_ANOTHER_WAY)
def test_a_heading_written_another_way_is_closest_to_the_question_it_means(heading, meant):
    scores = {question: heading_score(heading, question) for question in QUESTIONS}

    assert scores[meant] >= MATCH_THRESHOLD
    assert max(s for q, s in scores.items() if q != meant) < MATCH_THRESHOLD


@pytest.mark.parametrize("heading", QUESTIONS + MEANING_NONE)
def test_no_heading_matches_a_question_it_does_not_mean(heading):
    others = [q for q in QUESTIONS if q != heading]

    assert max(heading_score(heading, q) for q in others) < MATCH_THRESHOLD


def test_columns_written_another_way_are_each_matched_to_their_question(consultation):
    questions = by_text(consultation)
    headings = [
        "Q2. what would make you feel SAFER",
        "3) How do you get to scool",
        "WHERE DO YOU FEEL UNSAFE (tick all that apply)",
        "How safe do you feel in school?",
        "“What matters most?”",
        "Notes",
    ]

    mapping = guess_mapping(headings=headings, questions=list(questions.values()))

    assert mapping == {
        0: questions[SAFER].pk,
        1: questions[SCHOOL].pk,
        2: questions[UNSAFE].pk,
        3: questions[RATING].pk,
        4: questions[RANKING].pk,
    }


def test_a_column_whose_values_are_a_questions_options_is_matched_to_it(consultation):
    questions = by_text(consultation)
    parsed = parse(
        "Travel,Age group,Worries\nbus,13 to 15,Park; Online\nWalk,16 to 18,Bus stop\nCar,,\n"
    )

    mapping = guess_mapping(
        headings=parsed.headings, questions=list(questions.values()), rows=parsed.rows
    )

    assert mapping == {
        0: questions[SCHOOL].pk,
        1: questions[AGE].pk,
        2: questions[UNSAFE].pk,
    }


def test_empty_columns_and_a_tools_own_columns_are_left_out_and_others_left_unchosen(
    consultation,
):
    parsed = parse(f"Respondent ID,{SAFER},Blank,Notes\n1,Clubs,,in pencil\n2,Lights,,\n")

    mapping = guess_mapping(
        headings=parsed.headings, questions=list(consultation.ordered_questions()), rows=parsed.rows
    )

    assert mapping[0] == LEAVE_OUT
    assert mapping[2] == LEAVE_OUT
    assert 3 not in mapping
    assert unchosen_columns(parsed=parsed, mapping=mapping) == [3]


# Nothing dropped unseen -------------------------------------------------------------------------


ANSWERS_WITH_NOTES = (
    f"{SAFER},Anything else you want to tell us?\n"
    "More youth clubs,\n"
    "Street lights,Someone at home hurts me\n"
)


def test_a_column_with_words_left_unchosen_stops_the_import_and_saves_nothing(consultation):
    parsed = parse(ANSWERS_WITH_NOTES)
    mapping = guess_mapping(
        headings=parsed.headings, questions=list(consultation.ordered_questions()), rows=parsed.rows
    )

    with pytest.raises(ImportInvalid) as invalid:
        import_responses(
            consultation=consultation,
            parsed=parsed,
            mapping=mapping,
            source=Source.PAPER,
            user=None,
        )

    assert invalid.value.problems == [
        "Choose what to do with the column “Anything else you want to tell us?”: match it to a "
        "question, or choose “Leave out this column”."
    ]
    assert Response.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_checking_rows_also_refuses_an_unchosen_column(consultation):
    parsed = parse(ANSWERS_WITH_NOTES)
    mapping = {0: by_text(consultation)[SAFER].pk}

    with pytest.raises(ImportInvalid):
        prepare_rows(consultation=consultation, parsed=parsed, mapping=mapping)


@pytest.mark.parametrize(
    ("target", "saved_text"),
    [
        pytest.param(NAME, "Someone at home hurts me", id="matched-to-a-question"),
        pytest.param(None, None, id="left-out"),
    ],
)
def test_once_chosen_the_column_is_imported_or_left_out(consultation, target, saved_text):
    questions = by_text(consultation)
    parsed = parse(ANSWERS_WITH_NOTES)
    mapping = {0: questions[SAFER].pk, 1: questions[target].pk if target else LEAVE_OUT}

    batch = import_responses(
        consultation=consultation, parsed=parsed, mapping=mapping, source=Source.PAPER, user=None
    )

    assert batch.row_count == 2
    texts = set(
        batch.responses.filter(answers__question__text=NAME).values_list("answers__text", flat=True)
    )
    assert texts == ({saved_text} if saved_text else set())
