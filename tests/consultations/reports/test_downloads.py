"""The report's downloads (PDF, XLSX, CSV): who may have them, the figures of a small fixture
worked out by hand, filters and suppression, redaction, held answers, formula injection, bad
filters, and the large-report path built by a task."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from consultations.models import Answer
from consultations.reports.exports import purge_old_exports
from consultations.reports.models import ReportExport
from consultations.reports.pdf import BASE_URL, TEMPLATE, LocalOnlyFetcher, pdf_context
from consultations.reports.tasks import build_report_export_task, purge_report_exports_task
from consultations.selectors import TermFilters
from consultations.services import RawAnswer
from consultations.themes.models import Codebook, HumanCoding, Theme
from tests.consultations.admin.support import REPORT_READERS as WHO
from tests.consultations.admin.support import refused, respond, sign_in_as
from tests.factories import ImageFactory, UserFactory, make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
TRAVEL = "How do you get to school?"
AGE = "How old are you?"
AREA = "Where do you live?"

PHONE = "Call me on 07700 900123 about the buses"
FORMULA = "=1+2 more lights in the park"
DISCLOSURE = "My stepdad hits me when he's drunk and I'm scared to go home. My name is Jack Smith."

#: The fixture, worked out by hand: (age band, area, how they get to school, how many).
GROUPS = [
    ("13 to 15", "Mendip", "Bus", 8),
    ("13 to 15", "Sedgemoor", "Walk", 5),
    ("16 to 18", "Mendip", "Bus", 4),
    ("16 to 18", "Sedgemoor", "Car", 4),
    ("11 to 12", "Mendip", "Walk", 2),
    ("11 to 12", "Sedgemoor", "Car", 1),
]
# Everyone: 24 young people; age bands 13 / 8 / 3 (8 and 3 are under 10: "fewer than 10");
# areas Mendip 14, Sedgemoor 10; Bus 12, Walk 7, Car 5.
# Aged 13 to 15 only: 13 young people; Bus 8, Walk 5, Car 0; Mendip 8, Sedgemoor 5 (both hidden).
# Aged 11 to 12 only: 3 young people, too few for anything but the count.

DOWNLOADS = ["report_pdf", "report_xlsx", "report_csv"]


def url(name, consultation, query=""):
    return reverse(name, args=[consultation.slug]) + (f"?{query}" if query else "")


@pytest.fixture
def surveyed(home, django_capture_on_commit_callbacks):
    """The 24 young people of GROUPS. Their safer-answer is ordinary but for three: one gives a
    phone number, one starts with "=", and the last (11 to 12, Sedgemoor) makes a disclosure,
    which is held for safeguarding review."""
    consultation = make_consultation(home, title="Feeling safe at home", slug="safe-at-home")
    with django_capture_on_commit_callbacks(execute=True):
        n = 0
        for age, area, travel, count in GROUPS:
            for _ in range(count):
                n += 1
                text = {1: PHONE, 2: FORMULA, 24: DISCLOSURE}.get(n, "Better street lights")
                respond(
                    consultation,
                    {SAFER: text, TRAVEL: RawAnswer.of(travel), AGE: age, AREA: area},
                )
    return consultation


@pytest.fixture
def coded(surveyed):
    """A codebook with two themes; every released safer-answer coded by a person: Lighting,
    and the phone one Transport too."""
    codebook = Codebook.objects.create(name="Feeling safe themes", consultation=surveyed)
    lighting = Theme.objects.create(codebook=codebook, name="Lighting", sort_order=0)
    transport = Theme.objects.create(codebook=codebook, name="Transport", sort_order=1)
    for answer in Answer.objects.filter(response__page=surveyed, held=False).exclude(
        redacted_text=""
    ):
        coding = HumanCoding.objects.create(
            answer=answer, codebook=codebook, coded_at=timezone.now()
        )
        coding.themes.set(
            [lighting, transport] if "[phone]" in answer.redacted_text else [lighting]
        )
    return surveyed


@pytest.fixture
def executive(client):
    return sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def sheet_rows(book, name) -> list[tuple]:
    return [tuple(row) for row in book[name].iter_rows(values_only=True)]


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def block(rows, heading):
    """The (label, value) rows of the Summary sheet's block under ``heading``."""
    start = next(i for i, row in enumerate(rows) if row[0] == heading)
    found = {}
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        found[row[0]] = row[1]
    return found


