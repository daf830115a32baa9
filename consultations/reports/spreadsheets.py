"""A consultation's report as a spreadsheet (XLSX), and its coded answers as CSV.

The workbook has these sheets, built from the same ``Report`` as the page, under the same filters:

* **Summary**: the consultation, the filters in words, when it was made, the headline numbers,
  responses over time and who answered (age band, area, how they answered);
* **Themes**: each theme's young people, share, change since the earlier consultation and key
  phrases, then each theme by age band and by area;
* **Questions**: one table for every choice, rating and ranking question, a row per option
  (question, young people who answered, option, number, notes), so it can be filtered and
  sorted like any table; a single sheet rather than one per question, because sheet names are
  limited to 31 characters and questions are longer;
* **Answers**: the coded answers (see :func:`answer_rows`), going on in "Answers (2)" and so on
  past Excel's 1,048,576 rows a sheet;
* **Who is missing** (only when population figures are entered): each age band's and area's
  answers against the young people living there, as the page's "Compared with the young people
  who live here" (``representation``);
* **Taking part**: what young people thought of being asked (``taking_part``); kept apart from
  the answers, so the filters do not change it, as on the page.

Suppressed numbers are written as the words the page uses ("fewer than 10", "hidden"), never
the hidden number; other numbers are written as numbers. When the filters leave too few young
people (``Report.too_small``), the workbook and the CSV hold only the count and the sentence the
page shows. Every text cell that a spreadsheet would run as a formula gets a leading apostrophe
(``consultations.raw_downloads.neutralise_formula``).

The answers are released (never held for safeguarding review) and redacted: only
``Answer.redacted_text`` is read, and an answer whose redaction failed is left out.

Small groups in the answers (the Answers sheet and the CSV): a row's age band, area and date
would let a reader find the answers of a handful of young people, so they pass through
``suppression.k_anonymise`` first (:func:`shown_details`): every combination of age band, area
and date in the file is shared by at least ``YOUTHVOICE_SUPPRESSION_THRESHOLD`` young people, or
reads "Not shown" throughout. Both files start with a sentence saying so
(:func:`small_groups_note`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import islice
from typing import IO

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from consultations.analysis.suppression import SECONDARY, Cell, k_anonymise
from consultations.models import Answer, Response, Source
from consultations.raw_downloads import neutralise_formula
from consultations.selectors import TermFilters
from consultations.themes.models import Codebook
from consultations.themes.services.theme_coding import CodesByChunk

from .report import Report
from .representation import Representation
from .selectors import threshold
from .taking_part import taking_part_results

ANSWER_HEADINGS = (
    "Answer ID",
    "Question",
    "Answer (redacted)",
    "Themes",
    "Age band",
    "Area",
    "How they answered",
    "Date",
)
ANSWER_WIDTHS = (11, 40, 80, 36, 12, 18, 20, 12)
CHUNK_SIZE = 2_000


def too_small_sentence(headline=None) -> str:
    """The sentence the report page shows when the filters leave too few young people (or
    when, for ``headline.hidden == SECONDARY``, their number would give a smaller one away)."""
    if headline is not None and headline.hidden == SECONDARY:
        return (
            "The number of young people who match these filters is hidden, so nothing more is "
            "shown: with it, someone could work out how many are in a smaller group. Choose "
            "wider filters."
        )
    return (
        f"Fewer than {threshold()} young people match these filters, so nothing more is shown: "
        "with so few, someone could be picked out. Choose wider filters."
    )


def small_groups_note() -> str:
    """The sentence at the top of the Answers sheet and of answers.csv."""
    return (
        f"To protect small groups, an age band, area or date that fewer than {threshold()} young "
        "people in this file share is shown as “Not shown”, and a date may show only its month. "
        "A filtered file leaves out answers whose hidden details would show they match the "
        "filters."
    )


# The coded answers -----------------------------------------------------------------------------


def released_answers(consultation, filters: TermFilters) -> QuerySet[Answer]:
    """The consultation's released answers with redacted text, narrowed by the filters."""
    return filters.narrow(
        Answer.objects.filter(response__page=consultation, held=False).exclude(redacted_text="")
    )


