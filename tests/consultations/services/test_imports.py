"""Reading files of paper and workshop answers, and importing them all or not at all."""

import io
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook
from wagtail.models import PageLogEntry

from consultations.models import Answer, ImportBatch, Response, Source
from consultations.services import OTHER, RawAnswer, SubmissionRejected
from consultations.services import imports as service
from consultations.services.imports import (
    SUBMITTED_AT,
    ImportFileError,
    ImportInvalid,
    cell_to_raw_answer,
    guess_mapping,
    import_responses,
    import_row_token,
    prepare_rows,
    read_answer_file,
    undo_import,
)
from tests.factories import UserFactory, make_consultation

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
SCHOOL = "How do you get to school?"
UNSAFE = "Where do you feel unsafe?"
RATING = "How safe do you feel at school?"
RANKING = "What matters most?"
AGE = "How old are you?"
AREA = "Where do you live?"


@pytest.fixture
def consultation(home):
    return make_consultation(home)


def by_text(consultation):
    return {q.text: q for q in consultation.ordered_questions()}


def csv_file(text: str, name="answers.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="answers.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def parse(text, **kwargs):
    return read_answer_file(file=csv_file(text, **kwargs))


def mapping_for(consultation, parsed):
    return guess_mapping(headings=parsed.headings, questions=list(consultation.ordered_questions()))


GOOD_CSV = (
    f"{SAFER},{SCHOOL},{UNSAFE},{RATING},{RANKING},{AGE},{AREA},Date\n"
    "More youth clubs,bus,Park; Online,4,Transport; Bullying,13 to 15,Mendip,03/02/2026\n"
    "\n"
    'Street lights,On my scooter,"park; the underpass",5 - Very happy,1. Knife crime,16 to 18,'
    "Sedgemoor,\n"
)


# Reading files ---------------------------------------------------------------------------------


def test_a_csv_file_is_read_with_spreadsheet_row_numbers_and_blank_rows_left_out():
    parsed = parse("\ufeffName,Answer\nSam,Yes\n,\nAlex,No\n")

    assert parsed.headings == ["Name", "Answer"]
    assert parsed.rows == [(2, ["Sam", "Yes"]), (4, ["Alex", "No"])]


def test_semicolon_separated_csv_is_read_but_semicolons_inside_cells_stay_put():
    semicolons = parse("Where;When\nPark;Night\nBus stop;Day\n")
    commas = parse('Where,When\n"Park; Bus stop",Night\nOnline,Day\n')

    assert semicolons.rows[0][1] == ["Park", "Night"]
    assert commas.rows[0][1] == ["Park; Bus stop", "Night"]


def test_an_xlsx_file_is_read_with_numbers_and_dates_as_people_typed_them():
    parsed = read_answer_file(
        file=xlsx_file([["Rating", "Date"], [4, datetime(2026, 2, 3)], [None, None], [5.0, "soon"]])
    )

    assert parsed.rows == [(2, ["4", "2026-02-03"]), (4, ["5", "soon"])]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        pytest.param(
            SimpleUploadedFile("answers.pdf", b"%PDF-1.4"),
            "Upload a CSV file or an Excel file (.xlsx). “answers.pdf” is neither.",
            id="wrong-type",
        ),
        pytest.param(
            SimpleUploadedFile("answers.xls", b"\xd0\xcf\x11\xe0"),
            "Old Excel files (.xls) cannot be read.",
            id="old-excel",
        ),
        pytest.param(
            SimpleUploadedFile("answers.xlsx", b"Name,Answer\nSam,Yes\n"),
            "This file is not a real Excel (.xlsx) file.",
            id="csv-named-xlsx",
        ),
        pytest.param(csv_file(" \n\n"), "The file is empty.", id="empty"),
        pytest.param(
            csv_file("Name,Answer\nCafé,Oui\n", encoding="latin-1"),
            "This CSV file is not saved as UTF-8",
            id="not-utf-8",
        ),
        pytest.param(csv_file("Name,Answer\n"), "headings but no rows of answers", id="no-rows"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_message(upload, message):
    with pytest.raises(ImportFileError) as refused:
        read_answer_file(file=upload)

    assert message in str(refused.value)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.YOUTHVOICE_IMPORT_MAX_BYTES = 100

    with pytest.raises(ImportFileError) as refused:
        parse("Answer\n" + "Yes\n" * 30)

    assert "The file is too big" in str(refused.value)


def test_a_file_over_the_row_limit_is_refused(settings):
    settings.YOUTHVOICE_IMPORT_MAX_ROWS = 3

    assert len(parse("Answer\n" + "Yes\n" * 3).rows) == 3
    with pytest.raises(ImportFileError) as refused:
        parse("Answer\n" + "Yes\n" * 4)

    assert "more than 3 rows of answers" in str(refused.value)


# Matching columns and reading cells ------------------------------------------------------------


def test_columns_are_matched_to_questions_by_their_wording(consultation):
    questions = by_text(consultation)
    headings = [
        "Q2. what would make you feel SAFER",
        "How do you get to scool?",
        "Notes",
        "Date",
    ]

    mapping = guess_mapping(headings=headings, questions=list(questions.values()))

    assert mapping == {0: questions[SAFER].pk, 1: questions[SCHOOL].pk, 3: SUBMITTED_AT}


def test_each_question_is_matched_to_one_column_only(consultation):
    questions = by_text(consultation)

    mapping = guess_mapping(headings=[SCHOOL, SCHOOL], questions=list(questions.values()))

    assert mapping == {0: questions[SCHOOL].pk}


@pytest.mark.parametrize(
    ("question", "cell", "expected"),
    [
        (SCHOOL, "bus", RawAnswer.of("Bus")),
        (SCHOOL, "On my scooter", RawAnswer(values=(OTHER,), other="On my scooter")),
        (SCHOOL, "Other: skateboard", RawAnswer(values=(OTHER,), other="skateboard")),
        (UNSAFE, "park; ONLINE", RawAnswer.of("Park", "Online")),
        (UNSAFE, "Park; the underpass", RawAnswer(values=("Park", OTHER), other="the underpass")),
        (RATING, "4", RawAnswer.of("4")),
        (RATING, "4.0", RawAnswer.of("4")),
        (RATING, "very happy", RawAnswer.of("5")),
        (RATING, "7", RawAnswer.of("7")),
        (RANKING, "1. Transport; 2. bullying", RawAnswer.of("Transport", "Bullying")),
        (AGE, "prefer not to say", RawAnswer.of("Prefer not to say")),
        (AREA, "Narnia", RawAnswer.of("Narnia")),
        (SAFER, "Street lights; more buses", RawAnswer.of("Street lights; more buses")),
    ],
)
def test_cells_are_read_as_the_answer_a_person_meant(consultation, question, cell, expected):
    q = by_text(consultation)[question]

    assert cell_to_raw_answer(q, cell, q.choice_options()) == expected


# Importing -------------------------------------------------------------------------------------


def test_a_good_file_imports_every_row_as_a_response_of_its_batch(consultation):
    facilitator = UserFactory()
    parsed = parse(GOOD_CSV, name="school-visit.csv")
    questions = by_text(consultation)

    batch = import_responses(
        consultation=consultation,
        parsed=parsed,
        mapping=mapping_for(consultation, parsed),
        source=Source.WORKSHOP,
        user=facilitator,
    )

    assert (batch.filename, batch.source, batch.row_count, batch.imported_by) == (
        "school-visit.csv",
        Source.WORKSHOP,
        2,
        facilitator,
    )
    responses = list(Response.objects.order_by("submitted_at"))
    assert len(responses) == 2
    assert {(r.source, r.import_batch_id, r.user_id) for r in responses} == {
        (Source.WORKSHOP, batch.pk, None)
    }
    assert {r.token for r in responses} == {import_row_token(batch, 2), import_row_token(batch, 4)}
    first, second = responses
    assert timezone.localtime(first.submitted_at).date().isoformat() == "2026-02-03"
    assert second.submitted_at == batch.imported_at
    assert (first.age_band, first.area) == ("13 to 15", "Mendip")

    def answer(response, text):
        return Answer.objects.get(response=response, question=questions[text])

    assert answer(first, SAFER).text == "More youth clubs"
    assert answer(first, SCHOOL).choices == ["Bus"]
    assert answer(first, UNSAFE).choices == ["Park", "Online"]
    assert answer(first, RATING).rating == 4
    assert answer(first, RANKING).choices == ["Transport", "Bullying"]
    assert (answer(second, SCHOOL).choices, answer(second, SCHOOL).text) == ([], "On my scooter")
    assert answer(second, UNSAFE).choices == ["Park"]
    assert answer(second, UNSAFE).text == "the underpass"
    assert answer(second, RATING).rating == 5
    assert answer(second, RANKING).choices == ["Knife crime"]


def test_an_import_is_written_to_the_consultations_history(consultation):
    facilitator = UserFactory()
    parsed = parse(GOOD_CSV, name="school-visit.csv")

    batch = import_responses(
        consultation=consultation,
        parsed=parsed,
        mapping=mapping_for(consultation, parsed),
        source=Source.PAPER,
        user=facilitator,
    )

    entry = PageLogEntry.objects.get(page=consultation, action=service.LOG_IMPORT)
    assert entry.user == facilitator
    assert entry.data["batch"] == batch.pk
    assert entry.message == "Imported 2 responses from “school-visit.csv” (paper)"


def test_one_bad_row_imports_nothing_and_every_bad_rows_problems_are_listed(consultation):
    parsed = parse(
        f"{SAFER},{SCHOOL},{RATING},{AGE}\n"
        "More youth clubs,Bus,4,13 to 15\n"
        "Street lights,Bus,9,13 to 15\n"
        "Nothing,Bus,3,\n"
        ",Walk,,Forty\n"
    )
    with pytest.raises(ImportInvalid) as invalid:
        import_responses(
            consultation=consultation,
            parsed=parsed,
            mapping=mapping_for(consultation, parsed),
            source=Source.PAPER,
            user=None,
        )

    assert invalid.value.problems == [
        f"Row 3, “{RATING}”: Choose a number from 1 to 5.",
        f"Row 5, “{SAFER}”: Write your answer to this question.",
        f"Row 5, “{AGE}”: Choose from the options given.",
    ]
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_a_row_with_nothing_in_the_matched_columns_is_a_problem(consultation):
    parsed = parse(f"{SAFER},Notes\nMore youth clubs,\n,Left blank\n")

    with pytest.raises(ImportInvalid) as invalid:
        prepare_rows(
            consultation=consultation, parsed=parsed, mapping=mapping_for(consultation, parsed)
        )

    assert invalid.value.problems == [
        "Row 3: there are no answers in the columns matched to questions."
    ]


def test_dates_that_cannot_be_read_or_are_in_the_future_are_problems(consultation):
    parsed = parse(f"{SAFER},Date\nClubs,yesterday\nLights,01/01/2999\nBuses,31/12/2025\n")

    with pytest.raises(ImportInvalid) as invalid:
        prepare_rows(
            consultation=consultation, parsed=parsed, mapping=mapping_for(consultation, parsed)
        )

    assert invalid.value.problems == [
        "Row 2, “Date”: Write the date as day/month/year, for example 31/01/2026.",
        "Row 3, “Date”: This date is in the future.",
    ]


def test_a_mapping_with_a_question_twice_or_no_question_is_refused(consultation):
    parsed = parse(f"{SAFER},Again\nClubs,Lights\n")
    safer = by_text(consultation)[SAFER]

    with pytest.raises(ImportInvalid) as twice:
        prepare_rows(consultation=consultation, parsed=parsed, mapping={0: safer.pk, 1: safer.pk})
    with pytest.raises(ImportInvalid) as none:
        prepare_rows(consultation=consultation, parsed=parsed, mapping={})

    assert twice.value.problems == [
        f"More than one column is matched to “{SAFER}”. Match each question once."
    ]
    assert none.value.problems == ["Match at least one column to a question."]


def test_a_failure_while_saving_undoes_the_rows_already_saved(consultation, monkeypatch):
    """All or nothing even when a row passes its checks but cannot be saved."""
    real_submit = service.submit_response
    calls = []

    def submit_then_fail(**kwargs):
        calls.append(kwargs["token"])
        if len(calls) == 2:
            raise SubmissionRejected("We could not save your answers. Please try again.")
        return real_submit(**kwargs)

    monkeypatch.setattr(service, "submit_response", submit_then_fail)
    parsed = parse(GOOD_CSV)

    with pytest.raises(ImportInvalid) as invalid:
        import_responses(
            consultation=consultation,
            parsed=parsed,
            mapping=mapping_for(consultation, parsed),
            source=Source.PAPER,
            user=None,
        )

    assert invalid.value.problems == ["Row 4: We could not save your answers. Please try again."]
    assert len(calls) == 2
    assert Response.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_only_paper_workshop_and_import_are_sources_for_an_import(consultation):
    parsed = parse(GOOD_CSV)

    with pytest.raises(ValueError):
        import_responses(
            consultation=consultation,
            parsed=parsed,
            mapping=mapping_for(consultation, parsed),
            source=Source.ONLINE,
            user=None,
        )


def test_a_closed_consultation_still_takes_imported_answers(home):
    closed = make_consultation(
        home,
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() - timedelta(days=1),
    )
    parsed = parse(GOOD_CSV)

    batch = import_responses(
        consultation=closed,
        parsed=parsed,
        mapping=mapping_for(closed, parsed),
        source=Source.PAPER,
        user=None,
    )

    assert batch.responses.count() == 2


# Undoing ---------------------------------------------------------------------------------------


def test_undo_removes_exactly_the_batchs_responses(consultation):
    def run(name):
        parsed = parse(GOOD_CSV, name=name)
        return import_responses(
            consultation=consultation,
            parsed=parsed,
            mapping=mapping_for(consultation, parsed),
            source=Source.PAPER,
            user=None,
        )

    first, second = run("first.csv"), run("second.csv")
    kept = set(second.responses.values_list("pk", flat=True))
    facilitator = UserFactory()

    deleted = undo_import(batch=first, user=facilitator)

    assert deleted == 2
    assert set(Response.objects.values_list("pk", flat=True)) == kept
    assert not ImportBatch.objects.filter(pk=first.pk).exists()
    assert Answer.objects.filter(response__import_batch=second).count() > 0
    assert Answer.objects.count() == Answer.objects.filter(response__import_batch=second).count()
    entry = PageLogEntry.objects.get(page=consultation, action=service.LOG_UNDO_IMPORT)
    assert entry.user == facilitator
    assert entry.message == "Undid the import of “first.csv”: 2 responses deleted"