# Who may download -------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "allowed"), WHO)
@pytest.mark.parametrize("name", DOWNLOADS)
def test_who_may_download(client, surveyed, name, who, allowed):
    sign_in_as(client, who)
    response = client.get(url(name, surveyed))
    if allowed:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "private" in response["Cache-Control"]
    else:
        assert refused(response, signed_in=who is not None)
        if who is not None:
            assert response.status_code == 403


@pytest.mark.parametrize("name", DOWNLOADS)
def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, settings, surveyed, name):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = True
    client.force_login(UserFactory(roles=[roles.EXECUTIVE_PARTNERS]))
    response = client.get(url(name, surveyed))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_file_names_are_safe_and_dated(client, executive, surveyed):
    today = f"{timezone.localdate():%Y-%m-%d}"
    names = {name: client.get(url(name, surveyed))["Content-Disposition"] for name in DOWNLOADS}
    assert names["report_pdf"] == f'attachment; filename="safe-at-home-report-{today}.pdf"'
    assert names["report_xlsx"] == f'attachment; filename="safe-at-home-report-{today}.xlsx"'
    assert names["report_csv"] == f'attachment; filename="safe-at-home-answers-{today}.csv"'


@pytest.mark.parametrize("name", DOWNLOADS)
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("age_band=Over+100", "Age band"),
        ("date_from=yesterday", "Enter a real date"),
        ("date_from=2026-03-02&date_to=2026-03-01", "the same as or after"),
        ("question=999999", "Question"),
    ],
)
def test_invalid_filters_get_a_plain_400_and_no_file(
    client, executive, surveyed, name, query, message
):
    response = client.get(url(name, surveyed, query))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Content-Disposition" not in response
    assert message in response.content.decode()
    assert not ReportExport.objects.exists()


# The PDF ----------------------------------------------------------------------------------------


def test_the_pdf_holds_the_figures_worked_out_by_hand(client, executive, surveyed):
    response = client.get(url("report_pdf", surveyed))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = pdf_text(response.content)
    assert reader.metadata.title == "Report: Feeling safe at home"
    assert reader.metadata.author == "Safeguarding Children Partnership"
    # The cover: partnership, filters in words, date produced.
    assert "Safeguarding Children Partnership" in text
    assert "None: everyone who answered" in text
    assert f"{timezone.localdate():%-d %B %Y}" in text
    # The key findings on page 1, then the contents with page numbers, and every page numbered.
    first_page = " ".join(reader.pages[0].extract_text().split())
    assert "Key findings 24 young people answered" in first_page and "Contents" not in first_page
    assert re.search(
        r"Contents Key findings \.*\s?1 Answers to the choice questions \.*\s?3 "
        r"Responses over time \.*\s?\d+",
        text,
    )
    pages = len(reader.pages)
    assert pages >= 3
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {pages}" in " ".join(page.extract_text().split())
    # The figures.
    assert "24 young people answered" in text
    assert "13 to 15 13" in text
    assert "11 to 12 fewer than 10" in text and "16 to 18 fewer than 10" in text
    assert "Mendip 14" in text and "Sedgemoor 10" in text
    assert "Bus 12" in text and "Walk 7" in text and "Car 5" in text


def test_the_pdf_charts_are_vector_with_their_titles(client, executive, surveyed):
    response = client.get(url("report_pdf", surveyed))
    # An inline SVG chart is drawn as vector paths and text, not an image: no image XObjects.
    reader = PdfReader(io.BytesIO(response.content))
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        xobjects = resources.get("/XObject") or {}
        assert all(xobjects[name].get_object().get("/Subtype") != "/Image" for name in xobjects)
    # A tagged PDF, in British English, for screen readers.
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in root
    # Each chart keeps its title and description (read out in place of the drawing).
    html = render_to_string(TEMPLATE, pdf_context(surveyed, TermFilters()))
    assert '<title id="question-' in html
    assert "<desc" in html and "The largest were Bus (12), Walk (7) and Car (5)." in html
    assert "<form" not in html and '<nav class="breadcrumbs' not in html


