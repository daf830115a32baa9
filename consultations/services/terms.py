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

and the same for every ``TermSlice``, over those answers whose response has the slice's value
(age band, area, source, day submitted, or a pair of the first three), with its ``ANSWERS`` row
counting the answers. Every
change above moves the slices with the totals, in the same statements' transaction.

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
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone

from consultations import background
from consultations.analysis.text import terms
from consultations.models import (
    SLICE_PAIRS,
    Answer,
    AnswerTerm,
    Question,
    SliceDimension,
    TermSlice,
    TermTotal,
    pair_value,
)

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
        .values_list("pk", "question_id", "held", "redacted_text", *_RESPONSE_FIELDS)
    )
    if not answers:
        return 0
    ids = [pk for pk, *_ in answers]
    if Answer.objects.filter(pk__in=ids, terms_counted=False).update(terms_counted=True) != len(
        ids
    ):
        raise _Raced
    _store_terms((pk, q, held, text, slice_keys(*about)) for pk, q, held, text, *about in answers)
    mark_terms_changed(_consultations_of(ids))
    return len(ids)


#: The response's fields a slice is kept for, in ``slice_keys``'s order.
_RESPONSE_FIELDS = (
    "response__age_band",
    "response__area",
    "response__source",
    "response__submitted_at",
)

SliceKey = tuple[str, str]


def slice_keys(
    age_band: str, area: str, source: str, submitted_at: datetime | None
) -> tuple[SliceKey, ...]:
    """The ``(dimension, value)`` slices a response's answers count in: one per filter it has a
    value for, the day by the wall clock of ``TIME_ZONE`` (as the report's date filter reads),
    and one per pair of ``SLICE_PAIRS`` it has both values for."""
    about = {"age_band": age_band, "area": area, "source": source}
    keys = [
        (dimension, value)
        for dimension, value in (
            (SliceDimension.AGE_BAND, age_band),
            (SliceDimension.AREA, area),
            (SliceDimension.SOURCE, source),
        )
        if value
    ]
    if submitted_at is not None:
        day = timezone.localtime(submitted_at, timezone.get_default_timezone()).date()
        keys.append((SliceDimension.DAY, day.isoformat()))
    for dimension, (first, second) in SLICE_PAIRS.items():
        value = pair_value(about[first], about[second])
        if value is not None:
            keys.append((dimension, value))
    return tuple(keys)


class _Deltas:
    """What a change adds to (or takes from) the totals and the slices, built answer by answer."""

    def __init__(self) -> None:
        self.totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        self.slices: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])

    def add(self, question_id: int, keys: Iterable[SliceKey], counts: dict[str, int]) -> None:
        """One answer that counts: its ``{term: times used}`` under its question and slices."""
        for dimension, value in keys:
            _bump(self.slices, (question_id, dimension, value, TermSlice.ANSWERS), 1)
            for term, count in counts.items():
                _bump(self.slices, (question_id, dimension, value, term), count)
        for term, count in counts.items():
            _bump(self.totals, (question_id, term), count)

    def apply(self, *, sign: int) -> None:
        for table, deltas in ((_TOTALS, self.totals), (_SLICES, self.slices)):
            if sign > 0:
                table.add(deltas)
            else:
                table.take_away(deltas)


def _bump(deltas: dict[tuple, list[int]], key: tuple, count: int) -> None:
    """One more answer under ``key``, using it ``count`` times."""
    delta = deltas[key]
    delta[0] += count
    delta[1] += 1


def _store_terms(answers: Iterable[tuple[int, int, bool, str, tuple[SliceKey, ...]]]) -> None:
    """Store the terms of ``(answer id, question id, held, redacted text, slice keys)`` and add
    those of the answers not held to the totals and slices. The caller has claimed the answers
    (``terms_counted``)."""
    rows, deltas = [], _Deltas()
    for pk, question_id, held, text, keys in answers:
        counts = terms(text)
        rows.extend((pk, term, count) for term, count in counts.items())
        if not held:
            deltas.add(question_id, keys, counts)
    _insert_answer_terms(rows)
    deltas.apply(sign=1)


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
            _store_terms(
                (a.pk, a.question_id, a.held, a.redacted_text, _keys_of(a.response))
                for a in counted
            )
    except Exception:
        logger.exception("Counting the terms of answers as they were saved failed; queued instead.")
        ids = [a.pk for a in counted]
        Answer.objects.filter(pk__in=ids).update(terms_counted=False)
        enqueue_count(ids)
        return False
    mark_terms_changed([consultation_id])
    return True


def _keys_of(response) -> tuple[SliceKey, ...]:
    return slice_keys(response.age_band, response.area, response.source, response.submitted_at)


