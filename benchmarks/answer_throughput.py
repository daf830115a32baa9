#!/usr/bin/env python
"""Answer throughput: consultation answers against a plain Wagtail form page, under gunicorn.

Run by hand (it is not a test), from the project directory, with PostgreSQL on 127.0.0.1:

    .venv/bin/python benchmarks/answer_throughput.py            # 20 clients, 30 s per target
    .venv/bin/python benchmarks/answer_throughput.py --clients 40 --duration 60 --no-docs

Options: ``--clients N`` (20), ``--duration S`` per target (30), ``--warmup S`` (3),
``--workers`` (2), ``--postgres URL`` of the server (``postgres://root@127.0.0.1:5432``),
``--database NAME`` (``youthvoice_bench``: DROPPED and created again), ``--conn-max-age S``
(60; 0 opens a database connection per request), ``--no-kill``, ``--no-docs``, and
``--think S``: each client pauses about S seconds (0.5 to 1.5 times S) between getting the form
and sending it, as a person would, rather than sending at once; a different workload from the
issue's, so it needs ``--no-docs`` (paste what it prints); ``--no-preload``: start gunicorn
without ``--preload`` (the README's production command has it: the application is loaded once
and workers are forked from it, so a killed worker is replaced in milliseconds, not seconds);
``--redis URL`` of the shared cache the workers use, as production does with more than one web
process (``redis://127.0.0.1:6379/15``; that database is EMPTIED first), or ``none`` for each
worker's own local-memory cache.

What it does, in about two minutes:

1. Drops and creates the database, migrates it and collects static files, all under
   ``benchmarks.settings`` (production settings plus the baseline app; see that module).
2. Builds a site with a six-question consultation (long text, short text, one choice, several
   choices, a 1–5 rating, an age band) and, as the baseline, a Wagtail ``AbstractEmailForm`` page
   with the same six fields.
3. Starts gunicorn (sync workers) on a free port on 127.0.0.1.
4. Warms both up, then for each target runs N client threads for the duration. Each client loops:
   GET the form (for the CSRF cookie and token, and our signed one-time token), then POST valid
   answers. A POST that fails (connection error, timeout or 5xx) is sent again, the same data with
   the same token, as a browser retrying would. Half way through the consultation's run one
   gunicorn worker is sent SIGKILL; gunicorn starts a new one and the clients carry on.
5. Compares what the clients were told (a 302 to the thank-you page) with the rows in
   ``consultations_response``: *lost* is acknowledged but not stored, *duplicated* is stored more
   than once.
6. Prints Markdown tables and writes them, with the machine's details, into
   ``docs/benchmarks.md`` under "Consultation answers" (between the generated-results markers;
   text around them is kept).

Only loopback addresses are used. Everything it starts is stopped before it exits.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Consultation answers"
START_MARK = "<!-- answer_throughput:start -->"
END_MARK = "<!-- answer_throughput:end -->"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT = 10  # seconds, per HTTP request
MAX_ATTEMPTS = 8  # per POST, including the first
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')

AGE_BAND = "13 to 15"


# --- Setting up ---------------------------------------------------------------------------------


def run(args: list[str], env: dict, timeout: int = 900) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, timeout=timeout)


def recreate_database(server: str, name: str) -> None:
    import psycopg

    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"Database name {name!r}: use lower-case letters, digits and _.")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


@dataclass
class Site:
    consultation_url: str
    baseline_url: str
    consultation_id: int
    baseline_id: int
    question_fields: dict[str, str]  # our field name for each of the six answers
    baseline_fields: dict[str, str]  # the form page's field name for each


def build_site() -> Site:
    """The pages to answer, created straight through the ORM (the benchmark measures answering)."""
    from datetime import timedelta

    from django.utils import timezone
    from wagtail.models import Page
    from wagtail.models import Site as WagtailSite

    from benchmarks.baseline.models import BaselineFormField, BaselineFormPage
    from consultations.models import (
        ConsultationIndexPage,
        ConsultationPage,
        Question,
        QuestionKind,
    )
    from youthforum.core.models import HomePage

    root = Page.get_first_root_node()
    Page.objects.filter(depth=2, content_type__model="page").delete()  # Wagtail's welcome page
    home = root.add_child(instance=HomePage(title="Youth Voice benchmark", slug="home"))
    WagtailSite.objects.update_or_create(
        is_default_site=True,
        defaults={"root_page": home, "hostname": "127.0.0.1", "port": 80, "site_name": "Bench"},
    )
    now = timezone.now()
    index = home.add_child(instance=ConsultationIndexPage(title="Have your say", slug="have"))
    consultation = ConsultationPage(
        title="Benchmark consultation",
        slug="benchmark",
        introduction="<p>Six questions, answered as fast as the clients can.</p>",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=30),
    )
    specs = [
        ("safer", QuestionKind.LONG_TEXT, "What would make you feel safer?", "", True, {}),
        ("word", QuestionKind.SHORT_TEXT, "One word for school at the moment", "", False, {}),
        ("travel", QuestionKind.SINGLE_CHOICE, "How do you get to school?", "Bus\nWalk\nCar\nBike",
         False, {"allow_other": True}),
        ("places", QuestionKind.MULTIPLE_CHOICE, "Where do you spend time?",
         "Park\nBus station\nOnline\nTown centre", False, {"allow_other": True}),
        ("feeling", QuestionKind.RATING, "How have you been feeling?", "", False,
         {"face_labels": True}),
        ("age", QuestionKind.ABOUT_YOU, "How old are you?", "", False, {"about": "age_band"}),
    ]  # fmt: skip
    consultation.questions = [
        Question(sort_order=n, kind=kind, text=text, options=options, required=req, **extra)
        for n, (_key, kind, text, options, req, extra) in enumerate(specs)
    ]
    index.add_child(instance=consultation)
    questions = list(consultation.ordered_questions())

    baseline = BaselineFormPage(
        title="Benchmark form page", slug="baseline-form", intro="<p>The same six questions.</p>"
    )
    baseline.thank_you_text = "<p>Thank you for your answers.</p>"
    baseline_types = {
        QuestionKind.LONG_TEXT: "multiline",
        QuestionKind.SHORT_TEXT: "singleline",
        QuestionKind.SINGLE_CHOICE: "radio",
        QuestionKind.MULTIPLE_CHOICE: "checkboxes",
        QuestionKind.RATING: "radio",
        QuestionKind.ABOUT_YOU: "dropdown",
    }
    age_bands = "Under 11\n11 to 12\n13 to 15\n16 to 18\n19 to 25\nPrefer not to say"
    baseline.form_fields = [
        BaselineFormField(
            sort_order=n,
            label=text,
            field_type=baseline_types[kind],
            required=req,
            choices={
                QuestionKind.RATING: "1\n2\n3\n4\n5",
                QuestionKind.ABOUT_YOU: age_bands,
            }.get(kind, options),
        )
        for n, (_key, kind, text, options, req, _extra) in enumerate(specs)
    ]
    index.add_child(instance=baseline)  # at the same depth, so routing costs the same
    baseline_fields = {
        key: f.clean_name
        for (key, *_rest), f in zip(specs, baseline.form_fields.order_by("sort_order"), strict=True)
    }
    return Site(
        consultation_url=consultation.url,
        baseline_url=baseline.url,
        consultation_id=consultation.pk,
        baseline_id=baseline.pk,
        question_fields={
            key: q.field_name for (key, *_rest), q in zip(specs, questions, strict=True)
        },
        baseline_fields=baseline_fields,
    )


def answers(phase: str, client: int, n: int) -> dict[str, object]:
    """Valid answers, the first unique to this submission so stored copies can be counted."""
    return {
        "safer": f"Benchmark {phase} {client}-{n}: better lights on the way home from the bus",
        "word": "Busy",
        "travel": ("Bus", "Walk", "Car", "Bike")[n % 4],
        "places": ["Park", "Online"] if n % 2 else ["Town centre"],
        "feeling": str(1 + n % 5),
        "age": AGE_BAND,
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def workers_of(master: int) -> list[int]:
    """The gunicorn master's child processes (its workers)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == master:
            children.append(int(entry.name))
    return sorted(children)


