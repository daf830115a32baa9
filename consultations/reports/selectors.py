"""What a report shows, computed from the database: headline numbers, responses over time, who
answered, and the results of every choice, rating and ranking question.

Every function takes the same ``TermFilters``, so one set of filters narrows every panel. Only
counts leave this module, never an answer's words (those come through the word cloud and the
themed summary, which read redacted, released text). "Other – tell us" words stored among the
choices are counted as "Other", never shown.

Small groups: every breakdown of young people (who answered, school year, gender, responses over
time) goes through ``suppression.suppress``. A filtered group's own number (``headline``) is
hidden when it is under the threshold, and also when the report one filter wider shows it as
hidden in its "Who answered" table: otherwise filtering to each age band in turn would give back
the numbers that table hides (see :func:`group_hidden`).
"""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from html import escape

from django.conf import settings
from django.db.models import Case, Count, Exists, Max, Min, OuterRef, QuerySet, Value, When
from django.db.models.functions import TruncDate

from consultations.analysis.charts import BAR_COLOUR, FONT, column_chart_svg, describe
from consultations.analysis.suppression import SECONDARY, SMALL, SuppressedTable, suppress
from consultations.models import (
    AboutYou,
    Answer,
    ConsultationPage,
    Question,
    QuestionKind,
    Response,
    Source,
)
from consultations.models.questions import RATING_FACES, TEXT_KINDS
from consultations.selectors import TermFilters

NOT_GIVEN = "Not given"
OTHER = "Other"


def threshold() -> int:
    return getattr(settings, "YOUTHVOICE_SUPPRESSION_THRESHOLD", 10)


def responses_for(consultation: ConsultationPage, filters: TermFilters) -> QuerySet[Response]:
    """The consultation's responses that match the filters (a question: those that answered it)."""
    responses = filters.narrow(Response.objects.filter(page=consultation), to="")
    if filters.question:
        responses = responses.filter(
            Exists(Answer.objects.filter(response=OuterRef("pk"), question_id=filters.question))
        )
    return responses


@dataclass(frozen=True)
class Headline:
    """The group's numbers. ``responses`` is exact, for code; pages and files show ``shown``,
    which is "fewer than 10" or "hidden" when ``hidden`` says the number must not be seen."""

    responses: int
    first: date | None
    last: date | None
    written_answers: int
    too_small: bool
    hidden: str | None = None  # SMALL or SECONDARY: why the number is not shown
    threshold: int = 10

    @property
    def shown(self) -> str:
        if self.hidden == SECONDARY:
            return "hidden"
        if self.hidden:
            return f"fewer than {self.threshold}"
        return f"{self.responses:,}"


#: The filters that are also "Who answered" breakdowns, whose hidden cells a filter must not
#: give back.
BREAKDOWN_FILTERS = ("age_band", "area", "source")


def group_hidden(consultation, filters: TermFilters, _memo: dict | None = None) -> str | None:
    """Why the number of young people matching ``filters`` must not be shown, or None.

    ``SMALL``: 1 to threshold - 1 of them (or a zero that would say where a small group is
    not). ``SECONDARY``: the report one filter wider (the same filters without the age band,
    say) hides this group's cell in its "Who answered" table (so that a small cell beside it
    cannot be worked out by subtraction), or is itself hidden. Checked for each of
    ``BREAKDOWN_FILTERS`` that is set, all the way up to the unfiltered report. Differences
    between overlapping date ranges are not covered: see docs/reports.md.
    """
    memo = {} if _memo is None else _memo
    key = filters.cache_key()
    if key in memo:
        return memo[key]
    n = responses_for(consultation, filters).count()
    reason = SMALL if 0 < n < threshold() else None
    for name in BREAKDOWN_FILTERS:
        value = getattr(filters, name)
        if not value or reason:
            continue
        wider = replace(filters, **{name: ""})
        if group_hidden(consultation, wider, memo) is not None:
            reason = SMALL if n < threshold() else SECONDARY
            break
        table = _who_table(
            responses_for(consultation, wider), name, key=name, consultation=consultation
        ).table
        label = str(Source(value).label) if name == "source" else value
        cell = next((c for c in table if c.label == label), None)
        if cell is not None and cell.suppressed:
            reason = SMALL if n < threshold() else SECONDARY
    memo[key] = reason
    return reason


