"""The word lists the name rules read, from ``data/redaction/``: first names, surnames,
ordinary words ("will", "hope") and capitalised words (months, places, brands). Each file says
how it is used; add to them there. They are read once, when first needed.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from .contacts import _PLATFORM_WORDS, _STREET_WORDS, _TLD_SET
from .words import _CUE_WORDS, _NAME_WORDS, _STOP, _normalise

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "redaction"


@dataclass(frozen=True)
class _Lexicon:
    first: frozenset[str]
    surnames: frozenset[str]
    ordinary: frozenset[str]
    capitalised: frozenset[str]
    triggers: frozenset[str]
    all_triggers: frozenset[str]

    def known_hyphen(self, key: str) -> bool:
        """Whether a hyphenated word is made of names ("smith-jones", "mary-jane")."""
        pieces = key.split("-")
        return all(p in self.first or p in self.surnames for p in pieces) and not all(
            p in self.ordinary for p in pieces
        )


def _read_list(path: Path) -> frozenset[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(_normalise(line))
    return frozenset(words)


@functools.cache
def _lexicon() -> _Lexicon:
    capitalised = _read_list(DATA_DIR / "capitalised_words.txt")
    first = _read_list(DATA_DIR / "first_names.txt")
    surnames = _read_list(DATA_DIR / "surnames.txt")
    triggers = (first | surnames | _CUE_WORDS) - (_STOP - _NAME_WORDS)
    return _Lexicon(
        first=first,
        surnames=surnames,
        ordinary=_read_list(DATA_DIR / "ordinary_words.txt") | capitalised,
        capitalised=capitalised,
        triggers=triggers,
        all_triggers=triggers | _TLD_SET | _STREET_WORDS | _PLATFORM_WORDS,
    )