def start_gunicorn(
    env: dict, port: int, workers: int, log: Path, *, preload: bool = False
) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "youthforum.wsgi:application",
            *(["--preload"] if preload else []),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited early; see {log}:\n{log.read_text()[-3000:]}")
        try:
            healthy = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).ok
            if healthy and len(workers_of(process.pid)) == workers:
                return process
        except requests.RequestException:
            pass
        time.sleep(0.2)
    stop(process)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- Clients ------------------------------------------------------------------------------------


@dataclass
class Ack:
    signed_token: str  # empty for the baseline, which has none
    location: str
    text: str
    attempts: int


@dataclass
class Stats:
    get_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    submit_ms: list[float] = field(default_factory=list)  # first attempt to acknowledgement
    acks: list[Ack] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    retried_posts: int = 0
    refused_posts: int = 0

    def merge(self, other: Stats) -> None:
        self.get_ms += other.get_ms
        self.post_ms += other.post_ms
        self.submit_ms += other.submit_ms
        self.acks += other.acks
        self.errors.update(other.errors)
        self.retried_posts += other.retried_posts
        self.refused_posts += other.refused_posts


@dataclass
class Target:
    name: str
    label: str
    url: str
    fields: dict[str, str]
    ours: bool

    def payload(self, csrf: str, token: str, phase: str, client: int, n: int) -> tuple[dict, str]:
        values = answers(phase, client, n)
        data: dict[str, object] = {"csrfmiddlewaretoken": csrf}
        if self.ours:
            data.update(token=token, website="")
        for key, value in values.items():
            data[self.fields[key]] = value
        return data, str(values["safer"])

    def acknowledged(self, response: requests.Response) -> bool:
        if self.ours:
            return response.status_code == 302 and "thank-you" in response.headers.get(
                "Location", ""
            )
        return response.status_code == 200 and "<h1>Thank you</h1>" in response.text


