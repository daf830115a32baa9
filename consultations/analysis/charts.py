"""Accessible charts as hand-written SVG (plain Python, no Django): bars and columns.

Every chart is ``role="img"``, named by its ``<title>`` and described by its ``<desc>`` (a
sentence that says what the chart shows, so a screen reader user gets the point without the
table), draws its numbers as text beside the bars, uses dark text on white and colours of at
least 3:1 against white (WCAG 2.2 non-text contrast), and needs no JavaScript. The same SVG goes
into pages and PDFs. Pages always show a table of the same numbers beside a chart.

A value may be ``None`` (hidden by small-number suppression): its bar is not drawn and the text
says "hidden".
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

__all__ = ["BAR_COLOUR", "FONT", "column_chart_svg", "describe", "horizontal_bar_chart_svg"]

#: The partnership's blue; 5.2:1 against white.
BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"
FONT = "DejaVu Sans, Arial, sans-serif"

Item = tuple[str, "int | float | None"]


def _number(value: int | float | None) -> str:
    if value is None:
        return "hidden"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


def describe(items: Sequence[Item], *, what: str = "answers", most: int = 3) -> str:
    """A sentence for ``<desc>`` and alt text: the largest few, in order."""
    shown = sorted(
        ((label, value) for label, value in items if value),
        key=lambda item: (-item[1], item[0]),
    )[:most]
    if not shown:
        return f"No {what} to show."
    parts = [f"{label} ({_number(value)})" for label, value in shown]
    if len(parts) == 1:
        return f"The largest was {parts[0]}."
    return "The largest were " + ", ".join(parts[:-1]) + f" and {parts[-1]}."


def _head(width: int, height: int, title: str, description: str, id_prefix: str) -> list[str]:
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{title_id} {desc_id}" class="chart">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(description)}</desc>',
        '<rect width="100%" height="100%" fill="#ffffff"/>',
    ]


def _text(
    x: float | str,
    y: float | str,
    content: str,
    *,
    anchor: str = "start",
    size: int = 14,
    baseline: str = "central",
) -> str:
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" dominant-baseline="{baseline}" '
        f'font-family="{FONT}" font-size="{size}" fill="{TEXT_COLOUR}">{escape(content)}</text>'
    )


def horizontal_bar_chart_svg(
    items: Sequence[Item],
    *,
    title: str,
    description: str | None = None,
    width: int = 640,
    bar_height: int = 22,
    gap: int = 8,
    colour: str = BAR_COLOUR,
    id_prefix: str = "chart",
    suffix: str = "",
    empty: str = "Nothing to show yet",
) -> str:
    """Labelled horizontal bars in the order given, each with its number written beside it;
    ``empty`` says so when there is nothing to draw."""
    items = list(items)
    description = description if description is not None else describe(items)
    label_width = min(260, 16 + 8 * max((len(label) for label, _ in items), default=4))
    numbers = [_number(value) + suffix for _, value in items]
    number_width = 16 + 9 * max((len(n) for n in numbers), default=1)
    bar_space = max(width - label_width - number_width, 40)
    top = 8
    height = top + max(len(items), 1) * (bar_height + gap) + gap
    largest = max((value or 0 for _, value in items), default=0) or 1
    parts = _head(width, height, title, description, id_prefix)
    if not items:
        parts.append(_text(8, top + bar_height / 2, empty))
    for index, ((label, value), number) in enumerate(zip(items, numbers, strict=True)):
        y = top + index * (bar_height + gap)
        middle = y + bar_height / 2
        length = 0 if not value else max(round(bar_space * value / largest), 2)
        parts.append("<g>")
        parts.append(_text(label_width - 8, middle, label, anchor="end"))
        if length:
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" '
                f'fill="{colour}"/>'
            )
        parts.append(_text(label_width + length + 6, middle, number))
        parts.append("</g>")
    parts.append("</svg>")
    return "\n".join(parts)


def column_chart_svg(
    items: Sequence[Item],
    *,
    title: str,
    description: str | None = None,
    width: int = 640,
    height: int = 240,
    colour: str = BAR_COLOUR,
    id_prefix: str = "columns",
    label_every: int | None = None,
) -> str:
    """Columns left to right (responses over time, say); labels under every ``label_every``."""
    items = list(items)
    description = description if description is not None else describe(items)
    left, right, top, bottom = 48, 8, 24, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    largest = max((value or 0 for _, value in items), default=0) or 1
    slot = plot_w / max(len(items), 1)
    column = max(slot * 0.7, 1)
    every = label_every or max(1, round(len(items) / 8))
    parts = _head(width, height, title, description, id_prefix)
    axis_y = top + plot_h
    parts.append(
        f'<line x1="{left}" y1="{axis_y}" x2="{width - right}" y2="{axis_y}" '
        f'stroke="{TEXT_COLOUR}" stroke-width="1"/>'
    )
    parts.append(_text(left - 6, top, _number(largest), anchor="end", size=12))
    parts.append(_text(left - 6, axis_y, "0", anchor="end", size=12))
    if not items:
        parts.append(_text(left + 8, top + plot_h / 2, "Nothing to show yet"))
    for index, (label, value) in enumerate(items):
        x = left + index * slot + (slot - column) / 2
        h = 0 if not value else max(plot_h * value / largest, 1)
        if h:
            parts.append(
                f'<rect x="{x:.1f}" y="{axis_y - h:.1f}" width="{column:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{escape(label)}: {_number(value)}</title></rect>'
            )
        if index % every == 0:
            parts.append(
                _text(round(x + column / 2, 1), axis_y + 16, label, anchor="middle", size=12)
            )
    parts.append("</svg>")
    return "\n".join(parts)
