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

Limits
------
Each is a setting; ``youthforum/settings/base.py`` sets the file size, the others default as
below. ``docs/imports.md`` says why each is what it is. Every limit is checked while the file is
read, before anything is kept, and every row and cell counts, empty or not: a file that claims
thousands of empty rows or columns costs as much to read as one that has them.

- ``YOUTHVOICE_IMPORT_MAX_BYTES`` (5 MB): the file's size.
- ``YOUTHVOICE_IMPORT_MAX_ROWS`` (2,000): rows after the headings, empty ones too. The import runs
  inside the web request, one ``submit_response`` per row (about 5 to 10 ms a row, measured on
  SQLite and PostgreSQL), so this keeps it well inside a web server's timeout (gunicorn's default
  is 30 seconds): raise the two together, or split big files.
- ``YOUTHVOICE_IMPORT_MAX_COLUMNS`` (200): columns with something in them.
- ``YOUTHVOICE_IMPORT_MAX_CELLS`` (200,000): cells, empty ones too; a row counts as wide as its
  last cell.
- ``YOUTHVOICE_IMPORT_MAX_LINE_CHARS`` (100,000): characters in one row of a CSV file.
- ``YOUTHVOICE_IMPORT_MAX_UNPACKED_BYTES`` (50 MB) and ``YOUTHVOICE_IMPORT_MAX_XML_ELEMENTS``
  (2,000,000): an XLSX file is a zip of XML files; these bound what it unpacks to, so a small
  file that unpacks into a huge one is refused before openpyxl reads it.
