"""Coding answers into a codebook's themes: runs of the engine, people's codings, quality.

The engine (``consultations.analysis.theme_coding``) is plain Python; this module loads what it
needs from the database, calls it and writes the results.

**What an answer's themes are.** A person's coding wins over the machine's
(:func:`effective_codes`); the machine's codes are those of the codebook's *current* run only.

**Runs.** :func:`start_run` makes a ``CodingRun`` (status "running", not current);
:func:`run_coding` fits the engine on the non-gold human codings of released answers, scores
every released answer with redacted text in chunks of :data:`CHUNK_SIZE`, writes its
``MachineCode`` rows under the new run and updates ``done``/``total`` after every chunk, then, in
one transaction, marks it done and current and the previous run not current. Until that moment
nobody sees its codes, so a worker killed mid-run leaves a "running" run whose codes are never
shown; :func:`clean_stale_runs` marks such runs failed and deletes their codes, and running
again is always safe (a finished run is left alone; a re-run of an unfinished one starts over).

**Retraining.** :func:`record_coding` stores a person's coding; after every
:func:`retrain_every` (25 by default, setting ``YOUTHVOICE_CODING_RETRAIN_EVERY``) new
non-gold codings since the latest run started it starts a run and enqueues
``consultations.themes.tasks.run_coding_task`` when the transaction commits.

**What to ask next.** Each run stores, in ``CodingRun.queue``, the uncoded answers it was least
sure of (at most :data:`QUEUE_SIZE`), most unsure first, ties by answer id; :func:`next_answers`
walks that list, skipping answers coded or held since.

**Held answers** (``Answer.held``, waiting for a Safeguarding lead) are never coded, offered,
sampled, quoted or counted, and only ``Answer.redacted_text`` is ever read.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import background
from consultations.analysis import theme_coding as engine_lib
from consultations.analysis.quality import evaluate
from consultations.models import Answer
from consultations.themes.models import (
    Codebook,
    CodingRun,
    HumanCoding,
    MachineCode,
    RunStatus,
    Theme,
)
from consultations.themes.services.codebooks import PALETTE

logger = logging.getLogger(__name__)

#: Answers scored and written per chunk; progress is saved after each. Tests shrink it.
CHUNK_SIZE = 500
#: How many of the most uncertain uncoded answers a run keeps for the coding screen.
QUEUE_SIZE = 5_000
#: A run still "running" after this long is taken to be dead (its worker was killed).
STALE_AFTER = timedelta(hours=6)


def retrain_every() -> int:
    """New human codings between retrains (``YOUTHVOICE_CODING_RETRAIN_EVERY``, default 25)."""
    return int(getattr(settings, "YOUTHVOICE_CODING_RETRAIN_EVERY", 25))


# Which answers a codebook codes ----------------------------------------------------------------


def codable_answers(codebook: Codebook) -> QuerySet[Answer]:
    """The codebook's consultation's released answers that have redacted text to read."""
    if codebook.consultation_id is None:
        return Answer.objects.none()
    return Answer.objects.filter(response__page_id=codebook.consultation_id, held=False).exclude(
        redacted_text=""
    )


def current_run(codebook: Codebook) -> CodingRun | None:
    return CodingRun.objects.filter(codebook=codebook, is_current=True).first()


def latest_run(codebook: Codebook) -> CodingRun | None:
    return CodingRun.objects.filter(codebook=codebook).order_by("-started_at", "-pk").first()


def theme_specs(themes: Iterable[Theme]) -> list[engine_lib.ThemeSpec]:
    """The codebook's themes as the engine sees them (parents by name)."""
    themes = list(themes)
    names = {theme.pk: theme.name for theme in themes}
    return [
        engine_lib.ThemeSpec(
            name=theme.name,
            description=theme.description,
            keywords=tuple(k.strip() for k in theme.keywords.splitlines() if k.strip()),
            parent=names.get(theme.parent_id),
        )
        for theme in themes
    ]


# What an answer's themes are -------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerCodes:
    """One answer's themes (theme id → confidence) and whether a person chose them."""

    themes: dict[int, float]
    by_person: bool