def client_loop(
    target: Target,
    phase: str,
    base: str,
    client: int,
    deadline: float,
    stats: Stats,
    think: float = 0.0,
) -> None:
    session = requests.Session()
    url = base + target.url
    pause = random.Random(f"{phase.split('-r')[-1]}-{client}")  # same pauses for both targets
    if think:  # people arrive at different moments, not all at the start of a round
        time.sleep(think * pause.random())
    n = 0
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            page = session.get(url, timeout=TIMEOUT)
        except requests.RequestException as error:
            stats.errors[f"GET {type(error).__name__}"] += 1
            time.sleep(0.05)
            continue
        stats.get_ms.append((time.perf_counter() - started) * 1000)
        csrf, token = CSRF_RE.search(page.text), TOKEN_RE.search(page.text)
        if page.status_code != 200 or not csrf or (target.ours and not token):
            stats.errors[f"GET {page.status_code}"] += 1
            continue
        signed = token.group(1) if token else ""
        data, text = target.payload(csrf.group(1), signed, phase, client, n)
        n += 1
        if think:  # a person reading and answering, between half and one and a half times this
            time.sleep(think * pause.uniform(0.5, 1.5))
        post_until_acknowledged(session, url, target, data, text, stats)


def post_until_acknowledged(session, url, target, data, text, stats) -> None:
    first = time.perf_counter()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        if attempt > 1:
            stats.retried_posts += attempt == 2
            time.sleep(0.05 * attempt)
        started = time.perf_counter()
        try:
            response = session.post(
                url, data=data, allow_redirects=False, timeout=TIMEOUT, headers={"Referer": url}
            )
        except requests.RequestException as error:
            stats.errors[f"POST {type(error).__name__}"] += 1
            continue
        stats.post_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code >= 500:
            stats.errors[f"POST {response.status_code}"] += 1
            continue
        if target.acknowledged(response):
            stats.submit_ms.append((time.perf_counter() - first) * 1000)
            stats.acks.append(
                Ack(
                    signed_token=str(data.get("token", "")),
                    location=response.headers.get("Location", ""),
                    text=text,
                    attempts=attempt,
                )
            )
        else:
            stats.refused_posts += 1
            stats.errors[f"POST {response.status_code} refused"] += 1
        return
    stats.errors["POST gave up"] += 1


@dataclass
class Phase:
    """One target's measurements, summed over its rounds."""

    target: Target
    stats: Stats = field(default_factory=Stats)
    seconds: float = 0.0
    client_cpu: float = 0.0
    server_cpu: float = 0.0
    kill: dict | None = None


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds used so far by each process."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
    return used


