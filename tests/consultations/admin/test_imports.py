"""Importing paper and workshop answers in the admin, and undoing an import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultations.models import Answer, ImportBatch, ImportJob, ImportJobStatus, Response, Source
from consultations.services.imports import LEAVE_OUT, import_responses, read_answer_file
from tests.factories import UserFactory

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


def preview_url(job):
    return reverse("consultations:import_preview", args=[job.page_id, job.pk])


def cancel_url(job):
    return reverse("consultations:import_cancel", args=[job.page_id, job.pk])


def csv_upload(text, name="school-visit.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def upload(client, consultation, file, source=Source.PAPER):
    return client.post(upload_url(consultation), {"file": file, "source": source})


def uploaded(client, consultation, text=GOOD, **kwargs) -> ImportJob:
    """Upload a CSV file; the pending import it made."""
    response = upload(client, consultation, csv_upload(text, **kwargs))
    assert response.status_code == 302, response.content.decode()
    job = ImportJob.objects.latest("pk")
    assert response["Location"] == preview_url(job)
    return job


def mapping_post(preview, action="import") -> dict:
    """What the preview form posts with its guessed matches left as they are, and every column
    the guess left unchosen set aside ("Leave out this column"), as a facilitator must choose."""
    form = preview.context["form"]
    data = {name: form[name].value() or LEAVE_OUT for name in form.fields}
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
    response = upload(client, consultation, csv_upload(GOOD), source=Source.WORKSHOP)
    job = ImportJob.objects.get()
    assert response["Location"] == preview_url(job)
    assert (job.uploaded_by, job.status) == (signed_in, ImportJobStatus.READY)

    preview = client.get(preview_url(job))
    content = preview.content.decode()
    assert "“school-visit.csv”: 3 rows of workshop answers." in content
    assert "Only you and the platform’s admins can see these rows." in content
    assert {"private", "no-store"} <= set(preview["Cache-Control"].split(", "))
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

    imported = client.post(preview_url(job), mapping_post(preview), follow=True)

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
    # The rows waiting to be imported are gone, and were never in the session.
    assert not ImportJob.objects.exists()
    assert not [k for k, _v in client.session.items() if k.startswith("consultations:import")]


def test_checking_the_rows_saves_nothing(client, consultation, signed_in):
    job = uploaded(client, consultation)
    preview = client.get(preview_url(job))

    checked = client.post(preview_url(job), mapping_post(preview, action="check"))

    assert "All 3 rows are ready to import." in checked.content.decode()
    assert Response.objects.count() == 0
    assert ImportBatch.objects.count() == 0
    assert ImportJob.objects.filter(pk=job.pk).exists()


def test_a_file_with_bad_rows_imports_nothing_and_lists_every_problem(
    client, consultation, signed_in
):
    respond(consultation, {SAFER: "Already here"})
    job = uploaded(client, consultation, BAD)
    preview = client.get(preview_url(job))

    response = client.post(preview_url(job), mapping_post(preview))

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
    assert client.get(preview_url(job)).status_code == 200


def test_changing_a_match_on_the_preview_changes_what_is_imported(client, consultation, signed_in):
    job = uploaded(client, consultation)
    preview = client.get(preview_url(job))
    data = mapping_post(preview)
    data["column-2"] = LEAVE_OUT  # leave out "Where do you feel unsafe?"

    client.post(preview_url(job), data)

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
        pytest.param(
            SimpleUploadedFile("answers.xlsx", b"PK\x03\x04 but not a zip"),
            "We could not read this Excel file.",
            id="not-xlsx",
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
    assert not ImportJob.objects.exists()
    assert Response.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_a_large_file_is_read_in_the_background_while_a_progress_page_refreshes(
    client, consultation, signed_in, settings, django_capture_on_commit_callbacks
):
    settings.YOUTHVOICE_IMPORT_TASK_THRESHOLD_BYTES = 100

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, consultation, csv_upload(GOOD))
    job = ImportJob.objects.get()
    assert response["Location"] == preview_url(job)
    assert len(callbacks) == 1  # the task is enqueued once the upload is saved

    waiting = client.get(preview_url(job))
    content = waiting.content.decode()
    assert "is a large file, so it is being read in the background" in content
    assert content.index('<meta http-equiv="refresh" content="3">') < content.index("</head>")
    assert "Waiting to start." in content
    assert '<a href="">Refresh</a>' in content
    assert {"private", "no-store"} <= set(waiting["Cache-Control"].split(", "))
    # Asking to import before the file is read only shows the progress again.
    assert client.post(preview_url(job), {"action": "import"}).status_code == 302
    assert Response.objects.count() == 0

    callbacks[0]()  # the transaction commits; the (immediate) task backend reads the file

    preview = client.get(preview_url(job))
    assert "“school-visit.csv”: 3 rows of paper answers." in preview.content.decode()
    assert "http-equiv" not in preview.content.decode()
    client.post(preview_url(job), mapping_post(preview))
    assert Response.objects.count() == 3
    assert not ImportJob.objects.exists()


def test_a_large_file_that_cannot_be_read_says_why_on_the_progress_page(
    client, consultation, signed_in, settings, django_capture_on_commit_callbacks
):
    settings.YOUTHVOICE_IMPORT_TASK_THRESHOLD_BYTES = 10
    settings.YOUTHVOICE_IMPORT_MAX_ROWS = 2

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, consultation, csv_upload(GOOD))
    job = ImportJob.objects.get()

    page = client.get(preview_url(job)).content.decode()

    assert "“school-visit.csv” could not be read, so nothing was imported." in page
    assert "The file has more than 2 rows after the headings" in page
    assert "http-equiv" not in page
    assert upload_url(consultation) in page


def test_the_preview_without_a_file_asks_for_one(client, consultation, signed_in):
    missing = reverse("consultations:import_preview", args=[consultation.pk, 404])

    response = client.get(missing, follow=True)

    assert response.redirect_chain == [(upload_url(consultation), 302)]
    assert "There is no file waiting to be imported." in response.content.decode()


def test_cancelling_forgets_the_file(client, consultation, signed_in):
    job = uploaded(client, consultation)

    client.post(cancel_url(job))

    assert not ImportJob.objects.exists()
    assert client.get(preview_url(job)).status_code == 302
    assert Response.objects.count() == 0


def test_a_pending_file_is_forgotten_after_a_day(client, consultation, signed_in):
    job = uploaded(client, consultation)
    ImportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())

    assert client.get(preview_url(job)).status_code == 302
    assert not ImportJob.objects.exists()


def test_another_facilitator_cannot_see_check_import_or_cancel_a_pending_file(
    client, consultation, signed_in
):
    job = uploaded(client, consultation)
    client.force_login(facilitator())

    shown = client.get(preview_url(job), follow=True)
    posted = client.post(preview_url(job), {"action": "import", "column-0": ""})
    client.post(cancel_url(job))

    assert shown.redirect_chain == [(upload_url(consultation), 302)]
    assert "More youth clubs" not in shown.content.decode()
    assert posted.status_code == 302
    assert Response.objects.count() == 0
    assert ImportJob.objects.filter(pk=job.pk).exists()


def test_an_admin_may_open_a_facilitators_pending_file(client, consultation, signed_in):
    job = uploaded(client, consultation)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert "More youth clubs" in client.get(preview_url(job)).content.decode()


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
        assert not ImportJob.objects.exists()


# Undoing ---------------------------------------------------------------------------------------


def imported_batch(consultation, name="school-visit.csv"):
    parsed = read_answer_file(file=csv_upload(GOOD, name=name))
    from consultations.services.imports import guess_mapping

    return import_responses(
        consultation=consultation,
        parsed=parsed,
        mapping={
            **guess_mapping(
                headings=parsed.headings, questions=list(consultation.ordered_questions())
            ),
            4: LEAVE_OUT,  # Notes
        },
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
    job = uploaded(client, consultation, name="school-visit.csv")

    preview = client.get(preview_url(job))

    assert "A file called “school-visit.csv” was already imported on" in preview.content.decode()
