#!/usr/bin/env python
"""Two web processes and two task workers on one PostgreSQL and one Redis, one of each killed.

Run by hand (it is not a test), from the project directory, with PostgreSQL and Redis on
127.0.0.1:

    .venv/bin/python benchmarks/two_of_each.py                  # 2,000 answers, 8 clients
    .venv/bin/python benchmarks/two_of_each.py --answers 500 --clients 4

Options: ``--answers N`` (2,000), ``--clients N`` (8), ``--web-workers N`` gunicorn workers per
web process (2), ``--postgres URL`` of the server (``postgres://root@127.0.0.1:5432``),
``--database NAME`` (``youthvoice_two``: DROPPED and created again), ``--redis URL``
(``redis://127.0.0.1:6379/9``: that database is EMPTIED first), ``--conn-max-age S`` (60) and
``--stuck-wait S`` (20): how long to watch a coding task whose worker was killed before doing
what an operator would.

It stands in for two machines behind a load balancer, each running gunicorn and a ``db_worker``,
sharing the database and the cache:

1. Drops and creates the database, migrates it and collects static files under
   ``benchmarks.settings`` (production settings) with
   ``TASKS_BACKEND=django_tasks_db.DatabaseBackend``; builds the six-question consultation of
   ``benchmarks/throughput_site.py`` and gives it a copy of the starter codebook.
2. Starts two gunicorn web processes (``--preload``) on two ports and two
   ``manage.py db_worker`` processes (worker ids ``worker-a`` and ``worker-b``), all with the
   same ``SECRET_KEY``, ``DATABASE_URL`` and ``REDIS_URL``.
3. Sends N answers through the real form, each from a new browser session (GET the form for
   its CSRF cookie and one-time token, then POST). The client threads play the load balancer:
   submission n goes to port n mod 2; a port that refuses or drops a connection is taken out; a
   POST that fails is sent again, the same data with the SAME token, to the other port, as a
   browser retrying would. When half the answers are acknowledged, one whole web process (the
   gunicorn master and its workers) and ``worker-a`` get SIGKILL. ``worker-a`` is then started
   again (``worker-a2``), as a supervisor (systemd ``Restart=always``) would.
4. Does what a facilitator's "Re-code" button does (``enqueue_recode``: a coding run and a
   ``run_coding_task`` on the queue). When a worker has claimed the task and coded at least one
   chunk, that worker gets SIGKILL. For ``--stuck-wait`` seconds it watches what the queue does
   with the task; django-tasks-db 0.13 never hands a task marked RUNNING to another worker, so
   then it does what the README tells an operator to do: set the dead worker's RUNNING task
   results back to READY. ``run_coding`` starts an unfinished run over, so the surviving worker
   finishes the same run.
5. Checks, from the rows: every token posted saved once and only once, none acknowledged lost;
   every answer's words counted once (one ``AnswerTerm`` row per answer and term, every
   ``TermTotal`` equal to the sum of its ``AnswerTerm`` rows over answers not held); every
   codable answer coded once in the latest run (its ``MachineCode`` rows equal to the engine's
   codes worked out again here, no duplicates, none missing). Prints Markdown tables of the
   checks (expected against found), the findings and the timings; exits 1 on any mismatch.

Only loopback addresses are used. Everything it starts is stopped before it exits.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.answer_throughput import LOOPBACK  # noqa: E402
from benchmarks.throughput_report import machine, p50_p95  # noqa: E402
from benchmarks.throughput_site import (  # noqa: E402
    build_site,
    free_port,
    recreate_database,
    run,
    start_gunicorn,
    stop,
    workers_of,
)
from benchmarks.two_clients import Balancer, Posting, post_answers  # noqa: E402

CODING_TASK = "consultations.themes.tasks.run_coding_task"


# --- Processes ----------------------------------------------------------------------------------


def start_worker(env: dict, worker_id: str, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--worker-id",
            worker_id,
            "--interval",
            "0.5",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


def kill_web(process: subprocess.Popen) -> list[int]:
    """SIGKILL a gunicorn master and its workers at once, as if its machine had died."""
    pids = [process.pid, *workers_of(process.pid)]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)
    return pids


def kill_worker(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


# --- Coding -------------------------------------------------------------------------------------


@dataclass
class Coding:
    run_id: int = 0
    killed: str = ""  # the worker id killed mid-run ("" if the run ended first)
    claimed_s: float = 0.0  # enqueue to claim
    killed_s: float = 0.0  # enqueue to kill
    done_at_kill: int = 0
    total: int = 0
    watched: list[tuple[float, str, int, list[str]]] = field(default_factory=list)
    requeued: int = 0
    rerun_s: float = 0.0  # requeue to finished
    finished_by: list[str] = field(default_factory=list)
    status: str = ""


def coding_task(run_id: int):
    from django_tasks_db.models import DBTaskResult

    for result in DBTaskResult.objects.filter(task_path=CODING_TASK):
        if result.args_kwargs.get("args") == [run_id]:
            return result
    return None


def code_and_kill(consultation_id: int, workers: dict[str, subprocess.Popen], stuck_wait: float):
    """A facilitator's "Re-code"; kill the worker doing it; watch; requeue as an operator would."""
    from django.db import connection, transaction
    from django_tasks_db.models import DBTaskResult

    from consultations.themes.models import Codebook, CodingRun
    from consultations.themes.services.theme_coding import enqueue_recode

    coding = Coding()
    codebook = Codebook.objects.get(consultation_id=consultation_id)
    started = time.monotonic()
    with transaction.atomic():  # the admin view's request is one transaction; enqueued on commit
        coding.run_id = enqueue_recode(codebook).pk
    deadline = started + 300
    while time.monotonic() < deadline:
        task = coding_task(coding.run_id)
        run_row = CodingRun.objects.get(pk=coding.run_id)
        if task is not None and task.status == "RUNNING" and not coding.claimed_s:
            coding.claimed_s = time.monotonic() - started
        if task is not None and task.status in ("SUCCESSFUL", "FAILED"):
            break  # finished before it could be killed: reported, and the check fails
        if task is not None and task.status == "RUNNING" and run_row.done > 0:
            coding.killed = task.worker_ids[-1]
            kill_worker(workers[coding.killed])
            coding.killed_s = time.monotonic() - started
            coding.done_at_kill, coding.total = run_row.done, run_row.total
            break
        time.sleep(0.02)
    if coding.killed:
        print(
            f"  killed {coding.killed} at {coding.killed_s:.1f} s, "
            f"{coding.done_at_kill:,} of {coding.total:,} answers coded; watching…",
            flush=True,
        )
        watch_from = time.monotonic()
        while time.monotonic() - watch_from < stuck_wait:
            time.sleep(min(5, stuck_wait))
            task = coding_task(coding.run_id)
            run_row = CodingRun.objects.get(pk=coding.run_id)
            coding.watched.append(
                (time.monotonic() - watch_from, task.status, run_row.done, list(task.worker_ids))
            )
        # The operator's step, the README's statement ("Running on more than one machine"): the
        # tasks a worker that is gone left RUNNING go back to READY (each is safe to run twice).
        requeued_at = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {DBTaskResult._meta.db_table} SET status = 'READY', started_at = NULL "  # noqa: S608
                "WHERE status = 'RUNNING' AND worker_ids ->> -1 = %s",
                [coding.killed],
            )
            coding.requeued = cursor.rowcount
        while time.monotonic() - requeued_at < 300:
            task = coding_task(coding.run_id)
            if task.status in ("SUCCESSFUL", "FAILED"):
                break
            time.sleep(0.1)
        coding.rerun_s = time.monotonic() - requeued_at
    task = coding_task(coding.run_id)
    coding.status = task.status if task else "never enqueued"
    coding.finished_by = list(task.worker_ids) if task else []
    return coding


