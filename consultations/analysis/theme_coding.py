"""Code answers into themes: zero or more themes per answer, each with a confidence.

The engine is pluggable (``Engine`` below); ``default_engine()`` gives the light, offline one,
which combines two sources of evidence:

1. **The codebook** (a *keyword prior*). Every theme's keywords and phrases, its name and the
   distinctive words of its description are matched, as whole words and phrases, against the
   answer after the text library has normalised it and folded plurals ("clubs" finds "club").
   A keyword or phrase counts 1, a word of the theme's name 0.5 and a distinctive word of its
   description 0.25 (a word shared by several themes' names or descriptions counts half, or
   not at all for descriptions); the prior is ``1 - 0.5 ** total``, so one keyword gives 0.5,
   over the default threshold of 0.4, and a name word alone (0.29) does not. A theme nobody
   has coded yet is still found this way (unless the tuning below finds the codebook's words
   do more harm than good).
2. **The answers people have coded** (examples). TF-IDF of word 1–2-grams (of the folded
   words the prior reads) and of character 2–4-grams within words (of the answer as written,
   lower-cased, punctuation kept: "so happy!!" is not "so happy?"); for each theme with at
   least ``MIN_POSITIVES`` examples (and as many without it), a logistic regression
   (one-vs-rest, liblinear, fixed ``random_state``, no class re-weighting, so the scores stay
   probabilities).

For a theme with a model the score is ``w * model + (1 - w) * max(model, prior)`` with
``w = n / (n + BLEND_K)`` for ``n`` coded examples of the theme. A keyword in the answer lifts
the score while few answers are coded, and matters less as the examples grow; a keyword
missing from the answer never counts against it (people use other words than the codebook's),
so with no keyword the score is the model's.

**One rule for the whole codebook** (``Rule``) turns scores into codes: a theme is given when
its score reaches the ``threshold`` and ``relative`` times the answer's best score, and the
best theme is given as well when it reaches the ``floor`` (0 means every answer gets at least
one theme). With at least ``MIN_TUNE`` examples, ``FOLDS``-fold cross-validation on the
examples chooses, together, the rule, the regularisation ``C`` (from ``CS``) and whether the
codebook's prior is used at all, for the best sample-averaged F1: the figure people judge the
codes by. A floor above 0 is tried only when some examples were coded "none of these themes".
Thresholds tuned one theme at a time on a handful of examples, with balanced classes, said yes
too easily (2.5–3.8 themes an answer where people gave 1.2–1.3; ``docs/benchmarks.md``). With
fewer examples the rule is ``PRIOR_THRESHOLD`` and no more. Each fold learns its own TF-IDF
vocabulary from its training answers, so a held-out answer is scored as a new answer will be
(words only it uses are unknown). When the tuning turns the prior off, it is off for every
theme: one nobody has coded then scores 0, as it did when the rule was chosen.

**Parents and children.** Themes have at most two levels. A child implies its parent: an
example coded with a child counts as an example of its parent too, and when the engine assigns
a child it assigns the parent as well, with at least the child's confidence. So a summary that
counts "Online safety" also counts answers about its child "Cyberbullying". A person who codes
only the child is taken at their word (``merge`` does not add the parent).

**Human codes win.** ``merge(machine, human)`` gives a person's themes, each with confidence
1.0, whenever the answer has been coded by a person (even as "none of these themes"), and the
machine's otherwise. The Django layer applies it.

To extend: write another class with the ``Engine`` methods (say, a sentence-embedding backend
shipped as an optional extra) and return it from ``default_engine()`` only if it beats this one
on ``benchmarks/coding_quality.py``; or tune the module constants below.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast, runtime_checkable

import numpy as np

from consultations.analysis.codebooks import ThemeSpec, load_codebook_yaml
from consultations.analysis.text import STOP_WORDS, fold, tokens

__all__ = [
    "BLEND_K",
    "Engine",
    "Example",
    "FOLDS",
    "KeywordPrior",
    "MIN_POSITIVES",
    "MIN_TUNE",
    "PRIOR_THRESHOLD",
    "Rule",
    "TfidfLogisticEngine",
    "ThemeSpec",
    "default_engine",
    "load_codebook_yaml",
    "merge",
    "prepare",
]

#: A theme needs this many coded examples (and as many without it) before a model is learnt.
MIN_POSITIVES = 1
#: The examples needed before the rule, ``C`` and the use of the prior are tuned.
MIN_TUNE = 10
#: Folds of the cross-validation that tunes them.
FOLDS = 5
#: How fast the examples take over from the codebook: w = n / (n + BLEND_K).
BLEND_K = 5.0
#: The threshold of an engine whose rule is not tuned: one keyword (0.5) is enough.
PRIOR_THRESHOLD = 0.4
#: The regularisation strengths, thresholds, relative cuts and floors the tuning tries.
CS = (1.0, 10.0, 100.0)
THRESHOLDS = tuple(round(0.02 * k, 2) for k in range(1, 46))
RELATIVE_CUTS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
FLOORS = (0.05, 0.1, 0.15, 0.2, 0.3)
RANDOM_STATE = 0

_KEYWORD_WEIGHT = 1.0
_NAME_WEIGHT = 0.5
_DESCRIPTION_WEIGHT = 0.25
_MAX_PHRASE = 6


@dataclass(frozen=True)
class Example:
    """An answer a person has coded; empty ``themes`` means "none of these themes"."""

    text: str
    themes: frozenset[str]


@runtime_checkable
class Engine(Protocol):
    """What the rest of the platform needs from a coding engine."""

    name: str

    def fit(self, themes: Sequence[ThemeSpec], examples: Sequence[Example]) -> Engine: ...

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """For each text, every theme's confidence from 0 to 1."""
        ...

    def assign(self, scores: dict[str, float]) -> list[tuple[str, float]]:
        """The themes chosen for one answer, best first."""
        ...

    def uncertainty(self, scores: dict[str, float]) -> float:
        """Higher means the engine is less sure: ask a person about this answer first."""
        ...


