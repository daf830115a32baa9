"""The safeguarding screen's second look: a check learned from example answers.

The rules in ``data/safeguarding/*.yaml`` find the wordings someone has written down; young people
find others ("things at home arent good", "he keeps coming in my room at night"). When the rules
pass an answer, this check reads it again and flags it when it is very sure the answer reads like
the disclosures in its examples. It reads no meaning: it has learned which words and pairs of
words come with disclosures and which with ordinary answers, from the labelled examples in
``data/safeguarding/examples/*.csv`` (columns ``text,label`` as for ``evaluate_screen``).

- It only ever adds flags, never removes one the rules made, and what it flags is a ``concern``
  (a Safeguarding lead looks within a working day), never ``urgent``: urgent wording is the rules'.
- Its category is its best guess at which of the screen's categories the answer belongs to; its
  spans point at the words that weighed most, so the lead sees why.
- It is a logistic regression over single words and pairs of words side by side of the screen's
  normalised text (tf-idf), learned with scikit-learn by ``python manage.py train_screen_check``
  and stored as plain numbers in ``data/safeguarding/learned_check.json``. Scoring is plain
  Python (no scikit-learn, no Django) and only happens for answers with at least one of the words
  that weigh most towards a disclosure.

docs/safeguarding-screen.md says how to add examples and retrain; docs/benchmarks.md has its
figures on answers it never saw.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_NAME = "learned_check.json"
#: How the check's spans name themselves (``Span.rule``): "learned check: <words>".
RULE_NAME = "learned check"
FORMAT = 1

#: How sure (0 to 1) the check must be before it flags an answer the rules passed.
DEFAULT_THRESHOLD = 0.75
#: How sure it must be for a short answer (fewer than ``SHORT_WORDS`` words). A short answer
#: has few features, each weighing more, so its scores run to the extremes: "my stepdad is sound,
#: he takes me to football" scored 0.84. Plain short disclosures are the rules' to find.
DEFAULT_SHORT_THRESHOLD = 0.9
SHORT_WORDS = 15
#: How many of the words that weigh most towards a disclosure make an answer worth scoring.
TRIGGER_WORDS = 300
#: The models' regularisation (larger: fits the examples more closely). 3 rather than 30 since
#: the examples grew to take in the retired blind batches: closer fits flagged more of the
#: short look-alikes no example had (docs/benchmarks.md).
STRENGTH = 3.0
#: A feature is kept only if it is in at least this many examples.
MIN_EXAMPLES = 2


#: Words that say nothing on their own ("and", "the", "at"): never features alone, only in pairs
#: ("and then", "at night"). Alone they only measured how long and run-on an answer was, and
#: made lists such as "debates and discussions and sharing ideas" look like disclosures.
FILLERS = frozenset({
    "a", "also", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "in", "is", "it",
    "of", "on", "or", "really", "so", "that", "the", "then", "this", "to", "too", "very", "was",
    "what", "with",
})  # fmt: skip


def features(words: Sequence[str], fillers: frozenset[str] = FILLERS) -> list[str]:
    """Single words (but not ``fillers``) and pairs of words side by side, never across a
    sentence end (``"."``)."""
    found = [w for w in words if w != "." and w not in fillers]
    found += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False) if a != "." != b]
    return found


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z))


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the check made of one answer: how sure it is, and (if past the threshold) why."""

    score: float
    flagged: bool
    category: str | None = None
    #: Word positions (in the normalised words) of the features that weighed most, best first.
    reasons: tuple[tuple[int, int], ...] = ()
    #: Those features, as read ("coming in", "my room").
    reason_words: tuple[str, ...] = ()


