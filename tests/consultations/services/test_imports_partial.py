"""Importing only the ready rows of a file, as the facilitator's explicit choice."""

import io
from unittest.mock import patch

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from consultations.models import Answer, ImportBatch, Response, Source
from consultations.services import imports as service
from consultations.services.imports import (
    ImportInvalid,
    check_rows,
    import_responses,
    read_answer_file,
    rows_to_fix_xlsx,
)
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
RATING = "How safe do you feel at school?"
MIXED = f"{SAFER},{RATING}\nMore youth clubs,4\nStreet lights,9\n,3\nSafer parks,\n"


@pytest.fixture
def consultation(home):
    return make_consultation(home)


@pytest.fixture
def parsed():
    return read_answer_file(file=SimpleUploadedFile("mixed.csv", MIXED.encode()))


def mapping(consultation):
    questions = {q.text: q.pk for q in consultation.ordered_questions()}
    return {0: questions[SAFER], 1: questions[RATING]}


def test_by_default_one_bad_row_still_imports_nothing(consultation, parsed):
    with pytest.raises(ImportInvalid):
        import_responses(
            consultation=consultation,
            parsed=parsed,
            mapping=mapping(consultation),
            source=Source.PAPER,
            user=None,
        )

    assert Response.objects.count() == 0


def test_valid_only_imports_the_ready_rows_each_through_the_one_door(consultation, parsed):
    with patch.object(service, "submit_response", wraps=service.submit_response) as door:
        batch = import_responses(
            consultation=consultation,
            parsed=parsed,
            mapping=mapping(consultation),
            source=Source.PAPER,
            user=None,
            valid_only=True,
        )

    assert door.call_count == 2
    assert batch.row_count == 2
    written = Answer.objects.filter(response__import_batch=batch, question__text=SAFER)
    assert sorted(written.values_list("text", flat=True)) == ["More youth clubs", "Safer parks"]


def test_the_rows_to_fix_hold_the_bad_rows_as_written_with_their_problems(consultation, parsed):
    checked = check_rows(consultation=consultation, parsed=parsed, mapping=mapping(consultation))

    sheet = load_workbook(io.BytesIO(rows_to_fix_xlsx(parsed=parsed, bad_rows=checked.bad_rows)))
    rows = [[c.value for c in row] for row in sheet.active.iter_rows()]

    assert [row[:2] for row in rows] == [[SAFER, RATING], ["Street lights", "9"], [None, "3"]]
    assert rows[1][2] == f"Row 3, “{RATING}”: Choose a number from 1 to 5."
    assert rows[2][2] == f"Row 4, “{SAFER}”: Write your answer to this question."


def test_valid_only_still_refuses_a_column_left_unchosen(consultation):
    parsed = read_answer_file(
        file=SimpleUploadedFile("notes.csv", f"{SAFER},Notes\nClubs,in pencil\n".encode())
    )
    questions = {q.text: q.pk for q in consultation.ordered_questions()}

    with pytest.raises(ImportInvalid):
        import_responses(
            consultation=consultation,
            parsed=parsed,
            mapping={0: questions[SAFER]},
            source=Source.PAPER,
            user=None,
            valid_only=True,
        )

    assert ImportBatch.objects.count() == 0
