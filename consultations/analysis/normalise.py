"""Text as a person sees it, whatever is hidden in it: for the screen, redaction and display.

A disclosure or a phone number can be hidden from a machine without hiding it from a person:
a zero-width space or a soft hyphen inside a word ("kil\\u200bl"), a line break between two
words, a Cyrillic "і" in "kіll", letters from a "fancy font" website ("𝐤𝐢𝐥𝐥"). This module
undoes all of that, in three forms for three readers:

``unmask(text)``
    What the screen (``safeguarding.screen``) and redaction (``redaction.redact``) read. Unicode
    NFKC (full-width and "fancy font" letters, ligatures, superscripts); invisible characters
    removed (Unicode format characters, category Cf: zero-width spaces and joiners, soft hyphens,
    bidi controls, the word joiner and byte order mark; other default-ignorable characters such
    as variation selectors and the Hangul fillers; control characters); accents stacked on a
    Latin letter that do not make a letter of their own removed ("k̶i̶l̶l̶"); any run of
    whitespace, line breaks included, read as one space (or, with ``lines=True``, a run with a
    line break in it as one line break, for redaction's names); digits of other scripts read as
    0-9;
    and look-alike letters (``LOOK_ALIKES``: Cyrillic, Greek, Armenian, Cherokee, small capitals)
    read as the Latin letter they look like, keeping capitals. It returns an :class:`Unmasked`,
    whose :meth:`~Unmasked.span` maps a span of the unmasked text back onto the original, so what
    the screen and redaction find still points at the words as written.

    Look-alikes are read as Latin in *every* word, not only in words that mix scripts: the
    attack is English written with look-alikes, and a word can be written with look-alikes
    alone ("ѕех" is all Cyrillic). A genuine Russian or Greek word becomes nonsense in this form,
    but nobody reads this form: the screen's rules are English and simply do not match it, and
    redaction's name lists are Latin. The answer itself is kept as written.

``clean(text)``
    What reports, word clouds and redacted text read: invisible characters removed, NFKC, accents
    on Latin letters as in ``unmask``, but whitespace and line breaks kept as written. Look-alike
    letters are read as Latin only where a person would read them so: in a word that also has
    Latin letters ("kіll"), or in a word made only of look-alikes when most of the answer's
    letters are Latin. A young person writing in Ukrainian keeps their words. Emoji sequences
    keep their joiners (👨‍👩‍👧, the flag of England).

``neutralise_bidi(text)``
    The answer as written, without the bidi controls (U+202E and its kind) that could reorder
    what staff see. For every page that shows staff the words as written.

To read another look-alike as Latin, add it to ``LOOK_ALIKES`` (the tests check that each one
stands for a Latin letter). Plain Python, no Django.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from typing import cast

__all__ = ["LOOK_ALIKES", "Unmasked", "clean", "neutralise_bidi", "unmask"]

#: Letters of other scripts that look like a Latin letter, and the letter they look like.
#: Lower case stays lower case and capitals stay capitals, so names and sentence starts read as
#: they were written. Full-width and "fancy font" letters need no entry: NFKC reads them.
LOOK_ALIKES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "г": "r", "е": "e", "ё": "ë", "і": "i", "ї": "ï", "ј": "j",
    "к": "k", "м": "m", "н": "h", "о": "o", "п": "n", "р": "p", "с": "c", "т": "t", "у": "y",
    "х": "x", "ш": "w", "ь": "b", "ѕ": "s", "һ": "h", "ӏ": "l", "ү": "y", "ԁ": "d", "ԛ": "q",
    "ԝ": "w", "ѡ": "w", "ѵ": "v", "ғ": "f",
    "А": "A", "В": "B", "Е": "E", "Ё": "Ë", "І": "I", "Ї": "Ï", "Ј": "J", "К": "K",
    "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T", "У": "Y", "Х": "X", "Ѕ": "S",
    "Һ": "H", "Ӏ": "I", "Ү": "Y", "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W", "Ѵ": "V",
    # Greek
    "α": "a", "γ": "y", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v", "ο": "o",
    "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ω": "w", "ς": "c", "ϲ": "c", "ϳ": "j",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C", "Ϳ": "J",
    # Armenian
    "օ": "o", "ս": "u", "ո": "n", "հ": "h", "զ": "q", "ց": "g",
    # Cherokee capitals
    "Ꭺ": "A", "Ᏼ": "B", "Ꮯ": "C", "Ꭼ": "E", "Ꮋ": "H", "Ꭻ": "J", "Ꮶ": "K", "Ꮮ": "L",
    "Ꮇ": "M", "Ꮲ": "P", "Ꮪ": "S", "Ꭲ": "T", "Ꮩ": "V", "Ꮃ": "W", "Ꮓ": "Z",
    # Latin letters that are not a-z: dotless i, script a and g, small capitals
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ɪ": "i", "ʟ": "l", "ʀ": "r", "ʏ": "y",
    "ɴ": "n", "ʜ": "h", "ᴀ": "a", "ʙ": "b", "ᴄ": "c", "ᴅ": "d", "ᴇ": "e", "ɢ": "g", "ᴊ": "j",
    "ᴋ": "k", "ᴍ": "m", "ᴏ": "o", "ᴘ": "p", "ǫ": "q", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ᴠ": "v",
    "ᴡ": "w", "ᴢ": "z",
}  # fmt: skip

#: The bidi controls: marks, embeddings, overrides and isolates.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
_NO_BIDI = dict.fromkeys(map(ord, BIDI_CONTROLS))

# Characters that show as a blank, though Unicode does not call them spaces.
_BLANKS = frozenset("\u2800\u3164\uffa0")
# Default-ignorable characters that are not format characters (Cf): shown as nothing.
_IGNORABLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f") | frozenset(
    map(chr, [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])
)
# Kept after an emoji by ``clean``: joiners of emoji sequences and the tags of flags.
_EMOJI_GLUE = frozenset(["\u200d", *map(chr, range(0xE0020, 0xE0080))])
# Line breaks other than "\n" and "\r", which ``clean`` keeps as line breaks.
_LINE_BREAKS = frozenset("\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_ALL_LINE_BREAKS = _LINE_BREAKS | {"\n", "\r"}
# What the unmasked text has for a run of whitespace.
_GAPS = frozenset(" \n")

_SPACE, _DROP, _MARK = object(), object(), object()
# Anything that is not printable ASCII, and the second space of two.
_SPECIAL = re.compile(r"[^\x20-\x7e]|(?<= ) ")
# Anything ``clean`` may change: not printable ASCII, tab or line break.
_UNCLEAN = re.compile(r"[^\x20-\x7e\t\n\r]")
_LETTERS = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")
_LOOK_ALIKE = re.compile("[" + re.escape("".join(LOOK_ALIKES)) + "]")
_LOOK_ALIKES = str.maketrans(LOOK_ALIKES)

_kinds: dict[str, object] = {}


def _kind(char: str) -> object:
    """How ``unmask`` reads one character that is not printable ASCII: ``_SPACE``, ``_DROP``,
    ``_MARK`` (a combining mark, read with the letter before it) or the text it stands for."""
    kind = _kinds.get(char)
    if kind is None:
        category = unicodedata.category(char)
        if char.isspace() or char in _BLANKS:
            kind = _SPACE
        elif category in ("Cf", "Cc") or char in _IGNORABLE:
            kind = _DROP
        elif category in ("Mn", "Me"):
            kind = _MARK
        elif char in LOOK_ALIKES:  # before NFKC, which reads some as other letters ("ϲ")
            kind = LOOK_ALIKES[char]
        else:
            kind = "".join(
                LOOK_ALIKES.get(c)
                or (str(unicodedata.decimal(c)) if c > "\x7f" and c.isdecimal() else c)
                for c in unicodedata.normalize("NFKC", char)
            )
        if len(_kinds) < 20_000:
            _kinds[char] = kind
    return kind


def _with_mark(before: str, mark: str) -> str | None:
    """``before`` with a combining mark: one letter if they make one ("e" + "´" -> "é"), or
    ``before`` alone if it is a Latin letter or digit (the mark only disguises it), else None
    (keep the mark: other scripts need theirs)."""
    if not before or before.isspace():
        return before
    joined = unicodedata.normalize("NFKC", before + mark)
    if len(joined) == 1:
        return joined
    if before.isalnum() and before < "\u0250":
        return before
    return None


class Unmasked:
    """The unmasked form of a text (``text``), and the way back to the original.

    ``span(start, end)`` gives the part of ``original`` that ``text[start:end]`` came from: it
    covers every character that made those characters, and the invisible ones between them.
    """

    __slots__ = ("_segments", "_starts", "original", "text")

    def __init__(self, text: str, original: str, segments: list[tuple[int, ...]] | None = None):
        self.text = text
        self.original = original
        # (start in text, end in text, start in original, end in original, one to one)
        self._segments = segments
        self._starts: list[int] = [s[0] for s in segments] if segments else []

    @property
    def unchanged(self) -> bool:
        """Whether ``text`` is ``original`` character for character."""
        return self._segments is None

    def position(self, index: int) -> int:
        """Where in ``original`` the character ``text[index]`` starts (``len(original)`` at the
        end)."""
        if self._segments is None:
            return index
        if index >= len(self.text):
            return len(self.original)
        start, _, origin, _, linear = self._segments[bisect_right(self._starts, index) - 1]
        return origin + index - start if linear else origin

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where ``text[start:end]`` came from in ``original``."""
        if self._segments is None:
            return start, end
        start = max(0, min(start, len(self.text)))
        end = max(start, min(end, len(self.text)))
        if start == end:
            at = self.position(start)
            return at, at
        first = self.position(start)
        seg_start, _, origin, origin_end, linear = self._segments[
            bisect_right(self._starts, end - 1) - 1
        ]
        last = origin + end - seg_start if linear else origin_end
        return first, max(first, last)

    def spans(self, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        return [self.span(s, e) for s, e in spans]

    def __repr__(self) -> str:
        return f"Unmasked({self.text!r}, original={self.original!r})"


class _Builder:
    """The unmasked text, piece by piece, with where each piece came from."""

    __slots__ = ("length", "lines", "pieces", "segments", "source")

    def __init__(self, source: str, lines: bool):
        self.source = source
        self.lines = lines
        self.pieces: list[str] = []
        self.segments: list[list[int]] = []
        self.length = 0

    @property
    def last(self) -> str:
        return self.pieces[-1][-1] if self.pieces else ""

    def add(self, piece: str, origin: int, origin_end: int) -> None:
        linear = len(piece) == origin_end - origin
        self.segments.append([self.length, self.length + len(piece), origin, origin_end, linear])
        self.pieces.append(piece)
        self.length += len(piece)

    def plain(self, start: int, end: int) -> None:
        """Printable ASCII with single spaces: as it is (but one space after a space)."""
        if self.source[start] == " " and self.last in _GAPS:
            self.widen_last(start + 1)
            start += 1
        if start < end:
            self.add(self.source[start:end], start, end)

    def widen_last(self, origin_end: int, char: str | None = None) -> None:
        """The last character (replaced by ``char``) now also stands for everything up to
        ``origin_end`` in the original."""
        segment = self.segments[-1]
        out_start, out_end, origin, _, linear = segment
        if linear and out_end - out_start > 1:
            segment[1] -= 1
            segment[3] -= 1
            self.pieces[-1], tail = self.pieces[-1][:-1], self.pieces[-1][-1]
            self.pieces.append(tail)
            self.segments.append([out_end - 1, out_end, origin + out_end - 1 - out_start, 0, False])
            segment = self.segments[-1]
        segment[3] = origin_end
        segment[4] = False
        if char is not None:
            self.pieces[-1] = self.pieces[-1][:-1] + char

    def special(self, index: int) -> None:
        char = self.source[index]
        kind = _kind(char)
        if kind is _SPACE:
            gap = "\n" if self.lines and char in _ALL_LINE_BREAKS else None
            if self.last in _GAPS:
                self.widen_last(index + 1, gap)
            else:
                self.add(gap or " ", index, index + 1)
        elif kind is _MARK:
            joined = _with_mark(self.last, char)
            if joined is None:
                self.add(char, index, index + 1)
            elif joined:
                self.widen_last(index + 1, LOOK_ALIKES.get(joined, joined))
        elif kind is not _DROP:
            self.add(cast(str, kind), index, index + 1)  # not a marker: the text it stands for

    def result(self) -> Unmasked:
        return Unmasked("".join(self.pieces), self.source, [tuple(s) for s in self.segments])


def unmask(text: str, *, lines: bool = False) -> Unmasked:
    """``text`` as the screen and redaction read it, with the way back (see the module's help).

    With ``lines``, a run of whitespace with a line break in it is read as one line break
    (``"\n"``) rather than one space, for a reader that reads a line break as a space but also
    wants to know where a line may start a sentence (redaction's names).

    Fast for the usual answer: printable ASCII with single spaces comes back as it is, and only
    the characters around anything else are looked at one by one.
    """
    if not text or (text.isascii() and text.isprintable() and "  " not in text):
        return Unmasked(text, text)
    specials = list(_SPECIAL.finditer(text))
    if not specials:
        return Unmasked(text, text)
    built = _Builder(text, lines)
    position = 0
    for m in specials:
        index = m.start()
        if index > position:
            built.plain(position, index)
        built.special(index)
        position = index + 1
    if position < len(text):
        built.plain(position, len(text))
    return built.result()


def _clean_char(char: str, before: str) -> str | None:
    """What ``clean`` makes of one character that may change, after ``before`` (the text
    cleaned so far, ending where this character goes); None when it joins ``before``'s last."""
    kind = _kind(char)
    if kind is _SPACE:
        if char in "\t\n\r":
            return char
        return "\n" if char in _LINE_BREAKS else " "
    if kind is _DROP:
        if char in _EMOJI_GLUE and before:
            last = before[-1]
            if last in _EMOJI_GLUE or last == "\ufe0f" or unicodedata.category(last)[0] == "S":
                return char
        if char in _IGNORABLE and before and unicodedata.category(before[-1])[0] == "S":
            return char  # a variation selector after an emoji: how it is drawn
        return ""
    if kind is _MARK:
        return None
    # Not ``kind``: look-alikes are read word by word (below), and digits are kept as written.
    return unicodedata.normalize("NFKC", char)


def _look_alikes_read(text: str) -> str:
    """Look-alikes read as Latin in words with Latin letters, then in words made only of
    look-alikes if most of the text's letters are Latin by then (so that cleaning the result
    again changes nothing)."""

    def mixed(m: re.Match[str]) -> str:
        word = m.group()
        if _LOOK_ALIKE.search(word) and _LATIN.search(word):
            return word.translate(_LOOK_ALIKES)
        return word

    text = _LETTERS.sub(mixed, text)
    if not _LOOK_ALIKE.search(text):
        return text
    letters = "".join(_LETTERS.findall(text))
    if len(_LATIN.findall(letters)) * 2 <= len(letters):
        return text

    def alike(m: re.Match[str]) -> str:
        word = m.group()
        return word.translate(_LOOK_ALIKES) if all(c in LOOK_ALIKES for c in word) else word

    return _LETTERS.sub(alike, text)


def clean(text: str) -> str:
    """``text`` as reports, word clouds and redacted text read it (see the module's help).

    Printable ASCII, tabs and line breaks come back as they are.
    """
    if not text or (text.isascii() and text.isprintable()) or not _UNCLEAN.search(text):
        return text
    out: list[str] = []
    position = 0
    for m in _UNCLEAN.finditer(text):
        index = m.start()
        if index > position:
            out.append(text[position:index])
        position = index + 1
        char = text[index]
        done = _clean_char(char, out[-1] if out else "")
        if done is None:  # a combining mark
            before = out[-1][-1] if out and out[-1] else ""
            joined = _with_mark(before, char)
            if joined is None:
                out.append(char)
            elif joined:
                out[-1] = out[-1][:-1] + joined
        elif done:
            out.append(done)
    out.append(text[position:])
    cleaned = "".join(out)
    return _look_alikes_read(cleaned) if _LOOK_ALIKE.search(cleaned) else cleaned


def neutralise_bidi(text: str) -> str:
    """``text`` without bidi controls, so that it cannot reorder what is shown around it or
    itself ("\\u202e" writes what follows right to left). Nothing else changes."""
    return text.translate(_NO_BIDI) if text and not text.isascii() else text
