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
   has coded yet is still found this way.
2. **The answers people have coded** (examples). Word (1–2) and character (2–4, within words)
   n-gram TF-IDF features and, for each theme with at least ``MIN_POSITIVES`` examples (and as
   many without it), a logistic regression (one-vs-rest, ``class_weight="balanced"``, fixed
   ``random_state``).

For a theme with a model the score is ``w * model + (1 - w) * max(model, prior)`` with
``w = n / (n + BLEND_K)`` for ``n`` coded examples of the theme. A keyword in the answer lifts
the score while few answers are coded, and matters less as the examples grow; a keyword
missing from the answer never counts against it (people use other words than the codebook's),
so with no keyword the score is the model's. The threshold that turns a score into a code is
tuned per theme, by ``FOLDS``-fold cross-validation on the examples, to the value with the best
F1, when the theme has at least ``MIN_TUNE`` examples with it and without it; otherwise it is
``PRIOR_THRESHOLD``. (The TF-IDF vocabulary is learnt once from all examples, not per fold: it
uses no labels, so the tuning stays honest enough and is several times cheaper.)

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
from pathlib import Path
from typing import Any, Protocol, cast, runtime_checkable

import numpy as np
import yaml

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
    "TfidfLogisticEngine",
    "ThemeSpec",
    "default_engine",
    "load_codebook_yaml",
    "merge",
    "prepare",
]

#: A theme needs this many coded examples (and as many without it) before a model is learnt.
MIN_POSITIVES = 3
#: ... and this many of each before its threshold is tuned by cross-validation.
MIN_TUNE = 6
#: Folds of the cross-validation that tunes thresholds.
FOLDS = 5
#: How fast the examples take over from the codebook: w = n / (n + BLEND_K).
BLEND_K = 5.0
#: The threshold of a theme whose threshold is not tuned: one keyword (0.5) is enough.
PRIOR_THRESHOLD = 0.4
RANDOM_STATE = 0

_KEYWORD_WEIGHT = 1.0
_NAME_WEIGHT = 0.5
_DESCRIPTION_WEIGHT = 0.25
_MAX_PHRASE = 6


@dataclass(frozen=True)
class ThemeSpec:
    """A theme as the engine sees it: what the codebook says about it."""

    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()
    parent: str | None = None


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


def _best_threshold(scores: np.ndarray, truth: np.ndarray) -> float:
    """The threshold with the best F1 on out-of-fold scores.

    Of the thresholds with the best F1 the most inclusive is taken, and set halfway between
    the lowest score it keeps and the next score below, so that a new answer scoring a little
    under the examples is still coded. Kept within 0.05–0.95.
    """
    positives = float(truth.sum())
    if not positives:
        return PRIOR_THRESHOLD
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], truth[order]
    tp = np.cumsum(hits)
    predicted = np.arange(1, len(ranked) + 1)
    # Only the last of equal scores is a possible cut: a threshold keeps all of them or none.
    last = np.append(ranked[1:] != ranked[:-1], True)
    f1 = np.where(last, 2 * tp / (predicted + positives), -1.0)
    cut = int(np.flatnonzero(f1 >= f1.max() - 1e-12)[-1])
    low = float(ranked[cut])
    if cut + 1 < len(ranked):
        low = (low + float(ranked[cut + 1])) / 2
    return float(min(max(low, 0.05), 0.95))