def test_filters_change_the_pdf(client, executive, surveyed):
    text = pdf_text(client.get(url("report_pdf", surveyed, "age_band=13+to+15")).content)
    assert "Age band: 13 to 15" in text
    assert "13 young people answered" in text
    assert "Bus 8" in text and "Walk 5" in text and "Car 0" in text
    assert "Mendip fewer than 10" in text
    assert "Mendip 14" not in text


def test_a_group_too_small_gets_only_its_count_in_every_download(client, executive, surveyed):
    query = "age_band=11+to+12"
    sentence = "Fewer than 10 young people match these filters, so nothing more is shown"

    text = pdf_text(client.get(url("report_pdf", surveyed, query)).content)
    # Not even the number: "fewer than 10".
    assert "fewer than 10 young people answered" in text and sentence in text
    assert "3 young people" not in text
    assert "Bus" not in text and "Mendip" not in text and "Responses over time" not in text

    book = workbook(client.get(url("report_xlsx", surveyed, query)).content)
    assert book.sheetnames == ["Summary"]
    rows = sheet_rows(book, "Summary")
    assert ("Young people who answered", "fewer than 10") in [row[:2] for row in rows]
    assert any(row[0] and row[0].startswith(sentence) for row in rows)
    assert not any("Mendip" in str(cell) for row in rows for cell in row)

    lines = csv_rows(client.get(url("report_csv", surveyed, query)))
    assert lines == [["Young people matching these filters", "fewer than 10"], [lines[1][0]]]
    assert lines[1][0].startswith(sentence)


def test_held_and_raw_text_never_reach_the_pdf(client, executive, surveyed):
    text = pdf_text(client.get(url("report_pdf", surveyed)).content)
    assert "stepdad" not in text and "Jack Smith" not in text
    assert "07700" not in text


def test_the_pdf_fetches_nothing_but_local_static_files():
    fetcher = LocalOnlyFetcher()
    css = fetcher.fetch(BASE_URL + "static/consultations/css/report_pdf.css")
    assert b"@page" in css.read()
    for refused_url in (
        "https://example.org/tracker.png",
        "file:///etc/passwd",
        BASE_URL + "static/../../../etc/passwd",
        BASE_URL + "media/original_images/secret.png",
    ):
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(refused_url)
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


# The XLSX ---------------------------------------------------------------------------------------


def test_the_xlsx_holds_the_figures_worked_out_by_hand(client, executive, coded):
    response = client.get(url("report_xlsx", coded))
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = workbook(response.content)
    # "Who is missing" only with population figures, which this consultation has none of.
    assert book.sheetnames == ["Summary", "Themes", "Questions", "Answers", "Taking part"]
    summary = sheet_rows(book, "Summary")
    assert summary[0][:2] == ("Report", "Feeling safe at home")
    assert summary[1][:2] == ("Filters", "None: everyone who answered")
    assert block(summary, "In numbers")["Young people who answered"] == 24
    ages = block(summary, "Age band")
    assert ages["13 to 15"] == 13
    assert ages["11 to 12"] == "fewer than 10" and ages["16 to 18"] == "fewer than 10"
    areas = block(summary, "Area")
    assert (areas.pop("Mendip"), areas.pop("Sedgemoor"), areas.pop("Total")) == (14, 10, 24)
    assert set(areas.values()) == {0}  # the other areas, and "Not given"
    # Everyone answered today: one day of 24, and the total.
    over_time = block(summary, "Responses over time: day, week or month")
    assert list(over_time.values()) == [24, 24] and list(over_time)[-1] == "Total"
    # Numbers are numbers; headings are bold and frozen (the Answers sheet's under its note).
    assert book["Summary"].freeze_panes == "A2"
    assert book["Answers"].freeze_panes == "A3"
    assert book["Answers"]["A2"].font.b
    assert book["Answers"].column_dimensions["C"].width == 80

    questions = sheet_rows(book, "Questions")
    assert questions[0] == ("Question", "Young people who answered", "Answer", "Number", "Notes")
    travel = {row[2]: row[3] for row in questions if row[0] == TRAVEL}
    assert travel == {"Bus": 12, "Walk": 7, "Car": 5, "Other": 0}
    assert {row[1] for row in questions if row[0] == TRAVEL} == {24}

    themes = sheet_rows(book, "Themes")
    assert themes[0][:3] == ("Theme", "Young people", "Share of those who answered")
    by_theme = {row[0]: row for row in themes[1:3]}
    # 23 released written answers, all Lighting; the phone one Transport too.
    assert by_theme["Lighting"][1:3] == (23, 1)
    assert by_theme["Transport"][1] == 1
    assert book["Themes"]["C2"].number_format == "0%"
    age_heading = next(i for i, row in enumerate(themes) if row[0] == "By age band: theme")
    assert themes[age_heading][1:6] == ("Under 11", "11 to 12", "13 to 15", "16 to 18", "19 to 25")
    lighting_ages = themes[age_heading + 1]
    assert lighting_ages[0] == "Lighting"
    # 11 to 12: 2 (the third is held), 13 to 15: 13, 16 to 18: 8.
    assert lighting_ages[2:5] == ("fewer than 10", 13, "fewer than 10")


