"""What the safeguarding screen says about an answer: flagged or not, how urgently, and where.

A :class:`ScreenResult` lists the categories found (urgent ones first) and a :class:`Span` for
each kept match, pointing into the answer as written. Spans hold positions and rule names, never
the text itself, so they can be stored beside a concern.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

URGENT = "urgent"
CONCERN = "concern"


@dataclass(frozen=True, slots=True)
class Span:
    """Where in the original text a rule matched (``text[start:end]``), and why it counts."""

    start: int
    end: int
    category: str
    rule: str
    severity: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "category": self.category,
            "rule": self.rule,
            "severity": self.severity,
        }


@dataclass(frozen=True, slots=True)
class ScreenResult:
    """What the screen found. ``categories`` lists urgent ones first, then the others."""

    flagged: bool
    severity: str | None
    categories: list[str] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)


def _nothing() -> ScreenResult:
    # A new one each time: the lists are the caller's to keep or change.
    return ScreenResult(flagged=False, severity=None)
