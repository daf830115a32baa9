"""``manage.py requeue_tasks``: tasks a dead worker left RUNNING go back to the queue."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

pytestmark = pytest.mark.django_db


def task(status, *, workers=(), started_minutes_ago=None, path="consultations.tasks.x"):
    started = (
        timezone.now() - timedelta(minutes=started_minutes_ago)
        if started_minutes_ago is not None
        else None
    )
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path=path,
        worker_ids=list(workers),
        backend_name="default",
        run_after=timezone.now(),
        started_at=started,
        exception_class_path="",
        traceback="",
    )


def run(*args) -> str:
    out = StringIO()
    call_command("requeue_tasks", *args, stdout=out)
    return out.getvalue()


def status(row) -> str:
    row.refresh_from_db()
    return row.status


def test_the_dead_workers_running_tasks_go_back_and_nothing_else_moves():
    dead = task(TaskResultStatus.RUNNING, workers=["alive-1", "dead-1"], started_minutes_ago=3)
    alive = task(TaskResultStatus.RUNNING, workers=["dead-1", "alive-1"], started_minutes_ago=3)
    done = task(TaskResultStatus.SUCCESSFUL, workers=["dead-1"], started_minutes_ago=9)

    out = run("--worker-id", "dead-1")

    assert "1 task(s) put back in the queue." in out
    assert status(dead) == TaskResultStatus.READY
    dead.refresh_from_db()
    assert dead.started_at is None
    assert status(alive) == TaskResultStatus.RUNNING  # last claimed by a live worker
    assert status(done) == TaskResultStatus.SUCCESSFUL
    # Ready again: the next worker would take it.
    assert dead in DBTaskResult.objects.ready()


def test_by_age_only_tasks_running_longer_than_that():
    old = task(TaskResultStatus.RUNNING, workers=["w"], started_minutes_ago=120)
    recent = task(TaskResultStatus.RUNNING, workers=["w"], started_minutes_ago=5)

    run("--started-before", "60")

    assert status(old) == TaskResultStatus.READY
    assert status(recent) == TaskResultStatus.RUNNING


def test_a_dry_run_lists_and_changes_nothing():
    stuck = task(TaskResultStatus.RUNNING, workers=["dead-1"], started_minutes_ago=3)

    out = run("--worker-id", "dead-1", "--dry-run")

    assert "x " in out and "worker dead-1" in out
    assert "1 task(s) would be put back in the queue." in out
    assert status(stuck) == TaskResultStatus.RUNNING


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Say which tasks"),
        (("--started-before", "0"), "at least 1 minute"),
    ],
)
def test_without_a_choice_it_refuses_and_changes_nothing(args, message):
    stuck = task(TaskResultStatus.RUNNING, workers=["dead-1"], started_minutes_ago=3)

    with pytest.raises(CommandError, match=message):
        run(*args)

    assert status(stuck) == TaskResultStatus.RUNNING
