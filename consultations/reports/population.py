"""Population figures, read and written: the Django side of "who is missing".

- ``population_for(consultation)``: the table a consultation is compared with;
- ``representation(consultation, filters, who)``: the report's comparison of its "Who answered"
  tables with the population (the maths is in ``representation.py``, plain Python);
- ``missing_sentence(representation)``: the key findings' one sentence on who is missing;
- ``missing_so_far(consultation)``: the same for the facilitator's overview while it is open;
- ``population_csv_read`` and ``population_import``: a table from a CSV file, all or nothing.

Matching: a figure's age band and area are matched to the consultation's age bands and the
site's areas by their words, ignoring capitals and spaces, so "13 to 15" and "13 To  15" are one.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from consultations.models import AboutYou, ConsultationPage, QuestionKind
from consultations.models.settings import MAX_OPTION_LENGTH, PREFER_NOT_TO_SAY
from consultations.selectors import TermFilters

from . import selectors
from .models import Population, PopulationFigure
from .representation import Comparison, Representation, compare

#: The columns a population CSV file must have (more are ignored), as headed in its first row.
CSV_COLUMNS = ("age_band", "area", "young_people")
#: The largest file and the most rows a population CSV file may have.
CSV_MAX_BYTES = 1024 * 1024
CSV_MAX_ROWS = 5000
#: How many of a file's problems are listed at once.
CSV_ERRORS_SHOWN = 10


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def population_for(consultation: ConsultationPage) -> Population | None:
    """The population table for ``consultation``: of the latest year not after the year it
    opened, else the earliest there is (the most recently edited, where a year has two)."""
    year = timezone.localtime(consultation.opens_at).year
    tables = Population.objects.prefetch_related("figures")
    return (
        tables.filter(year__lte=year).order_by("-year", "-updated_at", "-pk").first()
        or tables.order_by("year", "-updated_at", "-pk").first()
    )


def population_version() -> str:
    """Changes whenever a population table is added, edited or deleted: part of the report's
    cache key, so that a report never shows figures that have since changed."""
    found = Population.objects.aggregate(n=Count("pk"), latest=Max("updated_at"))
    latest = found["latest"].timestamp() if found["latest"] else 0
    return f"{found['n']}:{latest}"


def _marginals(
    population: Population, consultation: ConsultationPage, filters: TermFilters
) -> tuple[dict[str, int], dict[str, int], list[str]]:
    """Young people by age band and by area, over the consultation's age bands and the site's
    areas (within a filter's one age band or area), and the rows that match neither."""
    options = consultation.about_you_options()
    bands = [b for b in options.options_for(AboutYou.AGE_BAND) if b != PREFER_NOT_TO_SAY]
    areas = [a for a in options.options_for(AboutYou.AREA) if a != PREFER_NOT_TO_SAY]
    band_of, area_of = {_key(b): b for b in bands}, {_key(a): a for a in areas}
    by_band, by_area = dict.fromkeys(bands, 0), dict.fromkeys(areas, 0)
    unused = []
    for figure in population.figures.all():
        band, area = band_of.get(_key(figure.age_band)), area_of.get(_key(figure.area))
        if band is None or area is None:
            unused.append(f"{figure.age_band}, {figure.area}")
            continue
        if not filters.area or _key(filters.area) == _key(area):
            by_band[band] += figure.young_people
        if not filters.age_band or _key(filters.age_band) == _key(band):
            by_area[area] += figure.young_people
    return by_band, by_area, unused


def representation(
    consultation: ConsultationPage, filters: TermFilters, who: Sequence[selectors.Series]
) -> Representation | None:
    """The report's "who is missing" table: its "Who answered" tables (``who``, built under the
    same ``filters``) by age band and by area, against the population. None when there is no
    population table. A breakdown the filters narrow to one group is not compared, nor one the
    consultation never asked about (no "about you" question on it, and no answer gives one)."""
    population = population_for(consultation)
    if population is None:
        return None
    by_band, by_area, unused = _marginals(population, consultation, filters)
    responses = selectors.responses_for(consultation, filters)
    asked = set(
        consultation.questions.filter(kind=QuestionKind.ABOUT_YOU).values_list("about", flat=True)
    )
    comparisons: list[Comparison] = []
    for name, series in zip(selectors.WHO_TITLES, who, strict=False):
        if name not in ("age_band", "area") or getattr(filters, name) or series.table is None:
            continue
        counts: dict[str, int] = {}
        for value, n in responses.values_list(name).annotate(n=Count("pk")).values_list(name, "n"):
            label = value or selectors.NOT_GIVEN
            counts[label] = counts.get(label, 0) + n
        if name not in asked and set(counts) <= {selectors.NOT_GIVEN}:
            continue
        # The population under the table's own wording of each group.
        wording = {_key(cell.label): cell.label for cell in series.table}
        figures = by_band if name == "age_band" else by_area
        comparisons.append(
            compare(
                key=name,
                title=series.title,
                counts=counts,
                table=series.table,
                population={wording.get(_key(k), k): v for k, v in figures.items()},
                threshold=selectors.threshold(),
            )
        )
    return Representation(
        source=population.source,
        year=population.year,
        comparisons=tuple(comparisons),
        unused=tuple(unused),
    )


def _group_name(comparison: Comparison, label: str) -> str:
    """An age band as people say it ("16 to 18 year olds"); an area as it is."""
    if comparison.key != "age_band":
        return label
    worded = label[:1].lower() + label[1:] if label[:1].isalpha() else label
    if re.search(r"\d$", label):
        return _("%(band)s year olds") % {"band": worded}
    return _("young people aged %(band)s") % {"band": worded}


def _from_each(names: list[str], joiner: str) -> str:
    """ "A", "A and from B", "A, from B and from C" ("or" for ``joiner`` "or")."""
    if len(names) == 1:
        return names[0]
    rest = [_("from %(name)s") % {"name": name} for name in names[1:]]
    return f"{', '.join([names[0], *rest[:-1]])} {joiner} {rest[-1]}"


def missing_sentence(found: Representation) -> str:
    """Who is missing, in one sentence, from what the comparison shows (a group hidden as too
    small is named only when its flag is one a reader could work out: see representation.py)."""
    under = [_group_name(c, g.label) for c in found.comparisons for g in c.under]
    none = [_group_name(c, g.label) for c in found.comparisons for g in c.none]
    start = _("Compared with the number of young people living here")
    if under and none:
        return _(
            "%(start)s, fewer than half as many answers as expected came from %(under)s; "
            "none came from %(none)s."
        ) % {
            "start": start,
            "under": _from_each(under, _("and")),
            "none": _from_each(none, _("or")),
        }
    if under:
        return _("%(start)s, fewer than half as many answers as expected came from %(under)s.") % {
            "start": start,
            "under": _from_each(under, _("and")),
        }
    if none:
        return _("%(start)s, none came from %(none)s.") % {
            "start": start,
            "none": _from_each(none, _("or")),
        }
    if found.shares_hidden:
        return _(
            "%(start)s, no group is shown to have given fewer than half as many answers as "
            "expected, but some shares are hidden so that no small group can be worked out."
        ) % {"start": start}
    if not found.comparisons:
        return ""
    return _(
        "%(start)s, every age band and area gave at least half as many answers as expected."
    ) % {"start": start}


@dataclass(frozen=True)
class SoFar:
    """Who is missing from a consultation's answers now, for its overview in the admin."""

    population: Population | None
    too_small: bool = False
    representation: Representation | None = None
    sentence: str = ""


def missing_so_far(consultation: ConsultationPage) -> SoFar:
    """The comparison the unfiltered report shows, without building the rest of the report."""
    population = population_for(consultation)
    if population is None:
        return SoFar(population=None)
    everyone = TermFilters()
    if selectors.headline(consultation, everyone).too_small:
        return SoFar(population=population, too_small=True)
    found = representation(consultation, everyone, selectors.who_answered(consultation, everyone))
    return SoFar(
        population=population,
        representation=found,
        sentence=missing_sentence(found) if found else "",
    )


# Importing a CSV file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    """One row of a population file: ``row`` is its row number in a spreadsheet (headings 1)."""

    row: int
    age_band: str
    area: str
    young_people: int


class PopulationFileError(ValueError):
    """A population file that cannot be imported; ``problems`` says why, row by row."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def _heading(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", (text or "").strip().casefold())


WHOLE_NUMBER = re.compile(r"[-−]?\d+")


def population_csv_read(data: bytes) -> list[FigureRow]:
    """The rows of a CSV file with the columns ``CSV_COLUMNS``, or ``PopulationFileError``
    listing every problem found: a missing column, an empty age band or area, a number that is
    not a whole number or is below 0, and an age band and area given twice. Numbers may be
    written with thousands separators ("12,600"). Nothing is saved here."""
    if len(data) > CSV_MAX_BYTES:
        raise PopulationFileError(
            [_("The file is larger than %(size)s MB.") % {"size": CSV_MAX_BYTES // (1024 * 1024)}]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PopulationFileError(
            [_("The file could not be read as text. Save it as “CSV UTF-8” and try again.")]
        ) from None
    reader = csv.reader(io.StringIO(text))
    headings = [_heading(h) for h in next(reader, [])]
    missing = [column for column in CSV_COLUMNS if column not in headings]
    if missing:
        return_columns = ", ".join(f"“{c}”" for c in missing)
        raise PopulationFileError(
            [
                _(
                    "The file has no %(columns)s column. Its first row must name the columns "
                    "age_band, area and young_people."
                )
                % {"columns": return_columns}
            ]
        )
    where = {column: headings.index(column) for column in CSV_COLUMNS}
    rows: list[FigureRow] = []
    problems: list[str] = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, as spreadsheets leave at the end
        if len(rows) + len(problems) >= CSV_MAX_ROWS:
            problems.append(_("The file has more than %(n)s rows.") % {"n": f"{CSV_MAX_ROWS:,}"})
            break
        cells = cells + [""] * (len(headings) - len(cells))
        band = " ".join(cells[where["age_band"]].split())
        area = " ".join(cells[where["area"]].split())
        written = cells[where["young_people"]].strip()
        number_text = re.sub(r"[,\s\u00a0]", "", written)
        before = len(problems)
        for value, name in ((band, _("age band")), (area, _("area"))):
            if not value:
                problems.append(
                    _("Row %(row)s: the %(name)s is empty.") % {"row": number, "name": name}
                )
            elif len(value) > MAX_OPTION_LENGTH:
                problems.append(
                    _("Row %(row)s: the %(name)s is longer than %(n)s characters.")
                    % {"row": number, "name": name, "n": MAX_OPTION_LENGTH}
                )
        if not WHOLE_NUMBER.fullmatch(number_text):
            problems.append(
                _("Row %(row)s: “%(value)s” is not a whole number of young people.")
                % {"row": number, "value": written}
                if written
                else _("Row %(row)s: the number of young people is empty.") % {"row": number}
            )
        elif number_text[0] in "-−":
            problems.append(
                _("Row %(row)s: the number of young people cannot be below 0 (it is %(value)s).")
                % {"row": number, "value": written}
            )
        if band and area:
            first = seen.setdefault((_key(band), _key(area)), number)
            if first != number:
                problems.append(
                    _(
                        "Row %(row)s: %(band)s in %(area)s is in the file twice (first in row "
                        "%(first)s). Give each age band and area once."
                    )
                    % {"row": number, "band": band, "area": area, "first": first}
                )
        if len(problems) == before:
            rows.append(FigureRow(number, band, area, int(number_text)))
    if not rows and not problems:
        problems.append(_("The file has no rows of figures under its headings."))
    if problems:
        shown = problems[:CSV_ERRORS_SHOWN]
        if len(problems) > CSV_ERRORS_SHOWN:
            shown.append(_("…and %(n)s more problems.") % {"n": len(problems) - CSV_ERRORS_SHOWN})
        raise PopulationFileError(shown)
    return rows


@transaction.atomic
def population_import(
    *, source: str, year: int, rows: Sequence[FigureRow], user=None
) -> Population:
    """A new population table with ``rows``, saved whole (and logged as Wagtail logs a snippet
    made in its editor)."""
    population = Population.objects.create(source=source, year=year)
    PopulationFigure.objects.bulk_create(
        PopulationFigure(
            population=population,
            age_band=row.age_band,
            area=row.area,
            young_people=row.young_people,
            sort_order=n,
        )
        for n, row in enumerate(rows)
    )
    log(instance=population, action="wagtail.create", user=user)
    return population
