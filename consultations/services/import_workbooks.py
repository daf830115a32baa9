"""The spreadsheets an import hands a facilitator: a template to type paper answers into, and
the rows that could not be imported, with their problems, to fix and upload again.

Both are built with openpyxl and read back by the importer (``consultations.services.imports``)
as they went out.
"""

import io
from collections.abc import Mapping

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from consultations.models import ConsultationPage, Question, QuestionKind
from consultations.models.questions import RATING_FACES

from .import_files import ParsedFile, max_rows

#: The kinds of question whose options a column's values are compared with. Not ratings: any
#: column of small numbers would look like one.
OPTION_KINDS = (
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
    QuestionKind.RANKING,
    QuestionKind.ABOUT_YOU,
)


#: The heading of the template's date column (read back as the date the answers were given).
TEMPLATE_DATE_HEADING = "Date answered"


def _how_to_answer(question: Question) -> str:
    kind = question.kind
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        return _("Type their words as they wrote them.")
    if kind == QuestionKind.RATING:
        return _("A number from 1 to 5, or the words beside it.")
    if kind == QuestionKind.MULTIPLE_CHOICE:
        text = _("Any of the options, separated by “;”.")
    elif kind == QuestionKind.RANKING:
        text = _("Up to %(n)s options, most important first, separated by “;”.") % {
            "n": question.max_ranked
        }
    else:
        text = _("One of the options.")
    if question.allow_other and kind not in (QuestionKind.ABOUT_YOU, QuestionKind.RANKING):
        text += " " + _("Anything else is kept as “Other” (“Other: …” works too).")
    return text


def answer_template(
    *, consultation: ConsultationPage, questions: list[Question] | None = None
) -> bytes:
    """An Excel workbook to type a consultation's paper answers into, as bytes.

    The first sheet, "Answers", has one column per question headed with its wording, in order,
    then "Date answered"; one row per person. The "Guide" sheet lists each question with how to
    write its answer and its options, one to a cell; choose-one columns offer those options in
    a drop-down list that still lets other words be typed. "About you" options are the
    consultation's own (its age bands, when it has some), as its form offers them. The importer
    reads the first sheet only, so the file comes back as it went out, with answers in it.
    """
    questions = questions if questions is not None else list(consultation.ordered_questions())
    about_you = consultation.about_you_options()
    workbook = Workbook()
    answers = workbook.active
    answers.title = _("Answers")
    guide = workbook.create_sheet(_("Guide"))
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")

    answers.append([question.text for question in questions] + [TEMPLATE_DATE_HEADING])
    answers.freeze_panes = "A2"
    guide.append(
        [_("Column"), _("Question"), _("How to write the answer"), _("Options, one to a cell")]
    )
    for number, question in enumerate(questions, start=1):
        letter = get_column_letter(number)
        if question.kind == QuestionKind.RATING:
            options = [f"{n} – {face}" for n, face in RATING_FACES.items()]
        elif question.kind in OPTION_KINDS:
            options = question.choice_options(about_you)
        else:
            options = []
        guide.append([letter, question.text, _how_to_answer(question), *options])
        answers.column_dimensions[letter].width = 30
        if options and question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.ABOUT_YOU):
            first = get_column_letter(4)
            last = get_column_letter(3 + len(options))
            row = number + 1
            sheet = _("Guide")
            choice = DataValidation(
                type="list",
                formula1=f"'{sheet}'!${first}${row}:${last}${row}",
                allow_blank=True,
                showErrorMessage=False,  # "Other" words may be typed too
            )
            answers.add_data_validation(choice)
            choice.add(f"{letter}2:{letter}{max_rows() + 1}")
    date_letter = get_column_letter(len(questions) + 1)
    answers.column_dimensions[date_letter].width = 18
    guide.append(
        [
            date_letter,
            TEMPLATE_DATE_HEADING,
            _("The day the answers were given, as day/month/year (31/01/2026). Optional."),
        ]
    )
    for cell in [*answers[1], *guide[1]]:
        cell.font = bold
        cell.alignment = wrapped
    for column, width in (("A", 8), ("B", 45), ("C", 45)):
        guide.column_dimensions[column].width = width
    for row in guide.iter_rows(min_row=2, max_col=3):
        for cell in row:
            cell.alignment = wrapped
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


#: The heading of the column of problems in the file of rows to fix; the guess leaves it out
#: when the fixed file comes back (``column_matching.TOOL_METADATA_HEADINGS``).
PROBLEMS_HEADING = "Problems to fix"


def rows_to_fix_xlsx(*, parsed: ParsedFile, bad_rows: Mapping[int, list[str]]) -> bytes:
    """The rows that cannot be imported, as written, with their problems: an Excel file.

    The file has the uploaded file's headings and a last column, "Problems to fix"; once fixed,
    it can be uploaded as it is (that column is left out). Every cell is text, so nothing a
    young person wrote ("=…") runs as a formula, and nothing is changed to make it so.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Rows to fix"))

    def cells(values):
        for value in values:
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            yield cell

    sheet.append(cells([*parsed.headings, PROBLEMS_HEADING]))
    for number, row in parsed.rows:
        if number in bad_rows:
            sheet.append(cells([*row, " ".join(bad_rows[number])]))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
