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

``--with-lead-corrections`` also learns from the concerns Safeguarding leads corrected in the
queue (:func:`lead_corrected_examples`): a category or severity a lead changed, or a concern a lead
closed with No further action and marked a false alarm. Only answers whose words are still stored
count (the retention period purges them). The check it writes then holds words and word pairs
from real answers, so it must not go over the shipped file or into the repository: give
``--output`` or ``--rules`` (your own rules folder), never the shipped one.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from consultations.analysis.learned_check import (
    FALSE_ALARMS,
    MODEL_NAME,
    read_examples,
    write_model,
)
from consultations.analysis.safeguarding import RULES_DIR, Screen, ScreenRulesError
from consultations.safeguarding.models import ConcernStatus, SafeguardingConcern
from consultations.safeguarding.services import ACTION_CATEGORY, ACTION_SEVERITY, ACTION_STATUS

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


def _false_alarm(concern: SafeguardingConcern) -> bool:
    """Closed with No further action, and marked a false alarm since it last changed status."""
    marked = False
    for note in concern.notes.all():  # oldest first
        if note.action == ACTION_STATUS:
            marked = False
        if (note.changes or {}).get("false_alarm"):
            marked = True
    return marked and concern.status == ConcernStatus.NO_FURTHER_ACTION


def lead_corrected_examples(categories) -> tuple[list[tuple[str, str]], dict[str, int]]:
    """``(text, label)`` rows from the concerns leads corrected, and counts of what was left out.

    A lead corrected a concern when they changed its category or severity, or closed it with No
    further action marking it a false alarm. The label is the lead's final word: ``none`` for a
    false alarm still standing, otherwise the concern's categories as the lead left them (those
    the screen knows, ``;``-joined). Left out: answers whose words are gone (purged or deleted),
    demo answers, and concerns with no category the screen knows. Each answer counts once.
    """
    known = set(categories)
    concerns = (
        SafeguardingConcern.objects.filter(
            Q(notes__action__in=[ACTION_CATEGORY, ACTION_SEVERITY])
            | Q(notes__changes__has_key="false_alarm")
        )
        .distinct()
        .select_related("answer", "response")
        .prefetch_related("notes")
        .order_by("pk")
    )
    rows: dict[str, str] = {}
    left_out = {"no words": 0, "demo": 0, "no category": 0}
    for concern in concerns:
        changed = any(n.action in (ACTION_CATEGORY, ACTION_SEVERITY) for n in concern.notes.all())
        false_alarm = _false_alarm(concern)
        if not (changed or false_alarm):
            continue  # marked a false alarm once, but reopened since
        text = (concern.answer.text if concern.answer else "").strip()
        if not text:
            left_out["no words"] += 1
            continue
        if concern.response is not None and concern.response.is_demo:
            left_out["demo"] += 1
            continue
        if false_alarm:
            label = "none"
        else:
            label = ";".join(name for name in concern.categories or [] if name in known)
            if not label:
                left_out["no category"] += 1
                continue
        rows[text] = label  # the latest concern about the same words has the last word
    return list(rows.items()), left_out


def _differences(stored: dict, fresh: dict) -> list[str]:
    found = []
    for key in (
        "format",
        "threshold",
        "short_threshold",
        "sentence_threshold",
        "short_words",
        "look_alike_threshold",
        "false_alarms",
        "letter_sizes",
        "categories",
        "examples",
        "fillers",
    ):
        if stored.get(key) != fresh.get(key):
            found.append(key)
    for key in ("intercept", "category_intercepts"):
        if _far(stored.get(key), fresh.get(key)):
            found.append(key)
    for table in ("features", "letters"):
        old, new = stored.get(table, {}), fresh.get(table, {})
        if set(old) != set(new):
            found.append(f"{table} ({len(set(old) ^ set(new))} added or gone)")
        else:
            changed = sum(_far(old[f], value) for f, value in new.items())
            if changed:
                found.append(f"weights of {changed} {table}")
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
            help=(
                "How sure the check must be to flag, 0 to 1. Default: set five-fold on the "
                f"examples, to flag no more than {FALSE_ALARMS * 100:.0f}%% of the ordinary ones "
                "the rules pass."
            ),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the stored check is not what the examples give.",
        )
        parser.add_argument(
            "--with-lead-corrections",
            action="store_true",
            help=(
                "Also learn from the concerns Safeguarding leads corrected (category or severity "
                "changed, or closed as a false alarm) whose words are still stored. Needs --output "
                "or --rules: the result holds words from real answers."
            ),
        )

    def handle(
        self,
        *args,
        examples=None,
        rules=None,
        output=None,
        threshold=None,
        check,
        with_lead_corrections=False,
        **options,
    ):
        if threshold is not None and not 0 < threshold < 1:
            raise CommandError("--threshold must be between 0 and 1, e.g. 0.9.")
        try:
            screen = Screen(*(rules or [RULES_DIR]), learned=False)
        except ScreenRulesError as exc:
            raise CommandError(f"The screen's rules cannot be read: {exc}") from exc
        target = Path(output) if output else Path(rules[-1] if rules else RULES_DIR) / MODEL_NAME
        if with_lead_corrections and check:
            raise CommandError(
                "--check compares with the examples in the repository; "
                "it cannot include lead corrections."
            )
        if with_lead_corrections and target.resolve() == (RULES_DIR / MODEL_NAME).resolve():
            raise CommandError(
                "--with-lead-corrections learns from real answers: write it with --output or to "
                "your own --rules folder, never over the shipped check."
            )
        sources = [Path(p) for p in (examples or [EXAMPLES_DIR])]
        for path in sources:
            if not path.exists():
                raise CommandError(f"{path}: no such file or folder")
        corrected: list[tuple[str, str]] = []
        left_out: dict[str, int] = {}
        try:
            rows = read_examples(sources)
            if with_lead_corrections:
                corrected, left_out = lead_corrected_examples(screen.categories)
                rows = rows + corrected
            model = screen.learn_check(rows, threshold=threshold)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        flagged = sum(label.strip() != "none" for _, label in rows)
        summary = (
            f"{len(rows)} examples ({flagged} disclosures, {len(rows) - flagged} ordinary), "
            f"{len(model['features'])} words and pairs, {len(model['letters'])} runs of letters, "
            f"threshold {model['threshold']}"
            + ("" if threshold is not None else " (five-fold)")
            + (
                f", {model['short_threshold']} under {model['short_words']} words"
                if model["short_threshold"] != model["threshold"]
                else ""
            )
        )
        if with_lead_corrections:
            alarms = sum(label == "none" for _, label in corrected)
            gaps = ", ".join(f"{n} {why}" for why, n in left_out.items() if n) or "none"
            summary += (
                f"; {len(corrected)} of them from leads' corrections "
                f"({len(corrected) - alarms} disclosures, {alarms} false alarms; left out: {gaps})"
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
