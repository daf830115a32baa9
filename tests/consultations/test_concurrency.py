"""Many young people answering at once lose nothing and store nothing twice (PostgreSQL only).

Threads call ``submit_response`` at the same time, each on its own database connection, as
gunicorn workers and threads would. SQLite serialises every write, so it cannot show a race:
these tests run only when the suite runs on PostgreSQL (``DATABASE_URL=postgres://...``).
"""

import threading
import uuid
from collections import Counter
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test import Client

from consultations.forms import new_token
from consultations.models import Answer, ConsultationPage, QuestionKind, Response
from consultations.services import RawAnswer, submit_response
from consultations.services import responses as responses_service
from consultations.views import REFERENCE_SALT
from tests.factories import make_consultation

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite serialises writes, so it cannot show a race "
        "(run with DATABASE_URL=postgres://...)",
    ),
    # The threads' writes must really commit to be seen by one another, so no test transaction;
    # serialized rollback puts back what the migrations made (root page, role groups) afterwards.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 8
SUBMISSIONS_PER_THREAD = 25
SAME_TOKEN_ROUNDS = 10
JOIN_TIMEOUT = 120
ANSWERS_PER_SUBMISSION = 3  # see answers_for
LONG_TEXT = QuestionKind.LONG_TEXT


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe", slug="feeling-safe")


def answers_for(consultation, n: int) -> dict[int, RawAnswer]:
    """Three answers that tell submissions apart: required text, a choice and a rating."""
    by_kind = {q.kind: q for q in consultation.ordered_questions()}
    return {
        by_kind[QuestionKind.LONG_TEXT].pk: RawAnswer.of(f"Answer number {n}"),
        by_kind[QuestionKind.SINGLE_CHOICE].pk: RawAnswer.of(["Bus", "Walk", "Car"][n % 3]),
        by_kind[QuestionKind.RATING].pk: RawAnswer.of(str(n % 5 + 1)),
    }


def run_in_threads(count: int, work, barrier: threading.Barrier) -> list[BaseException]:
    """Run ``work(i)`` in ``count`` threads; return what they raised.

    A thread that fails breaks ``barrier``, so the others stop waiting for it. Each thread closes
    its own database connection when it finishes, or PostgreSQL would refuse to drop the test
    database at the end of the run while those connections stayed open.
    """
    errors: list[BaseException] = []

    def target(i):
        try:
            work(i)
        except BaseException as error:
            errors.append(error)
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,), daemon=True) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT)
    stuck = [thread.name for thread in threads if thread.is_alive()]
    assert not stuck, f"threads still running after {JOIN_TIMEOUT}s: {stuck}"
    return errors


def test_concurrent_submissions_with_their_own_tokens_are_all_kept(consultation):
    results = []  # list.append is atomic in CPython
    start = threading.Barrier(THREADS, timeout=60)

    def submit_many(thread: int):
        page = ConsultationPage.objects.get(pk=consultation.pk)  # this thread's own copy
        start.wait()
        for k in range(SUBMISSIONS_PER_THREAD):
            n = thread * SUBMISSIONS_PER_THREAD + k
            token = uuid.uuid4()
            result = submit_response(consultation=page, answers=answers_for(page, n), token=token)
            results.append((token, n, result))

    errors = run_in_threads(THREADS, submit_many, start)

    assert errors == []
    total = THREADS * SUBMISSIONS_PER_THREAD
    assert len(results) == total
    assert all(result.created for _token, _n, result in results)
    assert Response.objects.filter(page=consultation).count() == total
    assert Answer.objects.filter(response__page=consultation).count() == (
        total * ANSWERS_PER_SUBMISSION
    )
    saved = {
        r.token: r
        for r in Response.objects.filter(page=consultation).prefetch_related("answers__question")
    }
    for token, n, result in results:
        response = saved[token]  # every acknowledged submission is in the database
        assert response.pk == result.response.pk
        assert response.reference == result.response.reference
        written = [a.text for a in response.answers.all() if a.question.kind == LONG_TEXT]
        assert written == [f"Answer number {n}"], "answers were saved against the wrong response"
    assert len({r.reference for r in saved.values()}) == total