def headline(consultation, filters: TermFilters) -> Headline:
    """The group's size, dates and written answers. A filtered group under the threshold, or
    whose number would give a hidden one away (:func:`group_hidden`), is ``too_small``: the
    report shows nothing else, and not the number either. The unfiltered number is always shown:
    everyone who took part picks no one out."""
    responses = responses_for(consultation, filters)
    figures = responses.aggregate(
        n=Count("pk"), first=Min("submitted_at"), last=Max("submitted_at")
    )
    written = filters.narrow(
        Answer.objects.filter(
            question__page=consultation, held=False, question__kind__in=TEXT_KINDS
        ).exclude(redacted_text="")
    )
    n = figures["n"]
    filtered = filters != TermFilters()
    reason = group_hidden(consultation, filters) if filtered else None
    if filtered and reason is None and 0 < n < threshold():
        reason = SMALL
    return Headline(
        responses=n,
        first=figures["first"].date() if figures["first"] else None,
        last=figures["last"].date() if figures["last"] else None,
        written_answers=written.count() if n else 0,
        too_small=n < threshold() or reason is not None,
        hidden=reason,
        threshold=threshold(),
    )


@dataclass(frozen=True)
class Series:
    """Counts with their chart, for a page, a PDF and a spreadsheet alike."""

    title: str
    rows: list[tuple[str, int | None]]
    chart_svg: str
    description: str
    table: SuppressedTable | None = None
    notes: list[str] = field(default_factory=list)


#: The bar chart's label column: at most this wide (of its 640), about this many pixels a
#: character (DejaVu Sans at 14px averages 7 to 8; capitals 8.6), and this far between lines.
LABEL_WIDTH = 260
CHAR_WIDTH = 8.2
LINE_HEIGHT = 17


def _number(value) -> str:
    if value is None:
        return "hidden"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def _label_lines(label: str, width: int) -> list[str]:
    """``label`` in lines of at most ``width`` characters, split between words where it can."""
    return textwrap.wrap(label, width=max(width, 4), break_on_hyphens=False) or [""]


