"""Exports of the survey tools partnerships already use, imported as they come.

The samples in ``data/imports/`` follow each tool's own layout (``docs/imports.md`` says where
each layout comes from); each answers the questions of ``make_consultation``.
"""

from pathlib import Path
from unittest.mock import patch

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from consultations.models import Answer, ImportBatch, Response, Source
from consultations.services import imports as service
from consultations.services.imports import (
    LEAVE_OUT,
    SUBMITTED_AT,
    guess_mapping,
    import_responses,
    read_answer_file,
    unchosen_columns,
)
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "imports"

NAME = "What is your name for this?"
SAFER = "What would make you feel safer?"
SCHOOL = "How do you get to school?"
UNSAFE = "Where do you feel unsafe?"
RATING = "How safe do you feel at school?"
RANKING = "What matters most?"
AGE = "How old are you?"
AREA = "Where do you live?"

#: Each tool's sample: the columns its own metadata takes (left out), and its date column.
TOOLS = {
    "microsoft-forms.xlsx": {
        "left_out": ["ID", "Start time", "Email", "Name", "Last modified time"],
        "date": "Completion time",
        "ranking": False,
    },
    "google-forms.csv": {"left_out": ["Email address"], "date": "Timestamp", "ranking": True},
    "surveymonkey.csv": {
        "left_out": [
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "IP Address",
            "Email Address",
            "First Name",
            "Last Name",
            "Custom Data 1",
        ],
        "date": "End Date",
        "ranking": True,
    },
    "smartsurvey.csv": {
        "left_out": [
            "UserID",
            "UserNo",
            "Name",
            "Email",
            "IP Address",
            "Unique ID",
            "Started",
            "Tracking Link",
        ],
        "date": "Ended",
        "ranking": True,
    },
}


@pytest.fixture
def consultation(home):
    return make_consultation(home)


def sample(name):
    return read_answer_file(file=SimpleUploadedFile(name, (DATA / name).read_bytes()))


@pytest.mark.parametrize("name", list(TOOLS))
def test_each_tools_columns_are_matched_and_its_own_columns_left_out(consultation, name):
    parsed = sample(name)
    questions = list(consultation.ordered_questions())
    expected = TOOLS[name]

    mapping = guess_mapping(headings=parsed.headings, questions=questions, rows=parsed.rows)

    named = {parsed.headings[column]: target for column, target in mapping.items()}
    assert [h for h, t in named.items() if t == LEAVE_OUT] == expected["left_out"]
    assert [h for h, t in named.items() if t == SUBMITTED_AT] == [expected["date"]]
    matched = {t for t in named.values() if t not in (LEAVE_OUT, SUBMITTED_AT)}
    wanted = {q.pk for q in questions if expected["ranking"] or q.text != RANKING}
    assert matched == wanted
    assert unchosen_columns(parsed=parsed, mapping=mapping) == []


@pytest.mark.parametrize("name", list(TOOLS))
def test_each_tools_export_imports_its_rows_and_answers(consultation, name):
    parsed = sample(name)
    questions = {q.text: q for q in consultation.ordered_questions()}
    mapping = guess_mapping(
        headings=parsed.headings, questions=list(questions.values()), rows=parsed.rows
    )

    with patch.object(service, "submit_response", wraps=service.submit_response) as door:
        batch = import_responses(
            consultation=consultation,
            parsed=parsed,
            mapping=mapping,
            source=Source.IMPORT,
            user=None,
        )

    assert door.call_count == 3  # every row through the one door
    assert batch.row_count == 3
    first, second, third = Response.objects.filter(import_batch=batch).order_by("submitted_at")
    when = timezone.localtime(first.submitted_at)
    assert (when.date().isoformat(), when.strftime("%H:%M")) == ("2026-02-03", "10:15")
    assert timezone.localtime(third.submitted_at).date().isoformat() == "2026-02-04"

    def answer(response, text):
        return Answer.objects.filter(response=response, question=questions[text]).first()

    assert answer(first, NAME).text == "Sam"
    assert answer(first, SAFER).text == "More youth clubs, and lights in the park"
    assert answer(first, SCHOOL).choices == ["Bus"]
    assert answer(first, UNSAFE).choices == ["Park", "Online"]
    assert answer(first, RATING).rating == 4
    assert (first.age_band, first.area) == ("13 to 15", "Mendip")
    assert answer(second, NAME) is None
    assert (answer(second, SCHOOL).choices, answer(second, SCHOOL).text) == ([], "On my scooter")
    assert answer(second, UNSAFE).choices == ["Bus stop"]
    assert answer(second, UNSAFE).text == "near the shops"
    assert answer(second, RATING).rating == 2
    assert answer(third, SAFER).text == "Police on the bus"
    assert (third.age_band, third.area) == ("11 to 12", "")
    if TOOLS[name]["ranking"]:
        assert answer(first, RANKING).choices == ["Transport", "Bullying"]
        assert answer(third, RANKING).choices == ["Knife crime"]
    # Nothing from the tools' own columns (ids, names, emails) is kept anywhere.
    kept = " ".join(Answer.objects.values_list("text", flat=True))
    assert "anonymous" not in kept and "114708529384" not in kept and "Web Link" not in kept
    assert ImportBatch.objects.count() == 1


def test_a_surveymonkey_exports_second_heading_row_is_folded_into_its_questions():
    parsed = sample("surveymonkey.csv")

    assert parsed.headings[9:] == [NAME, SAFER, SCHOOL, UNSAFE, RATING, RANKING, AGE, AREA]
    # Row 2 is the second heading row: the answers start at row 3, as the spreadsheet shows.
    assert [number for number, _cells in parsed.rows] == [3, 4, 5]
    second = parsed.rows[1][1]
    assert second[11:14] == ["Other: On my scooter", "Bus stop; Other: near the shops", "2"]
    assert parsed.rows[0][1][14] == "Transport; Bullying"  # ranks 1 and 2, in rank order
