"""``python manage.py train_screen_check``: learn the safeguarding screen's second look again.

Reads the labelled examples (``text,label`` CSVs, as for ``evaluate_screen``) in
``consultations/analysis/data/safeguarding/examples/`` (or the files and folders given with
``--examples``), learns the check (:mod:`consultations.analysis.learned_check`) over the words as
the screen's rules read them, and writes ``learned_check.json`` beside the rules (or ``--output``).
Run it after adding examples or changing ``_normalise.yaml``; then run ``evaluate_screen`` on a set
the examples do not include.

``--check`` writes nothing: it learns again and fails if the stored check differs from what the
examples give (the test suite runs it, so a changed example or word list without a retrain is
caught). Needs scikit-learn (installed with the project).
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from consultations.analysis.learned_check import (
    DEFAULT_THRESHOLD,
    MODEL_NAME,
    read_examples,
    train,
    write_model,
)
from consultations.analysis.safeguarding import (
    _COMMON,
    _EVERYWHERE,
    RULES_DIR,
    Screen,
    ScreenRulesError,
)

EXAMPLES_DIR = RULES_DIR / "examples"
#: How far a stored number may be from a new training's before ``--check`` calls them different
#: (scikit-learn's solver may differ in the last places between machines).
TOLERANCE = 1e-3


def _numbers(value) -> list[float]:
    """A stored number, list of numbers or feature entry ``[idf, weight, [per category]]``,
    flattened."""
    if isinstance(value, list):
        return [x for part in value for x in _numbers(part)]
    return [value]


def _far(a, b) -> bool:
    """Whether two stored values differ in shape, or anywhere by more than ``TOLERANCE``."""
    a, b = _numbers(a), _numbers(b)
    return len(a) != len(b) or any(abs(x - y) > TOLERANCE for x, y in zip(a, b, strict=True))


def _differences(stored: dict, fresh: dict) -> list[str]:
    found = []
    for key in ("format", "threshold", "categories", "examples", "fillers", "triggers"):
        if stored.get(key) != fresh.get(key):
            found.append(key)
    for key in ("intercept", "category_intercepts"):
        if _far(stored.get(key), fresh.get(key)):
            found.append(key)
    old, new = stored.get("features", {}), fresh.get("features", {})
    if set(old) != set(new):
        found.append(f"features ({len(set(old) ^ set(new))} added or gone)")
    else:
        changed = sum(_far(old[f], value) for f, value in new.items())
        if changed:
            found.append(f"weights of {changed} features")
    return found


class Command(BaseCommand):
    help = "Learn the safeguarding screen's second look from labelled examples (text,label CSVs)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--examples",
            action="append",
            metavar="PATH",
            help=f"A CSV file or a folder of them (repeatable). Default: {EXAMPLES_DIR}.",
        )
        parser.add_argument(
            "--rules",
            action="append",
            metavar="DIR",
            help="Read the words as these rules' folders do (repeatable). Default: shipped rules.",
        )
        parser.add_argument(
            "--output",
            metavar="FILE",
            help=f"Where to write it. Default: {RULES_DIR / MODEL_NAME}.",
        )
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help=f"How sure the check must be to flag, 0 to 1 (default {DEFAULT_THRESHOLD}).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the stored check is not what the examples give.",
        )

    def handle(self, *args, examples=None, rules=None, output=None, threshold, check, **options):
        if not 0 < threshold < 1:
            raise CommandError("--threshold must be between 0 and 1, e.g. 0.9.")
        try:
            screen = Screen(*(rules or [RULES_DIR]), learned=False)
        except ScreenRulesError as exc:
            raise CommandError(f"The screen's rules cannot be read: {exc}") from exc
        sources = [Path(p) for p in (examples or [EXAMPLES_DIR])]
        for path in sources:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder")
        try:
            rows = read_examples(sources)
            model = train(
                rows,
                screen.words,
                categories=screen.categories,
                ignore=_COMMON | _EVERYWHERE,
                threshold=threshold,
            )
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        target = Path(output) if output else Path(rules[-1] if rules else RULES_DIR) / MODEL_NAME
        flagged = sum(label.strip() != "none" for _, label in rows)
        summary = (
            f"{len(rows)} examples ({flagged} disclosures, {len(rows) - flagged} ordinary), "
            f"{len(model['features'])} features, threshold {threshold}"
        )
        if check:
            if not target.is_file():
                raise CommandError(f"{target}: no stored check to compare")
            with target.open(encoding="utf-8") as fh:
                differences = _differences(json.load(fh), model)
            if differences:
                raise CommandError(
                    f"{target} is not what the examples give ({'; '.join(differences)}). "
                    "Run `python manage.py train_screen_check` and commit the file."
                )
            self.stdout.write(f"{target} matches its examples: {summary}.")
            return
        write_model(model, target)
        self.stdout.write(f"Wrote {target}: {summary}.")
