"""The files of paper and workshop answers: their limits, and what to say when one cannot be read.

``consultations.analysis.tabular`` reads a file's bytes into rows; this module gives it the
limits from the settings (``read_limits``), words its refusals for the facilitator
(``file_error``, an ``ImportFileError`` whose message says how to fix the file), and checks what
can be told from a file's name and size alone (``check_answer_file``).
``consultations.services.imports`` puts them together in ``read_answer_file``.

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

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from consultations.analysis.tabular import MB, Limits, Problem, Table, TableError


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


def read_limits() -> Limits:
    """The limits a file is read within, from the settings as they are now."""
    return Limits(
        max_rows=max_rows(),
        max_columns=max_columns(),
        max_cells=max_cells(),
        max_line_chars=max_line_chars(),
        max_unpacked_bytes=max_unpacked_bytes(),
        max_xml_elements=max_xml_elements(),
        read_seconds=read_seconds(),
    )


class ImportFileError(Exception):
    """The file cannot be read. The message says why and how to fix it."""


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

    @classmethod
    def from_table(cls, filename: str, table: Table) -> "ParsedFile":
        """A table read from ``filename``; a column without a heading is named by its number."""
        headings = [
            h or _("Column %(n)s (no heading)") % {"n": i} for i, h in enumerate(table.headings, 1)
        ]
        return cls(filename=filename[:255], headings=headings, rows=table.rows)


def base_name(name: str) -> str:
    """A file's name without any folders an upload gave with it."""
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
        raise ImportFileError(too_big(max_bytes()))
    return extension


def too_big(limit: int) -> str:
    return _(
        "The file is too big: it must be %(size)s MB or smaller. Split it into smaller files and "
        "import each one."
    ) % {"size": f"{limit / MB:g}"}


def not_xlsx() -> ImportFileError:
    return ImportFileError(
        _("This file is not a real Excel (.xlsx) file. Upload a CSV or .xlsx file.")
    )


def file_error(error: TableError) -> ImportFileError:
    """The facilitator's message for a file ``consultations.analysis.tabular`` refused."""
    if error.problem == Problem.NOT_XLSX:
        return not_xlsx()
    details = dict(error.details)
    for name in ("limit", "rows"):
        # Thousands are written with a separator, except in the (small) number of columns.
        if name in details and error.problem != Problem.TOO_MANY_COLUMNS:
            details[name] = f"{details[name]:,}"
    return ImportFileError(_message(error.problem) % details)


def _message(problem: Problem) -> str:
    messages = {
        Problem.EMPTY: _("The file is empty. Check you chose the right file."),
        Problem.NO_HEADINGS: _(
            "The first row must hold the column headings, such as the questions. It is empty."
        ),
        Problem.NO_ROWS: _("The file has headings but no rows of answers."),
        Problem.TOO_SLOW: _(
            "This file took too long to read. Split it into smaller files of up to "
            "%(rows)s rows, and import each one."
        ),
        Problem.TOO_MANY_ROWS: _(
            "The file has more than %(limit)s rows after the headings (empty rows count too). "
            "Delete any empty rows at the end, or split it into smaller files of up to "
            "%(limit)s rows, and import each one."
        ),
        Problem.TOO_MANY_CELLS: _(
            "The file has more than %(limit)s cells (rows times columns, and empty cells count "
            "too). Delete any empty columns and rows, or split it into smaller files, and import "
            "each one."
        ),
        Problem.TOO_MANY_COLUMNS: _(
            "Row %(row)s has more than %(limit)s columns. Is this the right file?"
        ),
        Problem.LINE_TOO_LONG: _(
            "Row %(row)s is longer than %(limit)s characters. Is this the right "
            "file? If it is, check that row's quotation marks: a quote that is not "
            "closed runs everything after it into one row."
        ),
        Problem.CSV_UNREADABLE: _(
            "We could not read row %(row)s of this CSV file (%(error)s). Check it and try again."
        ),
        Problem.NOT_UTF8: _(
            "This CSV file is not saved as UTF-8, so letters such as “é” or “£” could be "
            "read wrongly. In Excel, choose File, Save As, then “CSV UTF-8 (comma delimited)”, "
            "and upload that file."
        ),
        Problem.NOT_CSV: _("This file is not a CSV file. Upload a CSV or .xlsx file."),
        Problem.XLSX_UNREADABLE: _(
            "We could not read this Excel file. Save it again as .xlsx or CSV UTF-8 and retry."
        ),
        Problem.XLSX_TOO_COMPLEX: _(
            "This Excel file holds far more than its answers, so it cannot be read safely. Copy "
            "just the answers into a new workbook, or save the sheet as CSV UTF-8 (in Excel: "
            "File, Save As, “CSV UTF-8”), and upload that."
        ),
    }
    return messages[problem]
