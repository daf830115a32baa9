"""Downloads of a consultation's responses, as CSV or XLSX: one row per response.

Columns: reference, when it was given, source, import batch, age band and area, then one column
per question in the consultation's order. Choices are joined with "; ", rankings read
"1. X; 2. Y", and "Other – tell us" answers read "Other: …".

The words people wrote (text answers and "Other" text) are redacted by default: names, schools,
phone numbers, emails, postcodes, links and addresses replaced by ``[name]``, ``[phone]`` and so
on (``Answer.redacted_text``, made at submission). The raw words are in the file only for users
with the ``consultations.export_raw_answers`` permission, which no role has by default; the file
says which it holds. An answer whose redaction failed has no redacted text, and its cell reads
``WITHHELD`` for everyone without that permission. An answer held for safeguarding review is
never in a download, whoever asks: its cell reads ``HELD`` until a Safeguarding lead releases it.

CSV files are streamed row by row, so large consultations do not fill the server's memory, and
every cell that a spreadsheet program would run as a formula (starting with =, +, -, @, a tab or
a carriage return) is prefixed with an apostrophe. XLSX cells are always written as values,
never formulas.
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import datetime
from io import BytesIO

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import Answer, ConsultationPage, Question, QuestionKind, Response, Source

RAW_ANSWERS_PERMISSION = "consultations.export_raw_answers"
WITHHELD = "[withheld: could not be redacted]"
HELD = "[held for safeguarding review]"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 500


def can_export_raw_answers(user) -> bool:
    return user.has_perm(RAW_ANSWERS_PERMISSION)


def neutralise_formula(value):
    """A cell value that no spreadsheet will run as a formula (OWASP's CSV injection advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def answer_value(question: Question, answer: Answer | None, *, raw_text: bool):
    """One answer as a cell: text, choices joined with "; ", "1. X; 2. Y", or a rating number."""
    if answer is None:
        return ""
    if getattr(answer, "held", False):
        return HELD
    words = _words(answer, raw_text=raw_text)
    if question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return words
    if question.kind == QuestionKind.RATING:
        return answer.rating if answer.rating is not None else ""
    if question.kind == QuestionKind.RANKING:
        return "; ".join(f"{n}. {choice}" for n, choice in enumerate(answer.choices, start=1))
    parts = list(answer.choices)
    if answer.text:
        parts.append(_("Other: %(text)s") % {"text": words})
    return "; ".join(parts)


def _words(answer: Answer, *, raw_text: bool) -> str:
    if not answer.text:
        return ""
    if raw_text:
        return answer.text
    return answer.redacted_text or WITHHELD


class ResponseTable:
    """The rows and columns of a download, for one consultation and one user's permissions."""

    def __init__(self, consultation: ConsultationPage, *, raw_text: bool):
        self.consultation = consultation
        self.raw_text = raw_text
        self.questions = list(consultation.ordered_questions())

    def headings(self) -> list[str]:
        return [
            _("Reference"),
            _("Submitted"),
            _("Source"),
            _("Import batch"),
            _("Age band"),
            _("Area"),
            *(question.text for question in self.questions),
        ]

    def row(self, response: Response) -> list:
        answers = {answer.question_id: answer for answer in response.answers.all()}
        batch = response.import_batch
        return [
            response.reference,
            timezone.localtime(response.submitted_at).replace(tzinfo=None, microsecond=0),
            str(Source(response.source).label) if response.source in Source.values else "",
            f"{batch.pk}: {batch.filename}" if batch else "",
            response.age_band,
            response.area,
            *(answer_value(q, answers.get(q.pk), raw_text=self.raw_text) for q in self.questions),
        ]

    def notes(self) -> list[str]:
        notes = [
            _("Responses to “%(title)s”, downloaded %(when)s.")
            % {
                "title": self.consultation.title,
                "when": timezone.localtime().strftime("%d/%m/%Y %H:%M"),
            }
        ]
        if self.raw_text:
            notes.append(
                _(
                    "Note: this file holds the words people wrote, unredacted. Keep it secure and "
                    "delete it when you no longer need it."
                )
            )
        else:
            notes.append(
                _(
                    "Note: names, schools, phone numbers, emails, postcodes, links and addresses "
                    "in what people wrote are replaced by [name], [school], [phone] and so on."
                )
            )
        return notes

    def responses(self, queryset: QuerySet) -> Iterator[Response]:
        """Each response with its answers, read from the database in chunks."""
        return (
            queryset.select_related("import_batch")
            .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by()))
            .iterator(chunk_size=CHUNK_SIZE)
        )


class _Echo:
    def write(self, value):
        return value


def _csv_text(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return neutralise_formula(str(value)) if value is not None else ""


def csv_lines(table: ResponseTable, queryset: QuerySet) -> Iterator[str]:
    """The CSV file, line by line, for a StreamingHttpResponse.

    The file starts with a byte order mark, so that Excel reads it as UTF-8 rather than mangling
    "é" or "£". The first line says whether the words people wrote are redacted or raw, before
    the headings.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([table.notes()[-1]])
    yield writer.writerow([_csv_text(h) for h in table.headings()])
    for response in table.responses(queryset):
        yield writer.writerow([_csv_text(value) for value in table.row(response)])


def write_xlsx(table: ResponseTable, queryset: QuerySet, output: BytesIO) -> None:
    """The XLSX workbook: a "Responses" sheet and an "About this file" sheet with the notes."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Responses"))
    sheet.append(_xlsx_cells(sheet, table.headings()))
    for response in table.responses(queryset):
        sheet.append(_xlsx_cells(sheet, table.row(response)))
    about = workbook.create_sheet(title=_("About this file"))
    for note in table.notes():
        about.append([WriteOnlyCell(about, note)])
    workbook.save(output)


def _xlsx_cells(sheet, values: Iterable) -> Iterator:
    from openpyxl.cell import WriteOnlyCell

    for value in values:
        cell = WriteOnlyCell(sheet, value)
        if cell.data_type == "f":
            cell.data_type = "s"  # a value that looks like a formula stays text
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        yield cell