def default_engine() -> Engine:
    """The engine the platform uses unless told otherwise."""
    return TfidfLogisticEngine()


def merge(
    machine: Sequence[tuple[str, float]], human: frozenset[str] | None
) -> list[tuple[str, float]]:
    """Human codes win: a person's themes (confidence 1.0, by name) if a person coded the
    answer, even as "none of these"; else the machine's codes as they are."""
    if human is not None:
        return [(name, 1.0) for name in sorted(human)]
    return list(machine)


# --------------------------------------------------------------------------------------------
# Text preparation


def prepare(text: str) -> list[str]:
    """The answer as folded word tokens, the form both the prior and the model read."""
    return [fold(token) for token in tokens(text or "")]


def _phrase(text: str) -> str:
    return " ".join(prepare(text))


def _content_words(text: str) -> list[str]:
    return [w for w in prepare(text) if w not in STOP_WORDS and len(w) > 2 and not w.isdigit()]


# --------------------------------------------------------------------------------------------
# The codebook's evidence


@dataclass
class KeywordPrior:
    """Scores answers against the codebook alone; see the module docstring for the weights."""

    themes: tuple[ThemeSpec, ...]
    patterns: list[str] = field(default_factory=list)
    weights: np.ndarray | None = None  # patterns × themes
    _counter: Any = field(default=None, repr=False)  # a fitted CountVectorizer, or None

    @classmethod
    def build(cls, themes: Sequence[ThemeSpec]) -> KeywordPrior:
        # lazy: scikit-learn and SciPy take about a second to import
        from sklearn.feature_extraction.text import CountVectorizer

        themes = tuple(themes)
        name_words = [set(_content_words(t.name)) for t in themes]
        description_words = [
            set(_content_words(t.description)) - name_words[i] for i, t in enumerate(themes)
        ]
        name_use = Counter(w for words in name_words for w in words)
        description_use = Counter(w for words in description_words for w in words)
        description_use.update(name_use)

        weights: dict[tuple[str, int], float] = {}

        def add(pattern: str, index: int, weight: float) -> None:
            if pattern and len(pattern.split()) <= _MAX_PHRASE:
                key = (pattern, index)
                weights[key] = max(weights.get(key, 0.0), weight)

        for i, theme in enumerate(themes):
            for keyword in theme.keywords:
                add(_phrase(keyword), i, _KEYWORD_WEIGHT)
            add(_phrase(theme.name), i, _KEYWORD_WEIGHT)
            for word in name_words[i]:
                add(word, i, _NAME_WEIGHT / name_use[word])
            for word in description_words[i]:
                if description_use[word] == 1:
                    add(word, i, _DESCRIPTION_WEIGHT)

        patterns = sorted({pattern for pattern, _ in weights})
        matrix = np.zeros((len(patterns), len(themes)))
        position = {pattern: row for row, pattern in enumerate(patterns)}
        for (pattern, index), weight in weights.items():
            matrix[position[pattern], index] = weight
        counter = None
        if patterns:
            longest = max(len(p.split()) for p in patterns)
            counter = CountVectorizer(
                token_pattern=r"\S+", lowercase=False, binary=True,
                ngram_range=(1, longest), vocabulary=patterns, dtype=np.float64,
            )  # fmt: skip
        return cls(themes, patterns, matrix, counter)

    def score_many(self, prepared: Sequence[str]) -> np.ndarray:
        """Prior scores (answers × themes) of answers already ``prepare``d and joined."""
        if self._counter is None or not len(prepared):
            return np.zeros((len(prepared), len(self.themes)))
        totals = np.asarray(self._counter.transform(prepared) @ self.weights)
        scores: np.ndarray = 1.0 - np.power(0.5, totals)
        return scores