def _details(responses: QuerySet[Response]) -> dict[int, tuple[str, str, date]]:
    """Each response's age band, area and day, by id."""
    return {
        pk: (age_band, area, timezone.localtime(submitted).date())
        for pk, age_band, area, submitted in responses.order_by("pk")
        .values_list("pk", "age_band", "area", "submitted_at")
        .iterator(chunk_size=CHUNK_SIZE)
    }


def _anonymise(details: dict[int, tuple[str, str, date]], **options):
    ids = list(details)
    return ids, k_anonymise(
        [details[pk][:2] for pk in ids],
        dates=[details[pk][2] for pk in ids],
        threshold=threshold(),
        **options,
    )


def _date_proves(shown, filters: TermFilters) -> bool:
    """Whether a date as the file shows it (a day, a month "2026-03", or "Not shown") proves on
    its own that the answer falls within the filters' dates."""
    if not (filters.date_from or filters.date_to):
        return True
    if isinstance(shown, date):
        return True  # the database chose it by this very day
    if not (isinstance(shown, str) and len(shown) == 7 and shown[4] == "-"):
        return False
    first = date(int(shown[:4]), int(shown[5:]), 1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return (filters.date_from or first) <= first and last <= (filters.date_to or last)


def shown_details(consultation, filters: TermFilters) -> dict[int, tuple]:
    """The age band, area and date each response's answers may show in the answers file under
    ``filters``, by response id; a response missing from it is left out of the file.

    First the whole consultation's answers file is made k-anonymous
    (``suppression.k_anonymise``): every combination of age band, area and day shared by fewer
    than the threshold of young people is coarsened (the day to its month, then hidden; then the
    rarer of age band and area, then both). A filtered file starts from those rows, so that it
    never shows a row in more detail than the whole file does (files side by side give nothing
    away), and leaves out a row whose shown details do not prove it matches the filters (an age
    band "Not shown" in a file filtered to one age band would be given away by the filter).
    Then the rows left are coarsened further where, in this file, they form a small group.
    """
    with_answers = Response.objects.filter(page=consultation).filter(
        Exists(released_answers(consultation, TermFilters()).filter(response=OuterRef("pk")))
    )
    everyone = _details(with_answers)
    ids, whole = _anonymise(everyone)
    if filters == TermFilters():
        return {pk: whole.shown(i) for i, pk in enumerate(ids)}
    position = {pk: i for i, pk in enumerate(ids)}
    in_file = set(
        released_answers(consultation, filters).values_list("response_id", flat=True).distinct()
    )
    kept = {}
    for pk in sorted(in_file):
        i = position.get(pk)
        if i is None:
            continue
        if filters.age_band and not whole.column_shown(i, 0):
            continue
        if filters.area and not whole.column_shown(i, 1):
            continue
        if not _date_proves(whole.dates[i], filters):
            continue
        kept[pk] = everyone[pk]
    kept_ids, narrow = _anonymise(
        kept,
        start=[whole.levels[position[pk]] for pk in kept],
        drop_order=whole.drop_order,
    )
    return {pk: narrow.shown(i) for i, pk in enumerate(kept_ids)}


def answer_rows(consultation, filters: TermFilters) -> Iterator[list]:
    """One row per released, redacted answer, in ``ANSWER_HEADINGS`` order, read in chunks.

    Themes are those that won for the answer (a person's coding, else the current run's, as
    ``theme_coding.effective_codes`` has them, read a chunk of answers at a time), in the
    codebook's order, joined with "; "; blank where the answer is not coded yet or the
    consultation has no codebook. Age band, area and date are as :func:`shown_details` allows,
    and answers it leaves out are not written.
    """
    codebook = Codebook.objects.filter(consultation=consultation).first()
    names: dict[int, str] = {}
    codes = None
    if codebook is not None:
        names = dict(codebook.themes.order_by("sort_order", "pk").values_list("pk", "name"))
        codes = CodesByChunk(codebook)
    order = {pk: n for n, pk in enumerate(names)}
    sources = {value: str(label) for value, label in Source.choices}
    shown = shown_details(consultation, filters)
    rows = (
        released_answers(consultation, filters)
        .order_by("pk")
        .values_list("pk", "question__text", "redacted_text", "response_id", "response__source")
    )
    answers = rows.iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(answers, CHUNK_SIZE)):
        coded = codes.themes([row[0] for row in chunk]) if codes is not None else {}
        yield from _answer_rows(chunk, coded, shown, names, order, sources)


