"""How well the coding engine codes answers, on a public human-coded set of survey answers.

    .venv/bin/python benchmarks/coding_quality.py --data PATH [--seeds 10]

PATH is a CSV of short free-text answers coded by people into themes, in either of two forms:

* the form of the ANES 2008 open-ended coding sets as cleaned by the co_benchmark project
  (``caseID,verbatim`` then one 0/1 column per code), see ``benchmarks/data/README.md`` for
  where to get it and why it is not in this repository;
* the form ``manage.py code_responses`` reads for examples: ``text,themes`` with theme names
  separated by ``;``.

For each training share (10% and 30% of the answers) and each seed, the answers are shuffled,
the first share is the training set and the rest the test set. Two coders learn from the same
training set and code the same test set:

* **engine**: ``consultations.analysis.theme_coding.default_engine()``. The data set has no codebook
  text (its themes are numbered codes), so only the examples teach it: this measures the
  learning half of the engine, not the keyword prior;
* **baseline**: plain TF-IDF (word unigrams and bigrams) with one-vs-rest logistic regression
  (scikit-learn defaults) and a threshold of 0.5;
* **baseline, balanced**: the same with ``class_weight="balanced"``, shown so that the gain from
  weighting rare themes can be told apart from the engine's other parts (character n-grams,
  tuned thresholds).

It prints a Markdown table of the sample-averaged F1 (each answer's F1, averaged; an answer
where the person and the coder both chose no theme scores 1) and the micro F1, as the mean and
the standard deviation over the seeds. Results, with the machine, go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks.machine import cpu  # noqa: E402
from consultations.analysis.quality import evaluate  # noqa: E402
from consultations.analysis.theme_coding import Example, ThemeSpec, default_engine  # noqa: E402

SHARES = (0.1, 0.3)


def load(path: Path) -> tuple[list[str], list[frozenset[str]], list[str]]:
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


def engine_codes(names, train_texts, train_themes, test_texts) -> list[frozenset[str]]:
    themes = [ThemeSpec(name) for name in names]
    examples = [Example(t, s) for t, s in zip(train_texts, train_themes, strict=True)]
    engine = default_engine().fit(themes, examples)
    return [frozenset(n for n, _ in engine.assign(s)) for s in engine.scores(test_texts)]


def baseline_codes(
    names, train_texts, train_themes, test_texts, class_weight=None
) -> list[frozenset[str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = TfidfVectorizer(ngram_range=(1, 2))
    X_train = vectorizer.fit_transform(train_texts)
    X_test = vectorizer.transform(test_texts)
    chosen = [set() for _ in test_texts]
    for name in names:
        y = np.array([name in s for s in train_themes])
        if not y.any():
            continue  # never seen in training: never predicted
        if y.all():
            probabilities = np.ones(len(test_texts))
        else:
            model = LogisticRegression(class_weight=class_weight).fit(X_train, y)
            probabilities = model.predict_proba(X_test)[:, 1]
        for i in np.flatnonzero(probabilities >= 0.5):
            chosen[i].add(name)
    return [frozenset(c) for c in chosen]


def balanced_codes(names, train_texts, train_themes, test_texts) -> list[frozenset[str]]:
    return baseline_codes(names, train_texts, train_themes, test_texts, class_weight="balanced")


CODERS = {
    "engine": engine_codes,
    "baseline": baseline_codes,
    "baseline, balanced": balanced_codes,
}


def run(path: Path, seeds: int) -> str:
    texts, themes, names = load(path)
    n = len(texts)
    results: dict[tuple[float, str], list[tuple[float, float]]] = {}
    seconds = dict.fromkeys(CODERS, 0.0)
    for share in SHARES:
        for seed in range(seeds):
            order = np.random.RandomState(seed).permutation(n)
            cut = round(share * n)
            train, test = order[:cut], order[cut:]
            gold = {int(i): themes[i] for i in test}
            for coder, function in CODERS.items():
                started = time.process_time()
                codes = function(
                    names,
                    [texts[i] for i in train],
                    [themes[i] for i in train],
                    [texts[i] for i in test],
                )
                seconds[coder] += time.process_time() - started
                predicted = {int(i): c for i, c in zip(test, codes, strict=True)}
                report = evaluate(gold, predicted, names)
                results.setdefault((share, coder), []).append(
                    (report.sample_f1, report.micro_f1 or 0.0)
                )

    def cell(values: list[float]) -> str:
        spread = statistics.stdev(values) if len(values) > 1 else 0.0
        return f"{statistics.mean(values):.3f} ± {spread:.3f}"

    labelled = sum(bool(s) for s in themes)
    lines = [
        f"Data: {path.name}, {n} answers ({labelled} with at least one theme), "
        f"{len(names)} themes, {statistics.mean(len(s) for s in themes):.2f} themes an answer; "
        f"mean ± standard deviation over {seeds} seeds.",
        "",
        "| trained on | train / test answers | coder | sample F1 | micro F1 | CPU-seconds a run |",
        "| --- | ---: | --- | ---: | ---: | ---: |",
    ]
    for share in SHARES:
        cut = round(share * n)
        for coder in CODERS:
            figures = results[(share, coder)]
            sample = cell([f[0] for f in figures])
            micro = cell([f[1] for f in figures])
            if coder == "engine":
                sample, micro = f"**{sample}**", f"**{micro}**"
            lines.append(
                f"| {share:.0%} | {cut} / {n - cut} | {coder} | {sample} | {micro} | "
                f"{seconds[coder] / (len(SHARES) * seeds):.2f} |"
            )
    lines += [
        "",
        f"Machine: nproc {os.cpu_count()}, {cpu()}, Python {platform.python_version()}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="CSV of human-coded answers.")
    parser.add_argument("--seeds", type=int, default=10, help="Random splits to average over.")
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data} not found: see benchmarks/data/README.md")
    print(run(args.data, args.seeds))


if __name__ == "__main__":
    main()