class LearnedCheck:
    """A learned check, ready to score: ``LearnedCheck(model)`` from the data ``train`` returns,
    or :meth:`load` from a stored file."""

    def __init__(self, model: dict[str, Any]):
        if model.get("format") != FORMAT:
            raise ValueError(f"unknown learned check format {model.get('format')!r}")
        self.threshold = float(model["threshold"])
        self.short_threshold = float(model.get("short_threshold", self.threshold))
        self.short_words = int(model.get("short_words", 0))
        self.categories: list[str] = list(model["categories"])
        self.triggers = frozenset(model["triggers"])
        self._intercept = float(model["intercept"])
        # feature -> (idf, flag weight, weights per category)
        self._features: dict[str, tuple[float, float, tuple[float, ...]]] = {
            f: (float(v[0]), float(v[1]), tuple(map(float, v[2])))
            for f, v in model["features"].items()
        }
        self._category_intercepts = tuple(map(float, model["category_intercepts"]))
        self.examples = int(model.get("examples", 0))
        self._fillers = frozenset(model["fillers"])

    @classmethod
    def load(cls, path: Path | str) -> LearnedCheck:
        with Path(path).open(encoding="utf-8") as fh:
            return cls(json.load(fh))

    def worth_scoring(self, words: Iterable[str]) -> bool:
        """Whether the answer has any word that weighs much towards a disclosure."""
        return not self.triggers.isdisjoint(words)

    def _vector(self, words: Sequence[str]) -> dict[str, float]:
        """The answer's tf-idf vector over known features, as scikit-learn makes it (1 + log of
        the count, times the idf, scaled to length 1)."""
        known = self._features
        values = {}
        for f, count in Counter(features(words, self._fillers)).items():
            entry = known.get(f)
            if entry is not None:
                values[f] = (1.0 + math.log(count)) * entry[0] if count > 1 else entry[0]
        norm = math.sqrt(sum(v * v for v in values.values()))
        return {f: v / norm for f, v in values.items()} if norm else {}

    def score(self, words: Sequence[str]) -> float:
        """How sure the check is (0 to 1) that these normalised words are a disclosure."""
        # The same sum as over _vector, without building it: most answers scored are passed.
        known, fillers = self._features, self._fillers
        dot = square = 0.0
        for f, count in Counter([f for f in features(words, fillers) if f in known]).items():
            entry = known[f]
            v = (1.0 + math.log(count)) * entry[0] if count > 1 else entry[0]
            dot += v * entry[1]
            square += v * v
        return _sigmoid(self._intercept + (dot / math.sqrt(square) if square else 0.0))

    def threshold_for(self, words: Sequence[str]) -> float:
        """How sure the check must be for these words: surer for a short answer."""
        if sum(1 for w in words if w != ".") < self.short_words:
            return self.short_threshold
        return self.threshold

    def read(self, words: Sequence[str], *, reasons: int = 3) -> Verdict:
        """Score ``words`` and, if past their threshold, name a category and the words why."""
        score = self.score(words)
        if score < self.threshold_for(words):
            return Verdict(score=score, flagged=False)
        known = self._features
        vector = self._vector(words)
        totals = list(self._category_intercepts)
        for f, v in vector.items():
            for i, w in enumerate(known[f][2]):
                totals[i] += v * w
        category = self.categories[max(range(len(totals)), key=totals.__getitem__)]
        weighed = sorted(
            ((v * known[f][1], f) for f, v in vector.items() if known[f][1] > 0), reverse=True
        )
        chosen = [f for _, f in weighed[:reasons]]
        return Verdict(
            score=score,
            flagged=True,
            category=category,
            reasons=tuple(_where(words, f) for f in chosen),
            reason_words=tuple(chosen),
        )


def _where(words: Sequence[str], feature: str) -> tuple[int, int]:
    """The first (first word, last word) position of ``feature`` in ``words``."""
    parts = feature.split(" ")
    n = len(parts)
    for i in range(len(words) - n + 1):
        if list(words[i : i + n]) == parts:
            return (i, i + n - 1)
    return (0, 0)  # cannot happen for a feature read from these words


# --- Learning ---------------------------------------------------------------------------------


