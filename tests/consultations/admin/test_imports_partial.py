"""Importing the ready rows of a file and downloading the others to fix: an explicit choice."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from consultations.models import Answer, ImportBatch, ImportJob, Response, Source

from .support import facilitator

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
RATING = "How safe do you feel at school?"
MIXED = (
    f"{SAFER},{RATING}\n"
    "More youth clubs,4\n"
    '=HYPERLINK("http://example.com"),9\n'
    "Street lights,5\n"
    ",3\n"
)


@pytest.fixture
def job(client, consultation):
    client.force_login(facilitator())
    client.post(
        reverse("consultations:import", args=[consultation.pk]),
        {"file": SimpleUploadedFile("club-night.csv", MIXED.encode()), "source": Source.PAPER},
    )
    return ImportJob.objects.get()


def preview_url(job):
    return reverse("consultations:import_preview", args=[job.page_id, job.pk])


def posted(client, job, action):
    form = client.get(preview_url(job)).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data["action"] = action
    return client.post(preview_url(job), data)


def test_importing_all_stays_all_or_nothing_and_offers_the_choice(client, job):
    response = posted(client, job, "import")

    page = response.content.decode()
    assert "Nothing was imported. There are 2 problems to fix" in page
    assert "Rows ready to import: 2" in page
    assert "Rows with problems: 2" in page
    assert 'value="rows_to_fix"' in page
    assert 'value="import_valid"' in page
    assert Response.objects.count() == 0


def test_the_rows_with_problems_download_as_written_with_their_problems(client, job):
    response = posted(client, job, "rows_to_fix")

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="club-night-rows-to-fix.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [SAFER, RATING, "Problems to fix"]
    assert rows[1][:2] == ['=HYPERLINK("http://example.com")', "9"]
    assert sheet["A2"].data_type == "s"  # the words stay words, never a formula
    assert rows[1][2] == f"Row 3, “{RATING}”: Choose a number from 1 to 5."
    assert rows[2][2] == f"Row 5, “{SAFER}”: Write your answer to this question."
    assert len(rows) == 3
    assert Response.objects.count() == 0
    assert ImportJob.objects.filter(pk=job.pk).exists()


def test_importing_only_the_ready_rows_saves_them_and_says_what_was_left_out(client, job):
    response = posted(client, job, "import_valid")

    batch = ImportBatch.objects.get()
    assert batch.row_count == 2
    assert set(Answer.objects.filter(question__text=SAFER).values_list("text", flat=True)) == {
        "More youth clubs",
        "Street lights",
    }
    follow = client.get(response["Location"]).content.decode()
    assert (
        "Imported 2 responses from “club-night.csv”. 2 rows with problems were not imported."
        in (follow)
    )
    assert not ImportJob.objects.exists()


def test_the_fixed_rows_file_imports_as_it_is(client, consultation, job):
    rows_file = posted(client, job, "rows_to_fix").content
    posted(client, job, "import_valid")
    workbook = load_workbook(io.BytesIO(rows_file))
    sheet = workbook.active
    sheet["A2"], sheet["B2"] = "Safer parks", "3"
    sheet["A3"] = "A bus at night"
    fixed = io.BytesIO()
    workbook.save(fixed)

    client.post(
        reverse("consultations:import", args=[consultation.pk]),
        {"file": SimpleUploadedFile("fixed.xlsx", fixed.getvalue()), "source": Source.PAPER},
    )
    again = ImportJob.objects.get()
    preview = client.get(preview_url(again))
    assert preview.context["form"]["column-2"].value() == "leave_out"  # "Problems to fix"
    posted(client, again, "import")

    assert Response.objects.count() == 4
    assert ImportBatch.objects.count() == 2


def test_a_file_with_no_ready_row_imports_nothing_even_when_asked_for_the_ready_rows(
    client, consultation
):
    client.force_login(facilitator())
    client.post(
        reverse("consultations:import", args=[consultation.pk]),
        {
            "file": SimpleUploadedFile("bad.csv", f"{SAFER},{RATING}\n,9\n".encode()),
            "source": Source.PAPER,
        },
    )
    job = ImportJob.objects.get()

    response = posted(client, job, "import_valid")

    assert response.status_code == 200
    assert "Nothing was imported." in response.content.decode()
    assert Response.objects.count() == 0


def test_the_first_preview_already_shows_the_bad_values_and_saves_nothing(client, job):
    page = client.get(preview_url(job)).content.decode()

    assert "We checked the rows with the matches below. There are 2 problems to fix" in page
    assert f"Row 3, “{RATING}”: Choose a number from 1 to 5." in page
    assert f"Row 5, “{SAFER}”: Write your answer to this question." in page
    assert "Rows ready to import: 2" in page
    assert Response.objects.count() == 0
