"""Stored term counts: each answer's terms counted once, and each question's totals kept exact.

How it fits together
--------------------
- ``count_saved_answers(answers)`` counts a submission's answers inside the transaction that
  saves them (``submit_response``): it reads ``Answer.redacted_text`` — never the raw ``text`` —
  through ``analysis.text.terms``, stores one ``AnswerTerm`` row per term and adds to the
  question's ``TermTotal`` rows in one statement, in a savepoint. If that fails, the savepoint
  is undone, the answers are marked not counted and ``enqueue_count`` counts them later, so a
  counting problem never loses or delays an answer.
- ``count_answer_terms(answer_ids)`` (run by ``tasks.count_answer_terms_task``, by
  ``count_uncounted`` and by ``manage.py recount_terms``) does the same for answers already
  saved, in a transaction of its own, with the answers locked.
- Held answers keep their ``AnswerTerm`` rows but are left out of ``TermTotal`` and of every
  read: ``set_answer_held`` moves an answer's counts out of (or back into) the totals.
- ``uncount_answers(queryset)`` takes answers out before they are deleted (import undo) or
  blanked (retention purge): their ``AnswerTerm`` rows go and the totals shrink to match.
- ``recount_question`` / ``recount_all`` rebuild ``TermTotal`` from ``AnswerTerm``: the repair
  (``manage.py recount_terms``) and what the tests compare the running totals with.

The invariant, for every question and term::

    TermTotal(count, answers) == Sum(AnswerTerm.count), Count(AnswerTerm) over answers that are
                                 terms_counted and not held

Two workers never count an answer twice: the answers are locked (``select_for_update``, a row
lock on PostgreSQL) and claimed with a conditional update (``terms_counted=False`` ->
``True``); if another worker claimed one first the transaction is undone and tried again.

If the word lists in ``analysis/data/text/`` change, the stored terms are out of date: delete
them and count again with ``manage.py recount_terms --again``.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, QuerySet, Sum

from consultations import background
from consultations.analysis.text import terms
from consultations.models import Answer, AnswerTerm, Question, TermTotal

__all__ = [
    "count_answer_terms",
    "count_saved_answers",
    "count_uncounted",
    "enqueue_count",
    "mark_terms_changed",
    "recount_all",
    "recount_question",
    "set_answer_held",
    "terms_version",
    "uncount_answers",
]

logger = logging.getLogger(__name__)

#: Answers counted per transaction by ``count_uncounted``.
BATCH_SIZE = 500

_ATTEMPTS = 3


class _Raced(Exception):
    """Another worker claimed or created a row first; the transaction is tried again."""


# Writing


def count_answer_terms(answer_ids: Iterable[int]) -> int:
    """Count and store the terms of these answers; return how many answers were counted.

    Skipped, so it is safe to call again or from two workers at once: answers already counted,
    answers with no redacted text, answers of responses whose words were purged.
    """
    answer_ids = sorted(set(answer_ids))
    if not answer_ids:
        return 0
    for attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                return _count(answer_ids)
        except (_Raced, IntegrityError):
            if attempt == _ATTEMPTS - 1:
                raise
    return 0  # pragma: no cover (the loop returns or raises)


def _count(answer_ids: list[int]) -> int:
    answers = list(
        Answer.objects.select_for_update()
        .filter(pk__in=answer_ids, terms_counted=False, response__text_purged_at__isnull=True)
        .exclude(redacted_text="")
        .order_by("pk")
        .values_list("pk", "question_id", "held", "redacted_text")
    )
    if not answers:
        return 0
    ids = [pk for pk, *_ in answers]
    if Answer.objects.filter(pk__in=ids, terms_counted=False).update(terms_counted=True) != len(
        ids
    ):
        raise _Raced
    _store_terms(answers)
    mark_terms_changed(_consultations_of(ids))
    return len(ids)


def _store_terms(answers: Iterable[tuple[int, int, bool, str]]) -> None:
    """Store the terms of ``(answer id, question id, held, redacted text)`` and add those of
    the answers not held to the totals. The caller has claimed the answers (``terms_counted``)."""
    rows, deltas = [], defaultdict(lambda: [0, 0])
    for pk, question_id, held, text in answers:
        for term, count in terms(text).items():
            rows.append((pk, term, count))
            if not held:
                delta = deltas[question_id, term]
                delta[0] += count
                delta[1] += 1
    _insert_answer_terms(rows)
    _add_totals(deltas)


def _insert_answer_terms(rows: list[tuple[int, str, int]]) -> None:
    """Insert ``(answer id, term, count)`` rows: one prepared ``INSERT`` run over all of them.

    ``bulk_create`` would build a model instance per row and SQL of hundreds of placeholders per
    batch, which is most of the time taken to save a batch of answers (the demo's 2,500 responses
    have about 45,000 terms). The values are parameters, never spliced into the SQL."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(AnswerTerm._meta.db_table)
    columns = ", ".join(
        quote(AnswerTerm._meta.get_field(name).column) for name in ("answer", "term", "count")
    )
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s)", rows)  # noqa: S608


