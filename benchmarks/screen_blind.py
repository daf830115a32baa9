"""The safeguarding screen on a blind batch, kind by kind, beside a plain learned baseline.

    .venv/bin/python benchmarks/screen_blind.py FILE.csv [FILE.csv ...] [--misses]

Each file has ``text,label,kind`` rows: ``label`` is ``disclosure`` or ``ordinary`` (or
``none``, as in batch G); ``kind`` is the kind of harm (``suicidal_thoughts``,
``radicalisation``...) or, for an ordinary answer, the kind of look-alike (``idiom``,
``past_resolved``, ``strict_parent``...). A blind batch is written by someone who never saw the
rules or the examples, measured once, before anything is learned from it, and only then retired
to the examples (docs/safeguarding-screen.md).

For each file it prints recall (disclosures flagged), false alarms (ordinary answers flagged)
and urgent false alarms, overall and per kind, for:

* **the screen** as the site runs it (rules, then the learned check);
* **a plain baseline**: TF-IDF over words (1-2) and characters (2-4) with a logistic
  regression, trained on the same labelled examples the learned check learns from, with its
  threshold set on those examples (five-fold) to flag no more than 5% of ordinary answers;
* two ways of joining them: the rules (and harm told as over) with the baseline in place of
  the learned check, and the screen or the baseline (either flags it).

``--misses`` also lists the disclosures the screen missed and the ordinary answers it flagged.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consultations.analysis.learned_check import read_examples  # noqa: E402
from consultations.analysis.safeguarding import load_screen  # noqa: E402

EXAMPLES = sorted((ROOT / "consultations/analysis/data/safeguarding/examples").glob("*.csv"))
BASELINE_FALSE_ALARMS = 0.05


def read_batch(path: Path) -> list[tuple[str, bool, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    batch = []
    for number, row in enumerate(rows, start=2):
        label = row["label"].strip()
        if label not in {"disclosure", "ordinary", "none"}:
            raise SystemExit(f"{path}, line {number}: label must be disclosure or ordinary")
        batch.append((row["text"], label == "disclosure", row.get("kind", "").strip() or "-"))
    return batch


def baseline() -> Callable[[Sequence[str]], list[bool]]:
    """A plain classifier trained on the examples, its threshold set by five-fold validation."""
    # scikit-learn is the project's training-time dependency; the site never imports it.
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import make_pipeline, make_union

    examples = read_examples(EXAMPLES)
    texts = [text for text, _ in examples]
    labels = np.array([label != "none" for _, label in examples])

    def model():
        return make_pipeline(
            make_union(
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, min_df=2
                ),
            ),
            LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced"),
        )

    scores = cross_val_predict(model(), texts, labels, cv=5, method="predict_proba")[:, 1]
    ordinary = np.sort(scores[~labels])
    index = int(np.ceil(len(ordinary) * (1 - BASELINE_FALSE_ALARMS))) - 1
    threshold = float(ordinary[min(max(index, 0), len(ordinary) - 1)])
    fitted = model().fit(texts, labels)
    print(
        f"Baseline: trained on {len(texts)} examples, flags above {threshold:.3f} "
        f"(five-fold on the examples: {np.mean(scores[labels] > threshold):.1%} of disclosures, "
        f"{np.mean(scores[~labels] > threshold):.1%} of ordinary answers)"
    )
    return lambda batch: [bool(p > threshold) for p in fitted.predict_proba(list(batch))[:, 1]]


def _share(hits: int, total: int) -> str:
    return f"{hits / total:.3f} ({hits}/{total})" if total else "-"


def report(name: str, batch, flagged: list[bool], urgent: list[bool] | None) -> None:
    by_kind: dict[tuple[bool, str], Counter[str]] = defaultdict(Counter)
    for (_, disclosure, kind), hit, loud in zip(
        batch, flagged, urgent or [False] * len(batch), strict=True
    ):
        counts = by_kind[disclosure, kind]
        counts["all"] += 1
        counts["flagged"] += hit
        counts["urgent"] += loud
    disclosures = [c for (d, _), c in by_kind.items() if d]
    ordinary = [c for (d, _), c in by_kind.items() if not d]
    found = sum(c["flagged"] for c in disclosures)
    alarms = sum(c["flagged"] for c in ordinary)
    print(f"\n{name}")
    print(f"  recall        {_share(found, sum(c['all'] for c in disclosures))}")
    print(f"  false alarms  {_share(alarms, sum(c['all'] for c in ordinary))}")
    if urgent is not None:
        print(f"  urgent false alarms  {sum(c['urgent'] for c in ordinary)}")
    print("  disclosures flagged, by kind:")
    for (disclosure, kind), counts in sorted(by_kind.items()):
        if disclosure:
            print(f"    {kind:32} {counts['flagged']:>3}/{counts['all']}")
    print("  ordinary answers flagged, by kind:")
    for (disclosure, kind), counts in sorted(by_kind.items()):
        if not disclosure:
            print(f"    {kind:32} {counts['flagged']:>3}/{counts['all']}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args(argv)

    screen = load_screen()
    plain = None if args.no_baseline else baseline()
    for path in args.files:
        batch = read_batch(path)
        results = [screen.screen(text) for text, _, _ in batch]
        flagged = [r.flagged for r in results]
        urgent = [r.flagged and r.severity == "urgent" for r in results]
        print(f"\n== {path.name}: {len(batch)} answers")
        report("The screen (rules, then the learned check)", batch, flagged, urgent)
        if plain is not None:
            by_baseline = plain([t for t, _, _ in batch])
            report("Plain baseline (TF-IDF + logistic regression)", batch, by_baseline, None)
            by_rules = [screen.by_rules(text).flagged for text, _, _ in batch]
            report(
                "The rules, or the baseline in place of the learned check",
                batch,
                [r or b for r, b in zip(by_rules, by_baseline, strict=True)],
                None,
            )
            report(
                "The screen, or the baseline",
                batch,
                [s or b for s, b in zip(flagged, by_baseline, strict=True)],
                None,
            )
        if args.misses:
            print("\n  missed disclosures:")
            for (text, disclosure, kind), hit in zip(batch, flagged, strict=True):
                if disclosure and not hit:
                    print(f"    [{kind}] {text}")
            print("  ordinary answers flagged:")
            for (text, disclosure, kind), result in zip(batch, results, strict=True):
                if not disclosure and result.flagged:
                    print(f"    [{kind}, {result.severity}] {text}")


if __name__ == "__main__":
    main()