def latest_codings(codebook: Codebook, *, gold: bool | None = None) -> dict[int, int]:
    """Answer id → the id of its latest coding by a person (the one that counts)."""
    codings = HumanCoding.objects.filter(codebook=codebook)
    if gold is not None:
        codings = codings.filter(gold=gold)
    order = codings.order_by("coded_at", "pk").values_list("pk", "answer_id")
    return {answer_id: pk for pk, answer_id in order}


def human_codings(codebook: Codebook, *, gold: bool | None = None) -> dict[int, frozenset[int]]:
    """Answer id → the theme ids a person gave it (empty: "none of these themes").

    ``gold=None`` takes both kinds; where an answer has both, the latest coding counts.
    """
    result: dict[int, set[int]] = {}
    latest = latest_codings(codebook, gold=gold)
    for answer_id in latest:
        result[answer_id] = set()
    links = HumanCoding.themes.through.objects.filter(humancoding_id__in=latest.values())
    owner = {pk: answer_id for answer_id, pk in latest.items()}
    for coding_id, theme_id in links.values_list("humancoding_id", "theme_id"):
        result[owner[coding_id]].add(theme_id)
    return {answer_id: frozenset(themes) for answer_id, themes in result.items()}


def machine_codes(run: CodingRun | None) -> dict[int, dict[int, float]]:
    """Answer id → theme id → score, from one run (an empty dict for no run)."""
    result: dict[int, dict[int, float]] = {}
    if run is None:
        return result
    rows = MachineCode.objects.filter(run=run).values_list("answer_id", "theme_id", "score")
    for answer_id, theme_id, score in rows.iterator(chunk_size=5_000):
        result.setdefault(answer_id, {})[theme_id] = score
    return result


def effective_codes(codebook: Codebook, *, released_only: bool = True) -> dict[int, AnswerCodes]:
    """Every coded released answer's themes: a person's where someone coded it (confidence 1.0,
    even "none of these"), else the current run's. Held answers are left out.

    ``released_only=False`` skips that check, for a caller that looks up only released answers
    anyway (it saves reading every answer id of a large consultation).
    """
    released = (
        set(codable_answers(codebook).values_list("pk", flat=True)) if released_only else None
    )
    result = {
        answer_id: AnswerCodes(scores, by_person=False)  # machine_codes made each dict afresh
        for answer_id, scores in machine_codes(current_run(codebook)).items()
        if released is None or answer_id in released
    }
    for answer_id, themes in human_codings(codebook).items():
        if released is None or answer_id in released:
            result[answer_id] = AnswerCodes(dict.fromkeys(sorted(themes), 1.0), by_person=True)
    return result


class CodesByChunk:
    """The themes that won for answers, read a chunk of answers at a time (as
    :func:`effective_codes` has them, without holding every answer's codes at once): people's
    codings are read once (there are few), the current run's codes per chunk."""

    def __init__(self, codebook: Codebook) -> None:
        self.by_person = human_codings(codebook)
        self.run = current_run(codebook)

    def themes(self, answer_ids: Sequence[int]) -> dict[int, frozenset[int]]:
        """Answer id → theme ids, for those of ``answer_ids`` that are coded."""
        result = {pk: self.by_person[pk] for pk in answer_ids if pk in self.by_person}
        wanted = [pk for pk in answer_ids if pk not in self.by_person]
        if self.run is None or not wanted:
            return result
        found: dict[int, set[int]] = {}
        rows = MachineCode.objects.filter(run=self.run, answer_id__in=wanted)
        for answer_id, theme_id in rows.values_list("answer_id", "theme_id"):
            found.setdefault(answer_id, set()).add(theme_id)
        result.update((pk, frozenset(themes)) for pk, themes in found.items())
        return result


# Runs of the engine ----------------------------------------------------------------------------


def start_run(codebook: Codebook) -> CodingRun:
    """A new run of the codebook, "running" and not yet current; run it with :func:`run_coding`."""
    return CodingRun.objects.create(
        codebook=codebook, total=codable_answers(codebook).count(), status=RunStatus.RUNNING
    )


