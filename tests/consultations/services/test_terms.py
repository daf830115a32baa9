"""Stored term counts: counted once from redacted text, totals exact through every change."""

import io
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultations.analysis.text import terms
from consultations.models import (
    Answer,
    AnswerTerm,
    QuestionKind,
    Response,
    Source,
    TermSlice,
    TermTotal,
)
from consultations.safeguarding.models import ConcernStatus, SafeguardingConcern, Severity
from consultations.safeguarding.services import (
    concern_answer_release,
    concern_answer_withhold,
)
from consultations.services import RawAnswer, submit_response
from consultations.services.imports import import_responses, read_answer_file, undo_import
from consultations.services.retention import purge_expired_responses
from consultations.services.terms import (
    count_answer_terms,
    count_uncounted,
    recount_all,
    recount_question,
    set_answer_held,
    terms_version,
    uncount_answers,
)
from tests.factories import UserFactory, make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(home):
    return make_consultation(home)


def long_text(consultation):
    return consultation.questions.get(kind=QuestionKind.LONG_TEXT)


def totals(question=None) -> dict[tuple[int, str], tuple[int, int]]:
    rows = TermTotal.objects.all()
    if question is not None:
        rows = rows.filter(question=question)
    return {(t.question_id, t.term): (t.count, t.answers) for t in rows}


def expected_totals() -> dict[tuple[int, str], tuple[int, int]]:
    """What the totals must be, straight from the redacted text of the answers that count."""
    count: Counter = Counter()
    used: Counter = Counter()
    live = Answer.objects.filter(held=False, response__text_purged_at__isnull=True)
    for answer in live.exclude(redacted_text=""):
        for term, n in terms(answer.redacted_text).items():
            count[answer.question_id, term] += n
            used[answer.question_id, term] += 1
    return {key: (count[key], used[key]) for key in count}


def slices() -> dict[tuple[int, str, str, str], tuple[int, int]]:
    return {
        (s.question_id, s.dimension, s.value, s.term): (s.count, s.answers)
        for s in TermSlice.objects.all()
    }


def expected_slices() -> dict[tuple[int, str, str, str], tuple[int, int]]:
    """What the slices must be, straight from the answers that count and their responses."""
    count: Counter = Counter()
    used: Counter = Counter()
    live = Answer.objects.filter(held=False, response__text_purged_at__isnull=True)
    for answer in live.exclude(redacted_text="").select_related("response"):
        response = answer.response
        values = [
            ("age_band", response.age_band),
            ("area", response.area),
            ("source", response.source),
            ("day", timezone.localtime(response.submitted_at).date().isoformat()),
        ]
        values += [
            (
                f"{first}+{second}",
                f"{getattr(response, first)}\x1f{getattr(response, second)}"
                if getattr(response, first) and getattr(response, second)
                else "",
            )
            for first, second in (("age_band", "area"), ("age_band", "source"), ("source", "area"))
        ]
        for dimension, value in values:
            if not value:
                continue
            key = (answer.question_id, dimension, value)
            count[*key, ""] += 1
            used[*key, ""] += 1
            for term, n in terms(answer.redacted_text).items():
                count[*key, term] += n
                used[*key, term] += 1
    return {key: (count[key], used[key]) for key in count}


def add_answer(consultation, text, *, held=False, redacted=None, **response_fields):
    response = Response.objects.create(page=consultation, token=uuid.uuid4(), **response_fields)
    return Answer.objects.create(
        response=response,
        question=long_text(consultation),
        text=text,
        redacted_text=text if redacted is None else redacted,
        held=held,
    )


def submit(consultation, text, **kwargs):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return submit_response(
            consultation=consultation,
            answers={long_text(consultation).pk: RawAnswer.of(text)},
            token=uuid.uuid4(),
            **kwargs,
        ).response


def submit_holding_back_commit_hooks(consultation, text):
    """Submit, and return the response with what would run after the commit, not yet run."""
    with TestCase.captureOnCommitCallbacks(execute=False) as after_commit:
        response = submit_response(
            consultation=consultation,
            answers={long_text(consultation).pk: RawAnswer.of(text)},
            token=uuid.uuid4(),
        ).response
    return response, after_commit