# --------------------------------------------------------------------------------------------
# The default engine


def _blend(model: np.ndarray, prior: np.ndarray, weight: float | np.ndarray) -> np.ndarray:
    """The model's score, lifted towards the prior where the codebook's words are used."""
    blended: np.ndarray = weight * model + (1 - weight) * np.maximum(model, prior)
    return blended


@dataclass(frozen=True)
class Rule:
    """How scores become codes, one rule for every theme of a codebook.

    A theme is given when its score is at least ``threshold`` and at least ``relative`` times
    the answer's best score; the best-scoring theme is given as well when its score is at least
    ``floor`` (0: every answer gets at least one theme; ``floor >= threshold``: no theme is
    given that the threshold would not give).
    """

    threshold: float = PRIOR_THRESHOLD
    relative: float = 0.0
    floor: float = PRIOR_THRESHOLD

    def choose(self, scores: np.ndarray) -> np.ndarray:
        """A boolean array (answers × themes): the themes given."""
        if not scores.size:
            return np.zeros(scores.shape, dtype=bool)
        top = scores.max(axis=1, keepdims=True)
        chosen: np.ndarray = scores >= np.maximum(self.threshold, self.relative * top)
        best = scores.argmax(axis=1)
        rows = np.arange(len(scores))
        chosen[rows, best] |= top[:, 0] >= self.floor
        chosen &= scores > 0
        return chosen

    def cuts(self, scores: np.ndarray) -> np.ndarray:
        """Each theme's cut for one answer's scores: the score it needs to be given."""
        cut = np.full(scores.shape, max(self.threshold, self.relative * float(scores.max())))
        best = int(scores.argmax())
        cut[best] = min(cut[best], self.floor)
        return cut


def _sample_f1(chosen: np.ndarray, truth: np.ndarray) -> float:
    """Sample-averaged F1 (an answer where both give no theme scores 1)."""
    both = (chosen & truth).sum(axis=1)
    total = chosen.sum(axis=1) + truth.sum(axis=1)
    return float(np.where(total == 0, 1.0, 2 * both / np.maximum(total, 1)).mean())


