"""Reading files of paper and workshop answers, and importing them all or not at all."""

import io
import itertools
import re
import zipfile
from datetime import datetime, timedelta
from unittest.mock import Mock

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook
from wagtail.models import PageLogEntry

from consultations.models import Answer, ImportBatch, ImportJob, ImportJobStatus, Response, Source
from consultations.services import OTHER, RawAnswer, SubmissionRejected, import_jobs
from consultations.services import imports as service
from consultations.services.import_jobs import (
    discard_import,
    pending_import,
    purge_expired_imports,
    read_import,
    start_import,
)
from consultations.services.imports import (
    LEAVE_OUT,
    SUBMITTED_AT,
    ImportFileError,
    ImportInvalid,
    ParsedFile,
    cell_to_raw_answer,
    guess_mapping,
    import_responses,
    import_row_token,
    prepare_rows,
    read_answer_file,
    undo_import,
)
from consultations.tasks import purge_expired_responses_task, read_import_task
from tests.factories import UserFactory, make_consultation
from youthforum.accounts import roles
from youthforum.core.storage import private_storage

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


def test_a_csv_whose_rows_are_not_all_as_wide_is_still_split_at_its_commas():
    parsed = parse("Name,Answer\nSam,Yes,written in pencil\nAlex\n")

    assert parsed.headings == ["Name", "Answer", "Column 3 (no heading)"]
    assert parsed.rows == [(2, ["Sam", "Yes", "written in pencil"]), (3, ["Alex", "", ""])]


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

    assert "The file has more than 3 rows after the headings (empty rows count too)." in str(
        refused.value
    )


def test_empty_rows_count_against_the_row_limit(settings):
    settings.YOUTHVOICE_IMPORT_MAX_ROWS = 3

    assert len(parse("Answer\nYes\n\n,\n").rows) == 1
    with pytest.raises(ImportFileError) as refused:
        parse("Answer\nYes\n" + ",\n" * 3)

    assert "more than 3 rows after the headings (empty rows count too)" in str(refused.value)


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
    mapping = {**mapping_for(consultation, parsed), 1: LEAVE_OUT}  # Notes, set aside

    with pytest.raises(ImportInvalid) as invalid:
        prepare_rows(consultation=consultation, parsed=parsed, mapping=mapping)

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
        prepare_rows(consultation=consultation, parsed=parsed, mapping={0: LEAVE_OUT, 1: LEAVE_OUT})

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


# Files made to tie up a server -----------------------------------------------------------------
# openpyxl writes the <dimension> it computes, so a hostile workbook is made by editing the XML
# of a real one inside its zip.

SHEET = "xl/worksheets/sheet1.xml"
SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)