def _answer_rows(chunk, coded, shown, names, order, sources) -> Iterator[list]:
    for pk, question, text, response_id, source in chunk:
        if response_id not in shown:
            continue
        age_band, area, day = shown[response_id]
        themes = sorted((t for t in coded.get(pk, ()) if t in names), key=order.get)
        yield [
            pk,
            question,
            text,
            "; ".join(names[t] for t in themes),
            age_band,
            area,
            sources.get(source, source),
            day,
        ]


class _Echo:
    def write(self, value):
        return value


def _csv_text(value) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return neutralise_formula(str(value)) if value is not None else ""


def answers_csv_lines(consultation, filters: TermFilters, *, headline) -> Iterator[str]:
    """The coded answers as CSV, line by line (for a StreamingHttpResponse); ``headline`` is
    the report's (``selectors.headline``), which says whether the group is too small.

    UTF-8 with a byte order mark, so Excel reads "é" and "£" correctly.
    """
    writer = csv.writer(_Echo())
    yield "\ufeff"
    if headline.too_small:
        yield writer.writerow(["Young people matching these filters", headline.shown])
        yield writer.writerow([too_small_sentence(headline)])
        return
    yield writer.writerow([small_groups_note()])
    yield writer.writerow(ANSWER_HEADINGS)
    for row in answer_rows(consultation, filters):
        yield writer.writerow([_csv_text(value) for value in row])


# The workbook ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Formatted:
    """A number written with a number format, such as a share as "34%"."""

    value: float | int | None
    number_format: str


PERCENT = "0%"
BOLD = Font(bold=True)


