"""What redaction returns: the kinds of personal data, their tokens, and where each one was.

:data:`REPLACEMENTS` names the token for each kind and :data:`PRIORITY` which kind wins where
two matches overlap. A :class:`Redacted` holds the redacted text and a :class:`Span` for each
replacement; spans hold positions, never the personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The token that replaces each kind of personal data.
REPLACEMENTS: dict[str, str] = {
    "email": "[email]",
    "link": "[link]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "handle": "[name]",
    "school": "[school]",
    "staff": "[name]",
    "place": "[place]",
    "address": "[address]",
    "name": "[name]",
}

#: Lower numbers win when two matches overlap; equal priorities go to the longer match.
PRIORITY: dict[str, int] = {
    "email": 0,
    "link": 1,
    "phone": 2,
    "postcode": 3,
    "handle": 4,
    "school": 5,
    "staff": 5,
    "place": 5,
    "address": 6,
    "name": 7,
}

_PLACEHOLDER_WORDS = frozenset(token[1:-1] for token in REPLACEMENTS.values())


@dataclass(frozen=True, slots=True)
class Span:
    """One replacement: ``text[start:end]`` of the original became ``replacement``.

    A span holds positions, never the personal data itself, so spans can be stored and logged
    beside the redacted text without leaking what they cover.
    """

    start: int
    end: int
    kind: str
    replacement: str


@dataclass(frozen=True, slots=True)
class Redacted:
    """The redacted text and the spans of the original that were replaced, in order."""

    text: str
    spans: tuple[Span, ...]

    @property
    def changed(self) -> bool:
        return bool(self.spans)
