"""A consultation's report, assembled once per filter set and cached.

``build_report(consultation, filters)`` gathers every panel — headline numbers, responses over
time, who answered, the word cloud's twin, the themed summary and the results of every choice,
rating and ranking question — under the same filters. If the filters leave fewer young people
than the suppression threshold, or a group whose number would give a hidden one away
(``selectors.group_hidden``), only the headline is kept, and it reads "fewer than 10" or
"hidden": nothing else is shown for that group.

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

from consultations.models import ConsultationPage
from consultations.selectors import TermFilters
from consultations.services.word_clouds import word_cloud_panel
from consultations.themes.services import summaries
from consultations.themes.services.summaries import (  # re-exported: reports are keyed by it
    CACHE_SECONDS,
    fingerprint,
)

from . import selectors
from .filters import describe_filters


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

    @property
    def too_small(self) -> bool:
        return self.headline.too_small


def themed_summary(consultation, filters: TermFilters):
    """The themed summary under the filters, or None when there is no codebook yet."""
    return summaries.themed_summary(consultation, filters=filters)


def build_report(consultation, filters: TermFilters | None = None, *, cached: bool = True):
    filters = filters or TermFilters()
    key = (
        # "v2": reports cached before small groups were hidden everywhere are not served again.
        f"youthvoice:report:v2:{consultation.pk}:{fingerprint(consultation)}:"
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
    cache.set(key, report, timeout=CACHE_SECONDS)
    return report
