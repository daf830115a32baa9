"""Word clouds and their accessible twins, drawn from counts."""

import io
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PIL import Image

from consultations.analysis.word_clouds import (
    BACKGROUND,
    FONT_PATH,
    PALETTE,
    CloudSettings,
    TermRow,
    alt_text,
    bar_chart_svg,
    contrast_ratio,
    mask_from_image,
    render_png,
    render_svg,
    rows_from_counts,
)

SVG = "{http://www.w3.org/2000/svg}"

COUNTS = {
    "youth club": 40,
    "bus": 31,
    "mental health": 25,
    "park": 12,
    "knife crime": 9,
    "safe": 9,
    "listen": 3,
}
ANSWERS = {"youth club": 30, "bus": 20, "mental health": 20, "park": 10, "knife crime": 8}


def test_the_same_counts_draw_a_byte_identical_png():
    first = render_png(COUNTS)
    again = render_png(dict(reversed(list(COUNTS.items()))))  # order given does not matter
    assert first == again
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert Image.open(io.BytesIO(first)).size == (810, 450)


def test_different_counts_draw_a_different_png():
    assert render_png(COUNTS) != render_png({**COUNTS, "skate park": 50})


def test_max_words_limits_the_words_drawn():
    svg = render_svg(COUNTS, CloudSettings(max_words=2))
    words = [el.text for el in ET.fromstring(svg).iter(f"{SVG}text")]
    assert sorted(words) == ["bus", "youth club"]


def test_empty_counts_draw_an_empty_picture_not_an_error():
    png = render_png({})
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.getcolors() == [(810 * 450, (255, 255, 255))]
    ET.fromstring(render_svg({}))


def test_every_palette_colour_has_enough_contrast_on_the_background():
    assert 4 <= len(PALETTE) <= 6
    for colour in PALETTE:
        assert contrast_ratio(colour, BACKGROUND) >= 4.5, colour


def test_contrast_ratio_matches_the_wcag_figures():
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast_ratio("#FFFFFF", "#FFFFFF") == pytest.approx(1)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


def test_a_palette_colour_without_enough_contrast_is_refused():
    with pytest.raises(ValueError, match="contrast"):
        CloudSettings(palette=("#1D3557", "#FFD700"))


def test_words_are_drawn_in_palette_colours():
    image = Image.open(io.BytesIO(render_png(COUNTS))).convert("RGB")
    palette = {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in PALETTE}
    by_pixels = sorted(image.getcolors(maxcolors=100_000), reverse=True)
    inks = [colour for _, colour in by_pixels if colour != (255, 255, 255)]
    # Anti-aliased edges blend into white; the colours that fill the letters are the palette's.
    assert set(inks[:3]) <= palette


def test_the_bundled_font_and_its_licence_are_there():
    assert FONT_PATH.is_file()
    licence = (FONT_PATH.parent / "LICENSE_DEJAVU.txt").read_text()
    assert "Bitstream" in licence


def test_a_mask_keeps_words_in_its_dark_part():
    shape = Image.new("L", (1620, 900), 255)
    shape.paste(0, (0, 0, 800, 900))  # left half dark: words go there only
    mask = mask_from_image(shape)
    assert mask.shape == (450, 810)
    assert set(np.unique(mask)) == {0, 255}
    image = Image.open(io.BytesIO(render_png(COUNTS, CloudSettings(mask=mask)))).convert("L")
    right = np.asarray(image)[:, 410:]
    left = np.asarray(image)[:, :390]
    assert right.min() == 255  # nothing drawn on the light half
    assert left.min() < 128


def test_rows_rank_by_count_then_alphabetically_with_shares():
    rows = rows_from_counts(COUNTS, answers=ANSWERS, total_answers=40)
    assert [row.term for row in rows][:6] == [
        "youth club",
        "bus",
        "mental health",
        "park",
        "knife crime",
        "safe",
    ]
    assert rows[0] == TermRow("youth club", 40, 30, 0.75)
    assert rows[0].percent == "75%"
    assert TermRow("x", 1, 1, 0.001).percent == "<1%"


def test_alt_text_names_the_top_words_with_their_answers():
    rows = rows_from_counts(COUNTS, answers=ANSWERS, total_answers=40)
    assert alt_text(rows, limit=3) == (
        "The most used words were \u201cyouth club\u201d (30 answers), \u201cbus\u201d "
        "(20 answers) and \u201cmental health\u201d (20 answers)."
    )
    one = "The most used word was \u201cbus\u201d (1 answer)."
    assert alt_text([TermRow("bus", 2, 1, 1.0)]) == one
    assert "No words" in alt_text([])


def test_bar_chart_is_valid_svg_with_title_description_and_every_count():
    rows = rows_from_counts(COUNTS, answers=ANSWERS, total_answers=40)
    svg = bar_chart_svg(rows, title="Most used words <top>")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Most used words <top>"
    assert root.find(f"{SVG}desc").text == alt_text(rows)
    labels = [el.text for el in root.iter(f"{SVG}text")]
    for row in rows:
        assert row.term in labels and str(row.count) in labels
    bars = list(root.iter(f"{SVG}rect"))[1:]  # the first is the background
    widths = [float(bar.get("width")) for bar in bars]
    assert widths == sorted(widths, reverse=True)
    assert "<script" not in svg


def test_word_cloud_svg_is_valid_with_title_and_description():
    svg = render_svg(COUNTS, title="Word cloud", description="The most used words were …")
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Word cloud"
    assert root.find(f"{SVG}desc").text.startswith("The most used")
    assert {el.text for el in root.iter(f"{SVG}text")} == set(COUNTS)
