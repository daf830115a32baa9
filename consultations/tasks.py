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

from consultations.services.retention import purge_expired_responses


@task()
def purge_expired_responses_task(dry_run: bool = False) -> dict:
    """Purge the words written past each consultation's retention period, report downloads
    older than a day, expired sessions, step-by-step drafts and pending imports past their day;
    return counts only."""
    counts = purge_expired_responses(dry_run=dry_run).as_dict()
    if not dry_run:
        from consultations.reports.background_exports import purge_old_exports
        from consultations.services.imports import purge_expired_imports
        from consultations.services.sessions import stored_sessions_purge

        counts["report_downloads"] = purge_old_exports()
        sessions = stored_sessions_purge()
        counts["expired_sessions"] = sessions.expired_deleted
        counts["sessions_with_drafts_removed"] = sessions.cleaned
        counts["pending_imports"] = purge_expired_imports()
    return counts


# Imports of paper and workshop answers (consultations.services.imports) ------------------------


@task()
def read_import_task(job_id: int) -> dict:
    """Read a large uploaded file of answers for a pending import (safe to run twice)."""
    from consultations.services.imports import read_import

    job = read_import(job_id)
    return {"job": job_id, "status": job.status if job is not None else "gone"}


# Coding answers into themes (consultations.services.coding) -----------------------------------


@task()
def run_coding_task(run_id: int) -> dict:
    """Do a coding run started by ``start_run`` (the admin shows its progress meanwhile).

    Safe to run twice: a finished run is left alone, an unfinished one starts over.
    """
    from consultations.services.coding import run_coding

    run = run_coding(run_id)
    return {"run": run.pk, "status": run.status, "answers": run.done, "examples": run.examples}


@task()
def recode_task(codebook_id: int) -> dict:
    """Retrain the engine on a codebook's human codings and re-code its answers."""
    from consultations.models import Codebook
    from consultations.services.coding import recode

    run = recode(Codebook.objects.get(pk=codebook_id))
    return {"run": run.pk, "status": run.status, "answers": run.done, "examples": run.examples}


# Term counts for word clouds (consultations.services.terms) ---------------------------------


@task()
def count_answer_terms_task(answer_ids: list[int]) -> dict:
    """Count and store the terms of newly saved answers (safe to run twice)."""
    from consultations.services.terms import count_answer_terms

    return {"answers": count_answer_terms(answer_ids)}
