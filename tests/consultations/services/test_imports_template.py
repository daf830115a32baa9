"""The spreadsheet a facilitator downloads to type a consultation's paper answers into."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from consultations.models import Answer, Response, Source
from consultations.services.imports import (
    SUBMITTED_AT,
    answer_template,
    guess_mapping,
    import_responses,
    read_answer_file,
    unchosen_columns,
)
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(home):
    return make_consultation(home)


def test_the_template_has_a_column_per_question_and_a_guide_with_the_options(consultation):
    questions = list(consultation.ordered_questions())

    workbook = load_workbook(io.BytesIO(answer_template(consultation=consultation)))

    answers, guide = workbook.worksheets
    assert (answers.title, guide.title) == ("Answers", "Guide")
    headings = [cell.value for cell in answers[1]]
    assert headings == [q.text for q in questions] + ["Date answered"]
    rows = {row[1]: row for row in guide.iter_rows(min_row=2, values_only=True)}
    school = rows["How do you get to school?"]
    assert school[0] == "C"
    assert [v for v in school[3:] if v] == ["Bus", "Walk", "Car"]
    assert "“Other”" in school[2]
    assert [v for v in rows["How old are you?"][3:] if v][:2] == ["Under 11", "11 to 12"]
    assert [v for v in rows["How safe do you feel at school?"][3:] if v][0] == "1 – Very unhappy"
    # Choose-one columns offer their options in a list, yet still take other words.
    lists = {str(v.sqref).split(":")[0]: v for v in answers.data_validations.dataValidation}
    assert set(lists) == {"C2", "G2", "H2"}
    assert lists["C2"].showErrorMessage is False


def test_a_downloaded_template_filled_in_imports_its_rows(consultation):
    questions = {q.text: q for q in consultation.ordered_questions()}
    workbook = load_workbook(io.BytesIO(answer_template(consultation=consultation)))
    sheet = workbook["Answers"]
    sheet.append(
        [
            "Sam",
            "More youth clubs",
            "Bus",
            "Park; Online",
            4,
            "Transport; Bullying",
            "13 to 15",
            "Mendip",
            "03/02/2026",
        ]
    )
    sheet.append([None, "Street lights", "On my scooter", None, "5 – Very happy", None, None, None])
    filled = io.BytesIO()
    workbook.save(filled)

    parsed = read_answer_file(file=SimpleUploadedFile("typed-up.xlsx", filled.getvalue()))
    mapping = guess_mapping(
        headings=parsed.headings, questions=list(questions.values()), rows=parsed.rows
    )

    assert mapping == {
        **{n: q.pk for n, q in enumerate(questions.values())},
        8: SUBMITTED_AT,
    }
    assert unchosen_columns(parsed=parsed, mapping=mapping) == []
    batch = import_responses(
        consultation=consultation, parsed=parsed, mapping=mapping, source=Source.PAPER, user=None
    )
    assert batch.row_count == 2
    first, second = Response.objects.filter(import_batch=batch).order_by("submitted_at")
    assert (first.age_band, first.area) == ("13 to 15", "Mendip")
    assert Answer.objects.get(
        response=first, question=questions["Where do you feel unsafe?"]
    ).choices == ["Park", "Online"]
    assert (
        Answer.objects.get(
            response=second, question=questions["How safe do you feel at school?"]
        ).rating
        == 5
    )
    assert (
        Answer.objects.get(response=second, question=questions["How do you get to school?"]).text
        == "On my scooter"
    )


def test_an_empty_template_uploaded_back_is_refused_with_a_message(consultation):
    from consultations.services.imports import ImportFileError

    content = answer_template(consultation=consultation)

    with pytest.raises(ImportFileError, match="The file has headings but no rows of answers."):
        read_answer_file(file=SimpleUploadedFile("answers.xlsx", content))
    assert Response.objects.count() == 0
