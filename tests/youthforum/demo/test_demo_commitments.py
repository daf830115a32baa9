"""``load_demo`` adds the partners' demo promises, once, and the public page shows them."""

from io import StringIO

import pytest
from django.core.management import call_command

from consultations.commitments.models import Commitment, CommitmentFeedback
from youthforum.demo.commitments import COMMITMENTS

pytestmark = pytest.mark.django_db


def test_demo_promises_are_made_once_and_shown(client):
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert Commitment.objects.count() == len(COMMITMENTS)
    assert CommitmentFeedback.objects.count() == sum(sum(c.feedback) for c in COMMITMENTS)
    html = client.get("/you-said-we-did/").content.decode()
    for spec in COMMITMENTS:
        assert spec.we_will.split(",")[0] in html
    assert "Stop and search is set by national law" in html
