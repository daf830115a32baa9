"""``load_demo`` gives its consultations answers to the "taking part" step, once (#17, item 2)."""

from io import StringIO

import pytest
from django.core.management import call_command

from consultations.analysis.safeguarding import screen
from consultations.models import ConsultationPage, TakingPartFeedback
from consultations.reports.taking_part import taking_part_over_time
from youthforum.demo import consultations as demo

pytestmark = pytest.mark.django_db


def load_demo():
    call_command("load_demo", stdout=StringIO())


def test_each_demo_consultation_has_answers_to_the_step_and_a_second_load_adds_none():
    load_demo()
    first = {
        page.slug: TakingPartFeedback.objects.filter(consultation=page).count()
        for page in ConsultationPage.objects.all()
    }
    load_demo()

    assert first[demo.MEMBERS.slug] == 24  # 60% of the meeting's 40 answers
    assert first[demo.PLAN.slug] > 0
    assert {
        page.slug: TakingPartFeedback.objects.filter(consultation=page).count()
        for page in ConsultationPage.objects.all()
    } == first


def test_the_dashboard_shows_the_demo_and_its_words_are_ordinary():
    load_demo()

    rows = taking_part_over_time()

    members = next(r for r in rows if r.consultation.slug == demo.MEMBERS.slug)
    assert members.given.display == "24"
    assert any(q.yes.share for q in members.questions)
    for spread in demo.TAKING_PART.values():
        for comment in spread.comments:
            assert not screen(comment).flagged, comment
    for feedback in TakingPartFeedback.objects.exclude(anything_else=""):
        assert feedback.commented and not feedback.held
