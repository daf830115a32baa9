"""Words as young people write them: normalise, tokenise, fold and count the terms of answers.

Everything here is plain Python (no Django), data in and data out, so the word clouds, the
coding engine and the command line all read answers the same way:

- ``normalise(text)`` lower-cases, straightens curly quotes, drops emoji, folds stretched letters
  ("sooooo" -> "so"), expands contractions ("don't" -> "do not") and text-speak ("u" -> "you",
  "gonna" -> "going to") and turns listed American spellings into British ones.
- ``tokens(text)`` gives the normalised words, without punctuation and without the redaction
  tokens (``[name]``, ``[school]`` ...).
- ``fold(word)`` folds plurals ("clubs" -> "club", "buses" -> "bus", "parties" -> "party").
- ``terms(text)`` counts what an answer is about: folded words, without stop words, filler or
  profanity, with known phrases kept as one term ("mental health", "youth club").
- ``find_phrases(texts)`` finds the phrases a consultation's own answers use (pairs of words that
  keep turning up together); ``build_phrases`` adds them to the bundled list.

The word lists are reviewable plain files in ``data/text/`` (each file's header says what it
holds and how to extend it). A consultation extends the stop words with
``extend_stop_words(extra)``; nothing else needs code.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .profanity import is_profane

__all__ = [
    "DATA_DIR",
    "FILLER_WORDS",
    "MAX_TERM_LENGTH",
    "STOP_WORDS",
    "PhraseSet",
    "build_phrases",
    "default_phrases",
    "extend_stop_words",
    "find_phrases",
    "fold",
    "normalise",
    "terms",
    "tokens",
]

DATA_DIR = Path(__file__).resolve().parent / "data" / "text"

#: Longer "words" are not counted: they are keyboard mashing or glued-together text, and a
#: stored term must fit its database column.
MAX_TERM_LENGTH = 40


# Reading the data files


def _lines(name: str) -> list[str]:
    """The non-blank, non-comment lines of a data file, lower-cased and stripped."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [line.strip().lower() for line in text.splitlines() if line.strip() and line[0] != "#"]


def _pairs(name: str) -> dict[str, str]:
    """``word = replacement`` lines as a mapping; a bare ``word`` maps to itself."""
    mapping = {}
    for line in _lines(name):
        word, _, replacement = line.partition("=")
        word = word.strip()
        mapping[word] = replacement.strip() or word
    return mapping


#: Filler words ("like", "literally", "basically", "really"), from ``data/text/filler_words.txt``.
FILLER_WORDS: frozenset[str] = frozenset(_lines("filler_words.txt"))

#: Words left out of term counts: English function words and filler. Per consultation, extend
#: it with ``extend_stop_words``; to change it for everyone, edit the files in ``data/text/``.
STOP_WORDS: frozenset[str] = frozenset(_lines("stop_words.txt")) | FILLER_WORDS

_REWRITES: dict[str, str] = _pairs("normalise.txt")
_FOLDS: dict[str, str] = _pairs("fold.txt")

# Stretched letters fold to one when that gives a word we know ("sooo" -> "so").
_KNOWN_WORDS: frozenset[str] = frozenset(
    STOP_WORDS
    | set(_REWRITES)
    | {word for value in _REWRITES.values() for word in value.split()}
    | set(_FOLDS)
    | set(_FOLDS.values())
    | {word for phrase in _lines("phrases.txt") for word in phrase.split()}
)


# Normalising

_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
    }
)
# Emoji, pictographs, their skin tones and joiners, and other symbols are dropped (replaced by
# a space): one emoji can mean many things, and a cloud of words should only show words.
_SYMBOL_CATEGORIES = frozenset({"So", "Sk", "Cs", "Co", "Cn"})
_JOINERS = frozenset({"\u200d", "\ufe0e", "\ufe0f", "\u20e3"})

_WORD_RE = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_STRETCH_RE = re.compile(r"([^\W\d_])\1{2,}")
# Letters rarely doubled in English: a stretch of them folds to one ("fuuun" -> "fun").
_SINGLE_LETTERS = frozenset("aiuyhwvkjqx")
_APOSTROPHE_RULES = (
    ("n't", " not"),
    ("'re", " are"),
    ("'ve", " have"),
    ("'ll", " will"),
    ("'m", " am"),
    ("'d", " would"),
    ("'s", ""),
)
_AMPERSAND_RE = re.compile(r"\s&\s")


def _unstretch(word: str) -> str:
    if not _STRETCH_RE.search(word):
        return word
    one = _STRETCH_RE.sub(r"\1", word)
    if one in _KNOWN_WORDS:
        return one
    two = _STRETCH_RE.sub(r"\1\1", word)
    if two in _KNOWN_WORDS:
        return two
    return _STRETCH_RE.sub(lambda m: m.group(1) * (1 if m.group(1) in _SINGLE_LETTERS else 2), word)