def run_round(
    phase: Phase,
    tag: str,
    base: str,
    clients: int,
    seconds: float,
    master: int,
    *,
    kill_after: float | None = None,
    think: float = 0.0,
) -> None:
    """N clients against one target for ``seconds``; adds what happened to ``phase``."""
    per_client = [Stats() for _ in range(clients)]
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=client_loop,
            args=(phase.target, tag, base, i, deadline, per_client[i], think),
        )
        for i in range(clients)
    ]
    client_before = resource.getrusage(resource.RUSAGE_SELF)
    server_before = cpu_seconds(workers_of(master))
    started = time.monotonic()
    for thread in threads:
        thread.start()
    if kill_after is not None:
        time.sleep(kill_after)
        before = workers_of(master)
        os.kill(before[0], signal.SIGKILL)
        phase.kill = {
            "at": phase.seconds + time.monotonic() - started,
            "pid": before[0],
            "before": before,
        }
    for thread in threads:
        thread.join()
    phase.seconds += time.monotonic() - started
    client_after = resource.getrusage(resource.RUSAGE_SELF)
    server_after = cpu_seconds(workers_of(master))
    phase.server_cpu += sum(
        used - server_before.get(pid, 0.0) for pid, used in server_after.items()
    )
    phase.client_cpu += (client_after.ru_utime - client_before.ru_utime) + (
        client_after.ru_stime - client_before.ru_stime
    )
    for one in per_client:
        phase.stats.merge(one)


def measure(
    targets: dict[str, Target],
    base: str,
    master: int,
    *,
    clients: int,
    duration: float,
    rounds: int,
    kill: bool,
    think: float = 0.0,
) -> dict[str, Phase]:
    """Alternate short rounds of each target, so load from anything else on the machine falls
    on both alike. One worker is killed half way through the consultation's time."""
    phases = {name: Phase(target) for name, target in targets.items()}
    per_round = duration / rounds
    kill_round, kill_after = divmod(duration / 2, per_round)
    for number in range(rounds):
        for name, phase in phases.items():
            killing = kill and name == "ours" and number == int(kill_round)
            print(f"  round {number + 1}/{rounds}: {phase.target.label}", flush=True)
            run_round(
                phase,
                f"{name}-r{number}",
                base,
                clients,
                per_round,
                master,
                kill_after=max(kill_after, 0.5) if killing else None,
                think=think,
            )
    if phases["ours"].kill:
        phases["ours"].kill["after"] = workers_of(master)
    return phases


# --- Checking and reporting ---------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def integrity(site: Site, ours: list[Ack], baseline: list[Ack]) -> dict:
    """Acknowledged submissions against the rows stored, for both targets."""
    from django.core import signing
    from wagtail.contrib.forms.models import FormSubmission

    from consultations.forms import TOKEN_SALT
    from consultations.models import Answer, Response
    from consultations.views import REFERENCE_SALT

    rows = list(
        Response.objects.filter(page_id=site.consultation_id).values_list("token", "reference")
    )
    stored_tokens = Counter(token for token, _ in rows)
    reference_of = dict(rows)
    acked = {uuid.UUID(signing.loads(a.signed_token, salt=TOKEN_SALT)): a for a in ours}
    wrong_reference = 0
    for token, ack in acked.items():
        ref = parse_qs(urlsplit(ack.location).query).get("ref", [""])[0]
        if token in reference_of and signing.loads(ref, salt=REFERENCE_SALT) != reference_of[token]:
            wrong_reference += 1
    safer = site.question_fields["safer"].removeprefix("q-")
    texts = Counter(
        Answer.objects.filter(
            response__page_id=site.consultation_id, question_id=int(safer)
        ).values_list("text", flat=True)
    )
    ours_result = {
        "acknowledged": len(ours),
        "distinct tokens acknowledged": len(acked),
        "rows": len(rows),
        "lost": len(set(acked) - set(stored_tokens)),
        "duplicated": (len(rows) - len(stored_tokens))
        + sum(count - 1 for count in texts.values() if count > 1),
        "stored, not acknowledged": len(set(stored_tokens) - set(acked)),
        "wrong reference": wrong_reference,
        "retried then acknowledged": sum(1 for a in ours if a.attempts > 1),
    }
    field_name = site.baseline_fields["safer"]
    submissions = FormSubmission.objects.filter(page_id=site.baseline_id)
    stored = Counter(s.form_data.get(field_name) for s in submissions)
    baseline_result = {
        "acknowledged": len(baseline),
        "rows": submissions.count(),
        "lost": len({a.text for a in baseline} - set(stored)),
        "duplicated": sum(count - 1 for count in stored.values() if count > 1),
    }
    return {"ours": ours_result, "baseline": baseline_result}


def machine() -> dict[str, str]:
    import django
    import gunicorn
    import wagtail
    from django.db import connection

    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus (nproc)": str(len(os.sched_getaffinity(0))),
        "cpu": cpu,
        "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "gunicorn": gunicorn.__version__,
        "postgresql": pg,
    }


def fmt(value: float, digits: int = 1) -> str:
    return f"{value:,.{digits}f}"


