#!/usr/bin/env python
"""Staff pages on the demo data: how long the admin pages a facilitator and a lead use most take.

Run by hand (it is not a test), from the project directory:

    .venv/bin/python benchmarks/staff_pages.py                        # SQLite, in-process cache
    .venv/bin/python benchmarks/staff_pages.py --postgres postgres://root@127.0.0.1:5432 \\
        --redis redis://127.0.0.1:6379/6                               # as in production

Options: ``--postgres URL`` (PostgreSQL instead of a SQLite file; database ``--database``,
``youthvoice_staff_bench`` by default, is DROPPED and created again), ``--redis URL`` (Redis as
the cache, flushed by the run; the in-process cache without it), ``--repeat N`` (warm requests
per page, 5), ``--profile PAGE`` (after the table, the 25 costliest functions of one warm
request of the page whose name starts with PAGE, as the first role that may open it).

What it does:

1. Migrates a fresh database (a SQLite file in a temporary folder, or the PostgreSQL database
   above) under ``benchmarks.settings`` (production settings: ``DEBUG`` off, cached templates,
   hashed static files, which are collected into the temporary folder).
2. Loads the demo with ``manage.py load_demo`` under the development settings (production
   settings refuse the demo); media files go to the temporary folder too.
3. Signs in each demo staff account (admin, Facilitator, Safeguarding lead, Executive partner)
   with Django's test client and a session that has used its second factor, as allauth records
   it after a correct code, and asks for each page below for the demo's biggest consultation
   (the one with most responses): the Wagtail dashboard, the Consultations listing, the
   consultation's workspace (each tab: Overview, Responses, Import, Word cloud and its picture,
   Coding, Themed summary, Reports, Safeguarding), the whole safeguarding queue, the page editor
   of the consultation, the "You said, we did" listing, and, as the baseline, Wagtail's own page
   explorer listing of the root page and of the home page.
4. Before measuring, every page is asked for once per role, untimed, so that templates are
   compiled and code imported. Then, per page: **cold** is one request straight after the
   cache is cleared; **warm** is the median of ``--repeat`` requests after it, in wall-clock
   seconds and in this process's CPU seconds (which a busy machine disturbs less; on
   PostgreSQL the database server's own time is not in it). Each request's SQL queries are
   counted (``CaptureQueriesContext``). A page a role may not open (a redirect, 403 or 404) is
   listed below the table with its status, not timed against the target.
5. Prints a Markdown table and the machine, for ``docs/benchmarks.md`` ("Staff pages on the
   demo data"). Redis, when used, is flushed (``cache.clear()`` empties its whole database), so
   give it a database number nothing else uses.

Target (issue #15): every page under 1 s warm; more than about 100 queries is worth a look.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import cpu  # noqa: E402

TARGET_SECONDS = 1.0
QUERY_WATCH = 100  # "more than about 100 queries" is worth a look (issue #15)
# The same throwaway key for every process of the run: the demo's authenticators are stored with
# it, and sessions are signed with it.
SECRET_KEY = "benchmark-only-secret-key-never-used-anywhere-else-0123456789"  # noqa: S105


@dataclass
class Measure:
    page: str
    role: str
    url: str
    status: int = 0
    cold: float = 0.0
    cold_queries: int = 0
    warm: list[float] = field(default_factory=list)
    warm_cpu: list[float] = field(default_factory=list)  # this process's CPU, not the database's
    warm_queries: int = 0
    size: int = 0  # bytes of the page (of the last warm response)
    location: str = ""  # where a redirect leads

    @property
    def opened(self) -> bool:
        return self.status == 200

    @property
    def warm_median(self) -> float:
        return statistics.median(self.warm)


# --- Setting up ---------------------------------------------------------------------------------


def prepare(args: argparse.Namespace, folder: Path) -> float:
    """Make the database, migrate it, collect static files and load the demo; return the
    seconds ``load_demo`` took. Sets the environment this process then runs Django with."""
    if args.postgres:
        from benchmarks.answer_throughput import recreate_database

        recreate_database(args.postgres, args.database)
        database_url = f"{args.postgres}/{args.database}"
    else:
        database_url = f"sqlite:///{folder / 'staff-pages.sqlite3'}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database_url,
        "SECRET_KEY": SECRET_KEY,
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "PRIVATE_MEDIA_ROOT": str(folder / "private"),
    }
    env.pop("REDIS_URL", None)
    if args.redis:
        env["REDIS_URL"] = args.redis
    python = str(ROOT / ".venv" / "bin" / "python")

    def manage(*command: str, settings: str = "benchmarks.settings") -> None:
        subprocess.run(
            [python, "manage.py", *command],
            cwd=ROOT,
            env={**env, "DJANGO_SETTINGS_MODULE": settings},
            check=True,
            timeout=3600,
        )

    where = f"PostgreSQL database {args.database}" if args.postgres else "SQLite"
    print(f"Migrating a fresh {where}, collecting static files…", flush=True)
    manage("migrate", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    print("Loading the demo (manage.py load_demo, development settings)…", flush=True)
    started = time.perf_counter()
    manage("load_demo", "-v0", settings="youthforum.settings.dev")
    loading = time.perf_counter() - started
    print(f"  {loading:.0f} s.", flush=True)
    os.environ.update(env)
    return loading


def signed_in_client(user) -> Any:
    """A test client whose session has used the second factor, as after allauth's code step.

    ``force_login`` alone makes a session without allauth's "mfa" record, which the staff
    middleware sends to the reauthentication page; the record below is the one allauth writes
    after a correct authenticator code (see ``youthforum/accounts/second_factor.py``).
    """
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.test import Client, RequestFactory

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    return client


def staff_pages(consultation) -> list[tuple[str, str]]:
    """(name, URL) of each page measured, in the order a facilitator meets them."""
    from django.urls import reverse
    from wagtail.models import Page

    from consultations.commitments.models import Commitment
    from youthforum.core.models import HomePage

    pk = consultation.pk
    queue = reverse("safeguarding:index")
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    assert home is not None, "the demo has no home page"
    commitments = reverse(Commitment.snippet_viewset.get_url_name("list"))
    return [
        ("Wagtail dashboard", reverse("wagtailadmin_home")),
        ("Consultations (menu listing)", reverse("consultations:index")),
        ("Overview tab", reverse("consultations:overview", args=[pk])),
        ("Responses tab", reverse("consultations:responses", args=[pk])),
        ("Import tab", reverse("consultations:import", args=[pk])),
        ("Word cloud tab", reverse("consultations:word_cloud", args=[pk])),
        ("Word cloud picture (PNG)", reverse("consultations:word_cloud_png", args=[pk])),
        ("Coding tab (coding screen)", reverse("themes:coding", args=[pk])),
        ("Themed summary tab", reverse("themes:themed_summary", args=[pk])),
        ("Reports tab (/reports/<slug>/)", reverse("report", args=[consultation.slug])),
        ("Safeguarding tab (queue, this consultation)", f"{queue}?consultation={pk}"),
        ("Safeguarding queue (all)", queue),
        ("Edit consultation (page editor)", reverse("wagtailadmin_pages:edit", args=[pk])),
        ('"You said, we did" listing', commitments),
        ("Baseline: page explorer, root", reverse("wagtailadmin_explore", args=[root.pk])),
        ("Baseline: page explorer, home", reverse("wagtailadmin_explore", args=[home.pk])),
    ]


# --- Measuring ----------------------------------------------------------------------------------


def request(client, url: str) -> tuple[float, float, Any, int]:
    """Seconds (wall clock and this process's CPU), response and SQL queries of one GET, the
    whole body read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - started_cpu
    response.body_size = len(body)
    return seconds, cpu_seconds, response, len(queries.captured_queries)


def measure(clients: dict[str, Any], pages: list[tuple[str, str]], repeat: int) -> list[Measure]:
    from django.core.cache import cache

    for client in clients.values():  # compile templates, import code: not what is measured
        for _, url in pages:
            client.get(url)
    results = []
    for name, url in pages:
        for role, client in clients.items():
            result = Measure(page=name, role=role, url=url)
            cache.clear()
            result.cold, _cpu, response, result.cold_queries = request(client, url)
            result.status = response.status_code
            result.location = response.get("Location", "")
            for _ in range(repeat if result.opened else 1):
                seconds, cpu_seconds, response, result.warm_queries = request(client, url)
                result.warm.append(seconds)
                result.warm_cpu.append(cpu_seconds)
            result.size = response.body_size
            results.append(result)
            print(
                f"  {name} as {role}: {result.status}, cold {result.cold:.3f} s "
                f"({result.cold_queries} queries), warm {result.warm_median:.3f} s "
                f"({result.warm_queries} queries)",
                flush=True,
            )
    return results


def profile(client, url: str, *, limit: int = 25) -> str:
    """The costliest functions (cumulative time) of one warm request, and its repeated SQL."""
    import io
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        profiler.enable()
        client.get(url)
        profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(limit)
    shapes: Counter[str] = Counter(q["sql"][:160] for q in queries.captured_queries)
    out.write(f"\n{len(queries.captured_queries)} queries; the most repeated (first 160 chars):\n")
    for sql, count in shapes.most_common(10):
        out.write(f"{count:5d} × {sql}\n")
    return out.getvalue()


# --- Reporting ----------------------------------------------------------------------------------


def table(results: list[Measure]) -> str:
    """The pages each role opened, then, in a line per page, who may not open it."""
    lines = [
        "| page | role | KiB | cold (s) | cold queries | warm, median (s) | warm CPU (s) "
        f"| warm queries | warm under {TARGET_SECONDS:.0f} s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: |",
    ]
    refused: dict[str, list[str]] = {}
    for r in results:
        if not r.opened:
            status = f"{r.status} → {r.location}" if r.location else str(r.status)
            refused.setdefault(r.page, []).append(f"{r.role} ({status})")
            continue
        met = "yes" if r.warm_median < TARGET_SECONDS else "**NO**"
        queries = f"**{r.warm_queries}**" if r.warm_queries > QUERY_WATCH else str(r.warm_queries)
        lines.append(
            f"| {r.page} | {r.role} | {r.size / 1024:.0f} | {r.cold:.3f} | {r.cold_queries} "
            f"| {r.warm_median:.3f} | {statistics.median(r.warm_cpu):.3f} | {queries} | {met} |"
        )
    lines += ["", "Not open to (status of the refusal):", ""]
    lines += [f"- {page}: {', '.join(roles)}" for page, roles in refused.items()]
    return "\n".join(lines)


def machine(loading: float, cache_name: str) -> str:
    import django
    import wagtail
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Machine: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; nproc {os.cpu_count()}, {cpu()}, "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"Wagtail {wagtail.__version__}, {database}, cache {cache_name}; load average {load} "
        f"at the end; load_demo took {loading:.0f} s."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--postgres", default="", help="PostgreSQL server URL (SQLite without)")
    parser.add_argument("--database", default="youthvoice_staff_bench")
    parser.add_argument("--redis", default="", help="Redis URL for the cache (flushed)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", default="", help="profile the page whose name starts so")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="staff-pages-bench-") as name:
        loading = prepare(args, Path(name))
        import django

        django.setup()
        logging.disable(logging.WARNING)  # a permission refused is logged; it is expected here
        from django.contrib.auth import get_user_model
        from django.db.models import Count

        from consultations.models import ConsultationPage
        from youthforum.demo.accounts import DEMO_ACCOUNTS

        consultation = (
            ConsultationPage.objects.annotate(n=Count("responses")).order_by("-n", "pk").first()
        )
        assert consultation is not None, "the demo has no consultation"
        responses = consultation.n
        users = get_user_model().objects
        clients: dict[str, Any] = {}
        for account in DEMO_ACCOUNTS:
            if account.is_staff_role:
                user = users.get(email=account.email)
                role = "admin (superuser)" if account.superuser else account.last_name
                clients[role] = signed_in_client(user)
        pages = staff_pages(consultation)
        for role, client in clients.items():  # every staff role reaches the admin
            status = client.get(pages[0][1]).status_code
            assert status == 200, f"{role}: the dashboard answered {status}, not signed in?"

        print(f"Measuring {consultation.title!r} ({responses:,} responses)…", flush=True)
        results = measure(clients, pages, args.repeat)
        cache_name = "Redis" if args.redis else "in-process (LocMemCache)"
        print()
        print(
            f"{consultation.title} ({responses:,} responses); cold: first request after the "
            f"cache is cleared; warm: median of {args.repeat}."
        )
        print()
        print(table(results))
        print()
        slow = [r for r in results if r.opened and r.warm_median >= TARGET_SECONDS]
        busy = [r for r in results if max(r.cold_queries, r.warm_queries) > QUERY_WATCH]
        slow_list = ", ".join(f"{r.page} as {r.role} ({r.warm_median:.2f} s)" for r in slow)
        busy_list = ", ".join(
            f"{r.page} as {r.role} ({r.cold_queries} cold, {r.warm_queries} warm)" for r in busy
        )
        print(f"Over {TARGET_SECONDS:.0f} s warm: {slow_list or 'none'}.")
        print(f"Over {QUERY_WATCH} queries, cold or warm: {busy_list or 'none'}.")
        print()
        print(machine(loading, cache_name))
        if args.profile:
            target = next(
                (r for r in results if r.opened and r.page.startswith(args.profile)), None
            )
            if target is None:
                print(f"No page opened whose name starts with {args.profile!r}.")
            else:
                print(f"\nProfile of {target.page} as {target.role} ({target.url}), warm:\n")
                print(profile(clients[target.role], target.url))
        if args.redis:
            from django.core.cache import cache

            cache.clear()


if __name__ == "__main__":
    main()
