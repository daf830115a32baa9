"""Setting up the answer-throughput benchmark: the database, the site and gunicorn.

``recreate_database`` drops and creates the benchmark's PostgreSQL database, ``build_site`` creates
the six-question consultation and the Wagtail form page that is the baseline, ``answers`` gives
the answers a client sends, and ``start_gunicorn`` and ``stop`` run the server. Used by
``benchmarks/answer_throughput.py`` and ``benchmarks/report_speed.py``.
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent

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
