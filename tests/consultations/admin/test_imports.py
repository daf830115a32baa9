"""Importing paper and workshop answers in the admin, and undoing an import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations.models import Answer, ImportBatch, Response, Source
from consultations.services.imports import import_responses, read_answer_file

from .support import ROLES, facilitator, refused, respond, sign_in_as

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
SCHOOL = "How do you get to school?"
RATING = "How safe do you feel at school?"
AGE = "How old are you?"

GOOD = (
    f"{SAFER},{SCHOOL},Where do you feel unsafe?,{RATING},Notes\n"
    "More youth clubs,Bus,Park; Online,4,written in pencil\n"
    "Street lights,On my scooter,,5,\n"
    "Safer parks,walk,,,\n"
)
BAD = (
    f"{SAFER},{SCHOOL},{RATING},{AGE}\n"
    "More youth clubs,Bus,4,13 to 15\n"
    "Street lights,Bus,9,13 to 15\n"
    "Safer parks,Walk,3,\n"
    ",Walk,,Forty\n"
)


def upload_url(consultation):
    return reverse("consultations:import", args=[consultation.pk])


def preview_url(consultation):
    return reverse("consultations:import_preview", args=[consultation.pk])


def csv_upload(text, name="school-visit.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def upload(client, consultation, file, source=Source.PAPER):
    return client.post(upload_url(consultation), {"file": file, "source": source})


def mapping_post(preview, action="import") -> dict:
    """What the preview form posts with its guessed matches left as they are."""
    form = preview.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["action"] = action
    return data


@pytest.fixture
def signed_in(client):
    user = facilitator()
    client.force_login(user)
    return user


# Importing -------------------------------------------------------------------------------------


def test_a_facilitator_uploads_checks_the_preview_and_imports_a_file(
    client, consultation, signed_in
):
    uploaded = upload(client, consultation, csv_upload(GOOD), source=Source.WORKSHOP)
    assert uploaded.status_code == 302
    assert uploaded["Location"] == preview_url(consultation)

    preview = client.get(preview_url(consultation))
    content = preview.content.decode()
    assert "“school-visit.csv”: 3 rows of workshop answers." in content
    # The guessed matches, and how the first rows read with them.
    questions = {q.text: q for q in consultation.ordered_questions()}
    form = preview.context["form"]
    assert [form[f"column-{n}"].value() for n in range(5)] == [
        str(questions[SAFER].pk),
        str(questions[SCHOOL].pk),
        str(questions["Where do you feel unsafe?"].pk),
        str(questions[RATING].pk),
        "",
    ]
    assert "Other: On my scooter" in content
    assert "Park; Online" in content
    assert Response.objects.count() == 0

    imported = client.post(preview_url(consultation), mapping_post(preview), follow=True)

    batch = ImportBatch.objects.get()
    assert (batch.source, batch.filename, batch.row_count, batch.imported_by) == (
        Source.WORKSHOP,
        "school-visit.csv",
        3,
        signed_in,
    )
    assert imported.redirect_chain[-1][0] == (
        f"{reverse('consultations:responses', args=[consultation.pk])}?import_batch={batch.pk}"
    )
    assert "Imported 3 responses from “school-visit.csv”." in imported.content.decode()
    assert Response.objects.filter(import_batch=batch, source=Source.WORKSHOP).count() == 3
    assert set(
        Answer.objects.filter(question=questions[SCHOOL]).values_list("text", flat=True)
    ) == {
        "",
        "On my scooter",
    }
    assert f"consultations:import:{consultation.pk}" not in client.session


def test_checking_the_rows_saves_nothing(client, consultation, signed_in):
    upload(client, consultation, csv_upload(GOOD))
    preview = client.get(preview_url(consultation))

    checked = client.post(preview_url(consultation), mapping_post(preview, action="check"))

    assert "All 3 rows are ready to import." in checked.content.decode()
    assert Response.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_problem(
    client, consultation, signed_in
):
    respond(consultation, {SAFER: "Already here"})
    upload(client, consultation, csv_upload(BAD))
    preview = client.get(preview_url(consultation))

    response = client.post(preview_url(consultation), mapping_post(preview))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Nothing was imported. There are 3 problems to fix" in content
    for problem in [
        f"Row 3, “{RATING}”: Choose a number from 1 to 5.",
        f"Row 5, “{SAFER}”: Write your answer to this question.",
        f"Row 5, “{AGE}”: Choose from the options given.",
    ]:
        assert problem in content
    assert Response.objects.count() == 1
    assert ImportBatch.objects.count() == 0
    # The file is still there, so a wrong match can be corrected without uploading again.
    assert client.get(preview_url(consultation)).status_code == 200


def test_changing_a_match_on_the_preview_changes_what_is_imported(client, consultation, signed_in):
    upload(client, consultation, csv_upload(GOOD))
    preview = client.get(preview_url(consultation))
    data = mapping_post(preview)
    data["column-2"] = ""  # ignore "Where do you feel unsafe?"

    client.post(preview_url(consultation), data)

    assert Response.objects.count() == 3
    assert not Answer.objects.filter(question__text="Where do you feel unsafe?").exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
        pytest.param(
            SimpleUploadedFile("answers.pdf", b"%PDF-1.4 not a spreadsheet"),
            "Upload a CSV file or an Excel file (.xlsx). “answers.pdf” is neither.",
            id="wrong-type",
        ),
        pytest.param(
            SimpleUploadedFile("answers.csv", b""), "The submitted file is empty.", id="empty"
        ),
        pytest.param(
            csv_upload(f"{SAFER}\nCafé à côté\n", encoding="latin-1"),
            "This CSV file is not saved as UTF-8",
            id="not-utf-8",
        ),
        pytest.param(
            csv_upload(f"{SAFER}\n" + "Street lights\n" * 40), "The file is too big", id="too-big"
        ),
    ],
)
def test_files_that_cannot_be_imported_are_refused_with_a_message(
    client, consultation, signed_in, settings, file, message
):
    settings.YOUTHVOICE_IMPORT_MAX_BYTES = 200

    response = upload(client, consultation, file)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert f"consultations:import:{consultation.pk}" not in client.session
    assert Response.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_the_preview_without_a_file_asks_for_one(client, consultation, signed_in):
    response = client.get(preview_url(consultation), follow=True)

    assert response.redirect_chain == [(upload_url(consultation), 302)]
    assert "There is no file waiting to be imported." in response.content.decode()


def test_cancelling_forgets_the_file(client, consultation, signed_in):
    upload(client, consultation, csv_upload(GOOD))

    client.post(reverse("consultations:import_cancel", args=[consultation.pk]))

    assert client.get(preview_url(consultation)).status_code == 302
    assert Response.objects.count() == 0


def test_a_pending_file_is_forgotten_after_some_hours(client, consultation, signed_in, settings):
    upload(client, consultation, csv_upload(GOOD))
    session = client.session
    session[f"consultations:import:{consultation.pk}"]["uploaded_at"] = "2020-01-01T00:00:00+00:00"
    session.save()

    assert client.get(preview_url(consultation)).status_code == 302
    assert f"consultations:import:{consultation.pk}" not in client.session


@pytest.mark.parametrize(("attrs", "allowed"), ROLES)
def test_only_facilitators_and_admins_may_import(client, consultation, attrs, allowed):
    sign_in_as(client, attrs)

    shown = client.get(upload_url(consultation))
    posted = upload(client, consultation, csv_upload(GOOD))

    if allowed:
        assert shown.status_code == 200
        assert posted.status_code == 302
    else:
        assert refused(shown, signed_in=attrs is not None)
        assert refused(posted, signed_in=attrs is not None)
        assert f"consultations:import:{consultation.pk}" not in client.session


# Undoing ---------------------------------------------------------------------------------------


def imported_batch(consultation, name="school-visit.csv"):
    parsed = read_answer_file(file=csv_upload(GOOD, name=name))
    from consultations.services.imports import guess_mapping

    return import_responses(
        consultation=consultation,
        parsed=parsed,
        mapping=guess_mapping(
            headings=parsed.headings, questions=list(consultation.ordered_questions())
        ),
        source=Source.PAPER,
        user=None,
    )


def test_undo_asks_first_then_removes_exactly_that_batchs_responses(
    client, consultation, signed_in
):
    undone, kept = imported_batch(consultation), imported_batch(consultation, "second.csv")
    online = respond(consultation, {SAFER: "Online answer"})
    url = reverse("consultations:undo_import", args=[undone.pk])

    confirm = client.get(url)
    assert "This deletes the 3 responses imported from “school-visit.csv”" in (
        confirm.content.decode()
    )
    assert Response.objects.count() == 7

    response = client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == reverse(
        "consultations:imports", args=[consultation.pk]
    )
    assert "Import of “school-visit.csv” undone: 3 responses deleted." in response.content.decode()
    assert not ImportBatch.objects.filter(pk=undone.pk).exists()
    assert set(Response.objects.values_list("pk", flat=True)) == {
        online.pk,
        *kept.responses.values_list("pk", flat=True),
    }


def test_the_imports_list_shows_each_batch_with_an_undo_button(client, consultation, signed_in):
    batch = imported_batch(consultation)

    response = client.get(reverse("consultations:imports", args=[consultation.pk]))

    content = response.content.decode()
    assert "school-visit.csv" in content
    assert reverse("consultations:undo_import", args=[batch.pk]) in content


@pytest.mark.parametrize(("attrs", "allowed"), ROLES)
def test_only_facilitators_and_admins_may_undo_an_import(client, consultation, attrs, allowed):
    batch = imported_batch(consultation)
    sign_in_as(client, attrs)
    imports_list = client.get(reverse("consultations:imports", args=[consultation.pk]))

    response = client.post(reverse("consultations:undo_import", args=[batch.pk]))

    if allowed:
        assert imports_list.status_code == 200
        assert response.status_code == 302
        assert not ImportBatch.objects.filter(pk=batch.pk).exists()
    else:
        assert refused(imports_list, signed_in=attrs is not None)
        assert refused(response, signed_in=attrs is not None)
        assert ImportBatch.objects.filter(pk=batch.pk).exists()
        assert batch.responses.count() == 3


def test_the_preview_warns_when_a_file_of_that_name_was_imported_before(
    client, consultation, signed_in
):
    imported_batch(consultation, name="school-visit.csv")
    upload(client, consultation, csv_upload(GOOD, name="school-visit.csv"))

    preview = client.get(preview_url(consultation))

    assert "A file called “school-visit.csv” was already imported on" in preview.content.decode()
