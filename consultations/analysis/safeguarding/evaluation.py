"""Measuring the screen on a labelled set: recall, precision and the mistakes, per category.

Each example is an answer and the categories a person gave it (:func:`parse_labels` reads
``"none"`` or ``"self_harm;abuse_neglect"``); :func:`evaluate` screens them all and counts.
``manage.py evaluate_screen`` and the tests use it to hold the screen to its targets.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .results import ScreenResult
from .screening import Screen, load_screen

NONE_LABEL = "none"


def parse_labels(label: str, known: Iterable[str]) -> frozenset[str]:
    """``"none"`` -> no categories; ``"self_harm;abuse_neglect"`` -> both. Raises on unknowns."""
    names = frozenset(p.strip() for p in (label or "").split(";") if p.strip())
    if not names:
        raise ValueError("empty label (use 'none' for an ordinary answer)")
    if names == {NONE_LABEL}:
        return frozenset()
    unknown = names - set(known)
    if unknown:
        raise ValueError(
            f"unknown categor{'y' if len(unknown) == 1 else 'ies'}: {', '.join(sorted(unknown))}"
        )
    return names


@dataclass(slots=True)
class CategoryFigures:
    """How one category did: ``found`` rows were flagged with it, ``flagged`` flagged at all."""

    name: str
    label: str
    examples: int = 0
    found: int = 0
    flagged: int = 0
    false_alarms: int = 0

    @property
    def recall(self) -> float | None:
        return self.found / self.examples if self.examples else None

    @property
    def flagged_rate(self) -> float | None:
        return self.flagged / self.examples if self.examples else None

    @property
    def precision(self) -> float | None:
        said = self.found + self.false_alarms
        return self.found / said if said else None


@dataclass(slots=True)
class Evaluation:
    """Figures for a labelled set: overall (flagged or not), per category, and the mistakes."""

    disclosures: int = 0
    ordinary: int = 0
    caught: int = 0
    false_alarms: int = 0
    categories: dict[str, CategoryFigures] = field(default_factory=dict)
    misses: list[tuple[str, frozenset[str]]] = field(default_factory=list)
    wrong_category: list[tuple[str, frozenset[str], list[str]]] = field(default_factory=list)
    false_alarm_rows: list[tuple[str, ScreenResult]] = field(default_factory=list)

    @property
    def recall(self) -> float | None:
        return self.caught / self.disclosures if self.disclosures else None

    @property
    def precision(self) -> float | None:
        said = self.caught + self.false_alarms
        return self.caught / said if said else None

    @property
    def false_positive_rate(self) -> float | None:
        return self.false_alarms / self.ordinary if self.ordinary else None


def evaluate(
    examples: Iterable[tuple[str, frozenset[str]]], *, rules: Screen | None = None
) -> Evaluation:
    """Screen each ``(text, categories)`` pair (no categories: an ordinary answer) and count."""
    rules = rules or load_screen()
    result = Evaluation(
        categories={n: CategoryFigures(n, label) for n, label in rules.categories.items()}
    )
    for text, labels in examples:
        got = rules.screen(text)
        found = set(got.categories)
        for name in labels:
            figures = result.categories[name]
            figures.examples += 1
            figures.found += name in found
            figures.flagged += got.flagged
        for name in found - set(labels):
            result.categories[name].false_alarms += 1
        if labels:
            result.disclosures += 1
            if got.flagged:
                result.caught += 1
                if not labels & found:
                    result.wrong_category.append((text, labels, got.categories))
            else:
                result.misses.append((text, labels))
        else:
            result.ordinary += 1
            if got.flagged:
                result.false_alarms += 1
                result.false_alarm_rows.append((text, got))
    return result
