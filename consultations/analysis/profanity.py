"""Find profanity and slurs, so word clouds can leave them out and quotes can mask them.

``is_profane(token)`` answers for one word (word clouds drop the token); ``mask(text)`` keeps a
quote readable and hides the word but its first letter ("this is f***ing unfair" becomes
"this is f******* unfair"). Both read the reviewable list in ``data/profanity/words.yaml``,
whose header says what is matched and what was left out on purpose.

Matching is on whole words, so the Scunthorpe problem does not arise ("Scunthorpe", "class",
"assess", "cocktail", "Dickens" are left alone), and it sees through the ways young people
write round a filter: capitals, repeated letters ("fuuuck"), leetspeak ("sh1t", "b!tch",
"@$$"), asterisks ("f**k") and the usual endings ("fucking", "dickhead"). It does not try to
read words spread out with spaces ("f u c k") or hidden inside other words.

To extend: add words to the YAML file, or build a ``ProfanityList`` from your own file with
``ProfanityList.from_yaml(path)`` and pass it as ``words=``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

__all__ = ["DEFAULT_PATH", "ProfanityList", "is_profane", "mask"]

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "profanity" / "words.yaml"

_SUFFIXES = (
    "s", "es", "ed", "er", "ers", "ing", "in", "y", "ie", "ies", "ier",
    "head", "heads", "face", "hole", "holes", "wit", "wits", "bag", "bags", "ery",
)  # fmt: skip
_PLURALS = ("s", "es")
_VOWELS = frozenset("aeiou")

# Leetspeak: each character and the letters it may stand for. "1" and "|" are tried both ways.
_LEET: dict[str, str] = {
    "@": "a",
    "4": "a",
    "!": "i",
    "\u00a1": "i",
    "3": "e",
    "\u20ac": "e",
    "0": "o",
    "$": "s",
    "5": "s",
    "7": "t",
    "+": "t",
    "8": "b",
    "9": "g",
}
_LEET_AMBIGUOUS = {"1": "il", "|": "li"}
_LEET_TABLE = str.maketrans(_LEET)

# A "word" for masking: letters, digits and the characters leetspeak and self-censoring use.
_TOKEN_RE = re.compile(r"(?:[^\W_]|[@$!|*+\u20ac\u00a1])+")
_EDGE = "!|*+"
# "A55", "M5", "B4": road names and postcodes read as leetspeak would be words.
_LETTERS_THEN_DIGITS_RE = re.compile(r"[a-z]{1,2}[0-9]+")
_STRETCHED_RE = re.compile(r"(.)\1\1")


def _runs(word: str) -> tuple[str, tuple[int, ...]]:
    """Run-length form: "fuuck" -> ("fuck", (1, 2, 1, 1))."""
    letters: list[str] = []
    counts: list[int] = []
    for char in word:
        if letters and letters[-1] == char:
            counts[-1] += 1
        else:
            letters.append(char)
            counts.append(1)
    return "".join(letters), tuple(counts)


@dataclass(frozen=True)
class ProfanityList:
    """The words to hide, in the forms they are matched in.

    ``inflect`` words also match with common endings; ``exact`` words only as written or with
    a plural ending. Build one with ``from_yaml`` (the bundled list is the default).
    """

    inflect: frozenset[str] = frozenset()
    exact: frozenset[str] = frozenset()
    _forms: frozenset[str] = field(init=False, repr=False, compare=False)
    _index: dict[str, list[tuple[int, ...]]] = field(init=False, repr=False, compare=False)
    _by_length: dict[int, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        forms: set[str] = set()
        for word in self.inflect:
            forms.add(word)
            forms.update(word + suffix for suffix in _SUFFIXES)
            if word.endswith("e") and len(word) > 3:  # arse -> arsed, arsey
                forms.update(word[:-1] + suffix for suffix in _SUFFIXES if suffix[0] in "eiy")
            elif (
                len(word) > 2
                and word[-1] not in _VOWELS
                and word[-2] in _VOWELS
                and word[-3] not in _VOWELS
            ):  # shit -> shitty, shag -> shagging
                doubled = word + word[-1]
                forms.update(doubled + suffix for suffix in _SUFFIXES if suffix[0] in "eiy")
        for word in self.exact:
            forms.add(word)
            forms.update(word + suffix for suffix in _PLURALS)
        index: dict[str, list[tuple[int, ...]]] = {}
        by_length: dict[int, list[str]] = {}
        for form in forms:
            letters, counts = _runs(form)
            index.setdefault(letters, []).append(counts)
            by_length.setdefault(len(form), []).append(form)
        object.__setattr__(self, "_forms", frozenset(forms))
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_by_length", {k: tuple(v) for k, v in by_length.items()})

    @classmethod
    def from_yaml(cls, path: Path | str) -> ProfanityList:
        """Read a file shaped like ``data/profanity/words.yaml``: sections of inflect/exact."""
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        inflect: set[str] = set()
        exact: set[str] = set()
        for section, lists in data.items():
            if not isinstance(lists, dict) or set(lists) - {"inflect", "exact"}:
                raise ValueError(f"{path}: section {section!r} needs 'inflect' and/or 'exact'")
            inflect.update(_clean(lists.get("inflect")))
            exact.update(_clean(lists.get("exact")))
        return cls(inflect=frozenset(inflect), exact=frozenset(exact))

    def matches(self, token: str) -> bool:
        """Whether one token (no spaces) is on the list, in any of its disguises."""
        word = token.lower()
        if word.isalpha():
            return self._matches_plain(word)
        if not any(c.isalpha() for c in word) and (
            len(word) < 3 or not any(c in "@$!|" for c in word)
        ):
            return False  # numbers are never words; "@$$" is
        if "*" in word:
            return self._matches_wildcard(word)
        if _LETTERS_THEN_DIGITS_RE.fullmatch(word):
            return False
        return any(self._matches_plain(variant) for variant in _leet_variants(word))

    def _matches_plain(self, word: str) -> bool:
        # A letter may be stretched to three or more ("fuuuck", "shiiit"), but a doubled letter
        # is a different word ("assess" is not "asses").
        if word in self._forms:
            return True
        if _STRETCHED_RE.search(word) is None:
            return False
        letters, counts = _runs(word)
        for wanted in self._index.get(letters, ()):
            if all(
                have == need or (have >= 3 and have > need)
                for have, need in zip(counts, wanted, strict=True)
            ):
                return True
        return False

    def _matches_wildcard(self, word: str) -> bool:
        # "f**k", "c*nt": each asterisk is one letter; the first character must be shown.
        if word[0] == "*" or word.count("*") == len(word):
            return False
        for variant in _leet_variants(word):
            pattern = re.compile("[a-z]".join(re.escape(part) for part in variant.split("*")))
            if any(pattern.fullmatch(form) for form in self._by_length.get(len(variant), ())):
                return True
        return False


def _clean(words: Iterable[object] | None) -> set[str]:
    return {str(w).strip().lower() for w in (words or ()) if str(w).strip()}


def _leet_variants(word: str) -> set[str]:
    plain = word.translate(_LEET_TABLE)
    variants = {plain}
    for char, letters in _LEET_AMBIGUOUS.items():
        if char in plain:
            variants = {v.replace(char, letter) for v in variants for letter in letters}
    return variants


@functools.cache
def _default() -> ProfanityList:
    return ProfanityList.from_yaml(DEFAULT_PATH)


def is_profane(token: str, *, words: ProfanityList | None = None) -> bool:
    """Whether a single word is profanity or a slur (word clouds leave such words out)."""
    token = token.strip()
    if not token:
        return False
    return _span_in_token(token, words or _default()) is not None


def _span_in_token(token: str, words: ProfanityList) -> tuple[int, int] | None:
    if words.matches(token):
        return 0, len(token)
    # "shit!!", "!!fuck", "(f**k)": punctuation at the edges is punctuation, not leetspeak.
    start, end = 0, len(token)
    while start < end and token[start] in _EDGE:
        start += 1
    while end > start and token[end - 1] in _EDGE:
        end -= 1
    if (start, end) != (0, len(token)) and start < end and words.matches(token[start:end]):
        return start, end
    return None


def mask(text: str, *, words: ProfanityList | None = None, char: str = "*") -> str:
    """Return ``text`` with each profane word masked after its first character ("f***").

    Everything else, spacing and punctuation included, is left as written. Masking masked
    text changes nothing.
    """
    words = words or _default()
    pieces: list[str] = []
    position = 0
    for m in _TOKEN_RE.finditer(text):
        span = _span_in_token(m.group(), words)
        if span is None:
            continue
        start, end = m.start() + span[0], m.start() + span[1]
        pieces.append(text[position : start + 1])
        pieces.append(char * (end - start - 1))
        position = end
    if not pieces:
        return text
    pieces.append(text[position:])
    return "".join(pieces)