def count_saved_answers(answers: Sequence[Answer], *, consultation_id: int) -> bool:
    """Count the terms of answers being saved, inside the transaction that saves them.

    Call it in that transaction, after the answers are inserted with ``terms_counted=True`` for
    every answer with redacted text (they are the only ones counted). Held answers get their
    ``AnswerTerm`` rows but stay out of the totals. Returns whether they were counted; if not
    (any error, say a deadlock on a busy total), everything it did is undone, the answers are
    marked not counted and queued for ``count_answer_terms`` after the commit.

    One statement adds to the totals (``INSERT ... ON CONFLICT DO UPDATE``, in PostgreSQL and
    SQLite alike), in (question, term) order so two submissions wait for each other rather than
    deadlock; that is the cost the web form pays, about a millisecond, rather than a second
    transaction and a task per submission.
    """
    counted = [a for a in answers if a.redacted_text]
    if not counted:
        return True
    try:
        with transaction.atomic():
            _store_terms((a.pk, a.question_id, a.held, a.redacted_text) for a in counted)
    except Exception:
        logger.exception("Counting the terms of answers as they were saved failed; queued instead.")
        ids = [a.pk for a in counted]
        Answer.objects.filter(pk__in=ids).update(terms_counted=False)
        enqueue_count(ids)
        return False
    mark_terms_changed([consultation_id])
    return True


def _add_totals(deltas: dict[tuple[int, str], list[int]]) -> None:
    """Add ``{(question, term): [count, answers]}`` to the totals, creating the ones not there."""
    if not deltas:
        return
    table = connection.ops.quote_name(TermTotal._meta.db_table)
    q, t, c, a = (
        connection.ops.quote_name(TermTotal._meta.get_field(name).column)
        for name in ("question", "term", "count", "answers")
    )
    items = sorted(deltas.items())
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        values = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
        params = [
            v for (question, term), (count, used) in chunk for v in (question, term, count, used)
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({q}, {t}, {c}, {a}) VALUES {values} "  # noqa: S608
                f"ON CONFLICT ({q}, {t}) DO UPDATE SET {c} = {table}.{c} + EXCLUDED.{c}, "
                f"{a} = {table}.{a} + EXCLUDED.{a}",
                params,
            )


def enqueue_count(answer_ids: Iterable[int]) -> None:
    """Count these answers' terms in the background once the current transaction commits."""
    answer_ids = sorted(set(answer_ids))
    if not answer_ids:
        return

    background.later("consultations.tasks.count_answer_terms_task", answer_ids)


def count_uncounted(*, consultation=None, batch_size: int | None = None) -> int:
    """Count every answer not counted yet (of one consultation, or all); return how many."""
    pending = Answer.objects.filter(
        terms_counted=False, response__text_purged_at__isnull=True
    ).exclude(redacted_text="")
    if consultation is not None:
        pending = pending.filter(question__page=consultation)
    ids = list(pending.order_by("pk").values_list("pk", flat=True))
    size = batch_size or BATCH_SIZE
    return sum(count_answer_terms(ids[i : i + size]) for i in range(0, len(ids), size))


@transaction.atomic
def uncount_answers(answers: QuerySet[Answer]) -> int:
    """Take these answers out of the counts; call it before deleting or blanking them.

    Their ``AnswerTerm`` rows are deleted, the totals shrink by what they added, and
    ``terms_counted`` goes back to ``False``. Returns how many answers were taken out.
    """
    wanted = list(answers.filter(terms_counted=True).values_list("pk", flat=True))
    locked = list(
        Answer.objects.select_for_update()
        .filter(pk__in=wanted, terms_counted=True)
        .order_by("pk")
        .values_list("pk", "held")
    )
    if not locked:
        return 0
    ids = [pk for pk, _ in locked]
    not_held = [pk for pk, held in locked if not held]
    consultations = _consultations_of(ids)
    _apply(_deltas(not_held), sign=-1)
    AnswerTerm.objects.filter(answer_id__in=ids).delete()
    Answer.objects.filter(pk__in=ids).update(terms_counted=False)
    mark_terms_changed(consultations)
    return len(ids)


@transaction.atomic
def set_answer_held(*, answer_id: int, held: bool) -> bool:
    """Hold an answer back from every output, or release it; keep the totals exact.

    The one way to change ``Answer.held`` after an answer is saved (the safeguarding queue
    calls it). Returns whether anything changed.
    """
    answer = (
        Answer.objects.select_for_update().only("pk", "held", "terms_counted").get(pk=answer_id)
    )
    if answer.held == held:
        return False
    Answer.objects.filter(pk=answer_id).update(held=held)
    if answer.terms_counted:
        _apply(_deltas([answer_id]), sign=-1 if held else 1)
        mark_terms_changed(_consultations_of([answer_id]))
    return True


def _deltas(answer_ids: list[int]) -> dict[tuple[int, str], list[int]]:
    deltas: dict[tuple[int, str], list[int]] = {}
    if not answer_ids:
        return deltas
    rows = (
        AnswerTerm.objects.filter(answer_id__in=answer_ids)
        .values("answer__question_id", "term")
        .annotate(total=Sum("count"), used=Count("answer_id"))
    )
    for row in rows:
        deltas[row["answer__question_id"], row["term"]] = [row["total"], row["used"]]
    return deltas


