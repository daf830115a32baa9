"""How many answers a second the safeguarding screen (and redaction, when present) handles.

    .venv/bin/python benchmarks/screen_speed.py [--answers 20000] [--repeat 5] [--length 200]

Answers of about ``--length`` characters are made by joining rows of the labelled set
(tests/consultations/analysis/data/screen_labelled.csv) at random, so they read like real answers.
Two mixes are timed: "ordinary" (ordinary rows only; many are deliberately tricky, about knives, dying or grooming, so this is harsher than everyday answers) and
"labelled" (all rows, nearly half of them disclosures, which is far harsher than real life).
The process is pinned to one CPU where the system allows it, so the figures are for one core.
It prints the best of ``--repeat`` runs, per second of CPU time and (in brackets) per second of
wall-clock time; on an idle machine the two agree, on a busy one trust the first. The issue's target is screen and redact together at
5,000 answers a second or more. Results go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from consultations.analysis import safeguarding  # noqa: E402

LABELLED = ROOT / "tests" / "consultations" / "analysis" / "data" / "screen_labelled.csv"


def _redact():
    try:
        from consultations.analysis.redaction import redact
    except ImportError:
        return None
    return redact


def _answers(rows: list[str], count: int, length: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    answers = []
    for _ in range(count):
        parts: list[str] = []
        while sum(len(p) + 2 for p in parts) < length:
            parts.append(rng.choice(rows).rstrip(".") + ".")
        answers.append(" ".join(parts)[: length + 40])
    return answers


def _rate(func, answers: list[str], repeat: int) -> tuple[float, float]:
    """Answers per second of CPU time and of wall-clock time, each the best of ``repeat`` runs.

    On a busy machine the wall clock counts time the process spent waiting for a core; CPU time
    (``time.process_time``) does not, so it is the fairer "one core" figure there. On an idle
    machine the two agree.
    """
    cpu, wall = [], []
    for _ in range(repeat):
        start_cpu, start_wall = time.process_time(), time.perf_counter()
        for text in answers:
            func(text)
        cpu.append(len(answers) / max(time.process_time() - start_cpu, 1e-9))
        wall.append(len(answers) / (time.perf_counter() - start_wall))
    return max(cpu), max(wall)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--length", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2021)
    options = parser.parse_args()

    pinned = "no"
    if hasattr(os, "sched_setaffinity"):
        cpu = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpu})
        pinned = f"yes (CPU {cpu})"

    with LABELLED.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    mixes = {
        "ordinary": [r["text"] for r in rows if r["label"] == "none"],
        "labelled": [r["text"] for r in rows],
    }

    start = time.perf_counter()
    rules = safeguarding.load_screen()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    rules.compile_all()
    compiled = time.perf_counter() - start

    redact = _redact()
    print(f"Python {platform.python_version()} on {platform.system()} {platform.machine()}")
    print(f"CPU: {_cpu_model()}; nproc {os.cpu_count()}; pinned to one core: {pinned}")
    print(f"Load average when started: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"Rules: {len(rules.categories)} categories; loading took {loaded:.2f} s, compiling")
    print(f"every rule {compiled:.2f} s (done lazily, once per process, in normal use).")
    print(
        f"{options.answers:,} answers of about {options.length} characters per mix; best of "
        f"{options.repeat} runs, in answers a second of CPU time (and of wall-clock time)."
    )
    for mix, texts in mixes.items():
        answers = _answers(texts, options.answers, options.length, options.seed)
        mean = sum(map(len, answers)) / len(answers)
        flagged = sum(rules.screen(a).flagged for a in answers) / len(answers)
        print(f"\n{mix} mix: mean length {mean:.0f} characters, {flagged:.0%} flagged")
        best, wall = _rate(rules.screen, answers, options.repeat)
        print(f"  screen            {best:>9,.0f}  ({wall:,.0f})")
        if redact is None:
            print("  redact            not present (consultations.analysis.redaction.redact)")
            continue
        redact(answers[0])
        best, wall = _rate(redact, answers, options.repeat)
        print(f"  redact            {best:>9,.0f}  ({wall:,.0f})")

        def both(text: str) -> None:
            rules.screen(text)
            redact(text)

        best, wall = _rate(both, answers, options.repeat)
        verdict = "meets" if best >= 5000 else "is BELOW"
        print(f"  screen + redact   {best:>9,.0f}  ({wall:,.0f})  {verdict} the 5,000/s target")


if __name__ == "__main__":
    main()