def test_answers_past_excel_s_rows_a_sheet_go_on_in_the_next_sheet(
    client, executive, coded, monkeypatch
):
    """Excel opens no sheet of more than 1,048,576 rows: a national consultation's answers go on
    in "Answers (2)" and so on, each sheet under the note and the headings, none lost."""
    from consultations.reports import spreadsheets

    whole = sheet_rows(workbook(client.get(url("report_xlsx", coded)).content), "Answers")
    monkeypatch.setattr(spreadsheets, "MAX_SHEET_ROWS", 12)  # the note, the headings, 10 answers
    book = workbook(client.get(url("report_xlsx", coded)).content)

    assert book.sheetnames == [
        "Summary", "Themes", "Questions", "Answers", "Answers (2)", "Answers (3)", "Taking part",
    ]  # fmt: skip
    parts = [sheet_rows(book, name) for name in ("Answers", "Answers (2)", "Answers (3)")]
    assert [len(part) for part in parts] == [12, 12, 5]  # 23 answers: 10, 10 and 3
    for name, part in zip(("Answers", "Answers (2)", "Answers (3)"), parts, strict=True):
        assert part[:2] == whole[:2]  # the note and the headings
        assert book[name].freeze_panes == "A3"
    assert [row for part in parts for row in part[2:]] == whole[2:]


def test_the_answers_sheet_and_csv_hold_coded_redacted_released_answers(client, executive, coded):
    book = workbook(client.get(url("report_xlsx", coded)).content)
    note, *sheet = sheet_rows(book, "Answers")
    note_line, *lines = csv_rows(client.get(url("report_csv", coded)))
    assert note[0] == note_line[0] and note[0].startswith("To protect small groups")
    headings = (
        "Answer ID",
        "Question",
        "Answer (redacted)",
        "Themes",
        "Age band",
        "Area",
        "How they answered",
        "Date",
    )
    assert sheet[0] == headings
    assert tuple(lines[0]) == headings
    assert len(sheet) == len(lines) == 24  # 23 released answers and the headings
    phone = next(row for row in sheet if row[2] and "[phone]" in row[2])
    # No age band, area and day is shared by 10 of these 23 young people (13 to 15 in Mendip
    # are 8), so every one is "Not shown" (see test_small_groups.py for files that show them).
    assert phone[1:8] == (
        SAFER,
        "Call me on [phone] about the buses",
        "Lighting; Transport",
        "Not shown",
        "Not shown",
        "Online",
        "Not shown",
    )
    assert isinstance(phone[0], int)
    csv_phone = next(row for row in lines if "[phone]" in row[2])
    assert csv_phone[3] == "Lighting; Transport"
    assert csv_phone[4:8] == ["Not shown", "Not shown", "Online", "Not shown"]
    everything = repr(sheet) + repr(lines)
    assert "07700" not in everything
    assert "stepdad" not in everything and "Jack Smith" not in everything