def p50_p95(values: list[float]) -> str:
    return f"{fmt(percentile(values, 50))} / {fmt(percentile(values, 95))}"


def report(args, phases: dict[str, Phase], checks: dict, info: dict) -> str:
    base, ours = phases["baseline"], phases["ours"]

    def row(label, f):
        return f"| {label} | {f(base)} | {f(ours)} |"

    def rate(p: Phase) -> float:
        return len(p.stats.acks) / p.seconds

    def requests_rate(p: Phase) -> float:
        return (len(p.stats.get_ms) + len(p.stats.post_ms)) / p.seconds

    def errors(p: Phase) -> str:
        return ", ".join(f"{k}: {v}" for k, v in sorted(p.stats.errors.items())) or "none"

    ratio = rate(ours) / rate(base) if rate(base) else float("nan")
    p95 = max(percentile(ours.stats.get_ms, 95), percentile(ours.stats.post_ms, 95))
    o, b = checks["ours"], checks["baseline"]
    kill = ours.kill
    lines = [
        f"Run on {info['date']}: {args.clients} clients, {args.duration:g} s per target in "
        f"{args.rounds} alternating rounds after a {args.warmup:g} s warm-up, gunicorn with "
        f"{args.workers} sync workers{' (--preload)' if args.preload else ''}, "
        f"`DATABASE_CONN_MAX_AGE={args.conn_max_age}`, "
        + ("each worker's own local-memory cache" if args.redis == "none" else "Redis cache")
        + (
            f", each client pausing {args.think:g} s on average (0.5 to 1.5 times that) between "
            "getting the form and sending it, as a person answering would, and starting at a "
            "random moment in the first of those pauses."
            if args.think
            else ", each client sending its answers as soon as it has the form (no pause)."
        ),
        "",
        "| | baseline: Wagtail form page | consultation answers |",
        "| --- | ---: | ---: |",
        row("submissions acknowledged", lambda p: f"{len(p.stats.acks):,}"),
        row("submissions per second", lambda p: fmt(rate(p))),
        row("requests per second (GET + POST)", lambda p: fmt(requests_rate(p))),
        row("GET p50 / p95 (ms)", lambda p: p50_p95(p.stats.get_ms)),
        row("POST p50 / p95 (ms)", lambda p: p50_p95(p.stats.post_ms)),
        row("all requests p50 / p95 (ms)", lambda p: p50_p95(p.stats.get_ms + p.stats.post_ms)),
        row("acknowledged submission, first try to thank-you, p50 / p95 (ms)",
            lambda p: p50_p95(p.stats.submit_ms)),
        row("client errors", errors),
        row("posts retried", lambda p: f"{p.stats.retried_posts:,}"),
        row("gunicorn workers' CPU per submission (ms)",
            lambda p: fmt(p.server_cpu * 1000 / max(len(p.stats.acks), 1))),
        row("load generator CPU (s)", lambda p: fmt(p.client_cpu)),
        "",
        f"Throughput ratio (consultation / baseline submissions per second): **{ratio:.2f}**.",
        "",
    ]  # fmt: skip
    if kill:
        restarted = len(kill["after"]) == len(kill["before"]) and kill["pid"] not in kill["after"]
        lines += [
            f"Worker kill: SIGKILL to worker {kill['pid']} at {kill['at']:.1f} s of the "
            f"consultation's {ours.seconds:.1f} s; workers before {kill['before']}, after "
            f"{kill['after']} ({'gunicorn replaced it' if restarted else 'NOT replaced'}).",
            "",
        ]
    lines += [
        "| integrity | baseline | consultation answers |",
        "| --- | ---: | ---: |",
        f"| acknowledged (whole run, warm-up included) | {b['acknowledged']:,} | "
        f"{o['acknowledged']:,} |",
        f"| rows stored | {b['rows']:,} | {o['rows']:,} |",
        f"| lost (acknowledged, not stored) | {b['lost']} | **{o['lost']}** |",
        f"| duplicated (stored more than once) | {b['duplicated']} | **{o['duplicated']}** |",
        f"| stored but not acknowledged | – | {o['stored, not acknowledged']} |",
        f"| acknowledged after a retry | – | {o['retried then acknowledged']} |",
        f"| thank-you reference not the stored one | – | {o['wrong reference']} |",
        "",
        "| target | result | met |",
        "| --- | ---: | :---: |",
        f"| throughput ≥ 0.8 × baseline | {ratio:.2f} × | {'yes' if ratio >= 0.8 else 'NO'} |",
        f"| p95 < 150 ms at {args.clients} clients (worse of GET and POST) | {fmt(p95)} ms | "
        f"{'yes' if p95 < 150 else 'NO'} |",
        f"| zero lost | {o['lost']} | {'yes' if o['lost'] == 0 else 'NO'} |",
        f"| zero duplicated | {o['duplicated']} | {'yes' if o['duplicated'] == 0 else 'NO'} |",
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()) + ".",
    ]
    return "\n".join(lines)


