"""Commitments in the Wagtail admin: who may record them, and what a bad form does."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from consultations.commitments.models import Commitment, CommitmentFeedback
from tests.consultations.admin.support import REPORT_READERS as WHO
from tests.consultations.admin.support import refused, sign_in_as
from tests.factories import make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

LIST = "wagtailsnippets_commitments_commitment:list"
ADD = "wagtailsnippets_commitments_commitment:add"


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe")


def form(consultation, **fields):
    return nested_form_data(
        {
            "consultation": consultation.pk,
            "theme": "",
            "you_said": "You told us there is nothing to do in the evenings.",
            "we_will": "We will keep two youth clubs open until 9pm.",
            "partner": "council",
            "lead": "Head of Youth Services",
            "due_date": "2027-04-30",
            "status": "planned",
            "reason": "",
            "published": "on",
            "updates": inline_formset([{"date": "2026-11-20", "text": "Funding agreed."}]),
        }
        | fields
    )


@pytest.mark.parametrize(("who", "allowed"), WHO)
def test_who_may_see_and_record_commitments(client, consultation, who, allowed):
    sign_in_as(client, who)
    for name in (LIST, ADD):
        response = client.get(reverse(name))
        if allowed:
            assert response.status_code == 200, name
        else:
            assert refused(response, signed_in=who is not None), name
    response = client.post(reverse(ADD), form(consultation))
    assert Commitment.objects.exists() == allowed


def test_executive_partner_records_a_commitment_with_progress(client, consultation):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    response = client.post(reverse(ADD), form(consultation))
    assert response.status_code == 302
    commitment = Commitment.objects.get()
    assert commitment.we_will == "We will keep two youth clubs open until 9pm."
    assert [u.text for u in commitment.updates.all()] == ["Funding agreed."]


def test_not_doing_without_a_reason_is_refused_and_nothing_saved(client, consultation):
    sign_in_as(client, {"roles": [roles.FACILITATORS]})
    response = client.post(reverse(ADD), form(consultation, status="not_doing"))
    assert response.status_code == 200
    assert "Say why this will not be done" in response.content.decode()
    assert not Commitment.objects.exists()


def test_listing_shows_the_feedback_counts(client, consultation):
    sign_in_as(client, {"roles": [roles.FACILITATORS]})
    client.post(reverse(ADD), form(consultation))
    commitment = Commitment.objects.get()
    for answer in ("yes", "yes", "partly", "no"):
        CommitmentFeedback.objects.create(commitment=commitment, answer=answer)
    html = client.get(reverse(LIST)).content.decode()
    assert "Yes 2 · Partly 1 · No 1" in html