def test_formulas_are_written_as_text(client, executive, coded):
    book = workbook(client.get(url("report_xlsx", coded)).content)
    answers = book["Answers"]
    cells = [row[2] for row in answers.iter_rows(min_row=3)]
    formula = next(cell for cell in cells if "more lights" in cell.value)
    assert formula.value == "'" + FORMULA
    assert formula.data_type == "s"
    lines = csv_rows(client.get(url("report_csv", coded)))[2:]
    assert [row[2] for row in lines if "more lights" in row[2]] == ["'" + FORMULA]


def test_filters_change_the_xlsx_and_csv(client, executive, coded):
    query = "age_band=13+to+15"
    book = workbook(client.get(url("report_xlsx", coded, query)).content)
    summary = sheet_rows(book, "Summary")
    assert summary[1][:2] == ("Filters", "Age band: 13 to 15")
    assert block(summary, "In numbers")["Young people who answered"] == 13
    assert block(summary, "Area")["Mendip"] == "fewer than 10"
    assert block(summary, "Area")["Sedgemoor"] == "fewer than 10"
    travel = {row[2]: row[3] for row in sheet_rows(book, "Questions") if row[0] == TRAVEL}
    assert travel == {"Bus": 8, "Walk": 5, "Car": 0, "Other": 0}
    # The whole answers file shows no one's age band (no combination is shared by 10), so a
    # file filtered to an age band lists no one: the filter would give their age band away.
    assert sheet_rows(book, "Answers")[1][0] == "Answer ID"
    assert len(sheet_rows(book, "Answers")) == 2

    lines = csv_rows(client.get(url("report_csv", coded, query)))
    assert lines[1][0] == "Answer ID" and len(lines) == 2


def test_the_xlsx_of_a_consultation_without_a_codebook_says_so(client, executive, surveyed):
    book = workbook(client.get(url("report_xlsx", surveyed)).content)
    assert sheet_rows(book, "Themes") == [("The answers have not been coded into themes yet.",)]
    answers = sheet_rows(book, "Answers")
    assert len(answers) == 25 and {row[3] for row in answers[2:]} == {None}


# Large reports: built by a task ------------------------------------------------------------------


@pytest.fixture
def large(settings, surveyed):
    settings.YOUTHVOICE_REPORT_PDF_TASK_THRESHOLD = 1
    return surveyed