def test_a_submitted_answer_is_counted_from_its_redacted_text(consultation):
    response = submit(consultation, "Mr Jones should run a youth club, me@example.com")
    answer = response.answers.get()
    assert answer.terms_counted
    assert "[name]" in answer.redacted_text and "[email]" in answer.redacted_text
    stored = dict(AnswerTerm.objects.filter(answer=answer).values_list("term", "count"))
    assert stored["youth club"] == 1
    assert "run" in stored
    assert not {"jones", "mr", "name", "email", "me", "example", "com"} & set(stored)
    assert totals() == expected_totals()


def test_a_submission_is_counted_in_its_own_transaction_without_a_task(consultation, monkeypatch):
    from consultations.services import terms as terms_service

    queued = []
    monkeypatch.setattr(terms_service, "enqueue_count", queued.append)
    response, _ = submit_holding_back_commit_hooks(consultation, "more buses and more bus stops")
    answer = response.answers.get()
    assert answer.terms_counted
    assert queued == []
    assert totals() == expected_totals() != {}


def test_when_counting_at_submission_fails_the_answer_is_kept_and_counted_later(
    consultation, monkeypatch, caplog
):
    from django.db import DatabaseError

    from consultations.services import terms as terms_service

    def broken(table, deltas):
        raise DatabaseError("deadlock detected")

    monkeypatch.setattr(terms_service._RunningTotals, "add", broken)
    response, after_commit = submit_holding_back_commit_hooks(consultation, "a skate park please")
    answer = response.answers.get()
    assert answer.text == "a skate park please"
    assert not answer.terms_counted
    assert not AnswerTerm.objects.exists() and not TermTotal.objects.exists()
    assert not TermSlice.objects.exists()
    assert "Counting the terms of answers as they were saved failed" in caplog.text
    monkeypatch.undo()
    for callback in after_commit:  # the queued count runs once the submission commits
        callback()
    answer.refresh_from_db()
    assert answer.terms_counted
    assert totals() == expected_totals() != {}
    assert slices() == expected_slices() != {}


def test_a_held_submission_is_counted_but_kept_out_of_the_totals(consultation):
    response = submit(consultation, "i want to kill myself tonight, more buses please")
    answer = response.answers.get()
    assert answer.held and answer.terms_counted
    assert AnswerTerm.objects.filter(answer=answer).exists()
    assert totals() == {}


def test_counting_twice_stores_the_terms_once(consultation):
    answer = add_answer(consultation, "buses buses and more buses")
    assert count_answer_terms([answer.pk]) == 1
    assert count_answer_terms([answer.pk, answer.pk]) == 0
    assert list(AnswerTerm.objects.values_list("term", "count")) == [("bus", 3)]
    assert totals() == {(answer.question_id, "bus"): (3, 1)}


def test_the_raw_text_is_never_read(consultation):
    answer = add_answer(consultation, "Mr Smith is rubbish", redacted="[name] is rubbish")
    count_answer_terms([answer.pk])
    assert set(AnswerTerm.objects.values_list("term", flat=True)) == {"rubbish"}


def test_held_answers_are_stored_but_never_in_the_totals(consultation):
    kept = add_answer(consultation, "more youth clubs")
    held = add_answer(consultation, "youth club and knife crime", held=True)
    count_answer_terms([kept.pk, held.pk])
    assert AnswerTerm.objects.filter(answer=held).exists()
    question = kept.question_id
    assert totals() == {(question, "youth club"): (1, 1)}


def test_releasing_and_holding_again_move_the_counts_in_and_out(consultation):
    answer = add_answer(consultation, "knife crime near the park", held=True)
    count_answer_terms([answer.pk])
    assert totals() == {}
    assert set_answer_held(answer_id=answer.pk, held=False)
    assert totals() == {
        (answer.question_id, "knife crime"): (1, 1),
        (answer.question_id, "near"): (1, 1),
        (answer.question_id, "park"): (1, 1),
    }
    assert not set_answer_held(answer_id=answer.pk, held=False)  # no change, counted once
    assert set_answer_held(answer_id=answer.pk, held=True)
    assert totals() == {}