def training_examples(codebook: Codebook, names: dict[int, str]) -> list[engine_lib.Example]:
    """People's non-gold codings of released answers, as the engine's examples."""
    coded = human_codings(codebook, gold=False)
    texts = dict(codable_answers(codebook).filter(pk__in=coded).values_list("pk", "redacted_text"))
    return [
        engine_lib.Example(
            text=texts[answer_id], themes=frozenset(names[t] for t in themes if t in names)
        )
        for answer_id, themes in sorted(coded.items())
        if answer_id in texts
    ]


def run_coding(
    run_id: int,
    *,
    engine_factory: Callable[[], engine_lib.Engine] | None = None,
    progress: Callable[[CodingRun], None] | None = None,
) -> CodingRun:
    """Do the run: fit, score every released answer in chunks, then make the run current.

    Safe to call again: a run that is done or failed is returned untouched; a run left "running"
    (its worker died) starts over, deleting its own half-written codes first. ``progress`` is
    called with the run after every chunk (the command line prints a line).
    """
    run = CodingRun.objects.select_related("codebook").get(pk=run_id)
    if run.status != RunStatus.RUNNING:
        return run
    codebook = run.codebook
    try:
        MachineCode.objects.filter(run=run).delete()
        themes = list(codebook.themes.all())
        names = {theme.pk: theme.name for theme in themes}
        ids = {theme.name: theme.pk for theme in themes}
        examples = training_examples(codebook, names)
        engine = (engine_factory or engine_lib.default_engine)()
        engine.fit(theme_specs(themes), examples)

        answers = codable_answers(codebook)
        answer_ids = list(answers.order_by("pk").values_list("pk", flat=True))
        coded = set(human_codings(codebook))
        run.total, run.done = len(answer_ids), 0
        run.examples, run.engine = len(examples), getattr(engine, "name", type(engine).__name__)
        run.thresholds = {
            str(ids[name]): round(float(value), 6)
            for name, value in getattr(engine, "thresholds", {}).items()
            if name in ids
        }
        CodingRun.objects.filter(pk=run.pk).update(
            total=run.total,
            done=0,
            examples=run.examples,
            engine=run.engine,
            thresholds=run.thresholds,
        )
        queue: list[tuple[float, int]] = []
        for start in range(0, len(answer_ids), CHUNK_SIZE):
            chunk = answer_ids[start : start + CHUNK_SIZE]
            texts = dict(Answer.objects.filter(pk__in=chunk).values_list("pk", "redacted_text"))
            chunk = [pk for pk in chunk if pk in texts]
            scored = engine.scores([texts[pk] for pk in chunk]) if themes else [{}] * len(chunk)
            rows = []
            for answer_id, scores in zip(chunk, scored, strict=True):
                for name, score in engine.assign(scores) if themes else []:
                    rows.append(
                        MachineCode(run=run, answer_id=answer_id, theme_id=ids[name], score=score)
                    )
                if answer_id not in coded and themes:
                    queue.append((float(engine.uncertainty(scores)), answer_id))
            MachineCode.objects.bulk_create(rows)
            run.done += len(chunk)
            CodingRun.objects.filter(pk=run.pk).update(done=run.done)
            if progress is not None:
                progress(run)
        queue.sort(key=lambda item: (-item[0], item[1]))
        run.queue = [[answer_id, round(u, 6)] for u, answer_id in queue[:QUEUE_SIZE]]
        _finish(run)
    except Exception as error:
        logger.exception("Coding run %s failed", run.pk)
        CodingRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        MachineCode.objects.filter(run=run).delete()
        raise
    return run


@transaction.atomic
def _finish(run: CodingRun) -> None:
    """The swap, in one transaction: the new run becomes the one whose codes are shown."""
    # Lock the codebook's runs so two finishing runs cannot both become current.
    list(CodingRun.objects.select_for_update().filter(codebook_id=run.codebook_id))
    CodingRun.objects.filter(codebook_id=run.codebook_id, is_current=True).exclude(
        pk=run.pk
    ).update(is_current=False)
    run.status = RunStatus.DONE
    run.is_current = True
    run.finished_at = timezone.now()
    run.save(
        update_fields=["status", "is_current", "finished_at", "queue", "done", "total", "examples"]
    )


