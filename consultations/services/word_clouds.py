"""Word clouds of a consultation, drawn from stored counts and cached.

``word_cloud(consultation, filters=..., fmt="png")`` returns PNG bytes or SVG text;
``word_cloud_panel(consultation, filters=...)`` returns what a page shows beside it (the rows for
the table, the alt text and the bar chart SVG). Both read ``selectors.top_terms`` — stored
counts, never the text of answers, never held answers.

Caching and refreshing: a drawn cloud is cached under a key holding the consultation's counts
version (``services.terms.terms_version``), the filters and the analysis options. When answers
are counted, held, released or removed, the version moves on — at most once every
``WORD_CLOUD_REFRESH_SECONDS`` (default 60) per consultation — so while answers arrive a cloud
may be up to that many seconds out of date, and a busy consultation is not redrawn for every
request. Changing the analysis options (words to leave out, most words, shape) changes the key
at once.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from PIL import Image

from consultations.analysis.word_clouds import (
    CloudSettings,
    TermRow,
    alt_text,
    bar_chart_svg,
    mask_from_image,
    render_png,
    render_svg,
    top_counts,
)
from consultations.models import AnalysisOptions
from consultations.selectors import TermFilters, top_terms
from consultations.services.terms import terms_version

__all__ = ["CLOUD_CACHE_SECONDS", "CloudPanel", "word_cloud", "word_cloud_panel"]

#: How long a drawn cloud stays in the cache when nothing changes.
CLOUD_CACHE_SECONDS = 24 * 60 * 60

FORMATS = ("png", "svg")


@dataclass(frozen=True)
class CloudPanel:
    """What goes beside a word cloud: table rows, alt text and the bar chart."""

    rows: list[TermRow]
    alt: str
    chart_svg: str


def _options(consultation) -> AnalysisOptions | None:
    try:
        return consultation.analysis_options
    except AnalysisOptions.DoesNotExist:
        return None


def cloud_settings_for(consultation) -> CloudSettings:
    """The drawing settings from the consultation's analysis options (or the defaults)."""
    options = _options(consultation)
    if options is None:
        return CloudSettings()
    mask = None
    if options.mask_id:
        with options.mask.file.open("rb") as handle:
            mask = mask_from_image(Image.open(handle))
    return CloudSettings(max_words=options.max_words, mask=mask)


def _options_digest(consultation) -> str:
    options = _options(consultation)
    if options is None:
        return "default"
    text = f"{options.max_words}|{options.mask_id}|{options.extra_stop_words}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _title(consultation) -> str:
    return f"Word cloud: {consultation.title}"


def word_cloud(
    consultation, *, filters: TermFilters | None = None, fmt: str = "png", min_answers: int = 0
):
    """The consultation's word cloud as PNG bytes (``fmt="png"``) or SVG text (``"svg"``).

    ``min_answers`` leaves out words fewer answers than that used (the public cloud).
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown word cloud format {fmt!r}; use png or svg.")
    filters = filters or TermFilters()
    key_text = f"{filters.cache_key()}|min={min_answers}|{_options_digest(consultation)}"
    key = (
        f"youthvoice:cloud:{consultation.pk}:{terms_version(consultation.pk)}:{fmt}:"
        f"{hashlib.sha256(key_text.encode('utf-8')).hexdigest()[:24]}"
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    settings = cloud_settings_for(consultation)
    rows = top_terms(
        consultation, limit=settings.max_words, min_answers=min_answers, **filters.as_kwargs()
    )
    counts = top_counts(rows)
    if fmt == "png":
        drawn = render_png(counts, settings)
    else:
        drawn = render_svg(counts, settings, title=_title(consultation), description=alt_text(rows))
    cache.set(key, drawn, timeout=CLOUD_CACHE_SECONDS)
    return drawn


def word_cloud_panel(
    consultation, *, filters: TermFilters | None = None, limit: int = 20
) -> CloudPanel:
    """The accessible twin of a cloud: the top ``limit`` rows, alt text and a bar chart."""
    filters = filters or TermFilters()
    rows = top_terms(consultation, limit=limit, **filters.as_kwargs())
    alt = alt_text(rows)
    chart = bar_chart_svg(
        rows,
        title=f"The {len(rows)} most used words" if rows else "Most used words",
        description=alt,
        limit=limit,
    )
    return CloudPanel(rows=rows, alt=alt, chart_svg=chart)
