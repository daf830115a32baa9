"""``submit_responses``: many people's answers by the rules of ``submit_response``, in batches.

The demo loads through it (and large imports may): each answer must come out exactly as the
one-at-a-time door leaves it (validated, screened, redacted, counted, a concern for anything
flagged), and a bad item must leave nothing saved.
"""

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from consultations.models import Answer, AnswerTerm, QuestionKind, Response, Source, TermTotal
from consultations.safeguarding.models import SafeguardingConcern
from consultations.services import (
    BatchInvalid,
    ConsultationClosed,
    NewResponse,
    RawAnswer,
    SubmissionRejected,
    submit_response,
    submit_responses,
)
from tests.factories import UserFactory, make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

WORDS = (
    "Better street lights near the park",
    "More buses after 9pm, call me on 07700 900123",
    "my stepdad hits me and I am scared to go home",
    "Somewhere to go after school with my friends",
)


@pytest.fixture
def consultation(home):
    return make_consultation(home)


def long_text(consultation):
    return next(q for q in consultation.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)


def age(consultation):
    return next(q for q in consultation.ordered_questions() if q.kind == QuestionKind.ABOUT_YOU)


def items(consultation, n, **extra):
    question = long_text(consultation)
    return [
        NewResponse(
            answers={
                question.pk: RawAnswer.of(WORDS[i % len(WORDS)]),
                age(consultation).pk: RawAnswer.of("13 to 15"),
            },
            token=uuid.uuid4(),
            **extra,
        )
        for i in range(n)
    ]


def saved_rows() -> dict:
    """What a save leaves, without ids or references (random), to compare the two doors."""
    return {
        "responses": sorted(Response.objects.values_list("source", "age_band", "is_demo")),
        "answers": sorted(Answer.objects.values_list("text", "redacted_text", "held")),
        "terms": sorted(AnswerTerm.objects.values_list("answer__text", "term", "count")),
        "totals": sorted(TermTotal.objects.values_list("term", "count", "answers")),
        "concerns": sorted(SafeguardingConcern.objects.values_list("severity", "status")),
    }


def clear():
    SafeguardingConcern.objects.all().delete()
    Response.objects.all().delete()
    TermTotal.objects.all().delete()


def test_batches_leave_exactly_what_one_at_a_time_leaves(
    consultation, django_capture_on_commit_callbacks
):
    given = items(consultation, 9)
    with django_capture_on_commit_callbacks(execute=True):
        for item in given:
            submit_response(consultation=consultation, answers=item.answers, token=uuid.uuid4())
    one_at_a_time = saved_rows()
    clear()

    with django_capture_on_commit_callbacks(execute=True):
        results = submit_responses(consultation=consultation, items=given, batch_size=4)

    assert saved_rows() == one_at_a_time
    assert [r.created for r in results] == [True] * 9
    assert [r.response.token for r in results] == [item.token for item in given]  # in order
    assert len({r.response.reference for r in results}) == 9
    assert Response.objects.count() == 9
    # Redacted and screened as every answer: the phone number is gone, the disclosure held.
    phone = Answer.objects.filter(text__contains="07700").first()
    assert "07700 900123" not in phone.redacted_text and not phone.held
    assert all(a.held for a in Answer.objects.filter(text__contains="stepdad"))


def test_a_disclosure_raises_a_concern_per_answer_and_tells_the_leads(
    consultation, django_capture_on_commit_callbacks
):
    UserFactory(email="lead@example.org", roles=[roles.SAFEGUARDING_LEADS])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        results = submit_responses(consultation=consultation, items=items(consultation, 8))

    concerns = SafeguardingConcern.objects.all()
    assert concerns.count() == 2  # items 3 and 7 hold the disclosure
    assert {c.response_id for c in concerns} == {results[2].response.pk, results[6].response.pk}
    assert all(c.answer.held and c.due_at for c in concerns)
    assert mail.outbox and all(m.to == ["lead@example.org"] for m in mail.outbox)
    assert not any("stepdad" in m.body for m in mail.outbox)
    # Held answers have their terms but stay out of the word-cloud totals.
    assert not TermTotal.objects.filter(term="stepdad").exists()
    assert AnswerTerm.objects.filter(term="stepdad").count() == 2


def test_an_invalid_item_is_named_and_nothing_is_saved(consultation):
    given = items(consultation, 5)
    given[3] = NewResponse(
        answers={age(consultation).pk: RawAnswer.of("13 to 15")}, token=uuid.uuid4()
    )

    with pytest.raises(BatchInvalid) as raised:
        submit_responses(consultation=consultation, items=given, batch_size=2)

    assert raised.value.index == 3
    assert long_text(consultation).pk in raised.value.errors
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_a_saved_token_returns_its_response_and_saves_nothing_twice(consultation):
    given = items(consultation, 3)
    first = submit_responses(consultation=consultation, items=given[:1])

    again = submit_responses(consultation=consultation, items=[*given, given[2]])

    assert [r.created for r in again] == [False, True, True, True]
    assert again[0].response.pk == first[0].response.pk
    assert again[2].response.pk == again[3].response.pk  # the same token twice in one call
    assert Response.objects.count() == 3


def test_a_token_of_another_consultation_is_refused_and_nothing_saved(consultation, home):
    other = make_consultation(home, title="Another", slug="another")
    taken = items(other, 1)
    submit_responses(consultation=other, items=taken)
    given = [*items(consultation, 2), NewResponse(answers=taken[0].answers, token=taken[0].token)]

    with pytest.raises(SubmissionRejected):
        submit_responses(consultation=consultation, items=given)

    assert Response.objects.filter(page=consultation).count() == 0


def test_a_missing_token_is_refused(consultation):
    given = [NewResponse(answers=items(consultation, 1)[0].answers, token="not-a-uuid")]

    with pytest.raises(SubmissionRejected):
        submit_responses(consultation=consultation, items=given)  # type: ignore[arg-type]
    assert not Response.objects.exists()


def test_online_answers_to_a_closed_consultation_are_refused_but_paper_ones_are_kept(consultation):
    consultation.opens_at = timezone.now() - timedelta(days=10)
    consultation.closes_at = timezone.now() - timedelta(days=1)
    consultation.save()

    with pytest.raises(ConsultationClosed):
        submit_responses(
            consultation=consultation,
            items=[*items(consultation, 2, source=Source.PAPER), *items(consultation, 1)],
        )
    assert not Response.objects.exists()

    results = submit_responses(
        consultation=consultation, items=items(consultation, 2, source=Source.PAPER)
    )
    assert {r.response.source for r in results} == {Source.PAPER}