- ``YOUTHVOICE_IMPORT_READ_SECONDS`` (20): reading stops after this long, with a message.
- ``YOUTHVOICE_IMPORT_TASK_THRESHOLD_BYTES`` (1 MB): larger files are read by a task.
"""

import csv
import difflib
import io
import itertools
import logging
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from time import monotonic
from xml.parsers import expat

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
    ImportJob,
    ImportJobStatus,
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

logger = logging.getLogger(__name__)

IMPORT_SOURCES = (Source.PAPER, Source.WORKSHOP, Source.IMPORT)
SUBMITTED_AT = "submitted_at"
"""The mapping target for a column holding the date the answers were given."""

# Namespace for the tokens of imported rows: uuid5(namespace, "<batch id>:<row number>").
IMPORT_TOKEN_NAMESPACE = uuid.UUID("6f1c1f0e-3a53-4a8e-9b8e-2f4b1c0d7a51")

LOG_IMPORT = "consultations.import"
LOG_UNDO_IMPORT = "consultations.import_undo"

#: How long a pending import (its rows, as written) is kept before it is forgotten.
PENDING_FOR = timedelta(days=1)
#: A task reading a large file saves how far it has got after this many rows.
PROGRESS_EVERY = 200

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
CELL_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?\d*$")

MB = 1024 * 1024


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_bytes() -> int:
    return _setting("YOUTHVOICE_IMPORT_MAX_BYTES", 5 * MB)


def max_rows() -> int:
    return _setting("YOUTHVOICE_IMPORT_MAX_ROWS", 2_000)


def max_columns() -> int:
    return _setting("YOUTHVOICE_IMPORT_MAX_COLUMNS", 200)


def max_cells() -> int:
    return _setting("YOUTHVOICE_IMPORT_MAX_CELLS", 200_000)


def max_line_chars() -> int:
    return _setting("YOUTHVOICE_IMPORT_MAX_LINE_CHARS", 100_000)


def max_unpacked_bytes() -> int:
    return _setting("YOUTHVOICE_IMPORT_MAX_UNPACKED_BYTES", 50 * MB)


def max_xml_elements() -> int:
    return _setting("YOUTHVOICE_IMPORT_MAX_XML_ELEMENTS", 2_000_000)


def read_seconds() -> float:
    return float(getattr(settings, "YOUTHVOICE_IMPORT_READ_SECONDS", 20))


def task_threshold_bytes() -> int:
    """Files larger than this are read by a task, with a progress page (default 1 MB)."""
    return _setting("YOUTHVOICE_IMPORT_TASK_THRESHOLD_BYTES", 1 * MB)


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
        """A JSON-friendly form, kept in the pending import (``ImportJob.parsed``)."""
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


Progress = Callable[[int, int], None]
"""Called as ``progress(rows read, rows in the file)`` while a file is read."""


# Reading files ----------------------------------------------------------------------------------


def _base_name(name: str) -> str:
    return (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]


def check_answer_file(*, filename: str, size: int | None) -> str:
    """What can be told from a file's name and size alone; returns its extension (csv or xlsx).

    Raises ImportFileError for an old Excel file, any other type, or a file over the size limit.
    """
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
    if size is not None and size > max_bytes():
        raise ImportFileError(_too_big(max_bytes()))
    return extension


def read_answer_file(
    *, file, filename: str | None = None, progress: Progress | None = None
) -> ParsedFile:
    """Read a CSV or XLSX file of answers: anything with ``read()`` (an upload, a stored file).

    The file's type comes from ``filename`` (or the file's ``name``). ``progress(rows read, rows
    in the file)`` is called every ``PROGRESS_EVERY`` rows. Raises ImportFileError, saying what
    is wrong and how to fix it, for any file that cannot be read within the limits.
    """
    filename = _base_name(filename or getattr(file, "name", ""))
    extension = check_answer_file(filename=filename, size=getattr(file, "size", None))
    limit = max_bytes()
    content = file.read(limit + 1)
    if len(content) > limit:
        raise ImportFileError(_too_big(limit))
    if not content.strip():
        raise ImportFileError(_("The file is empty. Check you chose the right file."))

    clock = _Clock()
    if extension == "xlsx":
        records, total = _read_xlsx(content, clock)
    else:
        records, total = _read_csv(content)
    return _parse_records(filename, records, clock=clock, progress=progress, total=total)


class _Clock:
    """The time budget of one read: ``check`` refuses the file once it is spent.

    Every other limit bounds the work a file can make; this one is for what they miss (a slow
    disk, a busy server, a file at every limit at once), so a worker is never tied up for long.
    """

    def __init__(self):
        self.seconds = read_seconds()
        self.deadline = monotonic() + self.seconds

    def check(self, rows_read: int) -> None:
        if monotonic() > self.deadline:
            # Files of half what was read in time should be read in time.
            rows = min(max_rows(), max(100, rows_read // 2 // 100 * 100))
            raise ImportFileError(
                _(
                    "This file took too long to read. Split it into smaller files of up to "
                    "%(rows)s rows, and import each one."
                )
                % {"rows": f"{rows:,}"}
            )


def _too_big(limit: int) -> str:
    return _(
        "The file is too big: it must be %(size)s MB or smaller. Split it into smaller files and "
        "import each one."
    ) % {"size": f"{limit / MB:g}"}


def _too_many_rows(limit: int) -> ImportFileError:
    return ImportFileError(
        _(
            "The file has more than %(limit)s rows after the headings (empty rows count too). "
            "Delete any empty rows at the end, or split it into smaller files of up to "
            "%(limit)s rows, and import each one."
        )
        % {"limit": f"{limit:,}"}
    )


def _too_many_cells(limit: int) -> ImportFileError:
    return ImportFileError(
        _(
            "The file has more than %(limit)s cells (rows times columns, and empty cells count "
            "too). Delete any empty columns and rows, or split it into smaller files, and import "
            "each one."
        )
        % {"limit": f"{limit:,}"}
    )


def _not_readable_xlsx() -> ImportFileError:
    return ImportFileError(
        _("We could not read this Excel file. Save it again as .xlsx or CSV UTF-8 and retry.")
    )


def _too_complex_xlsx() -> ImportFileError:
    return ImportFileError(
        _(
            "This Excel file holds far more than its answers, so it cannot be read safely. Copy "
            "just the answers into a new workbook, or save the sheet as CSV UTF-8 (in Excel: "
            "File, Save As, “CSV UTF-8”), and upload that."
        )
    )


def _read_csv(content: bytes) -> tuple[Iterator[list[str]], int]:
    """The file's records, and about how many there are (for progress)."""
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
    return _csv_records(text, _pick_delimiter(text)), text.count("\n") + 1


