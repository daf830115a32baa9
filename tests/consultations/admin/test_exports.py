"""Downloading responses as CSV and XLSX: the columns, raw text only by permission, no formulas."""

import csv
import io
from datetime import datetime

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations import raw_downloads
from consultations.models import Answer, Source
from consultations.services import OTHER, RawAnswer

from .support import facilitator, respond, with_permission

pytestmark = pytest.mark.django_db

NAME = "What is your name for this?"
SAFER = "What would make you feel safer?"
SCHOOL = "How do you get to school?"
UNSAFE = "Where do you feel unsafe?"
RATING = "How safe do you feel at school?"
RANKING = "What matters most?"
AGE = "How old are you?"
AREA = "Where do you live?"
HEADINGS = [
    "Reference",
    "Submitted",
    "Source",
    "Import batch",
    "Age band",
    "Area",
    NAME,
    SAFER,
    SCHOOL,
    UNSAFE,
    RATING,
    RANKING,
    AGE,
    AREA,
]
REDACTED_NOTE = "Note: names, schools, phone numbers, emails, postcodes, links and addresses"
RAW_NOTE = "Note: this file holds the words people wrote, unredacted."


@pytest.fixture(autouse=True)
def every_group_shown(settings):
    """These tests are about the columns, with one or two young people: small groups are hidden
    by tests/consultations/reports/test_small_groups.py."""
    settings.YOUTHVOICE_SUPPRESSION_THRESHOLD = 1


@pytest.fixture
def full(consultation):
    return respond(
        consultation,
        {
            NAME: "Sam",
            SAFER: "More street lights\nand buses",
            SCHOOL: RawAnswer.of(OTHER, other="Skateboard"),
            UNSAFE: RawAnswer.of("Park", "Online", OTHER, other="The underpass"),
            RATING: "4",
            RANKING: RawAnswer.of("Transport", "Bullying"),
            AGE: "13 to 15",
            AREA: "Mendip",
        },
        when=timezone.make_aware(datetime(2026, 3, 2, 9, 30)),
    )


@pytest.fixture
def paper(consultation):
    return respond(
        consultation,
        {SAFER: "Youth clubs", SCHOOL: "Bus"},
        source=Source.PAPER,
        when=timezone.make_aware(datetime(2026, 3, 5, 10, 0)),
    )


def download(client, consultation, fmt, query=""):
    url = reverse("consultations:responses", args=[consultation.pk])
    response = client.get(f"{url}?export={fmt}{'&' + query if query else ''}")
    assert response.status_code == 200
    return response


