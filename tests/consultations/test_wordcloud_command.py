"""``manage.py wordcloud``: a cloud of any CSV of answers, and a clear error for bad input."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

pytestmark = pytest.mark.django_db  # works on an empty database, right after migrate

ANSWERS = """id,text
1,More youth clubs please
2,"The buses are sooo late, we need more buses"
3,Mr Jones said the youth club is closing
4,mental health support in school
5,
6,my step dad hits me when he is drunk
"""


def write(tmp_path, text, name="answers.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run(*args):
    out = io.StringIO()
    call_command("wordcloud", *args, stdout=out)
    return out.getvalue()


def svg_words(path) -> set[str]:
    root = ET.fromstring(path.read_text())
    return {el.text for el in root.iter("{http://www.w3.org/2000/svg}text")}


def test_draws_a_png_from_a_csv(tmp_path):
    source = write(tmp_path, ANSWERS)
    out = tmp_path / "cloud.png"
    printed = run("--responses", str(source), "--out", str(out))
    image = Image.open(out)
    assert image.format == "PNG" and image.size == (810, 450)
    assert "The most used words were \u201cyouth club\u201d (2 answers)" in printed
    assert "Left out 1 answers that may be safeguarding disclosures" in printed


def test_the_same_csv_draws_the_same_png(tmp_path):
    source = write(tmp_path, ANSWERS)
    run("--responses", str(source), "--out", str(tmp_path / "a.png"))
    run("--responses", str(source), "--out", str(tmp_path / "b.png"))
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()


def test_draws_an_svg_without_names_disclosures_or_common_words(tmp_path):
    source = write(tmp_path, ANSWERS)
    out = tmp_path / "cloud.SVG"
    run("--responses", str(source), "--out", str(out))
    words = svg_words(out)
    assert {"youth club", "bus", "mental health"} <= words
    assert not {"jones", "mr", "name", "dad", "drunk", "the", "please", "sooo"} & words


def test_max_words_limits_the_cloud(tmp_path):
    source = write(tmp_path, ANSWERS)
    out = tmp_path / "cloud.svg"
    run("--responses", str(source), "--out", str(out), "--max-words", "2")
    assert svg_words(out) == {"youth club", "bus"}


def test_a_spreadsheet_saved_with_a_bom_and_capital_headings_is_read(tmp_path):
    source = write(tmp_path, "ID,Text\n1,skate park\n", encoding="utf-8-sig")
    out = tmp_path / "cloud.svg"
    run("--responses", str(source), "--out", str(out))
    assert svg_words(out) == {"skate park"}


@pytest.mark.parametrize(
    ("content", "out_name", "args", "message"),
    [
        (None, "cloud.png", (), "Responses file not found"),
        ("", "cloud.png", (), "is empty"),
        ("id,answer\n1,buses\n", "cloud.png", (), "needs a 'text' column"),
        ("id,text\n", "cloud.png", (), "has a header but no answers"),
        ("id,text\n1,\n2,the and of\n", "cloud.png", (), "no words to draw"),
        ("id,text\n1,buses\n", "cloud.jpg", (), "must end in .png or .svg"),
        ("id,text\n1,buses\n", "cloud", (), "must end in .png or .svg"),
        ("id,text\n1,buses\n", "missing/cloud.png", (), "the folder does not exist"),
        ("id,text\n1,buses\n", "cloud.png", ("--max-words", "0"), "between 1 and 300"),
        (b"id,text\n1,\xff\xfe bad\n", "cloud.png", (), "Cannot read the responses file"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_is_written(
    tmp_path, content, out_name, args, message
):
    source = tmp_path / "answers.csv"
    if isinstance(content, bytes):
        source.write_bytes(content)
    elif content is not None:
        source.write_text(content)
    out = tmp_path / out_name
    with pytest.raises(CommandError, match=message):
        run("--responses", str(source), "--out", str(out), *args)
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name != "answers.csv"] == []


def test_a_bad_input_exits_non_zero(tmp_path, capsys):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "wordcloud", "--responses", str(tmp_path / "nope.csv"),
         "--out", str(tmp_path / "cloud.png")],
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "Responses file not found" in result.stderr
