"""The whole safeguarding screen, leaving one retired blind batch out of its learned check.

    .venv/bin/python benchmarks/screen_folds.py [--batches lmnop | --batches ag,ah,ai]
        [--false-alarms 0.02]
        [--threshold T] [--short-threshold 0.96] [--sentence-threshold 0.9] [--short-words 15]
        [--look-alike-threshold 0.9]

For each batch given, the learned check is learned again from every example but
``examples/blind_<name>.csv`` (``Screen.learn_check``, as ``train_screen_check`` does, with the
settings given) and
written beside a copy of the rules in a scratch folder; the whole screen (rules, harm told as
over, the check) then reads the batch left out. Printed for each: disclosures found and ordinary
answers flagged in that batch, and as false alarms in other voices that no check learned from,
the labelled set's ordinary answers and the ordinary look-alikes in the suite's own tests.

This is how the check's settings were chosen (docs/benchmarks.md, "Fresh blind batch Q"). It
flatters the screen: the batches were read before, and rules were written from some of them.
A fresh blind batch, read once with ``benchmarks/screen_blind.py``, is the fair measure.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthforum.settings.test")

from consultations.analysis.learned_check import (  # noqa: E402
    DEFAULT_SHORT_THRESHOLD,
    FALSE_ALARMS,
    LOOK_ALIKE_THRESHOLD,
    MODEL_NAME,
    SENTENCE_THRESHOLD,
    SHORT_WORDS,
    read_examples,
    write_model,
)
from consultations.analysis.safeguarding import RULES_DIR, Screen  # noqa: E402

EXAMPLES = RULES_DIR / "examples"
LABELLED = ROOT / "tests/consultations/analysis/data/screen_labelled.csv"


def suite_look_alikes() -> list[str]:
    """The ordinary answers the suite's screen tests hold up as look-alikes."""
    from tests.consultations.analysis import test_safeguarding, test_safeguarding_kinds

    return [
        *test_safeguarding_kinds.ORDINARY,
        *test_safeguarding_kinds.C_KINDS_ORDINARY,
        *test_safeguarding.ORDINARY,
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", default="lmnop")
    parser.add_argument("--false-alarms", type=float, default=FALSE_ALARMS)
    parser.add_argument("--threshold", type=float, default=None, help="default: five-fold")
    parser.add_argument("--short-threshold", type=float, default=DEFAULT_SHORT_THRESHOLD)
    parser.add_argument("--sentence-threshold", type=float, default=SENTENCE_THRESHOLD)
    parser.add_argument("--short-words", type=int, default=SHORT_WORDS)
    parser.add_argument("--look-alike-threshold", type=float, default=LOOK_ALIKE_THRESHOLD)
    args = parser.parse_args(argv)

    rules = Screen(RULES_DIR, learned=False)
    with LABELLED.open(encoding="utf-8", newline="") as fh:
        labelled_ordinary = [r["text"] for r in csv.DictReader(fh) if r["label"] == "none"]
    look_alikes = suite_look_alikes()
    found = disclosures = alarms = ordinary = 0
    print(f"{vars(args)}; found / disclosures, flagged / ordinary")
    # "lmnop" is five batches; "ag,ah,ai" three, and "ag" one (names of more than one letter).
    if "," in args.batches or (EXAMPLES / f"blind_{args.batches}.csv").is_file():
        batches = [n for n in args.batches.split(",") if n]
    else:
        batches = list(args.batches)
    missing = [n for n in batches if not (EXAMPLES / f"blind_{n}.csv").is_file()]
    if missing:
        raise SystemExit(f"not a retired blind batch (examples/blind_<name>.csv): {missing}")
    for name in batches:
        held = EXAMPLES / f"blind_{name}.csv"
        rows = read_examples([p for p in sorted(EXAMPLES.glob("*.csv")) if p != held])
        model = rules.learn_check(
            rows,
            false_alarms=args.false_alarms,
            threshold=args.threshold,
            short_threshold=args.short_threshold,
            sentence_threshold=args.sentence_threshold,
            short_words=args.short_words,
            look_alike_threshold=args.look_alike_threshold,
        )
        with tempfile.TemporaryDirectory() as folder:
            for path in RULES_DIR.glob("*.yaml"):
                shutil.copy(path, folder)
            write_model(model, Path(folder) / MODEL_NAME)
            screen = Screen(folder)
        batch = read_examples([held])
        hits = [(screen.screen(text).flagged, label != "none") for text, label in batch]
        f, d = sum(h for h, x in hits if x), sum(x for _, x in hits)
        a, o = sum(h for h, x in hits if not x), sum(not x for _, x in hits)
        others = sum(screen.screen(t).flagged for t in labelled_ordinary)
        suite = [t for t in look_alikes if screen.screen(t).flagged]
        print(
            f"{name}: {f}/{d} found, {a}/{o} flagged (threshold {model['threshold']}) | "
            "labelled set's ordinary flagged "
            f"{others}/{len(labelled_ordinary)} | suite look-alikes flagged "
            f"{len(suite)}/{len(look_alikes)} {suite}",
            flush=True,
        )
        found, disclosures, alarms, ordinary = found + f, disclosures + d, alarms + a, ordinary + o
    print(
        f"all: recall {found / disclosures:.3f} ({found}/{disclosures}), "
        f"false alarms {alarms / ordinary:.3f} ({alarms}/{ordinary})"
    )


if __name__ == "__main__":
    main()
