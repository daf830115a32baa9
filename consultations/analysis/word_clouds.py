"""Word clouds and their accessible twins, from term counts (plain Python, no Django).

A word cloud is drawn from a ``{term: count}`` mapping (stored counts, never the raw text) with
the ``wordcloud`` package, as PNG bytes (``render_png``) or SVG text (``render_svg``):

- reproducible: the same counts and settings give a byte-identical PNG (the input is sorted,
  ``random_state`` fixed, colours chosen from the word itself rather than at random);
- in the partnership's colours (``PALETTE``), each at least 4.5:1 against the background
  (``contrast_ratio`` checks it, and ``CloudSettings`` refuses a colour that fails);
- in the bundled open-licence font (DejaVu Sans Bold, ``data/fonts/``, licence beside it), so
  it looks the same on every machine and no font is fetched from anywhere;
- optionally inside a shape (``mask_from_image``: words go in the dark parts of an image).

A cloud alone is not accessible, so every cloud comes with a twin built from the same rows:
``alt_text(rows)`` ("The most used words were …"), ``bar_chart_svg(rows, title=…)`` (a ranked
horizontal bar chart, server-side SVG with a title and description, no JavaScript) and the
``TermRow`` rows themselves for an HTML table with counts and shares.

To change the look for an organisation: pass your own ``CloudSettings`` (palette, background,
size, font file); the contrast rule still applies.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from .charts import horizontal_bar_chart_svg

__all__ = [
    "BACKGROUND",
    "FONT_PATH",
    "PALETTE",
    "CloudSettings",
    "TermRow",
    "alt_text",
    "bar_chart_svg",
    "contrast_ratio",
    "mask_from_image",
    "render_png",
    "render_svg",
    "rows_from_counts",
]

FONT_PATH = Path(__file__).resolve().parent / "data" / "fonts" / "DejaVuSans-Bold.ttf"

BACKGROUND = "#FFFFFF"

#: The partnership's colours for words (navy, teal, purple, red, green, brown): every one is
#: at least 4.5:1 against a white background (WCAG 2.2 AA for text), checked in tests.
PALETTE: tuple[str, ...] = ("#1D3557", "#005F73", "#6A1B9A", "#B3261E", "#2E6B30", "#8A4B08")

MIN_CONTRAST = 4.5


# Colour contrast (WCAG 2.2 relative luminance)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(ch * 2 for ch in value)
    if len(value) != 6:
        raise ValueError(f"Not a #RRGGBB colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two ``#RRGGBB`` colours, from 1 (none) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# Rows for the twins


@dataclass(frozen=True, slots=True)
class TermRow:
    """One term in a table or chart: times used, answers using it and their share (0 to 1)."""

    term: str
    count: int
    answers: int
    share: float

    @property
    def percent(self) -> str:
        """The share as a whole percentage ("less than 1%" rather than a misleading "0%")."""
        if 0 < self.share < 0.005:
            return "<1%"
        return f"{round(self.share * 100)}%"


def rows_from_counts(
    counts: Mapping[str, int],
    *,
    answers: Mapping[str, int] | None = None,
    total_answers: int = 0,
    limit: int | None = None,
) -> list[TermRow]:
    """Rows ranked by count (most used first, then by answers, then alphabetically)."""
    answers = answers or {}
    ranked = sorted(counts.items(), key=lambda item: (-item[1], -answers.get(item[0], 0), item[0]))
    if limit is not None:
        ranked = ranked[:limit]
    rows = []
    for term, count in ranked:
        using = answers.get(term, 0)
        share = using / total_answers if total_answers else 0.0
        rows.append(TermRow(term=term, count=count, answers=using, share=share))
    return rows


def _quote(term: str) -> str:
    return f"\u201c{term}\u201d"


def alt_text(rows: Sequence[TermRow], *, limit: int = 10) -> str:
    """A text alternative for a word cloud: the most used words and how many answers used each.

    "The most used words were “youth club” (12 answers), “bus” (9 answers) and “safe"
    (1 answer)." Ranked as the rows are; at most ``limit`` words.
    """
    shown = list(rows[:limit])
    if not shown:
        return "No words have been counted yet, so the word cloud is empty."
    parts = [
        f"{_quote(row.term)} ({row.answers} {'answer' if row.answers == 1 else 'answers'})"
        for row in shown
    ]
    if len(parts) == 1:
        return f"The most used word was {parts[0]}."
    return f"The most used words were {', '.join(parts[:-1])} and {parts[-1]}."


# The bar chart


def bar_chart_svg(
    rows: Sequence[TermRow],
    *,
    title: str,
    description: str | None = None,
    limit: int = 20,
    width: int = 640,
    bar_height: int = 22,
    gap: int = 8,
    colour: str = PALETTE[0],
    id_prefix: str = "terms-chart",
) -> str:
    """A ranked horizontal bar chart of the rows as SVG text, for pages and downloads.

    The reports' chart (:func:`.charts.horizontal_bar_chart_svg`: hand-written SVG, no
    JavaScript, ``role="img"`` named by its ``<title>`` and described by its ``<desc>``, each bar
    with its label on the left and its number beside it) of each term and how often it was used,
    described by the alt text unless ``description`` is given; the longest bar is the most used
    term. ``id_prefix`` keeps the ids unique when a page shows more than one chart.
    """
    shown = list(rows[:limit])
    return horizontal_bar_chart_svg(
        [(row.term, row.count) for row in shown],
        title=title,
        description=description if description is not None else alt_text(shown),
        width=width,
        bar_height=bar_height,
        gap=gap,
        colour=colour,
        id_prefix=id_prefix,
        empty="No words counted yet",
    )


# The word cloud


@dataclass(frozen=True)
class CloudSettings:
    """How a cloud is drawn. The defaults draw 810 × 450 pixels in the partnership's colours.

    Words are laid out on a canvas ``scale`` times smaller than the picture and drawn at full
    size, and ``max_font_size`` (on that canvas) caps the biggest word: that keeps drawing 100
    words to a few tenths of a second. ``random_state`` fixes the layout, so the same counts
    draw the same picture.
    Refuses (``ValueError``) a palette colour under 4.5:1 contrast on the background.
    """

    width: int = 810
    height: int = 450
    max_words: int = 100
    background: str = BACKGROUND
    palette: tuple[str, ...] = PALETTE
    font_path: Path = FONT_PATH
    random_state: int = 2021
    scale: int = 3
    max_font_size: int = 37
    font_step: int = 1
    prefer_horizontal: float = 0.9
    mask: np.ndarray | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if not self.palette:
            raise ValueError("A word cloud needs at least one colour.")
        for colour in self.palette:
            ratio = contrast_ratio(colour, self.background)
            if ratio < MIN_CONTRAST:
                raise ValueError(
                    f"{colour} has a contrast of {ratio:.2f}:1 on {self.background}; "
                    f"word cloud colours need at least {MIN_CONTRAST}:1."
                )


def mask_from_image(image: Image.Image, *, width: int = 810, height: int = 450) -> np.ndarray:
    """Turn an image into a word cloud shape: words are drawn where the image is dark.

    The image is fitted to ``width`` × ``height``, the picture's size (transparent parts count
    as light), turned to grey and split at the middle grey: dark becomes 0 (drawable) and light
    255 (left empty), which is how ``wordcloud`` reads a mask.
    """
    if image.mode in ("RGBA", "LA", "P"):
        rgba = image.convert("RGBA")
        flat = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat.alpha_composite(rgba)
        image = flat
    grey = image.convert("L").resize((width, height), Image.Resampling.LANCZOS)
    array = np.asarray(grey)
    return np.where(array < 128, 0, 255).astype(np.uint8)


def _colour_for(palette: tuple[str, ...]) -> Callable[..., str]:
    def colour(
        word: str,
        font_size: int,
        position: tuple[int, int],
        orientation: int | None,
        random_state: Any = None,
        **kwargs: Any,
    ) -> str:
        # From the word itself, not the random state: a word keeps its colour between clouds.
        return palette[zlib.crc32(word.encode("utf-8")) % len(palette)]

    return colour


def _ranked(counts: Mapping[str, int], max_words: int) -> dict[str, int]:
    ranked = sorted(
        ((term, int(count)) for term, count in counts.items() if count > 0 and term.strip()),
        key=lambda item: (-item[1], item[0]),
    )
    return dict(ranked[:max_words])


def _layout(counts: Mapping[str, int], settings: CloudSettings) -> Any:  # WordCloud | None
    # lazy: the wordcloud package loads Pillow's fonts; only drawing needs it
    from wordcloud import WordCloud

    frequencies = _ranked(counts, settings.max_words)
    if not frequencies:
        return None
    width, height = settings.width // settings.scale, settings.height // settings.scale
    mask = settings.mask
    if mask is not None and mask.shape != (height, width):
        mask = np.asarray(Image.fromarray(mask).resize((width, height), Image.Resampling.NEAREST))
    cloud = WordCloud(
        font_path=str(settings.font_path),
        width=width,
        height=height,
        scale=settings.scale,
        max_words=settings.max_words,
        background_color=settings.background,
        color_func=_colour_for(settings.palette),
        random_state=settings.random_state,
        max_font_size=settings.max_font_size,
        font_step=settings.font_step,
        prefer_horizontal=settings.prefer_horizontal,
        mask=mask,
        collocations=False,
        normalize_plurals=False,
        include_numbers=True,
    )
    return cloud.generate_from_frequencies(frequencies)


def _size(settings: CloudSettings) -> tuple[int, int]:
    scale = settings.scale
    return settings.width // scale * scale, settings.height // scale * scale


def render_png(counts: Mapping[str, int], settings: CloudSettings | None = None) -> bytes:
    """Draw a word cloud of ``counts`` as PNG bytes (an empty picture when there are none)."""
    settings = settings or CloudSettings()
    cloud = _layout(counts, settings)
    image = cloud.to_image() if cloud else Image.new("RGB", _size(settings), settings.background)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()


def render_svg(
    counts: Mapping[str, int],
    settings: CloudSettings | None = None,
    *,
    title: str = "Word cloud",
    description: str = "",
) -> str:
    """Draw a word cloud of ``counts`` as SVG text, with a title and description for readers.

    The words are SVG text in "DejaVu Sans" (the font is not embedded: where it is missing a
    similar bold sans-serif is used, so positions can differ slightly from the PNG).
    """
    settings = settings or CloudSettings()
    cloud = _layout(counts, settings)
    width, height = _size(settings)
    label = (
        f'role="img" aria-labelledby="cloud-title cloud-desc">'
        f'<title id="cloud-title">{escape(title)}</title>'
        f'<desc id="cloud-desc">{escape(description)}</desc>'
    )
    if cloud is None:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f"{label}"
            f'<rect width="100%" height="100%" style="fill:{settings.background}"></rect></svg>'
        )
    svg: str = cloud.to_svg(embed_font=False)
    opening_end = svg.index(">")
    return svg[:opening_end] + " " + label + svg[opening_end + 1 :]


def top_counts(rows: Iterable[TermRow]) -> dict[str, int]:
    """``{term: count}`` of rows, for drawing a cloud of exactly what a table shows."""
    return {row.term: row.count for row in rows}