def _csv_records(text: str, delimiter: str) -> Iterator[list[str]]:
    """The CSV's records, each refused if it runs to more than ``max_line_chars`` characters.

    A record's length is counted as its lines are handed to the csv module, so a row is refused
    before it is split into cells: a 5 MB line of commas never becomes millions of cells, and a
    quote left open (which runs the rest of the file into one row) is caught early.
    """
    limit = max_line_chars()
    state = {"chars": 0, "records": 0}

    def lines():
        for line in io.StringIO(text, newline=""):
            state["chars"] += len(line)
            if state["chars"] > limit:
                raise ImportFileError(
                    _(
                        "Row %(row)s is longer than %(limit)s characters. Is this the right "
                        "file? If it is, check that row's quotation marks: a quote that is not "
                        "closed runs everything after it into one row."
                    )
                    % {"row": state["records"] + 1, "limit": f"{limit:,}"}
                )
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    try:
        for record in reader:
            state["chars"] = 0
            state["records"] += 1
            yield record
    except csv.Error as error:
        raise ImportFileError(
            _("We could not read row %(row)s of this CSV file (%(error)s). Check it and try again.")
            % {"row": reader.line_num, "error": error}
        ) from None


def _pick_delimiter(text: str) -> str:
    """Commas, or semicolons or tabs when they split the first rows into equal, wider rows."""
    sample = text[:65_536]
    # A delimiter must split rows in two at least: one that is not there at all gives rows of
    # equal width (one cell), and would win over commas in a file whose rows are not all as wide.
    best, best_width = ",", 1
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


def _looks_like_xlsx(content: bytes) -> bool:
    return content.startswith(b"PK\x03\x04")


@dataclass
class _PartShape:
    """How big one XML part of a workbook is, as openpyxl would lay out its cells."""

    rows: int = 0
    """The last row number: openpyxl gives an empty row for every number skipped."""
    cells: int = 0
    """Cells in all, each row as wide as its last cell (openpyxl fills the gaps)."""


def _read_xlsx(content: bytes, clock: _Clock) -> tuple[Iterator[list[str]], int]:
    """The first sheet's rows, and how many there are.

    An XLSX file is a zip of XML files, and openpyxl trusts what they say: a sheet's declared
    ``<dimension>`` makes it pad every row to that width, and a worksheet or shared-strings file
    that unpacks to hundreds of megabytes is read whole. So before openpyxl opens the file, the
    zip's directory is checked against ``max_unpacked_bytes``, then every XML part is walked as a
    stream, keeping nothing, counting its elements against ``max_xml_elements`` and measuring
    each worksheet's rows and cells; the sheet to import must be within the row and cell limits.
    openpyxl then reads it in read-only mode with the declared dimension thrown away
    (``reset_dimensions``), so each row is as wide as its own cells.
    """
    from openpyxl import load_workbook

    if not _looks_like_xlsx(content):
        raise ImportFileError(
            _("This file is not a real Excel (.xlsx) file. Upload a CSV or .xlsx file.")
        )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            shapes = _measure_xlsx(archive, clock)
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - a hostile zip can fail in many ways; all mean "unreadable"
        raise _not_readable_xlsx() from None

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0] if workbook.worksheets else None
    except Exception:  # noqa: BLE001 - as above: openpyxl raises many kinds of error
        raise _not_readable_xlsx() from None
    if sheet is None:
        workbook.close()
        return iter(()), 0
    # openpyxl keeps the sheet's part name privately; the tests read a real workbook through here,
    # so a change in openpyxl shows up as a failing test, not as a file read unchecked.
    shape = shapes.get(getattr(sheet, "_worksheet_path", None))
    if shape is None:
        workbook.close()
        raise _not_readable_xlsx()
    if shape.rows - 1 > max_rows():
        workbook.close()
        raise _too_many_rows(max_rows())
    if shape.cells > max_cells():
        workbook.close()
        raise _too_many_cells(max_cells())
    sheet.reset_dimensions()  # never trust the declared <dimension>
    return _xlsx_rows(workbook, sheet), shape.rows


