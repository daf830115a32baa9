"""Importing paper and workshop answers from a CSV or Excel file: all rows or none by default.

The steps, each a function a view (or a management command) can call:

1. ``start_import`` (``consultations.services.import_jobs``) keeps an uploaded file as a
   pending import for its uploader, read at once or, when large, by a task.
2. ``read_answer_file`` reads a CSV (UTF-8) or XLSX file into a ``ParsedFile``: headings and rows
   of plain strings. A file too big, long, wide or slow to read, empty, of another type or not
   UTF-8 is refused whole with an ``ImportFileError`` saying how to fix it.
3. ``guess_mapping`` matches each column to a question (or the date the answers were given) by
   its heading's meaning and, for choice questions, by its values; columns a survey tool adds
   (ids, times, names, emails) are set aside (``LEAVE_OUT``). The facilitator checks and
   corrects it, and must choose for every other column that holds anything: a question, or
   leave it out. Nothing is imported while a column is unchosen (``unchosen_columns``), so no
   words are dropped unseen.
4. ``check_rows`` turns every row into ``RawAnswer``s and validates them exactly as an online
   answer is validated, collecting every problem in every row; ``prepare_rows`` raises them
   (``ImportInvalid``).
5. ``import_responses`` saves every row through ``submit_response`` (the one door) inside one
   transaction, with an ``ImportBatch`` recording who imported which file when. If any row fails,
   nothing is saved — unless the facilitator chooses to import the ready rows only
   (``valid_only``), having downloaded the others with their problems (``rows_to_fix_xlsx``) to
   fix and import. The pending import is then deleted (``discard_import``), as it is when the
   facilitator cancels.
6. ``undo_import`` deletes a batch and all its responses.

``answer_template`` and ``rows_to_fix_xlsx`` (``consultations.services.import_workbooks``)
make the spreadsheets a facilitator downloads. Exports of Microsoft Forms, Google Forms,
SurveyMonkey and SmartSurvey are read as they come (``docs/imports.md``). A pending import holds
answers as written, not yet screened or redacted: only its uploader (or an admin) may see it,
and it is kept a day at most (``import_jobs``).

Both imports and undos are written to Wagtail's audit log against the consultation page, so they
appear in its History.

The limits on a file (its size, rows, columns, cells, what an Excel file unpacks to, the time
reading may take) are settings, described in ``consultations.services.import_files``; the
reading itself and the tools' layouts are ``consultations.analysis.tabular``, the matching of
columns ``consultations.analysis.column_matching``, and the reading of cells and dates
``consultations.analysis.answer_columns``, all plain Python.
"""

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from time import monotonic

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from consultations.analysis import answer_columns
from consultations.analysis.answer_columns import SUBMITTED_AT
from consultations.analysis.column_matching import LEAVE_OUT, QuestionShape, match_columns
from consultations.analysis.tabular import Progress, TableError, read_table
from consultations.models import (
    AboutYou,
    Answer,
    ConsultationPage,
    ImportBatch,
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
    read_limits,
    read_seconds,
    task_threshold_bytes,
    too_big,
)
from .import_workbooks import (
    OPTION_KINDS,
    answer_template,
    rows_to_fix_xlsx,
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
    "LEAVE_OUT",
    "SUBMITTED_AT",
    "ImportFileError",
    "ImportInvalid",
    "ParsedFile",
    "answer_template",
    "cell_to_raw_answer",
    "check_rows",
    "check_answer_file",
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
    "prepare_rows",
    "read_answer_file",
    "read_seconds",
    "rows_to_fix_xlsx",
    "task_threshold_bytes",
    "unchosen_columns",
    "undo_import",
]

logger = logging.getLogger(__name__)

IMPORT_SOURCES = (Source.PAPER, Source.WORKSHOP, Source.IMPORT)

# Namespace for the tokens of imported rows: uuid5(namespace, "<batch id>:<row number>").
IMPORT_TOKEN_NAMESPACE = uuid.UUID("6f1c1f0e-3a53-4a8e-9b8e-2f4b1c0d7a51")

