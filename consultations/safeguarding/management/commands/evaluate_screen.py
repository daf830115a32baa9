"""``python manage.py evaluate_screen FILE.csv``: how well the safeguarding screen does on a set.

FILE.csv has the columns ``text`` and ``label``. ``label`` is a category's machine name
(``self_harm``, ``abuse_neglect``, ...), several joined with ``;``, or ``none`` for an ordinary
answer. The command prints recall and precision overall (flagged or not) and per category, the
false-positive rate on ordinary answers, and lists the misses and false alarms so the rules can be
improved. The screen itself is :mod:`consultations.analysis.safeguarding`; the guide for
safeguarding staff is docs/safeguarding-screen.md.

``--rules DIR`` screens with the YAML files in DIR (repeat to add folders; later ones extend
earlier ones), to try changed rules before they go live. The learned check
(``learned_check.json``, see ``train_screen_check``) is used when a folder has one;
``--rules-only`` leaves it out, to see what the rules find alone. ``--explain "some text"``
shows how the screen reads one answer and what each rule (and the learned check) made of it.

The lists print the answers in the file: run it on test sets, not on real answers you may not
share. Nothing is logged.
"""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from consultations.analysis.safeguarding import (
    RULES_DIR,
    Screen,
    ScreenRulesError,
    evaluate,
    load_screen,
    parse_labels,
)


def _figure(value: float | None, part: int | None = None, whole: int | None = None) -> str:
    if value is None:
        return "-"
    text = f"{value:.3f}"
    return f"{text} ({part}/{whole})" if part is not None else text


class Command(BaseCommand):
    help = (
        "Measure the safeguarding screen on a labelled CSV (columns text,label; label is a "
        "category name, several joined with ';', or 'none')."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="CSV file with columns text,label.")
        parser.add_argument(
            "--rules",
            action="append",
            metavar="DIR",
            help="Read the screen's rules from DIR instead of the shipped ones (repeatable).",
        )
        parser.add_argument(
            "--rules-only",
            action="store_true",
            help="Leave out the learned check: measure the rules alone.",
        )
        parser.add_argument(
            "--explain",
            metavar="TEXT",
            help="Show how the screen reads TEXT and what each rule made of it.",
        )

    def handle(self, *args, file=None, rules=None, explain=None, rules_only=False, **options):
        try:
            if rules or rules_only:
                screen = Screen(*(rules or [RULES_DIR]), learned=not rules_only)
            else:
                screen = load_screen()
        except ScreenRulesError as exc:
            raise CommandError(f"The screen's rules cannot be read: {exc}") from exc
        if explain is not None:
            for line in screen.explain(explain):
                self.stdout.write(line)
            return
        if not file:
            raise CommandError("Give a CSV file to evaluate (or --explain TEXT).")
        examples = self._read(Path(file), screen)
        result = evaluate(examples, rules=screen)
        self._report(result, rules or [str(RULES_DIR)], screen)

    def _read(self, path: Path, screen: Screen) -> list[tuple[str, frozenset[str]]]:
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                if not reader.fieldnames or not {"text", "label"} <= set(reader.fieldnames):
                    raise CommandError(f"{path}: expected the columns text,label")
                examples = []
                for line, row in enumerate(reader, start=2):
                    text = (row.get("text") or "").strip()
                    if not text:
                        continue
                    try:
                        examples.append(
                            (text, parse_labels(row.get("label") or "", screen.categories))
                        )
                    except ValueError as exc:
                        known = ", ".join(screen.categories)
                        raise CommandError(
                            f"{path}, line {line}: {exc}. Known categories: {known}, or none."
                        ) from exc
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        if not examples:
            raise CommandError(f"{path}: no labelled answers")
        return examples

    def _report(self, result, folders, screen) -> None:
        out = self.stdout.write
        out(
            f"Safeguarding screen on {result.disclosures + result.ordinary} answers: "
            f"{result.disclosures} disclosures, {result.ordinary} ordinary."
        )
        out(f"Rules: {', '.join(str(f) for f in folders)}")
        if screen.learned is None:
            out("Learned check: not used")
        else:
            check = screen.learned
            short = (
                f" ({check.short_threshold:.2f} for answers under {check.short_words} words)"
                if check.short_threshold != check.threshold
                else ""
            )
            out(
                f"Learned check: learned from {check.examples} examples, "
                f"flags from {check.threshold:.2f}{short}"
            )
        out("")
        out("Overall (flagged or not)")
        out(f"  recall     {_figure(result.recall, result.caught, result.disclosures)}")
        said = result.caught + result.false_alarms
        out(f"  precision  {_figure(result.precision, result.caught, said)}")
        out(
            "  false-positive rate on ordinary answers  "
            f"{_figure(result.false_positive_rate, result.false_alarms, result.ordinary)}"
        )
        out("")
        out("Per category (recall: flagged under that category; flagged: flagged at all)")
        width = max(len(c.name) for c in result.categories.values())
        heads = f"{'examples':>8}  {'recall':>7}  {'flagged':>7}  {'precision':>9}"
        out(f"  {'category':<{width}}  {heads}")
        for c in result.categories.values():
            out(
                f"  {c.name:<{width}}  {c.examples:>8}  {_figure(c.recall):>7}  "
                f"{_figure(c.flagged_rate):>7}  {_figure(c.precision):>9}"
            )
        out("")
        out(f"Misses (disclosures not flagged): {len(result.misses)}")
        for text, labels in result.misses:
            out(f"  [{';'.join(sorted(labels))}] {text}")
        out("")
        out(f"Flagged under another category: {len(result.wrong_category)}")
        for text, labels, got in result.wrong_category:
            out(f"  [{';'.join(sorted(labels))} -> {';'.join(got)}] {text}")
        out("")
        out(f"False alarms (ordinary answers flagged): {len(result.false_alarm_rows)}")
        for text, got in result.false_alarm_rows:
            rules = "; ".join(sorted({f"{s.category}: {s.rule}" for s in got.spans}))
            out(f"  {text}")
            out(f"      by {rules}")