def _measure_xlsx(archive: zipfile.ZipFile, clock: _Clock) -> dict[str, _PartShape]:
    """Every XML part's shape, by part name; raises ImportFileError past the unpacking limits."""
    if sum(info.file_size for info in archive.infolist()) > max_unpacked_bytes():
        raise _too_complex_xlsx()
    elements = _ElementCount(budget=max_xml_elements())
    shapes = {}
    for info in archive.infolist():
        if not info.filename.lower().endswith((".xml", ".rels")):
            continue  # openpyxl reads no other part in read-only mode
        shape = shapes[info.filename] = _PartShape()
        with archive.open(info) as stream:
            _measure_part(stream, shape, elements, clock)
    return shapes


@dataclass
class _ElementCount:
    budget: int
    seen: int = 0


def _measure_part(stream, shape: _PartShape, elements: _ElementCount, clock: _Clock) -> None:
    """Walk one XML part with expat, building nothing: only a count and the sheet's shape.

    Expat's callbacks see each element's name and attributes and nothing is kept, so memory stays
    flat whatever the file holds. A document type declaration is refused, as defusedxml (which
    openpyxl uses) refuses entity tricks: a spreadsheet never has one.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    position = {"row": 0, "column": 0, "width": 0}

    def start(name: str, attributes: dict) -> None:
        elements.seen += 1
        if elements.seen > elements.budget:
            raise _too_complex_xlsx()
        name = name.rsplit(":", 1)[-1]  # "x:row" is a row too
        if name == "row":
            shape.cells += position["width"]
            position["row"] = _row_number(attributes.get("r"), position["row"])
            position["column"] = position["width"] = 0
            shape.rows = max(shape.rows, position["row"])
        elif name == "c":
            position["column"] = _column_number(attributes.get("r"), position["column"])
            position["width"] = max(position["width"], position["column"])

    def refuse(*args) -> None:
        raise _not_readable_xlsx()

    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    while chunk := stream.read(64 * 1024):
        parser.Parse(chunk, False)
        clock.check(shape.rows)
    parser.Parse(b"", True)
    shape.cells += position["width"]


def _row_number(reference: str | None, previous: int) -> int:
    if reference is None:
        return previous + 1
    if not reference.isdigit():
        raise _not_readable_xlsx()
    return int(reference)


def _column_number(reference: str | None, previous: int) -> int:
    from openpyxl.utils import column_index_from_string

    if reference is None:
        return previous + 1
    match = CELL_REFERENCE.match(reference)
    if not match:
        raise _not_readable_xlsx()
    return column_index_from_string(match.group(1).upper())


def _xlsx_rows(workbook, sheet) -> Iterator[list[str]]:
    try:
        for row in sheet.iter_rows(values_only=True):
            yield [_xlsx_text(value) for value in row]
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - a cell openpyxl cannot read means the file is unreadable
        raise _not_readable_xlsx() from None
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


def _parse_records(
    filename: str,
    records,
    *,
    clock: _Clock,
    progress: Progress | None = None,
    total: int = 0,
) -> ParsedFile:
    headings: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    limit_rows, limit_columns, limit_cells = max_rows(), max_columns(), max_cells()
    cells_read = 0
    for number, record in enumerate(records, start=1):
        # Every row and cell counts, empty or not: they cost time to read all the same.
        clock.check(number - 1)
        if number - 1 > limit_rows:
            raise _too_many_rows(limit_rows)
        cells_read += len(record)
        if cells_read > limit_cells:
            raise _too_many_cells(limit_cells)
        if progress is not None and number % PROGRESS_EVERY == 0:
            progress(number, max(total, number))
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
        if cells:
            rows.append((number, cells))
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
    filename = _base_name(getattr(file, "name", ""))[:255]
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
        if not _looks_like_xlsx(file.read(4)):
            raise ImportFileError(
                _("This file is not a real Excel (.xlsx) file. Upload a CSV or .xlsx file.")
            )
        file.seek(0)
    with transaction.atomic():
        for earlier in ImportJob.objects.filter(page=consultation, uploaded_by=user):
            discard_import(job=earlier)
        if not small:
            job.file.save(filename, file, save=False)  # the name given is replaced by a random one
        job.save()
        if not small:
            from consultations.tasks import read_import_task

            job_id = job.pk
            transaction.on_commit(lambda: read_import_task.enqueue(job_id))
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
