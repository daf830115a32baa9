"""Background tasks for consultations (the Django Tasks API, via the ``django-tasks`` package).

``TASKS`` in ``youthforum/settings/base.py`` chooses the backend: the immediate backend (run in
the calling process) by default, the database backend from ``django-tasks-db`` with
``manage.py db_worker`` processes in production.

Scheduling retention
--------------------
Neither django-tasks nor django-tasks-db has a scheduler: tasks run when something enqueues
them. Run the purge once a day from the host's scheduler, either directly::

    # crontab: every day at 03:15
    15 3 * * *  cd /srv/youthvoice && .venv/bin/python manage.py purge_expired_responses

or as a systemd timer (``OnCalendar=*-*-* 03:15``, ``Persistent=true``) running the same
command. Both call the same service as :func:`purge_expired_responses_task`; enqueue the task
instead (``purge_expired_responses_task.enqueue()``, for example from an admin action or
another task) when the work should happen on a ``db_worker`` rather than where it was asked for.
Running it twice, or from two places at once, is safe: purged responses are skipped and
batches lock their rows with ``SKIP LOCKED`` on PostgreSQL.
"""

from django_tasks import task

from consultations.services.import_jobs import (
    purge_expired_imports,
    read_import,
)
from consultations.services.retention import purge_expired_responses
from consultations.services.sessions import stored_sessions_purge
from consultations.services.terms import count_answer_terms
from consultations.signals import purge_due


@task()
def purge_expired_responses_task(dry_run: bool = False) -> dict:
    """Purge the words written past each consultation's retention period, expired sessions,
    step-by-step drafts, pending imports past their day and what other apps keep past its time
    (report downloads older than a day, via ``purge_due``); return counts only."""
    counts = purge_expired_responses(dry_run=dry_run).as_dict()
    if not dry_run:
        for _receiver, more in purge_due.send(sender=purge_expired_responses_task):
            counts.update(more)
        sessions = stored_sessions_purge()
        counts["expired_sessions"] = sessions.expired_deleted
        counts["sessions_with_drafts_removed"] = sessions.cleaned
        counts["pending_imports"] = purge_expired_imports()
    return counts


# Imports of paper and workshop answers (consultations.services.imports) ------------------------


@task()
def read_import_task(job_id: int) -> dict:
    """Read a large uploaded file of answers for a pending import (safe to run twice)."""
    job = read_import(job_id)
    return {"job": job_id, "status": job.status if job is not None else "gone"}


# Term counts for word clouds (consultations.services.terms) ---------------------------------


@task()
def count_answer_terms_task(answer_ids: list[int]) -> dict:
    """Count and store the terms of newly saved answers (safe to run twice)."""
    return {"answers": count_answer_terms(answer_ids)}