def doctored_xlsx(rows, *, dimension=None, extra_rows="", extra_parts=None, name="answers.xlsx"):
    """A real workbook of ``rows`` with its sheet's XML changed: a declared ``dimension``,
    ``extra_rows`` (XML) appended to its rows, and ``extra_parts`` ({name: bytes}) added."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    saved = io.BytesIO()
    workbook.save(saved)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(saved.getvalue())) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as doctored,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == SHEET:
                text = data.decode()
                if dimension:
                    text, count = re.subn(
                        r'<dimension ref="[^"]*" ?/>', f'<dimension ref="{dimension}"/>', text
                    )
                    assert count == 1
                text = text.replace("</sheetData>", f"{extra_rows}</sheetData>")
                data = text.encode()
            doctored.writestr(info, data)
        for part, data in (extra_parts or {}).items():
            doctored.writestr(part, data)
    return SimpleUploadedFile(name, output.getvalue())


def refusal(upload) -> str:
    with pytest.raises(ImportFileError) as refused:
        read_answer_file(file=upload)
    return str(refused.value)


ANSWERS = [["Name", "Answer"], ["Sam", "Yes"], ["Alex", "No"]]


def test_a_declared_dimension_is_ignored_so_rows_are_only_as_wide_as_their_cells(settings):
    # Empty rows declared 16,384 columns wide: trusting the declaration, openpyxl pads each one
    # (5,000 such rows were 82 million cells and 15 seconds of work for a 17 KB file). Ignoring
    # it, they are 6 cells in all, well inside a limit of 1,000.
    settings.YOUTHVOICE_IMPORT_MAX_CELLS = 1_000
    empty_rows = "".join(f'<row r="{n}"/>' for n in range(4, 1_500))
    upload = doctored_xlsx(ANSWERS, dimension="A1:XFD5000", extra_rows=empty_rows)

    parsed = read_answer_file(file=upload)

    assert parsed.headings == ["Name", "Answer"]
    assert parsed.rows == [(2, ["Sam", "Yes"]), (3, ["Alex", "No"])]


@pytest.mark.parametrize(
    "extra_rows",
    [
        pytest.param("".join(f'<row r="{n}"/>' for n in range(4, 30)), id="empty-row-elements"),
        pytest.param('<row r="1048576"/>', id="a-row-far-below"),
        pytest.param('<row r="30"><c r="A30" t="inlineStr"><is><t>x</t></is></c></row>', id="gap"),
    ],
)
def test_empty_rows_of_a_workbook_count_against_the_row_limit(settings, extra_rows):
    settings.YOUTHVOICE_IMPORT_MAX_ROWS = 20

    message = refusal(doctored_xlsx(ANSWERS, extra_rows=extra_rows))

    assert "The file has more than 20 rows after the headings (empty rows count too)." in message


def test_a_cell_far_to_the_right_counts_every_empty_cell_before_it(settings):
    settings.YOUTHVOICE_IMPORT_MAX_CELLS = 1_000
    far_right = "".join(f'<row r="{n}"><c r="XFD{n}" s="0"/></row>' for n in range(4, 6))

    message = refusal(doctored_xlsx(ANSWERS, extra_rows=far_right))

    assert "The file has more than 1,000 cells (rows times columns" in message


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_too_many_columns_is_refused(settings, kind):
    settings.YOUTHVOICE_IMPORT_MAX_COLUMNS = 5
    rows = [["Name", "Answer"], ["Sam", "Yes", "", "", "", "one too many"]]
    upload = (
        xlsx_file(rows)
        if kind == "xlsx"
        else csv_file("\n".join(",".join(row) for row in rows) + "\n")
    )

    assert refusal(upload) == "Row 2 has more than 5 columns. Is this the right file?"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_with_too_many_cells_is_refused(settings, kind):
    settings.YOUTHVOICE_IMPORT_MAX_CELLS = 20
    rows = [["Name", "Answer"]] + [["Sam", "Yes"]] * 10
    upload = (
        xlsx_file(rows)
        if kind == "xlsx"
        else csv_file("\n".join(",".join(row) for row in rows) + "\n")
    )

    assert "The file has more than 20 cells" in refusal(upload)
    settings.YOUTHVOICE_IMPORT_MAX_CELLS = 22
    upload.seek(0)
    assert len(read_answer_file(file=upload).rows) == 10


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_reading_stops_with_a_message_when_it_takes_too_long(settings, monkeypatch, kind):
    settings.YOUTHVOICE_IMPORT_READ_SECONDS = 5
    ticks = itertools.count()
    monkeypatch.setattr(service, "monotonic", lambda: next(ticks))  # a second a look
    rows = [["Name", "Answer"]] + [["Sam", "Yes"]] * 50
    upload = (
        xlsx_file(rows)
        if kind == "xlsx"
        else csv_file("\n".join(",".join(row) for row in rows) + "\n")
    )

    message = refusal(upload)

    assert message == (
        "This file took too long to read. Split it into smaller files of up to 100 rows, and "
        "import each one."
    )


def test_a_zip_that_is_not_a_workbook_is_refused():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("notes.txt", "Not a spreadsheet")

    message = refusal(SimpleUploadedFile("answers.xlsx", output.getvalue()))

    assert message == (
        "We could not read this Excel file. Save it again as .xlsx or CSV UTF-8 and retry."
    )


def test_a_workbook_that_unpacks_to_far_more_than_its_size_is_refused(settings):
    settings.YOUTHVOICE_IMPORT_MAX_UNPACKED_BYTES = 200_000
    padding = b"<sst>" + b"<si><t>x</t></si>" * 20_000 + b"</sst>"  # 340 KB, zips to 1 KB
    upload = doctored_xlsx(ANSWERS, extra_parts={"xl/padding.xml": padding})
    assert upload.size < 20_000

    message = refusal(upload)

    assert message.startswith("This Excel file holds far more than its answers")


def test_a_workbook_with_one_enormous_row_is_refused_before_openpyxl_reads_it(
    settings, monkeypatch
):
    # One row of 20,000 cells: openpyxl would build all of them before giving the row back.
    settings.YOUTHVOICE_IMPORT_MAX_XML_ELEMENTS = 10_000
    monkeypatch.setattr(
        "openpyxl.load_workbook", lambda *a, **k: pytest.fail("openpyxl opened the file")
    )
    enormous = '<row r="4">' + "<c><v>1</v></c>" * 20_000 + "</row>"

    message = refusal(doctored_xlsx(ANSWERS, extra_rows=enormous))

    assert message.startswith("This Excel file holds far more than its answers")


def test_a_workbook_declaring_entities_is_refused_unread():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<sst><si><t>&b;</t></si></sst>"
    )

    message = refusal(doctored_xlsx(ANSWERS, extra_parts={"xl/laughs.xml": laughs}))

    assert message.startswith("We could not read this Excel file.")


def test_a_csv_row_longer_than_the_limit_is_refused_before_it_is_split(settings):
    settings.YOUTHVOICE_IMPORT_MAX_LINE_CHARS = 100

    assert len(parse("Name,Answer\nSam," + "y" * 80 + "\n").rows) == 1
    for text, row in (
        ("Name,Answer\nSam,Yes\n" + "," * 200 + "\n", 3),
        ('Name,Answer\nSam,"an answer with a quote left open\n' + "and more lines\n" * 10, 2),
    ):
        message = refusal(csv_file(text))
        assert message.startswith(f"Row {row} is longer than 100 characters. Is this the right")


# Pending imports: between the upload and the import --------------------------------------------


@pytest.fixture
def facilitator():
    return UserFactory(roles=[roles.FACILITATORS])


def private_files() -> list[str]:
    try:
        return private_storage().listdir("imports")[1]
    except FileNotFoundError:
        return []


def test_a_small_file_is_read_at_once_and_its_rows_kept_for_its_uploader(consultation, facilitator):
    job = start_import(
        consultation=consultation,
        file=csv_file(GOOD_CSV, name="school.csv"),
        source=Source.PAPER,
        user=facilitator,
    )

    assert job.status == ImportJobStatus.READY
    assert ParsedFile.from_dict(job.parsed) == parse(GOOD_CSV, name="school.csv")
    assert not job.file
    assert private_files() == []
    assert job.expires_at == job.created_at + timedelta(days=1)


def test_a_small_file_that_cannot_be_read_keeps_nothing(consultation, facilitator):
    with pytest.raises(ImportFileError):
        start_import(
            consultation=consultation,
            file=csv_file("Name,Answer\n"),
            source=Source.PAPER,
            user=facilitator,
        )

    assert ImportJob.objects.count() == 0


def test_a_large_file_is_kept_privately_under_a_random_name_and_read_by_a_task(
    consultation, facilitator, settings, django_capture_on_commit_callbacks
):
    settings.YOUTHVOICE_IMPORT_TASK_THRESHOLD_BYTES = 100

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_import(
            consultation=consultation,
            file=csv_file(GOOD_CSV, name="school visit.csv"),
            source=Source.WORKSHOP,
            user=facilitator,
        )
    assert job.status == ImportJobStatus.QUEUED
    assert re.fullmatch(r"imports/[0-9a-f]{32}\.csv", job.file.name)
    assert private_files() == [job.file.name.split("/")[1]]
    assert not default_storage.exists(job.file.name)

    for callback in callbacks:
        callback()  # the transaction commits: the (immediate) task backend reads it now

    job.refresh_from_db()
    assert job.status == ImportJobStatus.READY
    assert ParsedFile.from_dict(job.parsed).rows == parse(GOOD_CSV).rows
    assert job.parsed["filename"] == "school visit.csv"
    assert (job.rows_read, job.rows_total) == (2, 2)
    assert not job.file
    assert private_files() == []  # once read, only the rows are kept


def test_a_large_file_that_cannot_be_read_records_why_and_keeps_nothing(
    consultation, facilitator, settings, django_capture_on_commit_callbacks
):
    settings.YOUTHVOICE_IMPORT_TASK_THRESHOLD_BYTES = 10
    settings.YOUTHVOICE_IMPORT_MAX_ROWS = 3

    with django_capture_on_commit_callbacks(execute=True):
        job = start_import(
            consultation=consultation,
            file=csv_file("Answer\n" + "Yes\n" * 10),
            source=Source.PAPER,
            user=facilitator,
        )

    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED
    assert job.error.startswith("The file has more than 3 rows after the headings")
    assert job.parsed is None
    assert private_files() == []


def test_a_large_file_named_xlsx_that_is_not_one_is_refused_before_it_is_kept(
    consultation, facilitator, settings
):
    settings.YOUTHVOICE_IMPORT_TASK_THRESHOLD_BYTES = 10

    with pytest.raises(ImportFileError) as refused:
        start_import(
            consultation=consultation,
            file=SimpleUploadedFile("answers.xlsx", b"Name,Answer\n" * 10),
            source=Source.PAPER,
            user=facilitator,
        )

    assert "This file is not a real Excel (.xlsx) file." in str(refused.value)
    assert ImportJob.objects.count() == 0
    assert private_files() == []


def test_reading_a_job_twice_or_after_it_was_cancelled_is_harmless(
    consultation, facilitator, settings, django_capture_on_commit_callbacks
):
    settings.YOUTHVOICE_IMPORT_TASK_THRESHOLD_BYTES = 10
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = start_import(
            consultation=consultation, file=csv_file(GOOD_CSV), source="paper", user=facilitator
        )
    assert len(callbacks) == 1

    assert read_import(job.pk).status == ImportJobStatus.READY
    assert read_import(job.pk).status == ImportJobStatus.READY
    discard_import(job=ImportJob.objects.get(pk=job.pk))
    assert read_import(job.pk) is None


def test_a_task_that_fails_unexpectedly_records_a_failure_and_keeps_no_file(
    consultation, facilitator, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.YOUTHVOICE_IMPORT_TASK_THRESHOLD_BYTES = 10
    with django_capture_on_commit_callbacks(execute=False):
        job = start_import(
            consultation=consultation, file=csv_file(GOOD_CSV), source="paper", user=facilitator
        )
    monkeypatch.setattr(import_jobs, "read_answer_file", Mock(side_effect=RuntimeError("disk")))

    result = read_import_task.enqueue(job.pk).return_value

    job.refresh_from_db()
    assert result == {"job": job.pk, "status": ImportJobStatus.FAILED}
    assert job.error.startswith("Sorry, something went wrong while reading this file.")
    assert private_files() == []


def test_a_new_upload_replaces_the_uploaders_earlier_pending_import_only(consultation, facilitator):
    other = UserFactory(roles=[roles.FACILITATORS])
    first = start_import(
        consultation=consultation, file=csv_file(GOOD_CSV), source="paper", user=facilitator
    )
    theirs = start_import(
        consultation=consultation, file=csv_file(GOOD_CSV), source="paper", user=other
    )

    second = start_import(
        consultation=consultation, file=csv_file(GOOD_CSV), source="paper", user=facilitator
    )

    assert set(ImportJob.objects.values_list("pk", flat=True)) == {theirs.pk, second.pk}
    assert first.pk != second.pk


def test_only_the_uploader_or_an_admin_may_open_a_pending_import(consultation, facilitator):
    job = start_import(
        consultation=consultation, file=csv_file(GOOD_CSV), source="paper", user=facilitator
    )
    other_consultation = make_consultation(consultation.get_parent().get_parent())

    def opened_by(user, page=consultation):
        return pending_import(consultation=page, job_id=job.pk, user=user)

    assert opened_by(facilitator) == job
    assert opened_by(UserFactory(is_superuser=True)) == job
    assert opened_by(UserFactory(roles=[roles.FACILITATORS])) is None
    assert opened_by(facilitator, page=other_consultation) is None


def test_a_pending_import_is_forgotten_after_a_day(consultation, facilitator):
    job = start_import(
        consultation=consultation, file=csv_file(GOOD_CSV), source="paper", user=facilitator
    )
    ImportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    assert pending_import(consultation=consultation, job_id=job.pk, user=facilitator) is None
    assert not ImportJob.objects.exists()


def test_the_daily_purge_deletes_expired_pending_imports_and_their_files(
    consultation, facilitator, settings, django_capture_on_commit_callbacks
):
    settings.YOUTHVOICE_IMPORT_TASK_THRESHOLD_BYTES = 10
    fresh = start_import(
        consultation=consultation, file=csv_file(GOOD_CSV), source="paper", user=UserFactory()
    )
    with django_capture_on_commit_callbacks(execute=False):  # never read: the file is still there
        stale = start_import(
            consultation=consultation, file=csv_file(GOOD_CSV), source="paper", user=facilitator
        )
    assert private_files() != []

    assert purge_expired_imports(now=timezone.now() + timedelta(hours=23)) == 0
    counts = purge_expired_responses_task.enqueue().return_value

    assert counts["pending_imports"] == 0
    assert purge_expired_imports(now=timezone.now() + timedelta(days=1, seconds=1)) == 2
    assert not ImportJob.objects.filter(pk__in=[fresh.pk, stale.pk]).exists()
    assert private_files() == []


def test_the_purge_task_counts_the_pending_imports_it_forgot(consultation, facilitator):
    job = start_import(
        consultation=consultation, file=csv_file(GOOD_CSV), source="paper", user=facilitator
    )
    ImportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())

    assert purge_expired_responses_task.enqueue().return_value["pending_imports"] == 1
    assert not ImportJob.objects.exists()