def csv_rows(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8, as Excel needs telling
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_carries_redacted_words_without_the_permission(client, consultation, full):
    client.force_login(facilitator())

    response = download(client, consultation, "csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "feeling-safe-responses-" in response["Content-Disposition"]
    note, headings, row = csv_rows(response)
    assert note[0].startswith(REDACTED_NOTE)
    assert headings == HEADINGS
    assert row == [
        full.reference,
        "2026-03-02 09:30:00",
        "Online",
        "",
        "13 to 15",
        "Mendip",
        "[name]",
        "More street lights\nand buses",
        "Other: Skateboard",
        "Park; Online; Other: The underpass",
        "4",
        "1. Transport; 2. Bullying",
        "13 to 15",
        "Mendip",
    ]


@pytest.mark.parametrize("who", ["with-permission", "superuser"])
def test_csv_includes_the_words_people_wrote_with_the_permission(
    client, consultation, full, django_user_model, who
):
    if who == "superuser":
        user = django_user_model.objects.create_superuser(email="root@example.org")
    else:
        user = with_permission(facilitator(), "export_raw_answers")
    client.force_login(user)

    note, headings, row = csv_rows(download(client, consultation, "csv"))

    assert note[0].startswith(RAW_NOTE)
    assert headings == HEADINGS
    assert row[6:10] == [
        "Sam",
        "More street lights\nand buses",
        "Other: Skateboard",
        "Park; Online; Other: The underpass",
    ]
    assert "[name]" not in row


def test_csv_cells_that_look_like_formulas_are_made_harmless(client, consultation):
    respond(
        consultation,
        {
            NAME: "@SUM(1+1)",
            SAFER: '=HYPERLINK("http://evil.example","Click")',
            SCHOOL: RawAnswer.of(OTHER, other="-1+2"),
            UNSAFE: RawAnswer.of(OTHER, other="+44 7700 900000"),
        },
    )
    client.force_login(with_permission(facilitator(), "export_raw_answers"))

    _note, _headings, row = csv_rows(download(client, consultation, "csv"))

    assert row[6:10] == [
        "'@SUM(1+1)",
        '\'=HYPERLINK("http://evil.example","Click")',
        "Other: -1+2",
        "Other: +44 7700 900000",
    ]


def test_exports_neutralise_every_formula_start():
    assert [
        raw_downloads.neutralise_formula(v) for v in ["=1", "+1", "-1", "@a", "\t=1", "ok", 4]
    ] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\t=1",
        "ok",
        4,
    ]


def test_xlsx_opens_and_holds_the_responses(client, consultation, full, paper):
    client.force_login(with_permission(facilitator(), "export_raw_answers"))

    response = download(client, consultation, "xlsx")

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["Responses", "About this file"]
    rows = list(workbook["Responses"].iter_rows(values_only=True))
    assert list(rows[0]) == HEADINGS
    assert [row[0] for row in rows[1:]] == [paper.reference, full.reference]
    full_row = rows[2]
    assert full_row[1] == datetime(2026, 3, 2, 9, 30)
    assert full_row[6:] == (
        "Sam",
        "More street lights\nand buses",
        "Other: Skateboard",
        "Park; Online; Other: The underpass",
        4,
        "1. Transport; 2. Bullying",
        "13 to 15",
        "Mendip",
    )
    assert rows[1][2] == "Paper"
    notes = [row[0] for row in workbook["About this file"].iter_rows(values_only=True)]
    assert notes[0].startswith("Responses to “Feeling safe”, downloaded ")
    assert notes[1].startswith(RAW_NOTE)


def test_xlsx_carries_redacted_words_and_says_so_without_the_permission(client, consultation, full):
    client.force_login(facilitator())

    workbook = load_workbook(
        io.BytesIO(b"".join(download(client, consultation, "xlsx").streaming_content))
    )

    row = list(workbook["Responses"].iter_rows(values_only=True))[1]
    assert row[6:10] == (
        "[name]",
        "More street lights\nand buses",
        "Other: Skateboard",
        "Park; Online; Other: The underpass",
    )
    notes = [r[0] for r in workbook["About this file"].iter_rows(values_only=True)]
    assert any(note.startswith(REDACTED_NOTE) for note in notes)


def test_xlsx_keeps_formula_like_answers_as_text(client, consultation):
    respond(consultation, {SAFER: "=1+1"})
    client.force_login(with_permission(facilitator(), "export_raw_answers"))

    workbook = load_workbook(
        io.BytesIO(b"".join(download(client, consultation, "xlsx").streaming_content))
    )

    cell = workbook["Responses"]["H2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_filters_narrow_the_downloads(client, consultation, full, paper):
    client.force_login(facilitator())

    _note, _headings, *rows = csv_rows(download(client, consultation, "csv", "source=paper"))
    workbook = load_workbook(
        io.BytesIO(
            b"".join(download(client, consultation, "xlsx", "area=Mendip").streaming_content)
        )
    )

    assert [row[0] for row in rows] == [paper.reference]
    assert [row[0] for row in workbook["Responses"].iter_rows(min_row=2, values_only=True)] == [
        full.reference
    ]


def test_answers_held_for_safeguarding_are_never_downloaded(client, consultation, full):
    Answer.objects.filter(response=full, question__text=SAFER).update(held=True)
    client.force_login(with_permission(facilitator(), "export_raw_answers"))

    _note, _headings, row = csv_rows(download(client, consultation, "csv"))

    assert row[7] == raw_downloads.HELD
    assert "More street lights" not in ",".join(row)


def test_a_large_download_is_read_in_chunks(client, consultation, monkeypatch):
    monkeypatch.setattr(raw_downloads, "CHUNK_SIZE", 2)
    given = {respond(consultation, {SAFER: f"Answer {n}"}).reference for n in range(5)}
    client.force_login(facilitator())

    _note, _headings, *rows = csv_rows(download(client, consultation, "csv"))

    assert {row[0] for row in rows} == given