@dataclass
class TfidfLogisticEngine:
    """Keyword prior blended with word and character n-gram TF-IDF logistic regression."""

    name: str = "tfidf-logistic"
    C: float = 4.0
    themes: tuple[ThemeSpec, ...] = ()
    thresholds: dict[str, float] = field(default_factory=dict)
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
        self.thresholds = dict.fromkeys(names, PRIOR_THRESHOLD)
        self._modelled, self._weights, self._intercepts, self._blend = [], None, None, None
        self.examples_used = len(examples)

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

        prepared = [" ".join(prepare(e.text)) for e in examples]
        X = self._fit_vectorizers(prepared)
        prior = self._prior.score_many(prepared)
        self._modelled = modelled
        self._blend = np.array([positives[i] / (positives[i] + BLEND_K) for i in modelled])

        # Out-of-fold scores, for the thresholds of themes with enough examples of each kind.
        tune = [
            j for j, i in enumerate(modelled)
            if positives[i] >= MIN_TUNE and negatives[i] >= MIN_TUNE
        ]  # fmt: skip
        if tune:
            folds = min(FOLDS, int(min(min(positives[modelled[j]], negatives[modelled[j]])
                                           for j in tune)))  # fmt: skip
            folds = max(folds, 2)
            order = np.random.RandomState(RANDOM_STATE).permutation(len(examples))
            fold_of = np.empty(len(examples), dtype=int)
            fold_of[order] = np.arange(len(examples)) % folds
            oof = np.zeros((len(examples), len(tune)))
            for k in range(folds):
                train, test = fold_of != k, fold_of == k
                for col, j in enumerate(tune):
                    i = modelled[j]
                    y = labels[train, i]
                    if y.all() or not y.any():
                        p = np.full(test.sum(), float(y.mean()))
                    else:
                        model = self._logistic().fit(X[train], y)
                        p = model.predict_proba(X[test])[:, 1]
                    oof[test, col] = _blend(p, prior[test, i], self._blend[j])
            for col, j in enumerate(tune):
                i = modelled[j]
                self.thresholds[names[i]] = _best_threshold(oof[:, col], labels[:, i])

        weights, intercepts = [], []
        for i in modelled:
            model = self._logistic().fit(X, labels[:, i])
            weights.append(model.coef_[0])
            intercepts.append(model.intercept_[0])
        self._weights = np.vstack(weights).T
        self._intercepts = np.array(intercepts)
        return self

    def _logistic(self) -> Any:  # a LogisticRegression
        # lazy: scikit-learn and SciPy take about a second to import
        from sklearn.linear_model import LogisticRegression

        # liblinear: several times faster than lbfgs on a few thousand short answers.
        return LogisticRegression(
            C=self.C,
            class_weight="balanced",
            solver="liblinear",
            max_iter=1000,
            random_state=RANDOM_STATE,
        )

    def _fit_vectorizers(self, prepared: Sequence[str]) -> Any:  # a scipy sparse matrix
        # lazy: scikit-learn and SciPy take about a second to import
        from sklearn.feature_extraction.text import (
            CountVectorizer,
            TfidfTransformer,
            TfidfVectorizer,
        )

        words = TfidfVectorizer(
            analyzer="word", token_pattern=r"\S+", ngram_range=(1, 2), sublinear_tf=True,
            lowercase=False, dtype=np.float32,
        ).fit(prepared)  # fmt: skip
        vocabulary = sorted({w for text in prepared for w in text.split()})
        chars = CountVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), lowercase=False, dtype=np.float32
        ).fit(vocabulary)
        self._vectorizers = (words, chars, None)
        weighting = TfidfTransformer(sublinear_tf=True).fit(self._char_counts(prepared))
        self._vectorizers = (words, chars, weighting)
        return self._transform(prepared)

    def _char_counts(self, prepared: Sequence[str]) -> Any:  # a sparse matrix or an array
        """Character n-gram counts within words, as ``char_wb`` would count them, but worked
        out once per distinct word: answers repeat words, so this is many times faster."""
        # lazy: scikit-learn and SciPy take about a second to import
        from sklearn.feature_extraction.text import CountVectorizer

        chars = self._vectorizers[1]
        counter = CountVectorizer(token_pattern=r"\S+", lowercase=False, dtype=np.float32)
        try:
            per_answer = counter.fit_transform(prepared)
        except ValueError:  # no words at all
            return np.zeros((len(prepared), len(chars.vocabulary_)), dtype=np.float32)
        return (per_answer @ chars.transform(counter.get_feature_names_out())).tocsr()

    def _transform(self, prepared: Sequence[str]) -> Any:  # a scipy sparse matrix
        # lazy: scikit-learn and SciPy take about a second to import
        from scipy.sparse import csr_matrix, hstack

        words, _, weighting = self._vectorizers
        char_part = weighting.transform(csr_matrix(self._char_counts(prepared)))
        return hstack([words.transform(prepared), char_part]).tocsr()

    # -- scoring --------------------------------------------------------------------------

    def score_matrix(self, texts: Sequence[str]) -> np.ndarray:
        """Scores as an array (answers × themes, in codebook order): faster for big jobs."""
        if self._prior is None:
            raise RuntimeError("fit() the engine before scoring")
        prepared = [" ".join(prepare(text)) for text in texts]
        result = self._prior.score_many(prepared)
        if self._modelled and len(texts):
            X = self._transform(prepared)
            logits = np.asarray(X @ self._weights) + self._intercepts
            model = 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
            model[X.getnnz(axis=1) == 0] = 0.0  # no words the model knows: no evidence
            cols = self._modelled
            blend = cast(np.ndarray, self._blend)  # fit() sets it with the models
            result[:, cols] = _blend(model, result[:, cols], blend)
        return result

    def scores(self, texts: Sequence[str]) -> list[dict[str, float]]:
        names = [t.name for t in self.themes]
        return [
            {name: float(value) for name, value in zip(names, row, strict=True)}
            for row in self.score_matrix(texts)
        ]

    def assign(self, scores: Mapping[str, float]) -> list[tuple[str, float]]:
        chosen = {
            name: float(scores.get(name, 0.0))
            for name, threshold in self.thresholds.items()
            if scores.get(name, 0.0) >= threshold
        }
        for theme in self.themes:
            if theme.parent and theme.name in chosen:
                chosen[theme.parent] = max(chosen.get(theme.parent, 0.0), chosen[theme.name])
        return sorted(chosen.items(), key=lambda item: (-item[1], item[0]))

    def uncertainty(self, scores: Mapping[str, float]) -> float:
        """1 when some theme's score sits on its threshold, 0 when every score is at 0 or 1."""
        worst = 0.0
        for name, threshold in self.thresholds.items():
            score = float(scores.get(name, 0.0))
            room = threshold if score < threshold else 1.0 - threshold
            closeness = 1.0 - abs(score - threshold) / room if room > 0 else 0.0
            worst = max(worst, closeness)
        return worst