def write_docs(markdown: str) -> None:
    block = f"{START_MARK}\n{markdown}\n{END_MARK}"
    text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
    if START_MARK in text and END_MARK in text:
        head, rest = text.split(START_MARK, 1)
        text = head + block + rest.split(END_MARK, 1)[1]
    elif SECTION in text:
        head, rest = text.split(SECTION, 1)
        text = f"{head}{SECTION}\n\n{block}\n{rest}"
    else:
        text = f"{text.rstrip()}\n\n{SECTION}\n\n{block}\n"
    DOCS.write_text(text)


# --- Main ---------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432")
    parser.add_argument("--database", default="youthvoice_bench")
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument("--no-kill", action="store_true")
    parser.add_argument("--no-docs", action="store_true")
    parser.add_argument("--think", type=float, default=0.0)
    parser.add_argument("--no-preload", dest="preload", action="store_false")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    if args.think and not args.no_docs:
        raise SystemExit("--think measures another workload: use it with --no-docs.")
    if urlsplit(args.postgres).hostname not in LOOPBACK:
        raise SystemExit("The benchmark only talks to a PostgreSQL on a loopback address.")

    work = Path(tempfile.mkdtemp(prefix="youthvoice-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "DATABASE_CONN_MAX_AGE": str(args.conn_max_age),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "youthvoice-bench-static"),
        "PYTHONPATH": str(ROOT),
    }
    if args.redis == "none":
        env.pop("REDIS_URL", None)  # each worker's own local-memory cache
    else:
        if urlsplit(args.redis).hostname not in LOOPBACK:
            raise SystemExit("The benchmark only talks to a Redis on a loopback address.")
        import redis

        redis.Redis.from_url(args.redis).flushdb()  # remembered routes of an earlier run
        env["REDIS_URL"] = args.redis
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))

    print(f"Database {args.database}: dropping, creating, migrating…", flush=True)
    recreate_database(args.postgres, args.database)
    python = sys.executable
    run([python, "manage.py", "migrate", "--noinput", "-v0"], env)
    print("Collecting static files…", flush=True)
    run([python, "manage.py", "collectstatic", "--noinput", "-v0"], env)

    import django

    django.setup()
    from django.db import connections

    site = build_site()
    info = machine()
    connections.close_all()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"gunicorn on {base} with {args.workers} workers…", flush=True)
    server = start_gunicorn(env, port, args.workers, work / "gunicorn.log", preload=args.preload)
    targets = {
        "baseline": Target(
            "baseline", "Wagtail form page", site.baseline_url, site.baseline_fields, False
        ),
        "ours": Target(
            "ours", "consultation answers", site.consultation_url, site.question_fields, True
        ),
    }
    warm = {name: Phase(target) for name, target in targets.items()}
    load_before = os.getloadavg()
    try:
        for name, phase in warm.items():
            print(f"Warming up {phase.target.label} for {args.warmup:g} s…", flush=True)
            run_round(phase, f"warm-{name}", base, args.clients, args.warmup, server.pid)
        print(f"Measuring, {args.clients} clients, {args.duration:g} s per target…", flush=True)
        phases = measure(
            targets,
            base,
            server.pid,
            clients=args.clients,
            duration=args.duration,
            rounds=args.rounds,
            kill=not args.no_kill,
            think=args.think,
        )
    finally:
        stop(server)
    info["load average (1, 5, 15 min) before / after"] = (
        f"{' '.join(f'{x:.2f}' for x in load_before)} / "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )

    checks = integrity(
        site,
        warm["ours"].stats.acks + phases["ours"].stats.acks,
        warm["baseline"].stats.acks + phases["baseline"].stats.acks,
    )
    connections.close_all()
    markdown = report(args, phases, checks, info)
    print()
    print(markdown)
    if not args.no_docs:
        write_docs(markdown)
        print(f"\nWritten to {DOCS.relative_to(ROOT)}.")
    print(f"gunicorn's log: {work / 'gunicorn.log'}")


if __name__ == "__main__":
    main()
