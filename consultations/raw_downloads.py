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

Small groups: a row's about-you answers (age band, area and every "about you" question) and the
time it was given would let a reader pick out the answers of a handful of young people, so they
go through ``suppression.k_anonymise`` first (:meth:`ResponseTable.prepare`): every combination
of them in the file is shared by at least ``YOUTHVOICE_SUPPRESSION_THRESHOLD`` young people, or
reads "Not shown" throughout; the time is shown as the day, the month or not at all, as needed.
A filtered download of fewer young people than the threshold lists no one. The file says so.

CSV files are streamed row by row, so large consultations do not fill the server's memory, and
every cell that a spreadsheet program would run as a formula (starting with =, +, -, @, a tab or
a carriage return) is prefixed with an apostrophe. XLSX cells are always written as values,
never formulas.
"""

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import cached_property
from io import BytesIO
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from consultations.analysis.suppression import NOT_SHOWN, KAnonymised, k_anonymise, month_of
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


def threshold() -> int:
    return getattr(settings, "YOUTHVOICE_SUPPRESSION_THRESHOLD", 10)


#: The columns of a row before the questions; "Submitted" is the date coarsened, and these are
#: the about-you columns (each question of kind "about you" adds its own column to its group).
SUBMITTED = 1
ABOUT_YOU_COLUMNS = {"age_band": 4, "area": 5}
FIRST_QUESTION = 6


def _day(moment: datetime) -> date:
    return moment.date()


class ResponseTable:
    """The rows and columns of a download, for one consultation and one user's permissions.

    Call :meth:`prepare` with the download's queryset before reading notes or rows.
    """

    def __init__(self, consultation: ConsultationPage, *, raw_text: bool):
        self.consultation = consultation
        self.raw_text = raw_text
        self.questions = list(consultation.ordered_questions())
        self.shown: dict[int, tuple] | None = None  # response id -> its about-you cells, date
        self.too_few = False

    @cached_property
    def about_you(self) -> list[list[int]]:
        """The row's about-you columns, grouped by what they ask (age band: its own column and
        the "How old are you?" question's; area likewise; then each other about-you question)."""
        groups = {about: [column] for about, column in ABOUT_YOU_COLUMNS.items()}
        for n, question in enumerate(self.questions):
            if question.kind == QuestionKind.ABOUT_YOU:
                about = question.about or f"question {question.pk}"
                groups.setdefault(about, []).append(FIRST_QUESTION + n)
        return list(groups.values())

    def _details(self, responses: QuerySet) -> tuple[list[int], list[tuple], list[datetime]]:
        """Every response's about-you cells (as ``row`` writes them) and time, read lightly."""
        about = {q.pk: q for q in self.questions if q.kind == QuestionKind.ABOUT_YOU}
        # Read as plain values (a few per response), not as model instances, for 100,000 rows.
        answers: dict[int, dict[int, SimpleNamespace]] = {}
        for response_id, question_id, *values in Answer.objects.filter(
            response__in=responses, question_id__in=list(about)
        ).values_list("response_id", "question_id", "choices", "text", "redacted_text", "held"):
            answers.setdefault(response_id, {})[question_id] = SimpleNamespace(
                **dict(zip(("choices", "text", "redacted_text", "held"), values, strict=True)),
                rating=None,
            )
        groups = self.about_you
        ids, records, times = [], [], []
        for pk, age_band, area, submitted in (
            responses.order_by("pk")
            .values_list("pk", "age_band", "area", "submitted_at")
            .iterator(chunk_size=CHUNK_SIZE)
        ):
            cells = {ABOUT_YOU_COLUMNS["age_band"]: age_band, ABOUT_YOU_COLUMNS["area"]: area}
            for n, question in enumerate(self.questions):
                if question.pk in about:
                    answer = answers.get(pk, {}).get(question.pk)
                    cells[FIRST_QUESTION + n] = answer_value(question, answer, raw_text=False)
            ids.append(pk)
            records.append(tuple(tuple(cells[c] for c in group) for group in groups))
            times.append(timezone.localtime(submitted).replace(tzinfo=None, microsecond=0))
        return ids, records, times

    def _anonymise(self, records, times, **options) -> KAnonymised:
        return k_anonymise(
            records,
            dates=times,
            date_steps=(_day, month_of),
            threshold=threshold(),
            **options,
        )

    def prepare(self, queryset: QuerySet) -> None:
        """Work out what each response in the download may show of its about-you answers and
        time (see ``suppression.k_anonymise``).

        The whole consultation is made k-anonymous first, and the download starts from it, so a
        response is never shown in more detail in one download than in the whole one. A filtered
        download (fewer responses than the consultation has) of fewer young people than the
        threshold lists nobody; otherwise it leaves out a response whose shown details hide an
        about-you answer that every response in the download shares (the filter, most likely,
        which would give the hidden answer away), and coarsens the rest further where they form
        a small group in this file.
        """
        everyone = Response.objects.filter(page=self.consultation)
        ids, records, times = self._details(everyone)
        whole = self._anonymise(records, times)
        position = {pk: i for i, pk in enumerate(ids)}
        wanted = [pk for pk in queryset.order_by().values_list("pk", flat=True) if pk in position]
        self.too_few = False
        if len(set(wanted)) == len(ids):
            self.shown = {pk: self._cells(whole, i) for i, pk in enumerate(ids)}
            return
        if len(wanted) < threshold():
            self.too_few = True
            self.shown = {}
            return
        chosen = sorted(position[pk] for pk in set(wanted))
        shared = [
            column
            for column in range(len(records[0]) if records else 0)
            if len({records[i][column] for i in chosen}) == 1
            and len({record[column] for record in records}) > 1
        ]
        chosen = [i for i in chosen if all(whole.column_shown(i, c) for c in shared)]
        narrow = self._anonymise(
            [records[i] for i in chosen],
            [times[i] for i in chosen],
            start=[whole.levels[i] for i in chosen],
            drop_order=whole.drop_order,
        )
        self.shown = {ids[i]: self._cells(narrow, n) for n, i in enumerate(chosen)}

    def _cells(self, result: KAnonymised, index: int) -> tuple[dict[int, object], object]:
        """The row's about-you cells by column, and its time, as ``result`` lets them show."""
        cells = {}
        for n, (group, values) in enumerate(zip(self.about_you, result.values[index], strict=True)):
            if not result.column_shown(index, n):
                values = (NOT_SHOWN,) * len(group)
            cells.update(zip(group, values, strict=True))
        return cells, result.dates[index]

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
        """The response's row, its about-you cells and time as :meth:`prepare` allows."""
        answers = {answer.question_id: answer for answer in response.answers.all()}
        batch = response.import_batch
        row = [
            response.reference,
            timezone.localtime(response.submitted_at).replace(tzinfo=None, microsecond=0),
            str(Source(response.source).label) if response.source in Source.values else "",
            f"{batch.pk}: {batch.filename}" if batch else "",
            response.age_band,
            response.area,
            *(answer_value(q, answers.get(q.pk), raw_text=self.raw_text) for q in self.questions),
        ]
        cells, when = self.shown[response.pk]
        for column, value in cells.items():
            row[column] = value
        row[SUBMITTED] = when
        return row

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
        if self.too_few:
            notes.append(
                _(
                    "Fewer than %(n)s young people match these filters, so no responses are "
                    "listed: with so few, someone could be picked out. Choose wider filters."
                )
                % {"n": threshold()}
            )
        else:
            notes.append(
                _(
                    "To protect small groups, about-you answers and times that fewer than "
                    "%(n)s young people in this file share are shown as “Not shown”, and a time "
                    "may show only its day or month. A filtered file may leave out responses "
                    "whose hidden answers the filter would give away."
                )
                % {"n": threshold()}
            )
        return notes

    def responses(self, queryset: QuerySet) -> Iterator[Response]:
        """Each response :meth:`prepare` lets the file list, with its answers, read from the
        database in chunks."""
        if self.shown is None:
            self.prepare(queryset)
        responses = (
            queryset.select_related("import_batch")
            .prefetch_related(Prefetch("answers", queryset=Answer.objects.order_by()))
            .iterator(chunk_size=CHUNK_SIZE)
        )
        return (response for response in responses if response.pk in self.shown)


class _Echo:
    def write(self, value):
        return value


def _csv_text(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return neutralise_formula(str(value)) if value is not None else ""


def csv_lines(table: ResponseTable, queryset: QuerySet) -> Iterator[str]:
    """The CSV file, line by line, for a StreamingHttpResponse.

    The file starts with a byte order mark, so that Excel reads it as UTF-8 rather than mangling
    "é" or "£". The first line says whether the words people wrote are redacted or raw, before
    the headings.
    """
    writer = csv.writer(_Echo())
    table.prepare(queryset)
    yield "\ufeff"
    yield writer.writerow([" ".join(table.notes()[1:])])
    yield writer.writerow([_csv_text(h) for h in table.headings()])
    for response in table.responses(queryset):
        yield writer.writerow([_csv_text(value) for value in table.row(response)])


def write_xlsx(table: ResponseTable, queryset: QuerySet, output: BytesIO) -> None:
    """The XLSX workbook: a "Responses" sheet and an "About this file" sheet with the notes."""

    table.prepare(queryset)
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

    for value in values:
        cell = WriteOnlyCell(sheet, value)
        if cell.data_type == "f":
            cell.data_type = "s"  # a value that looks like a formula stays text
        if isinstance(value, datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        yield cell