LOG_IMPORT = "consultations.import"
LOG_UNDO_IMPORT = "consultations.import_undo"

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


def guess_mapping(
    *,
    headings: list[str],
    questions: list[Question],
    rows: list[tuple[int, list[str]]] | None = None,
    consultation: ConsultationPage | None = None,
) -> dict[int, int | str]:
    """A first guess at each column: ``{column index: question id, SUBMITTED_AT or LEAVE_OUT}``.

    A heading matches a question when it means the same, ignoring case, punctuation, curly
    quotes, spacing and a leading question number ("Q3.", "3)"), with a typo or a few words more
    or fewer; with ``rows``, a column whose values are a choice question's options matches it
    too (``column_matching.match_columns``). A survey tool's own columns are left out, its time
    of sending taken as the date. Columns missing from the result are unmatched: the facilitator
    must choose for each one that holds anything. "About you" values are compared with the
    consultation's own options (``consultation``, or the questions' page when not given).
    """
    if consultation is None and questions:
        consultation = questions[0].page
    about_you = consultation.about_you_options() if consultation is not None else None
    shapes = [
        QuestionShape(
            id=question.pk,
            text=question.text,
            options=tuple(question.choice_options(about_you))
            if question.kind in OPTION_KINDS
            else (),
        )
        for question in questions
    ]
    return match_columns(
        headings=headings,
        rows=None if rows is None else [cells for _n, cells in rows],
        questions=shapes,
    )


def unchosen_columns(*, parsed: ParsedFile, mapping: Mapping[int, int | str]) -> list[int]:
    """The columns that hold something but are neither matched nor left out, in file order."""
    return [
        column
        for column in range(len(parsed.headings))
        if column not in mapping and any(cells[column] for _n, cells in parsed.rows)
    ]


# The template to type answers into --------------------------------------------------------------

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
    several = kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING)
    if several and ";" not in value:
        value = answer_columns.split_at_commas(value, options)
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
    parsed = answer_columns.parse_when(value)
    if parsed is None:
        raise ValueError(_("Write the date as day/month/year, for example 31/01/2026."))
    return timezone.make_aware(parsed)


def _question_label(question: Question) -> str:
    return f"“{question.text}”"


@dataclass
class CheckedRows:
    """A file's rows checked: those ready to import, and every problem of the others.

    ``problems`` holds each problem in row order, worded for the facilitator ("Row 7, “How do
    you get to school?”: Choose from the options given."); ``bad_rows`` the same problems by row
    number, for the file of rows to fix (``rows_to_fix_csv``).
    """

    ready: list[PreparedRow]
    problems: list[str]
    bad_rows: dict[int, list[str]]


def check_rows(
    *,
    consultation: ConsultationPage,
    parsed: ParsedFile,
    mapping: Mapping[int, int | str],
    questions: list[Question] | None = None,
) -> CheckedRows:
    """Every row as answers, checked as online answers are; nothing is saved.

    Raises ImportInvalid when the mapping itself is wrong (a question matched twice, no question
    matched, a column holding something left unchosen): then no row can be imported.
    """
    questions = questions if questions is not None else list(consultation.ordered_questions())
    by_id = {q.pk: q for q in questions}
    problems = _mapping_problems(mapping, by_id, len(parsed.headings))
    problems += [
        _(
            "Choose what to do with the column “%(heading)s”: match it to a question, or "
            "choose “Leave out this column”."
        )
        % {"heading": parsed.headings[column]}
        for column in unchosen_columns(parsed=parsed, mapping=mapping)
    ]
    if problems:
        raise ImportInvalid(problems)
    # The consultation's own options, as submit_response checks them: a band the site offers
    # but this consultation does not is a problem here, in the preview, not only at saving.
    about_you = consultation.about_you_options()
    options = {q.pk: q.choice_options(about_you) for q in questions}
    own_age_bands = bool(consultation.age_bands.strip())
    date_column = next((c for c, target in mapping.items() if target == SUBMITTED_AT), None)
    question_columns = {
        c: by_id[t] for c, t in mapping.items() if t not in (SUBMITTED_AT, LEAVE_OUT)
    }
    now = timezone.now()

    checked = CheckedRows(ready=[], problems=[], bad_rows={})
    for number, cells in parsed.rows:
        row_problems = _row_problems(
            number=number,
            cells=cells,
            parsed=parsed,
            questions=questions,
            question_columns=question_columns,
            options=options,
            date_column=date_column,
            about_you=about_you,
            own_age_bands=own_age_bands,
            now=now,
        )
        if isinstance(row_problems, PreparedRow):
            checked.ready.append(row_problems)
        else:
            checked.problems.extend(row_problems)
            checked.bad_rows[number] = row_problems
    return checked