def test_concurrent_submissions_keep_the_word_totals_exact(consultation):
    """Every submission adds to the same totals ("answer", "number") in its own transaction."""
    from consultations.analysis.text import terms
    from consultations.models import TermTotal

    start = threading.Barrier(THREADS, timeout=60)

    def submit_many(thread: int):
        page = ConsultationPage.objects.get(pk=consultation.pk)
        start.wait()
        for k in range(SUBMISSIONS_PER_THREAD):
            n = thread * SUBMISSIONS_PER_THREAD + k
            submit_response(consultation=page, answers=answers_for(page, n), token=uuid.uuid4())

    assert run_in_threads(THREADS, submit_many, start) == []
    answers = Answer.objects.filter(response__page=consultation).exclude(redacted_text="")
    assert answers.count() == THREADS * SUBMISSIONS_PER_THREAD
    assert not answers.filter(terms_counted=False).exists()
    expected: Counter = Counter()
    used: Counter = Counter()
    for answer in answers:
        for term, n in terms(answer.redacted_text).items():
            expected[answer.question_id, term] += n
            used[answer.question_id, term] += 1
    stored = {(t.question_id, t.term): (t.count, t.answers) for t in TermTotal.objects.all()}
    assert stored == {key: (expected[key], used[key]) for key in expected}
    assert stored[next(iter(stored))][1] > 1  # the totals really were shared
    # And every slice (all these answers share one day and one source) equals a recount.
    from tests.consultations.services.test_terms import expected_slices, slices

    assert slices() == expected_slices() != {}


def test_the_same_token_sent_at_the_same_moment_is_stored_once(consultation, monkeypatch):
    """Double clicks and retries arriving together, as close together as threads can make them."""
    tokens = [uuid.uuid4() for _ in range(SAME_TOKEN_ROUNDS)]
    # Count the attempts to save, to prove that threads really raced past the check for an
    # existing response; otherwise this test could pass without testing anything.
    attempts = Counter()
    save = responses_service._save

    def counting_save(consultation, token, *args, **kwargs):
        attempts[token] += 1
        return save(consultation, token, *args, **kwargs)

    monkeypatch.setattr(responses_service, "_save", counting_save)
    results = []
    barrier = threading.Barrier(THREADS, timeout=60)

    def submit_each_token(thread: int):
        page = ConsultationPage.objects.get(pk=consultation.pk)
        for n, token in enumerate(tokens):
            answers = answers_for(page, n)
            barrier.wait()  # every thread sends this token together
            result = submit_response(consultation=page, answers=answers, token=token)
            results.append((token, result))

    errors = run_in_threads(THREADS, submit_each_token, barrier)

    assert errors == []
    assert len(results) == THREADS * SAME_TOKEN_ROUNDS
    created = Counter(token for token, result in results if result.created)
    assert created == Counter(dict.fromkeys(tokens, 1)), "one, and only one, save per token"
    stored = dict(Response.objects.filter(token__in=tokens).values_list("token", "pk"))
    assert len(stored) == len(tokens)
    for token, result in results:
        assert result.response.pk == stored[token], "a thread was told of a response not kept"
    assert Response.objects.filter(page=consultation).count() == len(tokens)
    assert Answer.objects.filter(response__page=consultation).count() == (
        len(tokens) * ANSWERS_PER_SUBMISSION
    )
    assert max(attempts.values()) > 1, "no two threads ever tried to save the same token at once"


def reference_in(response) -> str | None:
    """The reference code the thank-you page will show, from the redirect to it."""
    location = response.get("Location")
    if not location:
        return None
    signed = parse_qs(urlsplit(location).query)["ref"][0]
    return signing.loads(signed, salt=REFERENCE_SALT)


def test_double_clicks_through_the_web_form_at_the_same_moment_store_one_response(
    consultation,
):
    """The same form sent by several requests at once all reach the same thank-you page."""
    required = next(q for q in consultation.ordered_questions() if q.required)
    rounds = 5
    forms = [
        urlencode({"token": new_token(), required.field_name: f"Answer number {n}"})
        for n in range(rounds)
    ]
    replies = []
    barrier = threading.Barrier(THREADS, timeout=60)

    def post_each_form(thread: int):
        for body in forms:
            # A fresh session each round: a browser that has sent its answers is given back the
            # same response for any later form (consultations.services.sent_forms), so one
            # browser could not show five young people sending at once.
            client = Client()
            barrier.wait()
            response = client.post(
                consultation.url, body, content_type="application/x-www-form-urlencoded"
            )
            replies.append((body, response.status_code, reference_in(response)))

    errors = run_in_threads(THREADS, post_each_form, barrier)

    assert errors == []
    assert Counter(status for _body, status, _reference in replies) == {302: THREADS * rounds}
    stored = set(Response.objects.filter(page=consultation).values_list("reference", flat=True))
    for body in forms:
        references = {reference for sent, _status, reference in replies if sent == body}
        assert len(references) == 1, f"one form was given different references: {references}"
        assert references <= stored
    assert Response.objects.filter(page=consultation).count() == rounds
    assert Answer.objects.filter(response__page=consultation).count() == rounds