def clean_stale_runs(*, older_than: timedelta = STALE_AFTER, codebook=None) -> int:
    """Mark runs still "running" after ``older_than`` as failed and delete their codes."""
    stale = CodingRun.objects.filter(
        status=RunStatus.RUNNING, started_at__lt=timezone.now() - older_than
    )
    if codebook is not None:
        stale = stale.filter(codebook=codebook)
    ids = list(stale.values_list("pk", flat=True))
    with transaction.atomic():
        MachineCode.objects.filter(run_id__in=ids).delete()
        CodingRun.objects.filter(pk__in=ids).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error="Stopped before it finished (its worker was probably stopped).",
        )
    return len(ids)


def recode(codebook: Codebook, **kwargs) -> CodingRun:
    """Start a run and do it here and now (the task and the command line use this)."""
    return run_coding(start_run(codebook).pk, **kwargs)


def enqueue_recode(codebook: Codebook) -> CodingRun:
    """Start a run now (so its progress shows at once) and have a worker do it after commit."""
    run = start_run(codebook)
    background.later("consultations.themes.tasks.run_coding_task", run.pk)
    return run


# People's codings ------------------------------------------------------------------------------


def _check_answer(answer: Answer, codebook: Codebook) -> None:
    if codebook.consultation_id is None or answer.response.page_id != codebook.consultation_id:
        raise ValidationError(_("This answer is not part of this codebook’s consultation."))
    if answer.held:
        raise ValidationError(
            _("This answer is held for safeguarding review and cannot be coded yet.")
        )


@transaction.atomic
def record_coding(
    answer: Answer,
    codebook: Codebook,
    themes: Iterable[Theme],
    coder=None,
    gold: bool = False,
) -> HumanCoding:
    """Store a person's themes for an answer (replacing their earlier coding of the same kind).

    An empty ``themes`` means "none of these themes". ``gold`` codings are the blind sample of
    the quality check and are kept out of training. After every :func:`retrain_every` new
    non-gold codings since the latest run started, a retrain is enqueued.
    """
    _check_answer(answer, codebook)
    themes = list(themes)
    foreign = [t for t in themes if t.codebook_id != codebook.pk]
    if foreign:
        raise ValidationError(
            _("These themes are not in this codebook: %(names)s.")
            % {"names": ", ".join(t.name for t in foreign)}
        )
    coding, _created = HumanCoding.objects.update_or_create(
        answer=answer,
        codebook=codebook,
        gold=gold,
        defaults={"coder": coder, "coded_at": timezone.now()},
    )
    coding.themes.set(themes)
    if not gold:
        maybe_retrain(codebook)
    return coding


def codings_since_last_run(codebook: Codebook) -> int:
    """Non-gold codings made (or changed) since the latest run started."""
    codings = HumanCoding.objects.filter(codebook=codebook, gold=False)
    last = latest_run(codebook)
    if last is not None:
        codings = codings.filter(coded_at__gte=last.started_at)
    return codings.count()


def maybe_retrain(codebook: Codebook) -> CodingRun | None:
    """Enqueue a retrain once :func:`retrain_every` codings have been made since the last run."""
    if codings_since_last_run(codebook) < retrain_every():
        return None
    return enqueue_recode(codebook)


def next_answers(codebook: Codebook, n: int = 1, *, exclude: Iterable[int] = ()) -> list[Answer]:
    """The next ``n`` answers to code: uncoded, released, those the engine was least sure of
    first (ties by id), then any others by id (answers that came after the last run)."""
    exclude = set(exclude)
    coded = set(HumanCoding.objects.filter(codebook=codebook).values_list("answer_id", flat=True))
    run = current_run(codebook)
    candidates = [pk for pk, _u in (run.queue if run else []) if pk not in coded | exclude]
    chosen: list[int] = []
    released = codable_answers(codebook)
    for start in range(0, len(candidates), 200):
        if len(chosen) >= n:
            break
        batch = candidates[start : start + 200]
        # By primary key alone, then the consultation checked here: filtering on the response's
        # page as well makes SQLite scan the consultation's responses instead (50× slower).
        rows = (
            Answer.objects.filter(pk__in=batch, held=False)
            .exclude(redacted_text="")
            .values_list("pk", "response__page_id")
        )
        ok = {pk for pk, page_id in rows if page_id == codebook.consultation_id}
        chosen += [pk for pk in batch if pk in ok][: n - len(chosen)]
    if len(chosen) < n:
        rest = (
            released.exclude(pk__in=coded | exclude | set(chosen))
            .order_by("pk")
            .values_list("pk", flat=True)[: n - len(chosen)]
        )
        chosen += list(rest)
    answers = Answer.objects.in_bulk(chosen)
    return [answers[pk] for pk in chosen]


