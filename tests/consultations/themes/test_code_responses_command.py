"""``manage.py code_responses``: any CSV of answers coded into a YAML codebook's themes."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

CODEBOOK = """\
themes:
  - name: Knife crime
    description: Carrying knives and stabbings.
    keywords: [knife, knives, stabbing, stabbed]
  - name: Getting around
    keywords: [bus, buses, train, bus fare]
  - name: Things to do
    keywords: [youth club]
"""

RESPONSES = [
    ("a1", "Too many stabbings near the station"),
    ("a2", "The buses are late and the bus fare is too much"),
    ("a3", "I like my school"),
    ("a4", "We need a youth club, and people carry knives"),
]


def _csv(path: Path, header, rows) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def files(tmp_path):
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text(CODEBOOK, encoding="utf-8")
    responses = _csv(tmp_path / "responses.csv", ("id", "text"), RESPONSES)
    return tmp_path, responses, codebook


def _run(*args) -> str:
    out = StringIO()
    call_command("code_responses", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_codes_every_answer_and_writes_ids_themes_and_scores(files):
    folder, responses, codebook = files
    out = folder / "coded.csv"
    message = _run("--responses", responses, "--codebook", codebook, "--out", out)
    rows = _read(out)
    assert [row["id"] for row in rows] == ["a1", "a2", "a3", "a4"]
    assert list(rows[0]) == ["id", "themes", "scores"]
    assert rows[0]["themes"] == "Knife crime"
    assert rows[1]["themes"] == "Getting around"
    assert rows[2]["themes"] == "" and rows[2]["scores"] == ""
    assert set(rows[3]["themes"].split(";")) == {"Knife crime", "Things to do"}
    for row in rows:
        themes = [t for t in row["themes"].split(";") if t]
        scores = [s for s in row["scores"].split(";") if s]
        assert len(themes) == len(scores)
        assert all(len(s.split(".")[1]) == 3 and 0 <= float(s) <= 1 for s in scores)
        assert scores == sorted(scores, reverse=True)
    assert "Coded 4 answers into 3 themes" in message
    assert "1 matched no theme" in message


def test_the_output_holds_no_answer_text(files):
    folder, responses, codebook = files
    out = folder / "coded.csv"
    _run("--responses", responses, "--codebook", codebook, "--out", out)
    written = out.read_text(encoding="utf-8")
    assert "stabbings" not in written and "school" not in written


def test_hand_coded_examples_teach_the_engine(files):
    folder, _, codebook = files
    responses = _csv(folder / "r.csv", ("id", "text"), [("1", "so bored, nowhere to go at night")])
    bored = [(f"{t} {n}", "Things to do") for n in range(3) for t in (
        "nothing to do round here", "so bored at weekends", "nowhere to go", "we need a skate park"
    )]  # fmt: skip
    other = [(f"school is fine {n}", "") for n in range(6)] + [
        ("the bus is late", "Getting around"),
        ("knife crime is scary", "knife crime"),  # names match whatever the case
    ]
    examples = _csv(folder / "examples.csv", ("text", "themes"), bored + other)
    without = folder / "without.csv"
    with_examples = folder / "with.csv"
    _run("--responses", responses, "--codebook", codebook, "--out", without)
    message = _run(
        "--responses", responses, "--codebook", codebook, "--examples", examples,
        "--out", with_examples,
    )  # fmt: skip
    assert _read(without)[0]["themes"] == ""
    assert _read(with_examples)[0]["themes"] == "Things to do"
    assert "20 hand-coded examples used" in message


def test_progress_goes_to_stderr_for_big_files(files, monkeypatch):
    from consultations.themes.management.commands import code_responses

    monkeypatch.setattr(code_responses, "BATCH_SIZE", 2)
    folder, responses, codebook = files
    err = StringIO()
    call_command(
        "code_responses", "--responses", responses, "--codebook", codebook,
        "--out", folder / "o.csv", stdout=StringIO(), stderr=err,
    )  # fmt: skip
    assert err.getvalue().splitlines() == [
        "Coded 2 of 4 answers",
        "Coded 4 of 4 answers",
    ]
    assert len(_read(folder / "o.csv")) == 4


# --------------------------------------------------------------------------------------------
# Bad input: a clear error, a non-zero exit and no output file


def _fails(folder: Path, *args, match: str) -> None:
    out = folder / "coded.csv"
    with pytest.raises(CommandError, match=match):
        _run(*args, "--out", out)
    assert not out.exists()
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_missing_responses_file_is_refused(files):
    folder, _, codebook = files
    _fails(folder, "--responses", folder / "nope.csv", "--codebook", codebook,
           match="Responses file not found")  # fmt: skip


def test_an_empty_responses_file_is_refused(files):
    folder, _, codebook = files
    empty = folder / "empty.csv"
    empty.write_text("", encoding="utf-8")
    _fails(folder, "--responses", empty, "--codebook", codebook, match="is empty")


def test_a_responses_file_with_a_header_but_no_rows_is_refused(files):
    folder, _, codebook = files
    header_only = _csv(folder / "h.csv", ("id", "text"), [])
    _fails(folder, "--responses", header_only, "--codebook", codebook, match="no rows")


@pytest.mark.parametrize(("header", "missing"), [(("id", "answer"), "text"), (("text",), "id")])
def test_responses_without_the_needed_columns_are_refused(files, header, missing):
    folder, _, codebook = files
    bad = _csv(folder / "bad.csv", header, [("1",) * len(header)])
    _fails(folder, "--responses", bad, "--codebook", codebook,
           match=f"needs the columns id,text; missing: {missing}")  # fmt: skip


def test_repeated_or_empty_ids_are_refused(files):
    folder, _, codebook = files
    repeated = _csv(folder / "r.csv", ("id", "text"), [("1", "a"), ("1", "b")])
    _fails(folder, "--responses", repeated, "--codebook", codebook, match="id '1' was already")
    blank = _csv(folder / "b.csv", ("id", "text"), [("", "a")])
    _fails(folder, "--responses", blank, "--codebook", codebook, match="line 2: the id is empty")


def test_a_missing_codebook_is_refused(files):
    folder, responses, _ = files
    _fails(folder, "--responses", responses, "--codebook", folder / "none.yaml",
           match="codebook file not found")  # fmt: skip


def test_bad_yaml_is_refused(files):
    folder, responses, _ = files
    bad = folder / "bad.yaml"
    bad.write_text("themes: [\n", encoding="utf-8")
    _fails(folder, "--responses", responses, "--codebook", bad, match="not valid YAML")


def test_a_codebook_with_an_unknown_parent_is_refused(files):
    folder, responses, _ = files
    bad = folder / "bad.yaml"
    bad.write_text("themes:\n  - name: A\n    parent: B\n", encoding="utf-8")
    _fails(folder, "--responses", responses, "--codebook", bad, match="unknown parent 'B'")


def test_examples_with_an_unknown_theme_are_refused(files):
    folder, responses, codebook = files
    examples = _csv(folder / "e.csv", ("text", "themes"),
                    [("bus", "Getting around"), ("rain", "Getting around;Weather")])  # fmt: skip
    _fails(folder, "--responses", responses, "--codebook", codebook, "--examples", examples,
           match="line 3: unknown theme 'Weather'")  # fmt: skip


def test_examples_without_the_needed_columns_are_refused(files):
    folder, responses, codebook = files
    examples = _csv(folder / "e.csv", ("text", "codes"), [("bus", "Getting around")])
    _fails(folder, "--responses", responses, "--codebook", codebook, "--examples", examples,
           match="needs the columns text,themes; missing: themes")  # fmt: skip


def test_an_empty_examples_file_is_refused(files):
    folder, responses, codebook = files
    examples = folder / "e.csv"
    examples.write_text("", encoding="utf-8")
    _fails(folder, "--responses", responses, "--codebook", codebook, "--examples", examples,
           match="Examples file .* is empty")  # fmt: skip


def test_a_missing_examples_file_is_refused(files):
    folder, responses, codebook = files
    _fails(folder, "--responses", responses, "--codebook", codebook,
           "--examples", folder / "none.csv", match="Examples file not found")  # fmt: skip


def test_an_output_folder_that_does_not_exist_is_refused(files):
    folder, responses, codebook = files
    with pytest.raises(CommandError, match="folder does not exist"):
        _run("--responses", responses, "--codebook", codebook, "--out", folder / "x" / "o.csv")


def test_an_error_keeps_an_earlier_output_file_as_it_was(files):
    folder, responses, codebook = files
    out = folder / "coded.csv"
    out.write_text("earlier results\n", encoding="utf-8")
    with pytest.raises(CommandError):
        _run("--responses", folder / "nope.csv", "--codebook", codebook, "--out", out)
    assert out.read_text(encoding="utf-8") == "earlier results\n"


def test_the_command_exits_non_zero_from_the_shell(files):
    folder, _, codebook = files
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "manage.py", "code_responses", "--responses", str(folder / "no.csv"),
         "--codebook", str(codebook), "--out", str(folder / "o.csv")],
        cwd=root, capture_output=True, text=True, check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "youthforum.settings.test"},
    )  # fmt: skip
    assert result.returncode != 0
    assert "Responses file not found" in result.stderr
    assert not (folder / "o.csv").exists()
