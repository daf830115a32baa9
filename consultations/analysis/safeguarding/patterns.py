"""The rules' pattern language, compiled to regular expressions with the words each needs.

A pattern is a phrase: ``(a|b)`` a choice, ``[x]`` optional, ``{carer}`` a named word list from
``_shared.yaml``, ``...`` a gap of up to :data:`GAP_WORDS` words, ``^`` and ``$`` the start and
end of a sentence, ``word*`` any ending. :class:`_Compiler` turns one into a regular expression
over the normalised text, and works out which index keys an answer must have for it to match
(:data:`Needs`), rarest first, so the screen tries it only on answers that have them.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from typing import Any, cast

from .normaliser import _COMMON_KEYS, _EVERYWHERE, _RUN_OF_ANY, Normaliser, _key

#: How many words ``...`` in a pattern may skip.
GAP_WORDS = 4


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
Key = str | tuple[str, str]
Needs = tuple[frozenset[Key], ...]


def _key_odds(key: Key) -> float:
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


def _cost(keys: frozenset[Key]) -> float:
    """The rough chance that an ordinary answer has one of ``keys``: lower filters better."""
    miss = 1.0
    for key in keys:
        miss *= 1 - _key_odds(key)
    return 1 - miss


def _best(needs: Needs) -> frozenset[Key] | None:
    return min(needs, key=_cost) if needs else None


def _either(options: Iterable[Needs]) -> Needs:
    """What one of several alternatives needs: one key from the union of each one's best set."""
    best = [_best(n) for n in options]
    if None in best:
        return ()
    none: frozenset[Key] = frozenset()
    return (none.union(*cast("list[frozenset[Key]]", best)),)  # no None: checked above


class _Compiler:
    """Compiles the pattern language to regular expressions, with the words each needs.

    Every word in a compiled pattern is followed by exactly one space, as in the normalised text.
    """

    def __init__(self, normaliser: Normaliser, vocab: Mapping[str, Any]):
        self._normaliser = normaliser
        self._vocab_source = dict(vocab)
        self._vocab: dict[str, tuple[str, Needs]] = {}
        self._resolving: set[str] = set()
        self._words: dict[str, tuple[str, Needs, str | None, str | None]] = {}

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
        needs: list[frozenset[Key]] = []
        empty = True
        last: str | None = None  # the previous plain word, to index two words side by side
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
        parts: list[str] = []
        needs: list[frozenset[Key]] = []
        exact: list[str | None] = []
        stem: str | None
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


def match_offsets(regex: re.Pattern[str], text: str) -> Iterable[tuple[int, int]]:
    """Where ``regex`` (which starts with the space before a word) matches, as word offsets.

    Matches take the space after their last word, so the search goes on from that space: the next
    match may start there, which ``finditer`` would not allow.
    """
    pos = 0
    while (m := regex.search(text, pos)) is not None:
        end = m.end() - 1 if text[m.end() - 1] == " " else m.end()
        yield m.start() + 1, max(end, m.start() + 1)
        pos = max(m.end() - 1, m.start() + 1)