def coding_progress(codebook: Codebook) -> tuple[int, int]:
    """(answers a person has coded, answers to code), released answers only."""
    released = codable_answers(codebook)
    coded = released.filter(human_codings__codebook=codebook).distinct().count()
    return coded, released.count()


def suggestions_for(codebook: Codebook, answer: Answer) -> dict[int, float]:
    """The current run's themes for one answer (theme id → confidence)."""
    run = current_run(codebook)
    if run is None:
        return {}
    return dict(MachineCode.objects.filter(run=run, answer=answer).values_list("theme_id", "score"))


# The quality check -----------------------------------------------------------------------------


def draw_gold_sample(codebook: Codebook, n: int, seed: int) -> list[int]:
    """``n`` released answers, drawn at random with ``seed``, that have no gold coding yet.

    The same data and seed always give the same sample (the candidates are sorted first).
    """
    gold = HumanCoding.objects.filter(codebook=codebook, gold=True).values_list("answer_id")
    candidates = sorted(codable_answers(codebook).exclude(pk__in=gold).values_list("pk", flat=True))
    if n >= len(candidates):
        return candidates
    return sorted(random.Random(seed).sample(candidates, n))  # noqa: S311 - a sample, not a secret


def quality(codebook: Codebook):
    """Gold codings against the current run's machine codes, per theme and overall.

    Returns ``consultations.analysis.quality.QualityReport``. Only released answers count.
    """
    names = dict(codebook.themes.values_list("pk", "name"))
    released = set(codable_answers(codebook).values_list("pk", flat=True))
    gold = {
        answer_id: frozenset(names[t] for t in themes if t in names)
        for answer_id, themes in human_codings(codebook, gold=True).items()
        if answer_id in released
    }
    machine = machine_codes(current_run(codebook))
    predicted = {
        answer_id: frozenset(names[t] for t in machine.get(answer_id, {}) if t in names)
        for answer_id in gold
    }
    return evaluate(gold, predicted, list(names.values()))


# Discovery -------------------------------------------------------------------------------------


def uncoded_texts(codebook: Codebook) -> tuple[list[int], list[str]]:
    """Released answers that match no theme (after people's codes win), ids and texts."""
    codes = effective_codes(codebook)
    matched = {answer_id for answer_id, c in codes.items() if c.themes}
    rows = codable_answers(codebook).order_by("pk").values_list("pk", "redacted_text")
    pairs = [(pk, text) for pk, text in rows.iterator(chunk_size=2_000) if pk not in matched]
    return [pk for pk, _t in pairs], [text for _pk, text in pairs]


def unique_theme_name(codebook: Codebook, name: str) -> str:
    taken = {n.casefold() for n in codebook.themes.values_list("name", flat=True)}
    name = " ".join(name.split())[:90] or _("New theme")
    candidate, number = name, 2
    while candidate.casefold() in taken:
        candidate = f"{name} ({number})"
        number += 1
    return candidate


@transaction.atomic
def adopt_suggestion(codebook: Codebook, suggested, *, name: str | None = None) -> Theme:
    """Add a discovered theme to the codebook: its name, its top terms as keywords, and a
    colour; then enqueue a re-code so answers get the new theme."""
    count = codebook.themes.count()
    theme = Theme.objects.create(
        codebook=codebook,
        name=unique_theme_name(codebook, name or suggested.name),
        description=_("Suggested by discovery from %(size)s answers that matched no theme.")
        % {"size": suggested.size},
        keywords="\n".join(suggested.top_terms),
        colour=PALETTE[count % len(PALETTE)],
        sort_order=count,
    )
    if codebook.consultation_id is not None:
        enqueue_recode(codebook)
    return theme
