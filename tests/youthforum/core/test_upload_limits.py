"""Uploads reach their documented limits through the whole middleware stack, and no further.

``UnreadableFormBodyMiddleware`` once read every POST body into memory, so Django's 2.5 MB
``DATA_UPLOAD_MAX_MEMORY_SIZE`` refused any upload over it with a bare 400, before sign-in: the
5 MB import and 10 MB document limits could not be reached. These tests post real files, one byte
either side of each limit, as a facilitator signed in with a second factor through allauth's own
forms, with CSRF checks on as in production.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from consultations.models import ImportJob, ImportJobStatus, Response
from tests.factories import make_consultation
from tests.youthforum.accounts.support import PASSWORD, add_totp, make_user, totp_code
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
IMPORT_LIMIT = 5 * MB
DOCUMENT_LIMIT = 10 * MB


def test_the_documented_limits_are_the_settings(settings):
    assert settings.YOUTHVOICE_IMPORT_MAX_BYTES == IMPORT_LIMIT
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == DOCUMENT_LIMIT
    assert settings.YOUTHVOICE_MAX_REQUEST_BYTES > DOCUMENT_LIMIT


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe", slug="feeling-safe")


@pytest.fixture
def facilitator_client(home):
    """A client with CSRF checks on, signed in as a facilitator with password and code."""
    client = Client(enforce_csrf_checks=True)
    user = make_user(roles=[roles.FACILITATORS])
    secret = add_totp(user)
    client.get(reverse("account_login"))
    signed_in = client.post(
        reverse("account_login"),
        {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(client)},
    )
    assert signed_in["Location"] == reverse("mfa_authenticate")
    client.get(reverse("mfa_authenticate"))
    authenticated = client.post(
        reverse("mfa_authenticate"),
        {"code": totp_code(secret), "csrfmiddlewaretoken": csrf_token(client)},
    )
    assert authenticated.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    return client


def csrf_token(client) -> str:
    return client.cookies["csrftoken"].value


def csv_of_exactly(size: int) -> bytes:
    """A CSV file of answers of exactly ``size`` bytes: 1,000 rows padded with notes."""
    heading, prefix, rows = b"What would make you feel safer?,Notes\n", b"More youth clubs,", 1_000
    row_size = (size - len(heading)) // rows
    row = prefix + b"n" * (row_size - len(prefix) - 1) + b"\n"
    last_size = size - len(heading) - row_size * (rows - 1)
    last = prefix + b"n" * (last_size - len(prefix) - 1) + b"\n"
    content = heading + row * (rows - 1) + last
    assert len(content) == size
    return content


def post_import(client, consultation, content: bytes):
    url = reverse("consultations:import", args=[consultation.pk])
    client.get(url)
    upload = SimpleUploadedFile("school-visit.csv", content, content_type="text/csv")
    return client.post(
        url, {"file": upload, "source": "paper", "csrfmiddlewaretoken": csrf_token(client)}
    )


def test_an_import_one_byte_under_the_limit_is_taken_and_one_byte_over_is_refused_clearly(
    facilitator_client, consultation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        taken = post_import(facilitator_client, consultation, csv_of_exactly(IMPORT_LIMIT - 1))

    job = ImportJob.objects.get()
    assert taken["Location"] == reverse(
        "consultations:import_preview", args=[consultation.pk, job.pk]
    )
    assert (job.size, job.status, len(job.parsed["rows"])) == (
        IMPORT_LIMIT - 1,
        ImportJobStatus.READY,
        1_000,
    )

    refused = post_import(facilitator_client, consultation, csv_of_exactly(IMPORT_LIMIT + 1))

    assert refused.status_code == 200
    assert (
        "The file is too big: it must be 5 MB or smaller. Split it into smaller files and import "
        "each one."
    ) in refused.content.decode()
    assert list(ImportJob.objects.all()) == [job]


def post_document(client, content: bytes):
    url = reverse("wagtaildocs:add")
    client.get(url)
    upload = SimpleUploadedFile("minutes.txt", content, content_type="text/plain")
    return client.post(
        url,
        {
            "title": "Forum minutes",
            "file": upload,
            "collection": Collection.get_first_root_node().pk,
            "csrfmiddlewaretoken": csrf_token(client),
        },
    )


def test_a_document_one_byte_under_the_limit_is_taken_and_one_byte_over_is_refused_clearly(
    facilitator_client,
):
    Document = get_document_model()

    taken = post_document(facilitator_client, b"m" * (DOCUMENT_LIMIT - 1))

    assert taken.status_code == 302
    assert Document.objects.get().file_size == DOCUMENT_LIMIT - 1

    refused = post_document(facilitator_client, b"m" * (DOCUMENT_LIMIT + 1))

    assert refused.status_code == 200
    assert "This file is too big" in refused.content.decode()
    assert Document.objects.count() == 1


def test_a_large_upload_is_not_refused_before_sign_in(client, consultation):
    # A 3.1 MB file once got a bare 400 here, before anyone could be asked to sign in.
    upload = SimpleUploadedFile("answers.csv", b"Answer\n" + b"Yes\n" * 800_000)
    url = reverse("consultations:import", args=[consultation.pk])

    response = client.post(url, {"file": upload, "source": "paper"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_body_over_the_request_limit_is_refused_whole(client, consultation, settings):
    settings.YOUTHVOICE_MAX_REQUEST_BYTES = 10_000
    url = reverse("consultations:import", args=[consultation.pk])

    response = client.post(url, {"file": SimpleUploadedFile("answers.csv", b"x" * 20_000)})

    assert response.status_code == 413
    assert b"The upload is too big" in response.content


@pytest.mark.parametrize("streamed", [False, True], ids=["in-memory", "streamed"])
def test_a_multipart_body_with_a_charset_that_is_not_text_is_still_a_400(
    client, consultation, settings, streamed
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    padding = b"x" * (5_000 if streamed else 100)
    body = (
        b'--x\r\nContent-Disposition: form-data; name="token"\r\n\r\n' + padding + b"\r\n--x--\r\n"
    )

    response = client.generic(
        "POST",
        consultation.url,
        body,
        content_type="multipart/form-data; boundary=x; charset=rot13",
    )

    assert response.status_code == 400
    assert response.content == b"The form was sent in a way we do not understand."


def test_an_answer_sent_with_a_file_too_big_to_hold_in_memory_is_refused_not_a_500(
    client, consultation, settings
):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    page = client.get(consultation.url).content.decode()
    token = page.split('name="token" value="', 1)[1].split('"', 1)[0]
    required = next(q for q in consultation.ordered_questions() if q.required)
    data = {
        "token": token,
        required.field_name: "More youth workers",
        "attachment": SimpleUploadedFile("big.bin", b"\x00" * 5_000),
    }

    response = client.post(consultation.url, data)

    assert response.status_code == 400
    assert "Your answers were sent in a way we do not understand." in response.content.decode()
    assert Response.objects.count() == 0
    # The same answer without the file is taken: the refusal is about the streamed body.
    del data["attachment"]
    assert client.post(consultation.url, data).status_code == 302
