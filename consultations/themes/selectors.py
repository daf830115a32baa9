"""Reads for the coding screen: which suggestions to tick, which answers say the same thing,
each theme's key, and how far the machine agrees with people so far.

- **Ticked in advance.** A suggestion is ticked only when its score is at or above its theme's
  threshold (:func:`suggestion_thresholds`), and its confidence is put in words
  (:func:`confidence_words`) that agree with the tick: "unlikely" is never ticked.
- **Groups.** Answers to the same question that say the same thing (:func:`answer_group`) are
  coded together. Near-identical means the same text once capitals, spaces and punctuation are
  ignored (:func:`normalise_answer`), or a ``difflib`` similarity of at least
  :data:`GROUP_SIMILARITY` between the normalised texts. Only the :data:`GROUP_CANDIDATES` uncoded
  answers closest in length are compared, so the check stays fast on a large consultation.
- **Keys.** 1–9, then the letters a, b, c ... not already used by the screen
  (:data:`RESERVED_KEYS`), in the codebook's order (:func:`theme_keys`).
- **Agreement so far.** The sample-averaged F1 between the machine's ticked suggestions and the
  codes people gave, over the answers people coded that the current run had suggestions for
  (:func:`agreement_so_far`), in one query.

To change a figure, change the constant; the screen and its documentation
(``docs/analysis.md``, "The coding screen") describe them.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import F, FloatField, Value
from django.db.models.functions import Abs, Length
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.analysis.quality import evaluate
from consultations.analysis.theme_coding import PRIOR_THRESHOLD
from consultations.models import Answer
from consultations.themes.models import Codebook, CodingRun, HumanCoding, MachineCode

#: The threshold a suggestion must reach to be ticked in advance when the current run stored
#: none for its theme (a run from before runs kept them, or a theme added since): the engine's
#: threshold before it is tuned (one keyword in the answer is enough).
SUGGESTION_THRESHOLD = PRIOR_THRESHOLD
#: Confidence in words, at or above the threshold: (lowest score, words), highest first.
#: Below its theme's threshold a suggestion is "unlikely" and is not ticked.
CONFIDENCE_BANDS = ((0.85, gettext_lazy("very likely")), (0.65, gettext_lazy("likely")))
#: Two normalised answers at least this similar (``difflib`` ratio) say the same thing. 0.95
#: takes in a typo or a plural ("late busses", "youth club") but not a changed word: "more
#: buses in the evening please" and "... morning please" are 0.906 alike.
GROUP_SIMILARITY = 0.95
#: At most this many uncoded answers to the same question are compared with the one shown.
GROUP_CANDIDATES = 2_000
#: Longer normalised answers are grouped only when identical (similarity is slow on long texts).
GROUP_FUZZY_MAX_LENGTH = 600
#: Letters the coding screen already uses for something else: S skips.
RESERVED_KEYS = frozenset("s")


def _stored_thresholds(codebook: Codebook) -> dict[int, float]:
    """The thresholds the codebook's current run stored, by theme id (none: ``{}``)."""
    stored = (
        CodingRun.objects.filter(codebook=codebook, is_current=True)
        .values_list("thresholds", flat=True)
        .first()
    ) or {}
    return {int(theme_id): float(value) for theme_id, value in stored.items()}


def suggestion_thresholds(codebook: Codebook, theme_ids: Iterable[int]) -> dict[int, float]:
    """Each theme's threshold for ticking a suggestion in advance: the one the codebook's
    current run stored (the engine's tuned rule), else :data:`SUGGESTION_THRESHOLD`."""
    stored = _stored_thresholds(codebook)
    return {theme_id: stored.get(theme_id, SUGGESTION_THRESHOLD) for theme_id in theme_ids}


def confidence_words(score: float, threshold: float = SUGGESTION_THRESHOLD) -> str:
    """A suggestion's confidence in words: "unlikely" below the threshold (not ticked), then
    "possible", "likely" (0.65) and "very likely" (0.85)."""
    if score < threshold:
        return _("unlikely")
    for lowest, words in CONFIDENCE_BANDS:
        if score >= lowest:
            return str(words)
    return _("possible")


def theme_keys(count: int, reserved: Iterable[str] = RESERVED_KEYS) -> list[str]:
    """The keys of ``count`` themes in order: 1–9, then unreserved letters; "" once they run
    out (a theme without a key is still ticked with the mouse or the space bar)."""
    taken = {key.lower() for key in reserved}
    keys = [str(n) for n in range(1, 10)]
    keys += [letter for letter in string.ascii_lowercase if letter not in taken]
    return [keys[i] if i < len(keys) else "" for i in range(count)]


