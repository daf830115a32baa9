#!/usr/bin/env python
"""How long the demo takes to load, and its 2,500 responses through each door.

Run by hand (it is not a test), from the project directory:

    .venv/bin/python benchmarks/demo_load.py                  # SQLite, as `make run` uses
    .venv/bin/python benchmarks/demo_load.py --postgres postgres://root@127.0.0.1:5432

``--postgres URL`` uses PostgreSQL instead of a SQLite file; its database ``--database``
(``youthvoice_demo_bench`` by default) is DROPPED and created again. ``--repeat N`` (2) times
each door N times and keeps the fastest.

What it does:

1. Migrates a fresh database (a SQLite file in a temporary folder, or the PostgreSQL database).
2. Runs ``manage.py load_demo`` as ``make run`` does, timed from the outside (wall clock, so it
   includes starting Python and Django).
3. In this process, on the demo's biggest consultation: deletes its generated responses (their
   answers, terms, word-cloud totals and any concerns go with them), then saves the same
   generated responses again, ``--repeat`` times each way:

   - **one at a time**, ``submit_response`` per response, one transaction each: how the demo
     loaded before (the baseline);
   - **in batches**, ``submit_responses`` (500 to a transaction): the same rules (validated,
     screened, redacted, word-cloud terms counted, a concern for anything flagged), fewer
     statements; how the demo loads now.

   After each way it checks that both left the same rows: responses, answers, held answers,
   concerns, terms and word-cloud totals.
4. Prints a Markdown table and the machine for ``docs/benchmarks.md`` ("Loading the demo").

Target (issue #18): the 2,500 demo responses load in under 10 s on this machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import cpu  # noqa: E402

TARGET_SECONDS = 10.0


def prepare(args: argparse.Namespace, folder: Path) -> tuple[dict, float]:
    """Migrate a fresh database and load the demo; the environment and load_demo's seconds."""
    if args.postgres:
        from benchmarks.answer_throughput import recreate_database

        recreate_database(args.postgres, args.database)
        database_url = f"{args.postgres}/{args.database}"
    else:
        database_url = f"sqlite:///{folder / 'demo.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "youthforum.settings.dev",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
    }
    env.pop("REDIS_URL", None)
    python = str(ROOT / ".venv" / "bin" / "python")

    def manage(*command: str) -> None:
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=3600)

    print("Migrating a fresh database…", flush=True)
    manage("migrate", "-v0")
    print("Loading the demo (manage.py load_demo)…", flush=True)
    started = time.perf_counter()
    manage("load_demo", "-v0")
    return env, time.perf_counter() - started


def rows(consultation) -> dict[str, int]:
    """What saving the responses left, to check that both ways did the same."""
    from consultations.models import Answer, AnswerTerm, Response, TermTotal
    from consultations.safeguarding.models import SafeguardingConcern

    answers = Answer.objects.filter(response__page=consultation)
    totals = TermTotal.objects.filter(question__page=consultation)
    return {
        "responses": Response.objects.filter(page=consultation).count(),
        "answers": answers.count(),
        "held": answers.filter(held=True).count(),
        "concerns": SafeguardingConcern.objects.filter(consultation=consultation).count(),
        "terms": AnswerTerm.objects.filter(answer__response__page=consultation).count(),
        "totals": sum(totals.values_list("count", flat=True)),
    }


def clear(consultation) -> None:
    from consultations.models import Response, TermTotal
    from consultations.safeguarding.models import SafeguardingConcern

    SafeguardingConcern.objects.filter(consultation=consultation).delete()
    Response.objects.filter(page=consultation, is_demo=True).delete()
    TermTotal.objects.filter(question__page=consultation).delete()


def one_at_a_time(consultation, items, questions) -> None:
    from consultations.services import submit_response

    for item in items:
        submit_response(
            consultation=consultation,
            answers=item.answers,
            token=item.token,
            source=item.source,
            submitted_at=item.submitted_at,
            is_demo=True,
            questions=questions,
        )


def in_batches(consultation, items, questions) -> None:
    from consultations.services import submit_responses

    submit_responses(consultation=consultation, items=items, questions=questions)


def doors(repeat: int) -> tuple[str, list[tuple[str, float, float, dict]]]:
    """Time each door on the demo's biggest consultation; its title and one row per door."""
    import django

    django.setup()
    from django.db.models import Count

    from consultations.models import ConsultationPage
    from youthforum.demo.consultations import CONSULTATIONS, demo_response_items

    consultation = (
        ConsultationPage.objects.annotate(n=Count("responses")).order_by("-n", "pk").first()
    )
    spec = next(spec for spec in CONSULTATIONS if spec.slug == consultation.slug)
    count = consultation.n
    clear(consultation)
    items, _existing = demo_response_items(consultation=consultation, spec=spec, count=count)
    questions = list(consultation.ordered_questions())
    results = []
    for name, door in (("one at a time (before)", one_at_a_time), ("in batches (now)", in_batches)):
        wall, cpu_times, left = [], [], {}
        for _ in range(repeat):
            clear(consultation)
            started, started_cpu = time.perf_counter(), time.process_time()
            door(consultation, items, questions)
            wall.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - started_cpu)
            left = rows(consultation)
        results.append((name, min(wall), min(cpu_times), left))
        print(f"  {name}: {min(wall):.1f} s", flush=True)
    return f"{consultation.title} ({len(items):,} responses)", results


def table(loading: float, title: str, results) -> str:
    lines = [
        f"`load_demo` on a fresh database, wall clock: **{loading:.1f} s**.",
        "",
        f"Saving the generated responses of {title}, fastest of the runs:",
        "",
        "| door | seconds (wall) | seconds (CPU, this process) | responses | answers | held | "
        "concerns | terms | word-cloud total |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, wall, cpu_seconds, left in results:
        lines.append(
            f"| {name} | {wall:.1f} | {cpu_seconds:.1f} | {left['responses']:,} | "
            f"{left['answers']:,} | {left['held']:,} | {left['concerns']:,} | "
            f"{left['terms']:,} | {left['totals']:,} |"
        )
    (_, before, *_), (_, now, *_) = results
    lines += [
        "",
        f"Batches take {now / before:.0%} of the time of one at a time "
        f"({before / now:.1f}× faster); target under {TARGET_SECONDS:.0f} s: "
        f"{'met' if now < TARGET_SECONDS else 'NOT met'}. Same rows either way: "
        f"{'yes' if results[0][3] == results[1][3] else 'NO'}.",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--postgres", help="PostgreSQL server URL, e.g. postgres://root@127.0.0.1")
    parser.add_argument("--database", default="youthvoice_demo_bench")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="demo-load-") as name:
        env, loading = prepare(args, Path(name))
        os.environ.update(env)
        print("Saving the demo's responses each way…", flush=True)
        title, results = doors(args.repeat)
    print()
    print(table(loading, title, results))
    print()
    where = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"Machine: {platform.node()}, {os.cpu_count()} cores, {cpu()}, Python "
        f"{platform.python_version()}, {where}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC."
    )


if __name__ == "__main__":
    main()
