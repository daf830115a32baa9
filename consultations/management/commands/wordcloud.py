"""``python manage.py wordcloud --responses R.csv --out cloud.png|cloud.svg [--max-words N]``.

Draws a word cloud of any CSV of answers (columns ``id,text``, such as answers collected
elsewhere), with no database content needed. Each answer is screened for safeguarding
disclosures (flagged answers are left out, as the site holds them back) and redacted before its
words are counted; phrases are the bundled ones plus those found in the answers. Prints the
most used words and the alt text, the cloud's accessible twin. Nothing is written unless the
whole cloud is drawn.
"""

import csv
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from consultations.analysis.redaction import redact
from consultations.analysis.safeguarding import screen
from consultations.analysis.text import build_phrases, terms
from consultations.analysis.word_clouds import (
    CloudSettings,
    alt_text,
    render_png,
    render_svg,
    rows_from_counts,
)

FORMATS = (".png", ".svg")


def read_texts(path: Path) -> list[str]:
    """The ``text`` column of a CSV, refusing a missing, unreadable or empty file."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not reader.fieldnames:
                raise CommandError(f"Responses file {path} is empty.")
            header = [(name or "").strip().lower() for name in reader.fieldnames]
            if "text" not in header:
                raise CommandError(
                    f"Responses file {path} needs a 'text' column (columns id,text); "
                    f"it has: {', '.join(name for name in header if name) or 'no headings'}."
                )
            reader.fieldnames = header
            texts = [row.get("text") or "" for row in reader]
    except FileNotFoundError:
        raise CommandError(f"Responses file not found: {path}") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CommandError(f"Cannot read the responses file {path}: {error}") from None
    if not texts:
        raise CommandError(f"Responses file {path} has a header but no answers.")
    return texts


class Command(BaseCommand):
    help = (
        "Draw a word cloud (PNG or SVG) of the answers in a CSV with the columns id,text. "
        "Answers are screened and redacted first; flagged answers are left out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--responses", required=True, metavar="R.csv",
                            help="CSV of answers with the columns id,text.")  # fmt: skip
        parser.add_argument("--out", required=True, metavar="cloud.png",
                            help="Where to write the cloud: a .png or .svg file.")  # fmt: skip
        parser.add_argument("--max-words", type=int, default=100, metavar="N",
                            help="Most words in the cloud (1 to 300; default 100).")  # fmt: skip

    def handle(self, *args, responses, out, max_words, **options):
        out_path = Path(out)
        suffix = out_path.suffix.lower()
        if suffix not in FORMATS:
            raise CommandError(f"Cannot write {out_path}: the file name must end in .png or .svg.")
        if not 1 <= max_words <= 300:
            raise CommandError("--max-words must be between 1 and 300.")
        if not out_path.parent.is_dir():
            raise CommandError(f"Cannot write {out_path}: the folder does not exist.")

        texts = read_texts(Path(responses))
        kept, held = [], 0
        for text in texts:
            if not text.strip():
                continue
            if screen(text).flagged:
                held += 1
                continue
            kept.append(redact(text).text)
        phrases = build_phrases(kept)
        counts: dict[str, int] = {}
        answers: dict[str, int] = {}
        for text in kept:
            for term, count in terms(text, phrases=phrases).items():
                counts[term] = counts.get(term, 0) + count
                answers[term] = answers.get(term, 0) + 1
        if not counts:
            raise CommandError(
                "There are no words to draw: every answer was empty, flagged or only common words."
            )
        rows = rows_from_counts(counts, answers=answers, total_answers=len(kept))
        settings = CloudSettings(max_words=max_words)
        if suffix == ".png":
            content = render_png(counts, settings)
        else:
            content = render_svg(
                counts, settings, title="Word cloud", description=alt_text(rows)
            ).encode("utf-8")
        self._write(out_path, content)

        write = self.stdout.write
        write(
            f"Drew the {min(max_words, len(counts))} most used of {len(counts):,} words and "
            f"phrases from {len(kept):,} answers to {out_path}."
        )
        if held:
            write(
                f"Left out {held:,} answers that may be safeguarding disclosures: "
                "ask a Safeguarding lead to read them."
            )
        write(alt_text(rows))
        for rank, row in enumerate(rows[:10], start=1):
            write(f"{rank:>3}. {row.term}: used {row.count:,} times in {row.answers:,} answers")

    @staticmethod
    def _write(path: Path, content: bytes) -> None:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as output:
                output.write(content)
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file, not mkstemp's 0600
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
