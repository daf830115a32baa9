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
from django.db.models import Count, Max

from consultations.models import AnalysisOptions, ConsultationPage, Response
from consultations.selectors import TermFilters

from . import selectors
from .filters import describe_filters

CACHE_SECONDS = 60 * 60


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


def _codebook(consultation):
    try:
        return consultation.codebook
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist of the one-to-one
        return None


def fingerprint(consultation, *, _earlier: bool = True) -> str:
    from consultations.services.terms import terms_version

    figures = Response.objects.filter(page=consultation).aggregate(n=Count("pk"), last=Max("pk"))
    parts = [str(figures["n"]), str(figures["last"]), str(terms_version(consultation.pk))]
    codebook = _codebook(consultation)
    if codebook is not None:
        from consultations.themes.models import CodingRun, HumanCoding

        run = CodingRun.objects.filter(codebook=codebook, is_current=True).values_list(
            "pk", flat=True
        )
        coded = HumanCoding.objects.filter(codebook=codebook).aggregate(
            n=Count("pk"), last=Max("coded_at")
        )
        held = consultation.responses.filter(answers__held=True).count()
        parts += [str(list(run)), str(coded["n"]), str(coded["last"]), str(held)]
        # Edits to the themes (names, descriptions, parents, colours) change what is shown.
        parts.append(
            repr(
                list(
                    codebook.themes.order_by("pk").values_list(
                        "pk", "name", "description", "parent_id", "colour"
                    )
                )
            )
        )
    # Edits to the questions and to the analysis options (words left out, the earlier
    # consultation compared with) change what is shown too.
    parts.append(
        repr(
            list(
                consultation.questions.order_by("pk").values_list(
                    "pk", "sort_order", "kind", "text", "options", "allow_other", "about"
                )
            )
        )
    )
    options = (
        AnalysisOptions.objects.filter(consultation=consultation)
        .values_list("max_words", "mask_id", "extra_stop_words", "earlier_consultation_id")
        .first()
    )
    parts.append(repr(options))
    if _earlier and options and options[3]:
        # "Change since" reads the earlier consultation's figures: its changes count too (one
        # step back only, so two consultations naming each other cannot loop).
        earlier = ConsultationPage.objects.filter(pk=options[3]).first()
        if earlier is not None:
            parts.append(fingerprint(earlier, _earlier=False))
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:20]


def themed_summary(consultation, filters: TermFilters):
    """The themed summary under the filters, or None when there is no codebook yet."""
    from consultations.themes.services import summaries

    return summaries.themed_summary(consultation, filters=filters)


def cached_themed_summary(consultation, *, question=None):
    """The themed summary of the whole consultation or one question, as facilitators read it in
    the admin: cached under the same fingerprint as reports, so never stale."""
    from consultations.themes.services import summaries

    key = (
        f"youthvoice:summary:{consultation.pk}:{fingerprint(consultation)}:"
        f"{getattr(question, 'pk', question) or 'all'}"
    )
    summary = cache.get(key)
    if summary is None:
        summary = summaries.themed_summary(consultation, question=question)
        cache.set(key, summary, timeout=CACHE_SECONDS)
    return summary


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
        from consultations.services.word_clouds import word_cloud_panel

        report.over_time = selectors.over_time(consultation, filters)
        report.who = selectors.who_answered(consultation, filters)
        report.cloud = word_cloud_panel(consultation, filters=filters)
        report.themes = themed_summary(consultation, filters)
        report.questions = selectors.question_results(consultation, filters)
    cache.set(key, report, timeout=CACHE_SECONDS)
    return report
