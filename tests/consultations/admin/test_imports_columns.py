"""The import pages: the template to download, and no column of words dropped unseen."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from consultations.models import Answer, ImportBatch, ImportJob, Response, Source
from consultations.services.imports import LEAVE_OUT

from .support import ROLES, facilitator, refused, sign_in_as

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
NAME = "What is your name for this?"
NOTES = "Anything else you want to tell us?"
WITH_NOTES = (
    f"Respondent ID,{SAFER},{NOTES}\n"
    "1,More youth clubs,\n"
    "2,Street lights,Someone at home hurts me\n"
)
DATA = Path(__file__).parents[1] / "services" / "data" / "imports"


@pytest.fixture
def signed_in(client):
    user = facilitator()
    client.force_login(user)
    return user


def upload_url(consultation):
    return reverse("consultations:import", args=[consultation.pk])


def preview_url(job):
    return reverse("consultations:import_preview", args=[job.page_id, job.pk])


def uploaded(client, consultation, content, name="workshop.csv") -> ImportJob:
    response = client.post(
        upload_url(consultation),
        {"file": SimpleUploadedFile(name, content), "source": Source.WORKSHOP},
    )
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.latest("pk")


def posted(preview, action="import", **choices) -> dict:
    """The preview's choices as shown, with ``column-N`` overrides."""
    form = preview.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(choices)
    data["action"] = action
    return data


# The template ----------------------------------------------------------------------------------


def test_the_import_page_offers_the_template_which_imports_back_once_filled(
    client, consultation, signed_in
):
    page = client.get(upload_url(consultation)).content.decode()
    template_url = f"{upload_url(consultation)}?template=xlsx"
    assert f'href="{template_url}"' in page.replace("&amp;", "&")

    download = client.get(template_url)

    assert download.status_code == 200
    assert download["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert download["Content-Disposition"] == (
        f'attachment; filename="{consultation.slug}-answers.xlsx"'
    )
    workbook = load_workbook(io.BytesIO(download.content))
    sheet = workbook["Answers"]
    sheet.append([None, "More youth clubs", "bus", "Park; Online", 4])
    sheet.append(["Alex", "Street lights", "Walk", None, "5"])
    filled = io.BytesIO()
    workbook.save(filled)

    job = uploaded(client, consultation, filled.getvalue(), name="typed-up.xlsx")
    preview = client.get(preview_url(job))
    client.post(preview_url(job), posted(preview))

    batch = ImportBatch.objects.get()
    assert batch.row_count == 2
    assert set(
        Answer.objects.filter(response__import_batch=batch, question__text=SAFER).values_list(
            "text", flat=True
        )
    ) == {"More youth clubs", "Street lights"}


@pytest.mark.parametrize(("attrs", "allowed"), ROLES)
def test_only_those_who_may_import_may_download_the_template(client, consultation, attrs, allowed):
    sign_in_as(client, attrs)

    response = client.get(f"{upload_url(consultation)}?template=xlsx")

    if allowed:
        assert response.status_code == 200
    else:
        assert refused(response, signed_in=attrs is not None)


# Every column with words chosen for ------------------------------------------------------------


def test_an_unmatched_column_of_words_must_be_chosen_before_anything_is_saved(
    client, consultation, signed_in
):
    job = uploaded(client, consultation, WITH_NOTES.encode())
    preview = client.get(preview_url(job))
    content = preview.content.decode()
    form = preview.context["form"]
    assert form["column-0"].value() == LEAVE_OUT  # the tool's own column, listed as left out
    assert form["column-2"].value() == ""  # the notes: no guess, so no choice made
    assert "A column the survey tool adds, not an answer." in content
    assert "Leave out this column" in content

    for action in ("check", "import"):
        refused_page = client.post(preview_url(job), posted(preview, action=action))

        assert refused_page.status_code == 200
        page = refused_page.content.decode()
        assert "Nothing was imported. There is 1 problem to fix" in page
        assert (
            f"Column “{NOTES}”: Choose a question for this column, or “Leave out this column”."
            in page
        )
        assert 'aria-invalid="true"' in page
        assert Response.objects.count() == 0
        assert ImportBatch.objects.count() == 0

    name_question = consultation.ordered_questions().get(text=NAME)
    client.post(preview_url(job), posted(preview, **{"column-2": str(name_question.pk)}))

    assert Response.objects.count() == 2
    assert Answer.objects.get(question=name_question).text == "Someone at home hurts me"


def test_columns_left_out_are_listed_before_importing(client, consultation, signed_in):
    job = uploaded(client, consultation, WITH_NOTES.encode())
    preview = client.get(preview_url(job))

    checked = client.post(
        preview_url(job), posted(preview, action="check", **{"column-2": LEAVE_OUT})
    )

    page = checked.content.decode()
    assert "All 2 rows are ready to import." in page
    left_out = page[page.index("Columns left out") :]
    assert "Respondent ID" in left_out and NOTES in left_out
    assert Response.objects.count() == 0


def test_a_surveymonkey_export_is_previewed_with_its_own_columns_left_out(
    client, consultation, signed_in
):
    job = uploaded(client, consultation, (DATA / "surveymonkey.csv").read_bytes(), "sm.csv")

    preview = client.get(preview_url(job))
    response = client.post(preview_url(job), posted(preview))

    assert response.status_code == 302
    assert ImportBatch.objects.get().row_count == 3
