"""The whole analysis pipeline over many short answers: screen, redact, count terms, code.

    .venv/bin/python benchmarks/pipeline_speed.py [--answers 100000] [--workers 2]

Answers of one to three sentences are made from the fragments below (some with names, phone
numbers or a disclosure in them, as real answers have). Each answer goes through the stages the
platform runs after submission:

1. **screen**: ``safeguarding.screen(text)``, the safeguarding screen;
2. **redact**: ``redaction.redact(text).text``, personal data replaced;
3. **count**: ``text.terms(redacted)``, the terms a word cloud counts;
4. **code**: the default coding engine, fitted once on the starter codebook
   (``consultations/analysis/data/codebooks/youth_voice.yaml``) and 500 answers coded by their
   generator (so the learnt half of the engine runs too), scoring the redacted texts in
   batches and choosing each answer's themes.

With ``--workers 2`` (the default) the answers are split into chunks shared by a
``concurrent.futures.ProcessPoolExecutor`` of two processes, one per core of this machine; each
worker runs all four stages on its chunks and times them. The table gives each stage's time
summed over the workers (CPU-seconds of work) and the whole run's wall-clock time, which is the
figure to compare with the 60-second target; on a machine other people are using, the CPU time
of all processes divided by the number of cores is the floor an idle machine would reach.
``--workers 1`` runs everything in this process.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import cpu  # noqa: E402
from consultations.analysis.redaction import redact  # noqa: E402
from consultations.analysis.safeguarding import load_screen, screen  # noqa: E402
from consultations.analysis.text import terms  # noqa: E402
from consultations.analysis.theme_coding import (  # noqa: E402
    Example,
    default_engine,
    load_codebook_yaml,
)

CODEBOOK = ROOT / "consultations" / "analysis" / "data" / "codebooks" / "youth_voice.yaml"
CHUNK = 5000

# Fragments and the starter codebook's theme each one is about (None: none of them).
FRAGMENTS = [
    ("I feel really anxious about everything and nobody notices", "Mental health and well-being"),
    ("waiting two years for camhs is too long", "Mental health and well-being"),
    ("we need someone to talk to at school when we feel low", "Mental health and well-being"),
    ("there should be more sport and a cheaper gym", "Physical health"),
    ("school dinners are not healthy food at all", "Physical health"),
    ("people carry knives near the park at night", "Knife crime"),
    ("my cousin got stabbed last year and I'm scared", "Knife crime"),
    ("older boys get younger kids to sell drugs, county lines is real", "Exploitation"),
    ("I got bullied for two years and teachers did nothing", "Bullying"),
    ("people post mean stuff on snapchat and tiktok", "Online safety"),
    ("the buses are always late and bus fares cost too much", "Getting around"),
    ("there is nothing to do round here, we need a youth club", "Things to do and places to go"),
    ("since lockdown I find it hard to talk to people", "Life after COVID"),
    ("my parents argue all the time at home", "Family and home"),
    ("everything costs too much and there is no pocket money", "Money"),
    ("exams are so stressful and there is too much homework", "School and exams"),
    ("I want a part time job but nobody will hire me", "Jobs and the future"),
    ("adults never listen to what young people say", "Being listened to"),
    ("I like my school and my friends", None),
    ("it's fine I guess", None),
    ("more bins in the high street please", None),
    ("Jordan Smith from year 10 said call him on 07700 900123", None),
    ("my email is sam.jones@example.com if you want to ask more", None),
    ("sometimes I think about hurting myself", None),
]


def generate(count: int, seed: int) -> list[tuple[str, frozenset[str]]]:
    rng = random.Random(seed)
    answers = []
    for _ in range(count):
        picked = rng.sample(FRAGMENTS, rng.choice((1, 1, 2, 2, 3)))
        text = ". ".join(fragment for fragment, _ in picked)
        themes = frozenset(theme for _, theme in picked if theme)
        answers.append((text[:1].upper() + text[1:] + ".", themes))
    return answers


def train_engine():
    themes = load_codebook_yaml(CODEBOOK)
    names = {t.name for t in themes}
    examples = [
        Example(text, frozenset(t for t in labels if t in names))
        for text, labels in generate(500, seed=1)
    ]
    return default_engine().fit(themes, examples)


def process(engine, texts: list[str]) -> tuple[dict[str, float], int, int, int]:
    """Run every stage on ``texts``; return each stage's seconds, flagged, terms and codes."""
    seconds: Counter[str] = Counter()
    rules = load_screen()
    started = time.process_time()
    flagged = sum(screen(text, rules=rules).flagged for text in texts)
    seconds["screen"] += time.process_time() - started

    started = time.process_time()
    redacted = [redact(text).text for text in texts]
    seconds["redact"] += time.process_time() - started

    started = time.process_time()
    counted = sum(sum(terms(text).values()) for text in redacted)
    seconds["count"] += time.process_time() - started

    started = time.process_time()
    codes = sum(len(engine.assign(scores)) for scores in engine.scores(redacted))
    seconds["code"] += time.process_time() - started
    return dict(seconds), flagged, counted, codes


_ENGINE = None


def _worker_init(engine) -> None:
    global _ENGINE
    _ENGINE = engine
    load_screen()  # compile the rules once per worker, outside the timed stages


def _worker(texts: list[str]):
    return process(_ENGINE, texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    texts = [text for text, _ in generate(args.answers, seed=0)]
    mean_length = sum(map(len, texts)) / len(texts)

    wall = time.perf_counter()
    started = time.process_time()
    engine = train_engine()
    fit_seconds = time.process_time() - started
    chunks = [texts[i : i + CHUNK] for i in range(0, len(texts), CHUNK)]
    totals: Counter[str] = Counter()
    flagged = counted = codes = 0
    if args.workers > 1:
        pool = ProcessPoolExecutor(args.workers, initializer=_worker_init, initargs=(engine,))
        with pool:
            results = list(pool.map(_worker, chunks))
    else:
        load_screen()
        results = [process(engine, chunk) for chunk in chunks]
    for seconds, f, c, k in results:
        totals.update(seconds)
        flagged += f
        counted += c
        codes += k
    wall = time.perf_counter() - wall

    n = len(texts)
    print(f"{n:,} answers of {mean_length:.0f} characters on average, {args.workers} worker(s)")
    print()
    print("| stage | CPU-seconds (all workers) | answers a second per core |")
    print("| --- | ---: | ---: |")
    for stage in ("screen", "redact", "count", "code"):
        print(f"| {stage} | {totals[stage]:.1f} | {n / totals[stage]:,.0f} |")
    print(f"| fit the engine (once) | {fit_seconds:.1f} | |")
    cpu_total = _cpu_seconds()
    print(f"| all processes' CPU time | {cpu_total:.1f} | |")
    print(f"| **whole pipeline, wall clock** | **{wall:.1f} s** | |")
    print()
    print(
        f"Flagged {flagged:,} answers ({flagged / n:.1%}), counted {counted:,} terms, "
        f"chose {codes:,} themes ({codes / n:.2f} an answer)."
    )
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",) * 3
    print(
        f"Machine: nproc {os.cpu_count()}, {cpu()}, Python {platform.python_version()}, "
        f"load average {' '.join(f'{x:.1f}' for x in load)} at the end."
    )


def _cpu_seconds() -> float:
    """User and system time of this process and its finished workers."""
    import resource

    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


if __name__ == "__main__":
    main()