def bar_chart_svg(
    items,
    *,
    title: str,
    description: str | None = None,
    id_prefix: str = "chart",
    width: int = 640,
    bar_height: int = 22,
    gap: int = 8,
) -> str:
    """Labelled horizontal bars, like ``analysis.charts.horizontal_bar_chart_svg`` but with long
    labels wrapped onto as many lines as they need (that one cuts them off at the chart's left
    edge: "l it hard and do not get enough help"). Each row is as tall as its label; the label
    column is as wide as the longest line needs, up to ``LABEL_WIDTH``.

    Kept here because only the report draws answer options this long; it belongs beside the
    other charts in ``analysis/charts.py`` when that module is next changed.
    """
    items = list(items)
    description = description if description is not None else describe(items)
    per_line = int((LABEL_WIDTH - 16) / CHAR_WIDTH)
    lines = [_label_lines(label, per_line) for label, _ in items]
    longest = max((len(line) for label in lines for line in label), default=4)
    label_width = min(LABEL_WIDTH, 16 + round(CHAR_WIDTH * longest))
    numbers = [_number(value) for _, value in items]
    number_width = 16 + 9 * max((len(n) for n in numbers), default=1)
    bar_space = max(width - label_width - number_width, 40)
    largest = max((value or 0 for _, value in items), default=0) or 1
    rows = [max(bar_height, len(label) * LINE_HEIGHT + 4) for label in lines]
    top = 8
    height = top + sum(row + gap for row in rows) + gap if items else top + bar_height + 2 * gap
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    font = f'font-family="{FONT}" font-size="14" fill="#0b0c0c"'
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{title_id} {desc_id}" class="chart">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]
    if not items:
        parts.append(
            f'<text x="8" y="{top + bar_height / 2}" dominant-baseline="central" {font}>'
            "Nothing to show yet</text>"
        )
    y = top
    for (_, value), label, number, row in zip(items, lines, numbers, rows, strict=True):
        middle = y + row / 2
        first = middle - (len(label) - 1) * LINE_HEIGHT / 2
        length = 0 if not value else max(round(bar_space * value / largest), 2)
        bar_y = middle - bar_height / 2
        spans = "".join(
            f'<tspan x="{label_width - 8}" y="{first + i * LINE_HEIGHT:g}">{escape(line)}</tspan>'
            for i, line in enumerate(label)
        )
        parts.append("<g>")
        parts.append(f'<text text-anchor="end" dominant-baseline="central" {font}>{spans}</text>')
        if length:
            parts.append(
                f'<rect x="{label_width}" y="{bar_y:g}" width="{length}" height="{bar_height}" '
                f'fill="{BAR_COLOUR}"/>'
            )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{middle:g}" dominant-baseline="central" '
            f"{font}>{escape(number)}</text>"
        )
        parts.append("</g>")
        y += row + gap
    parts.append("</svg>")
    return "\n".join(parts)


def _series(title, rows, *, what, id_prefix, lead="", chart=bar_chart_svg, **extra):
    """A :class:`Series` of ``rows``: its description ("``lead``" then the rows in words, counted
    as ``what``) and its chart (``chart``, drawn with that description) always agree."""
    description = (lead + " " + describe(rows, what=what)).strip()
    return Series(
        title=title,
        rows=rows,
        description=description,
        chart_svg=chart(rows, title=title, description=description, id_prefix=id_prefix),
        **extra,
    )


PERIOD_LABELS = {"day": "{:%-d %b}", "week": "w/c {:%-d %b}", "month": "{:%b %Y}"}