def _best_rule(scores: np.ndarray, truth: np.ndarray) -> tuple[float, Rule]:
    """The rule with the best sample F1 on out-of-fold scores, and that F1.

    Ties go to the earlier rule in the search: the lower threshold and relative cut, and
    "at least one theme" unless the examples include answers coded with none.
    """
    floors = [0.0]
    if not truth.any(axis=1).all():  # some answers were coded "none of these themes"
        floors += list(FLOORS)
    best = (-1.0, Rule())
    for threshold in THRESHOLDS:
        for relative in RELATIVE_CUTS:
            for floor in [f for f in floors if f < threshold] + [float(threshold)]:
                rule = Rule(float(threshold), float(relative), float(floor))
                f1 = _sample_f1(rule.choose(scores), truth)
                if f1 > best[0] + 1e-12:
                    best = (f1, rule)
    return best


@dataclass
class TfidfLogisticEngine:
    """Keyword prior blended with word and character n-gram TF-IDF logistic regression."""

    name: str = "tfidf-logistic"
    C: float = 10.0
    themes: tuple[ThemeSpec, ...] = ()
    thresholds: dict[str, float] = field(default_factory=dict)
    rule: Rule = field(default_factory=Rule)
    use_prior: bool = True
    cv_f1: float | None = None
    examples_used: int = 0
    _prior: KeywordPrior | None = field(default=None, repr=False)
    _vectorizers: tuple[Any, ...] = field(default=(), repr=False)  # scikit-learn's, untyped
    _modelled: list[int] = field(default_factory=list, repr=False)
    _weights: np.ndarray | None = field(default=None, repr=False)
    _intercepts: np.ndarray | None = field(default=None, repr=False)
    _blend: np.ndarray | None = field(default=None, repr=False)

    # -- fitting --------------------------------------------------------------------------

    def fit(self, themes: Sequence[ThemeSpec], examples: Sequence[Example]) -> TfidfLogisticEngine:
        self.themes = tuple(themes)
        names = [t.name for t in self.themes]
        known = set(names)
        parents = {t.name: t.parent for t in self.themes if t.parent}
        for example in examples:
            unknown = set(example.themes) - known
            if unknown:
                raise ValueError(f"example coded with unknown themes: {sorted(unknown)}")
        self._prior = KeywordPrior.build(self.themes)
        self.rule, self.use_prior, self.cv_f1 = Rule(), True, None
        self._modelled, self._weights, self._intercepts, self._blend = [], None, None, None
        self.examples_used = len(examples)
        self._set_thresholds()

        if not examples or not self.themes:
            return self
        labels = np.zeros((len(examples), len(names)), dtype=bool)
        index = {name: i for i, name in enumerate(names)}
        for row, example in enumerate(examples):
            for theme in example.themes:
                labels[row, index[theme]] = True
                if theme in parents:  # a child implies its parent
                    labels[row, index[parents[theme]]] = True
        positives = labels.sum(axis=0)
        negatives = len(examples) - positives
        modelled = [
            i for i in range(len(names))
            if positives[i] >= MIN_POSITIVES and negatives[i] >= MIN_POSITIVES
        ]  # fmt: skip
        if not modelled:
            return self

        texts = [e.text for e in examples]
        self._vectorizers = _fit_vectorizers(texts)
        X = _features(self._vectorizers, texts)
        prior = self._prior.score_many([" ".join(prepare(text)) for text in texts])
        self._modelled = modelled
        self._blend = np.array([positives[i] / (positives[i] + BLEND_K) for i in modelled])

        if len(examples) >= MIN_TUNE:
            self._tune(texts, labels, prior)
        weights, intercepts = [], []
        for i in modelled:
            model = self._logistic(self.C).fit(X, labels[:, i])
            weights.append(model.coef_[0])
            intercepts.append(model.intercept_[0])
        self._weights = np.vstack(weights).T
        self._intercepts = np.array(intercepts)
        self._set_thresholds()
        return self

    def _tune(self, texts: Sequence[str], labels: np.ndarray, prior: np.ndarray) -> None:
        """Choose ``C``, whether to use the codebook's prior, and the rule, together, for the
        best out-of-fold sample F1 (``FOLDS``-fold cross-validation on the examples).

        Each fold learns its own vocabulary from its training answers, as the engine does from
        all the examples: words only the held-out answers use are unknown, as a new answer's
        are."""
        n = len(labels)
        folds = min(FOLDS, n)
        fold_of = np.random.RandomState(RANDOM_STATE).permutation(n) % folds
        split = []
        for k in range(folds):
            train, test = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
            train_texts = [texts[i] for i in train.tolist()]
            vectorizers = _fit_vectorizers(train_texts)
            split.append((
                train, test,
                _features(vectorizers, train_texts),
                _features(vectorizers, [texts[i] for i in test.tolist()]),
            ))  # fmt: skip
        blend = cast(np.ndarray, self._blend)
        best: tuple[float, float, bool, Rule] = (-1.0, self.C, True, Rule())
        for C in CS:
            model = np.zeros((n, len(self._modelled)))
            for train, test, X_train, X_test in split:
                for col, i in enumerate(self._modelled):
                    y = labels[train, i]
                    if y.all() or not y.any():
                        model[test, col] = float(y.mean())
                    else:
                        fitted = self._logistic(C).fit(X_train, y)
                        model[test, col] = fitted.predict_proba(X_test)[:, 1]
            for use_prior in (True, False):
                scores = prior.copy() if use_prior else np.zeros_like(prior)
                scores[:, self._modelled] = (
                    _blend(model, prior[:, self._modelled], blend) if use_prior else model
                )
                f1, rule = _best_rule(scores, labels)
                if f1 > best[0] + 1e-12:
                    best = (f1, C, use_prior, rule)
        self.cv_f1, self.C, self.use_prior, self.rule = best

    def _set_thresholds(self) -> None:
        self.thresholds = dict.fromkeys((t.name for t in self.themes), self.rule.threshold)

    def _logistic(self, C: float) -> Any:  # a LogisticRegression
        # lazy: scikit-learn and SciPy take about a second to import
        from sklearn.linear_model import LogisticRegression

        # liblinear: several times faster than lbfgs on a few thousand short answers.
        return LogisticRegression(C=C, solver="liblinear", max_iter=1000, random_state=RANDOM_STATE)

    # -- scoring --------------------------------------------------------------------------

    def score_matrix(self, texts: Sequence[str]) -> np.ndarray:
        """Scores as an array (answers × themes, in codebook order): faster for big jobs."""
        if self._prior is None:
            raise RuntimeError("fit() the engine before scoring")
        prepared = [" ".join(prepare(text)) for text in texts]
        prior = self._prior.score_many(prepared)
        # Without the prior (the tuning found it did more harm than good), a theme with no
        # model scores 0, as it did when the rule was chosen.
        result = prior.copy() if self.use_prior else np.zeros_like(prior)
        if self._modelled and len(texts):
            X = _features(self._vectorizers, texts, prepared)
            logits = np.asarray(X @ self._weights) + self._intercepts
            model = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
            # no words (only emoji, a placeholder or nothing the model knows): no evidence
            no_words = np.array([not text for text in prepared]) | (X.getnnz(axis=1) == 0)
            model[no_words] = 0.0
            cols = self._modelled
            blend = cast(np.ndarray, self._blend)  # fit() sets it with the models
            if self.use_prior:
                result[:, cols] = _blend(model, prior[:, cols], blend)
            else:
                result[:, cols] = model
        return result

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        names = [t.name for t in self.themes]
        return [
            {name: float(value) for name, value in zip(names, row, strict=True)}
            for row in self.score_matrix(texts)
        ]

    def _row(self, scores: Mapping[str, float]) -> np.ndarray:
        return np.array([float(scores.get(t.name, 0.0)) for t in self.themes])

    def assign(self, scores: Mapping[str, float]) -> list[tuple[str, float]]:
        row = self._row(scores)
        if not row.size:
            return []
        picked = self.rule.choose(row[None, :])[0]
        chosen = {t.name: float(row[i]) for i, t in enumerate(self.themes) if picked[i]}
        for theme in self.themes:
            if theme.parent and theme.name in chosen:
                chosen[theme.parent] = max(chosen.get(theme.parent, 0.0), chosen[theme.name])
        return sorted(chosen.items(), key=lambda item: (-item[1], item[0]))

    def uncertainty(self, scores: Mapping[str, float]) -> float:
        """1 when some theme's score sits on the cut it needs, 0 when every score is at 0 or
        1 (far from every cut)."""
        row = self._row(scores)
        if not row.size:
            return 0.0
        worst = 0.0
        for score, cut in zip(row, self.rule.cuts(row), strict=True):
            room = cut if score < cut else 1.0 - cut
            closeness = 1.0 - abs(score - cut) / room if room > 0 else 0.0
            worst = max(worst, closeness)
        return worst


