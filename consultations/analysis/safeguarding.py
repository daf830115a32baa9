"""The safeguarding screen: finds disclosures of harm in what young people write.

``screen(text)`` reads one answer and says whether it should go to a Safeguarding lead, how
urgently, under which categories, and which words made it so::

    >>> result = screen("my stepdad hits me when hes drunk")
    >>> result.flagged, result.severity, result.categories
    (True, 'concern', ['abuse_neglect'])

How it works (docs/safeguarding-screen.md is the guide for safeguarding staff):

0. Anything that hides words from a machine but not from a person is undone first
   (``normalise.unmask``: zero-width characters, soft hyphens, line breaks between words,
   look-alike letters from other alphabets, "fancy font" letters); every span the screen
   returns still points into the answer as written.
1. The answer is normalised the way young people write: lower case, text-speak and contractions
   spelt out ("im" -> "i am", "wanna" -> "want to", "kms" -> "kill myself"), leetspeak undone
   ("k1ll"), letters written many times made one ("sooo"). The word lists for this live in
   ``data/safeguarding/_normalise.yaml``.
2. Rules, one YAML file per category in ``data/safeguarding/``, are tried. A rule is a phrase in
   a small pattern language (``(a|b)`` choices, ``[x]`` optional, ``{carer}`` named word lists,
   ``...`` a gap of up to four words), compiled once to a regular expression.
3. Each rule sits in a section that sets its severity (``urgent`` or ``concern``) and whether it
   needs a person cue: ``..._near_person`` rules only count when "I", "me", "my" or someone close
   ("my mate", "my sister") is within six words in the same sentence, and nothing there marks a
   topic ("lessons about", "on the news", "people who"). That is how "my mate got stabbed" is told
   apart from "knife crime is a problem".
4. Look-alikes (``not`` sections: "this survey is killing me", "I'd die for a pizza", "dye my
   hair") cancel any match they touch; ``not_in_sentence`` ones ("fortnite", "sorted now")
   cancel any match in their sentence.

Recall comes first: a missed disclosure is far worse than a false alarm, so when in doubt a rule
flags. Nothing here logs or stores the text.

Speed: every rule is indexed by the two rarest words (or pairs of words side by side) it cannot
match without, and tried only when the answer has both and any others it needs, so an ordinary
answer tries almost no regular expression; an answer is cut at spaces and each piece read once
and cached; where a kept match sits in the original text is worked out only for the words at its
two ends; the rules are compiled once per process (lazily) and cached per folder.
docs/benchmarks.md has the figures.

To extend or override the rules, edit the YAML files, or keep your own folder of YAML files and
pass it after the default: ``Screen(RULES_DIR, Path("/srv/our-rules"))`` adds your terms and
patterns to the shipped ones (files with the same name are merged; new names are new
categories). ``load_screen(*folders)`` returns a cached :class:`Screen` for those folders.

This module is plain Python (no Django), so it can be tested, benchmarked and run on any CSV.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .learned_check import MODEL_NAME, RULE_NAME, LearnedCheck
from .normalise import Unmasked, unmask

RULES_DIR = Path(__file__).resolve().parent / "data" / "safeguarding"
URGENT = "urgent"
CONCERN = "concern"

#: Sections of a category file: severity, and whether a person cue must be near.
DISCLOSURE_SECTIONS = {
    "urgent": (URGENT, False),
    "concern": (CONCERN, False),
    "urgent_near_person": (URGENT, True),
    "concern_near_person": (CONCERN, True),
}
_CATEGORY_KEYS = {"name", "label", "description", "not", "not_in_sentence", *DISCLOSURE_SECTIONS}
_SHARED_KEYS = {
    "vocab",
    "person",
    "close_pronouns",
    "not_person",
    "topic",
    "not",
    "not_in_sentence",
}
_NORMALISE_KEYS = {"words", "leet", "between_words", "symbols"}

#: How many words either side of a ``..._near_person`` match are searched for a person cue.
PERSON_WINDOW = 6
#: How many words ``...`` in a pattern may skip.
GAP_WORDS = 4

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


class ScreenRulesError(ValueError):
    """A rules file cannot be read: the message names the file, the section and the entry."""


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

    def __init__(self, original: str, words: list[str], entries: list[tuple]):
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
        self._cache: dict[str, tuple] = {}
        self._plain_cache: dict[str, tuple[str, ...]] = {}

    def words(self, token: str) -> tuple[str, ...]:
        """The plain words one written token stands for (``"kms"`` -> ``("kill", "myself")``)."""
        return self._entry(token)[0]

    def _entry(self, token: str):
        """(plain words, index keys, words single-lettered, where each word is in the piece) for
        one piece of an answer, cached: pieces repeat from answer to answer."""
        entry = self._cache.get(token)
        if entry is None:
            words, places = [], []
            for m in self._token_re.finditer(token):
                plain = self._plain_words(m.group())
                words += plain
                places += [m.span()] * len(plain)
            words = tuple(words)
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

    def prepare(self, text: str):
        """(tokens, their cache entries, plain words, the words single-lettered) for ``text``.

        The words start and end with a full stop, which also stands between sentences.
        """
        tokens = text.translate(_LINES).split()
        cache = self._cache
        entries = [cache.get(t) or self._entry(t) for t in tokens]
        words, keys = self._words_and_keys(entries)
        return tokens, entries, words, keys

    def words_of(self, entries: list[tuple]) -> list[str]:
        """The plain words (between full stops) of an answer's pieces' entries."""
        return self._words_and_keys(entries)[0]

    def _words_and_keys(self, entries: list[tuple]) -> tuple[list[str], list[str]]:
        words = [".", *itertools.chain.from_iterable([e[0] for e in entries]), "."]
        keys = [".", *itertools.chain.from_iterable([e[2] for e in entries]), "."]
        if self._between and not self._between.keys().isdisjoint(keys):
            self.swap_between(words, keys)
        return words, keys

    def normalise(self, text: str) -> _Norm:
        """``text`` as plain words, with a way back to where each word came from."""
        _, entries, words, _ = self.prepare(text)
        return _Norm(text, words, entries)


# --- The pattern language ----------------------------------------------------------------------

_PATTERN_TOKEN = re.compile(r"\.\.\.|[()\[\]{}|^$]|[^\s()\[\]{}|^$]+")
_GAP = rf"(?:[^ .]+ ){{0,{GAP_WORDS}}}"


def _relax(word: str) -> str:
    """A word as a regex in which doubled letters may be single, and "-ing" may be "-in"."""
    ing = len(word) > 4 and word.endswith("ing")
    body = word[:-1] if ing else word
    out = []
    for m in _RUN_OF_ANY.finditer(body):
        c, n = m.group(1), len(m.group())
        out.append(re.escape(c) + "+" if n > 1 and c.isalpha() else re.escape(c) * n)
    if ing:
        out.append("g?")
    return "".join(out)


def _short(words: Any) -> str:
    if isinstance(words, str):
        return words
    words = [str(w) for w in words]
    return "(" + "|".join(words[:3]) + ("|..." if len(words) > 3 else "") + ")"


# What a pattern needs to match: a tuple of sets of index keys; every set must have one of its
# keys among the answer's (see _features; a pair of words side by side is a tuple of two keys).
# An empty tuple: nothing known, always try the rule.
Needs = tuple[frozenset[str | tuple[str, str]], ...]


def _key_odds(key: str | tuple[str, str]) -> float:
    """A rough chance that an ordinary answer contains ``key`` (a word, or two side by side)."""
    if isinstance(key, tuple):
        first, second = key
        if first in _EVERYWHERE and second in _EVERYWHERE:
            return 0.2
        return 0.05 if first in _COMMON_KEYS and second in _COMMON_KEYS else 0.003
    if key.endswith("~"):  # the first 3, 4 or 5 letters of a word
        return {4: 0.06, 5: 0.02}.get(len(key), 0.01)
    if key in _EVERYWHERE:
        return 0.8
    return 0.3 if key in _COMMON_KEYS else 0.03 if len(key) <= 3 else 0.01


def _cost(keys: frozenset[str]) -> float:
    """The rough chance that an ordinary answer has one of ``keys``: lower filters better."""
    miss = 1.0
    for key in keys:
        miss *= 1 - _key_odds(key)
    return 1 - miss


def _best(needs: Needs) -> frozenset[str] | None:
    return min(needs, key=_cost) if needs else None


def _either(options: Iterable[Needs]) -> Needs:
    """What one of several alternatives needs: one key from the union of each one's best set."""
    best = [_best(n) for n in options]
    return () if None in best else (frozenset().union(*best),)


