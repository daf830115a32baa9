"""Importing paper and workshop answers from a CSV or Excel file: all rows or none.

The steps, each a function a view (or a management command) can call:

1. ``read_answer_file`` reads an uploaded CSV (UTF-8) or XLSX into a ``ParsedFile``: headings and
   rows of plain strings. Files that are too big, empty, of another type or not UTF-8 are refused
   with an ``ImportFileError`` whose message says how to fix the file.
2. ``guess_mapping`` matches each column heading to a question (or the date the answers were
   given) by its wording; the facilitator checks and corrects it.
3. ``prepare_rows`` turns every row into ``RawAnswer``s and validates them exactly as an online
   answer is validated, collecting every problem in every row (``ImportInvalid``).
4. ``import_responses`` saves every row through ``submit_response`` (the one door) inside one
   transaction, with an ``ImportBatch`` recording who imported which file when. If any row fails,
   nothing is saved.
5. ``undo_import`` deletes a batch and all its responses.

Both imports and undos are written to Wagtail's audit log against the consultation page, so they
appear in its History.

Limits, changeable in settings: ``YOUTHVOICE_IMPORT_MAX_BYTES`` (default 5 MB),
``YOUTHVOICE_IMPORT_MAX_ROWS`` (default 2,000 rows of answers) and
``YOUTHVOICE_IMPORT_MAX_COLUMNS`` (default 200). The import runs inside the web request, one
``submit_response`` per row (about 5 to 10 ms a row, measured on SQLite and PostgreSQL), so the row
limit keeps an import well inside a web server's timeout (gunicorn's default is 30 seconds):
raise the two together, or split big files.
"""

import csv
import difflib
import io
import itertools
import re
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log

from consultations.models import (
    AboutYouOptions,
    Answer,
    ConsultationPage,
    ImportBatch,
    Question,
    QuestionKind,
    Source,
)
from consultations.models.questions import RATING_FACES

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

IMPORT_SOURCES = (Source.PAPER, Source.WORKSHOP, Source.IMPORT)
SUBMITTED_AT = "submitted_at"
"""The mapping target for a column holding the date the answers were given."""

# Namespace for the tokens of imported rows: uuid5(namespace, "<batch id>:<row number>").
IMPORT_TOKEN_NAMESPACE = uuid.UUID("6f1c1f0e-3a53-4a8e-9b8e-2f4b1c0d7a51")

LOG_IMPORT = "consultations.import"
LOG_UNDO_IMPORT = "consultations.import_undo"

DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%y",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d-%m-%Y",
    "%d.%m.%Y",
)
DATE_HEADINGS = {"date", "date answered", "date given", "submitted", "submitted at", "when"}
OTHER_PREFIX = re.compile(r"^other\s*[:\-–—]\s*", re.IGNORECASE)
RANK_PREFIX = re.compile(r"^\d+\s*[.)]\s*")
RATING_NUMBER = re.compile(r"^([1-5])(?:\.0+)?(?:\s*[\-–—:]\s*.*)?$")


