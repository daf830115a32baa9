"""How well the safeguarding screen finds disclosures written in disguise, and what it costs.

    .venv/bin/python benchmarks/screen_disguises.py [--seed 12] [--repeat 5]
        [--set FILE.csv ...] [--personal FILE.csv]

The labelled sets the project already has (the learned check's examples in
``consultations/analysis/data/safeguarding/examples/`` and the sets in
``tests/consultations/analysis/data/``) are screened as written, then with each disguise below,
and the share of disclosures flagged is printed for each. These are the project's own labelled
examples, most of which the rules or the learned check were written from, so the plain figure
is near 100%: what matters is how far each disguise lowers it.

Each disguise is applied to every place it can go, so it is harsher than the issue's held-out
measurement (which disguised some words):

* zero-width: a zero-width space (U+200B) inside every word of four letters or more;
* soft hyphen: a soft hyphen (U+00AD) inside every word of four letters or more;
* look-alike: every letter that has a Cyrillic look-alike (a c e i j o p s x y, and capitals)
  written with it;
* line breaks: three line breaks between every two words.

``--set`` measures other labelled files instead (``text,label``; ``none`` is an ordinary
answer), such as a fresh blind batch nobody here has read. ``--personal`` takes a file of
``text,secret`` rows (``secret``: the personal data in the text) and counts, as written and with
each disguise, the answers whose redacted text still holds the secret's letters and digits.

It also prints how many ordinary answers are flagged, as written and with the line breaks
(reading a line break as a space must not make ordinary answers look like disclosures), and
the time to screen and redact one answer, as written and disguised (best of ``--repeat``).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consultations.analysis.redaction import redact  # noqa: E402
from consultations.analysis.safeguarding import load_screen  # noqa: E402

SETS = sorted((ROOT / "consultations/analysis/data/safeguarding/examples").glob("*.csv")) + sorted(
    (ROOT / "tests/consultations/analysis/data").glob("screen_*.csv")
)

_WORD = re.compile(r"[A-Za-z]{4,}")
_CYRILLIC = str.maketrans(
    "aceijopsxyACEHIJKMOPSTXY", "асеіјорѕхуАСЕНІЈКМОРЅТХУ"
)  # Latin -> Cyrillic look-alike


def _inside(char: str):
    def insert(rng: random.Random, text: str) -> str:
        def one(m: re.Match[str]) -> str:
            word = m.group()
            at = rng.randrange(1, len(word))
            return word[:at] + char + word[at:]

        return _WORD.sub(one, text)

    return insert


_LATIN = {
    ord(cyr): lat
    for lat, cyr in zip("aceijopsxyACEHIJKMOPSTXY", "асеіјорѕхуАСЕНІЈКМОРЅТХУ", strict=True)
}

DISGUISES = {
    "zero-width": _inside("\u200b"),
    "soft hyphen": _inside("\u00ad"),
    "look-alike": lambda rng, text: text.translate(_CYRILLIC),
    "line breaks": lambda rng, text: "\n\n\n".join(text.split(" ")),
}


def _rows(sets: list[Path]) -> list[tuple[str, bool]]:
    rows = []
    for path in sets:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                text = (row["text"] or "").strip()
                if text:
                    rows.append((text, row["label"].strip() != "none"))
    return rows


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _personal(path: Path, seed: int) -> None:
    """How many answers' redacted text still holds their personal data, per disguise."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = [(r["text"], r["secret"]) for r in csv.DictReader(fh) if r["secret"].strip()]
    print(f"Personal data left after redaction ({len(rows)} answers from {path.name}):")
    for name, disguise in {"as written": lambda rng, text: text, **DISGUISES}.items():
        rng = random.Random(seed)
        left = []
        for text, secret in rows:
            # The secret is disguised in place, as part of its answer.
            start = text.index(secret)
            changed = disguise(rng, text[start : start + len(secret)])
            redacted = redact(text[:start] + changed + text[start + len(secret) :]).text
            if _letters(secret) in _letters(redacted.translate(_LATIN)):
                left.append(secret)
        print(f"  {name:<14}  {len(left)} of {len(rows)} left" + (f": {left}" if left else ""))
    print()


def _best(func, texts: list[str], repeat: int) -> float:
    """Microseconds of CPU per answer, best of ``repeat`` runs."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        for text in texts:
            func(text)
        best = min(best, time.process_time() - start)
    return best / len(texts) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--set", type=Path, action="append", dest="sets")
    parser.add_argument("--personal", type=Path)
    options = parser.parse_args()
    sets = options.sets or SETS

    screen = load_screen().screen
    rows = _rows(sets)
    disclosures = [t for t, flagged in rows if flagged]
    ordinary = [t for t, flagged in rows if not flagged]
    print(f"{len(disclosures)} labelled disclosures and {len(ordinary)} ordinary answers")
    print(f"from {', '.join(p.name for p in sets)}\n")
    if options.personal:
        _personal(options.personal, options.seed)

    plain = sum(screen(t).flagged for t in disclosures)
    print(f"  as written      {plain / len(disclosures):6.1%} of disclosures flagged")
    disguised = {}
    for name, disguise in DISGUISES.items():
        rng = random.Random(options.seed)
        disguised[name] = [disguise(rng, t) for t in disclosures]
        found = sum(screen(t).flagged for t in disguised[name])
        print(f"  {name:<14}  {found / len(disclosures):6.1%}")

    alarms = sum(screen(t).flagged for t in ordinary)
    rng = random.Random(options.seed)
    broken = sum(screen(DISGUISES["line breaks"](rng, t)).flagged for t in ordinary)
    print(
        f"\nOrdinary answers flagged: {alarms / len(ordinary):.1%} as written, "
        f"{broken / len(ordinary):.1%} with line breaks between words"
    )

    def both(text: str) -> None:
        screen(text)
        redact(text)

    texts = [t for t, _ in rows]
    print(f"\nScreen and redact, \u00b5s of CPU per answer (best of {options.repeat}):")
    print(f"  as written      {_best(both, texts, options.repeat):6.1f}  (every answer)")
    print(f"  as written      {_best(both, disclosures, options.repeat):6.1f}  (disclosures only)")
    for name, answers in disguised.items():
        print(f"  {name:<14}  {_best(both, answers, options.repeat):6.1f}  (disclosures only)")


if __name__ == "__main__":
    main()
