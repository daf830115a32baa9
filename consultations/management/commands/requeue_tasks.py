"""``python manage.py requeue_tasks (--worker-id ID ... | --started-before MINUTES) [--dry-run]``:
give the tasks a dead ``db_worker`` left running back to the queue.

django-tasks-db has no heartbeat: a worker killed mid-task (the machine lost, ``kill -9``, the
out-of-memory killer) leaves its task ``RUNNING`` for ever, and no other worker takes it
(``benchmarks/two_of_each.py`` shows it). This command sets such tasks back to ``READY``, so the
next free worker runs them again from the start. Choose them by the worker that last claimed
them (start each worker with ``--worker-id "$(hostname)-$$"`` so a dead one can be named), or by
how long ago they started (longer than any task takes: theme coding of 100,000 answers takes
about a minute). Only tasks still ``RUNNING`` when the update runs are changed, so a task that
finished in the meantime is left alone.

Running one of this project's tasks again is safe: word counts claim each answer once
(``terms_counted``), a coding run starts over and only a finished run is shown, the purge skips
what is already purged, an export is built again. Requeue only the tasks of workers that are
really gone: a live worker's task would then run twice at once.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult


class Command(BaseCommand):
    help = "Put tasks that a dead db_worker left RUNNING back in the queue (READY)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--worker-id",
            action="append",
            default=[],
            help="A dead worker's id (its --worker-id); repeat for several.",
        )
        parser.add_argument(
            "--started-before",
            type=int,
            metavar="MINUTES",
            help="Tasks that started running more than this many minutes ago.",
        )
        parser.add_argument("--dry-run", action="store_true", help="Only list them.")

    def handle(self, *args, worker_id, started_before, dry_run, **options):
        if not worker_id and started_before is None:
            raise CommandError(
                "Say which tasks: --worker-id ID, --started-before MINUTES, or both."
            )
        if started_before is not None and started_before < 1:
            raise CommandError("--started-before must be at least 1 minute.")
        running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
        if started_before is not None:
            running = running.filter(
                started_at__lt=timezone.now() - timedelta(minutes=started_before)
            )
        stale = [
            task
            for task in running.order_by("started_at")
            if not worker_id or (task.worker_ids and task.worker_ids[-1] in worker_id)
        ]
        for task in stale:
            last = task.worker_ids[-1] if task.worker_ids else "(none)"
            self.stdout.write(
                f"{task.task_name} {task.id}: running since "
                f"{timezone.localtime(task.started_at):%Y-%m-%d %H:%M}, worker {last}"
            )
        if dry_run:
            self.stdout.write(f"{len(stale)} task(s) would be put back in the queue.")
            return
        with transaction.atomic():
            changed = DBTaskResult.objects.filter(
                pk__in=[task.pk for task in stale], status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY, started_at=None)
        self.stdout.write(f"{changed} task(s) put back in the queue.")