def wait_for_queue(seconds: float = 300) -> float:
    """Wait until no task is READY; return how long it took."""
    from django_tasks_db.models import DBTaskResult

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if not DBTaskResult.objects.filter(status="READY").exists():
            break
        time.sleep(0.2)
    return time.monotonic() - started


# --- Checks -------------------------------------------------------------------------------------


def check_answers(site, posting: Posting) -> list[tuple[str, object, object]]:
    from consultations.models import Answer, Response

    posted = {one.token for one in posting.sent if one.token is not None and one.attempts}
    acked = {one.token for one in posting.sent if one.acknowledged}
    rows = list(
        Response.objects.filter(page_id=site.consultation_id).values_list("token", flat=True)
    )
    stored = Counter(rows)
    safer = int(site.question_fields["safer"].removeprefix("q-"))
    texts = Counter(
        Answer.objects.filter(
            response__page_id=site.consultation_id, question_id=safer
        ).values_list("text", flat=True)
    )
    return [
        ("submissions sent (tokens posted)", len(posting.sent), len(posted)),
        ("acknowledged (thank-you page)", len(posted), len(acked)),
        ("responses stored", len(posted), len(rows)),
        ("distinct tokens stored", len(posted), len(stored)),
        ("tokens stored more than once", 0, sum(1 for c in stored.values() if c > 1)),
        ("acknowledged but not stored (lost)", 0, len(acked - set(stored))),
        ("posted but not stored", 0, len(posted - set(stored))),
        ("stored but never posted", 0, len(set(stored) - posted)),
        ("answer texts stored more than once", 0, sum(c - 1 for c in texts.values() if c > 1)),
    ]


