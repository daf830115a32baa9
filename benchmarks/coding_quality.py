"""How well the coding engine codes answers, against a strong plain baseline, on public sets.

    .venv/bin/python benchmarks/coding_quality.py --public [--seeds 5]
    .venv/bin/python benchmarks/coding_quality.py --public --curve [--seeds 3]
    .venv/bin/python benchmarks/coding_quality.py --data PATH [PATH ...] [--seeds 5]

``--public`` runs every CSV in ``benchmarks/data`` (four public human-coded sets of short free
text, about a thousand answers each; sources, licences and how the rows were chosen are in
``benchmarks/data/README.md``). ``--data`` takes one or more CSVs, in either of two forms:

* the form of the ANES 2008 open-ended coding sets as cleaned by the co_benchmark project
  (``caseID,verbatim`` then one 0/1 column per code), which may not be redistributed, so it is
  not in this repository (see the README for where to get it);
* the form ``manage.py code_responses`` reads for examples: ``text,themes`` with theme names
  separated by ``;`` (an answer with no theme has an empty ``themes``).

For each data set, each share of coded answers (10% and 30%) and each seed, the answers are
shuffled; the first share is the training set ("coded by people") and the rest the test set.
Two coders learn from the same training set and code the same test set:

* **engine**: ``consultations.analysis.theme_coding.default_engine()``. The sets have no
  codebook text beyond the theme names, so this measures what the engine learns from coded
  answers (plus whatever its keyword prior makes of the bare names);
* **baseline**: a strong plain coder anyone could build in an afternoon. TF-IDF of word
  unigrams and bigrams plus character 2-4-grams within words (``char_wb``), both with
  ``sublinear_tf``; one-vs-rest logistic regression (liblinear); then ONE global probability
  threshold for every theme. The regularisation ``C`` (1, 10 or 100) and the threshold are
  chosen together by 5-fold cross-validation on the training share only, maximising
  sample-averaged F1. Every answer gets at least its top-scoring theme, unless some training
  answers were coded with none: then the cross-validation also chooses whether to give it
  (the issue's baseline always gives it; leaving answers uncoded makes it stronger there).

``--curve`` prints instead the learning curve of the coding screen's order: 30% of each set is
held out as the test set, and the rest is "coded" 10, 20, 30, 50, 75, 100, 150, 200, 300 and
400 answers at a time, either least-sure-first (after each step the engine is refitted and the
answers with the highest ``uncertainty`` come next, as in the screen's queue) or at random; it
reports the sample F1 on the test set after 50, 100, 200 and 400 coded answers (mean and
standard deviation over the seeds).

``--weak`` adds the two weak baselines of the earlier version of this benchmark (word TF-IDF,
scikit-learn's default logistic regression, threshold 0.5, with and without
``class_weight="balanced"``), so the old table can be reproduced.

For each data set and share it prints, over the seeds:

* **sample F1**: each test answer's F1 between the coder's themes and the person's (an answer
  where both chose no theme scores 1), averaged over the answers, then over the seeds; with a
  bootstrap 95% interval. The bootstrap resamples the test answers of each seed with
  replacement (1,000 resamples, the same resample for every coder), takes the mean over the
  seeds of each resample's sample F1, and reports the 2.5th and 97.5th percentiles. It shows
  how much the figure depends on which answers were tested; the spread from which answers were
  coded shows in the standard deviation over seeds, printed beside it;
* **engine - baseline**: the difference in sample F1, with a paired bootstrap interval (same
  resampled answers for both coders);
* **themes an answer**: how many themes each coder gave a test answer on average, against
  how many the people gave;
* **CPU-seconds** a run (fitting and coding, one seed), and the machine.

Results, with the machine, go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks.machine import cpu  # noqa: E402
from consultations.analysis.quality import evaluate  # noqa: E402
from consultations.analysis.theme_coding import Example, ThemeSpec, default_engine  # noqa: E402

DATA = ROOT / "benchmarks" / "data"
SHARES = (0.1, 0.3)
RESAMPLES = 1000
BASELINE_CS = (1.0, 10.0, 100.0)
BASELINE_FOLDS = 5
THRESHOLDS = np.round(np.arange(0.02, 0.91, 0.01), 2)

Themes = frozenset[str]
Coder = Callable[[list[str], list[str], list[Themes], list[str]], list[Themes]]


def load(path: Path) -> tuple[list[str], list[Themes], list[str]]:
    """Texts, their themes and every theme name, from either form of CSV."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [row for row in reader if row]
    if header[:2] == ["caseID", "verbatim"]:
        codes = header[2:]
        names = [f"ANES code {code}" for code in codes]
        texts = [row[1].strip() for row in rows]
        themes = [
            frozenset(name for name, flag in zip(names, row[2:], strict=True) if flag == "1")
            for row in rows
        ]
        return texts, themes, names
    if header[:2] == ["text", "themes"]:
        texts = [row[0] for row in rows]
        themes = [frozenset(t.strip() for t in row[1].split(";") if t.strip()) for row in rows]
        return texts, themes, sorted(set().union(*themes))
    raise SystemExit(f"{path}: expected the columns caseID,verbatim,... or text,themes")