# Groups of answers that say the same thing --------------------------------------------------


def normalise_answer(text: str) -> str:
    """Lower case, words only, one space between them: "Staff on the LATE buses!!" and
    "staff on the late buses" are the same."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def near_identical(first: str, second: str) -> bool:
    """Whether two normalised answers say the same thing (equal, or similar enough)."""
    if first == second:
        return True
    if not first or not second or max(len(first), len(second)) > GROUP_FUZZY_MAX_LENGTH:
        return False
    matcher = SequenceMatcher(None, first, second, autojunk=False)
    return (
        matcher.real_quick_ratio() >= GROUP_SIMILARITY
        and matcher.quick_ratio() >= GROUP_SIMILARITY
        and matcher.ratio() >= GROUP_SIMILARITY
    )


def answer_group(codebook: Codebook, answer: Answer) -> list[int]:
    """The answer and the uncoded answers to the same question that say the same thing, by id
    (the answer shown first, then by id). Held answers and answers without redacted text are
    never in a group; nor are answers a person has coded already (their coding stands)."""
    key = normalise_answer(answer.redacted_text)
    if not key:
        return [answer.pk]
    # A similarity of 0.95 needs the shorter text to be at least 0.9 of the longer one; the raw
    # texts' lengths are compared with room for punctuation and spaces, closest first (copies
    # of the answer, of the same length, come first).
    length = len(answer.redacted_text)
    coded = HumanCoding.objects.filter(codebook=codebook).values("answer_id")
    rows = (
        Answer.objects.filter(question_id=answer.question_id, held=False)
        .exclude(redacted_text="")
        .exclude(pk=answer.pk)
        .exclude(pk__in=coded)
        .annotate(length=Length("redacted_text"))
        .filter(length__gte=length * 0.6, length__lte=length / 0.6 + 10)
        .order_by(Abs(F("length") - length), "pk")
        .values_list("pk", "redacted_text")[:GROUP_CANDIDATES]
    )
    similar = sorted(pk for pk, text in rows if near_identical(key, normalise_answer(text)))
    return [answer.pk, *similar]


# Agreement so far ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Agreement:
    """The sample-averaged F1 of the machine's ticked suggestions against people's codes, over
    ``answers`` answers (``f1`` is ``None`` when there are none)."""

    f1: float | None
    answers: int


_HUMAN = -1.0  # marks a person's theme in the union below (machine scores are 0 to 1)


def agreement_so_far(
    codebook: Codebook, thresholds: Mapping[int, float] | None = None
) -> Agreement:
    """How well the current run's ticked suggestions agree with people's (non-gold) codes.

    Only answers a person coded and the current run suggested at least one theme for count; an
    answer where neither chose a theme counts as full agreement, as on the quality page
    (``consultations.analysis.quality.evaluate``). One query: people's themes (an empty
    coding gives one row without a theme) and the run's scores, as one ``UNION ALL``.
    """
    if thresholds is None:
        thresholds = _stored_thresholds(codebook)
    people = HumanCoding.objects.filter(codebook=codebook, gold=False, answer__held=False)
    human_rows = people.values_list(
        "answer_id", "themes", Value(_HUMAN, output_field=FloatField())
    ).order_by()
    machine_rows = (
        MachineCode.objects.filter(
            run__codebook=codebook,
            run__is_current=True,
            answer__held=False,
            answer__human_codings__codebook=codebook,
            answer__human_codings__gold=False,
        )
        .values_list("answer_id", "theme_id", "score")
        .order_by()
    )
    human: dict[int, set[str]] = {}
    machine: dict[int, set[str]] = {}
    for answer_id, theme_id, score in human_rows.union(machine_rows, all=True):
        if score == _HUMAN:
            themes = human.setdefault(answer_id, set())
            if theme_id is not None:
                themes.add(str(theme_id))
            continue
        suggested = machine.setdefault(answer_id, set())
        threshold = thresholds.get(theme_id, SUGGESTION_THRESHOLD)
        if score >= threshold:
            suggested.add(str(theme_id))
    both = sorted(set(human) & set(machine))
    if not both:
        return Agreement(f1=None, answers=0)
    names = sorted({t for a in both for t in human[a] | machine[a]})
    report = evaluate(
        {a: frozenset(human[a]) for a in both},
        {a: frozenset(machine[a]) for a in both},
        names,
    )
    return Agreement(f1=report.sample_f1, answers=len(both))
