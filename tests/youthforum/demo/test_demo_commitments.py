"""``load_demo`` adds the partners' demo promises, once, and the public page shows them."""

from io import StringIO

import pytest
from django.core.management import call_command

from consultations.commitments.loop import loop_status
from consultations.commitments.models import Commitment, CommitmentFeedback
from youthforum.demo.commitments import COMMITMENTS, MEMBER_THEMES

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


def test_the_demo_has_a_loop_still_open():
    """The closed members' consultation: results published, two top themes answered, two still
    waiting for a promise, and one promise overdue ("Closing the loop" on the dashboard)."""
    call_command("load_demo", stdout=StringIO())
    (members,) = loop_status()
    assert members.consultation.slug == "what-being-a-member-means"
    assert members.results_published_on is not None
    assert {t.name for t in members.themes} == set(MEMBER_THEMES)
    assert {t.name for t in members.unanswered} == {"Friends and fun", "Making a difference"}
    assert [c.we_will for c in members.overdue] == [
        "We will give every member a certificate of the skills they have gained at the forum, "
        "to use in college and job applications."
    ]
