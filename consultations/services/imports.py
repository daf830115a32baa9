"""Importing paper and workshop answers from a CSV or Excel file: all rows or none.

The steps, each a function a view (or a management command) can call:

1. ``start_import`` keeps an uploaded file as a pending import (an ``ImportJob``) for the
   facilitator who uploaded it. A small file is read there and then; a larger one (over
   ``YOUTHVOICE_IMPORT_TASK_THRESHOLD_BYTES``) is kept in the private storage under a random name
   and read by a task (``read_import``) while the facilitator watches its progress.
2. ``read_answer_file`` reads a CSV (UTF-8) or XLSX file into a ``ParsedFile``: headings and rows
   of plain strings. A file that is too big, too long, too wide, too slow to read, empty, of
   another type or not UTF-8 is refused whole with an ``ImportFileError`` whose message says how
   to fix it.
3. ``guess_mapping`` matches each column heading to a question (or the date the answers were
   given) by its wording; the facilitator checks and corrects it.
4. ``prepare_rows`` turns every row into ``RawAnswer``s and validates them exactly as an online
   answer is validated, collecting every problem in every row (``ImportInvalid``).
5. ``import_responses`` saves every row through ``submit_response`` (the one door) inside one
   transaction, with an ``ImportBatch`` recording who imported which file when. If any row fails,
   nothing is saved. The pending import is then deleted (``discard_import``), as it is when the
   facilitator cancels.
6. ``undo_import`` deletes a batch and all its responses.

A pending import holds answers as written, not yet screened or redacted: only its uploader (or an
admin) may see it (``pending_import``), and it is kept a day at most (``PENDING_FOR``;
``purge_expired_imports``, run by the daily purge, deletes older ones).

Both imports and undos are written to Wagtail's audit log against the consultation page, so they
appear in its History.

The limits on a file (its size, rows, columns, cells, what an Excel file unpacks to, the time
reading may take) are settings, described in ``consultations.services.import_files``; the
reading itself is ``consultations.analysis.tabular``, and the matching of headings and cells
``consultations.analysis.answer_columns``, both plain Python.
"""

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from time import monotonic

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from consultations import background
from consultations.analysis import answer_columns
from consultations.analysis.answer_columns import SUBMITTED_AT
from consultations.analysis.tabular import Progress, TableError, looks_like_xlsx, read_table
from consultations.models import (
    AboutYouOptions,
    Answer,
    ConsultationPage,
    ImportBatch,
    ImportJob,
    ImportJobStatus,
    Question,
    QuestionKind,
    Source,
)
from consultations.models.questions import RATING_FACES

from .import_files import (
    ImportFileError,
    ParsedFile,
    base_name,
    check_answer_file,
    file_error,
    max_bytes,
    max_cells,
    max_columns,
    max_line_chars,
    max_rows,
    max_unpacked_bytes,
    max_xml_elements,
    not_xlsx,
    read_limits,
    read_seconds,
    task_threshold_bytes,
    too_big,
)
from .responses import (
    NON_FIELD,
    OTHER,
    RawAnswer,
    SubmissionInvalid,
    SubmissionRejected,
    submit_response,
    validate_answers,
)
from .terms import uncount_answers

__all__ = [
    "IMPORT_SOURCES",
    "PENDING_FOR",
    "SUBMITTED_AT",
    "ImportFileError",
    "ImportInvalid",
    "ParsedFile",
    "cell_to_raw_answer",
    "check_answer_file",
    "describe_import",
    "describe_undo",
    "discard_import",
    "guess_mapping",
    "import_responses",
    "import_row_token",
    "max_bytes",
    "max_cells",
    "max_columns",
    "max_line_chars",
    "max_rows",
    "max_unpacked_bytes",
    "max_xml_elements",
    "pending_import",
    "prepare_rows",
    "purge_expired_imports",
    "read_answer_file",
    "read_import",
    "read_seconds",
    "start_import",
    "task_threshold_bytes",
    "undo_import",
]

