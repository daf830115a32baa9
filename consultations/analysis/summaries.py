"""The themed summary: what young people raised, how many, who, and in their own words.

``summarise(answers, themes)`` takes coded answers (``CodedAnswer``: redacted text, the themes
that won — a person's where a person coded it — the respondent's age band and area) and gives,
per theme:

* **respondents** who raised it and their **share** of the respondents who answered (a young
  person who raised a theme in two answers counts once);
* **breakdowns** of those respondents by age band and by area, each passed through
  ``suppression.suppress`` so that small groups are hidden (threshold 10 by default);
* the **change** since an earlier consultation, in percentage points, when its shares are
  given (``earlier_shares``: theme name -> share from 0 to 1);
* 3–5 **quotes**: typical of the theme (closest to the centre of its answers in TF-IDF space),
  varied (chosen by maximal marginal relevance, and never two near-duplicates), short enough
  to read (``max_quote_length`` characters) and never profane (an answer flagged profane, or
  one ``profanity.mask`` would change, is never quoted);
* **key phrases**: real phrases of one to four words, as the answers wrote them ("late night
  buses", "mental health", "CAMHS"), used much more in this theme's answers than in the others
  and, when the theme has more than two answers, by at least two of them (found as discovery
  finds the phrases it names themes from: ``discovery.distinctive_phrases``);

(when a theme has more than ``TEXT_SAMPLE`` answers, its quotes and key phrases are drawn from
an even spread of that many, so a summary of 100,000 answers stays quick; every count still
uses every answer)

and a **headline** paragraph from a template ("The most common themes were …").

The caller passes only released answers (never one held for safeguarding review) and their
redacted text. Deterministic: the same answers in any order give the same summary; ties are
broken by theme name and answer id. To extend: change the wording in ``headline`` (it is the
only place sentences are built), the number of quotes or their length with the arguments.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from consultations.analysis.discovery import PhraseReader, distinctive_phrases
from consultations.analysis.profanity import mask
from consultations.analysis.suppression import DEFAULT_THRESHOLD, SuppressedTable, suppress
from consultations.analysis.text import terms

__all__ = [
    "CodedAnswer",
    "NOT_KNOWN",
    "Quote",
    "ThemeCounts",
    "ThemeSummary",
    "ThemedSummary",
    "WordSample",
    "count_themes",
    "headline",
    "sample_words",
    "spread_condition",
    "summarise",
    "summarise_counted",
]

#: The label of answers with no age band or area.
NOT_KNOWN = "Not known"
#: Weight of typicality against variety when choosing quotes (maximal marginal relevance).
MMR_LAMBDA = 0.7
#: Two quotes more alike than this (cosine similarity) are near-duplicates: only one is used.
DUPLICATE_SIMILARITY = 0.8
#: Quotes and key phrases are drawn from at most this many answers of each theme, spread evenly
#: through them in order of id, so a summary of 100,000 answers reads the words of a few
#: thousand (counts, shares and breakdowns always use every answer).
TEXT_SAMPLE = 500
#: How many of a theme's most typical quotable answers are weighed against each other.
QUOTE_POOL = 200
#: A quote has at least this many words, so it says something.
MIN_QUOTE_WORDS = 4


@dataclass(frozen=True)
class CodedAnswer:
    """One released answer with its redacted text and the themes it was coded with."""

    id: Hashable
    respondent: Hashable
    text: str
    themes: frozenset[str]
    age_band: str | None = None
    area: str | None = None
    profane: bool = False


@dataclass(frozen=True)
class Quote:
    answer_id: Hashable
    text: str


@dataclass(frozen=True)
class ThemeSummary:
    theme: str
    respondents: int
    share: float
    by_age_band: SuppressedTable
    by_area: SuppressedTable
    earlier_share: float | None
    change: float | None  # percentage points
    quotes: tuple[Quote, ...]
    key_phrases: tuple[str, ...]


@dataclass(frozen=True)
class ThemedSummary:
    respondents: int
    answers: int
    uncoded_respondents: int
    themes: tuple[ThemeSummary, ...]
    headline: str

    def theme(self, name: str) -> ThemeSummary:
        for item in self.themes:
            if item.theme == name:
                return item
        raise KeyError(name)


def _id_key(value: Hashable) -> tuple[int, str] | tuple[int, int | float, str]:
    if isinstance(value, bool):
        return (1, str(value))
    if isinstance(value, int | float):
        return (0, value, "")
    return (1, str(value))


def _percent(share: float) -> str:
    if 0 < share < 0.005:
        return "less than 1%"
    return f"{round(share * 100)}%"


def _theme_words(name: str) -> str:
    """ "Knife crime" -> "knife crime", but "COVID" and "Life after COVID" keep their capitals."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def headline(
    themes: Sequence[ThemeSummary],
    respondents: int,
    *,
    people: str = "young people",
    top: int = 3,
) -> str:
    """The summary's opening paragraph, built from a template, for ``themes`` in order."""
    if respondents == 0:
        return f"No {people} have answered yet."
    raised = [t for t in themes if t.respondents > 0][:top]
    if not raised:
        return f"None of the {respondents:,} {people} who answered raised any of the themes."
    parts = [f"{_theme_words(raised[0].theme)} ({_percent(raised[0].share)} of {people} who "
             f"answered)"]  # fmt: skip
    parts += [f"{_theme_words(t.theme)} ({_percent(t.share)})" for t in raised[1:]]
    if len(raised) == 1:
        text = f"The most common theme was {parts[0]}."
    else:
        text = f"The most common themes were {_join(parts)}."
    text += f" {respondents:,} {people} answered."
    changed = [t for t in themes if t.change is not None and round(t.change) != 0]
    if changed:
        rise = max(changed, key=lambda t: (t.change, t.theme))
        fall = min(changed, key=lambda t: (t.change, t.theme))
        # ``changed`` holds only themes with a change.
        rise_change, fall_change = cast(float, rise.change), cast(float, fall.change)
        notes = []
        if rise_change > 0:
            notes.append(f"the biggest rise was in {_theme_words(rise.theme)} (up "
                         f"{round(rise_change)} percentage points)")  # fmt: skip
        if fall_change < 0:
            notes.append(f"the biggest fall was in {_theme_words(fall.theme)} (down "
                         f"{round(-fall_change)} percentage points)")  # fmt: skip
        if notes:
            text += " Since the earlier consultation, " + " and ".join(notes) + "."
    return text