class _Compiler:
    """Compiles the pattern language to regular expressions, with the words each needs.

    Every word in a compiled pattern is followed by exactly one space, as in the normalised text.
    """

    def __init__(self, normaliser: Normaliser, vocab: Mapping[str, Any]):
        self._normaliser = normaliser
        self._vocab_source = dict(vocab)
        self._vocab: dict[str, tuple[str, Needs]] = {}
        self._resolving: set[str] = set()
        self._words: dict[str, tuple[str, Needs]] = {}

    def compile(self, source: str) -> tuple[str, Needs]:
        """The regex for a pattern, and the words it needs."""
        tokens = _PATTERN_TOKEN.findall(source)
        pos, (regex, needs, empty) = self._alternatives(tokens, 0)
        if pos != len(tokens):
            raise ValueError(f"unexpected {tokens[pos]!r}")
        if empty:
            raise ValueError("it would match without any words; add a word that must be there")
        return regex, needs

    def together(self, lists: list[Any]) -> tuple[str, Needs]:
        """Words from every list, in any order, in one sentence, at most eight words apart."""
        if len(lists) > 4:
            raise ValueError("at most four lists of words go together")
        groups = []
        for words in lists:
            options = [words] if isinstance(words, str) else list(words)
            if not options:
                raise ValueError("an empty list of words")
            compiled = [self.compile(str(o)) for o in options]
            groups.append(
                ("(?:" + "|".join(r for r, _ in compiled) + ")", _either(n for _, n in compiled))
            )
        gap = rf"(?:[^ .]+ ){{0,{2 * GAP_WORDS}}}"
        orders = [gap.join(r for r, _ in order) for order in itertools.permutations(groups)]
        return "(?:" + "|".join(orders) + ")", tuple(k for _, n in groups for k in n)

    def _alternatives(self, tokens: list[str], pos: int) -> tuple[int, tuple[str, Needs, bool]]:
        options = []
        pos, option = self._sequence(tokens, pos)
        options.append(option)
        while pos < len(tokens) and tokens[pos] == "|":
            pos, option = self._sequence(tokens, pos + 1)
            options.append(option)
        if len(options) == 1:
            return pos, options[0]
        regex = "(?:" + "|".join(r for r, _, _ in options) + ")"
        empty = any(e for _, _, e in options)
        return pos, (regex, _either(n for _, n, _ in options), empty)

    def _sequence(self, tokens: list[str], pos: int) -> tuple[int, tuple[str, Needs, bool]]:
        parts: list[str] = []
        needs: list[frozenset[str]] = []
        empty = True
        last = None  # the previous plain word, to index two words side by side
        while pos < len(tokens) and tokens[pos] not in ")]|":
            token = tokens[pos]
            pos += 1
            if token not in "([{}|^$" and token != "...":
                regex, inner, first, final = self._word(token)
                parts.append(regex)
                needs.extend(inner)
                if last and first:
                    needs.append(frozenset({(last, first)}))
                last = final
                empty = False
                continue
            last = None
            if token in "([":
                pos, (regex, inner, inner_empty) = self._alternatives(tokens, pos)
                close = ")" if token == "(" else "]"
                if pos >= len(tokens) or tokens[pos] != close:
                    raise ValueError(f"{token!r} is not closed with {close!r}")
                pos += 1
                if token == "[":
                    parts.append(f"(?:{regex})?")
                else:
                    parts.append(regex)
                    needs.extend(inner)
                    empty = empty and inner_empty
            elif token == "{":
                if pos + 1 >= len(tokens) or tokens[pos + 1] != "}":
                    raise ValueError("'{' must be followed by a list name and '}'")
                regex, inner = self._vocab_list(tokens[pos])
                pos += 2
                parts.append(regex)
                needs.extend(inner)
                empty = False
            elif token == "...":
                parts.append(_GAP)
            elif token == "^":
                parts.append(r"\. ")
            elif token == "$":
                parts.append(r"(?=\. )")
            elif token == "}":
                raise ValueError("'}' without '{'")
        return pos, ("".join(parts), tuple(dict.fromkeys(needs)), empty)

    def _word(self, token: str) -> tuple[str, Needs, str | None, str | None]:
        done = self._words.get(token)
        if done is None:
            done = self._words[token] = self._compile_word(token)
        return done

    def _compile_word(self, token: str) -> tuple[str, Needs, str | None, str | None]:
        """The regex for one written word (maybe several plain ones), what it needs, and its
        first and last plain words if they must appear exactly so (for word pairs)."""
        if any(c in token for c in "?+\\"):
            raise ValueError(f"{token!r}: use [word] for an optional word, (a|b) for a choice")
        wildcard = token.endswith("*") and len(token) > 1
        words = self._normaliser.words(token[:-1] if wildcard else token)
        if not words or "." in words:
            raise ValueError(f"{token!r} is not a word")
        parts, needs, exact = [], [], []
        for i, w in enumerate(words):
            if wildcard and i == len(words) - 1:
                parts.append(_relax(w) + "[^ .]* ")
                stem = _key(w)
            else:
                parts.append(_relax(w) + " ")
                ing = len(w) > 4 and w.endswith("ing")
                stem = _key(w[:-3]) if ing else None
                if stem is None:
                    needs.append(frozenset({_key(w)}))
                    if exact and exact[-1]:
                        needs.append(frozenset({(exact[-1], _key(w))}))
                    exact.append(_key(w))
                    continue
                if len(stem) < 3:
                    stem = _key(w)[:3]
            exact.append(None)
            if len(stem) >= 3:
                needs.append(frozenset({stem[:5] + "~"}))
        return "".join(parts), tuple(needs), exact[0], exact[-1]

    def _vocab_list(self, name: str) -> tuple[str, Needs]:
        if name in self._vocab:
            return self._vocab[name]
        if name not in self._vocab_source:
            raise ValueError(f"no word list called {{{name}}} under vocab in _shared.yaml")
        if name in self._resolving:
            raise ValueError(f"the word list {{{name}}} refers to itself")
        entries = self._vocab_source[name]
        if isinstance(entries, str) or not isinstance(entries, list) or not entries:
            raise ValueError(f"the word list {{{name}}} must be a list of words")
        self._resolving.add(name)
        try:
            compiled = [self.compile(str(e)) for e in entries]
        finally:
            self._resolving.discard(name)
        result = ("(?:" + "|".join(r for r, _ in compiled) + ")", _either(n for _, n in compiled))
        self._vocab[name] = result
        return result