class _Sheet:
    """A write-only sheet with bold, frozen headings and set column widths."""

    def __init__(self, workbook, title: str, widths: Iterable[int], *, freeze: str = "A2"):
        self.sheet = workbook.create_sheet(title=title)
        for index, width in enumerate(widths, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = width
        self.sheet.freeze_panes = freeze

    def row(self, *values, bold: bool = False) -> None:
        self.sheet.append([self._cell(value, bold=bold) for value in values])

    def heading(self, *values) -> None:
        self.row(*values, bold=True)

    def blank(self) -> None:
        self.sheet.append([])

    def _cell(self, value, *, bold: bool):
        number_format = None
        if isinstance(value, Cell):
            value = value.display if value.suppressed else value.value
        elif isinstance(value, Formatted):
            value, number_format = value.value, value.number_format
        elif isinstance(value, datetime):
            value = timezone.localtime(value).replace(tzinfo=None, microsecond=0)
            number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            number_format = "yyyy-mm-dd"
        if isinstance(value, str):
            value = neutralise_formula(value)
        if not (bold or number_format):
            # A plain value is written as it is (far quicker than a cell object for 100,000
            # answers); no text starts with "=" any more, so none is taken for a formula.
            return value
        cell = WriteOnlyCell(self.sheet, value)
        if cell.data_type == "f":
            cell.data_type = "s"  # never a formula, whatever it looks like
        if number_format:
            cell.number_format = number_format
        if bold:
            cell.font = BOLD
        return cell


def write_report_xlsx(report: Report, output: IO[bytes], *, produced_at=None) -> None:
    """Write the report's workbook (see the module docstring) to ``output``."""
    workbook = Workbook(write_only=True)
    _summary(workbook, report, produced_at or timezone.now())
    if not report.too_small:
        _themes(workbook, report)
        _questions(workbook, report)
        _answers(workbook, report)
        if report.representation is not None:
            _representation(workbook, report.representation)
        _taking_part(workbook, report)
    workbook.save(output)


def _summary(workbook, report: Report, produced_at) -> None:
    sheet = _Sheet(workbook, "Summary", (44, 18, 18, 18))
    sheet.heading("Report", report.consultation.title)
    sheet.row("Filters", "; ".join(report.filter_words) or "None: everyone who answered")
    sheet.row("Produced", produced_at)
    sheet.blank()
    head = report.headline
    sheet.heading("In numbers", "Number")
    sheet.row("Young people who answered", head.shown if head.hidden else head.responses)
    if report.too_small:
        sheet.blank()
        sheet.row(too_small_sentence(head))
        return
    sheet.row("Written answers in the word cloud and themes", head.written_answers)
    sheet.row("First answer", head.first)
    sheet.row("Last answer", head.last)
    sheet.blank()
    if report.over_time is not None:
        sheet.heading("Responses over time: day, week or month", "Responses")
        if report.over_time.table is not None:
            for cell in report.over_time.table:
                sheet.row(cell.label, cell)
            sheet.row("Total", report.over_time.table.total)
        sheet.blank()
    sheet.row(
        f"Who answered: groups of fewer than {threshold()} young people are hidden, and so is "
        "any number that would let someone work a hidden one out."
    )
    for series in report.who:
        sheet.heading(series.title, "Young people")
        for cell in series.table:
            sheet.row(cell.label, cell)
        sheet.row("Total", series.table.total)
        sheet.blank()


def _themes(workbook, report: Report) -> None:
    sheet = _Sheet(workbook, "Themes", (36, 14, 14, 16, 60))
    summary = report.themes
    if summary is None:
        sheet.row("The answers have not been coded into themes yet.")
        return
    sheet.heading(
        "Theme",
        "Young people",
        "Share of those who answered",
        "Change since the earlier consultation (percentage points)",
        "Key phrases",
    )
    for theme in summary.themes:
        sheet.row(
            theme.theme,
            theme.respondents,
            Formatted(theme.share, PERCENT),
            Formatted(round(theme.change, 1), "0.0") if theme.change is not None else "",
            "; ".join(theme.key_phrases),
        )
    sheet.blank()
    sheet.row(summary.headline)
    for title, attribute in (("By age band", "by_age_band"), ("By area", "by_area")):
        if not summary.themes:
            break
        sheet.blank()
        first = getattr(summary.themes[0], attribute)
        sheet.heading(f"{title}: theme", *(cell.label for cell in first), "Total")
        for theme in summary.themes:
            table = getattr(theme, attribute)
            sheet.row(theme.theme, *table.cells, table.total)


def _questions(workbook, report: Report) -> None:
    sheet = _Sheet(workbook, "Questions", (50, 14, 36, 12, 50))
    sheet.heading("Question", "Young people who answered", "Answer", "Number", "Notes")
    for result in report.questions:
        series = result.series
        notes = " ".join([result.summary, *series.notes]).strip()
        cells = list(series.table) if series.table is not None else series.rows
        # An about-you question counts everyone, "Not given" included: its total, not the
        # number who answered (which would give that cell away).
        answered = result.answered if result.answered is not None else series.table.total
        for index, item in enumerate(cells):
            label, value = (item.label, item) if isinstance(item, Cell) else item
            sheet.row(
                result.question.text,
                answered,
                label,
                value,
                notes if index == 0 else "",
            )
        if series.table is not None:
            sheet.row(result.question.text, answered, "Total", series.table.total, "")


#: The most rows a sheet may have: Excel opens no more (1,048,576).
MAX_SHEET_ROWS = 1_048_576


def _answers(workbook, report: Report) -> None:
    """Every answer, each sheet under the small-groups note and the headings; past Excel's rows
    a sheet, the answers go on in "Answers (2)", "Answers (3)" and so on."""
    sheets = 0
    room = 0
    for row in answer_rows(report.consultation, report.filters):
        if not room:
            sheets += 1
            sheet = _answers_sheet(workbook, "Answers" if sheets == 1 else f"Answers ({sheets})")
            room = MAX_SHEET_ROWS - 2
        sheet.row(*row)
        room -= 1
    if not sheets:
        _answers_sheet(workbook, "Answers")


def _answers_sheet(workbook, title: str) -> _Sheet:
    sheet = _Sheet(workbook, title, ANSWER_WIDTHS, freeze="A3")
    sheet.row(small_groups_note())
    sheet.heading(*ANSWER_HEADINGS)
    return sheet


def _share(value: float | None, hidden: bool) -> str | Formatted:
    if hidden:
        return "hidden"
    return "–" if value is None else Formatted(value, PERCENT)


def _representation(workbook, rep: Representation) -> None:
    sheet = _Sheet(workbook, "Who is missing", (30, 12, 16, 16, 14, 14, 10, 20))
    sheet.row(f"Population figures: {rep.source} ({rep.year}).")
    sheet.row(
        "Each group's share of the answers is set against its share of the young people who "
        "live here. A ratio under 0.5 means fewer than half as many answers as the group's size "
        "would give: under-represented."
    )
    headings = (
        "Young people living here",
        "Answers per 1,000 young people",
        "Share of answers",
        "Share of young people",
        "Ratio",
        "Note",
    )
    notes = {"under-represented": "Under-represented", "no responses": "No answers"}
    for comparison in rep.comparisons:
        hidden = comparison.shares_hidden
        sheet.blank()
        sheet.heading(comparison.title, "Answers", *headings)
        for group in comparison.groups:
            shown = not (group.count.suppressed or hidden)
            sheet.row(
                group.label,
                group.count,
                group.population,
                "hidden" if group.rate is None else round(group.rate, 1),
                _share(group.response_share, not shown),
                Formatted(group.population_share, PERCENT),
                "hidden" if not shown else ("–" if group.ratio is None else round(group.ratio, 2)),
                notes.get(group.flag, ""),
            )
        sheet.row(
            "All compared",
            comparison.compared,
            comparison.population,
            "hidden" if comparison.rate is None else round(comparison.rate, 1),
            "hidden" if hidden else Formatted(1, PERCENT),
            Formatted(1, PERCENT),
        )
        if comparison.left_out:
            sheet.row(
                "Left out of the shares: "
                + ", ".join(f"{item.label} ({item.display})" for item in comparison.left_out)
            )
    if rep.unused:
        sheet.blank()
        sheet.row("Population figures matching no age band or area: " + "; ".join(rep.unused))


def _taking_part(workbook, report: Report) -> None:
    results = taking_part_results(report.consultation)
    sheet = _Sheet(workbook, "Taking part", (60, 14, 12))
    sheet.row(
        "After sending their answers, young people could answer three short questions about "
        "taking part, or skip them. These answers are kept apart from the answers to the "
        "consultation, so the report's filters do not change them."
    )
    if not results.any:
        sheet.row("No young person has answered these questions yet.")
        return
    sheet.heading("Young people who answered these questions", "Number")
    sheet.row("Answered", results.given)
    if results.given.suppressed:
        sheet.row("Too few to show their answers.")
        return
    sheet.row("Wrote something more (their words are not in this workbook)", results.commented)
    for result in results.questions:
        sheet.blank()
        sheet.heading(str(result.question.text), "Young people", "Share")
        for row in result.rows:
            sheet.row(row.cell.label, row.cell, _share(row.share, row.share is None))
        sheet.row("Answered this question", result.answered)
