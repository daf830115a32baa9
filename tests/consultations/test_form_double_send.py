"""Back, then "Send my answers" again: the same thank-you page, for the one response stored."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.test import Client

from consultations.forms import new_token
from consultations.models import Layout, QuestionKind, Response
from consultations.views import REFERENCE_SALT
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe", slug="feeling-safe")


def reference_in(response) -> str:
    assert response.status_code == 302, response.content.decode()
    location = response["Location"]
    assert "/thank-you/?ref=" in location
    return signing.loads(parse_qs(urlsplit(location).query)["ref"][0], salt=REFERENCE_SALT)


def safer(page):
    return next(q for q in page.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)


def test_single_page_back_and_send_again_shows_the_same_thank_you(client, consultation):
    html = client.get(consultation.url).content.decode()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    data = {"token": token, safer(consultation).field_name: "More youth workers"}
    first = reference_in(client.post(consultation.url, data))
    # Back shows the form as it was, token and all; the young person changes nothing and sends.
    second = reference_in(client.post(consultation.url, data))
    assert first == second == Response.objects.get().reference
    assert Response.objects.count() == 1
    thank_you = client.post(consultation.url, data, follow=True).content.decode()
    assert first in thank_you


class TestStepByStep:
    @pytest.fixture
    def stepped(self, consultation):
        consultation.layout = Layout.STEPS
        consultation.save_revision().publish()
        return consultation

    def check_and_token(self, client, page):
        number = list(page.ordered_questions()).index(safer(page)) + 1
        client.post(
            f"{page.url}questions/{number}/", {safer(page).field_name: "Lights on the path"}
        )
        html = client.get(page.url + "check/").content.decode()
        return re.search(r'name="token" value="([^"]+)"', html).group(1)

    def test_back_and_send_again_shows_the_same_thank_you_and_stores_nothing_more(
        self, client, stepped
    ):
        token = self.check_and_token(client, stepped)
        first = reference_in(client.post(stepped.url + "check/", {"token": token}))
        # The draft is gone once sent; Back shows the check page again, with its token.
        second = reference_in(client.post(stepped.url + "check/", {"token": token}))
        assert first == second == Response.objects.get().reference
        assert Response.objects.count() == 1
        thank_you = client.post(
            stepped.url + "check/", {"token": token}, follow=True
        ).content.decode()
        assert "Thank you: your answers have been sent" in thank_you and first in thank_you
        assert Response.objects.count() == 1

    def test_a_token_never_sent_with_no_draft_starts_again_and_stores_nothing(
        self, client, stepped
    ):
        token = self.check_and_token(client, stepped)
        client.post(stepped.url + "check/", {"token": token})
        # Another browser, with no draft, sends a valid token that was never used.
        response = Client().post(stepped.url + "check/", {"token": new_token()})
        assert response.status_code == 302 and response["Location"] == stepped.url
        assert Response.objects.count() == 1

    def test_a_changed_token_with_no_draft_starts_again(self, client, stepped):
        response = client.post(stepped.url + "check/", {"token": "not-a-token"})
        assert response.status_code == 302 and response["Location"] == stepped.url
        assert Response.objects.count() == 0
