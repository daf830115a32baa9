"""``python manage.py code_responses``: code any CSV of answers into a codebook's themes.

    python manage.py code_responses --responses R.csv --codebook C.yaml \\
        [--examples E.csv] --out O.csv

* ``R.csv`` has the columns ``id,text`` (others are ignored);
* ``C.yaml`` is ``themes:`` and a list of themes, each with a ``name`` and optionally a
  ``description``, ``keywords`` (a list of words and phrases) and a ``parent`` (two levels);
* ``E.csv`` (optional) has the columns ``text,themes``: answers a person has coded, theme names
  separated by ``;`` (empty for "none of these themes"); the engine learns from them;
* ``O.csv`` gets the columns ``id,themes,scores``: for each answer, in the order of R.csv, the
  themes chosen (best first) and their confidences (3 decimals), both ``;``-separated in the
  same order.

It needs no database rows, so it works right after ``migrate``. It codes the text exactly as
given (it does not redact it) and writes no answer text to O.csv, only ids, theme names and
scores. O.csv is written to a temporary file and moved into place at the end, so an error
leaves no half-written file. Bad input (a missing or empty file, a missing column, bad YAML,
an unknown theme in E.csv, a repeated id) stops the command with a message and a non-zero exit.
"""

import csv
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from consultations.analysis.theme_coding import Example, default_engine, load_codebook_yaml

#: Answers scored at a time; progress is reported after each batch when there are more.
BATCH_SIZE = 5000


def _read_csv(path: Path, required: tuple[str, ...], what: str) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames
            if not header:
                raise CommandError(f"{what} file {path} is empty.")
            header = [name.strip().lower() if name else "" for name in header]
            missing = [name for name in required if name not in header]
            if missing:
                raise CommandError(
                    f"{what} file {path} needs the columns {','.join(required)}; "
                    f"missing: {', '.join(missing)}."
                )
            reader.fieldnames = header
            rows = list(reader)
    except FileNotFoundError:
        raise CommandError(f"{what} file not found: {path}") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CommandError(f"Cannot read the {what.lower()} file {path}: {error}") from None
    if not rows:
        raise CommandError(f"{what} file {path} has a header but no rows.")
    return rows


class Command(BaseCommand):
    help = (
        "Code the answers in a CSV (columns id,text) into the themes of a YAML codebook, "
        "optionally learning from hand-coded examples (columns text,themes), and write "
        "id,themes,scores to a CSV."
    )

    def add_arguments(self, parser):
        parser.add_argument("--responses", required=True, metavar="R.csv",
                            help="CSV of answers with the columns id,text.")  # fmt: skip
        parser.add_argument("--codebook", required=True, metavar="C.yaml",
                            help="YAML codebook: 'themes:' then name, description, keywords, "
                                 "parent.")  # fmt: skip
        parser.add_argument("--examples", metavar="E.csv",
                            help="CSV of hand-coded answers with the columns text,themes "
                                 "(theme names separated by ';').")  # fmt: skip
        parser.add_argument("--out", required=True, metavar="O.csv",
                            help="Where to write id,themes,scores.")  # fmt: skip

    def handle(self, *args, responses, codebook, examples=None, out, **options):
        try:
            themes = load_codebook_yaml(Path(codebook))
        except ValueError as error:
            raise CommandError(f"The codebook cannot be used: {error}") from None
        rows = _read_csv(Path(responses), ("id", "text"), "Responses")
        ids = [(row.get("id") or "").strip() for row in rows]
        seen: dict[str, int] = {}
        for line, answer_id in enumerate(ids, start=2):
            if not answer_id:
                raise CommandError(f"Responses file {responses}, line {line}: the id is empty.")
            if answer_id in seen:
                raise CommandError(
                    f"Responses file {responses}, line {line}: id {answer_id!r} was already "
                    f"used on line {seen[answer_id]}."
                )
            seen[answer_id] = line
        coded = self._examples(Path(examples), themes) if examples else []

        out_path = Path(out)
        if not out_path.parent.is_dir():
            raise CommandError(f"Cannot write {out_path}: the folder does not exist.")

        engine = default_engine().fit(themes, coded)
        texts = [row.get("text") or "" for row in rows]
        handle, temporary = tempfile.mkstemp(
            dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp"
        )
        matched = 0
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as output:
                writer = csv.writer(output)
                writer.writerow(["id", "themes", "scores"])
                for start in range(0, len(texts), BATCH_SIZE):
                    batch = texts[start : start + BATCH_SIZE]
                    for answer_id, scores in zip(ids[start:], engine.scores(batch), strict=False):
                        chosen = engine.assign(scores)
                        matched += bool(chosen)
                        writer.writerow([
                            answer_id,
                            ";".join(name for name, _ in chosen),
                            ";".join(f"{score:.3f}" for _, score in chosen),
                        ])  # fmt: skip
                    if len(texts) > BATCH_SIZE:
                        done = min(start + BATCH_SIZE, len(texts))
                        self.stderr.write(f"Coded {done:,} of {len(texts):,} answers")
                        self.stderr.flush()
            os.replace(temporary, out_path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(
            f"Coded {len(texts):,} answers into {len(themes)} themes "
            f"({len(coded):,} hand-coded examples used); {len(texts) - matched:,} matched no "
            f"theme. Wrote {out_path}."
        )

    def _examples(self, path: Path, themes) -> list[Example]:
        rows = _read_csv(path, ("text", "themes"), "Examples")
        names = {theme.name.casefold(): theme.name for theme in themes}
        examples = []
        for line, row in enumerate(rows, start=2):
            chosen = set()
            for part in (row.get("themes") or "").split(";"):
                part = " ".join(part.split())
                if not part:
                    continue
                if part.casefold() not in names:
                    raise CommandError(
                        f"Examples file {path}, line {line}: unknown theme {part!r}. "
                        f"The codebook's themes are: {', '.join(t.name for t in themes)}."
                    )
                chosen.add(names[part.casefold()])
            examples.append(Example(row.get("text") or "", frozenset(chosen)))
        return examples
