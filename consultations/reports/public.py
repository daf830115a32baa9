"""Results for young people: what a consultation's page shows once its results are published.

How many took part, the top themes in plain words, the word cloud with its table, and the
promises made — never a quote, never a breakdown by age or area, never a word fewer young people
used than ``YOUTHVOICE_PUBLIC_WORD_MIN_ANSWERS`` (it might say who wrote it), and nothing at all
beyond the count when fewer young people took part than the suppression threshold. Everything
else comes from the same cached report the Executive reads (``reports.report.build_report``), so
the figures agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings

from consultations.analysis.word_clouds import alt_text
from consultations.commitments.models import Commitment
from consultations.models import ConsultationPage, ConsultationStatus
from consultations.selectors import top_terms

from .report import build_report

TOP_THEMES = 5
TOP_WORDS = 10


def in_words(share: float) -> str:
    """A share as a child would say it: "about half", "about 1 in 3", "a few"."""
    if share >= 0.9:
        return "almost everyone"
    if share >= 0.6:
        return "most"
    if share >= 0.45:
        return "about half"
    if share >= 0.08:
        return f"about 1 in {round(1 / share)}"
    return "a few"


@dataclass(frozen=True)
class PlainTheme:
    name: str
    sentence: str


@dataclass
class PublicResults:
    took_part: int
    too_small: bool
    themes: list[PlainTheme] = field(default_factory=list)
    words: list = field(default_factory=list)
    cloud_alt: str = ""
    commitments: list[Commitment] = field(default_factory=list)


def public_min_answers() -> int:
    """The fewest answers a word must be in to be shown to the public
    (``YOUTHVOICE_PUBLIC_WORD_MIN_ANSWERS``, 5 unless set)."""
    return getattr(settings, "YOUTHVOICE_PUBLIC_WORD_MIN_ANSWERS", 5)


def results_published(page: ConsultationPage) -> bool:
    return page.status == ConsultationStatus.RESULTS_PUBLISHED


def public_results(page: ConsultationPage) -> PublicResults:
    report = build_report(page)
    results = PublicResults(took_part=report.headline.responses, too_small=report.too_small)
    if report.too_small:
        return results
    summary = report.themes
    if summary is not None:
        for theme in [t for t in summary.themes if t.respondents][:TOP_THEMES]:
            who = in_words(theme.share)
            results.themes.append(
                PlainTheme(
                    name=theme.theme,
                    sentence=f"{who[0].upper()}{who[1:]} of the young people who wrote to us "
                    f"talked about {theme.theme.lower()}.",
                )
            )
    if report.cloud is not None:
        results.words = top_terms(page, limit=TOP_WORDS, min_answers=public_min_answers())
        results.cloud_alt = alt_text(results.words)
    results.commitments = list(
        Commitment.objects.filter(consultation=page, published=True).order_by("due_date", "pk")
    )
    return results