# --- Rules -----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Rule:
    id: int
    category: str  # "" for the shared lists
    section: str
    name: str
    source: str  # the regex, compiled when first needed (compiling all takes about a second)
    needs: Needs  # rarest first: indexed by the first two, the rest checked before the regex
    severity: str | None = None
    near_person: bool = False
    compiled: re.Pattern[str] | None = None

    @property
    def regex(self) -> re.Pattern[str]:
        if self.compiled is None:
            self.compiled = re.compile(self.source)
        return self.compiled


class _RulesLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML as safeguarding staff would expect: "no", "yes", "on" and "off" stay words (plain
    YAML reads them as true/false), and a section written twice is an error, not a silent loss."""


_RulesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_RulesLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _mapping_without_repeats(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"{key!r} is written twice; merge the two", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_RulesLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_repeats
)


def _merge(base: Any, extra: Any) -> Any:
    if isinstance(base, dict) and isinstance(extra, dict):
        merged = dict(base)
        for k, v in extra.items():
            merged[k] = _merge(merged[k], v) if k in merged else v
        return merged
    if isinstance(base, list) and isinstance(extra, list):
        return base + extra
    return extra


def _read_folders(folders: Iterable[Path]) -> dict[str, dict[str, Any]]:
    files: dict[str, dict[str, Any]] = {}
    for folder in folders:
        folder = Path(folder)
        if not folder.is_dir():
            raise ScreenRulesError(f"{folder}: no such folder of screen rules")
        for path in sorted(folder.glob("*.yaml")):
            try:
                # _RulesLoader is a SafeLoader: it builds plain lists, dicts and strings only.
                text = path.read_text(encoding="utf-8")
                data = yaml.load(text, Loader=_RulesLoader) or {}  # noqa: S506
            except yaml.YAMLError as exc:
                raise ScreenRulesError(f"{path}: not valid YAML: {exc}") from exc
            if not isinstance(data, dict):
                raise ScreenRulesError(f"{path}: expected sections (key: value), not a list")
            data["__file__"] = str(path)
            files[path.stem] = _merge(files[path.stem], data) if path.stem in files else data
    return files


class Screen:
    """A compiled set of screen rules. Build it once; :meth:`screen` is safe to call from threads.

    ``Screen()`` reads the shipped rules in :data:`RULES_DIR`; ``Screen(folder, ...)`` reads those
    folders instead, later ones adding to earlier ones. Raises :class:`ScreenRulesError` when a
    file cannot be read or a rule cannot be compiled.
    """

    def __init__(self, *folders: Path | str, learned: bool = True):
        folders = folders or (RULES_DIR,)
        files = _read_folders(folders)
        normalise = files.pop("_normalise", {})
        shared = files.pop("_shared", {})
        self._check_keys(normalise, _NORMALISE_KEYS, "_normalise.yaml")
        self._check_keys(shared, _SHARED_KEYS, "_shared.yaml")
        self.normaliser = Normaliser(normalise)
        self._compiler = _Compiler(self.normaliser, shared.get("vocab") or {})
        self._rules: list[_Rule] = []
        self.categories: dict[str, str] = {}

        for stem, data in files.items():
            if stem.startswith("_"):
                raise ScreenRulesError(f"{data['__file__']}: unknown shared file")
            self._check_keys(data, _CATEGORY_KEYS, data["__file__"])
            name = str(data.get("name") or stem)
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or name in self.categories:
                raise ScreenRulesError(
                    f"{data['__file__']}: bad or repeated category name {name!r}"
                )
            self.categories[name] = str(data.get("label") or name.replace("_", " ").capitalize())
            for section, (severity, near) in DISCLOSURE_SECTIONS.items():
                self._add(data, section, name, severity=severity, near_person=near)
            self._add(data, "not", name)
            self._add(data, "not_in_sentence", name)
        if not self.categories:
            raise ScreenRulesError("no category files found")
        self._add(shared, "not", "")
        self._add(shared, "not_in_sentence", "")

        # Each rule is indexed by its two rarest needs: it is tried only if the answer has a word
        # from each (and then from any others it needs). Rules with one need or none are "alone".
        self._index: dict[str, list[int]] = {}
        self._second: dict[str, list[int]] = {}
        self._always = frozenset(rule.id for rule in self._rules if not rule.needs)
        self._alone = frozenset(rule.id for rule in self._rules if len(rule.needs) <= 1)
        for rule in self._rules:
            for index, needed in zip((self._index, self._second), rule.needs, strict=False):
                for key in needed:
                    index.setdefault(key, []).append(rule.id)
        self._pieces: dict[str, tuple[tuple, tuple[int, ...], tuple[int, ...]]] = {}
        # Per rule: the needs left to check once its first two are there, and whether it is a
        # disclosure rule (rather than a look-alike).
        self._checks = [(rule.needs[2:], rule.severity is not None) for rule in self._rules]
        # The pairs of words side by side that some rule is indexed by.
        self._pair_keys = frozenset(
            key for index in (self._index, self._second) for key in index if isinstance(key, tuple)
        )
        self._cues = {
            section: self._cue_regex(shared, section)
            for section in ("person", "close_pronouns", "not_person", "topic")
        }
        vocab = shared.get("vocab") or {}
        self._close = (
            re.compile(" " + self._compiler.compile("{close}")[0]) if "close" in vocab else None
        )
        #: The second look (:mod:`.learned_check`) from the last folder that has one, if any.
        self.learned: LearnedCheck | None = None
        models = [Path(f) / MODEL_NAME for f in folders if (Path(f) / MODEL_NAME).is_file()]
        if learned and models:
            try:
                self.learned = LearnedCheck.load(models[-1])
            except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
                raise ScreenRulesError(f"{models[-1]}: cannot be read: {exc}") from exc
            unknown = set(self.learned.categories) - set(self.categories)
            if unknown:
                raise ScreenRulesError(
                    f"{models[-1]}: learned for categories the rules do not have: "
                    f"{', '.join(sorted(unknown))}; retrain it (train_screen_check)"
                )

    # -- building --

    @staticmethod
    def _check_keys(data: Mapping[str, Any], allowed: set[str], where: str) -> None:
        unknown = set(data) - allowed - {"__file__"}
        if unknown:
            raise ScreenRulesError(
                f"{where}: unknown section(s) {', '.join(sorted(unknown))}; "
                f"expected some of {', '.join(sorted(allowed))}"
            )

    def _entries(self, data: Mapping[str, Any], section: str) -> Iterable[tuple[str, str, Any]]:
        """(kind, name, source) for each term and pattern in a section."""
        where = f"{data.get('__file__', '?')}: {section}"
        body = data.get(section)
        if body is None:
            return
        if not isinstance(body, dict) or set(body) - {"terms", "patterns", "together"}:
            raise ScreenRulesError(f"{where}: expected `terms:`, `patterns:` or `together:` lists")
        for kind in ("terms", "patterns", "together"):
            entries = body.get(kind) or []
            if not isinstance(entries, list):
                raise ScreenRulesError(f"{where}: {kind} must be a list")
            for entry in entries:
                if kind == "together":
                    words = entry.get("words") if isinstance(entry, dict) else entry
                    if not isinstance(words, list) or len(words) < 2:
                        raise ScreenRulesError(
                            f"{where}: together: {entry!r} needs `words:` with two or more lists"
                        )
                    name = entry.get("name") if isinstance(entry, dict) else None
                    yield kind, str(name or " + ".join(map(_short, words))), words
                elif isinstance(entry, dict):
                    if "regex" in entry:
                        yield "regex", str(entry.get("name") or entry["regex"]), entry
                    elif "pattern" in entry:
                        yield kind, str(entry.get("name") or entry["pattern"]), entry["pattern"]
                    else:
                        raise ScreenRulesError(f"{where}: {entry!r} has no pattern or regex")
                else:
                    yield kind, str(entry), str(entry)

    def _compile_entry(self, where: str, kind: str, source: Any) -> tuple[str, Any]:
        try:
            if kind == "regex":
                anchors = source.get("anchors") or []
                keys = frozenset(_key(w) for a in anchors for w in self.normaliser.words(a))
                return f"(?:{source['regex']})", (keys,) if keys else ()
            if kind == "together":
                return self._compiler.together(source)
            return self._compiler.compile(source)
        except (ValueError, re.error) as exc:
            raise ScreenRulesError(f"{where}: {source!r}: {exc}") from exc

    def _add(self, data, section, category, severity=None, near_person=False) -> None:
        where = f"{data.get('__file__', '?')}: {section}"
        for kind, name, source in self._entries(data, section):
            regex, needs = self._compile_entry(where, kind, source)
            needs = tuple(sorted(needs, key=_cost)[:4])
            rule = _Rule(
                len(self._rules), category, section, name, " " + regex, needs, severity, near_person
            )
            if kind == "regex":
                try:
                    rule.regex  # noqa: B018 -- a hand-written regex is checked at once
                except re.error as exc:
                    raise ScreenRulesError(f"{where}: {source!r}: {exc}") from exc
            self._rules.append(rule)

    def compile_all(self) -> None:
        """Compile every rule now rather than when first needed (to check them, or to warm up)."""
        for rule in self._rules:
            rule.regex  # noqa: B018

    def _cue_regex(self, shared: Mapping[str, Any], section: str) -> re.Pattern[str] | None:
        where = f"_shared.yaml: {section}"
        parts = [self._compile_entry(where, k, s)[0] for k, _, s in self._entries(shared, section)]
        return re.compile(" (?:" + "|".join(parts) + ")") if parts else None

    # -- screening --

    def screen(self, text: str) -> ScreenResult:
        """Screen one answer. Never raises on odd input; an empty answer is not flagged.

        The answer is read unmasked (:func:`.normalise.unmask`), so hidden characters, line
        breaks and look-alike letters change nothing; the spans point into ``text`` as given.
        The rules are read first; an answer they pass gets the learned check's second look.
        """
        if not text or text.isspace():
            return _nothing()
        seen = unmask(text)
        result = self._screen(seen.text)
        return result if seen.unchanged or not result.spans else _as_written(result, seen)

    def words(self, text: str) -> list[str]:
        """The plain words the screen reads in ``text`` (unmasked, then normalised), between
        full stops: what the learned check learns from and scores."""
        return self.normaliser.prepare(unmask(text).text)[2]

    def _screen(self, text: str) -> ScreenResult:
        """Screen an answer already unmasked."""
        if not text or text.isspace():
            return _nothing()
        known = self._pieces
        found = [known.get(p) or self._piece(p) for p in text.translate(_LINES).split()]
        result = self._by_rules(text, found)
        if result.flagged or self.learned is None:
            return result
        return self._second_look(text, [entry for entry, _, _ in found], None)

    def _by_rules(self, text: str, found: list[tuple]) -> ScreenResult:
        """The rules' verdict; ``found`` has each piece's entry and the rules it may wake."""
        first = set(self._always)
        first.update(*[ids for _, ids, _ in found])
        second = set()
        second.update(*[ids for _, _, ids in found])
        keys = [".", *itertools.chain.from_iterable([entry[2] for entry, _, _ in found]), "."]
        between = self.normaliser.between
        if between and not between.keys().isdisjoint(keys):
            words = self.normaliser.swap_between(
                [".", *itertools.chain.from_iterable([entry[0] for entry, _, _ in found]), "."],
                keys,
            )
        else:
            words = None
        pairs = set(zip(keys, itertools.islice(keys, 1, None), strict=False))
        for pair in self._pair_keys.intersection(pairs):
            first.update(self._index.get(pair, ()))
            second.update(self._second.get(pair, ()))
        # (first & second) | (first & alone) rather than first & (second | alone): no new big set.
        candidates = (first & second) | (first & self._alone)
        if not candidates:
            return _nothing()
        lacks = None
        checks = self._checks
        live = set()
        disclosure = False
        for rid in candidates:
            rest, discloses = checks[rid]
            for needed in rest:
                if lacks is None:
                    lacks = pairs.union(*[entry[1] for entry, _, _ in found]).isdisjoint
                if lacks(needed):
                    break
            else:
                live.add(rid)
                disclosure = disclosure or discloses
        if not disclosure:
            return _nothing()
        if words is None:
            words = [".", *itertools.chain.from_iterable([entry[0] for entry, _, _ in found]), "."]
        return self._decide(_Norm(text, words, [entry for entry, _, _ in found]), live, None)

    def _piece(self, piece: str):
        """(the normaliser's entry, rules with their first need in it, rules with their second)
        for one piece of an answer, cached."""
        entry = self.normaliser._entry(piece)
        first, second = (
            tuple(sorted({rid for key in entry[1] for rid in index.get(key, ())}))
            for index in (self._index, self._second)
        )
        if len(self._pieces) > 50_000:
            self._pieces.clear()
        self._pieces[piece] = found = (entry, first, second)
        return found

    def explain(self, text: str) -> list[str]:
        """Lines saying how the screen read ``text`` and what each rule did: for checking rules.

        Prints nothing and logs nothing; the caller decides where the lines go.
        """
        # Positions in the lines are in the unmasked text, which "read as" shows normalised.
        text = unmask(text).text
        norm = self.normaliser.normalise(text)
        trace = [f"read as: {norm.text.strip()}"]
        result = self._decide(norm, set(range(len(self._rules))), trace)
        if not result.flagged and self.learned is not None and text.strip():
            result = self._second_look(text, norm._entries, trace)
        trace.append(
            f"result: flagged={result.flagged} severity={result.severity} "
            f"categories={','.join(result.categories) or '-'}"
        )
        return trace

    def _decide(self, norm: _Norm, candidates: set[int], trace: list[str] | None) -> ScreenResult:
        hits: list[tuple[int, int, _Rule]] = []
        for rid in sorted(candidates):
            rule = self._rules[rid]
            if rule.severity is None:
                continue
            for start, end in _matches(rule.regex, norm.text):
                hits.append((start, end, rule))
        if not hits:
            return _nothing()
        norm.find_offsets()

        # Look-alikes are read per category, and only once a match in it needs them.
        exclusions: dict[str, tuple[list[tuple[int, int, str]], dict[int, str]]] = {}

        def looks_alike(category: str) -> tuple[list[tuple[int, int, str]], dict[int, str]]:
            if category not in exclusions:
                spans, sentences = [], {}
                for rid in candidates:
                    rule = self._rules[rid]
                    if rule.severity is not None or rule.category != category:
                        continue
                    for start, end in _matches(rule.regex, norm.text):
                        if rule.section == "not":
                            spans.append((start, end, rule.name))
                        else:
                            sentences[bisect.bisect_right(norm.boundaries, start)] = rule.name
                exclusions[category] = (spans, sentences)
            return exclusions[category]

        close_named = None
        kept: dict[tuple[int, int, str], Span] = {}
        for start, end, rule in hits:
            why = None
            if rule.near_person:
                if close_named is None:
                    close_named = self._close is not None and bool(self._close.search(norm.text))
                why = self._no_person(norm, start, end, close_named)
            if why is None:
                why = self._excluded(norm, start, end, looks_alike(""), looks_alike(rule.category))
            if trace is not None:
                verdict = "kept" if why is None else f"ignored ({why})"
                where = self._original(norm, start, end)
                trace.append(f"{rule.category}/{rule.section}: {rule.name!r} at {where}: {verdict}")
            if why is not None:
                continue
            where = self._original(norm, start, end)
            if where is None:
                continue
            span = Span(where[0], where[1], rule.category, rule.name, rule.severity)
            key = (span.start, span.end, span.category)
            if key not in kept or (span.severity == URGENT and kept[key].severity != URGENT):
                kept[key] = span
        if not kept:
            return _nothing()

        spans = [
            s
            for s in kept.values()
            if not any(
                o is not s
                and o.category == s.category
                and o.start <= s.start
                and s.end <= o.end
                and (o.start, o.end) != (s.start, s.end)
                and (o.severity == URGENT or s.severity == CONCERN)
                for o in kept.values()
            )
        ]
        spans.sort(key=lambda s: (s.start, s.end, s.category))
        urgent = {s.category for s in spans if s.severity == URGENT}
        order = {name: i for i, name in enumerate(self.categories)}
        categories = sorted({s.category for s in spans}, key=lambda c: (c not in urgent, order[c]))
        return ScreenResult(
            flagged=True,
            severity=URGENT if urgent else CONCERN,
            categories=categories,
            spans=spans,
        )

    def _second_look(self, text: str, entries: list, trace: list[str] | None) -> ScreenResult:
        """The learned check on an answer the rules passed: a ``concern`` if it is sure enough.

        ``entries`` are the normaliser's entries for the answer's pieces, as the rules read them.
        """
        check = self.learned
        words = self.normaliser.words_of(entries)
        if not check.worth_scoring(words):
            if trace is not None:
                trace.append("learned check: no word it weighs towards a disclosure; not scored")
            return _nothing()
        verdict = check.read(words)
        if trace is not None:
            trace.append(
                f"learned check: {verdict.score:.3f} (flags from {check.threshold:.2f})"
                + (
                    f": {verdict.category}, for {', '.join(verdict.reason_words)}"
                    if verdict.flagged
                    else ""
                )
            )
        if not verdict.flagged:
            return _nothing()
        norm = _Norm(text, words, entries)
        spans = {}
        for (first, last), name in zip(verdict.reasons, verdict.reason_words, strict=True):
            start, end = norm.span(first)[0], norm.span(last)[1]
            if end > start:
                span = Span(start, end, verdict.category, f"{RULE_NAME}: {name}", CONCERN)
                spans.setdefault((start, end), span)
        return ScreenResult(
            flagged=True,
            severity=CONCERN,
            categories=[verdict.category],
            spans=sorted(spans.values(), key=lambda s: (s.start, s.end)),
        )

    @staticmethod
    def _excluded(norm: _Norm, start: int, end: int, *lists) -> str | None:
        for spans, sentences in lists:
            for s, e, name in spans:
                if s < end and start < e:
                    return f"look-alike {name!r}"
            if sentences:
                sentence = bisect.bisect_right(norm.boundaries, start)
                if sentence in sentences:
                    return f"in a sentence with {sentences[sentence]!r}"
        return None

    def _no_person(self, norm: _Norm, start: int, end: int, close_named: bool) -> str | None:
        """Why a ``..._near_person`` match does not count, or None if it does.

        Only the words within :data:`PERSON_WINDOW` of the match, in its sentence, are read.
        """
        first = bisect.bisect_left(norm.starts, start)
        last = max(first, bisect.bisect_left(norm.starts, end) - 1)
        lo = first
        while lo > 0 and norm.words[lo - 1] != "." and first - lo < PERSON_WINDOW:
            lo -= 1
        hi = last
        while hi < len(norm.words) - 1 and norm.words[hi + 1] != "." and hi - last < PERSON_WINDOW:
            hi += 1
        base = norm.starts[lo] - 1
        window = norm.text[base : norm.starts[hi] + len(norm.words[hi]) + 1]
        start, end = start - base, end - base

        def cues(section: str) -> list[tuple[int, int]]:
            regex = self._cues[section]
            return list(_matches(regex, window)) if regex else []

        for s, e in cues("topic"):
            if not (start <= s and e <= end):
                return "a topic, not a disclosure"
        people = cues("person")
        if close_named:
            people += cues("close_pronouns")
        if people:
            opinions = cues("not_person")
            if any(not any(s <= p and q <= e for s, e in opinions) for p, q in people):
                return None
        return "nobody close is named near it"

    @staticmethod
    def _original(norm: _Norm, start: int, end: int) -> tuple[int, int] | None:
        first = bisect.bisect_left(norm.starts, start)
        last = bisect.bisect_left(norm.starts, end) - 1
        while first <= last and norm.words[first] == ".":
            first += 1
        while last >= first and norm.words[last] == ".":
            last -= 1
        if first > last:
            return None
        return norm.span(first)[0], norm.span(last)[1]


def _as_written(result: ScreenResult, seen: Unmasked) -> ScreenResult:
    """``result`` of screening ``seen.text``, its spans moved onto the answer as written."""
    spans = []
    for span in result.spans:
        start, end = seen.span(span.start, span.end)
        spans.append(Span(start, end, span.category, span.rule, span.severity))
    return ScreenResult(result.flagged, result.severity, list(result.categories), spans)


def _matches(regex: re.Pattern[str], text: str) -> Iterable[tuple[int, int]]:
    """Where ``regex`` (which starts with the space before a word) matches, as word offsets.

    Matches take the space after their last word, so the search goes on from that space: the next
    match may start there, which ``finditer`` would not allow.
    """
    pos = 0
    while (m := regex.search(text, pos)) is not None:
        end = m.end() - 1 if text[m.end() - 1] == " " else m.end()
        yield m.start() + 1, max(end, m.start() + 1)
        pos = max(m.end() - 1, m.start() + 1)


@lru_cache(maxsize=8)
def _cached_screen(folders: tuple[str, ...]) -> Screen:
    return Screen(*folders)


def load_screen(*folders: Path | str) -> Screen:
    """The compiled :class:`Screen` for these folders (default: the shipped rules), cached."""
    key = tuple(str(Path(f).resolve()) for f in (folders or (RULES_DIR,)))
    return _cached_screen(key)


def screen(text: str, *, rules: Screen | None = None) -> ScreenResult:
    """Screen one answer with the shipped rules, or with ``rules`` (a :class:`Screen`)."""
    return (rules or load_screen()).screen(text)


class _CategoryLabels(Mapping[str, str]):
    """Category machine name -> label for people, read from the shipped rules when first used."""

    def __getitem__(self, name: str) -> str:
        return load_screen().categories[name]

    def __iter__(self):
        return iter(load_screen().categories)

    def __len__(self) -> int:
        return len(load_screen().categories)


#: The shipped categories' labels, e.g. ``CATEGORY_LABELS["self_harm"]``.
CATEGORY_LABELS: Mapping[str, str] = _CategoryLabels()


# --- Measuring the screen on a labelled set ------------------------------------------------------

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
