"""Read paths for consultations, used by the site's pages, reports, dashboards and word clouds.

Word clouds never read the text of answers: the unfiltered figures come from the running totals
(``TermTotal``, one row per question and term); those filtered by one thing (an age band, an
area, a way of answering, or a range of days), or by two of age band, area and way of
answering, from the running totals of that slice (``TermSlice``); any other mix from the stored
counts of each answer (``AnswerTerm``), grouped by term in the database. All three give the same
figures. Held answers
are never included.

The share of a term is the answers using it divided by the answers counted under the same
filter (answers to the chosen question, or to any question when no question is chosen).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone
from wagtail.models import Page

from consultations.analysis.text import extend_stop_words
from consultations.analysis.word_clouds import TermRow
from consultations.models import (
    SLICE_PAIRS,
    AnalysisOptions,
    Answer,
    AnswerTerm,
    ConsultationPage,
    SliceDimension,
    TermSlice,
    TermTotal,
    pair_value,
)

__all__ = ["TermFilters", "consultations_open_now", "extra_stop_words_for", "top_terms"]


@dataclass(frozen=True)
class TermFilters:
    """Which answers a word cloud counts. Empty values mean "all"."""

    question: int | None = None
    age_band: str = ""
    area: str = ""
    source: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def narrows_responses(self) -> bool:
        return bool(self.age_band or self.area or self.source or self.date_from or self.date_to)

    def slice(self) -> tuple[SliceDimension, dict] | None:
        """The ``TermSlice`` dimension these filters narrow by and the lookups that choose its
        values: one filter's, or the pair's for two of age band, area and source; None when
        they narrow by nothing or by any other mix."""
        narrowing = [
            (dimension, lookups)
            for dimension, lookups in (
                (SliceDimension.AGE_BAND, {"value": self.age_band}),
                (SliceDimension.AREA, {"value": self.area}),
                (SliceDimension.SOURCE, {"value": self.source}),
                (
                    SliceDimension.DAY,
                    {
                        f"value__{op}": day.isoformat()
                        for op, day in (("gte", self.date_from), ("lte", self.date_to))
                        if day
                    },
                ),
            )
            if any(lookups.values())
        ]
        if len(narrowing) == 1:
            return narrowing[0]
        if len(narrowing) == 2 and not (self.date_from or self.date_to):
            # Two of age band, area and source: their pair's slice.
            chosen = {"age_band": self.age_band, "area": self.area, "source": self.source}
            for dimension, (first, second) in SLICE_PAIRS.items():
                if chosen[first] and chosen[second]:
                    value = pair_value(chosen[first], chosen[second])
                    return None if value is None else (dimension, {"value": value})
        return None

    def cache_key(self) -> str:
        return "|".join(f"{key}={value if value else ''}" for key, value in asdict(self).items())

    def as_kwargs(self) -> dict:
        return asdict(self)

    def narrow(self, queryset: QuerySet, *, to: str = "response__") -> QuerySet:
        """``queryset`` narrowed by these filters, for every reader of them alike.

        ``to`` is the path from the queryset's model to the response: ``"response__"`` for
        answers (the default), ``""`` for responses themselves. The question filter applies to
        answers only; a response query narrows by it separately (it answered that question).
        """
        if self.question and to:
            queryset = queryset.filter(question_id=self.question)
        if self.age_band:
            queryset = queryset.filter(**{f"{to}age_band": self.age_band})
        if self.area:
            queryset = queryset.filter(**{f"{to}area": self.area})
        if self.source:
            queryset = queryset.filter(**{f"{to}source": self.source})
        if self.date_from:
            queryset = queryset.filter(**{f"{to}submitted_at__date__gte": self.date_from})
        if self.date_to:
            queryset = queryset.filter(**{f"{to}submitted_at__date__lte": self.date_to})
        return queryset


def extra_stop_words_for(consultation) -> frozenset[str]:
    """The consultation's own words to leave out (its analysis options), normalised and folded."""
    try:
        text = consultation.analysis_options.extra_stop_words
    except AnalysisOptions.DoesNotExist:
        return frozenset()
    return extend_stop_words(text, base=frozenset())


def _answers(consultation, filters: TermFilters) -> QuerySet[Answer]:
    return filters.narrow(
        Answer.objects.filter(question__page=consultation, terms_counted=True, held=False)
    )


def top_terms(
    consultation,
    *,
    question=None,
    age_band: str = "",
    area: str = "",
    source: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    limit: int = 100,
    extra_stop_words=(),
    min_answers: int = 0,
) -> list[TermRow]:
    """The most used terms of a consultation's counted, released answers, most used first.

    ``question`` (a Question or its id) narrows to one question; ``age_band``, ``area``,
    ``source`` and the date range (inclusive, by day submitted) narrow the responses. Terms in
    ``extra_stop_words`` or the consultation's analysis options are left out. Ties are broken
    by answers using them, then alphabetically, so the order is the same every time.
    ``min_answers`` leaves out terms fewer answers than that used (for what the public sees: a
    word only one young person wrote may say who they are).
    """
    filters = TermFilters(
        question=getattr(question, "pk", question),
        age_band=age_band or "",
        area=area or "",
        source=source or "",
        date_from=date_from,
        date_to=date_to,
    )
    leave_out = extra_stop_words_for(consultation) | extend_stop_words(
        extra_stop_words, base=frozenset()
    )
    one_slice = filters.slice()
    counted: int | None = None
    if one_slice is not None:
        dimension, lookups = one_slice
        chosen = TermSlice.objects.filter(
            question__page=consultation, dimension=dimension, **lookups
        )
        if filters.question:
            chosen = chosen.filter(question_id=filters.question)
        counted = chosen.filter(term=TermSlice.ANSWERS).aggregate(n=Sum("answers"))["n"] or 0
        rows = (
            chosen.exclude(term=TermSlice.ANSWERS)
            .values("term")
            .annotate(total=Sum("count"), used=Sum("answers"))
        )
    elif filters.narrows_responses:
        rows = (
            AnswerTerm.objects.filter(answer__in=_answers(consultation, filters))
            .values("term")
            .annotate(total=Sum("count"), used=Count("answer_id"))
        )
    else:
        rows = TermTotal.objects.filter(question__page=consultation)
        if filters.question:
            rows = rows.filter(question_id=filters.question)
        rows = rows.values("term").annotate(total=Sum("count"), used=Sum("answers"))
    if leave_out:
        rows = rows.exclude(term__in=leave_out)
    if min_answers > 1:
        rows = rows.filter(used__gte=min_answers)
    rows = list(rows.order_by("-total", "-used", "term")[:limit])
    if counted is None:
        counted = _answers(consultation, filters).count() if rows else 0
    return [
        TermRow(
            term=row["term"],
            count=row["total"],
            answers=row["used"],
            share=row["used"] / counted if counted else 0.0,
        )
        for row in rows
    ]


def consultations_open_now(*, within: Page) -> list[ConsultationPage]:
    """Live consultations under ``within`` that are taking answers now, soonest closing first."""
    now = timezone.now()
    return list(
        ConsultationPage.objects.live()
        .public()
        .descendant_of(within)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .exclude(results_published_at__lte=now)
        .order_by("closes_at")
    )