def _row_problems(
    *,
    number,
    cells,
    parsed,
    questions,
    question_columns,
    options,
    date_column,
    about_you,
    own_age_bands,
    now,
) -> PreparedRow | list[str]:
    """One row ready to import, or its problems."""
    problems = []
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
        return problems
    try:
        validate_answers(questions=questions, answers=answers, about_you=about_you)
    except SubmissionInvalid as invalid:
        for question in questions:
            for message in invalid.errors.get(question.pk, []):
                if own_age_bands:
                    message = _age_band_problem(
                        question, answers.get(question.pk), options[question.pk], message
                    )
                problems.append(
                    _("Row %(row)s, %(question)s: %(problem)s")
                    % {"row": number, "question": _question_label(question), "problem": message}
                )
        for message in invalid.errors.get(NON_FIELD, []):
            problems.append(_("Row %(row)s: %(problem)s") % {"row": number, "problem": message})
    if problems:
        return problems
    return PreparedRow(number=number, answers=answers, submitted_at=submitted_at)


def _age_band_problem(question: Question, raw, options: list[str], message: str) -> str:
    """The problem with an age band that is not one of the consultation's own, naming them.

    A consultation with its own age bands may leave out some of the site's ("19 to 25"): a
    paper form printed from the site's list, or typed from memory, says it plainly, with the
    bands to use instead. Other problems keep their wording.
    """
    if (
        raw is None
        or question.kind != QuestionKind.ABOUT_YOU
        or (question.about or AboutYou.AGE_BAND) != AboutYou.AGE_BAND
        or message != _("Choose from the options given.")
    ):
        return message
    unknown = [value for value in raw.values if value not in options]
    if not unknown:
        return message
    return _("“%(value)s” is not one of this consultation’s age bands. Use one of: %(bands)s.") % {
        "value": unknown[0],
        "bands": ", ".join(f"“{band}”" for band in options),
    }


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
    checked = check_rows(
        consultation=consultation, parsed=parsed, mapping=mapping, questions=questions
    )
    if checked.problems:
        raise ImportInvalid(checked.problems)
    return checked.ready


def _mapping_problems(mapping, by_id, width) -> list[str]:
    problems = []
    if any(not (0 <= column < width) for column in mapping):
        problems.append(_("The columns chosen are not in this file. Upload it again."))
    targets = [t for t in mapping.values() if t not in (SUBMITTED_AT, LEAVE_OUT)]
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
    valid_only: bool = False,
) -> ImportBatch:
    """Import every row of ``parsed`` as a response, or none of them.

    Each row goes through ``submit_response`` with the batch and a token made from the batch and
    row number. Rows without a date get the time of the import. Raises ImportInvalid (nothing
    saved) when any row is invalid; returns the new ImportBatch otherwise.

    ``valid_only``, the facilitator's explicit choice, imports the rows that are ready and leaves
    the others out (they can download them with their problems, ``rows_to_fix_xlsx``, fix and
    import them); a file with no row ready, or a wrong mapping, still imports nothing.
    """
    if source not in IMPORT_SOURCES:
        raise ValueError(f"Not a source for imported answers: {source!r}")
    questions = list(consultation.ordered_questions())
    checked = check_rows(
        consultation=consultation, parsed=parsed, mapping=mapping, questions=questions
    )
    if checked.problems and not (valid_only and checked.ready):
        raise ImportInvalid(checked.problems)
    rows = checked.ready
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