@dataclass(frozen=True)
class _RunningTotals:
    """A table of running totals keyed by ``fields`` (question first, term last), with ``count``
    and ``answers`` columns: ``TermTotal`` and ``TermSlice``."""

    model: type[models.Model]
    fields: tuple[str, ...]

    def add(self, deltas: dict[tuple, list[int]]) -> None:
        """Add ``{key: [count, answers]}``, creating the rows not there: one ``INSERT ... ON
        CONFLICT DO UPDATE`` per 500 rows (in PostgreSQL and SQLite alike), in key order so two
        writers wait for each other rather than deadlock."""
        if not deltas:
            return
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        keys = [quote(self.model._meta.get_field(name).column) for name in self.fields]
        c, a = (quote(self.model._meta.get_field(name).column) for name in ("count", "answers"))
        columns = ", ".join([*keys, c, a])
        placeholders = "(" + ", ".join(["%s"] * (len(keys) + 2)) + ")"
        items = sorted(deltas.items())
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            params = [v for key, (count, used) in chunk for v in (*key, count, used)]
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608
                    f"{', '.join([placeholders] * len(chunk))} "
                    f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {c} = {table}.{c} + "
                    f"EXCLUDED.{c}, {a} = {table}.{a} + EXCLUDED.{a}",
                    params,
                )

    def take_away(self, deltas: dict[tuple, list[int]]) -> None:
        """Take ``{key: [count, answers]}`` away: the rows are locked in key order (the order
        ``add`` goes in, so the two cannot deadlock on a database whose collation sorts by code
        point, as PostgreSQL's "C" ones do), changed in Python and written back in bulk; rows
        that reach no answers are deleted, so the table always equals a recount."""
        if not deltas:
            return
        questions = {key[0] for key in deltas}
        words = {key[-1] for key in deltas}
        locked = (
            self.model.objects.select_for_update()
            .filter(question_id__in=questions, term__in=words)
            .order_by(*self.fields)
        )
        existing = {tuple(getattr(row, f) for f in self.fields): row for row in locked}
        changed, emptied = [], []
        for key, (count, used) in sorted(deltas.items()):
            row = existing.get(key)
            if row is None:
                continue  # nothing to take away from (repaired by recount_question)
            row.count = max(row.count - count, 0)
            row.answers = max(row.answers - used, 0)
            (emptied if row.answers == 0 else changed).append(row)
        if changed:
            self.model.objects.bulk_update(changed, ["count", "answers"], batch_size=1000)
        if emptied:
            self.model.objects.filter(pk__in=[row.pk for row in emptied]).delete()


_TOTALS = _RunningTotals(TermTotal, ("question_id", "term"))
_SLICES = _RunningTotals(TermSlice, ("question_id", "dimension", "value", "term"))


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
    _deltas(not_held).apply(sign=-1)
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
        _deltas([answer_id]).apply(sign=-1 if held else 1)
        mark_terms_changed(_consultations_of([answer_id]))
    return True


def _deltas(answer_ids: list[int]) -> _Deltas:
    """What these answers (counted) add to the totals and slices, from their stored terms."""
    deltas = _Deltas()
    if not answer_ids:
        return deltas
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for answer_id, term, count in AnswerTerm.objects.filter(answer_id__in=answer_ids).values_list(
        "answer_id", "term", "count"
    ):
        counts[answer_id][term] = count
    for pk, question_id, *about in Answer.objects.filter(pk__in=answer_ids).values_list(
        "pk", "question_id", *_RESPONSE_FIELDS
    ):
        deltas.add(question_id, slice_keys(*about), counts.get(pk, {}))
    return deltas


# Repair


@transaction.atomic
def recount_question(question: Question | int) -> int:
    """Rebuild a question's totals and slices from its stored ``AnswerTerm`` rows; return how
    many terms it has totals for."""
    question_id = getattr(question, "pk", question)
    Question.objects.select_for_update().filter(pk=question_id).first()
    deltas = _recount(question_id)
    TermTotal.objects.filter(question_id=question_id).delete()
    TermTotal.objects.bulk_create(
        (
            TermTotal(question_id=question_id, term=term, count=count, answers=used)
            for (_, term), (count, used) in sorted(deltas.totals.items())
        ),
        batch_size=1000,
    )
    TermSlice.objects.filter(question_id=question_id).delete()
    TermSlice.objects.bulk_create(
        (
            TermSlice(
                question_id=question_id, dimension=dimension, value=value, term=term,
                count=count, answers=used,
            )
            for (_, dimension, value, term), (count, used) in sorted(deltas.slices.items())
        ),
        batch_size=1000,
    )  # fmt: skip
    mark_terms_changed(
        Question.objects.filter(pk=question_id).values_list("page_id", flat=True).distinct()
    )
    return len(deltas.totals)


def _recount(question_id: int) -> _Deltas:
    """A question's answers that count and their stored terms, added up in one pass: both
    read in order of answer, a batch at a time."""
    answers = (
        Answer.objects.filter(question_id=question_id, held=False, terms_counted=True)
        .order_by("pk")
        .values_list("pk", *_RESPONSE_FIELDS)
    )
    stored = (
        AnswerTerm.objects.filter(
            answer__question_id=question_id, answer__held=False, answer__terms_counted=True
        )
        .order_by("answer_id")
        .values_list("answer_id", "term", "count")
    )
    deltas = _Deltas()
    rows = iter(stored.iterator(chunk_size=5000))
    row = next(rows, None)
    for pk, *about in answers.iterator(chunk_size=5000):
        counts = {}
        while row is not None and row[0] <= pk:
            if row[0] == pk:
                counts[row[1]] = row[2]
            row = next(rows, None)
        deltas.add(question_id, slice_keys(*about), counts)
    return deltas


def recount_all() -> int:
    """Rebuild every question's totals; return how many questions were recounted."""
    question_ids = (
        set(TermTotal.objects.values_list("question_id", flat=True))
        | set(TermSlice.objects.values_list("question_id", flat=True))
        | set(AnswerTerm.objects.values_list("answer__question_id", flat=True))
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
