#!/usr/bin/env python
"""Executive report speed: the report page of a consultation with 100,000 written answers, warm
and cold, and its PDF.

Run by hand (it is not a test), from the project directory, with PostgreSQL on 127.0.0.1:

    .venv/bin/python benchmarks/report_speed.py                  # 100,000 responses
    .venv/bin/python benchmarks/report_speed.py --responses 20000 --no-docs

Options: ``--responses N`` (100,000), ``--postgres URL`` (``postgres://root@127.0.0.1:5432``),
``--database NAME`` (``youthvoice_report_bench``: DROPPED and created again), ``--redis URL``
(``redis://127.0.0.1:6379/7``, flushed first; ``none`` for the in-process cache), ``--repeat N``
(3), ``--no-docs``, ``--reuse`` (keep the database a previous run of the same size left, and
skip steps 1 to 3: for measuring a change to the read paths without building again).

What it does:

1. Drops and creates the database and migrates it under ``benchmarks.settings`` (production
   settings; see that module), with Redis as the cache, as in production.
2. Builds the six-question consultation of ``benchmarks/answer_throughput.py`` and N generated
   responses, each with a written answer (a sentence made from young people's everyday phrases),
   a choice, several choices and a rating, spread over six weeks, five age bands and five areas.
   They are inserted in bulk: this measures reading, not the one door for writing.
3. Counts the answers' words (``services.terms.count_uncounted``) and codes them with a copy of
   the starter codebook (``services.coding.recode``), timing both; then ``ANALYZE``, as
   autovacuum would after a bulk load.
4. Signs in an Executive partner (with an authenticator, as production requires) and asks for
   ``/reports/<slug>/`` through Django's test client: **cold** (cache flushed, so every panel is
   computed) and **warm** (the same request again), each ``--repeat`` times, best and median;
   the same for the report filtered to one age band; then ``/reports/<slug>/report.pdf`` cold
   and warm, and ``/reports/<slug>/report.xlsx`` (every answer in its sheet). Each request's peak
   memory is the process's resident set at its highest during it (the kernel's high-water mark,
   reset before each request).
5. Prints a Markdown table and writes it, with the machine, into ``docs/benchmarks.md`` under
   "Executive report" (between the generated-results markers).

Targets (issue #6): warm under 1 s, cold under 5 s, PDF under 30 s. Issue #18 asks the same at
1,000,000 answers with warm under 0.5 s, and no step above 2 GB of memory.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.answer_throughput import machine, recreate_database  # noqa: E402

DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Executive report"
START_MARK = "<!-- report_speed:start -->"
END_MARK = "<!-- report_speed:end -->"

AGE_BANDS = ["Under 11", "11 to 12", "13 to 15", "16 to 18", "Prefer not to say"]
AREAS = ["Mendip", "Sedgemoor", "Somerset West and Taunton", "South Somerset", "Outside Somerset"]
OPENINGS = ["I think", "Honestly", "For me", "Tbh", "I feel like", "Mostly", ""]
WANTS = [
    "better street lights on the way home from the bus stop",
    "more youth clubs that stay open late",
    "someone to talk to about my mental health at school",
    "cheaper buses so I can get to college",
    "police who actually listen to young people",
    "less bullying online and at school",
    "safe places to hang out with my mates",
    "more help with exam stress",
    "teachers who understand anxiety",
    "things to do in the holidays that do not cost money",
    "knife crime to stop in town",
    "more support after covid because everything changed",
    "jobs and apprenticeships near where I live",
    "my family to get help with money",
]
ENDINGS = ["", "because it is scary at night", "please", "and to be listened to", "asap"]
TRAVEL = ["Bus", "Walk", "Car", "Bike"]
PLACES = ["Park", "Bus station", "Online", "Town centre"]


def sentence(rng: random.Random) -> str:
    parts = [rng.choice(OPENINGS), "we need", rng.choice(WANTS)]
    if rng.random() < 0.4:
        parts += ["and", rng.choice(WANTS)]
    parts.append(rng.choice(ENDINGS))
    return " ".join(p for p in parts if p).strip().capitalize()


def generate(consultation_id: int, count: int) -> None:
    """``count`` responses with their answers, inserted in bulk, deterministic (seed 7)."""
    import uuid

    from django.db import transaction
    from django.utils import timezone

    from consultations.models import Answer, Question, QuestionKind, Response

    rng = random.Random(7)
    questions = {
        q.kind: q for q in Question.objects.filter(page_id=consultation_id).order_by("sort_order")
    }
    start = timezone.now() - timedelta(days=42)
    batch = 5_000
    for offset in range(0, count, batch):
        size = min(batch, count - offset)
        with transaction.atomic():
            responses = Response.objects.bulk_create(
                Response(
                    page_id=consultation_id,
                    token=uuid.UUID(int=rng.getrandbits(128)),
                    reference=f"B{offset + n:07d}"[:8],
                    source="online",
                    submitted_at=start + timedelta(seconds=rng.randrange(42 * 86_400)),
                    age_band=rng.choice(AGE_BANDS),
                    area=rng.choice(AREAS),
                )
                for n in range(size)
            )
            answers = []
            for response in responses:
                text = sentence(rng)
                answers += [
                    Answer(response=response, question=questions[QuestionKind.LONG_TEXT],
                           text=text, redacted_text=text),
                    Answer(response=response, question=questions[QuestionKind.SINGLE_CHOICE],
                           choices=[rng.choice(TRAVEL)]),
                    Answer(response=response, question=questions[QuestionKind.MULTIPLE_CHOICE],
                           choices=rng.sample(PLACES, rng.randint(1, 3))),
                    Answer(response=response, question=questions[QuestionKind.RATING],
                           rating=rng.randint(1, 5)),
                ]  # fmt: skip
            Answer.objects.bulk_create(answers)


def reset_peak_memory() -> None:
    """Start the process's resident-set high-water mark (``VmHWM``) again from now."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_memory_mib() -> float:
    """The process's highest resident set since the last ``reset_peak_memory``, in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def timed(fn) -> tuple[float, object]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432")
    parser.add_argument("--database", default="youthvoice_report_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "STATIC_ROOT": str(Path("/tmp/youthvoice-report-bench-static")),
        "YOUTHVOICE_REPORT_PDF_TASK_THRESHOLD": str(10**9),
    }
    if args.redis != "none":
        env["REDIS_URL"] = args.redis
    os.environ.update(env)
    python = str(ROOT / ".venv" / "bin" / "python")
    if not args.reuse:
        print(f"Database {args.database}: dropping, creating, migrating…", flush=True)
        recreate_database(args.postgres, args.database)
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [python, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )

    import logging

    import django

    django.setup()
    # WeasyPrint warns about each SVG word's fill style, which it draws all the same.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from benchmarks.answer_throughput import build_site
    from consultations.models import ConsultationPage
    from consultations.services.terms import count_uncounted
    from consultations.themes.services.codebooks import copy_codebook, starter_codebook
    from consultations.themes.services.theme_coding import recode
    from youthforum.accounts import roles

    settings.YOUTHVOICE_REPORT_PDF_TASK_THRESHOLD = 10**9
    seconds_generate = seconds_count = seconds_code = float("nan")
    consultation = ConsultationPage.objects.filter(slug="benchmark").first() if args.reuse else None
    if consultation is not None:
        found = consultation.responses.count()
        if found != args.responses:
            raise SystemExit(f"--reuse: {found:,} responses there, not {args.responses:,}")
        print(f"Reusing {found:,} responses in {args.database}.", flush=True)
    else:
        site = build_site()
        consultation = ConsultationPage.objects.get(pk=site.consultation_id)
        print(f"Generating {args.responses:,} responses…", flush=True)
        seconds_generate, _ = timed(lambda: generate(consultation.pk, args.responses))
        print(f"  {seconds_generate:.1f} s. Counting words…", flush=True)
        seconds_count, counted = timed(lambda: count_uncounted(consultation=consultation))
        print(f"  {counted:,} answers in {seconds_count:.1f} s. Coding…", flush=True)
        codebook = copy_codebook(
            starter_codebook(), name="Benchmark themes", consultation=consultation
        )
        seconds_code, run = timed(lambda: recode(codebook))
        print(f"  run {run.pk} ({run.status}) in {seconds_code:.1f} s.", flush=True)
    # The planner's statistics, as autovacuum would gather them after a bulk load (this
    # machine's PostgreSQL runs with autovacuum off; without them it plans a million rows as
    # two and a cold report took over a quarter of an hour).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    get_user_model().objects.filter(email="bench-exec@example.org").delete()
    user = get_user_model().objects.create_user(email="bench-exec@example.org", password=None)
    user.groups.add(Group.objects.get(name=roles.EXECUTIVE_PARTNERS))
    authenticator = TOTP.activate(user, generate_totp_secret()).instance
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    # Staff pages need the second factor used in this session, as the tests' sign-in does.
    from allauth.account.internal.flows.login import record_authentication
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    page_url = f"/reports/{consultation.slug}/"
    filtered_url = f"{page_url}?age_band={AGE_BANDS[2].replace(' ', '+')}"
    pdf_url = f"{page_url}report.pdf"
    xlsx_url = f"{page_url}report.xlsx"
    peaks: dict[str, float] = {}

    def get(url, name):
        reset_peak_memory()
        response = client.get(url)
        peaks[name] = max(peaks.get(name, 0.0), peak_memory_mib())
        assert response.status_code == 200, (url, response.status_code)
        return response

    results: dict[str, list[float]] = {
        name: []
        for name in (
            "cold", "warm", "filtered cold", "filtered warm", "pdf cold", "pdf warm", "xlsx",
        )
    }  # fmt: skip
    reset_peak_memory()
    before = peak_memory_mib()
    print("Requesting the report…", flush=True)
    for _ in range(args.repeat):
        for prefix, url in (("", page_url), ("filtered ", filtered_url)):
            cache.clear()
            results[f"{prefix}cold"].append(timed(lambda u=url, p=prefix: get(u, f"{p}cold"))[0])
            results[f"{prefix}warm"].append(timed(lambda u=url, p=prefix: get(u, f"{p}warm"))[0])
    print("Requesting the PDF and the workbook…", flush=True)
    for _ in range(args.repeat):
        cache.clear()
        seconds, response = timed(lambda: get(pdf_url, "pdf cold"))
        results["pdf cold"].append(seconds)
        results["pdf warm"].append(timed(lambda: get(pdf_url, "pdf warm"))[0])
    pdf_size = len(response.content)
    xlsx_size = 0
    for _ in range(min(args.repeat, 2)):
        seconds, response = timed(lambda: get(xlsx_url, "xlsx"))
        results["xlsx"].append(seconds)
        xlsx_size = len(response.content)
    del response

    warm = 1.0 if args.responses <= 100_000 else 0.5
    targets = {
        "cold": 5.0, "warm": warm, "filtered cold": 5.0, "filtered warm": warm,
        "pdf cold": 30.0, "pdf warm": 30.0, "xlsx": None,
    }  # fmt: skip
    lines = [
        f"Run on {machine()['date']}: {args.responses:,} responses "
        f"({args.responses:,} written answers and {3 * args.responses:,} choice and rating "
        f"answers), PostgreSQL, cache {'Redis' if args.redis != 'none' else 'in-process'}, "
        f"best and median of {args.repeat}.",
        "",
        "| request | best (s) | median (s) | target (s) | met | peak memory (MiB) |",
        "| --- | ---: | ---: | ---: | :---: | ---: |",
    ]
    for name, values in results.items():
        best, median = min(values), statistics.median(values)
        target = targets[name]
        met = "–" if target is None else ("yes" if median < target else "NO")
        lines.append(
            f"| {name} | {best:.2f} | {median:.2f} | "
            f"{'–' if target is None else f'{target:g}'} | {met} | {peaks[name]:,.0f} |"
        )
    reused = seconds_generate != seconds_generate  # nan: set up by an earlier run
    setup = (
        "Set up by an earlier run (--reuse)."
        if reused
        else f"Setting up (not targets): generating {seconds_generate:.1f} s, counting words "
        f"{seconds_count:.1f} s, coding {seconds_code:.1f} s."
    )
    lines += [
        "",
        f"{setup} The PDF is {pdf_size / 1024:.0f} KiB, the workbook "
        f"{xlsx_size / 1024 / 1024:.1f} MiB. Filtered: age band {AGE_BANDS[2]}. Peak memory: the "
        "benchmark process's resident set at its highest during the request (Django's test "
        f"client, so it includes the process's own imports: {before:,.0f} MiB before the first "
        "request).",
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in machine().items() if k != "gunicorn") + ".",
    ]
    markdown = "\n".join(lines)
    print(markdown)
    if not args.no_docs:
        block = f"{START_MARK}\n{markdown}\n{END_MARK}"
        text = DOCS.read_text()
        if START_MARK in text:
            head, rest = text.split(START_MARK, 1)
            text = head + block + rest.split(END_MARK, 1)[1]
        else:
            text = f"{text.rstrip()}\n\n{SECTION}\n\n{block}\n"
        DOCS.write_text(text)


if __name__ == "__main__":
    main()
