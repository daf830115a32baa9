"""Pictures for the demo, drawn locally with Pillow: no downloads, no stock photos of children.

Each picture is a 1200×675 JPEG: a two-colour diagonal gradient, a simple motif (speech
bubbles, a video call, a bar chart...) and a short label in Pillow's built-in font. Drawing is
deterministic, so a rebuilt demo looks the same. To add a motif, write a ``_motif_<name>``
function taking ``(draw, spec)``, add it to ``MOTIFS`` and name it in an
:class:`~.content.ImageSpec`.
"""

from __future__ import annotations

from io import BytesIO

from PIL import Image, ImageChops, ImageDraw, ImageFont

from .content import WORD_CLOUD_WORDS, ImageSpec

WIDTH, HEIGHT = 1200, 675
WHITE = (255, 255, 255)
SOFT = (255, 255, 255, 70)
SOFTER = (255, 255, 255, 40)
SUN = (255, 209, 102, 150)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Pillow's own font: scalable when Pillow has FreeType, a small bitmap font otherwise."""
    try:
        return ImageFont.load_default(size=size)
    except (TypeError, OSError):  # Pillow built without FreeType
        return ImageFont.load_default()


def _hex(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def _gradient(start: str, end: str) -> Image.Image:
    vertical = Image.linear_gradient("L").resize((WIDTH, HEIGHT))
    horizontal = Image.linear_gradient("L").rotate(90).resize((WIDTH, HEIGHT))
    mask = ImageChops.add(vertical, horizontal, scale=2.0)
    return Image.composite(
        Image.new("RGB", (WIDTH, HEIGHT), _hex(start)),
        Image.new("RGB", (WIDTH, HEIGHT), _hex(end)),
        mask,
    )


def _motif_bubbles(draw: ImageDraw.ImageDraw, spec: ImageSpec) -> None:
    boxes = [(90, 70, 470, 250), (560, 40, 1000, 220), (300, 290, 720, 450), (780, 270, 1120, 430)]
    for i, (x0, y0, x1, y1) in enumerate(boxes):
        draw.rounded_rectangle((x0, y0, x1, y1), radius=40, fill=SOFT if i % 2 else SOFTER)
        tail_x = x0 + 70 if i % 2 else x1 - 110
        draw.polygon([(tail_x, y1), (tail_x + 40, y1), (tail_x + 10, y1 + 45)], fill=SOFTER)


def _motif_grid(draw: ImageDraw.ImageDraw, spec: ImageSpec) -> None:
    for row in range(2):
        for col in range(3):
            x0, y0 = 110 + col * 340, 50 + row * 220
            draw.rounded_rectangle((x0, y0, x0 + 300, y0 + 190), radius=18, fill=SOFTER)
            cx = x0 + 150
            draw.ellipse((cx - 35, y0 + 40, cx + 35, y0 + 110), fill=SOFT)
            draw.pieslice((cx - 70, y0 + 120, cx + 70, y0 + 260), 180, 360, fill=SOFT)


def _motif_spotlight(draw: ImageDraw.ImageDraw, spec: ImageSpec) -> None:
    draw.polygon([(560, 0), (640, 0), (840, 460), (360, 460)], fill=SUN)
    draw.ellipse((360, 420, 840, 500), fill=SOFT)
    draw.rounded_rectangle((570, 180, 630, 300), radius=30, fill=WHITE)
    draw.rectangle((595, 300, 605, 440), fill=WHITE)
    draw.rectangle((550, 430, 650, 445), fill=WHITE)


def _motif_bars(draw: ImageDraw.ImageDraw, spec: ImageSpec) -> None:
    for i, height in enumerate((80, 140, 190, 260, 330, 420)):
        x0 = 160 + i * 150
        draw.rounded_rectangle((x0, 480 - height, x0 + 100, 480), radius=10, fill=SOFT)
    draw.line((120, 482, 1080, 482), fill=WHITE, width=4)


def _motif_filmstrip(draw: ImageDraw.ImageDraw, spec: ImageSpec) -> None:
    draw.rectangle((0, 110, WIDTH, 410), fill=(0, 0, 0, 110))
    for x in range(20, WIDTH, 70):
        draw.rounded_rectangle((x, 125, x + 34, 150), radius=5, fill=SOFT)
        draw.rounded_rectangle((x, 370, x + 34, 395), radius=5, fill=SOFT)
    for x in range(40, WIDTH, 290):
        draw.rectangle((x, 170, x + 250, 350), fill=SOFTER)


def _motif_calendar(draw: ImageDraw.ImageDraw, spec: ImageSpec) -> None:
    for row in range(4):
        for col in range(7):
            x0, y0 = 180 + col * 120, 50 + row * 110
            draw.rounded_rectangle((x0, y0, x0 + 100, y0 + 90), radius=12, fill=SOFTER)
            if row == 2 and col < 5:
                draw.ellipse((x0 + 5, y0 + 2, x0 + 95, y0 + 88), outline=WHITE, width=6)


def _motif_play(draw: ImageDraw.ImageDraw, spec: ImageSpec) -> None:
    draw.ellipse((480, 110, 720, 350), fill=SOFT)
    draw.polygon([(565, 170), (565, 290), (670, 230)], fill=WHITE)


def _motif_wordcloud(draw: ImageDraw.ImageDraw, spec: ImageSpec) -> None:
    """The members' words, bigger the more often said, packed in centred rows."""
    palette = [WHITE, (255, 209, 102), (142, 202, 230), (255, 183, 161), (183, 228, 199)]
    words = sorted(WORD_CLOUD_WORDS, key=lambda item: -item[1])
    rows: list[list[tuple[str, object, int, int]]] = [[]]
    row_width = 0
    for word, count in words:
        font = _font(30 + count * 10)
        left, top, right, bottom = draw.textbbox((0, 0), word, font=font)
        width = right - left + 40
        if rows[-1] and row_width + width > WIDTH - 120:
            rows.append([])
            row_width = 0
        rows[-1].append((word, font, width, bottom))
        row_width += width
    heights = [max(item[3] for item in row) + 20 for row in rows]
    y = (HEIGHT - sum(heights)) // 2
    index = 0
    for row, height in zip(rows, heights, strict=True):
        x = (WIDTH - sum(item[2] for item in row)) // 2
        for word, font, width, bottom in row:
            draw.text(
                (x + 20, y + height - bottom - 10),
                word,
                font=font,
                fill=palette[index % len(palette)],
            )
            x += width
            index += 1
        y += height


MOTIFS = {
    "bubbles": _motif_bubbles,
    "grid": _motif_grid,
    "spotlight": _motif_spotlight,
    "bars": _motif_bars,
    "filmstrip": _motif_filmstrip,
    "calendar": _motif_calendar,
    "play": _motif_play,
    "wordcloud": _motif_wordcloud,
}


def _label(draw: ImageDraw.ImageDraw, text: str) -> None:
    if not text:
        return
    font = _font(64)
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    band_top = HEIGHT - 150
    draw.rectangle((0, band_top, WIDTH, HEIGHT), fill=(0, 0, 0, 150))
    x = (WIDTH - (right - left)) // 2 - left
    y = band_top + (150 - (bottom - top)) // 2 - top
    draw.text((x, y), text, font=font, fill=WHITE)


def draw_demo_image(spec: ImageSpec) -> bytes:
    """The picture for ``spec`` as JPEG bytes (about 30–60 KB)."""
    base = _gradient(*spec.colours).convert("RGBA")
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    MOTIFS[spec.motif](draw, spec)
    _label(draw, spec.label)
    picture = Image.alpha_composite(base, overlay).convert("RGB")
    buffer = BytesIO()
    picture.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()
