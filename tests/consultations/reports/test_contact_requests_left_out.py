"""A young person's request to be contacted never reaches a report, a download or a word cloud,
even once a Safeguarding lead has released the answer that raised the concern."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from consultations.models import Answer
from consultations.safeguarding.contact_requests import contact_request_create
from consultations.safeguarding.models import ContactRequest
from tests.consultations.admin.support import respond, sign_in_as
from youthforum.accounts import roles

from .conftest import AGE, AREA, SAFER

pytestmark = pytest.mark.django_db

DISCLOSURE = "My stepdad hits me when he's drunk and I'm scared to go home."
HOW_TO_REACH = "Zephyrine Quorndon on 07700 900456"
BEST_TIME = "after netball practice"
SECRET_WORDS = ("Zephyrine", "Quorndon", "07700", "900456", "netball")


@pytest.fixture
def asked(answered, django_capture_on_commit_callbacks):
    """The 15 young people of the conftest, and one more who disclosed, asked to be contacted,
    and whose answer a lead then released (so it is in the outputs, redacted)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = respond(answered, {SAFER: DISCLOSURE, AGE: "13 to 15", AREA: "Mendip"})
        contact_request_create(
            response=response, how_to_reach=HOW_TO_REACH, best_time=BEST_TIME, consent=True
        )
    Answer.objects.filter(response=response).update(held=False)
    assert ContactRequest.objects.filter(response=response).exists()
    return answered


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return repr([list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets])


def test_no_report_download_or_word_cloud_holds_the_contact_details(client, asked):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    slug = asked.slug

    page = client.get(reverse("report", args=[slug])).content.decode()
    xlsx = xlsx_text(client.get(reverse("report_xlsx", args=[slug])).content)
    csv_body = b"".join(client.get(reverse("report_csv", args=[slug])).streaming_content)
    cloud = client.get(reverse("report_word_cloud", args=[slug, "svg"])).content.decode()

    # The released answer is there, so the response itself is in every output...
    assert "stepdad" in xlsx and "stepdad" in csv_body.decode("utf-8")
    assert ">park</text>" in cloud  # the cloud is drawn as words, so any would show
    # ...but nothing the young person wrote to be contacted is.
    for output in (page, xlsx, csv_body.decode("utf-8"), cloud):
        for words in SECRET_WORDS:
            assert words not in output