def read_examples(paths: Iterable[Path | str]) -> list[tuple[str, str]]:
    """``(text, label)`` rows from CSV files with the columns ``text,label``.

    A folder stands for every ``*.csv`` in it. Raises ``ValueError`` naming the file and row
    for a missing column or an empty label.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        files += sorted(path.glob("*.csv")) if path.is_dir() else [path]
    rows: list[tuple[str, str]] = []
    for path in files:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
                raise ValueError(f"{path}: expected the columns text,label")
            for number, row in enumerate(reader, start=2):
                text, label = (row["text"] or "").strip(), (row["label"] or "").strip()
                if not label:
                    raise ValueError(f"{path}, row {number}: empty label")
                if text:
                    rows.append((text, label))
    return rows


def train(
    rows: Sequence[tuple[str, str]],
    words_of: Callable[[str], list[str]],
    *,
    categories: Iterable[str],
    ignore: Iterable[str] = (),
    threshold: float = DEFAULT_THRESHOLD,
    short_threshold: float = DEFAULT_SHORT_THRESHOLD,
    short_words: int = SHORT_WORDS,
) -> dict[str, Any]:
    """Learn a check from ``(text, label)`` rows; returns the model as plain data for JSON.

    ``words_of`` turns an answer into the screen's normalised words; ``categories`` are the
    screen's category names (a row's label is ``none`` or names joined with ``;``); words in
    ``ignore`` (the commonest words) never make an answer worth scoring. Deterministic: the same
    rows give the same numbers. Needs scikit-learn.
    """
    # lazy: scikit-learn and SciPy take about a second to import
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    known = list(categories)
    labels = []
    for text, label in rows:
        names = [p.strip() for p in label.split(";") if p.strip()]
        unknown = set(names) - set(known) - {"none"}
        if unknown:
            raise ValueError(f"unknown label {', '.join(sorted(unknown))!r} for {text[:60]!r}")
        labels.append([] if names == ["none"] else names)
    flags = [bool(names) for names in labels]
    if not any(flags) or all(flags):
        raise ValueError("the learned check needs both disclosures and ordinary examples")

    docs = [words_of(text) for text, _ in rows]
    vectoriser = TfidfVectorizer(
        analyzer=features, sublinear_tf=True, min_df=min(MIN_EXAMPLES, len(rows))
    )
    matrix = vectoriser.fit_transform(docs)
    flag_model = LogisticRegression(C=STRENGTH, class_weight="balanced", max_iter=5000)
    flag_model.fit(matrix, flags)

    # Which category, once flagged: learned from the disclosures, by their first label.
    which = [i for i, f in enumerate(flags) if f]
    firsts = [labels[i][0] for i in which]
    kinds = sorted(set(firsts), key=known.index)
    names = [str(f) for f in vectoriser.get_feature_names_out()]
    if len(kinds) > 1:
        kind_model = LogisticRegression(C=STRENGTH, max_iter=5000)
        kind_model.fit(matrix[which], firsts)
        order = [list(kind_model.classes_).index(k) for k in kinds]
        if len(kinds) == 2:
            coef = [[-c, c] for c in kind_model.coef_[0]]
            intercepts = [-kind_model.intercept_[0], kind_model.intercept_[0]]
        else:
            coef = [[kind_model.coef_[k][j] for k in order] for j in range(len(names))]
            intercepts = [kind_model.intercept_[k] for k in order]
    else:
        coef = [[0.0] for _ in names]
        intercepts = [0.0]

    common = frozenset(ignore)
    weights = flag_model.coef_[0]
    single = sorted(
        (
            (-float(w), f)
            for f, w in zip(names, weights, strict=True)
            if " " not in f and w > 0 and f not in common
        ),
    )
    return {
        "format": FORMAT,
        "about": (
            "The safeguarding screen's learned check (consultations/analysis/learned_check.py). "
            "Made by `python manage.py train_screen_check` from data/safeguarding/examples/; "
            "do not edit by hand."
        ),
        "examples": len(rows),
        "threshold": threshold,
        "short_threshold": short_threshold,
        "short_words": short_words,
        "fillers": sorted(FILLERS),
        "intercept": round(float(flag_model.intercept_[0]), 6),
        "categories": kinds,
        "category_intercepts": [round(float(b), 6) for b in intercepts],
        "triggers": sorted(f for _, f in single[:TRIGGER_WORDS]),
        "features": {
            f: [round(float(i), 6), round(float(w), 6), [round(float(c), 6) for c in cs]]
            for f, i, w, cs in zip(names, vectoriser.idf_, weights, coef, strict=True)
        },
    }


def write_model(model: dict[str, Any], path: Path | str) -> None:
    """Write a model as stable, diff-friendly JSON (one feature a line, sorted)."""
    head = {k: v for k, v in model.items() if k != "features"}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    lines.append('  "features": {')
    items = sorted(model["features"].items())
    for n, (f, v) in enumerate(items):
        comma = "," if n < len(items) - 1 else ""
        lines.append(f"    {json.dumps(f, ensure_ascii=False)}: {json.dumps(v)}{comma}")
    lines += ["  }", "}", ""]
    Path(path).write_text("\n".join(lines), encoding="utf-8")
