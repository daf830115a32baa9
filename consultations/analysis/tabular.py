"""Reading a CSV (UTF-8) or XLSX file's bytes into headings and rows of plain strings.

``read_table`` does the reading and nothing else: no database, no settings, no wording. The
limits come in as a ``Limits`` and the time from a clock function, so the caller decides both;
a file that cannot be read within them raises ``TableError`` naming the problem (one of the
``Problem`` values) and the numbers a message needs, and the caller words it for the person who
uploaded the file.

Every limit is checked while the file is read, and every row and cell counts, empty or not: a
file that claims thousands of empty rows or columns costs as much to read as one that has them.

- ``max_rows``: rows after the headings, empty ones too.
- ``max_columns``: columns with something in them.
- ``max_cells``: cells, empty ones too; a row counts as wide as its last cell.
- ``max_line_chars``: characters in one row of a CSV file.
- ``max_unpacked_bytes`` and ``max_xml_elements``: an XLSX file is a zip of XML files; these
  bound what it unpacks to, so a small file that unpacks into a huge one is refused before
  openpyxl reads it.
- ``read_seconds``: reading stops after this long.
"""

import csv
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from time import monotonic
from typing import IO, Any
from xml.parsers import expat

from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string

MB = 1024 * 1024
CELL_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?\d*$")

Progress = Callable[[int, int], None]
"""Called as ``progress(rows read, rows in the file)`` while a file is read."""


@dataclass(frozen=True)
class Limits:
    """How much one file may hold and how long reading it may take."""

    max_rows: int = 2_000
    max_columns: int = 200
    max_cells: int = 200_000
    max_line_chars: int = 100_000
    max_unpacked_bytes: int = 50 * MB
    max_xml_elements: int = 2_000_000
    read_seconds: float = 20


class Problem(StrEnum):
    """Why a file cannot be read; ``TableError.details`` holds the numbers that go with it."""

    EMPTY = "empty"
    NO_HEADINGS = "no_headings"
    NO_ROWS = "no_rows"
    TOO_SLOW = "too_slow"  # details: rows (a size of file that should be read in time)
    TOO_MANY_ROWS = "too_many_rows"  # details: limit
    TOO_MANY_CELLS = "too_many_cells"  # details: limit
    TOO_MANY_COLUMNS = "too_many_columns"  # details: row, limit
    LINE_TOO_LONG = "line_too_long"  # details: row, limit
    CSV_UNREADABLE = "csv_unreadable"  # details: row, error
    NOT_UTF8 = "not_utf8"
    NOT_CSV = "not_csv"
    NOT_XLSX = "not_xlsx"
    XLSX_UNREADABLE = "xlsx_unreadable"
    XLSX_TOO_COMPLEX = "xlsx_too_complex"


class TableError(Exception):
    """The file cannot be read: ``problem`` says why, ``details`` holds the numbers."""

    def __init__(self, problem: Problem, **details: object) -> None:
        super().__init__(problem, details)
        self.problem = problem
        self.details = details


@dataclass(frozen=True)
class Table:
    """A file's headings and rows, as plain strings.

    ``rows`` holds ``(row number, cells)``: row numbers are those a spreadsheet program shows,
    the headings being row 1. Blank rows are left out. Every row has as many cells as there are
    headings; a column without a heading has ``""`` as its heading.
    """

    headings: list[str]
    rows: list[tuple[int, list[str]]]


def looks_like_xlsx(content: bytes) -> bool:
    """Whether ``content`` starts as a zip file (and so as an XLSX file) does."""
    return content.startswith(b"PK\x03\x04")


def read_table(
    content: bytes,
    *,
    extension: str,
    limits: Limits,
    clock: Callable[[], float] = monotonic,
    progress: Progress | None = None,
    progress_every: int = 200,
    booleans: tuple[str, str] = ("yes", "no"),
) -> Table:
    """Read the bytes of a CSV (``extension`` "csv") or XLSX ("xlsx") file into a ``Table``.

    ``clock`` gives the time in seconds (``time.monotonic`` unless a caller needs another);
    ``progress(rows read, rows in the file)`` is called every ``progress_every`` rows;
    ``booleans`` are the words for a true and a false cell of a workbook. Raises TableError for
    any file that cannot be read within ``limits``.
    """
    if not content.strip():
        raise TableError(Problem.EMPTY)
    budget = _Clock(limits, clock)
    if extension == "xlsx":
        records, total = _read_xlsx(content, budget, limits, booleans)
    else:
        records, total = _read_csv(content, limits)
    table = _parse_records(
        records,
        limits=limits,
        clock=budget,
        progress=progress,
        progress_every=progress_every,
        total=total,
    )
    return unfold_second_heading_row(table)


