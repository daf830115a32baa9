"""Reading an answer the way young people write it, and indexing its words for the rules.

:class:`Normaliser` turns an answer (already unmasked by :func:`..normalise.unmask`) into plain
lower-case words: text-speak and contractions spelt out ("im" -> "i am", "kms" -> "kill
myself"), leetspeak undone ("k1ll"), letters written many times made one ("sooo"). The word
lists for this live in ``data/safeguarding/_normalise.yaml``; :class:`_Norm` keeps the way back
from each plain word to where it was written.

Each word also gets index keys (:func:`_features`), by which the screen finds the few rules
worth trying on an answer; :data:`_COMMON` and :data:`_EVERYWHERE` say which words are too
common to index a rule by.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

# A piece of an answer as the normaliser reads it: (plain words, index keys, words
# single-lettered, where each word is in the piece).
Entry = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[tuple[int, int], ...]]

# Words too common to be worth indexing a rule by, if the rule has a rarer word. (Word lists
# read better as text than as a list of quoted words, hence the noqa.)
_COMMON = frozenset(
    "i me my you your he she her him his they them their we us our it a an the to and or of "  # noqa: SIM905
    "in on at for is am are was were be been do did not have has had get got go going want "
    "just so if but that this with what all can will would like people up out no there when "
    "one more school home mum dad bus park friends mates really said say says told about "
    "should need because time day night help things stuff young kids think feel know make "
    "makes made take took send keep phone money safe police food older scared fight after "
    "away never nobody into out over back off around every".split()
)


# --- Reading text the way young people write it --------------------------------------------------

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "´": "'"})
_REPEATED_LETTER = re.compile(r"([a-z])\1{2,}")
_ANY_RUN = re.compile(r"(.)\1+")
_RUN_OF_ANY = re.compile(r"(.)\1*")
_NOT_LEET = re.compile(
    r"\d+(?:st|nd|rd|th|s|am|pm|yo|yos|yrs?|y|k|m|p|x|mins?|hrs?|h|ish|gb|mb|kg|cm|ft|g)"
    r"|(?:y|yr|year|ks|a|b|m|cv|covid)\d+"
)
_WORD = r"[\w@$]+(?:['’‘`*!][\w@$]+)*"
_BOUNDARY_CHARS = ".!?;:\n\r…"
_BOUNDARY = r"[.!?;:\n\r…]+"
# An answer is first cut at spaces (fast, in C); each piece is then read once with the exact
# tokeniser and cached, as pieces repeat from answer to answer. Answers reach the screen unmasked
# (normalise.unmask), with line breaks read as spaces; _LINES only matters to a caller who hands
# the normaliser raw text.
_LINES = str.maketrans(dict.fromkeys("\n\r\u2028\u2029", " . "))
_PIECE = re.compile(r"[\n\r\u2028\u2029]|[^\s]+")


def _key(word: str) -> str:
    """A word with every run of one letter made single: how rules and words are indexed."""
    return _ANY_RUN.sub(r"\1", word)


_COMMON_KEYS = frozenset(_ANY_RUN.sub(r"\1", w) for w in _COMMON)
# In nearly every answer.
_EVERYWHERE = frozenset(
    "i to the a and my me for of in it is you that on we be was are have not do so but they "  # noqa: SIM905
    "at with this just can all like".split()
)


def _features(word: str) -> tuple[str, ...]:
    """A word's index keys: the word single-lettered, and its first three, four and five letters
    marked as beginnings ("sta~"), so that "tea" (the meal) is not "teacher" cut short."""
    key = _key(word)
    return (key, *dict.fromkeys(key[:n] + "~" for n in (3, 4, 5) if n <= len(key)))


class _Norm:
    """A normalised answer: ``text`` is " . w1 w2 ... . " (full stops end sentences).

    Word offsets and the words' places in the original are worked out only when a rule has
    matched: most answers never need them.
    """

    __slots__ = ("_entries", "_layout", "boundaries", "original", "starts", "text", "words")

    def __init__(self, original: str, words: list[str], entries: list[Entry]):
        self.original = original
        self.words = words
        self.text = " " + " ".join(words) + " "
        self._entries = entries  # the normaliser's entry for each piece of the answer
        self._layout: tuple[list[int], list[int]] | None = None
        self.starts: list[int] = []
        self.boundaries: list[int] = []

    def find_offsets(self) -> None:
        """Fill in where each word starts in ``text``, and where the full stops are."""
        if self.starts:
            return
        words = self.words
        starts = list(itertools.accumulate([len(w) + 1 for w in words], initial=1))
        self.starts = starts = starts[:-1]
        self.boundaries = [at for at, w in zip(starts, words, strict=True) if w == "."]

    def span(self, index: int) -> tuple[int, int]:
        """Where in the original word ``index`` came from (a word from "kms" points at all of it).

        Only the words at the ends of a kept match are ever asked for, so rather than map every
        word, this finds where each piece of the answer starts (one pass in C) and how many words
        came before it, and reads the one word's place from its piece's cached entry.
        """
        end = len(self.original)
        if index <= 0:
            return (0, 0)
        if index >= len(self.words) - 1:
            return (end, end)
        if self._layout is None:
            starts = [m.start() for m in _PIECE.finditer(self.original)]
            before = list(itertools.accumulate([len(e[3]) for e in self._entries], initial=0))
            self._layout = (starts, before)
        starts, before = self._layout
        piece = bisect.bisect_right(before, index - 1) - 1
        if not 0 <= piece < min(len(starts), len(self._entries)):
            return (end, end)  # cannot happen; never let a mismatch break the screen
        places = self._entries[piece][3]
        within = index - 1 - before[piece]
        if within >= len(places):
            return (end, end)
        return (starts[piece] + places[within][0], starts[piece] + places[within][1])


class Normaliser:
    """Turns an answer into plain lower-case words; see ``_normalise.yaml`` for what it does."""

    def __init__(self, config: Mapping[str, Any]):
        words = config.get("words") or {}
        self._words = {
            str(k).lower().translate(_APOSTROPHES): tuple(str(v).lower().split())
            for k, v in words.items()
        }
        leet = {str(k): str(v) for k, v in (config.get("leet") or {}).items()}
        self._leet = str.maketrans(leet)
        self._leet_chars = frozenset(leet) | {"*"}
        self._between = {str(k): str(v) for k, v in (config.get("between_words") or {}).items()}
        self._symbols = {
            str(k): tuple(str(v).split()) for k, v in (config.get("symbols") or {}).items()
        }
        symbols = "|".join(re.escape(s) for s in sorted(self._symbols, key=len, reverse=True))
        self._token_re = re.compile((f"{symbols}|" if symbols else "") + f"{_WORD}|{_BOUNDARY}")
        self._cache: dict[str, Entry] = {}
        self._plain_cache: dict[str, tuple[str, ...]] = {}

    def words(self, token: str) -> tuple[str, ...]:
        """The plain words one written token stands for (``"kms"`` -> ``("kill", "myself")``)."""
        return self._entry(token)[0]

    def _entry(self, token: str) -> Entry:
        """(plain words, index keys, words single-lettered, where each word is in the piece) for
        one piece of an answer, cached: pieces repeat from answer to answer."""
        entry = self._cache.get(token)
        if entry is None:
            found: list[str] = []
            places: list[tuple[int, int]] = []
            for m in self._token_re.finditer(token):
                plain = self._plain_words(m.group())
                found += plain
                places += [m.span()] * len(plain)
            words = tuple(found)
            feats = tuple(f for w in words for f in _features(w))
            if token in self._between:
                feats += _features(self._between[token])
            entry = (words, feats, tuple(_key(w) for w in words), tuple(places))
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[token] = entry
        return entry

    def _plain_words(self, token: str) -> tuple[str, ...]:
        words = self._plain_cache.get(token)
        if words is None:
            words = self._plain(token)
            if len(self._plain_cache) > 50_000:
                self._plain_cache.clear()
            self._plain_cache[token] = words
        return words

    def _plain(self, token: str) -> tuple[str, ...]:
        if token[0] in _BOUNDARY_CHARS:
            return (".",)
        if token in self._symbols:
            return self._symbols[token]
        t = token.lower()
        if not t.isascii():
            t = unicodedata.normalize("NFKD", t.translate(_APOSTROPHES))
            t = "".join(c for c in t if not unicodedata.combining(c))
        hit = self._words.get(t)
        if hit is not None:
            return hit
        t = _REPEATED_LETTER.sub(r"\1", t.replace("'", ""))
        hit = self._words.get(t)
        if hit is not None:
            return hit
        if not t.isalpha() and any(c in self._leet_chars for c in t):
            if any(c.isalpha() for c in t) and not _NOT_LEET.fullmatch(t):
                t = _REPEATED_LETTER.sub(r"\1", t.translate(self._leet).replace("*", ""))
                hit = self._words.get(t)
                if hit is not None:
                    return hit
            t = t.replace("*", "")
        return (t,) if t else ()

    @property
    def between(self) -> dict[str, str]:
        return self._between

    def swap_between(self, words: list[str], keys: list[str]) -> list[str]:
        """Digits standing for words between two words ("want 2 die"); changes both lists."""
        for i in range(1, len(words) - 1):
            swap = self._between.get(words[i])
            if swap and words[i - 1].isalpha() and words[i + 1].isalpha():
                words[i] = swap
                keys[i] = _key(swap)
        return words

    def prepare(self, text: str) -> tuple[list[str], list[Entry], list[str], list[str]]:
        """(tokens, their cache entries, plain words, the words single-lettered) for ``text``.

        The words start and end with a full stop, which also stands between sentences.
        """
        tokens = text.translate(_LINES).split()
        cache = self._cache
        entries = [cache.get(t) or self._entry(t) for t in tokens]
        words, keys = self._words_and_keys(entries)
        return tokens, entries, words, keys

    def words_of(self, entries: list[Entry]) -> list[str]:
        """The plain words (between full stops) of an answer's pieces' entries."""
        return self._words_and_keys(entries)[0]

    def _words_and_keys(self, entries: list[Entry]) -> tuple[list[str], list[str]]:
        words = [".", *itertools.chain.from_iterable([e[0] for e in entries]), "."]
        keys = [".", *itertools.chain.from_iterable([e[2] for e in entries]), "."]
        if self._between and not self._between.keys().isdisjoint(keys):
            self.swap_between(words, keys)
        return words, keys

    def normalise(self, text: str) -> _Norm:
        """``text`` as plain words, with a way back to where each word came from."""
        _, entries, words, _ = self.prepare(text)
        return _Norm(text, words, entries)