# -- coders ----------------------------------------------------------------------------------


def engine_codes(names, train_texts, train_themes, test_texts) -> list[Themes]:
    themes = [ThemeSpec(name) for name in names]
    examples = [Example(t, s) for t, s in zip(train_texts, train_themes, strict=True)]
    engine = default_engine().fit(themes, examples)
    return [frozenset(n for n, _ in engine.assign(s)) for s in engine.scores(test_texts)]


@dataclass
class StrongBaseline:
    """TF-IDF words + characters, one-vs-rest logistic regression, one global threshold."""

    chosen: list[tuple[float, float, bool]] = field(default_factory=list)  # per run

    def __call__(self, names, train_texts, train_themes, test_texts) -> list[Themes]:
        seen = [n for n in names if any(n in s for s in train_themes)]  # others: never predicted
        Y = np.array([[n in s for n in seen] for s in train_themes], dtype=int)
        X_train, X_test = _features(train_texts, test_texts)
        C, threshold, at_least_one = self._choose(train_texts, Y)
        self.chosen.append((C, threshold, at_least_one))
        probabilities = _one_vs_rest(X_train, Y, X_test, C)
        decided = _decide(probabilities, threshold, at_least_one)
        return [frozenset(seen[j] for j in row) for row in decided]

    @staticmethod
    def _choose(texts: list[str], Y: np.ndarray) -> tuple[float, float, bool]:
        """(C, threshold, at least one theme?) maximising the out-of-fold sample F1 on the
        training share. Leaving an answer with no theme is tried only when some training
        answers have none."""
        folds = min(BASELINE_FOLDS, len(texts))
        fold_of = np.random.RandomState(0).permutation(len(texts)) % folds
        oof = {C: np.zeros(Y.shape) for C in BASELINE_CS}
        for k in range(folds):
            train, test = fold_of != k, fold_of == k
            X_train, X_test = _features(
                [texts[i] for i in np.flatnonzero(train)],
                [texts[i] for i in np.flatnonzero(test)],
            )
            for C in BASELINE_CS:
                oof[C][test] = _one_vs_rest(X_train, Y[train], X_test, C)
        truth = [frozenset(np.flatnonzero(row)) for row in Y]
        best = (-1.0, BASELINE_CS[0], 0.5, True)
        may_leave = [True, False] if not Y.any(axis=1).all() else [True]
        for C in BASELINE_CS:
            for threshold in THRESHOLDS:
                for at_least_one in may_leave:
                    guesses = [frozenset(row) for row in _decide(oof[C], threshold, at_least_one)]
                    score = float(np.mean(_answer_f1(truth, guesses)))
                    if score > best[0]:
                        best = (score, C, float(threshold), at_least_one)
        return best[1], best[2], best[3]


def _features(train_texts: list[str], test_texts: list[str]):
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True)
    X_train = hstack([words.fit_transform(train_texts), chars.fit_transform(train_texts)])
    X_test = hstack([words.transform(test_texts), chars.transform(test_texts)])
    return X_train.tocsr(), X_test.tocsr()


def _one_vs_rest(X_train, Y: np.ndarray, X_test, C: float) -> np.ndarray:
    """Each theme's probability for each test answer (a theme all or none of the training
    answers have gets that constant)."""
    from sklearn.linear_model import LogisticRegression

    out = np.zeros((X_test.shape[0], Y.shape[1]))
    for j in range(Y.shape[1]):
        y = Y[:, j]
        if y.min() == y.max():
            out[:, j] = float(y[0])
            continue
        model = LogisticRegression(C=C, solver="liblinear", max_iter=1000).fit(X_train, y)
        out[:, j] = model.predict_proba(X_test)[:, 1]
    return out


def _decide(probabilities: np.ndarray, threshold: float, at_least_one=True) -> list[list[int]]:
    """Themes at or above the threshold; the top theme if none is (``at_least_one``)."""
    chosen = []
    for row in probabilities:
        picked = list(np.flatnonzero(row >= threshold))
        if not picked and row.size and at_least_one:
            picked = [int(np.argmax(row))]
        chosen.append(picked)
    return chosen