# --------------------------------------------------------------------------------------------
# Features: TF-IDF of folded word 1-2-grams and of character 2-4-grams of the answer as written


def _fit_vectorizers(texts: Sequence[str]) -> tuple[Any, Any, Any]:
    """Word and character vectorizers (scikit-learn's, untyped) learnt from ``texts``."""
    # lazy: scikit-learn and SciPy take about a second to import
    from sklearn.feature_extraction.text import (
        CountVectorizer,
        TfidfTransformer,
        TfidfVectorizer,
    )

    prepared = [" ".join(prepare(text)) for text in texts]
    written = [_as_written(text) for text in texts]
    words = TfidfVectorizer(
        analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True,
        lowercase=False, dtype=np.float32,
    ).fit(prepared)  # fmt: skip
    vocabulary = sorted({w for text in written for w in text.split()})
    chars = CountVectorizer(
        analyzer="char_wb", ngram_range=(2, 4), lowercase=False, dtype=np.float32
    ).fit(vocabulary)
    weighting = TfidfTransformer(sublinear_tf=True).fit(_char_counts(chars, written))
    return words, chars, weighting


def _char_counts(chars: Any, written: Sequence[str]) -> Any:  # a sparse matrix or an array
    """Character n-gram counts within words, as ``char_wb`` would count them, but worked out
    once per distinct word: answers repeat words, so this is many times faster."""
    # lazy: scikit-learn and SciPy take about a second to import
    from sklearn.feature_extraction.text import CountVectorizer

    counter = CountVectorizer(token_pattern=r"\S+", lowercase=False, dtype=np.float32)
    try:
        per_answer = counter.fit_transform(written)
    except ValueError:  # no words at all
        return np.zeros((len(written), len(chars.vocabulary_)), dtype=np.float32)
    return (per_answer @ chars.transform(counter.get_feature_names_out())).tocsr()


def _features(
    vectorizers: tuple[Any, ...],
    texts: Sequence[str],
    prepared: Sequence[str] | None = None,
) -> Any:  # a scipy sparse matrix
    """The answers' features: word TF-IDF then character TF-IDF, side by side."""
    # lazy: scikit-learn and SciPy take about a second to import
    from scipy.sparse import csr_matrix, hstack

    words, chars, weighting = vectorizers
    if prepared is None:
        prepared = [" ".join(prepare(text)) for text in texts]
    written = [_as_written(text) for text in texts]
    char_part = weighting.transform(csr_matrix(_char_counts(chars, written)))
    return hstack([words.transform(prepared), char_part]).tocsr()


def _as_written(text: str) -> str:
    """The answer as written, lower-cased, words split on white space, punctuation kept: the
    form the character n-grams read ("so happy!!" and "so happy?" differ)."""
    return " ".join((text or "").lower().split())
