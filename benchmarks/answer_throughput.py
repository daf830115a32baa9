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

The database, the site and gunicorn are set up by ``benchmarks/throughput_site.py``; the checks,
the machine's details and the report are in ``benchmarks/throughput_report.py``. This file holds
the clients, the rounds and ``main``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import secrets
import signal
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# benchmarks/report_speed.py imports build_site, machine and recreate_database from here.
from benchmarks.throughput_report import DOCS, integrity, machine, report, write_docs  # noqa: E402
from benchmarks.throughput_site import (  # noqa: E402
    answers,
    build_site,
    free_port,
    recreate_database,
    run,
    start_gunicorn,
    stop,
    workers_of,
)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TIMEOUT = 10  # seconds, per HTTP request
MAX_ATTEMPTS = 8  # per POST, including the first
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')


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
