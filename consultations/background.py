"""Handing work to a task worker once the current transaction commits.

Tasks call services, so ``tasks.py`` imports its services at the top. A service that wants work
done later must not import the task back, or the layers would point both ways
(``[tool.importlinter]`` in ``pyproject.toml``); it names the task instead::

    background.later("consultations.tasks.read_import_task", job.pk)

The name is looked up at once, so a wrong name fails where it is written, not in a worker; the
task is enqueued only when the transaction commits, so a worker never looks for a row that was
rolled back. ``consultations.tasks`` says which backend runs it.
"""

from django.db import transaction
from django.utils.module_loading import import_string


def later(task_path: str, *args: object) -> None:
    """Enqueue the task at ``task_path`` with ``args`` when the current transaction commits."""
    task = import_string(task_path)
    transaction.on_commit(lambda: task.enqueue(*args))