def test_the_safeguarding_queue_keeps_the_totals_exact(consultation):
    lead = UserFactory(roles=[roles.SAFEGUARDING_LEADS])
    answer = add_answer(consultation, "the bus station is scary at night", held=True)
    count_answer_terms([answer.pk])
    concern = SafeguardingConcern.objects.create(
        consultation=consultation,
        response=answer.response,
        answer=answer,
        severity=Severity.CONCERN,
        status=ConcernStatus.NEW,
        categories=["abuse_neglect"],
        spans=[],
    )
    concern_answer_release(concern_id=concern.pk, user=lead, note="Checked, safe to use")
    assert totals() == expected_totals() != {}
    assert (answer.question_id, "bus station") in totals()
    concern_answer_withhold(concern_id=concern.pk, user=lead, note="On reflection, keep out")
    assert totals() == expected_totals() == {}


def test_uncounting_takes_answers_out_before_they_go(consultation):
    one = add_answer(consultation, "youth club youth club")
    two = add_answer(consultation, "youth club")
    count_answer_terms([one.pk, two.pk])
    assert totals() == {(one.question_id, "youth club"): (3, 2)}
    assert uncount_answers(Answer.objects.filter(pk=one.pk)) == 1
    assert totals() == {(one.question_id, "youth club"): (1, 1)}
    assert not AnswerTerm.objects.filter(answer=one).exists()
    one.refresh_from_db()
    assert not one.terms_counted
    uncount_answers(Answer.objects.filter(pk=two.pk))
    assert totals() == {}  # a total that reaches nothing is deleted, as a recount would