logger = logging.getLogger(__name__)

IMPORT_SOURCES = (Source.PAPER, Source.WORKSHOP, Source.IMPORT)

# Namespace for the tokens of imported rows: uuid5(namespace, "<batch id>:<row number>").
IMPORT_TOKEN_NAMESPACE = uuid.UUID("6f1c1f0e-3a53-4a8e-9b8e-2f4b1c0d7a51")

LOG_IMPORT = "consultations.import"
LOG_UNDO_IMPORT = "consultations.import_undo"

#: How long a pending import (its rows, as written) is kept before it is forgotten.
PENDING_FOR = timedelta(days=1)
#: A task reading a large file saves how far it has got after this many rows.
PROGRESS_EVERY = 200


class ImportInvalid(Exception):
    """Some rows cannot be imported. ``problems`` lists every one, in row order."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems


@dataclass
class PreparedRow:
    number: int
    answers: dict[int, RawAnswer]
    submitted_at: datetime | None


# Reading files ----------------------------------------------------------------------------------


def read_answer_file(
    *, file, filename: str | None = None, progress: Progress | None = None
) -> ParsedFile:
    """Read a CSV or XLSX file of answers: anything with ``read()`` (an upload, a stored file).

    The file's type comes from ``filename`` (or the file's ``name``). ``progress(rows read, rows
    in the file)`` is called every ``PROGRESS_EVERY`` rows. Raises ImportFileError, saying what
    is wrong and how to fix it, for any file that cannot be read within the limits.
    """
    filename = base_name(filename or getattr(file, "name", ""))
    extension = check_answer_file(filename=filename, size=getattr(file, "size", None))
    limit = max_bytes()
    content = file.read(limit + 1)
    if len(content) > limit:
        raise ImportFileError(too_big(limit))
    try:
        table = read_table(
            content,
            extension=extension,
            limits=read_limits(),
            clock=monotonic,
            progress=progress,
            progress_every=PROGRESS_EVERY,
            booleans=(_("yes"), _("no")),
        )
    except TableError as error:
        raise file_error(error) from None
    return ParsedFile.from_table(filename, table)


# Matching columns to questions ------------------------------------------------------------------


def guess_mapping(*, headings: list[str], questions: list[Question]) -> dict[int, int | str]:
    """A first guess at which column answers which question: ``{column index: question id}``.

    A heading matches a question when their words are the same, ignoring case, punctuation and
    a leading question number ("Q3."), or nearly the same (a typo or two). Each question gets at
    most one column, the closest. A column headed "Date" (or "Submitted", "When") is taken as the
    date the answers were given. Columns left out are ignored.
    """
    return answer_columns.guess_mapping(
        headings=headings, questions=[(question.pk, question.text) for question in questions]
    )


# From cells to answers --------------------------------------------------------------------------


def cell_to_raw_answer(question: Question, value: str, options: list[str]) -> RawAnswer:
    """Read one cell as an answer to ``question``, the way a person filling the form would mean it.

    - Text: as written.
    - Choose one, "about you" and ratings: the option's words, in any case ("bus" is "Bus");
      ratings as 1 to 5 (or the face's words). "Other: …" or a value that is not an option
      becomes the "Other – tell us" text where the question offers it.
    - Choose any: options separated by ";", anything else as "Other" text where offered.
    - Put in order: options separated by ";", first the most important ("1. X; 2. Y" also works).

    Whatever cannot be read is passed on as it is, so validation explains what is wrong.
    """
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return RawAnswer.of(value)
    if kind == QuestionKind.RATING:
        return RawAnswer.of(answer_columns.rating_value(value, RATING_FACES))

    allow_other = question.allow_other and kind != QuestionKind.ABOUT_YOU
    chosen, unknown = answer_columns.split_choices(
        value,
        options,
        several=kind not in (QuestionKind.SINGLE_CHOICE, QuestionKind.ABOUT_YOU),
        ranked=kind == QuestionKind.RANKING,
        allow_other=allow_other,
    )
    if kind == QuestionKind.RANKING or not allow_other or not unknown:
        return RawAnswer(values=tuple(chosen + unknown))
    return RawAnswer(values=(*chosen, OTHER), other="; ".join(unknown))


def _parse_when(value: str) -> datetime:
    parsed = answer_columns.parse_date(value)
    if parsed is None:
        raise ValueError(_("Write the date as day/month/year, for example 31/01/2026."))
    return timezone.make_aware(parsed)


def _question_label(question: Question) -> str:
    return f"“{question.text}”"


def prepare_rows(
    *,
    consultation: ConsultationPage,
    parsed: ParsedFile,
    mapping: Mapping[int, int | str],
    questions: list[Question] | None = None,
) -> list[PreparedRow]:
    """Every row as answers, checked as online answers are; nothing is saved.

    Raises ImportInvalid with every problem in every row ("Row 7, “How do you get to
    school?”: Choose from the options given.") or with what is wrong with the mapping.
    """
    questions = questions if questions is not None else list(consultation.ordered_questions())
    by_id = {q.pk: q for q in questions}
    problems = _mapping_problems(mapping, by_id, len(parsed.headings))
    if problems:
        raise ImportInvalid(problems)
    about_you = AboutYouOptions.load()
    options = {q.pk: q.choice_options(about_you) for q in questions}
    date_column = next((c for c, target in mapping.items() if target == SUBMITTED_AT), None)
    question_columns = {c: by_id[t] for c, t in mapping.items() if t != SUBMITTED_AT}
    now = timezone.now()

    prepared, problems = [], []
    for number, cells in parsed.rows:
        answers = {
            question.pk: cell_to_raw_answer(question, cells[column], options[question.pk])
            for column, question in question_columns.items()
            if cells[column]
        }
        submitted_at = None
        if date_column is not None and cells[date_column]:
            try:
                submitted_at = _parse_when(cells[date_column])
                if submitted_at > now:
                    raise ValueError(_("This date is in the future."))
            except ValueError as error:
                problems.append(
                    _("Row %(row)s, “%(heading)s”: %(problem)s")
                    % {"row": number, "heading": parsed.headings[date_column], "problem": error}
                )
        if not answers:
            problems.append(
                _("Row %(row)s: there are no answers in the columns matched to questions.")
                % {"row": number}
            )
            continue
        try:
            validate_answers(questions=questions, answers=answers, about_you=about_you)
        except SubmissionInvalid as invalid:
            for question in questions:
                for message in invalid.errors.get(question.pk, []):
                    problems.append(
                        _("Row %(row)s, %(question)s: %(problem)s")
                        % {"row": number, "question": _question_label(question), "problem": message}
                    )
            for message in invalid.errors.get(NON_FIELD, []):
                problems.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": message})
            continue
        prepared.append(PreparedRow(number=number, answers=answers, submitted_at=submitted_at))
    if problems:
        raise ImportInvalid(problems)
    return prepared


def _mapping_problems(mapping, by_id, width) -> list[str]:
    problems = []
    if any(not (0 <= column < width) for column in mapping):
        problems.append(_("The columns chosen are not in this file. Upload it again."))
    targets = [t for t in mapping.values() if t != SUBMITTED_AT]
    if any(t not in by_id for t in targets):
        problems.append(_("A column is matched to a question that is not in this consultation."))
    if not targets:
        problems.append(_("Match at least one column to a question."))
    for question_id in sorted({t for t in targets if targets.count(t) > 1 and t in by_id}):
        problems.append(
            _("More than one column is matched to %(question)s. Match each question once.")
            % {"question": _question_label(by_id[question_id])}
        )
    if list(mapping.values()).count(SUBMITTED_AT) > 1:
        problems.append(_("Only one column can hold the date the answers were given."))
    return problems


# Importing and undoing --------------------------------------------------------------------------


def import_row_token(batch: ImportBatch, row_number: int) -> uuid.UUID:
    """The token of an imported row: the same batch and row always give the same token."""
    return uuid.uuid5(IMPORT_TOKEN_NAMESPACE, f"{batch.pk}:{row_number}")


def import_responses(
    *,
    consultation: ConsultationPage,
    parsed: ParsedFile,
    mapping: Mapping[int, int | str],
    source: str,
    user,
) -> ImportBatch:
    """Import every row of ``parsed`` as a response, or none of them.

    Each row goes through ``submit_response`` with the batch and a token made from the batch and
    row number. Rows without a date get the time of the import. Raises ImportInvalid (nothing
    saved) when any row is invalid; returns the new ImportBatch otherwise.
    """
    if source not in IMPORT_SOURCES:
        raise ValueError(f"Not a source for imported answers: {source!r}")
    questions = list(consultation.ordered_questions())
    rows = prepare_rows(
        consultation=consultation, parsed=parsed, mapping=mapping, questions=questions
    )
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            page=consultation,
            source=source,
            filename=parsed.filename,
            row_count=len(rows),
            imported_by=user if getattr(user, "is_authenticated", False) else None,
        )
        problems = []
        for row in rows:
            try:
                submit_response(
                    consultation=consultation,
                    answers=row.answers,
                    token=import_row_token(batch, row.number),
                    source=source,
                    import_batch=batch,
                    submitted_at=row.submitted_at or batch.imported_at,
                    questions=questions,
                )
            except SubmissionInvalid as invalid:
                problems.extend(
                    _("Row %(row)s: %(problem)s") % {"row": row.number, "problem": message}
                    for messages in invalid.errors.values()
                    for message in messages
                )
            except SubmissionRejected as rejected:
                problems.append(
                    _("Row %(row)s: %(problem)s") % {"row": row.number, "problem": rejected}
                )
        if problems:
            raise ImportInvalid(problems)  # leaving the atomic block undoes every row
        log(
            instance=consultation,
            action=LOG_IMPORT,
            user=batch.imported_by,
            data=_log_data(batch),
        )
    return batch


def undo_import(*, batch: ImportBatch, user) -> int:
    """Delete an import batch and every response it brought in; returns how many were deleted."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().select_related("page").get(pk=batch.pk)
        deleted = batch.responses.count()
        data = {**_log_data(batch), "deleted": deleted}
        consultation = batch.page.specific
        uncount_answers(Answer.objects.filter(response__import_batch=batch))
        batch.delete()  # its responses and their answers go with it (on_delete=CASCADE)
        log(instance=consultation, action=LOG_UNDO_IMPORT, user=user, data=data)
    return deleted


def _log_data(batch: ImportBatch) -> dict:
    return {
        "batch": batch.pk,
        "filename": batch.filename,
        "source": batch.source,
        "rows": batch.row_count,
    }


def describe_import(data: dict) -> str:
    """The audit log's wording for an import (used by the log action registered in hooks)."""
    return ngettext(
        "Imported %(rows)s response from “%(filename)s” (%(source)s)",
        "Imported %(rows)s responses from “%(filename)s” (%(source)s)",
        data.get("rows", 0),
    ) % {
        "rows": data.get("rows", 0),
        "filename": data.get("filename", ""),
        "source": _source_label(data.get("source", "")),
    }


def describe_undo(data: dict) -> str:
    return ngettext(
        "Undid the import of “%(filename)s”: %(deleted)s response deleted",
        "Undid the import of “%(filename)s”: %(deleted)s responses deleted",
        data.get("deleted", 0),
    ) % {"filename": data.get("filename", ""), "deleted": data.get("deleted", 0)}


def _source_label(source: str) -> str:
    try:
        return str(Source(source).label).lower()
    except ValueError:
        return source


# Pending imports: between the upload and the import ---------------------------------------------


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