def _period_of(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _next_period(start: date, period: str) -> date:
    if period == "month":
        return (start + timedelta(days=32)).replace(day=1)
    return start + timedelta(days=7 if period == "week" else 1)


def _periods(per_day: dict[date, int], period: str) -> list[tuple[str, int]]:
    """``per_day`` added up by ``period`` ("day", "week" from Monday, "month"), gaps as zero."""
    totals: Counter[date] = Counter()
    for day, n in per_day.items():
        totals[_period_of(day, period)] += n
    rows = []
    at, end = _period_of(min(per_day), period), max(per_day)
    while at <= end:
        rows.append((PERIOD_LABELS[period].format(at), totals.get(at, 0)))
        at = _next_period(at, period)
    return rows


def over_time(consultation, filters: TermFilters) -> Series:
    """Responses per day (spans up to 31 days), else per week, else per month: the finest of
    these in which no period has 1 to threshold - 1 responses. Then suppressed like any
    breakdown, so a day, week or month with a small group is hidden, and enough others with it
    that the total cannot give it away."""
    per_day = dict(
        responses_for(consultation, filters)
        .annotate(day=TruncDate("submitted_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    rows: list[tuple[str, int | None]] = []
    table = None
    if per_day:
        span = (max(per_day) - min(per_day)).days
        for period in ("day", "week", "month") if span <= 31 else ("week", "month"):
            counts = _periods(per_day, period)
            if not any(0 < n < threshold() for _, n in counts):
                break
        table = suppress(counts, threshold=threshold())
        rows = [(cell.label, cell.value) for cell in table]
    return _series(
        "Responses over time",
        rows,
        what="responses",
        id_prefix="over-time",
        chart=column_chart_svg,
        table=table,
    )


def _ordered(counts: Counter, options: list[str]) -> list[tuple[str, int]]:
    rows = [(option, counts.get(option, 0)) for option in options]
    rows += sorted((label, n) for label, n in counts.items() if label not in options)
    return rows


def breakdown(title: str, counts: Counter, options: list[str], *, total: int, key: str) -> Series:
    table = suppress(_ordered(counts, options), threshold=threshold(), total=total)
    rows = [(cell.label, cell.value) for cell in table]
    return _series(title, rows, what="responses", id_prefix=f"who-{key}", table=table)


WHO_TITLES = {"age_band": "Age band", "area": "Area", "source": "How they answered"}


def _who_table(
    responses: QuerySet[Response], name: str, *, key: str, consultation: ConsultationPage
) -> Series:
    """``responses`` by ``name`` (age band, area or source), suppressed, "Not given" included.

    The rows are the consultation's own options (its age bands when it has some), each shown
    even with no answers, then any other wording answers were given in.
    """
    if name == "source":
        options = [str(label) for _, label in Source.choices]
    else:
        about = AboutYou.AGE_BAND if name == "age_band" else AboutYou.AREA
        options = consultation.about_you_options().options_for(about)
    counts: Counter = Counter()
    for value, n in responses.values_list(name).annotate(n=Count("pk")).values_list(name, "n"):
        label = Source(value).label if name == "source" and value else (value or NOT_GIVEN)
        counts[str(label)] += n
    total = sum(counts.values())
    return breakdown(WHO_TITLES[name], counts, [*options, NOT_GIVEN], total=total, key=key)


def who_answered(consultation, filters: TermFilters) -> list[Series]:
    """Responses by age band, area and how they answered, each suppressed."""
    responses = responses_for(consultation, filters)
    return [_who_table(responses, name, key=name, consultation=consultation) for name in WHO_TITLES]


@dataclass(frozen=True)
class QuestionResult:
    """One question's results. ``answered`` is None for an about-you question: its table counts
    everyone ("Not given" included), and the number who answered would give that cell away."""

    question: Question
    answered: int | None
    series: Series
    summary: str = ""


@dataclass(frozen=True)
class Scope:
    """Whose answers a question's results count: a consultation under filters."""

    consultation: ConsultationPage
    filters: TermFilters


def _answers(question: Question, scope: Scope):
    """The question's released answers from the filtered responses, joined rather than read
    through a list of response ids (which PostgreSQL plans badly at 100,000 responses)."""
    filters = scope.filters
    # The question is the consultation's own: no need to join its responses unless filtered.
    answers = replace(filters, question=None).narrow(
        Answer.objects.filter(question=question, held=False)
    )
    if filters.question:  # from people who answered the chosen question
        answers = answers.filter(
            Exists(
                Answer.objects.filter(
                    response_id=OuterRef("response_id"), question_id=filters.question
                )
            )
        )
    return answers


def question_results(consultation, filters: TermFilters) -> list[QuestionResult]:
    """Every choice, rating and ranking question, counted over the filtered responses."""
    scope = Scope(consultation, filters)
    about_you = consultation.about_you_options()
    results = []
    for question in consultation.ordered_questions():
        if question.kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            results.append(_choices(question, scope, about_you))
        elif question.kind == QuestionKind.ABOUT_YOU and question.about in (
            AboutYou.SCHOOL_YEAR,
            AboutYou.GENDER,
        ):
            results.append(_about_you(question, scope, about_you))
        elif question.kind == QuestionKind.RATING:
            results.append(_rating(question, scope))
        elif question.kind == QuestionKind.RANKING:
            results.append(_ranking(question, scope))
    return results


def _choice_counts(question, scope, options) -> tuple[Counter, int]:
    """Options chosen; "Other – tell us" (words in the answer, or the marker left by a retention
    purge) counts as Other and its words are never read out.

    Counted in the database by distinct set of choices (a handful for a "choose one" question,
    a few dozen for "choose any"), so 100,000 answers are not read one by one.
    """
    counts: Counter = Counter()
    answered = 0
    rows = (
        _answers(question, scope)
        .annotate(wrote=Case(When(text="", then=Value(False)), default=Value(True)))
        .values("choices", "wrote")
        .annotate(n=Count("pk"))
        .values_list("choices", "wrote", "n")
    )
    for choices, wrote, n in rows:
        chosen = {choice if choice in options else OTHER for choice in choices or ()}
        if wrote:
            chosen.add(OTHER)
        if chosen:
            answered += n
            for choice in chosen:
                counts[choice] += n
    return counts, answered


def _choices(question, scope, about_you) -> QuestionResult:
    options = question.choice_options(about_you)
    counts, answered = _choice_counts(question, scope, options)
    rows = [(option, counts.get(option, 0)) for option in options]
    if counts.get(OTHER) or question.allow_other:
        rows.append((OTHER, counts.get(OTHER, 0)))
    notes = (
        ["People could choose more than one."]
        if question.kind == QuestionKind.MULTIPLE_CHOICE
        else []
    )
    return QuestionResult(
        question=question,
        answered=answered,
        series=_series(
            question.text, rows, what="answers", id_prefix=f"question-{question.pk}", notes=notes
        ),
    )


def _about_you(question, scope, about_you) -> QuestionResult:
    """School year and gender are breakdowns of people: suppressed like age band and area, with
    "Not given" for those who did not answer, so that no small cell can be worked out from the
    number who answered."""
    options = question.choice_options(about_you)
    counts, answered = _choice_counts(question, scope, options)
    everyone = responses_for(scope.consultation, scope.filters).count()
    counts[NOT_GIVEN] += max(0, everyone - answered)
    total = max(everyone, sum(counts.values()))
    series = breakdown(
        question.text, counts, [*options, NOT_GIVEN], total=total, key=f"q{question.pk}"
    )
    return QuestionResult(question=question, answered=None, series=series)


def _rating(question, scope) -> QuestionResult:
    counts = Counter(
        dict(
            _answers(question, scope)
            .exclude(rating=None)
            .values("rating")
            .annotate(n=Count("pk"))
            .values_list("rating", "n")
        )
    )
    answered = sum(counts.values())
    labels = {
        n: f"{n} – {RATING_FACES[n]}" if question.face_labels else str(n) for n in range(1, 6)
    }
    rows = [(labels[n], counts.get(n, 0)) for n in range(1, 6)]
    mean = sum(n * c for n, c in counts.items()) / answered if answered else None
    summary = f"Average {mean:.1f} out of 5 from {answered:,} answers." if mean else ""
    return QuestionResult(
        question=question,
        answered=answered,
        summary=summary,
        series=_series(
            question.text,
            rows,
            what="answers",
            id_prefix=f"question-{question.pk}",
            lead=summary,
        ),
    )


def _ranking(question, scope) -> QuestionResult:
    """Points: an option put first of N scores N, second N-1, and so on; ties by name."""
    options = question.choice_options()
    size = question.max_ranked
    points: Counter = Counter()
    answered = 0
    orders = (
        _answers(question, scope)
        .values("choices")
        .annotate(n=Count("pk"))
        .values_list("choices", "n")
    )
    for ranked, n in orders:  # one row per distinct order, not per answer
        if not ranked:
            continue
        answered += n
        for position, option in enumerate(ranked[:size]):
            if option in options:
                points[option] += (size - position) * n
    rows = sorted(((o, points.get(o, 0)) for o in options), key=lambda r: (-r[1], r[0]))
    return QuestionResult(
        question=question,
        answered=answered,
        summary=(
            f"Points: an option put first scores {size}, second {size - 1}, and so on."
            if size > 1
            else "Points: the number of times each option was put first."
        ),
        series=_series(question.text, rows, what="points", id_prefix=f"question-{question.pk}"),
    )