def test_undoing_an_import_takes_its_answers_out_of_the_totals(consultation):
    staying = submit(consultation, "street lights in the park")
    question = long_text(consultation)
    upload = SimpleUploadedFile(
        "paper.csv",
        f"{question.text}\nstreet lights please\nyouth club on fridays\n".encode(),
        content_type="text/csv",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        batch = import_responses(
            consultation=consultation,
            parsed=read_answer_file(file=upload),
            mapping={0: question.pk},
            source=Source.PAPER,
            user=UserFactory(),
        )
    assert totals()[question.pk, "street lights"] == (2, 2)
    undo_import(batch=batch, user=UserFactory())
    assert totals() == expected_totals()
    assert totals()[question.pk, "street lights"] == (1, 1)
    assert (question.pk, "youth club") not in totals()
    assert staying.answers.get().terms_counted


def test_the_retention_purge_takes_the_words_out_of_the_totals(home):
    now = timezone.now()
    closed = make_consultation(
        home,
        slug="closed",
        opens_at=now - timedelta(days=900),
        closes_at=now - timedelta(days=800),
        retention_days=730,
    )
    answer = add_answer(closed, "the youth club closed", source=Source.PAPER)
    count_answer_terms([answer.pk])
    assert totals() != {}
    purge_expired_responses(now=now)
    answer.refresh_from_db()
    assert answer.redacted_text == ""
    assert totals() == {}
    assert not AnswerTerm.objects.exists()
    assert count_answer_terms([answer.pk]) == 0  # purged answers never count again


def test_recount_repairs_totals_that_went_wrong(consultation):
    answer = add_answer(consultation, "mental health support")
    count_answer_terms([answer.pk])
    TermTotal.objects.filter(term="support").update(count=99)
    TermTotal.objects.create(question=answer.question, term="ghost", count=1, answers=1)
    assert recount_question(answer.question) == 2
    assert totals() == expected_totals()


def test_count_uncounted_catches_up_in_batches(consultation):
    answers = [add_answer(consultation, f"bus number {n} is late") for n in range(5)]
    add_answer(consultation, "")  # nothing to count
    assert count_uncounted(consultation=consultation, batch_size=2) == 5
    assert all(a.terms_counted for a in Answer.objects.filter(pk__in=[a.pk for a in answers]))
    assert totals() == expected_totals()


def test_counts_changing_moves_the_cloud_version_on(consultation, settings):
    settings.WORD_CLOUD_REFRESH_SECONDS = 60
    first = terms_version(consultation.pk)
    assert terms_version(consultation.pk) == first
    with TestCase.captureOnCommitCallbacks(execute=True):
        count_answer_terms([add_answer(consultation, "skate park").pk])
    second = terms_version(consultation.pk)
    assert second > first
    with TestCase.captureOnCommitCallbacks(execute=True):
        count_answer_terms([add_answer(consultation, "skate park again").pk])
    # Throttled: within the refresh period the version, and so the cached cloud, stays.
    assert terms_version(consultation.pk) == second


TEXTS = [
    "more youth clubs and things to do",
    "knife crime knife crime near the bus station",
    "the buses are always late",
    "mental health waiting lists are too long",
    "",
    "[name] said the park is not safe",
    "parties, parties, parties",
]

#: The responses' about-you, source and time: one with no age band or area, one sent at 23:30
#: UTC on a summer night (the next day in London, which is the day its slice counts it under).
PROFILES = [
    {},
    {"age_band": "13 to 15", "area": "Mendip", "source": Source.PAPER},
    {
        "age_band": "16 to 18",
        "area": "Mendip",
        "submitted_at": datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
    },
]

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("add"),
            st.integers(0, len(TEXTS) - 1),
            st.booleans(),
            st.integers(0, len(PROFILES) - 1),
        ),
        st.tuples(
            st.sampled_from(["hold", "release", "delete", "purge", "count"]), st.integers(0, 20)
        ),
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=operations)
def test_running_totals_and_slices_always_equal_a_full_recount(consultation, steps):
    Response.objects.all().delete()
    TermTotal.objects.all().delete()
    TermSlice.objects.all().delete()
    live: list[int] = []
    for step in steps:
        action = step[0]
        if action == "add":
            answer = add_answer(consultation, TEXTS[step[1]], held=step[2], **PROFILES[step[3]])
            live.append(answer.pk)
            count_answer_terms([answer.pk])
            continue
        if not live:
            continue
        pk = live[step[1] % len(live)]
        if action in ("hold", "release"):
            set_answer_held(answer_id=pk, held=action == "hold")
        elif action == "delete":
            uncount_answers(Answer.objects.filter(pk=pk))
            Response.objects.filter(answers__pk=pk).delete()
            live.remove(pk)
        elif action == "purge":
            uncount_answers(Answer.objects.filter(pk=pk))
            Answer.objects.filter(pk=pk).update(text="", redacted_text="")
        else:
            count_answer_terms([pk])  # counting again changes nothing
    running, running_slices = totals(), slices()
    assert running == expected_totals()
    assert running_slices == expected_slices()
    recount_all()
    assert totals() == running
    assert slices() == running_slices


def test_recount_terms_command_counts_missed_answers_and_repairs_totals(consultation):
    counted = add_answer(consultation, "youth club")
    count_answer_terms([counted.pk])
    add_answer(consultation, "skate park and youth club")  # never counted
    TermTotal.objects.update(count=50)
    out = io.StringIO()
    call_command("recount_terms", stdout=out)
    assert "Counted the terms of 1 answers" in out.getvalue()
    assert totals() == expected_totals()
    assert totals()[counted.question_id, "youth club"] == (2, 2)


def test_recount_terms_again_counts_every_answer_afresh(consultation):
    answer = add_answer(consultation, "bus station")
    count_answer_terms([answer.pk])
    AnswerTerm.objects.update(term="old word")  # as if the word lists had changed
    recount_question(answer.question)
    call_command(
        "recount_terms", "--again", "--consultation", str(consultation.pk), stdout=io.StringIO()
    )
    assert list(AnswerTerm.objects.values_list("term", flat=True)) == ["bus station"]
    assert totals() == expected_totals()


def test_recount_terms_refuses_an_unknown_consultation():
    with pytest.raises(CommandError, match="no consultation with the id 999999"):
        call_command("recount_terms", "--consultation", "999999")


def test_load_demo_ends_with_every_demo_answer_counted():
    call_command("load_demo", stdout=io.StringIO())
    written = Answer.objects.exclude(redacted_text="")
    assert written.exists()
    assert not written.filter(terms_counted=False).exists()
    assert totals() == expected_totals()