def max_bytes() -> int:
    return getattr(settings, "YOUTHVOICE_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def max_rows() -> int:
    return getattr(settings, "YOUTHVOICE_IMPORT_MAX_ROWS", 2_000)


def max_columns() -> int:
    return getattr(settings, "YOUTHVOICE_IMPORT_MAX_COLUMNS", 200)


class ImportFileError(Exception):
    """The file cannot be read. The message says why and how to fix it."""


class ImportInvalid(Exception):
    """Some rows cannot be imported. ``problems`` lists every one, in row order."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems


@dataclass(frozen=True)
class ParsedFile:
    """A file of answers as plain strings.

    ``rows`` holds ``(row number, cells)``: row numbers are those a spreadsheet program shows,
    the headings being row 1, so a facilitator can find the row a problem is in. Blank rows are
    left out. Every row has as many cells as there are headings.
    """

    filename: str
    headings: list[str]
    rows: list[tuple[int, list[str]]]

    def as_dict(self) -> dict:
        """A JSON-friendly form, to keep between the upload and the import (in the session)."""
        return {"filename": self.filename, "headings": self.headings, "rows": self.rows}

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedFile":
        return cls(
            filename=data["filename"],
            headings=list(data["headings"]),
            rows=[(int(number), list(cells)) for number, cells in data["rows"]],
        )


@dataclass
class PreparedRow:
    number: int
    answers: dict[int, RawAnswer]
    submitted_at: datetime | None


# Reading files ----------------------------------------------------------------------------------


def read_answer_file(*, file) -> ParsedFile:
    """Read an uploaded CSV or XLSX file (anything with ``name``, ``size`` and ``read()``)."""
    filename = (getattr(file, "name", "") or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xls":
        raise ImportFileError(
            _(
                "Old Excel files (.xls) cannot be read. In Excel, choose File, Save As, and "
                "save it as an Excel Workbook (.xlsx) or as CSV UTF-8, then upload that."
            )
        )
    if extension not in ("csv", "xlsx"):
        raise ImportFileError(
            _("Upload a CSV file or an Excel file (.xlsx). “%(name)s” is neither.")
            % {"name": filename or _("This file")}
        )
    limit = max_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ImportFileError(_too_big(limit))
    content = file.read(limit + 1)
    if len(content) > limit:
        raise ImportFileError(_too_big(limit))
    if not content.strip():
        raise ImportFileError(_("The file is empty. Check you chose the right file."))

    records = _read_xlsx(content) if extension == "xlsx" else _read_csv(content)
    return _parse_records(filename, records)


def _too_big(limit: int) -> str:
    return _(
        "The file is too big: it must be %(size)s MB or smaller. Split it into smaller files and "
        "import each one."
    ) % {"size": f"{limit / (1024 * 1024):g}"}


def _read_csv(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "This CSV file is not saved as UTF-8, so letters such as “é” or “£” could be "
                "read wrongly. In Excel, choose File, Save As, then “CSV UTF-8 (comma delimited)”, "
                "and upload that file."
            )
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("This file is not a CSV file. Upload a CSV or .xlsx file."))
    delimiter = _pick_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as error:
        raise ImportFileError(
            _("We could not read row %(row)s of this CSV file (%(error)s). Check it and try again.")
            % {"row": reader.line_num, "error": error}
        ) from None


def _pick_delimiter(text: str) -> str:
    """Commas, or semicolons or tabs when they split the first rows into equal, wider rows."""
    sample = text[:65_536]
    best, best_width = ",", 0
    for delimiter in (",", ";", "\t"):
        try:
            rows = list(
                itertools.islice(
                    csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter), 20
                )
            )
        except csv.Error:
            continue
        if len(rows) > 1 and len(sample) == 65_536:
            rows = rows[:-1]  # the last sampled row may be cut short
        widths = {len(row) for row in rows if any(cell.strip() for cell in row)}
        if len(widths) == 1 and (width := widths.pop()) > best_width:
            best, best_width = delimiter, width
    return best


def _read_xlsx(content: bytes):
    from openpyxl import load_workbook

    if not content.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("This file is not a real Excel (.xlsx) file. Upload a CSV or .xlsx file.")
        )
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError):
        raise ImportFileError(
            _("We could not read this Excel file. Save it again as .xlsx or CSV UTF-8 and retry.")
        ) from None
    try:
        if not workbook.worksheets:
            return
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [_xlsx_text(value) for value in row]
    finally:
        workbook.close()


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _parse_records(filename: str, records) -> ParsedFile:
    headings: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    limit_rows, limit_columns = max_rows(), max_columns()
    for number, record in enumerate(records, start=1):
        cells = [(cell or "").strip() for cell in record]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > limit_columns:
            raise ImportFileError(
                _("Row %(row)s has more than %(limit)s columns. Is this the right file?")
                % {"row": number, "limit": limit_columns}
            )
        if headings is None:
            if not cells:
                raise ImportFileError(
                    _(
                        "The first row must hold the column headings, such as the questions. "
                        "It is empty."
                    )
                )
            headings = cells
            continue
        if not cells:
            continue
        rows.append((number, cells))
        if len(rows) > limit_rows:
            raise ImportFileError(
                _(
                    "The file has more than %(limit)s rows of answers. Split it into smaller "
                    "files and import each one."
                )
                % {"limit": f"{limit_rows:,}"}
            )
    if headings is None:
        raise ImportFileError(_("The file is empty. Check you chose the right file."))
    if not rows:
        raise ImportFileError(_("The file has headings but no rows of answers."))
    width = max(len(headings), *(len(cells) for _n, cells in rows))
    headings = headings + [""] * (width - len(headings))
    headings = [h or _("Column %(n)s (no heading)") % {"n": i} for i, h in enumerate(headings, 1)]
    rows = [(number, cells + [""] * (width - len(cells))) for number, cells in rows]
    return ParsedFile(filename=filename[:255], headings=headings, rows=rows)


# Matching columns to questions ------------------------------------------------------------------


def _normalise(text: str) -> str:
    text = re.sub(r"^\s*(q(uestion)?\s*)?\d+\s*[.):\-]?\s+", "", text.casefold())
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def guess_mapping(*, headings: list[str], questions: list[Question]) -> dict[int, int | str]:
    """A first guess at which column answers which question: ``{column index: question id}``.

    A heading matches a question when their words are the same, ignoring case, punctuation and
    a leading question number ("Q3."), or nearly the same (a typo or two). Each question gets at
    most one column, the closest. A column headed "Date" (or "Submitted", "When") is taken as the
    date the answers were given. Columns left out are ignored.
    """
    candidates = []
    for column, heading in enumerate(headings):
        wanted = _normalise(heading)
        if not wanted:
            continue
        for question in questions:
            have = _normalise(question.text)
            score = 1.0 if wanted == have else difflib.SequenceMatcher(None, wanted, have).ratio()
            if score >= 0.8:
                candidates.append((score, column, question.pk))
    mapping: dict[int, int | str] = {}
    used: set[int] = set()
    for _score, column, question_id in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if column not in mapping and question_id not in used:
            mapping[column] = question_id
            used.add(question_id)
    for column, heading in enumerate(headings):
        if column not in mapping and _normalise(heading) in DATE_HEADINGS:
            mapping[column] = SUBMITTED_AT
            break
    return mapping


# From cells to answers --------------------------------------------------------------------------


def _canonical(value: str, options: list[str]) -> str | None:
    wanted = " ".join(value.split()).casefold()
    for option in options:
        if " ".join(option.split()).casefold() == wanted:
            return option
    return None


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
        number = RATING_NUMBER.match(value)
        if number:
            return RawAnswer.of(number.group(1))
        for rating, face in RATING_FACES.items():
            if face.casefold() == value.casefold():
                return RawAnswer.of(str(rating))
        return RawAnswer.of(value)

    allow_other = question.allow_other and kind != QuestionKind.ABOUT_YOU
    parts = (
        [value]
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.ABOUT_YOU)
        else value.split(";")
    )
    chosen, unknown = [], []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if kind == QuestionKind.RANKING:
            part = RANK_PREFIX.sub("", part)
        option = _canonical(part, options)
        if option is not None:
            chosen.append(option)
        else:
            unknown.append(OTHER_PREFIX.sub("", part) if allow_other else part)
    if kind == QuestionKind.RANKING or not allow_other or not unknown:
        return RawAnswer(values=tuple(chosen + unknown))
    return RawAnswer(values=(*chosen, OTHER), other="; ".join(unknown))


def _parse_when(value: str) -> datetime:
    for date_format in DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, date_format)
        except ValueError:
            continue
        if parsed.time() == time():
            parsed = parsed.replace(hour=12)  # a date alone: midday, so no time zone moves its day
        return timezone.make_aware(parsed)
    raise ValueError(_("Write the date as day/month/year, for example 31/01/2026."))


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