# --------------------------------------------------------------------------------------------
# Codebooks as YAML


def _looks_like_a_path(text: str) -> bool:
    """A one-line string naming a ``.yaml`` file or any file that exists is a path."""
    if "\n" in text or not text.strip():
        return False
    if text.strip().endswith((".yaml", ".yml")):
        return True
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def load_codebook_yaml(path_or_text: str | Path) -> list[ThemeSpec]:
    """Read a codebook: ``themes:`` then a list of ``name`` (required), ``description``,
    ``keywords`` (a list, or one per line) and ``parent`` (another theme's name).

    ``path_or_text`` is a ``Path``, a file name (a one-line string ending ``.yaml``/``.yml``,
    or naming a file that exists) or the YAML itself.

    Raises ``ValueError`` with a message a person can act on for a missing or unreadable file,
    bad YAML, a missing name, a duplicate name (ignoring case), a ``;`` in a name (it separates
    themes in CSV files), an unknown parent or more than two levels. Other keys (``colour``)
    are ignored.
    """
    if isinstance(path_or_text, Path) or _looks_like_a_path(path_or_text):
        path = Path(path_or_text)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ValueError(f"codebook file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"cannot read codebook file {path}: {error}") from None
    else:
        text = str(path_or_text)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"the codebook is not valid YAML: {error}") from None
    if not isinstance(data, dict) or "themes" not in data:
        raise ValueError("the codebook must start with 'themes:' followed by a list of themes")
    items = data["themes"]
    if not isinstance(items, list) or not items:
        raise ValueError("'themes:' must be followed by a list with at least one theme")

    specs: list[ThemeSpec] = []
    seen: dict[str, int] = {}
    for number, item in enumerate(items, start=1):
        where = f"theme {number}"
        if not isinstance(item, dict):
            raise ValueError(f"{where} must be a mapping with at least a 'name'")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where} has no name")
        name = " ".join(name.split())
        where = f"theme {number} ({name!r})"
        if ";" in name:
            raise ValueError(f"{where}: a theme name may not contain ';'")
        if name.casefold() in seen:
            raise ValueError(
                f"{where}: the name is used twice (also theme {seen[name.casefold()]})"
            )
        seen[name.casefold()] = number
        description = item.get("description") or ""
        if not isinstance(description, str):
            raise ValueError(f"{where}: the description must be text")
        keywords = item.get("keywords") or []
        if isinstance(keywords, str):
            keywords = keywords.splitlines()
        if not isinstance(keywords, list) or not all(
            isinstance(k, str | int | float) and not isinstance(k, bool) for k in keywords
        ):
            raise ValueError(f"{where}: keywords must be a list of words or phrases")
        keywords = tuple(str(k).strip() for k in keywords if str(k).strip())
        parent = item.get("parent")
        if parent is not None and (not isinstance(parent, str) or not parent.strip()):
            raise ValueError(f"{where}: the parent must be another theme's name")
        parent = " ".join(parent.split()) if parent else None
        specs.append(ThemeSpec(name, description.strip(), keywords, parent))

    by_name = {spec.name.casefold(): spec for spec in specs}
    resolved: list[ThemeSpec] = []
    for spec in specs:
        if spec.parent is None:
            resolved.append(spec)
            continue
        parent = by_name.get(spec.parent.casefold())
        if parent is None:
            raise ValueError(f"theme {spec.name!r} has an unknown parent {spec.parent!r}")
        if parent.name == spec.name:
            raise ValueError(f"theme {spec.name!r} cannot be its own parent")
        if parent.parent is not None:
            raise ValueError(
                f"theme {spec.name!r} is under {parent.name!r}, which is itself under "
                f"{parent.parent!r}: codebooks have two levels at most"
            )
        resolved.append(ThemeSpec(spec.name, spec.description, spec.keywords, parent.name))
    return resolved