class _Clock:
    """The time budget of one read: ``check`` refuses the file once it is spent.

    Every other limit bounds the work a file can make; this one is for what they miss (a slow
    disk, a busy server, a file at every limit at once), so a worker is never tied up for long.
    """

    def __init__(self, limits: Limits, clock: Callable[[], float]):
        self.clock = clock
        self.max_rows = limits.max_rows
        self.seconds = limits.read_seconds
        self.deadline = clock() + self.seconds

    def check(self, rows_read: int) -> None:
        if self.clock() > self.deadline:
            # Files of half what was read in time should be read in time.
            rows = min(self.max_rows, max(100, rows_read // 2 // 100 * 100))
            raise TableError(Problem.TOO_SLOW, rows=rows)


def _read_csv(content: bytes, limits: Limits) -> tuple[Iterator[list[str]], int]:
    """The file's records, and about how many there are (for progress)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError(Problem.NOT_UTF8) from None
    if "\x00" in text:
        raise TableError(Problem.NOT_CSV)
    return _csv_records(text, _pick_delimiter(text), limits.max_line_chars), text.count("\n") + 1


def _csv_records(text: str, delimiter: str, limit: int) -> Iterator[list[str]]:
    """The CSV's records, each refused if it runs to more than ``limit`` characters.

    A record's length is counted as its lines are handed to the csv module, so a row is refused
    before it is split into cells: a 5 MB line of commas never becomes millions of cells, and a
    quote left open (which runs the rest of the file into one row) is caught early.
    """
    state = {"chars": 0, "records": 0}

    def lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            state["chars"] += len(line)
            if state["chars"] > limit:
                raise TableError(Problem.LINE_TOO_LONG, row=state["records"] + 1, limit=limit)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter)
    try:
        for record in reader:
            state["chars"] = 0
            state["records"] += 1
            yield record
    except csv.Error as error:
        raise TableError(Problem.CSV_UNREADABLE, row=reader.line_num, error=error) from None


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


@dataclass
class _PartShape:
    """How big one XML part of a workbook is, as openpyxl would lay out its cells."""

    rows: int = 0
    """The last row number: openpyxl gives an empty row for every number skipped."""
    cells: int = 0
    """Cells in all, each row as wide as its last cell (openpyxl fills the gaps)."""


def _read_xlsx(
    content: bytes, clock: _Clock, limits: Limits, booleans: tuple[str, str]
) -> tuple[Iterator[list[str]], int]:
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

    if not looks_like_xlsx(content):
        raise TableError(Problem.NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            shapes = _measure_xlsx(archive, clock, limits)
    except TableError:
        raise
    except Exception:  # noqa: BLE001 - a hostile zip can fail in many ways; all mean "unreadable"
        raise TableError(Problem.XLSX_UNREADABLE) from None

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0] if workbook.worksheets else None
    except Exception:  # noqa: BLE001 - as above: openpyxl raises many kinds of error
        raise TableError(Problem.XLSX_UNREADABLE) from None
    if sheet is None:
        workbook.close()
        return iter(()), 0
    # openpyxl keeps the sheet's part name privately; the tests read a real workbook through here,
    # so a change in openpyxl shows up as a failing test, not as a file read unchecked.
    part: str | None = getattr(sheet, "_worksheet_path", None)
    shape = shapes.get(part) if part is not None else None
    if shape is None:
        workbook.close()
        raise TableError(Problem.XLSX_UNREADABLE)
    if shape.rows - 1 > limits.max_rows:
        workbook.close()
        raise TableError(Problem.TOO_MANY_ROWS, limit=limits.max_rows)
    if shape.cells > limits.max_cells:
        workbook.close()
        raise TableError(Problem.TOO_MANY_CELLS, limit=limits.max_cells)
    sheet.reset_dimensions()  # never trust the declared <dimension>
    return _xlsx_rows(workbook, sheet, booleans), shape.rows


def _measure_xlsx(archive: zipfile.ZipFile, clock: _Clock, limits: Limits) -> dict[str, _PartShape]:
    """Every XML part's shape, by part name; raises TableError past the unpacking limits."""
    if sum(info.file_size for info in archive.infolist()) > limits.max_unpacked_bytes:
        raise TableError(Problem.XLSX_TOO_COMPLEX)
    elements = _ElementCount(budget=limits.max_xml_elements)
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


def _measure_part(
    stream: IO[bytes], shape: _PartShape, elements: _ElementCount, clock: _Clock
) -> None:
    """Walk one XML part with expat, building nothing: only a count and the sheet's shape.

    Expat's callbacks see each element's name and attributes and nothing is kept, so memory stays
    flat whatever the file holds. A document type declaration is refused, as defusedxml (which
    openpyxl uses) refuses entity tricks: a spreadsheet never has one.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    position = {"row": 0, "column": 0, "width": 0}

    def start(name: str, attributes: dict[str, str]) -> None:
        elements.seen += 1
        if elements.seen > elements.budget:
            raise TableError(Problem.XLSX_TOO_COMPLEX)
        name = name.rsplit(":", 1)[-1]  # "x:row" is a row too
        if name == "row":
            shape.cells += position["width"]
            position["row"] = _row_number(attributes.get("r"), position["row"])
            position["column"] = position["width"] = 0
            shape.rows = max(shape.rows, position["row"])
        elif name == "c":
            position["column"] = _column_number(attributes.get("r"), position["column"])
            position["width"] = max(position["width"], position["column"])

    def refuse(*args: object) -> None:
        raise TableError(Problem.XLSX_UNREADABLE)

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
        raise TableError(Problem.XLSX_UNREADABLE)
    return int(reference)


def _column_number(reference: str | None, previous: int) -> int:

    if reference is None:
        return previous + 1
    match = CELL_REFERENCE.match(reference)
    if not match:
        raise TableError(Problem.XLSX_UNREADABLE)
    return column_index_from_string(match.group(1).upper())


def _xlsx_rows(workbook: "Workbook", sheet: Any, booleans: tuple[str, str]) -> Iterator[list[str]]:
    try:
        for row in sheet.iter_rows(values_only=True):
            yield [_xlsx_text(value, booleans) for value in row]
    except TableError:
        raise
    except Exception:  # noqa: BLE001 - a cell openpyxl cannot read means the file is unreadable
        raise TableError(Problem.XLSX_UNREADABLE) from None
    finally:
        workbook.close()


def _xlsx_text(value: object, booleans: tuple[str, str]) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return booleans[0] if value else booleans[1]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time() else f"{value:%Y-%m-%d}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    return str(value)


def _parse_records(
    records: Iterable[Sequence[str]],
    *,
    limits: Limits,
    clock: _Clock,
    progress: Progress | None,
    progress_every: int,
    total: int,
) -> Table:
    headings: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    limit_rows, limit_columns, limit_cells = limits.max_rows, limits.max_columns, limits.max_cells
    cells_read = 0
    for number, record in enumerate(records, start=1):
        # Every row and cell counts, empty or not: they cost time to read all the same.
        clock.check(number - 1)
        if number - 1 > limit_rows:
            raise TableError(Problem.TOO_MANY_ROWS, limit=limit_rows)
        cells_read += len(record)
        if cells_read > limit_cells:
            raise TableError(Problem.TOO_MANY_CELLS, limit=limit_cells)
        if progress is not None and number % progress_every == 0:
            progress(number, max(total, number))
        cells = [(cell or "").strip() for cell in record]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) > limit_columns:
            raise TableError(Problem.TOO_MANY_COLUMNS, row=number, limit=limit_columns)
        if headings is None:
            if not cells:
                raise TableError(Problem.NO_HEADINGS)
            headings = cells
            continue
        if cells:
            rows.append((number, cells))
    if headings is None:
        raise TableError(Problem.EMPTY)
    if not rows:
        raise TableError(Problem.NO_ROWS)
    width = max(len(headings), *(len(cells) for _n, cells in rows))
    headings = headings + [""] * (width - len(headings))
    rows = [(number, cells + [""] * (width - len(cells))) for number, cells in rows]
    return Table(headings=headings, rows=rows)


# The layouts of survey tools' exports ----------------------------------------------------------

#: Cells of a second heading row that mark a SurveyMonkey export: its first row holds the
#: questions, its second "Response", "Open-Ended Response" or an option's words.
SECOND_HEADING_MARKERS = frozenset({"response", "open-ended response"})
OTHER_COLUMN = re.compile(r"^other\b", re.IGNORECASE)


def unfold_second_heading_row(table: Table) -> Table:
    """A SurveyMonkey export's two heading rows folded into one, one column per question.

    SurveyMonkey puts the question in the first row and, in the second, "Response" (one answer),
    "Open-Ended Response" (written answers), or each option's words over a column of its own for
    a "choose any" question, the question's heading left blank over all but the first of them
    (a "put in order" question has the same, each holding the option's rank). Those columns are
    joined into one cell, options separated by "; " (in rank order) and an "Other (please
    specify)" column's words given as "Other: …", as a person would type them. Any other table is
    given back as it is.
    """
    if not table.rows or table.rows[0][0] != 2:
        return table
    second = [cell.casefold() for cell in table.rows[0][1]]
    if not SECOND_HEADING_MARKERS.intersection(second):
        return table
    groups: list[tuple[str, list[int]]] = []
    for column, heading in enumerate(table.headings):
        if heading or not groups:
            groups.append((heading, [column]))
        else:
            groups[-1][1].append(column)
    labels = table.rows[0][1]
    rows = []
    for number, cells in table.rows[1:]:
        rows.append((number, [_fold(cells, labels, columns) for _heading, columns in groups]))
    return Table(headings=[heading for heading, _columns in groups], rows=rows)


def _fold(cells: list[str], labels: list[str], columns: list[int]) -> str:
    if len(columns) == 1:
        return cells[columns[0]]
    filled = [(cells[column], labels[column]) for column in columns if cells[column]]
    if filled and all(value.isdigit() for value, _label in filled):
        # A "put in order" question: each option's column holds its rank.
        return "; ".join(label for _value, label in sorted(filled, key=lambda f: int(f[0])))
    parts = []
    for column in columns:
        value = cells[column]
        if not value:
            continue
        if OTHER_COLUMN.match(labels[column]) and value.casefold() != labels[column].casefold():
            parts.append(f"Other: {value}")
        else:
            parts.append(value)
    return "; ".join(parts)