def check_terms(site) -> list[tuple[str, object, object]]:
    from django.db.models import Count, Sum

    from consultations.models import Answer, AnswerTerm, TermTotal

    answers_ = Answer.objects.filter(response__page_id=site.consultation_id)
    with_text = answers_.exclude(redacted_text="")
    terms = AnswerTerm.objects.filter(answer__response__page_id=site.consultation_id)
    duplicate_rows = (
        terms.values("answer_id", "term").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    expected = {
        (row["answer__question_id"], row["term"]): (row["total"], row["used"])
        for row in terms.filter(answer__held=False, answer__terms_counted=True)
        .values("answer__question_id", "term")
        .annotate(total=Sum("count"), used=Count("answer_id"))
    }
    found = {
        (row["question_id"], row["term"]): (row["count"], row["answers"])
        for row in TermTotal.objects.filter(question__page_id=site.consultation_id).values(
            "question_id", "term", "count", "answers"
        )
    }
    wrong = sum(1 for key in expected.keys() | found.keys() if expected.get(key) != found.get(key))
    return [
        ("answers with words", with_text.count(), with_text.filter(terms_counted=True).count()),
        ("answers with words not counted", 0, with_text.filter(terms_counted=False).count()),
        ("AnswerTerm rows repeated (answer, term)", 0, duplicate_rows),
        (
            "sum of TermTotal.count (= AnswerTerm, not held)",
            sum(total for total, _ in expected.values()),
            sum(total for total, _ in found.values()),
        ),
        ("TermTotal rows not equal to a recount", 0, wrong),
    ]


def check_coding(site, coding: Coding) -> list[tuple[str, object, object]]:
    from django.db.models import Count

    from consultations.analysis import theme_coding as engine_lib
    from consultations.models import Answer
    from consultations.themes.models import Codebook, CodingRun, MachineCode
    from consultations.themes.services.theme_coding import (
        CHUNK_SIZE,
        codable_answers,
        latest_run,
        theme_specs,
        training_examples,
    )

    codebook = Codebook.objects.get(consultation_id=site.consultation_id)
    run_row = CodingRun.objects.get(pk=coding.run_id)
    state = f"{run_row.status}; {'yes' if run_row.is_current else 'no'}"
    latest = latest_run(codebook)
    # The engine's codes worked out again here, the way run_coding works them out.
    themes = list(codebook.themes.all())
    names = {theme.pk: theme.name for theme in themes}
    ids = {theme.name: theme.pk for theme in themes}
    engine = engine_lib.default_engine()
    engine.fit(theme_specs(themes), training_examples(codebook, names))
    answer_ids = list(codable_answers(codebook).order_by("pk").values_list("pk", flat=True))
    expected = set()
    for start in range(0, len(answer_ids), CHUNK_SIZE):
        chunk = answer_ids[start : start + CHUNK_SIZE]
        texts = dict(Answer.objects.filter(pk__in=chunk).values_list("pk", "redacted_text"))
        for answer_id, scores in zip(
            chunk, engine.scores([texts[pk] for pk in chunk]), strict=True
        ):
            expected |= {(answer_id, ids[name]) for name, _score in engine.assign(scores)}
    codes = MachineCode.objects.filter(run_id=coding.run_id)
    found = set(codes.values_list("answer_id", "theme_id"))
    repeated = codes.values("answer_id", "theme_id").annotate(n=Count("id")).filter(n__gt=1).count()
    return [
        ("coding task status", "SUCCESSFUL", coding.status),
        ("a worker was killed during the run", "yes", "yes" if coding.killed else "no"),
        ("run status; current", "done; yes", state),
        ("latest run is this run", "yes", "yes" if latest and latest.pk == run_row.pk else "no"),
        ("answers coded in the run (done)", len(answer_ids), run_row.done),
        ("answers the run counted (total)", len(answer_ids), run_row.total),
        ("answers given a theme", len({a for a, _ in expected}), len({a for a, _ in found})),
        ("machine codes (answer, theme)", len(expected), codes.count()),
        ("codes missing", 0, len(expected - found)),
        ("codes not expected", 0, len(found - expected)),
        ("codes repeated (answer, theme)", 0, repeated),
    ]  # fmt: skip


# --- Main ---------------------------------------------------------------------------------------


def table(rows: list[tuple[str, object, object]]) -> tuple[str, bool]:
    lines = ["| check | expected | found | |", "| --- | ---: | ---: | --- |"]
    ok = True
    for name, expected, found in rows:
        same = str(expected) == str(found)
        ok &= same
        show = [f"{v:,}" if isinstance(v, int) else str(v) for v in (expected, found)]
        lines.append(f"| {name} | {show[0]} | {show[1]} | {'ok' if same else '**MISMATCH**'} |")
    return "\n".join(lines), ok


def main() -> None:  # noqa: PLR0915 - one story, told in order
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--postgres", default="postgres://root@127.0.0.1:5432")
    parser.add_argument("--database", default="youthvoice_two")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--conn-max-age", type=int, default=60)
    parser.add_argument("--stuck-wait", type=float, default=20)
    args = parser.parse_args()
    for url in (args.postgres, args.redis):
        if urlsplit(url).hostname not in LOOPBACK:
            raise SystemExit(f"The benchmark only talks to servers on a loopback address: {url}")

    work = Path(tempfile.mkdtemp(prefix="youthvoice-two-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": f"{args.postgres}/{args.database}",
        "DATABASE_CONN_MAX_AGE": str(args.conn_max_age),
        "REDIS_URL": args.redis,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "SECRET_KEY": secrets.token_urlsafe(50),  # the same for every process, as it must be
        "STATIC_ROOT": str(work / "static"),
        "PRIVATE_MEDIA_ROOT": str(work / "private"),
        "PYTHONPATH": str(ROOT),
    }
    os.environ.update(env)
    import redis

    redis.Redis.from_url(args.redis).flushdb()

    timings: dict[str, str] = {}
    began = time.monotonic()
    print(f"Database {args.database}: dropping, creating, migrating…", flush=True)
    recreate_database(args.postgres, args.database)
    run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env)

    import django

    django.setup()
    from django.db import connections

    from consultations.models import ConsultationPage
    from consultations.themes.services.codebooks import copy_codebook, starter_codebook

    site = build_site()
    copy_codebook(
        starter_codebook(),
        name="Benchmark codebook",
        consultation=ConsultationPage.objects.get(pk=site.consultation_id),
    )
    info = machine()
    connections.close_all()
    timings["setting up (database, migrate, static files, site)"] = (
        f"{time.monotonic() - began:.1f} s"
    )

    ports = [free_port(), free_port()]
    while ports[1] == ports[0]:
        ports[1] = free_port()
    print(f"Web processes on ports {ports[0]} and {ports[1]}; two db_workers…", flush=True)
    web = {
        port: start_gunicorn(env, port, args.web_workers, work / f"web-{port}.log", preload=True)
        for port in ports
    }
    workers = {
        name: start_worker(env, name, work / f"{name}.log") for name in ("worker-a", "worker-b")
    }
    killed_web_port = ports[0]
    failed = False
    try:
        balancer = Balancer(ports)
        print(f"Posting {args.answers:,} answers with {args.clients} clients…", flush=True)
        started = time.monotonic()
        posting = post_answers(
            args.answers, args.clients, balancer, site.consultation_url, site.question_fields
        )
        while posting.acknowledged < args.answers // 2 and any(
            t.is_alive() for t in posting.threads
        ):
            time.sleep(0.01)
        kill_at = time.monotonic() - started
        acked_at_kill = posting.acknowledged
        killed_pids = kill_web(web[killed_web_port])
        kill_worker(workers["worker-a"])
        print(
            f"  {acked_at_kill:,} acknowledged at {kill_at:.1f} s: SIGKILL to the web process on "
            f"port {killed_web_port} (pids {killed_pids}) and to worker-a",
            flush=True,
        )
        workers["worker-a2"] = start_worker(env, "worker-a2", work / "worker-a2.log")
        for thread in posting.threads:
            thread.join()
        posting_s = time.monotonic() - started
        retried = [one for one in posting.sent if one.attempts > 1]
        other_port = [one for one in retried if len(set(one.ports)) > 1]
        errors = Counter(e for one in posting.sent for e in one.errors)
        timings["posting, whole"] = (
            f"{posting_s:.1f} s ({len(posting.sent) / posting_s:,.0f} answers/s, "
            f"{args.clients} clients)"
        )
        timings["submission, first POST to thank-you, p50 / p95"] = (
            f"{p50_p95([one.submit_ms for one in posting.sent if one.acknowledged])} ms"
        )
        timings["kill of one web process and worker-a"] = (
            f"at {kill_at:.1f} s, {acked_at_kill:,} acknowledged"
        )
        print(f"  posted in {posting_s:.1f} s; errors seen by clients: {dict(errors)}", flush=True)

        print("Re-coding the consultation (what the facilitator's button enqueues)…", flush=True)
        coding = code_and_kill(site.consultation_id, workers, args.stuck_wait)
        drain_s = wait_for_queue()
        timings["coding: enqueue to claimed by a worker"] = f"{coding.claimed_s:.2f} s"
        timings["coding: enqueue to SIGKILL of that worker"] = (
            f"{coding.killed_s:.2f} s ({coding.done_at_kill:,} of {coding.total:,} answers coded)"
        )
        timings["coding: watched the orphaned task for"] = f"{args.stuck_wait:g} s"
        timings["coding: requeue to finished, surviving worker"] = f"{coding.rerun_s:.1f} s"
        timings["queue drained after that"] = f"{drain_s:.1f} s"
    finally:
        for process in web.values():
            if process.poll() is None:
                stop(process)
        for process in workers.values():
            stop(process)

    from django_tasks_db.models import DBTaskResult

    checks = [
        ("Each answer saved once", check_answers(site, posting)),
        ("Each answer's words counted once", check_terms(site)),
        ("Each answer coded once (latest coding run)", check_coding(site, coding)),
    ]
    queue = Counter(
        (path.rsplit(".", 1)[1], status)
        for path, status in DBTaskResult.objects.values_list("task_path", "status")
    )
    connections.close_all()

    out = [
        f"Machine: {info['cpus (nproc)']} CPUs ({info['cpu']}), {info['memory']}, "
        f"{info['os']}; Python {info['python']}, Django {info['django']}, gunicorn "
        f"{info['gunicorn']}, PostgreSQL {info['postgresql']}; {info['date']}.",
        "",
        f"Setup: {args.answers:,} answers, {args.clients} client threads, two gunicorn web "
        f"processes with {args.web_workers} sync workers each (`--preload`), two `db_worker`s, "
        f"`DATABASE_CONN_MAX_AGE={args.conn_max_age}`, one PostgreSQL, one Redis.",
        "",
    ]
    for title, rows in checks:
        text, ok = table(rows)
        failed |= not ok
        out += [f"**{title}**", "", text, ""]
    out += ["**What the clients saw**", "", "| | |", "| --- | ---: |"]
    out += [
        f"| submissions sent again after a failure | {len(retried):,} |",
        f"| … of them sent again to the other web process | {len(other_port):,} |",
        f"| … acknowledged in the end | {sum(one.acknowledged for one in retried):,} |",
    ]
    out += [f"| error `{name}` | {count:,} |" for name, count in sorted(errors.items())]
    out += ["", "**The coding task whose worker was killed**", ""]
    out += ["| seconds after the kill | task status | run's answers coded | task's worker ids |"]
    out += ["| ---: | --- | ---: | --- |"]
    out += [
        f"| {s:.0f} | {status} | {done:,} of {coding.total:,} | {', '.join(ids)} |"
        for s, status, done, ids in coding.watched
    ]
    out += [
        "",
        f"Then the operator's step: {coding.requeued} task result(s) RUNNING under "
        f"`{coding.killed}` set back to READY; the task ended {coding.status}, worker ids "
        f"{', '.join(coding.finished_by)}.",
        "",
        "**Task results at the end**: "
        + ", ".join(f"{name} {status}: {n}" for (name, status), n in sorted(queue.items())),
        "",
        "**Timings**",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {name} | {value} |" for name, value in timings.items()),
    ]
    print()
    print("\n".join(out))
    print(f"\nLogs: {work}")
    if failed:
        print("\nMISMATCH: see the tables above.", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
