import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.models import AboutYouOptions, Answer, QuestionKind, Response, Source
from consultations.services import (
    OTHER,
    ConsultationClosed,
    RawAnswer,
    SubmissionInvalid,
    SubmissionRejected,
    submit_response,
)
from tests.factories import MemberFactory, make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(home):
    return make_consultation(home)


def q(consultation, kind, index=0):
    return [x for x in consultation.ordered_questions() if x.kind == kind][index]


def required(consultation):
    return {q(consultation, QuestionKind.LONG_TEXT).pk: RawAnswer.of("Better street lights")}


def submit(consultation, answers, **kwargs):
    return submit_response(consultation=consultation, answers=answers, token=uuid.uuid4(), **kwargs)


def errors_for(consultation, answers):
    with pytest.raises(SubmissionInvalid) as excinfo:
        submit(consultation, answers)
    assert Response.objects.count() == 0
    assert Answer.objects.count() == 0
    return excinfo.value.errors


def test_a_valid_submission_saves_one_response_with_each_answer(consultation):
    single = q(consultation, QuestionKind.SINGLE_CHOICE)
    multiple = q(consultation, QuestionKind.MULTIPLE_CHOICE)
    rating = q(consultation, QuestionKind.RATING)
    ranking = q(consultation, QuestionKind.RANKING)
    age = q(consultation, QuestionKind.ABOUT_YOU, 0)
    area = q(consultation, QuestionKind.ABOUT_YOU, 1)
    answers = {
        **required(consultation),
        single.pk: RawAnswer.of("Bus"),
        multiple.pk: RawAnswer.of("Park", OTHER, other="The underpass"),
        rating.pk: RawAnswer.of("4"),
        ranking.pk: RawAnswer.of("Transport", "Mental health"),
        age.pk: RawAnswer.of("13 to 15"),
        area.pk: RawAnswer.of("Prefer not to say"),
    }
    result = submit(consultation, answers)
    assert result.created
    response = Response.objects.get()
    assert response.source == Source.ONLINE
    assert response.user is None
    assert len(response.reference) == 8
    assert (response.age_band, response.area) == ("13 to 15", "Prefer not to say")
    saved = {a.question_id: a for a in response.answers.all()}
    assert saved[single.pk].choices == ["Bus"]
    assert saved[multiple.pk].choices == ["Park"] and saved[multiple.pk].text == "The underpass"
    assert saved[rating.pk].rating == 4
    assert saved[ranking.pk].choices == ["Transport", "Mental health"]
    assert len(saved) == 7  # the unanswered optional short-text question has no row


def test_the_same_token_twice_stores_one_response(consultation):
    token = uuid.uuid4()
    first = submit_response(consultation=consultation, answers=required(consultation), token=token)
    second = submit_response(consultation=consultation, answers=required(consultation), token=token)
    assert first.created and not second.created
    assert first.response.pk == second.response.pk
    assert Response.objects.count() == 1
    assert Answer.objects.count() == 1


def test_a_token_used_on_another_consultation_is_refused(consultation, home):
    token = uuid.uuid4()
    submit_response(consultation=consultation, answers=required(consultation), token=token)
    other = make_consultation(home, slug="other-consultation")
    with pytest.raises(SubmissionRejected):
        submit_response(consultation=other, answers=required(other), token=token)
    assert Response.objects.count() == 1


def test_a_missing_token_is_refused(consultation):
    with pytest.raises(SubmissionRejected):
        submit_response(consultation=consultation, answers=required(consultation), token=None)
    assert Response.objects.count() == 0


def test_missing_required_answer(consultation):
    errors = errors_for(consultation, {})
    assert errors == {
        q(consultation, QuestionKind.LONG_TEXT).pk: ["Write your answer to this question."]
    }


def test_blank_text_counts_as_missing(consultation):
    errors = errors_for(
        consultation, {q(consultation, QuestionKind.LONG_TEXT).pk: RawAnswer.of("   \n ")}
    )
    assert list(errors.values()) == [["Write your answer to this question."]]


def test_text_over_the_limit(consultation):
    short = q(consultation, QuestionKind.SHORT_TEXT)  # limit 50
    errors = errors_for(consultation, {**required(consultation), short.pk: RawAnswer.of("x" * 51)})
    assert errors[short.pk] == [
        "Your answer must be 50 characters or fewer. It is 51 characters now."
    ]


def test_text_is_held_to_the_hard_ceiling_whatever_the_question_says(consultation):
    long = q(consultation, QuestionKind.LONG_TEXT)
    long.character_limit = 50_000  # only possible by bypassing the form's validation
    long.save()
    errors = errors_for(consultation, {long.pk: RawAnswer.of("y" * 10_001)})
    assert "10,000 characters or fewer" in errors[long.pk][0]


def test_control_characters_are_removed_from_text(consultation):
    long = q(consultation, QuestionKind.LONG_TEXT)
    submit(consultation, {long.pk: RawAnswer.of("safe\x00r\x07 buses\r\nplease")})
    assert Answer.objects.get().text == "safer buses\nplease"


