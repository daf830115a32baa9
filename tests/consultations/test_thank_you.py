"""The thank-you link shows the reference and the help for an hour, and no copy is kept."""

import time
import uuid
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.core import signing

from consultations.models import QuestionKind
from consultations.services import RawAnswer, submit_response
from consultations.views import REFERENCE_MAX_AGE, REFERENCE_SALT
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

DISCLOSURE = "My stepdad hits me when he's drunk and I'm scared to go home."
URGENT_HELP = "You can talk to someone today"


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe")


def answered(consultation, text):
    question = consultation.questions.get(kind=QuestionKind.LONG_TEXT)
    return submit_response(
        consultation=consultation,
        answers={question.pk: RawAnswer.of(text)},
        token=uuid.uuid4(),
    ).response


def thank_you_link(consultation, response, *, signed_at: float) -> str:
    with mock.patch("django.core.signing.time.time", return_value=signed_at):
        signed = signing.dumps(response.reference, salt=REFERENCE_SALT)
    return f"{consultation.url}thank-you/?{urlencode({'ref': signed})}"


def open_link(client, url, *, at: float):
    with mock.patch("django.core.signing.time.time", return_value=at):
        return client.get(url)


def test_the_link_lasts_an_hour():
    assert REFERENCE_MAX_AGE == 60 * 60


def test_at_59_minutes_the_link_still_shows_the_reference_and_the_urgent_help(client, consultation):
    response = answered(consultation, DISCLOSURE)
    sent = time.time()
    url = thank_you_link(consultation, response, signed_at=sent)

    page = open_link(client, url, at=sent + 59 * 60)

    html = page.content.decode()
    assert page.status_code == 200
    assert response.reference in html
    assert URGENT_HELP in html


def test_at_61_minutes_the_link_shows_a_plain_thank_you_that_reveals_nothing(client, consultation):
    response = answered(consultation, DISCLOSURE)
    sent = time.time()
    url = thank_you_link(consultation, response, signed_at=sent)

    page = open_link(client, url, at=sent + 61 * 60)

    html = page.content.decode()
    assert page.status_code == 200  # a kind page, not an error
    assert "Thank you for taking part" in html
    assert "only shows your reference for an hour" in html
    assert response.reference not in html
    assert URGENT_HELP not in html
    # Everyone's thank-you page offers the ordinary help, so it gives nothing away.
    assert "If anything you wrote about is worrying you" in html


def test_an_expired_link_for_an_ordinary_answer_looks_the_same(client, consultation):
    flagged = answered(consultation, DISCLOSURE)
    ordinary = answered(consultation, "Better lighting in the park")
    sent = time.time()

    pages = [
        open_link(client, thank_you_link(consultation, r, signed_at=sent), at=sent + 2 * 3600)
        for r in (flagged, ordinary)
    ]

    assert pages[0].content == pages[1].content


@pytest.mark.parametrize("minutes", [0, 61])
def test_the_thank_you_page_is_never_stored_by_a_browser_or_proxy(client, consultation, minutes):
    response = answered(consultation, DISCLOSURE)
    sent = time.time()
    url = thank_you_link(consultation, response, signed_at=sent)

    page = open_link(client, url, at=sent + minutes * 60)

    cache_control = {part.strip() for part in page["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_a_changed_link_still_goes_back_to_the_consultation(client, consultation):
    page = client.get(f"{consultation.url}thank-you/?ref=not-a-signed-reference")

    assert page.status_code == 302
    assert page["Location"] == consultation.url
    assert "no-store" in page["Cache-Control"]
