"""Pending imports: a file between its upload and its import.

``start_import`` keeps the uploaded file and reads it at once, or, when it is large, has
``consultations.tasks.read_import_task`` read it (``read_import``); the facilitator then checks
the columns and rows (``pending_import``) and imports (``consultations.services.imports``) or
discards it (``discard_import``). What is left after ``PENDING_FOR`` is deleted by the daily
purge (``purge_expired_imports``).
"""

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations import background
from consultations.analysis.tabular import looks_like_xlsx
from consultations.models import ConsultationPage, ImportJob, ImportJobStatus

from .import_files import (
    ImportFileError,
    base_name,
    check_answer_file,
    not_xlsx,
    task_threshold_bytes,
)
from .imports import IMPORT_SOURCES, read_answer_file

logger = logging.getLogger(__name__)

#: How long a pending import (its rows, as written) is kept before it is forgotten.
PENDING_FOR = timedelta(days=1)


def start_import(*, consultation: ConsultationPage, file, source: str, user) -> ImportJob:
    """Keep an uploaded file of answers as the user's pending import for ``consultation``.

    A file up to ``task_threshold_bytes`` is read here and now: one that cannot be read raises
    ImportFileError and nothing is kept. A larger one is checked for what its name, size and
    first bytes show, kept in the private storage under a random name, and read by
    ``consultations.tasks.read_import_task`` once this transaction commits; the pending import's
    ``status`` says how far it has got. The user's earlier pending import for the consultation,
    if any, is discarded: one file at a time, as when it was kept in the session.
    """
    if source not in IMPORT_SOURCES:
        raise ValueError(f"Not a source for imported answers: {source!r}")
    filename = base_name(getattr(file, "name", ""))[:255]
    size = getattr(file, "size", None)
    extension = check_answer_file(filename=filename, size=size)
    now = timezone.now()
    job = ImportJob(
        page=consultation,
        uploaded_by=user,
        source=source,
        filename=filename,
        size=size or 0,
        created_at=now,
        expires_at=now + PENDING_FOR,
    )
    small = size is not None and size <= task_threshold_bytes()
    if small:
        parsed = read_answer_file(file=file, filename=filename)
        job.status = ImportJobStatus.READY
        job.parsed = parsed.as_dict()
        job.rows_read = job.rows_total = len(parsed.rows)
    elif extension == "xlsx":
        if not looks_like_xlsx(file.read(4)):
            raise not_xlsx()
        file.seek(0)
    with transaction.atomic():
        for earlier in ImportJob.objects.filter(page=consultation, uploaded_by=user):
            discard_import(job=earlier)
        if not small:
            job.file.save(filename, file, save=False)  # the name given is replaced by a random one
        job.save()
        if not small:
            background.later("consultations.tasks.read_import_task", job.pk)
    return job


def read_import(job_id: int) -> ImportJob | None:
    """Read a pending import's file (in a task); return the job, or None if it has gone.

    Safe to run twice: a job already read is left alone. Never raises: a file that cannot be
    read is recorded as the job's ``error`` (the message for the facilitator) and anything
    unexpected is logged and recorded as a failure. The uploaded file is deleted either way, so
    only the rows read (``parsed``) are kept, for at most ``PENDING_FOR``.
    """
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        return job
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.READING)

    def saved(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(rows_read=done, rows_total=total)

    try:
        with job.file.open("rb") as stored:
            parsed = read_answer_file(file=stored, filename=job.filename, progress=saved)
        outcome = {
            "status": ImportJobStatus.READY,
            "parsed": parsed.as_dict(),
            "rows_read": len(parsed.rows),
            "rows_total": len(parsed.rows),
        }
    except ImportFileError as error:
        outcome = {"status": ImportJobStatus.FAILED, "error": str(error)}
    except FileNotFoundError:  # cancelled while it waited (then the update below finds no job)
        outcome = {
            "status": ImportJobStatus.FAILED,
            "error": _("The uploaded file could not be found. Upload it again."),
        }
    except Exception:
        logger.exception("Reading pending import %s failed", job_id)
        outcome = {
            "status": ImportJobStatus.FAILED,
            "error": _(
                "Sorry, something went wrong while reading this file. Try again; if it fails "
                "again, save it as CSV UTF-8 and upload that, or tell the platform's admin."
            ),
        }
    finally:
        _delete_file(job)
    # An update, not a save: if the job was cancelled meanwhile, it stays gone.
    if not ImportJob.objects.filter(pk=job_id).update(file="", **outcome):
        return None
    return ImportJob.objects.get(pk=job_id)


def pending_import(*, consultation: ConsultationPage, job_id: int, user) -> ImportJob | None:
    """The pending import ``job_id`` if ``user`` may see it: it is for ``consultation``, has not
    expired, and ``user`` uploaded it or is an admin. An expired one is discarded on the way."""
    job = ImportJob.objects.filter(pk=job_id, page=consultation).first()
    if job is None:
        return None
    if job.uploaded_by_id != user.pk and not user.is_superuser:
        return None
    if job.expires_at <= timezone.now():
        discard_import(job=job)
        return None
    return job


def discard_import(*, job: ImportJob) -> None:
    """Forget a pending import: its rows and, if it is still there, its file."""
    _delete_file(job)
    job.delete()


def purge_expired_imports(*, now: datetime | None = None) -> int:
    """Delete pending imports past their ``expires_at`` (and any file left); return how many.

    Run by the daily purge (``manage.py purge_expired_responses`` and
    ``consultations.tasks.purge_expired_responses_task``); safe to run at any time.
    """
    expired = list(ImportJob.objects.filter(expires_at__lte=now or timezone.now()))
    for job in expired:
        discard_import(job=job)
    return len(expired)


def _delete_file(job: ImportJob) -> None:
    if not job.file:
        return
    try:
        job.file.delete(save=False)
    except Exception:  # noqa: BLE001 - a file already gone must not stop a purge or a cancel
        logger.warning("Could not delete the file of pending import %s", job.pk)
