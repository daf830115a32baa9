"""Checking and reporting for the answer-throughput benchmark.

``integrity`` compares the submissions the clients were told were stored with the rows in the
database, ``machine`` describes the computer and the versions the benchmark ran on, ``report``
turns the measurements into Markdown tables and ``write_docs`` puts them into
``docs/benchmarks.md`` between the generated-results markers.
"""

from __future__ import annotations

import os
import platform
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    from benchmarks.answer_throughput import Ack, Phase
    from benchmarks.throughput_site import Site

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Consultation answers"
START_MARK = "<!-- answer_throughput:start -->"
END_MARK = "<!-- answer_throughput:end -->"


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
