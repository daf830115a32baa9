"""What young people thought of being asked, for the report and the Executive dashboard.

Counts of the answers to the "what was taking part like?" step (``TakingPartFeedback``), never
the words written in "Anything else" (only how many wrote something: the words are not coded
into themes, and they are kept apart from the answers).

Small numbers are hidden as everywhere else, with ``suppression.suppress``: each question's
answers are a one-way breakdown whose total is the number who answered it, so a count under the
threshold reads "fewer than 10", and enough others are hidden that it cannot be worked out by
subtraction. A share is shown only beside a count that is shown. The dashboard's "% yes" is the
same cell of the same table, so it is hidden exactly where the report hides the "Yes" count.

These answers are not linked to the responses, so they cannot be split by age band or area, and
a report's filters do not change them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from consultations.analysis.suppression import Cell, SuppressedTable, suppress
from consultations.models import (
    TAKING_PART_QUESTIONS,
    ConsultationPage,
    TakingPartAnswer,
    TakingPartFeedback,
    TakingPartQuestion,
)

from .selectors import threshold

#: How many consultations the dashboard shows, the latest to close (listed oldest first).
DASHBOARD_CONSULTATIONS = 8


@dataclass(frozen=True)
class AnswerRow:
    """One answer to one question: its count as a reader may see it, and its share (0 to 1) of
    those who answered the question, or None where either is hidden."""

    cell: Cell
    share: float | None


@dataclass(frozen=True)
class QuestionResult:
    question: TakingPartQuestion
    table: SuppressedTable
    rows: tuple[AnswerRow, ...]

    @property
    def answered(self) -> Cell:
        return self.table.total

    @property
    def yes(self) -> AnswerRow:
        return self.rows[self.question.options.index(TakingPartAnswer.YES)]


@dataclass(frozen=True)
class TakingPartResults:
    """A consultation's results. ``given`` is how many answered the step, as a reader may see
    it; ``commented`` how many wrote something in "Anything else"."""

    consultation: ConsultationPage
    given: Cell
    commented: Cell
    questions: tuple[QuestionResult, ...]

    @property
    def any(self) -> bool:
        return self.given.value != 0


def _count_cell(label: str, value: int) -> Cell:
    """One number on its own: hidden when 1 to threshold - 1."""
    return suppress([(label, value)], threshold=threshold()).cells[0]


def _question(question: TakingPartQuestion, counts: dict[str, int]) -> QuestionResult:
    table = suppress(
        [(str(option.label), counts.get(option.value, 0)) for option in question.options],
        threshold=threshold(),
    )
    total = table.total.value
    rows = tuple(
        AnswerRow(
            cell=cell,
            share=cell.value / total if total and cell.value is not None else None,
        )
        for cell in table
    )
    return QuestionResult(question=question, table=table, rows=rows)


def _annotations() -> dict:
    """One count per question and option, and of the rows with a comment: one query for all."""
    counts = {"given": Count("pk"), "commented": Count("pk", filter=Q(commented=True))}
    for question in TAKING_PART_QUESTIONS:
        for option in question.options:
            counts[f"{question.name}__{option.value}"] = Count(
                "pk", filter=Q(**{question.name: option.value})
            )
    return counts


def _results(consultation: ConsultationPage, row: dict) -> TakingPartResults:
    return TakingPartResults(
        consultation=consultation,
        given=_count_cell("Answered", row.get("given", 0)),
        commented=_count_cell("Wrote something more", row.get("commented", 0)),
        questions=tuple(
            _question(
                question,
                {
                    option.value: row.get(f"{question.name}__{option.value}", 0)
                    for option in question.options
                },
            )
            for question in TAKING_PART_QUESTIONS
        ),
    )


def taking_part_results(consultation: ConsultationPage) -> TakingPartResults:
    """The consultation's answers to the step, counted and suppressed, in one query."""
    row = TakingPartFeedback.objects.filter(consultation=consultation).aggregate(**_annotations())
    return _results(consultation, row)


def taking_part_over_time(*, limit: int = DASHBOARD_CONSULTATIONS) -> list[TakingPartResults]:
    """The latest ``limit`` consultations to close that have answers to the step, oldest
    first, each counted and suppressed as in its report. Two queries, however many."""
    rows = {
        row["consultation"]: row
        for row in TakingPartFeedback.objects.values("consultation").annotate(**_annotations())
    }
    latest = list(
        ConsultationPage.objects.filter(pk__in=rows).order_by("-closes_at", "-pk")[:limit]
    )
    return [_results(page, rows[page.pk]) for page in reversed(latest)]


__all__ = [
    "DASHBOARD_CONSULTATIONS",
    "AnswerRow",
    "QuestionResult",
    "TakingPartResults",
    "taking_part_over_time",
    "taking_part_results",
]