@pytest.mark.parametrize(
    ("kind", "values", "message"),
    [
        (QuestionKind.SINGLE_CHOICE, ("Helicopter",), "Choose from the options given."),
        (QuestionKind.SINGLE_CHOICE, ("Bus", "Walk"), "Choose only one answer."),
        (QuestionKind.MULTIPLE_CHOICE, ("Park", "Moon"), "Choose from the options given."),
        (QuestionKind.MULTIPLE_CHOICE, ("Park", "Park"), "Choose each option only once."),
        (QuestionKind.RATING, ("6",), "Choose a number from 1 to 5."),
        (QuestionKind.RATING, ("three",), "Choose a number from 1 to 5."),
        (QuestionKind.RATING, ("1", "2"), "Choose a number from 1 to 5."),
        (QuestionKind.ABOUT_YOU, ("1 March 2010",), "Choose from the options given."),
    ],
)
def test_choices_that_are_not_options_are_refused(consultation, kind, values, message):
    question = q(consultation, kind)
    errors = errors_for(
        consultation, {**required(consultation), question.pk: RawAnswer(values=values)}
    )
    assert errors[question.pk] == [message]


def test_ranking_refuses_too_many_duplicates_and_unknown_options(consultation):
    ranking = q(consultation, QuestionKind.RANKING)  # up to 2
    cases = {
        ("Transport", "Bullying", "Mental health"): "Choose up to 2 options.",
        (
            "Transport",
            "Transport",
        ): "You chose the same option more than once. Choose each option only once.",
        ("Transport", "Homework"): "Choose from the options given.",
    }
    for values, message in cases.items():
        errors = errors_for(
            consultation, {**required(consultation), ranking.pk: RawAnswer(values=values)}
        )
        assert errors[ranking.pk] == [message]


def test_other_needs_words_and_is_only_for_questions_that_offer_it(consultation):
    single = q(consultation, QuestionKind.SINGLE_CHOICE)
    errors = errors_for(consultation, {**required(consultation), single.pk: RawAnswer.of(OTHER)})
    assert errors[single.pk] == ["Tell us your other answer, or choose one of the other answers."]
    age = q(consultation, QuestionKind.ABOUT_YOU)
    errors = errors_for(
        consultation, {**required(consultation), age.pk: RawAnswer.of(other="I'm 14")}
    )
    assert errors[age.pk] == ["Choose from the options given."]


def test_words_written_in_other_are_kept_even_if_other_was_not_ticked(consultation):
    single = q(consultation, QuestionKind.SINGLE_CHOICE)
    submit(consultation, {**required(consultation), single.pk: RawAnswer.of(other="Scooter")})
    answer = Answer.objects.get(question=single)
    assert answer.text == "Scooter" and answer.choices == []


def test_every_problem_is_reported_at_once(consultation):
    single = q(consultation, QuestionKind.SINGLE_CHOICE)
    rating = q(consultation, QuestionKind.RATING)
    errors = errors_for(
        consultation, {single.pk: RawAnswer.of("Boat"), rating.pk: RawAnswer.of("0")}
    )
    assert set(errors) == {q(consultation, QuestionKind.LONG_TEXT).pk, single.pk, rating.pk}


def test_a_question_from_another_consultation_is_refused(consultation, home):
    other = make_consultation(home, slug="another")
    foreign = q(other, QuestionKind.LONG_TEXT)
    with pytest.raises(SubmissionRejected):
        submit(consultation, {**required(consultation), foreign.pk: RawAnswer.of("hello")})
    assert Response.objects.count() == 0


def test_nothing_answered_at_all_is_refused(home):
    consultation = make_consultation(home)
    consultation.questions.filter(required=True).update(required=False)
    errors = errors_for(consultation, {})
    assert errors == {"__all__": ["Answer at least one question before you send your answers."]}


@pytest.mark.parametrize(
    "change",
    [
        {"opens_at": timezone.now() + timedelta(days=1)},
        {"closes_at": timezone.now() - timedelta(seconds=1)},
    ],
)
def test_closed_and_not_yet_open_consultations_refuse_online_answers(consultation, change):
    for field, value in change.items():
        setattr(consultation, field, value)
    if "closes_at" in change:
        consultation.opens_at = timezone.now() - timedelta(days=5)
    consultation.save()
    with pytest.raises(ConsultationClosed):
        submit(consultation, required(consultation))
    assert Response.objects.count() == 0


def test_unpublished_consultations_refuse_online_answers(consultation):
    consultation.unpublish()
    with pytest.raises(ConsultationClosed):
        submit(consultation, required(consultation))


def test_paper_answers_can_be_added_after_closing(consultation):
    consultation.opens_at = timezone.now() - timedelta(days=10)
    consultation.closes_at = timezone.now() - timedelta(days=1)
    consultation.save()
    result = submit(consultation, required(consultation), source=Source.PAPER)
    assert result.response.source == Source.PAPER


def test_a_member_may_answer_as_themselves(consultation):
    member = MemberFactory()
    result = submit(consultation, required(consultation), user=member)
    assert result.response.user == member


def test_about_you_options_come_from_site_settings(consultation):
    options = AboutYouOptions.load()
    options.areas = "North\nSouth"
    options.save()
    area = q(consultation, QuestionKind.ABOUT_YOU, 1)
    assert area.choice_options() == ["North", "South", "Prefer not to say"]
    errors = errors_for(consultation, {**required(consultation), area.pk: RawAnswer.of("Mendip")})
    assert errors[area.pk] == ["Choose from the options given."]