@functools.lru_cache(maxsize=65536)
def _rewrite_word(word: str) -> str:
    word = _unstretch(word)
    rewritten = _REWRITES.get(word)
    if rewritten is not None:
        return rewritten
    if "'" in word:
        for ending, replacement in _APOSTROPHE_RULES:
            if word.endswith(ending) and len(word) > len(ending):
                base = word[: -len(ending)]
                return _REWRITES.get(base, base) + replacement
        return word.replace("'", "")
    return word


def _rewrite(match: re.Match[str]) -> str:
    return _rewrite_word(match.group(0))


def _drop_symbols(text: str) -> str:
    return "".join(
        " " if ch in _JOINERS or unicodedata.category(ch) in _SYMBOL_CATEGORIES else ch
        for ch in text
    )


def normalise(text: str) -> str:
    """Return ``text`` as the rest of the analysis reads it, punctuation kept.

    Lower case; curly quotes straightened; emoji and other symbols dropped; stretched letters
    folded ("sooooo" -> "so", "fuuun" -> "fun", "gooood" -> "good"); contractions expanded
    ("don't" and "dont" -> "do not", "school's" -> "school"); text-speak expanded ("u" -> "you",
    "gonna" -> "going to", "&" -> "and"); listed American spellings made British ("color" ->
    "colour"). The rewrites are in ``data/text/normalise.txt``.
    """
    text = text.translate(_QUOTES)
    if not text.isascii():
        text = _drop_symbols(unicodedata.normalize("NFKC", text))
    text = _AMPERSAND_RE.sub(" and ", text.lower())
    return _WORD_RE.sub(_rewrite, text)


# Tokens

# Redaction tokens ("[name]", "[school]") stand for personal details, never for what an answer
# says, so they are never a term. Any bracketed single word is treated the same way.
_PLACEHOLDER_RE = re.compile(r"\[[^\W\d_]+\]")
_TOKEN_RE = re.compile(r"[^\W_]+")


def tokens(text: str) -> list[str]:
    """The normalised words of ``text`` in order: no punctuation, no redaction tokens."""
    return _TOKEN_RE.findall(_PLACEHOLDER_RE.sub(" ", normalise(text)))


# Folding