def weak_codes(names, train_texts, train_themes, test_texts, class_weight=None) -> list[Themes]:
    """The earlier benchmark's baseline: word TF-IDF, default logistic regression, 0.5."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2))
    X_train = vectorizer.fit_transform(train_texts)
    X_test = vectorizer.transform(test_texts)
    chosen: list[set[str]] = [set() for _ in test_texts]
    for name in names:
        y = np.array([name in s for s in train_themes])
        if not y.any():
            continue
        if y.all():
            probabilities = np.ones(len(test_texts))
        else:
            model = LogisticRegression(class_weight=class_weight).fit(X_train, y)
            probabilities = model.predict_proba(X_test)[:, 1]
        for i in np.flatnonzero(probabilities >= 0.5):
            chosen[i].add(name)
    return [frozenset(c) for c in chosen]


def weak_balanced_codes(names, train_texts, train_themes, test_texts) -> list[Themes]:
    return weak_codes(names, train_texts, train_themes, test_texts, class_weight="balanced")


# -- measuring -------------------------------------------------------------------------------


def _answer_f1(truth: Sequence[frozenset], guesses: Sequence[frozenset]) -> np.ndarray:
    """Each answer's F1, with the convention of ``quality.evaluate`` (both empty: 1)."""
    return np.array(
        [
            1.0 if not t and not g else 2 * len(t & g) / (len(t) + len(g))
            for t, g in zip(truth, guesses, strict=True)
        ]
    )


@dataclass
class Runs:
    """Per seed: each test answer's F1 and number of themes, and the CPU-seconds."""

    f1: list[np.ndarray] = field(default_factory=list)
    counts: list[np.ndarray] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)


def _bootstrap(per_seed: list[np.ndarray], indices: list[np.ndarray]) -> np.ndarray:
    """For each resample, the mean over seeds of the mean of the resampled answers."""
    return np.mean(
        [values[index].mean(axis=1) for values, index in zip(per_seed, indices, strict=True)], 0
    )


def _interval(values: np.ndarray) -> str:
    low, high = np.percentile(values, [2.5, 97.5])
    return f"[{low:.3f}, {high:.3f}]"


