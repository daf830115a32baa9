"""Would a learned second net under the safeguarding screen's rules find more disclosures?

    .venv/bin/python benchmarks/screen_second_net.py [--rules DIR] [--examples CSV] [--test CSV]

An experiment, not part of the product: docs/benchmarks.md ("Safeguarding screen", "A learned
second net") says why it was left out. The net is a logistic regression over single words and
pairs of words of the screen's normalised text (tf-idf), learned from ``--examples`` (default: the
shipped labelled set), scored in plain Python, and asked only about answers the rules passed that
have a word some rule looks for and one of the words that weigh most towards a disclosure. It
prints, for ``--test`` (default: blind batch A), the recall and false-alarm rate of the rules
alone and of rules plus net at several thresholds, and what the net costs an answer.

To measure it fairly, the rules and the examples must not have seen the test set: pass a copy of
the rules and of the labelled set from before they were tuned on it (``git show`` an older
commit), e.g. the state before batch A (commit a062cae).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consultations.analysis.safeguarding import (  # noqa: E402
    _COMMON,
    _EVERYWHERE,
    _LINES,
    RULES_DIR,
    Normaliser,
    Screen,
)

DATA = ROOT / "tests" / "consultations" / "analysis" / "data"

#: How many of the words that weigh most towards a disclosure let the net score an answer.
TRIGGER_WORDS = 300


def _net_features(words: list[str]) -> list[str]:
    """Single words and pairs of words side by side, never across a sentence end."""
    pairs = [a + " " + b for a, b in zip(words, words[1:], strict=False) if "." not in (a, b)]
    return [w for w in words if w != "."] + pairs


class LearnedNet:  # noqa: D101
    """A linear model over words and word pairs, learned from example answers, that would flag
    an answer the rules passed when it is very sure. Learned once with scikit-learn; scored here in
    plain Python over the screen's own normalised words (a scikit-learn transform per answer costs
    about a millisecond). It reads no meaning: it has learned which words and pairs of words come
    with disclosures in the examples.
    """

    def __init__(
        self,
        examples: Iterable[tuple[str, str]],
        normaliser: Normaliser,
        *,
        threshold: float = 0.98,
    ):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        rows = [(text, label) for text, label in examples if text and label]
        docs = [normaliser.prepare(text)[2] for text, _ in rows]
        flags = [label.strip() != "none" for _, label in rows]
        if not rows or all(flags) or not any(flags):
            raise ValueError("the second net needs both disclosures and ordinary examples")
        self.threshold = threshold
        self._normaliser = normaliser
        vectoriser = TfidfVectorizer(analyzer=_net_features, sublinear_tf=True)
        matrix = vectoriser.fit_transform(docs)
        flag_model = LogisticRegression(C=30, class_weight="balanced", max_iter=5000)
        flag_model.fit(matrix, flags)
        names = vectoriser.get_feature_names_out()
        idf = vectoriser.idf_
        self._weights = {
            str(f): (float(i), float(c))
            for f, i, c in zip(names, idf, flag_model.coef_[0], strict=True)
        }
        self._intercept = float(flag_model.intercept_[0])
        # Words the net leans on most for a disclosure: an answer with none of them is not scored
        # (it cannot reach the threshold in practice, and scoring costs more than this check).
        single = [
            (c, f)
            for f, (_, c) in self._weights.items()
            if " " not in f and c > 0 and f not in _COMMON and f not in _EVERYWHERE
        ]
        self.triggers = frozenset(f for _, f in sorted(single, reverse=True)[:TRIGGER_WORDS])
        # Which category, once flagged: the first label of each disclosure.
        which = [
            (d, label.split(";")[0].strip())
            for d, (_, label), f in zip(docs, rows, flags, strict=True)
            if f
        ]
        self._categories: list[str] = []
        self._category_weights: list[dict[str, float]] = []
        self._category_intercepts: list[float] = []
        kinds = sorted({c for _, c in which})
        if len(kinds) == 1:
            self._categories = kinds
        else:
            kind_model = LogisticRegression(C=30, max_iter=5000)
            kind_model.fit(vectoriser.transform([d for d, _ in which]), [c for _, c in which])
            self._categories = [str(c) for c in kind_model.classes_]
            rows_of_coef = (
                kind_model.coef_ if len(kinds) > 2 else [-kind_model.coef_[0], kind_model.coef_[0]]
            )
            intercepts = (
                kind_model.intercept_
                if len(kinds) > 2
                else [-kind_model.intercept_[0], kind_model.intercept_[0]]
            )
            for coef, b in zip(rows_of_coef, intercepts, strict=True):
                self._category_weights.append(
                    {str(f): float(c) for f, c in zip(names, coef, strict=True) if c}
                )
                self._category_intercepts.append(float(b))

    @classmethod
    def from_csv(cls, paths: Iterable[Path], normaliser: Normaliser, **kwargs) -> LearnedNet:
        rows: list[tuple[str, str]] = []
        for path in paths:
            with Path(path).open(encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                if not reader.fieldnames or {"text", "label"} - set(reader.fieldnames):
                    raise ValueError(f"{path}: needs the columns text,label")
                rows += [(r["text"], r["label"]) for r in reader]
        return cls(rows, normaliser, **kwargs)

    def _vector(self, words: list[str]) -> dict[str, float]:
        """The answer's tf-idf vector over the features the net knows, as scikit-learn makes it
        (1 + log of the count, times the idf, scaled to length 1)."""
        weights = self._weights
        values = {
            f: (1.0 + math.log(c)) * weights[f][0] if c > 1 else weights[f][0]
            for f, c in Counter(_net_features(words)).items()
            if f in weights
        }
        norm = math.sqrt(sum(v * v for v in values.values()))
        return {f: v / norm for f, v in values.items()} if norm else {}

    def score(self, words: list[str]) -> float:
        """How sure the net is (0 to 1) that these normalised words are a disclosure."""
        # The same sum as over _vector, without building it: most answers are scored and passed.
        weights = self._weights
        dot = square = 0.0
        for f, c in Counter(_net_features(words)).items():
            w = weights.get(f)
            if w is not None:
                v = (1.0 + math.log(c)) * w[0] if c > 1 else w[0]
                dot += v * w[1]
                square += v * v
        z = self._intercept + (dot / math.sqrt(square) if square else 0.0)
        return 1.0 / (1.0 + math.exp(-z)) if z > -30 else 0.0

    def category(self, words: list[str]) -> str:
        """The category the net thinks likeliest for a flagged answer."""
        if len(self._categories) == 1:
            return self._categories[0]
        vector = self._vector(words)
        scores = [
            b + sum(v * w.get(f, 0.0) for f, v in vector.items())
            for w, b in zip(self._category_weights, self._category_intercepts, strict=True)
        ]
        return self._categories[max(range(len(scores)), key=scores.__getitem__)]


def _read(rules: Screen, text: str) -> tuple[bool, bool, list[str]]:
    """(flagged by the rules, whether some rule was tried, the normalised words)."""
    found = [rules._pieces.get(p) or rules._piece(p) for p in text.translate(_LINES).split()]
    first = set().union(*[ids for _, ids, _ in found])
    second = set().union(*[ids for _, _, ids in found])
    keys = [".", *itertools.chain.from_iterable([entry[2] for entry, _, _ in found]), "."]
    for pair in rules._pair_keys.intersection(zip(keys, keys[1:], strict=False)):
        first.update(rules._index.get(pair, ()))
        second.update(rules._second.get(pair, ()))
    woke = bool((first & second) | (first & rules._alone))
    words = rules.normaliser.prepare(text)[2]
    return rules.screen(text).flagged, woke, words


def _rows(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [(r["text"], r["label"]) for r in csv.DictReader(fh)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=Path, default=RULES_DIR)
    parser.add_argument("--examples", type=Path, default=DATA / "screen_labelled.csv")
    parser.add_argument("--test", type=Path, default=DATA / "screen_blind_a.csv")
    options = parser.parse_args()

    rules = Screen(options.rules)
    net = LearnedNet(_rows(options.examples), rules.normaliser)
    test = _rows(options.test)
    disclosures = sum(label != "none" for _, label in test)
    ordinary = len(test) - disclosures
    by_rules, scores = [], []
    for text, _ in test:
        flagged, woke, words = _read(rules, text)
        by_rules.append(flagged)
        asked = woke and not flagged and not net.triggers.isdisjoint(words)
        scores.append(net.score(words) if asked else 0.0)
    print(f"{options.test.name}: {disclosures} disclosures, {ordinary} ordinary")
    print(f"examples: {options.examples}; rules: {options.rules}")
    for threshold in (None, 0.8, 0.9, 0.95, 0.98):
        caught = alarms = 0
        for (_, label), flagged, p in zip(test, by_rules, scores, strict=True):
            hit = flagged or (threshold is not None and p >= threshold)
            caught += hit and label != "none"
            alarms += hit and label == "none"
        name = "rules alone" if threshold is None else f"rules + net at {threshold}"
        print(
            f"  {name:<22} recall {caught / disclosures:.3f} ({caught}/{disclosures})  "
            f"false alarms {alarms / ordinary:.3f} ({alarms}/{ordinary})"
        )
    texts = [t for t, _ in test] * 20
    start = time.process_time()
    for text in texts:
        rules.screen(text)
    plain = time.process_time() - start
    start = time.process_time()
    for text in texts:
        flagged, woke, words = _read(rules, text)
        if not flagged and woke and not net.triggers.isdisjoint(words):
            net.score(words)
    both = time.process_time() - start
    print(
        f"  cost: rules {plain / len(texts) * 1e6:.0f} µs an answer, "
        f"rules + net {both / len(texts) * 1e6:.0f} µs"
    )


if __name__ == "__main__":
    main()
