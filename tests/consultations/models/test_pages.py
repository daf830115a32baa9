from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from consultations.models import (
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationStatus,
    Question,
    QuestionKind,
)
from youthforum.core.models import HomePage

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def page(**kwargs):
    defaults = {"opens_at": T0, "closes_at": T0 + timedelta(days=30), "results_published_at": None}
    return ConsultationPage(title="Plan", **{**defaults, **kwargs})


@pytest.mark.parametrize(
    ("when", "status"),
    [
        (T0 - timedelta(seconds=1), ConsultationStatus.COMING_SOON),
        (T0, ConsultationStatus.OPEN),
        (T0 + timedelta(days=30) - timedelta(seconds=1), ConsultationStatus.OPEN),
        (T0 + timedelta(days=30), ConsultationStatus.CLOSED),
    ],
)
def test_status_follows_opening_and_closing_times(when, status):
    assert page().status_at(when) == status


def test_published_results_are_shown_as_the_status():
    consultation = page(results_published_at=T0 + timedelta(days=40))
    assert consultation.status_at(T0 + timedelta(days=41)) == ConsultationStatus.RESULTS_PUBLISHED
    assert consultation.status_at(T0 + timedelta(days=35)) == ConsultationStatus.CLOSED


def test_closing_before_opening_is_refused():
    with pytest.raises(ValidationError) as excinfo:
        page(closes_at=T0 - timedelta(days=1), min_age=14, max_age=12).clean()
    assert set(excinfo.value.message_dict) == {"closes_at", "max_age"}


def test_consultations_live_only_in_a_consultations_index_under_the_home_page():
    assert ConsultationPage.allowed_parent_page_models() == [ConsultationIndexPage]
    assert ConsultationIndexPage.allowed_parent_page_models() == [HomePage]
    assert ConsultationPage.allowed_subpage_models() == []


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"kind": QuestionKind.SINGLE_CHOICE, "options": "Only one"}, {"options"}),
        ({"kind": QuestionKind.RANKING, "options": "A\nB", "max_ranked": 3}, {"max_ranked"}),
        ({"kind": QuestionKind.ABOUT_YOU, "about": ""}, {"about"}),
        ({"kind": QuestionKind.LONG_TEXT, "character_limit": 10_001}, {"character_limit"}),
    ],
)
def test_questions_that_cannot_be_answered_are_refused(fields, errors):
    question = Question(text="A question?", sort_order=0, **fields)
    with pytest.raises(ValidationError) as excinfo:
        question.full_clean(exclude=["page"])
    assert set(excinfo.value.message_dict) == errors


def test_options_are_one_per_line_without_blanks_or_repeats():
    question = Question(kind=QuestionKind.SINGLE_CHOICE, options="Bus\n\n  Walk \nbus\nCar")
    assert question.choice_options() == ["Bus", "Walk", "Car"]


def test_rewording_a_live_question_keeps_its_answers(home):
    import uuid

    from consultations.models import Answer
    from consultations.services import RawAnswer, submit_response
    from tests.factories import make_consultation

    consultation = make_consultation(home)
    question = consultation.questions.get(kind=QuestionKind.LONG_TEXT)
    submit_response(
        consultation=consultation, answers={question.pk: RawAnswer.of("Lights")}, token=uuid.uuid4()
    )
    editable = ConsultationPage.objects.get(pk=consultation.pk)
    children = list(editable.questions.all())
    for child in children:
        if child.pk == question.pk:
            child.text = "What would help you feel safer where you live?"
    editable.questions = children  # as the page editor does: the whole inline set, pks kept
    editable.save_revision().publish()

    question.refresh_from_db()
    assert question.text == "What would help you feel safer where you live?"
    assert Answer.objects.get().question_id == question.pk
    assert consultation.questions.count() == 8
