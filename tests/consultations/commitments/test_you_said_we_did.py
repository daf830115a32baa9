"""“You said, we did”: the public page, its feedback buttons (which cannot be stuffed) and the
rules a commitment must follow."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from consultations.commitments.models import Commitment, CommitmentFeedback, ProgressUpdate
from consultations.themes.models import Codebook, Theme
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

PAGE = "/you-said-we-did/"


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe")


def commit(consultation, **fields):
    values = {
        "consultation": consultation,
        "you_said": "You told us buses stop too early for you to get home safely.",
        "we_will": "We will ask the bus company to run a later bus on weekdays.",
        "partner": "council",
        "lead": "Head of Transport",
        "due_date": date(2027, 3, 31),
    } | fields
    commitment = Commitment(**values)
    commitment.full_clean()
    commitment.save()
    return commitment


def feedback_url(commitment):
    return reverse("commitment_feedback", args=[commitment.pk])


class TestPublicPage:
    def test_lists_published_commitments_by_consultation_and_theme(self, client, consultation):
        codebook = Codebook.objects.create(name="Themes", consultation=consultation)
        theme = Theme.objects.create(codebook=codebook, name="Getting around")
        bus = commit(consultation, theme=theme)
        ProgressUpdate.objects.create(
            commitment=bus, date=date(2026, 11, 2), text="Met the bus company."
        )
        commit(
            consultation,
            we_will="We will train staff.",
            status="not_doing",
            reason="The budget was cut.",
        )
        html = client.get(PAGE).content.decode()
        assert "Feeling safe" in html
        assert "Getting around" in html and "About the whole consultation" in html
        assert "We will ask the bus company" in html
        assert "Met the bus company." in html and "2 November 2026" in html
        assert "Not doing" in html and "The budget was cut." in html
        assert "Does this answer what you said?" in html

    def test_hides_unpublished_commitments_and_unpublished_consultations(
        self, client, consultation, home
    ):
        commit(consultation, we_will="A draft promise.", published=False)
        hidden = make_consultation(home, title="Not live yet", slug="not-live")
        hidden.unpublish()
        commit(hidden, we_will="A promise on a page nobody can see.")
        html = client.get(PAGE).content.decode()
        assert "A draft promise." not in html
        assert "A promise on a page nobody can see." not in html
        assert "There are no promises to show yet." in html


class TestFeedback:
    def test_an_answer_is_counted_once_per_browser_session(self, client, consultation):
        commitment = commit(consultation)
        first = client.post(feedback_url(commitment), {"answer": "partly"})
        assert first.status_code == 302
        assert first["Location"].endswith(f"#commitment-{commitment.pk}")
        again = client.post(feedback_url(commitment), {"answer": "yes"}, follow=True)
        assert "You have already answered this one" in again.content.decode()
        assert list(CommitmentFeedback.objects.values_list("answer", flat=True)) == ["partly"]
        # The page now thanks them instead of asking again.
        assert "You told us whether this answers what you said" in client.get(PAGE).content.decode()

    def test_other_browsers_are_counted(self, consultation):
        commitment = commit(consultation)
        for answer in ("yes", "no", "yes"):
            Client().post(feedback_url(commitment), {"answer": answer})
        assert sorted(CommitmentFeedback.objects.values_list("answer", flat=True)) == [
            "no",
            "yes",
            "yes",
        ]

    @pytest.mark.parametrize("answer", ["", "maybe", "YES", "yes; DROP TABLE"])
    def test_anything_but_yes_partly_or_no_is_refused(self, client, consultation, answer):
        commitment = commit(consultation)
        response = client.post(feedback_url(commitment), {"answer": answer})
        assert response.status_code == 400
        assert "Choose" in response.content.decode()
        assert not CommitmentFeedback.objects.exists()

    def test_get_does_not_count(self, client, consultation):
        commitment = commit(consultation)
        assert client.get(feedback_url(commitment), {"answer": "yes"}).status_code == 405
        assert not CommitmentFeedback.objects.exists()

    def test_unpublished_or_unknown_commitments_take_no_feedback(self, client, consultation):
        draft = commit(consultation, published=False)
        assert client.post(feedback_url(draft), {"answer": "yes"}).status_code == 404
        assert (
            client.post("/you-said-we-did/999999/feedback/", {"answer": "yes"}).status_code == 404
        )
        assert not CommitmentFeedback.objects.exists()

    def test_a_client_throwing_its_cookies_away_is_rate_limited(self, settings, consultation):
        settings.YOUTHVOICE_FEEDBACK_RATE_LIMIT = (3, 600)
        commitment = commit(consultation)
        statuses = [
            Client().post(feedback_url(commitment), {"answer": "yes"}).status_code for _ in range(5)
        ]
        assert statuses == [302, 302, 302, 429, 429]
        assert CommitmentFeedback.objects.count() == 3

    def test_the_rate_limit_page_says_what_to_do(self, settings, consultation):
        settings.YOUTHVOICE_FEEDBACK_RATE_LIMIT = (0, 600)
        commitment = commit(consultation)
        response = Client().post(feedback_url(commitment), {"answer": "yes"})
        assert response.status_code == 429
        assert "Please wait a few minutes" in response.content.decode()

    def test_needs_the_csrf_token(self, consultation):
        commitment = commit(consultation)
        response = Client(enforce_csrf_checks=True).post(
            feedback_url(commitment), {"answer": "yes"}
        )
        assert response.status_code == 403
        assert not CommitmentFeedback.objects.exists()


class TestRules:
    def test_not_doing_needs_a_reason(self, consultation):
        with pytest.raises(ValidationError) as error:
            commit(consultation, status="not_doing", reason="  ")
        assert "reason" in error.value.message_dict
        assert not Commitment.objects.exists()

    def test_the_theme_must_come_from_the_consultations_codebook(self, consultation, home):
        other = make_consultation(home, title="Other", slug="other")
        codebook = Codebook.objects.create(name="Other themes", consultation=other)
        theme = Theme.objects.create(codebook=codebook, name="Money")
        with pytest.raises(ValidationError) as error:
            commit(consultation, theme=theme)
        assert "theme" in error.value.message_dict
        assert not Commitment.objects.exists()
