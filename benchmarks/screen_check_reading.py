"""Would the learned check do better reading the answer's own words than the normalised ones?

    .venv/bin/python benchmarks/screen_check_reading.py --batches cc,cd,ce,cf,cg,ch
        [--reading normalised | --reading own]

The learned check reads the words the rules read: normalised ("dont" as "do not", "u" as
"you", "stepdad" as "step dad"). The plain baseline in ``screen_blind.py`` reads the answer's
own words and does better on fresh batches; it misses the rules' plain disclosures, so it
cannot replace the screen, but its way of reading might serve the check. This measures that
alone.

For each retired blind batch given, a check is learned (``learned_check.train``, with the
shipped settings) from every example but ``examples/blind_<name>.csv``, reading the words
one of two ways:

* ``normalised``: ``Screen.words``, as the shipped check reads;
* ``own``: the answer in lower case, apostrophes dropped, split into runs of letters and
  digits and single other characters (an emoji, "£"), with ``.``, ``!`` and ``?`` as full
  stops and commas, colons, brackets, quotes and dashes dropped.

The batch left out is then read by a simpler screen than the site's, the same for both: the
rules (with harm told as over), or else the check. There is no second opinion on the rules'
concerns and no look-alike bar, so it flags a few more than the site's screen would. Printed
for each batch: disclosures found, ordinary answers flagged, the check's threshold, and the
labelled set's ordinary answers flagged; then the totals. Run the two readings side by side
(each takes about a minute a batch on this machine). docs/benchmarks.md, "Fresh blind batches
BZ to CK", has the figures.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthforum.settings.test")

from benchmarks.screen_folds import EXAMPLES, LABELLED  # noqa: E402
from consultations.analysis.learned_check import LearnedCheck, read_examples, train  # noqa: E402
from consultations.analysis.safeguarding import RULES_DIR, Screen  # noqa: E402

_PIECES = re.compile(r"\w+|[.!?]+|[^\w\s,;:\"()\-]")
_STOP = re.compile(r"[.!?]+")


def own_words(text: str) -> list[str]:
    """The answer's own words, between full stops, as the check's features need them."""
    words = ["."]
    for piece in _PIECES.findall(text.lower().replace("'", "").replace("’", "")):
        word = "." if _STOP.fullmatch(piece) else piece
        if word != "." or words[-1] != ".":
            words.append(word)
    if words[-1] != ".":
        words.append(".")
    return words


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", required=True, help="retired blind batches, e.g. cc,cd")
    parser.add_argument("--reading", choices=("normalised", "own"), default="normalised")
    args = parser.parse_args(argv)

    rules = Screen(RULES_DIR, learned=False)
    words_of = own_words if args.reading == "own" else rules.words
    with LABELLED.open(encoding="utf-8", newline="") as fh:
        labelled = [r["text"] for r in csv.DictReader(fh) if r["label"] == "none"]
    found = disclosures = alarms = ordinary = others = 0
    for name in [n for n in args.batches.split(",") if n]:
        held = EXAMPLES / f"blind_{name}.csv"
        if not held.is_file():
            raise SystemExit(f"not a retired blind batch: {held.name}")
        rows = read_examples([p for p in sorted(EXAMPLES.glob("*.csv")) if p != held])
        model = train(
            rows,
            words_of,
            categories=rules.categories,
            passed_by_rules=[not rules.by_rules(text).flagged for text, _ in rows],
        )
        check = LearnedCheck(model)

        def flags(text: str, check: LearnedCheck = check) -> bool:
            return rules.by_rules(text).flagged or check.read(words_of(text)).flagged

        batch = [(text, label != "none") for text, label in read_examples([held])]
        f = sum(flags(t) for t, d in batch if d)
        a = sum(flags(t) for t, d in batch if not d)
        o = sum(flags(t) for t in labelled)
        d, n = sum(d for _, d in batch), sum(not d for _, d in batch)
        print(
            f"{args.reading} {name}: {f}/{d} found, {a}/{n} flagged "
            f"(threshold {model['threshold']}) | labelled set's ordinary flagged "
            f"{o}/{len(labelled)}",
            flush=True,
        )
        found, disclosures, alarms, ordinary = found + f, disclosures + d, alarms + a, ordinary + n
        others += o
    print(
        f"{args.reading} all: {found}/{disclosures} found, {alarms}/{ordinary} flagged, "
        f"labelled set's ordinary flagged {others} (summed over the batches)"
    )


if __name__ == "__main__":
    main()