@functools.lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Fold a plural to its singular: "clubs" -> "club", "buses" -> "bus", "parties" -> "party".

    Rules: words of three letters or fewer, and words ending in "ss", "us" or "is", stay as they
    are ("bus", "less", "crisis"); "-ies" becomes "-y"; "-sses", "-xes", "-shes" and "-ches"
    lose "es" ("classes", "boxes", "wishes", "churches"; but "headaches" -> "headache"); other
    words lose a final "s" ("houses" -> "house", "shoes" -> "shoe"). "-ing" and "-ed" are not
    folded ("bullying" stays). Exceptions, irregular plurals and words never folded ("news",
    "glasses") are in ``data/text/fold.txt``.
    """
    folded = _FOLDS.get(word)
    if folded is not None:
        return folded
    if len(word) <= 3 or word[-1] != "s" or not word.isalpha():
        return word
    if word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y" if len(word) > 4 else word[:-1]
    if word.endswith(("sses", "xes", "shes")):
        return word[:-2]
    if word.endswith("ches") and not word.endswith("aches"):
        return word[:-2]
    return word[:-1]


# Profanity, remembered per word (the lists do not change while the process runs).
_profane = functools.lru_cache(maxsize=65536)(is_profane)


def _countable(word: str) -> bool:
    return 2 <= len(word) <= MAX_TERM_LENGTH and not word.isdigit()


# Phrases


class PhraseSet:
    """Phrases kept as one term, matched on folded words.

    Built from phrases as people write them (``PhraseSet(["youth clubs", "county lines"])``);
    each phrase is matched on its folded words, so "youth clubs" and "Youth Club" are both the
    term "youth club" and "county line" is "county lines" (the term is the phrase as first given,
    normalised). Phrases with a profane word are refused. Combine sets with ``|``.
    """

    __slots__ = ("_by_words", "_firsts", "_longest")

    def __init__(self, phrases: Iterable[str] = ()):
        self._by_words: dict[tuple[str, ...], str] = {}
        for phrase in phrases:
            words = tokens(phrase)
            key = tuple(fold(word) for word in words)
            if len(key) < 2 or key in self._by_words or any(_profane(w) for w in words):
                continue
            self._by_words[key] = " ".join(words)
        self._index()

    def _index(self) -> None:
        self._firsts = frozenset(key[0] for key in self._by_words)
        self._longest = max((len(key) for key in self._by_words), default=0)

    def __or__(self, other: PhraseSet) -> PhraseSet:
        combined = PhraseSet()
        combined._by_words = {**other._by_words, **self._by_words}
        combined._index()
        return combined

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._by_words.values()))

    def __len__(self) -> int:
        return len(self._by_words)

    def __contains__(self, phrase: object) -> bool:
        if not isinstance(phrase, str):
            return False
        return tuple(fold(word) for word in tokens(phrase)) in self._by_words

    def __repr__(self) -> str:
        return f"PhraseSet({list(self)!r})"

    def match_at(self, folded: list[str], start: int) -> tuple[int, str | None]:
        """The longest phrase at ``folded[start]``: (number of words, term), or (0, None)."""
        if folded[start] not in self._firsts:
            return 0, None
        for length in range(min(self._longest, len(folded) - start), 1, -1):
            term = self._by_words.get(tuple(folded[start : start + length]))
            if term is not None:
                return length, term
        return 0, None


@functools.cache
def default_phrases() -> PhraseSet:
    """The bundled phrases of ``data/text/phrases.txt``."""
    return PhraseSet(_lines("phrases.txt"))


def find_phrases(
    texts: Iterable[str],
    *,
    min_count: int = 5,
    min_pmi: float = 3.0,
    limit: int = 50,
    stop_words: frozenset[str] | None = None,
) -> list[str]:
    """Pairs of words that a set of answers keeps using together, as "word word" phrases.

    Counts pairs of adjacent folded words (neither a stop word, a number or profane) and keeps
    those used at least ``min_count`` times whose pointwise mutual information (how much more
    often the two come together than chance, in bits) is at least ``min_pmi``. Sorted by how
    often they are used, most first, then alphabetically; at most ``limit``. Deterministic.
    """
    stop = STOP_WORDS if stop_words is None else stop_words
    singles: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for text in texts:
        previous = None
        for word in tokens(text):
            folded = fold(word)
            if (
                word in stop
                or folded in stop
                or not _countable(folded)
                or _profane(word)
                or not folded.isalpha()
            ):
                previous = None
                continue
            singles[folded] += 1
            if previous is not None:
                pairs[previous, folded] += 1
            previous = folded
    total = sum(singles.values())
    found = []
    for (first, second), count in pairs.items():
        if count < min_count or first == second:
            continue
        pmi = math.log2(count * total / (singles[first] * singles[second]))
        if pmi >= min_pmi:
            found.append((-count, -pmi, f"{first} {second}"))
    return [phrase for _, _, phrase in sorted(found)[:limit]]


def build_phrases(
    texts: Iterable[str] = (), *, extra: Iterable[str] = (), **find_options: Any
) -> PhraseSet:
    """The bundled phrases, plus ``extra`` ones, plus those ``find_phrases(texts)`` finds."""
    phrases = default_phrases() | PhraseSet(extra)
    texts = list(texts)
    if texts:
        phrases = phrases | PhraseSet(find_phrases(texts, **find_options))
    return phrases


# Stop words per consultation


def extend_stop_words(
    extra: str | Iterable[str], *, base: frozenset[str] | None = None
) -> frozenset[str]:
    """``base`` (``STOP_WORDS``) plus a consultation's own words or phrases to leave out.

    ``extra`` is text with one word or phrase per line (as facilitators type it in the analysis
    options) or a list of them. Each is normalised and folded, so "Clubs" leaves out "club";
    a phrase ("youth club") leaves out that phrase term.
    """
    entries = extra.splitlines() if isinstance(extra, str) else extra
    words = set(STOP_WORDS if base is None else base)
    for entry in entries:
        found = tokens(entry)
        if not found:
            continue
        words.add(" ".join(found))
        words.add(" ".join(fold(word) for word in found))
        if len(found) > 1:
            # A bundled phrase is counted under its own spelling ("county line" -> "county lines").
            length, term = default_phrases().match_at([fold(w) for w in found], 0)
            if term and length == len(found):
                words.add(term)
    return frozenset(words)


# Terms


def terms(
    text: str,
    *,
    stop_words: frozenset[str] | None = None,
    phrases: PhraseSet | None = None,
) -> Counter[str]:
    """Count what an answer is about: its terms and how many times each is used.

    Terms are folded words ("clubs" -> "club") and phrases (``phrases``, by default the bundled
    list) kept as one term ("mental health"); a phrase's words are not counted again on their
    own. Left out: stop words and filler (``stop_words``, by default ``STOP_WORDS``), profanity
    (``profanity.is_profane``), numbers, single letters, redaction tokens and "words" longer
    than ``MAX_TERM_LENGTH``. Give it redacted text: it does not look for personal details.
    """
    stop = STOP_WORDS if stop_words is None else stop_words
    phrase_set = default_phrases() if phrases is None else phrases
    words = tokens(text)
    folded = [fold(word) for word in words]
    counts: Counter[str] = Counter()
    position, end = 0, len(words)
    while position < end:
        length, phrase = phrase_set.match_at(folded, position)
        if phrase is not None:
            position += length
            if phrase not in stop:
                counts[phrase] += 1
            continue
        word, term = words[position], folded[position]
        position += 1
        if word in stop or term in stop or not _countable(term):
            continue
        if _profane(word) or _profane(term):
            continue
        counts[term] += 1
    return counts
