"""A consultation's report, assembled once per filter set and cached.

``build_report(consultation, filters)`` gathers every panel — headline numbers, responses over
time, who answered, the word cloud's twin, the themed summary and the results of every choice,
rating and ranking question — under the same filters, and draws the **key findings** from them
(:func:`key_findings`): the top themes with their counts, shares and quotes, the change since the
earlier consultation, and who took part and who is missing. A reader meets them in that order:
key findings, the choice questions, then the details (``Report.sections``).

Who is missing: when the partnership has entered population figures, the report compares its
"Who answered" tables with them (``Report.representation``, see ``population.py`` and
``representation.py``), and the key findings say who is missing in one sentence from that
comparison (``KeyFindings.missing``) instead of naming the groups with few answers.

If the filters leave fewer young people than the suppression threshold, or a group whose number
would give a hidden one away (``selectors.group_hidden``), only the headline is kept, and it
reads "fewer than 10" or "hidden": nothing else is shown for that group.

Caching: the whole report is cached under a key made of the filters and a fingerprint of what
it is built from (number and latest time of responses, the counts version of the word cloud, the
current coding run and the number of human codings, and the themes, questions and analysis
options as they are now). Any new answer, hold, release, import undo, purge, coding or edit of
those changes the fingerprint, so a stale report is never served; the fingerprint costs a few
indexed queries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.utils.translation import gettext as _

from consultations.analysis.suppression import SMALL
from consultations.models import AboutYou, ConsultationPage
from consultations.models.settings import PREFER_NOT_TO_SAY
from consultations.selectors import TermFilters
from consultations.services.word_clouds import word_cloud_panel
from consultations.themes.services import summaries
from consultations.themes.services.summaries import (  # re-exported: reports are keyed by it
    CACHE_SECONDS,
    fingerprint,
)

from . import population, selectors
from .filters import describe_filters
from .representation import Representation

#: How many themes the key findings name, and how many quotes each (the PDF's one page shows
#: the first two). Change them here; the themed summary further down still lists every theme.
KEY_THEMES = 3
KEY_QUOTES = 3
#: A quote longer than this many characters is passed over for the key findings while the
#: theme has a shorter one, so that the findings fit on the PDF's first page.
KEY_QUOTE_LENGTH = 200
#: How many changes since the earlier consultation the key findings name, biggest first.
KEY_CHANGES = 3
#: A group "with few answers" has none, a number hidden as too small, or fewer than this share
#: of the largest group's answers.
FEW_SHARE = 0.25
NOT_GIVEN = selectors.NOT_GIVEN


@dataclass(frozen=True)
class KeyTheme:
    """A theme as the key findings show it; ``anchor`` is its section in the themed summary."""

    name: str
    respondents: int
    share: float
    quotes: tuple[str, ...] = ()
    change: float | None = None  # percentage points since the earlier consultation
    anchor: str = ""


@dataclass(frozen=True)
class Group:
    """A group of young people as a reader may see it: ``shown`` is "13", "fewer than 10"..."""

    label: str
    shown: str


@dataclass(frozen=True)
class Breakdown:
    """Who took part by one thing (age band, area): the largest groups, and those with few."""

    title: str
    largest: tuple[Group, ...]
    few: tuple[Group, ...]


@dataclass(frozen=True)
class KeyFindings:
    """What a reader needs first. Built only from what the report shows anyway: the themed
    summary (released, redacted answers; quotes chosen and masked there) and the suppressed
    "Who answered" tables (a hidden number stays hidden: its cell's words are used)."""

    themes: tuple[KeyTheme, ...] = ()
    themed: bool = False  # False: no codebook yet, so ``top_words`` stand in for the themes
    themed_respondents: int = 0  # the young people the shares are of (those who wrote)
    top_words: tuple[str, ...] = ()
    earlier_title: str = ""
    earlier_slug: str = ""  # "" unless the earlier consultation's report can be opened
    compared: bool = False  # the earlier consultation has themes to compare with
    changes: tuple[KeyTheme, ...] = ()
    groups: tuple[Breakdown, ...] = ()
    #: Who is missing compared with the population, in one sentence ("" without figures).
    missing: str = ""


@dataclass
class Report:
    consultation: ConsultationPage
    filters: TermFilters
    filter_words: list[str]
    headline: selectors.Headline
    over_time: selectors.Series | None = None
    who: list[selectors.Series] = field(default_factory=list)
    cloud: object | None = None  # services.word_clouds.CloudPanel
    themes: object | None = None  # the themed summary
    questions: list[selectors.QuestionResult] = field(default_factory=list)
    key_findings: KeyFindings | None = None
    representation: Representation | None = None  # None: no population figures

    @property
    def too_small(self) -> bool:
        return self.headline.too_small

    @property
    def sections(self) -> list[tuple[str, str]]:
        """The report's parts in reading order, as (anchor, title): the contents of the page and
        of the PDF. Each anchor is the id of the part on the page and in the PDF."""
        items = [("key-findings", _("Key findings"))]
        if self.too_small:
            return items
        if self.questions:
            items.append(("choice-questions", _("Answers to the choice questions")))
        items += [
            ("over-time", _("Responses over time")),
            ("who-answered", _("Who answered")),
            ("words", _("The words they used most")),
            ("themes", _("Themes")),
            ("taking-part", _("What taking part was like")),  # reports/taking_part.py
        ]
        return items


def _quotes(theme) -> tuple[str, ...]:
    """Up to ``KEY_QUOTES`` of the theme's quotes, most typical first, short ones preferred."""
    texts = [quote.text for quote in theme.quotes]
    short = [text for text in texts if len(text) <= KEY_QUOTE_LENGTH]
    chosen = short[:KEY_QUOTES]
    chosen += [text for text in texts if text not in chosen][: KEY_QUOTES - len(chosen)]
    return tuple(sorted(chosen, key=texts.index))


def _breakdown(title: str, table) -> Breakdown | None:
    """The largest groups and those with few answers, from a suppressed table's cells as they
    are shown ("Not given" and "Prefer not to say" left out: they are not groups). None when
    the table shows no group's number."""
    cells = [cell for cell in table if cell.label not in (NOT_GIVEN, PREFER_NOT_TO_SAY)]
    counts = [cell.value for cell in cells if cell.value is not None]
    most = max(counts, default=0)
    if not most:
        return None
    largest = tuple(Group(c.label, c.display) for c in cells if c.value == most)
    few = tuple(
        Group(c.label, c.display)
        for c in cells
        if (c.value is None and c.reason == SMALL)
        or (c.value is not None and c.value < FEW_SHARE * most)
    )
    return Breakdown(title=title, largest=largest, few=few)


def _groups(report: Report) -> tuple[Breakdown, ...]:
    """Age band and area from "Who answered" (unless filtered to one), then school year and
    gender if the consultation asked."""
    tables = [
        (series.title, series.table)
        for name, series in zip(selectors.WHO_TITLES, report.who, strict=False)
        if name in ("age_band", "area") and not getattr(report.filters, name)
    ]
    tables += [
        (str(AboutYou(result.question.about).label), result.series.table)
        for result in report.questions
        if result.answered is None and result.question.about
    ]
    found = (_breakdown(title, table) for title, table in tables if table is not None)
    return tuple(item for item in found if item is not None)


def key_findings(report: Report) -> KeyFindings:
    """The key findings of a report whose panels are built (not ``too_small``)."""
    summary = report.themes
    themes = [t for t in getattr(summary, "themes", ()) if t.respondents]
    anchors = {t.theme: f"theme-{i}" for i, t in enumerate(getattr(summary, "themes", ()), 1)}

    def key(theme) -> KeyTheme:
        return KeyTheme(
            name=theme.theme,
            respondents=theme.respondents,
            share=theme.share,
            quotes=_quotes(theme),
            change=theme.change,
            anchor=anchors[theme.theme],
        )

    earlier = summaries.earlier_consultation(report.consultation)
    changed = [t for t in getattr(summary, "themes", ()) if t.change and round(t.change)]
    changed.sort(key=lambda t: (-abs(t.change), t.theme))
    top_words = tuple(row.term for row in getattr(report.cloud, "rows", ())[:5])
    return KeyFindings(
        themes=tuple(key(t) for t in themes[:KEY_THEMES]),
        themed=summary is not None,
        themed_respondents=getattr(summary, "respondents", 0),
        top_words=top_words,
        earlier_title=earlier.title if earlier is not None else "",
        earlier_slug=earlier.slug if earlier is not None and earlier.live else "",
        compared=any(t.earlier_share is not None for t in getattr(summary, "themes", ())),
        changes=tuple(key(t) for t in changed[:KEY_CHANGES]),
        groups=_groups(report),
        missing=population.missing_sentence(report.representation)
        if report.representation is not None
        else "",
    )


def themed_summary(consultation, filters: TermFilters):
    """The themed summary under the filters, or None when there is no codebook yet."""
    return summaries.themed_summary(consultation, filters=filters)


def build_report(consultation, filters: TermFilters | None = None, *, cached: bool = True):
    filters = filters or TermFilters()
    key = (
        # "v4": reports cached before small groups were hidden everywhere (v1), before the key
        # findings (v2) or before the population comparison (v3) are not served again.
        f"youthvoice:report:v4:{consultation.pk}:{fingerprint(consultation)}:"
        f"{population.population_version()}:"
        f"{hashlib.sha256(filters.cache_key().encode()).hexdigest()[:20]}"
    )
    if cached:
        report = cache.get(key)
        if report is not None:
            return report
    report = Report(
        consultation=consultation,
        filters=filters,
        filter_words=describe_filters(filters, consultation),
        headline=selectors.headline(consultation, filters),
    )
    if not report.too_small:
        report.over_time = selectors.over_time(consultation, filters)
        report.who = selectors.who_answered(consultation, filters)
        report.cloud = word_cloud_panel(consultation, filters=filters)
        report.themes = themed_summary(consultation, filters)
        report.questions = selectors.question_results(consultation, filters)
        report.representation = population.representation(consultation, filters, report.who)
        report.key_findings = key_findings(report)
    cache.set(key, report, timeout=CACHE_SECONDS)
    return report