def _breakdown(
    counts: Counter[str], order: Sequence[str] | None, total: int, threshold: int
) -> SuppressedTable:
    labels = list(order) if order is not None else sorted(set(counts) - {NOT_KNOWN})
    if NOT_KNOWN in counts and NOT_KNOWN not in labels:
        labels.append(NOT_KNOWN)
    extra = sorted(set(counts) - set(labels))
    labels += extra
    return suppress([(label, counts.get(label, 0)) for label in labels], threshold=threshold,
                    total=total)  # fmt: skip


def _quotable(answer: CodedAnswer, max_length: int) -> bool:
    text = " ".join(answer.text.split())
    if answer.profane or not text or len(text) > max_length:
        return False
    if len(text.split()) < MIN_QUOTE_WORDS:
        return False
    return mask(text) == text


def _choose_quotes(
    members: list[int], answers: Sequence[CodedAnswer], X: Any, how_many: int, max_length: int
) -> list[int]:
    """Indices of quotes, most typical first, by maximal marginal relevance.

    Typical means close to the centroid of the theme's answers. Only the ``QUOTE_POOL`` most
    typical quotable answers are compared with each other, so a theme of 70,000 answers costs
    the same as one of 700 (comparing them all would need a 70,000 × 70,000 matrix).
    """
    centroid = np.asarray(X[members].mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    if norm:
        centroid = centroid / norm
    relevance_all = np.asarray(X[members] @ centroid).ravel()
    pool: list[int] = []
    for j in sorted(range(len(members)), key=lambda j: (-relevance_all[j], members[j])):
        if _quotable(answers[members[j]], max_length):
            pool.append(members[j])
            if len(pool) >= QUOTE_POOL:
                break
    candidates = sorted(pool)
    if not candidates:
        return []
    vectors = X[candidates]
    relevance = np.asarray(vectors @ centroid).ravel()
    similarity = (vectors @ vectors.T).toarray()
    chosen: list[int] = []
    left = list(range(len(candidates)))
    while left and len(chosen) < how_many:
        best: int | None = None
        best_value = -math.inf
        for j in left:
            redundancy = max((similarity[j, c] for c in chosen), default=0.0)
            value = MMR_LAMBDA * relevance[j] - (1 - MMR_LAMBDA) * redundancy
            if value > best_value + 1e-12:
                best, best_value = j, value
        chosen.append(cast(int, best))  # set on the first pass: every value beats -inf
        left = [j for j in left if j != best and similarity[j, best] < DUPLICATE_SIMILARITY]
    return [candidates[j] for j in chosen]


def _spread(items: list[int], most: int) -> list[int]:
    """At most ``most`` of ``items``, evenly spread through them (all of them if fewer): the
    first of each of ``most`` equal runs, at positions ceil(k × len / most). Whole numbers only,
    so a database can choose the same ones (``spread_condition``)."""
    if len(items) <= most:
        return items
    n = len(items)
    return [items[-(-k * n // most)] for k in range(most)]


def spread_condition(position: str, size: str, most: int) -> str:
    """SQL that is true for the 0-based ``position`` of a row among ``size`` rows exactly when
    :func:`_spread` would choose it: the row starts a new run of the ``most`` equal runs.
    ``position`` and ``size`` are integer SQL expressions; ``most`` is spliced in as a number."""
    most = int(most)
    return (
        f"({size} <= {most} OR {position} = 0 OR "
        f"({position} * {most}) / {size} <> (({position} - 1) * {most}) / {size})"
    )


def _key_phrases(
    rows: list[dict[str, str]], members: list[int], everywhere: Counter[str], how_many: int
) -> list[str]:
    """Phrases as written that are far more common in the theme's answers than in the others
    (``rows`` are each answer's phrases, ``everywhere`` counts the answers each is in)."""
    return [
        phrase.text
        for phrase in distinctive_phrases(
            rows, members, everywhere, how_many=how_many, min_answers=2 if len(members) > 2 else 1
        )
    ]


@dataclass(frozen=True)
class ThemeCounts:
    """What a themed summary counts, from every answer: ``respondents`` who answered, their
    ``answers``, how many of them raised at least one theme (``coded_respondents``), and for each
    theme the respondents who raised it by (age band, area) (None where not given)."""

    respondents: int
    answers: int
    coded_respondents: int
    groups: Mapping[str, Mapping[tuple[str | None, str | None], int]]


@dataclass(frozen=True)
class WordSample:
    """The answers a summary reads the words of (``answers``, in order of id) and, for each theme,
    the positions in that list of its answers among them."""

    answers: Sequence[CodedAnswer]
    members: Mapping[str, Sequence[int]]


def count_themes(answers: Sequence[CodedAnswer], themes: Sequence[str]) -> ThemeCounts:
    """The counts of a summary of ``answers`` (a young person who raised a theme in two answers
    counts once)."""
    names = set(themes)
    first: dict[Hashable, CodedAnswer] = {}
    raised: dict[str, set[Hashable]] = {name: set() for name in themes}
    answers = sorted(answers, key=lambda a: _id_key(a.id))
    for answer in answers:
        first.setdefault(answer.respondent, answer)
        for name in answer.themes:
            if name in names:
                raised[name].add(answer.respondent)
    groups = {
        name: Counter((first[r].age_band, first[r].area) for r in people)
        for name, people in raised.items()
    }
    coded = set().union(*raised.values()) if raised else set()
    return ThemeCounts(len(first), len(answers), len(coded), groups)


def sample_words(
    answers: Sequence[CodedAnswer], themes: Sequence[str], text_sample: int = TEXT_SAMPLE
) -> WordSample:
    """The answers whose words a summary reads: all of them, or when there are more than
    ``text_sample``, an even spread of at most that many of each theme's (:func:`_spread`)."""
    answers = sorted(answers, key=lambda a: _id_key(a.id))
    names = list(dict.fromkeys(themes))
    members: dict[str, list[int]] = {name: [] for name in names}
    for i, answer in enumerate(answers):
        for name in answer.themes:
            if name in members:
                members[name].append(i)
    if text_sample > 0 and len(answers) > text_sample:
        picked: set[int] = set()
        for name in names:
            picked.update(_spread(members[name], text_sample))
        text_rows = sorted(picked)
    else:
        text_rows = list(range(len(answers)))
    row_of = {i: row for row, i in enumerate(text_rows)}
    return WordSample(
        answers=[answers[i] for i in text_rows],
        members={name: [row_of[i] for i in members[name] if i in row_of] for name in names},
    )


def summarise(
    answers: Sequence[CodedAnswer],
    themes: Sequence[str],
    *,
    text_sample: int = TEXT_SAMPLE,
    **options: Any,
) -> ThemedSummary:
    """The themed summary of ``answers`` over ``themes`` (see the module docstring): their
    counts (:func:`count_themes`) and the words of a sample (:func:`sample_words`), put together
    by :func:`summarise_counted`, which takes the same keyword ``options``.
    ``text_sample`` caps how many answers of each theme are read for quotes and key phrases."""
    return summarise_counted(
        count_themes(answers, themes), sample_words(answers, themes, text_sample), themes, **options
    )


def summarise_counted(
    counts: ThemeCounts,
    sample: WordSample,
    themes: Sequence[str],
    *,
    earlier_shares: Mapping[str, float] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    age_bands: Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
    quotes: int = 5,
    max_quote_length: int = 300,
    key_phrases: int = 6,
    people: str = "young people",
) -> ThemedSummary:
    """The themed summary from its counts and the words of its sample, however they were got
    (from answers in memory by :func:`summarise`, or by a database).

    ``age_bands`` and ``areas`` fix the order (and the rows, zeros included) of the
    breakdowns; by default they are the labels present, in alphabetical order.
    """
    # lazy: scikit-learn and SciPy take about a second to import
    from sklearn.feature_extraction.text import TfidfVectorizer

    names = list(dict.fromkeys(themes))
    total = counts.respondents
    worded = list(sample.answers)
    bags = [terms(answer.text) for answer in worded]
    reader = PhraseReader()
    phrases = [reader.phrases(answer.text) for answer in worded]
    everywhere: Counter[str] = Counter()
    for found in phrases:
        everywhere.update(found.keys())
    X = None
    if worded and any(bags):
        X = TfidfVectorizer(
            analyzer=lambda bag: list(bag.elements()), sublinear_tf=True
        ).fit_transform(bags)

    summaries = []
    for name in names:
        groups = counts.groups.get(name, {})
        raised = sum(groups.values())
        ages: Counter[str] = Counter()
        places: Counter[str] = Counter()
        for (age_band, area), n in groups.items():
            ages[age_band or NOT_KNOWN] += n
            places[area or NOT_KNOWN] += n
        share = raised / total if total else 0.0
        earlier = None if earlier_shares is None else earlier_shares.get(name)
        change = None if earlier is None else (share - earlier) * 100
        rows = list(sample.members.get(name, ()))
        chosen: list[int] = []
        if X is not None and rows:
            chosen = _choose_quotes(rows, worded, X, quotes, max_quote_length)
        summaries.append(
            ThemeSummary(
                theme=name,
                respondents=raised,
                share=share,
                by_age_band=_breakdown(ages, age_bands, raised, threshold),
                by_area=_breakdown(places, areas, raised, threshold),
                earlier_share=earlier,
                change=change,
                quotes=tuple(
                    Quote(worded[r].id, mask(" ".join(worded[r].text.split()))) for r in chosen
                ),
                key_phrases=tuple(_key_phrases(phrases, rows, everywhere, key_phrases))
                if rows
                else (),
            )
        )
    summaries.sort(key=lambda s: (-s.respondents, s.theme))
    return ThemedSummary(
        respondents=total,
        answers=counts.answers,
        uncoded_respondents=total - counts.coded_respondents,
        themes=tuple(summaries),
        headline=headline(summaries, total, people=people),
    )