def _apply(deltas: dict[tuple[int, str], list[int]], *, sign: int) -> None:
    """Add (``sign=1``) or take away (``-1``) ``{(question, term): [count, answers]}``.

    Adding is one ``INSERT ... ON CONFLICT DO UPDATE`` (``_add_totals``), which creates missing
    totals without racing another worker. Taking away locks the existing totals in (question,
    term) order — the order ``_add_totals`` goes in, so the two cannot deadlock on a database
    whose collation sorts by code point, as PostgreSQL's "C" ones do — changes them in Python and
    writes them back in bulk; totals that reach zero are deleted, so the table always equals a
    recount.
    """
    if not deltas:
        return
    if sign > 0:
        _add_totals(deltas)
        return
    questions = {question for question, _ in deltas}
    words = {term for _, term in deltas}
    existing = {
        (total.question_id, total.term): total
        for total in TermTotal.objects.select_for_update()
        .filter(question_id__in=questions, term__in=words)
        .order_by("question_id", "term")
    }
    changed, emptied = [], []
    for key, (count, used) in sorted(deltas.items()):
        total = existing.get(key)
        if total is None:
            continue  # nothing to take away from (repaired by recount_question)
        total.count = max(total.count - count, 0)
        total.answers = max(total.answers - used, 0)
        (emptied if total.answers == 0 else changed).append(total)
    if changed:
        TermTotal.objects.bulk_update(changed, ["count", "answers"], batch_size=1000)
    if emptied:
        TermTotal.objects.filter(pk__in=[total.pk for total in emptied]).delete()


# Repair


@transaction.atomic
def recount_question(question: Question | int) -> int:
    """Rebuild a question's totals from its stored ``AnswerTerm`` rows; return how many terms."""
    question_id = getattr(question, "pk", question)
    Question.objects.select_for_update().filter(pk=question_id).first()
    rows = (
        AnswerTerm.objects.filter(
            answer__question_id=question_id, answer__held=False, answer__terms_counted=True
        )
        .values("term")
        .annotate(total=Sum("count"), used=Count("answer_id"))
        .order_by("term")
    )
    totals = [
        TermTotal(
            question_id=question_id, term=row["term"], count=row["total"], answers=row["used"]
        )
        for row in rows
    ]
    TermTotal.objects.filter(question_id=question_id).delete()
    TermTotal.objects.bulk_create(totals, batch_size=1000)
    mark_terms_changed(
        Question.objects.filter(pk=question_id).values_list("page_id", flat=True).distinct()
    )
    return len(totals)


def recount_all() -> int:
    """Rebuild every question's totals; return how many questions were recounted."""
    question_ids = set(TermTotal.objects.values_list("question_id", flat=True)) | set(
        AnswerTerm.objects.values_list("answer__question_id", flat=True)
    )
    for question_id in sorted(question_ids):
        recount_question(question_id)
    return len(question_ids)


# Cache versions for word clouds


def refresh_seconds() -> int:
    """How long a word cloud may be out of date: ``WORD_CLOUD_REFRESH_SECONDS`` (default 60).

    After answers are counted, held or removed, the next cloud asked for is drawn again, but at
    most once in this many seconds per consultation: while answers pour in, a cached cloud up to
    this old is shown instead of drawing one for every request.
    """
    return getattr(settings, "WORD_CLOUD_REFRESH_SECONDS", 60)


def _key(kind: str, consultation_id: int) -> str:
    return f"youthvoice:terms:{kind}:{consultation_id}"


def mark_terms_changed(consultation_ids: Iterable[int]) -> None:
    """Note, once the transaction commits, that these consultations' counts changed."""
    keys = {_key("changed", pk): 1 for pk in set(consultation_ids)}
    if keys:
        transaction.on_commit(lambda: cache.set_many(keys, timeout=None))


def terms_version(consultation_id: int) -> int:
    """The version of a consultation's counts, for cache keys of clouds drawn from them.

    It moves on when the counts have changed and ``refresh_seconds()`` have passed since it last
    moved (``cache.add`` of a short-lived key is the throttle, shared by every process that uses
    the same cache). It starts from the clock, so a cache that lost it never reuses an old one.
    """
    version_key = _key("version", consultation_id)
    cache.add(version_key, int(time.time() * 1000), timeout=None)
    if cache.get(_key("changed", consultation_id)) and cache.add(
        _key("refreshed", consultation_id), 1, timeout=refresh_seconds()
    ):
        cache.delete(_key("changed", consultation_id))
        try:
            return cache.incr(version_key)
        except ValueError:  # evicted between add and incr
            cache.add(version_key, int(time.time() * 1000), timeout=None)
    return cache.get(version_key) or 0


def _consultations_of(answer_ids: list[int]) -> list[int]:
    return list(
        Answer.objects.filter(pk__in=answer_ids)
        .values_list("question__page_id", flat=True)
        .distinct()
    )