def run(path: Path, seeds: int, coders: dict[str, Coder]) -> str:
    texts, themes, names = load(path)
    n = len(texts)
    lines = [
        f"**{path.name}**: {n} answers ({sum(bool(s) for s in themes)} with at least one "
        f"theme), {len(names)} themes, {statistics.mean(len(s) for s in themes):.2f} themes "
        f"an answer.",
        "",
        "| coded (train / test) | coder | sample F1 (sd over seeds) | bootstrap 95% | "
        "engine − baseline [95%] | themes an answer (people) | CPU-s a run |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for share in SHARES:
        cut = round(share * n)
        runs = {coder: Runs() for coder in coders}
        people = []
        indices = []
        for seed in range(seeds):
            order = np.random.RandomState(seed).permutation(n)
            train, test = order[:cut], order[cut:]
            truth = [themes[i] for i in test]
            gold = {int(i): themes[i] for i in test}
            people.append(np.mean([len(s) for s in truth]))
            indices.append(
                np.random.RandomState(1000 + seed).randint(0, len(test), (RESAMPLES, len(test)))
            )
            for name, coder in coders.items():
                started = time.process_time()
                codes = coder(
                    names,
                    [texts[i] for i in train],
                    [themes[i] for i in train],
                    [texts[i] for i in test],
                )
                runs[name].seconds.append(time.process_time() - started)
                f1 = _answer_f1(truth, codes)
                report = evaluate(gold, dict(zip(map(int, test), codes, strict=True)), names)
                assert abs(f1.mean() - (report.sample_f1 or 0.0)) < 1e-9
                runs[name].f1.append(f1)
                runs[name].counts.append(np.array([len(c) for c in codes]))
        resampled = {name: _bootstrap(r.f1, indices) for name, r in runs.items()}
        for name, r in runs.items():
            means = [float(f.mean()) for f in r.f1]
            spread = statistics.stdev(means) if len(means) > 1 else 0.0
            difference = "—"
            if name == "engine" and "baseline" in runs:
                base = [float(f.mean()) for f in runs["baseline"].f1]
                delta = statistics.mean(means) - statistics.mean(base)
                difference = (
                    f"{delta:+.3f} {_interval(resampled['engine'] - resampled['baseline'])}"
                )
            lines.append(
                f"| {share:.0%} ({cut} / {n - cut}) | {name} | "
                f"{statistics.mean(means):.3f} ({spread:.3f}) | {_interval(resampled[name])} | "
                f"{difference} | {np.mean([c.mean() for c in r.counts]):.2f} "
                f"({statistics.mean(people):.2f}) | {statistics.mean(r.seconds):.2f} |"
            )
    baseline = coders.get("baseline")
    if isinstance(baseline, StrongBaseline) and baseline.chosen:
        picks = ", ".join(
            f"C {c:g} t {t:.2f}{'' if one else ' may leave none'}" for c, t, one in baseline.chosen
        )
        lines += ["", f"Baseline's cross-validated choices (10% seeds, then 30%): {picks}."]
        baseline.chosen.clear()
    return "\n".join(lines)


# -- the coding screen's order: a learning curve ---------------------------------------------

CURVE_POINTS = (50, 100, 200, 400)
#: The engine is refitted, and the next answers chosen, after this many coded answers.
CURVE_STEPS = (10, 20, 30, 50, 75, 100, 150, 200, 300, 400)
CURVE_TEST_SHARE = 0.3


def _curve(texts, themes, names, seed: int, order: str) -> dict[int, float]:
    """Sample F1 on a held-out test set after 50, 100, 200 and 400 answers were coded in the
    coding screen's order: ``least-sure`` (refit, then code next the answers whose
    ``uncertainty`` is highest, as the screen's queue does) or ``random``."""
    specs = [ThemeSpec(name) for name in names]
    shuffled = np.random.RandomState(seed).permutation(len(texts))
    cut = round(CURVE_TEST_SHARE * len(texts))
    test, pool = list(shuffled[:cut]), list(shuffled[cut:])
    truth = [themes[i] for i in test]
    coded: list[int] = []
    figures: dict[int, float] = {}
    engine = default_engine().fit(specs, [])
    for step in CURVE_STEPS:
        want = step - len(coded)
        if order == "random" or not coded:
            chosen = pool[:want]  # the pool is already in random order
        else:
            scores = engine.scores([texts[i] for i in pool])
            unsure = [-engine.uncertainty(s) for s in scores]
            chosen = [pool[j] for j in np.argsort(unsure, kind="stable")[:want]]
        coded += chosen
        taken = set(chosen)
        pool = [i for i in pool if i not in taken]
        examples = [Example(texts[i], themes[i]) for i in coded]
        engine = default_engine().fit(specs, examples)
        if step in CURVE_POINTS:
            guesses = [
                frozenset(n for n, _ in engine.assign(s))
                for s in engine.scores([texts[i] for i in test])
            ]
            figures[step] = float(_answer_f1(truth, guesses).mean())
    return figures


def learning_curve(path: Path, seeds: int) -> str:
    texts, themes, names = load(path)
    lines = [
        f"**{path.name}**, learning curve ({seeds} seeds; test set {CURVE_TEST_SHARE:.0%} "
        "of the answers, held out of the pool):",
        "",
        "| order | " + " | ".join(f"{n} coded" for n in CURVE_POINTS) + " |",
        "| --- | " + " | ".join("---:" for _ in CURVE_POINTS) + " |",
    ]
    for order in ("least-sure", "random"):
        runs = [_curve(texts, themes, names, seed, order) for seed in range(seeds)]
        cells = [
            f"{statistics.mean(r[n] for r in runs):.3f} "
            f"({statistics.stdev(r[n] for r in runs) if seeds > 1 else 0.0:.3f})"
            for n in CURVE_POINTS
        ]
        lines.append(f"| {order} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, nargs="+", help="CSVs of human-coded answers.")
    parser.add_argument("--public", action="store_true", help="Every CSV in benchmarks/data.")
    parser.add_argument("--seeds", type=int, default=5, help="Random splits to average over.")
    parser.add_argument("--weak", action="store_true", help="Add the earlier weak baselines.")
    parser.add_argument(
        "--curve",
        action="store_true",
        help="Only the learning curve of the coding screen's order (least-sure-first, random).",
    )
    args = parser.parse_args()
    paths = list(args.data or [])
    if args.public:
        paths += sorted(DATA.glob("*.csv"))
    if not paths:
        parser.error("give --data PATH [PATH ...] or --public")
    for path in paths:
        if not path.exists():
            raise SystemExit(f"{path} not found: see benchmarks/data/README.md")
    coders: dict[str, Coder] = {"engine": engine_codes, "baseline": StrongBaseline()}
    if args.weak:
        coders |= {"weak baseline": weak_codes, "weak baseline, balanced": weak_balanced_codes}
    # Import scikit-learn and SciPy before the clock starts, so no coder pays for it.
    import scipy.sparse  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.linear_model  # noqa: F401

    started = time.perf_counter()
    for path in paths:
        if args.curve:
            print(learning_curve(path, args.seeds), end="\n\n", flush=True)
        else:
            print(run(path, args.seeds, coders), end="\n\n", flush=True)
    resampling = (
        ""
        if args.curve
        else (f"; bootstrap {RESAMPLES} resamples of the test answers within each seed")
    )
    print(
        f"Mean over {args.seeds} seeds{resampling}. Machine: nproc {os.cpu_count()}, {cpu()}, "
        f"Python {platform.python_version()}; {time.perf_counter() - started:.0f} s in all."
    )


if __name__ == "__main__":
    main()