def test_a_large_report_is_built_by_a_task_and_served_to_its_owner_only(
    client, large, django_capture_on_commit_callbacks
):
    owner = sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(url("report_pdf", large, "area=Mendip"))
    export = ReportExport.objects.get()
    assert (export.requested_by, export.consultation_id) == (owner, large.pk)
    assert export.filters == "area=Mendip"
    status_url = reverse("report_export", args=[large.slug, export.pk])
    file_url = reverse("report_export_file", args=[large.slug, export.pk])
    assert started.status_code == 302 and started["Location"] == status_url

    # The task ran (immediate backend) once the request's transaction committed.
    export.refresh_from_db()
    assert export.status == "done" and (export.done, export.total) == (4, 4)
    assert export.file.name.startswith("reports/")
    page = client.get(status_url)
    assert page.status_code == 200
    assert f'href="{file_url}"' in page.text
    assert 'http-equiv="refresh"' not in page.text

    download = client.get(file_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    content = b"".join(download.streaming_content)
    text = pdf_text(content)
    assert "Area: Mendip" in text and "14 young people answered" in text

    for other in ({"roles": [roles.EXECUTIVE_PARTNERS]}, {"roles": [roles.FACILITATORS]}):
        sign_in_as(client, other)
        assert client.get(status_url).status_code == 404
        assert client.get(file_url).status_code == 404
    sign_in_as(client, {"is_superuser": True, "is_staff": True})
    assert client.get(file_url).status_code == 200


def test_a_large_workbook_is_built_by_a_task_too(client, large, django_capture_on_commit_callbacks):
    sign_in_as(client, {"roles": [roles.FACILITATORS]})
    with django_capture_on_commit_callbacks(execute=True):
        started = client.get(url("report_xlsx", large, "age_band=13+to+15"))
    export = ReportExport.objects.get()
    assert (export.kind, export.status, export.done, export.total) == ("xlsx", "done", 2, 2)
    assert started["Location"] == reverse("report_export", args=[large.slug, export.pk])
    page = client.get(started["Location"])
    assert "Download the spreadsheet (XLSX)" in page.text
    download = client.get(reverse("report_export_file", args=[large.slug, export.pk]))
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert download["Content-Disposition"] == (
        f'attachment; filename="safe-at-home-report-age-13-15-{today}.xlsx"'
    )
    book = workbook(b"".join(download.streaming_content))
    summary = sheet_rows(book, "Summary")
    assert block(summary, "In numbers")["Young people who answered"] == 13
    assert sheet_rows(book, "Answers")[1][0] == "Answer ID"  # none listed: see above


def test_the_progress_page_shows_how_far_the_build_has_got(client, large):
    owner = sign_in_as(client, {"roles": [roles.FACILITATORS]})
    export = ReportExport.objects.create(
        consultation=large, requested_by=owner, status="running", done=2, total=4
    )
    page = client.get(reverse("report_export", args=[large.slug, export.pk]))
    assert page.status_code == 200
    assert '<progress id="export-progress" max="4" value="2">' in page.text
    assert "Step 2 of 4 done." in page.text
    assert '<meta http-equiv="refresh" content="3">' in page.text
    assert (
        client.get(reverse("report_export_file", args=[large.slug, export.pk])).status_code == 404
    )
    # Asking again while it is being built does not start another.
    client.get(url("report_pdf", large))
    assert ReportExport.objects.count() == 1


def test_exports_older_than_a_day_are_deleted_with_their_files(large):
    owner = UserFactory(roles=[roles.FACILITATORS])
    old = ReportExport.objects.create(consultation=large, requested_by=owner, status="done")
    old.file.save("old.pdf", ContentFile(b"%PDF-old"))
    new = ReportExport.objects.create(consultation=large, requested_by=owner, status="done")
    ReportExport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    storage, name = old.file.storage, old.file.name
    assert purge_old_exports() == 1
    assert list(ReportExport.objects.all()) == [new]
    assert not storage.exists(name)


def test_a_build_that_fails_says_so_and_keeps_no_file(client, large):
    owner = sign_in_as(client, {"roles": [roles.FACILITATORS]})
    export = ReportExport.objects.create(
        consultation=large, requested_by=owner, filters="area=Atlantis"
    )
    assert build_report_export_task.enqueue(export.pk).return_value["status"] == "failed"
    export.refresh_from_db()
    assert export.status == "failed" and not export.file and export.finished_at
    page = client.get(reverse("report_export", args=[large.slug, export.pk]))
    assert "the file could not be made" in page.text
    assert 'http-equiv="refresh"' not in page.text
    assert (
        client.get(reverse("report_export_file", args=[large.slug, export.pk])).status_code == 404
    )


def test_the_purge_task_deletes_old_exports(large):
    owner = UserFactory(roles=[roles.FACILITATORS])
    ReportExport.objects.create(consultation=large, requested_by=owner, status="done")
    ReportExport.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert purge_report_exports_task.enqueue().return_value == {"deleted": 1}
    assert not ReportExport.objects.exists()


def test_the_cover_carries_the_partnership_and_its_logo(client, executive, surveyed):
    from youthforum.core.models import SiteSettings

    site_settings = SiteSettings.for_site(surveyed.get_site())
    site_settings.partnership_name = "Somerset Safeguarding Children Partnership"
    site_settings.logo = ImageFactory()
    site_settings.save()

    html = render_to_string(TEMPLATE, pdf_context(surveyed, TermFilters()))
    assert 'alt="Somerset Safeguarding Children Partnership logo"' in html
    assert 'src="data:image/png;base64,' in html

    response = client.get(url("report_pdf", surveyed))
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.author == "Somerset Safeguarding Children Partnership"
    cover = reader.pages[0]
    images = [
        xobject.get_object()
        for xobject in (cover["/Resources"].get("/XObject") or {}).values()
        if xobject.get_object().get("/Subtype") == "/Image"
    ]
    assert len(images) == 1
    assert "Somerset Safeguarding Children Partnership" in cover.extract_text()


def test_the_progress_bar_counts_the_steps_the_pdf_build_reports():
    from consultations.reports import exports, pdf  # pdf loads WeasyPrint: only this test

    assert exports.STEPS == pdf.STEPS
