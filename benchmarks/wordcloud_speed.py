"""A word cloud of 100,000 answers from stored counts, against drawing it from their raw text.

    .venv/bin/python benchmarks/wordcloud_speed.py [--answers 100000] [--repeat 3]
        [--postgres postgres://root@127.0.0.1:5432 [--database youthvoice_wordcloud_bench]]

Builds a throwaway database (a SQLite file in a temporary folder, or with ``--postgres`` a
PostgreSQL database that is DROPPED and created again), migrated from scratch, holding one
consultation with ``--answers`` short answers made by a deterministic generator of youth
consultation sentences and their stored term counts (``AnswerTerm``), written 20,000 at a time;
then ``ANALYZE``, and ``services.terms.recount_question`` builds the question's running totals
(``TermTotal``) and the totals of each filter's slices (``TermSlice``) from them, as
``manage.py recount_terms`` does. Then, in the same run:

(a) **from stored counts**: ``selectors.top_terms`` (the aggregate read of ``TermTotal``,
    plus the count of answers for the shares) and ``clouds.render_png`` of the top 100 terms;
    the median of ``--repeat`` runs, with the cache not involved;
(b) **from raw text**: ``WordCloud(...).generate(" ".join(texts))`` on the same answers, the
    same canvas (810 × 450), font and number of words, then the PNG written, once.

Also timed, the median of ``--repeat`` each: a cloud filtered by one age band, one filtered by
a week of days and one by an age band and an area together (each read from its ``TermSlice``
rows, the last from the pair's), the last again as it was read before pairs were kept, and
one filtered by an age band and a week of days (both aggregated from the ``AnswerTerm`` rows of
the answers chosen); how long
counting the answers' terms took (``text.terms``, done once per answer as it is saved); and the
process's peak memory (the kernel's high-water mark of its resident set) setting up, reading
and drawing from stored counts, and by the end of (b); each includes the answers' texts this
script keeps for (b). Prints a Markdown table for ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import cpu  # noqa: E402

AGE_BANDS = ["10 to 12", "13 to 15", "16 to 18"]
AREAS = ["Mendip", "Sedgemoor", "Somerset West and Taunton", "South Somerset"]

OPENINGS = [
    "",
    "I think ",
    "Honestly ",
    "tbh ",
    "For me ",
    "We need ",
    "There should be ",
    "It would help if there was ",
    "Please give us ",
    "i reckon ",
]
TOPICS = [
    "more youth clubs",
    "a youth club that is open at weekends",
    "cheaper buses",
    "buses that actually turn up on time",
    "better mental health support in school",
    "someone to talk to when we feel low",
    "less knife crime near the park",
    "more police in the town centre at night",
    "street lights on the way home",
    "safe places to hang out with friends",
    "things to do that don't cost money",
    "a skate park",
    "help with exams and revision",
    "less homework",
    "teachers who listen to us",
    "adults taking us seriously",
    "stopping bullying online",
    "more info about county lines",
    "proper sex education",
    "cheaper gym and sports clubs",
    "part time jobs for young people",
    "free bus passes for students",
    "clean parks without litter",
    "somewhere to go after school",
    "mental health waiting lists to be shorter",
]
ENDINGS = [
    "",
    " please",
    " because there's nothing to do",
    " as people feel unsafe",
    " coz it's boring round here",
    ", it's sooo important",
    " for everyone",
    " and more clubs",
    " lol",
    " in the holidays",
]


# The long tail of words real answers have: activities and places, some far rarer than others.
ACTIVITIES = [
    "football",
    "netball",
    "basketball",
    "boxing",
    "swimming",
    "dancing",
    "drama",
    "art",
    "music",
    "gaming",
    "coding",
    "cooking",
    "climbing",
    "cycling",
    "skating",
    "scootering",
    "bmx",
    "parkour",
    "gymnastics",
    "karate",
    "judo",
    "cricket",
    "rugby",
    "tennis",
    "badminton",
    "volleyball",
    "hockey",
    "rounders",
    "archery",
    "fishing",
    "camping",
    "gardening",
    "photography",
    "film",
    "singing",
    "rapping",
    "djing",
    "baking",
    "knitting",
    "chess",
    "reading",
    "writing",
    "volunteering",
]
PLACES = [
    "town centre",
    "high street",
    "library",
    "leisure centre",
    "skate park",
    "playing fields",
    "beach",
    "seafront",
    "shopping centre",
    "train station",
    "bus station",
    "church hall",
    "village hall",
    "community centre",
    "recreation ground",
    "allotments",
    "nature reserve",
    "woods",
    "canal",
    "market",
]


def generate(count: int, seed: int = 2021) -> list[str]:
    """``count`` short answers, the same for the same seed: one or two topics each."""
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        text = rng.choice(OPENINGS) + rng.choice(TOPICS)
        if rng.random() < 0.35:
            text += " and " + rng.choice(TOPICS)
        if rng.random() < 0.5:
            # Skewed choice, so some activities and places are common and others rare.
            activity = ACTIVITIES[int(len(ACTIVITIES) * rng.random() ** 2)]
            place = PLACES[int(len(PLACES) * rng.random() ** 2)]
            text += f" like {activity} at the {place}"
        text += rng.choice(ENDINGS)
        texts.append(text[0].upper() + text[1:] if rng.random() < 0.5 else text)
    return texts


def setup_django(folder: Path, postgres: str, database: str) -> None:
    if postgres:
        from benchmarks.throughput_site import recreate_database

        recreate_database(postgres, database)
        os.environ["DATABASE_URL"] = f"{postgres}/{database}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'benchmark.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "youthforum.settings.dev"
    import django

    django.setup()
    logging.disable(logging.INFO)  # Wagtail and the task queue log every page saved
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


#: Answers written per transaction while building the database.
CHUNK = 20_000


def store(texts: list[str]) -> tuple[object, float, float]:
    """Save the answers with their counts as the counting task would; return the page, the
    seconds spent counting terms (``text.terms``) and those spent building the totals."""
    from django.db import transaction
    from django.utils import timezone
    from wagtail.models import Page

    from consultations.analysis.text import terms
    from consultations.models import (
        Answer,
        AnswerTerm,
        ConsultationPage,
        Question,
        QuestionKind,
        Response,
    )
    from consultations.services.terms import recount_question

    now = timezone.now()
    root = Page.get_first_root_node()
    page = root.add_child(
        instance=ConsultationPage(
            title="Benchmark consultation",
            introduction="<p>A benchmark.</p>",
            slug=f"benchmark-{uuid.uuid4().hex[:8]}",
            opens_at=now - timedelta(days=30),
            closes_at=now + timedelta(days=30),
        )
    )
    question = Question.objects.create(
        page=page, kind=QuestionKind.LONG_TEXT, text="What would make your area better?"
    )
    rng = random.Random(7)
    counting = 0.0
    # Spread over 42 days, as in the report benchmark.
    spread = 42 * 86_400 / max(len(texts), 1)  # seconds between answers
    for start in range(0, len(texts), CHUNK):
        chunk = texts[start : start + CHUNK]
        started = time.perf_counter()
        counted = [terms(text) for text in chunk]
        counting += time.perf_counter() - started
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                [
                    Response(
                        page=page,
                        token=uuid.uuid4(),
                        reference=f"B{start + index:07d}",
                        submitted_at=now - timedelta(seconds=(start + index) * spread),
                        age_band=rng.choice(AGE_BANDS),
                        area=rng.choice(AREAS),
                        is_demo=True,
                    )
                    for index in range(len(chunk))
                ],
                batch_size=2000,
            )
            answers = Answer.objects.bulk_create(
                [
                    Answer(
                        response=response,
                        question=question,
                        text=text,
                        redacted_text=text,
                        terms_counted=True,
                    )
                    for response, text in zip(responses, chunk, strict=True)
                ],
                batch_size=2000,
            )
            AnswerTerm.objects.bulk_create(
                (
                    AnswerTerm(answer=answer, term=term, count=n)
                    for answer, counts in zip(answers, counted, strict=True)
                    for term, n in counts.items()
                ),
                batch_size=5000,
            )
    from django.db import connection

    with connection.cursor() as cursor:
        # The planner's statistics, as autovacuum (or SQLite's optimiser) would gather them
        # after a bulk load; this machine's PostgreSQL runs with autovacuum off.
        cursor.execute("ANALYZE")
    started = time.perf_counter()
    recount_question(question)
    return page, counting, time.perf_counter() - started


def from_stored_counts(page, **filters) -> tuple[float, float, bytes]:
    from consultations.analysis.word_clouds import CloudSettings, render_png, top_counts
    from consultations.selectors import top_terms

    started = time.perf_counter()
    rows = top_terms(page, limit=100, **filters)
    read = time.perf_counter() - started
    started = time.perf_counter()
    png = render_png(top_counts(rows), CloudSettings(max_words=100))
    return read, time.perf_counter() - started, png


def peak_memory_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def from_raw_text(texts: list[str]) -> float:
    from wordcloud import WordCloud

    from consultations.analysis.word_clouds import FONT_PATH

    started = time.perf_counter()
    cloud = WordCloud(
        font_path=str(FONT_PATH), width=810, height=450, max_words=100, random_state=2021
    ).generate(" ".join(texts))
    buffer = io.BytesIO()
    cloud.to_image().save(buffer, format="PNG")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--postgres", default="", help="e.g. postgres://root@127.0.0.1:5432")
    parser.add_argument("--database", default="youthvoice_wordcloud_bench")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="wordcloud-bench-") as folder:
        started = time.perf_counter()
        setup_django(Path(folder), args.postgres, args.database)
        texts = generate(args.answers, args.seed)
        page, counting, totals = store(texts)
        setup = time.perf_counter() - started
        print(f"Set up {args.answers:,} answers in {setup:.1f} s", file=sys.stderr)
        set_up_peak = peak_memory_mib()
        Path("/proc/self/clear_refs").write_text("5")  # the high-water mark starts again here

        runs = [from_stored_counts(page) for _ in range(args.repeat)]
        pngs = {png for _, _, png in runs}
        read = statistics.median(r for r, _, _ in runs)
        render = statistics.median(d for _, d, _ in runs)
        stored = statistics.median(r + d for r, d, _ in runs)
        from django.utils import timezone

        today = timezone.localdate()
        filtered = {
            "one age band (`TermSlice`)": {"age_band": AGE_BANDS[1]},
            "a week of days (`TermSlice`)": {
                "date_from": today - timedelta(days=13),
                "date_to": today - timedelta(days=7),
            },
            "an age band and an area (`TermSlice`, a pair)": {
                "age_band": AGE_BANDS[1],
                "area": AREAS[0],
            },
            "an age band and a week of days (`AnswerTerm`)": {
                "age_band": AGE_BANDS[1],
                "date_from": today - timedelta(days=13),
                "date_to": today - timedelta(days=7),
            },
        }
        filtered_times = {}
        for name, filters in filtered.items():
            timings = [from_stored_counts(page, **filters) for _ in range(args.repeat)]
            filtered_times[name] = (
                statistics.median(r for r, _, _ in timings),
                statistics.median(d for _, d, _ in timings),
            )
        # The pair's cloud as it was read before pairs were kept, for comparison in the same run.
        from unittest import mock

        from consultations.selectors import TermFilters

        with mock.patch.object(TermFilters, "slice", lambda self: None):
            pair = filtered["an age band and an area (`TermSlice`, a pair)"]
            timings = [from_stored_counts(page, **pair) for _ in range(args.repeat)]
        filtered_times["an age band and an area, as before pairs (`AnswerTerm`)"] = (
            statistics.median(r for r, _, _ in timings),
            statistics.median(d for _, d, _ in timings),
        )
        reading_peak = peak_memory_mib()
        raw = from_raw_text(texts)
        peak = peak_memory_mib()
        database = "PostgreSQL" if args.postgres else f"SQLite {_sqlite()}"

    ratio = raw / stored
    print()
    print(f"Word cloud of {args.answers:,} answers (top 100 words, 810 × 450 PNG), {database}")
    print()
    print("| way | read | draw | total |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| (a) stored counts: `TermTotal` + `render_png` | {read:.3f} s | {render:.3f} s "
          f"| **{stored:.3f} s** |")  # fmt: skip
    print(f"| (b) `WordCloud().generate()` on raw text | – | – | **{raw:.2f} s** |")
    for name, (f_read, f_render) in filtered_times.items():
        print(f"| filtered: {name} | {f_read:.3f} s | {f_render:.3f} s "
              f"| {f_read + f_render:.3f} s |")  # fmt: skip
    print()
    print(f"- (a) is {ratio:.0f}× faster than (b) (target ≥ 10×: {'yes' if ratio >= 10 else 'no'})")
    same = "yes" if len(pngs) == 1 else "no"
    print(f"- (a) under 0.5 s: {'yes' if stored < 0.5 else 'no'} ({stored:.3f} s, median of "
          f"{args.repeat}); the same PNG every run: {same}")  # fmt: skip
    print(f"- counting the terms of every answer once (`text.terms`): {counting:.1f} s, "
          f"{counting / args.answers * 1e6:.0f} µs an answer; building the totals and slices "
          f"from the stored counts (`recount_question`): {totals:.1f} s")  # fmt: skip
    print(
        f"- peak memory of the process: {set_up_peak:,.0f} MiB setting up; "
        f"{reading_peak:,.0f} MiB reading and drawing the clouds from stored counts (the "
        f"texts kept for (b) included); {peak:,.0f} MiB by the end of (b)"
    )
    load = os.getloadavg()
    print(
        f"- Machine: nproc {os.cpu_count()}, {cpu()}, Python {platform.python_version()}, "
        f"{database}, load average {' '.join(f'{x:.1f}' for x in load)} at the end."
    )


def _sqlite() -> str:
    import sqlite3

    return sqlite3.sqlite_version


if __name__ == "__main__":
    main()
