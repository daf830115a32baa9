"""People's names, found word by word among what the patterns left.

:func:`_name_spans` marks the words that cannot be names or context (inside a match, glued to
a number), then reads the rest in three passes (:class:`_NameFinder`, a method each): titles and
cue words ("Mr", "my friend", "a boy called") decide for the word after them; then names from
the word lists (:mod:`.lexicon`), word by word; then ordinary words that are also names ("Will",
"Grace"), decided by their neighbours. The package's help says what is taken and what cannot be
known.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from .lexicon import _Lexicon, _lexicon
from .words import (
    _ABBREVIATIONS,
    _CUE_WORDS,
    _GLUED_DIGITS_RE,
    _INSTITUTIONS,
    _NAME_WORDS,
    _NAMING_VERBS,
    _NOT_NAMES,
    _PERSON_NOUNS,
    _PLACE_PREFIXES,
    _PLACEHOLDER_RE,
    _POSSESSIVES,
    _RELATION_MODIFIERS,
    _RELATIONS,
    _STOP,
    _TITLES_SOFT,
    _TITLES_STRICT,
    _TITLES_STRICT_LOWER_ANY,
    _VERBISH,
    _WORD_RE,
    _key,
    _normalise,
)


class _Token:
    __slots__ = ("start", "end", "base_end", "word", "key", "cap", "upper")

    def __init__(self, start: int, end: int, word: str, key: str) -> None:
        self.start = start
        self.end = end
        self.word = word
        self.key = key
        base = word.rstrip("'\u2019-")
        if len(base) > 2 and base[-2] in "'\u2019" and base[-1] in "sS":
            base = base[:-2]
        self.base_end = start + len(base)
        self.cap = word[0].isupper()
        self.upper = len(word) > 1 and word.isupper()


def _ends_sentence(gap: str) -> bool:
    # A line break may start a sentence (phones write a capital after one); elsewhere it is a
    # space, so that "mr\nsmith" and "my friend\njosh" are read as they would be on one line.
    return "." in gap or "!" in gap or "?" in gap or "\n" in gap


def _could_name(
    words: list[str], keys: list[str], name_hits: frozenset[str] | set[str], lex: _Lexicon
) -> bool:
    """A quick look, without positions, for any word the passes below could take or that
    could decide for the next word. Most answers have none: "will", "hope" and "my mum" in
    lower case are the usual hits, and this saves the full pass for them."""
    last = len(keys) - 1
    for i, key in enumerate(keys):
        if key not in name_hits:
            continue
        if key in _CUE_WORDS:
            previous = keys[i - 1] if i else ""
            if (
                key in _TITLES_STRICT
                or key in _TITLES_SOFT
                or (
                    key in _RELATIONS
                    and (previous in _POSSESSIVES or previous in _RELATION_MODIFIERS)
                )
                or (key in _NAMING_VERBS and previous in _PERSON_NOUNS)
                or (key in _NAME_WORDS and previous in _POSSESSIVES)
            ):
                return True
        if key in lex.first or key in lex.surnames:
            if words[i][0].isupper():
                return True
            if key in lex.first and (
                key not in lex.ordinary or (i < last and keys[i + 1] in lex.surnames)
            ):
                return True
    return False


def _name_spans(
    text: str,
    taken: bytearray,
    matches: list[tuple[int, int]],
    parts: list[str],
    keys: list[str],
    hits: frozenset[str] | set[str],
) -> list[tuple[int, int]]:
    """Spans of people's names among the words the patterns left.

    ``matches`` are the patterns' spans, also marked in ``taken``; ``parts`` is
    ``_WORD_SPLIT_RE.split(text)``: gaps and words alternating, so words are ``parts[1::2]``;
    ``keys`` are the words' lookup forms (``_key``); ``hits`` are the keys on any list.
    """
    any_taken = bool(matches)
    lex = _lexicon()
    name_hits = lex.triggers.intersection(hits)
    hyphenated = "-" in text
    if not name_hits and not hyphenated and not matches:
        return []
    words = parts[1::2]
    if not matches and not hyphenated and not _could_name(words, keys, name_hits, lex):
        return []
    bounds = list(accumulate(map(len, parts)))
    starts = bounds[0::2]
    ends = bounds[1::2]

    blocked: list[bool] | None = None
    barriers = _barriers(text, taken, any_taken, matches, words, keys, starts, ends)
    if barriers is not None:
        keys, blocked = barriers
        name_hits = lex.triggers
    if hyphenated:
        known_hyphen = lex.known_hyphen
        triggers = [
            i for i, k in enumerate(keys) if k in name_hits or ("-" in k and known_hyphen(k))
        ]
    else:
        triggers = [i for i, k in enumerate(keys) if k in name_hits]
    if not triggers:
        return []

    names = _NameFinder(text, taken, any_taken, words, keys, starts, ends, blocked, lex)
    names.titles_and_cues(triggers)
    names.names_from_lists(triggers)
    names.ordinary_words_as_names()
    return names.spans


def _barriers(
    text: str,
    taken: bytearray,
    any_taken: bool,
    matches: list[tuple[int, int]],
    words: list[str],
    keys: list[str],
    starts: list[int],
    ends: list[int],
) -> tuple[list[str], list[bool]] | None:
    """Words that are nobody's name and nobody's context: (the keys with theirs made "", which
    words are barriers), or None if there are none.

    Words inside a pattern match or an earlier redaction ("[name]") are barriers. So are words
    glued to one, or to a number ("TA1", "Y9", "josh2010", "Mary'" of "Mary'sjosh@x.com"), since
    such a word is not a word on its own. A word that runs out of a match after a hyphen or
    apostrophe keeps that part ("Josh" of "x.com-Josh"), as it would once the match is replaced:
    ``words``, ``starts`` and ``ends`` are changed in place for it.
    """
    edges = list(matches)
    if "[" in text:
        edges += [m.span() for m in _PLACEHOLDER_RE.finditer(text)]
    edges += [m.span() for m in _GLUED_DIGITS_RE.finditer(text)]
    if not edges:
        return None
    count = len(words)
    out: set[int] = set()
    kept: dict[int, re.Match[str]] = {}
    for start, end in edges:
        i = bisect_right(ends, start)
        if i and ends[i - 1] == start:
            out.add(i - 1)
        while i < count and starts[i] < end:
            last = taken.rfind(1, starts[i], ends[i]) if any_taken else -1
            m = _WORD_RE.search(text, last + 2, ends[i]) if last != -1 else None
            if m is not None and m.start() < ends[i]:
                kept[i] = m
            else:
                out.add(i)
            i += 1
        if i < count and starts[i] == end:
            out.add(i)
        elif (
            i < count
            and starts[i] == end + 1
            and text[end : end + 1] in ("'", "\u2019")
            and words[i].rstrip("'\u2019-") in ("s", "S")
            and text[end - 1 : end] == "]"
        ):
            out.add(i)  # "[name]'s"
    if not (out or kept):
        return None
    keys = list(keys)
    for i, m in kept.items():
        if i not in out:
            words[i], keys[i] = m.group(), _key(m.group())
            starts[i], ends[i] = m.span()
    blocked = [False] * count
    for i in out:
        blocked[i] = True
        keys[i] = ""
    return keys, blocked


class _NameFinder:
    """One answer's words, read for people's names: a method per pass, run in order.

    ``words`` and ``keys`` (lookup forms; "" for a barrier) are the answer's words, at
    ``starts`` and ``ends`` in ``text``; ``blocked`` marks barriers (None: there are none). As
    the passes go, ``done`` marks words decided, ``named`` words taken as names, ``ignored`` the
    characters read as already redacted (pattern matches and names), and ``spans`` collects the
    names.
    """

    __slots__ = (
        "blocked",
        "cache",
        "capitalised",
        "count",
        "done",
        "ends",
        "first",
        "ignored",
        "ignored_any",
        "keys",
        "known_hyphen",
        "maybe",
        "named",
        "ordinary",
        "spans",
        "starts",
        "surnames",
        "text",
        "words",
    )

    def __init__(
        self,
        text: str,
        taken: bytearray,
        any_taken: bool,
        words: list[str],
        keys: list[str],
        starts: list[int],
        ends: list[int],
        blocked: list[bool] | None,
        lex: _Lexicon,
    ) -> None:
        self.text = text
        self.words = words
        self.keys = keys
        self.starts = starts
        self.ends = ends
        self.blocked = blocked
        self.count = count = len(words)
        self.first = lex.first
        self.surnames = lex.surnames
        self.ordinary = lex.ordinary
        self.capitalised = lex.capitalised
        self.known_hyphen = lex.known_hyphen
        self.cache: list[_Token | None] = [None] * count
        self.done = [False] * count
        self.named = [False] * count
        self.maybe: list[int] = []  # ordinary words that are names, for the third pass
        self.spans: list[tuple[int, int]] = []
        self.ignored = bytearray(taken) if any_taken else bytearray(len(text))
        self.ignored_any = any_taken

    # -- Pass 1: titles and cue words, which decide for the word after them --

    def titles_and_cues(self, triggers: list[int]) -> None:
        text, keys, done, count, ordinary = (
            self.text,
            self.keys,
            self.done,
            self.count,
            self.ordinary,
        )
        tok, take, extend, adjacent, cue_target, known = (
            self.tok,
            self.take,
            self.extend,
            self.adjacent,
            self.cue_target,
            self.known,
        )
        for i in triggers:
            key = keys[i]
            if key not in _CUE_WORDS or done[i]:
                continue
            t = tok(i)
            j = i + 1
            if key in _NAME_WORDS:
                # "her name is Josh", "his name's josh", "her names grace"
                word = _normalise(t.word)
                if i > 0 and keys[i - 1] in _POSSESSIVES:
                    if word in ("name's", "names") and cue_target(j) and adjacent(i, j):
                        take(j, extend(j, lower_ok=True))
                    elif (
                        word == "name"
                        and j < count
                        and keys[j] == "is"
                        and cue_target(j + 1)
                        and adjacent(i, j)
                        and adjacent(j, j + 1)
                    ):
                        take(j + 1, extend(j + 1, lower_ok=True))
                continue
            if t.base_end != t.end or not cue_target(j):
                continue  # "my friend's mum", "Mr's"
            nxt = tok(j)
            nkey = keys[j]
            if key in _TITLES_STRICT or key in _TITLES_SOFT:
                gap = text[t.end : nxt.start]
                if not gap or gap.strip() not in ("", "."):
                    continue
                is_first, is_surname = known(nkey)
                if key in _TITLES_STRICT:
                    ok = (
                        nxt.cap
                        or is_first
                        or is_surname
                        or (not t.cap and key in _TITLES_STRICT_LOWER_ANY)
                    )
                elif t.cap:
                    ok = nxt.cap or (is_surname and not is_first)
                else:
                    ok = is_surname and not is_first and nkey not in ordinary
                if ok:
                    take(i, extend(j, lower_ok=True) if nxt.cap or is_first else j)
            elif key in _RELATIONS:
                p1 = keys[i - 1] if i > 0 else ""
                p2 = keys[i - 2] if i > 1 else ""
                p3 = keys[i - 3] if i > 2 else ""
                cue = p1 in _POSSESSIVES or (
                    p1 in _RELATION_MODIFIERS
                    and (p2 in _POSSESSIVES or (p2 in _RELATION_MODIFIERS and p3 in _POSSESSIVES))
                )
                if cue and adjacent(i, j, comma=True):
                    is_first, _ = known(nkey)
                    if (nxt.cap and not nxt.upper) or (is_first and nkey not in _VERBISH):
                        take(j, extend(j, lower_ok=True))
            elif key in _NAMING_VERBS and i > 0 and keys[i - 1] in _PERSON_NOUNS and adjacent(i, j):
                take(j, extend(j, lower_ok=True))

    # -- Pass 2: names from the lists, word by word --

    def names_from_lists(self, triggers: list[int]) -> None:
        keys, words, done, named, count, ordinary, capitalised, maybe = (
            self.keys,
            self.words,
            self.done,
            self.named,
            self.count,
            self.ordinary,
            self.capitalised,
            self.maybe,
        )
        tok, take, extend, adjacent, known, surname_at = (
            self.tok,
            self.take,
            self.extend,
            self.adjacent,
            self.known,
            self.surname_at,
        )
        for i in triggers:
            if done[i]:
                continue
            key = keys[i]
            is_first, is_surname = known(key)
            if not (is_first or is_surname) or key in _NOT_NAMES:
                continue
            is_ordinary = key in ordinary
            if not words[i][0].isupper():
                # In lower case only a first name that is not an ordinary word goes, or an
                # ordinary one followed by a surname ("will smith").
                if not is_first or (
                    is_ordinary
                    and not (
                        adjacent(i, i + 1) and surname_at(i + 1, lower_ok=True, ordinary_ok=False)
                    )
                ):
                    continue
            elif is_ordinary and not is_first:
                continue  # "Green", "Wells"
            if self.institution_follows(i):
                # "Grace Academy", "Jack Hunt School": skip the whole capitalised run.
                j = i
                while j + 1 < count and adjacent(j, j + 1) and tok(j + 1).cap and not named[j + 1]:
                    j += 1
                    done[j] = True
                continue
            t = tok(i)
            is_ordinary = key in ordinary
            if is_first:
                lower_ok = not t.cap
                follows = adjacent(i, i + 1) and surname_at(
                    i + 1, lower_ok=lower_ok, ordinary_ok=not is_ordinary
                )
                if not is_ordinary:
                    take(i, extend(i, lower_ok=lower_ok) if follows else i)
                    continue
                if follows and t.cap == tok(i + 1).cap:
                    take(i, extend(i, lower_ok=lower_ok))
                    continue
                if key in capitalised or not t.cap or t.upper:
                    continue
                if t.base_end != t.end:
                    take(i, i)  # "Jack's brother": a possessive is a person's.
                else:
                    maybe.append(i)  # decided by its neighbours, in the third pass
                continue
            # A surname on its own: capitalised and not an ordinary word or place.
            if t.cap and not is_ordinary:
                take(i, i)

    # -- Pass 3: ordinary words that are also names --

    def ordinary_words_as_names(self) -> None:
        """An ordinary word that is also a name ("Will", "Grace"), capitalised, goes in the middle
        of a sentence unless its neighbours are capitalised too ("I Will Be There", "Hope
        Street"), and anywhere when paired with a name by "and" or "&" ("Lily and Poppy").
        Names found meanwhile are not evidence of capitals, so this repeats until nothing
        changes."""
        maybe, named = self.maybe, self.named
        changed = bool(maybe)
        while changed:
            changed = False
            for i in maybe:
                if named[i]:
                    continue
                if self.paired_with_name(i) or not (
                    self.sentence_start(i)
                    or self.title_case_neighbour(i + 1, i)
                    or self.title_case_neighbour(i - 1, i)
                ):
                    self.take(i, i)
                    changed = True

    def title_case_neighbour(self, j: int, i: int) -> bool:
        return (
            self.adjacent(min(i, j), max(i, j))
            and not self.named[j]
            and self.tok(j).cap
            and self.keys[j] != "i"
            and not any(self.known(self.keys[j]))
            and (j > i or not self.sentence_start(j))
        )

    def paired_with_name(self, i: int) -> bool:
        keys, named, count = self.keys, self.named, self.count
        for j, k in ((i + 1, i + 2), (i - 1, i - 2)):
            if (
                0 <= k < count
                and keys[j] == "and"
                and named[k]
                and self.adjacent(min(i, j), max(i, j))
                and self.adjacent(min(j, k), max(j, k))
            ):
                return True
        for k in (i + 1, i - 1):
            if 0 <= k < count and named[k]:
                gap = self.text[self.ends[min(i, k)] : self.starts[max(i, k)]]
                if gap.strip() == "&":
                    return True
        return False

    # -- What the passes share --

    def tok(self, i: int) -> _Token:
        token = self.cache[i]
        if token is None:
            token = self.cache[i] = _Token(
                self.starts[i], self.ends[i], self.words[i], self.keys[i]
            )
        return token

    def sentence_start(self, i: int) -> bool:
        # Redacted text is read as if already redacted: words inside matches and names are
        # skipped, and so are the characters of matches and names between the words, so that
        # redacting the output again decides the same way.
        named, blocked = self.named, self.blocked
        previous = i - 1
        while previous >= 0 and (named[previous] or (blocked is not None and blocked[previous])):
            previous -= 1
        if previous < 0:
            return True
        text, ends = self.text, self.ends
        gap = text[ends[previous] : self.starts[i]]
        if self.ignored_any:
            ignored = self.ignored
            gap = "".join(c for k, c in enumerate(gap, ends[previous]) if not ignored[k])
        if not _ends_sentence(gap):
            return False
        # "Mr. Smith", "St. Mary's": the full stop ends an abbreviation, not a sentence.
        return not (self.keys[previous] in _ABBREVIATIONS and text[ends[previous]] == ".")

    def adjacent(self, i: int, j: int, *, comma: bool = False) -> bool:
        if j >= self.count or j < 0 or i < 0:
            return False
        blocked = self.blocked
        if blocked is not None and (blocked[i] or blocked[j]):
            return False
        gap = self.text[self.ends[i] : self.starts[j]]
        if comma:
            gap = gap.replace(",", "", 1)
        return bool(gap) and not gap.strip()

    def known(self, key: str) -> tuple[bool, bool]:
        """Whether ``key`` is a first name, and whether a surname (hyphenated ones included)."""
        first, surnames = self.first, self.surnames
        if key in first or key in surnames:
            return key in first, key in surnames
        if "-" in key and self.known_hyphen(key):
            pieces = key.split("-")
            return pieces[0] in first and pieces[-1] not in surnames, True
        return False, False

    def institution_follows(self, i: int) -> bool:
        keys, named, count = self.keys, self.named, self.count
        j = i + 1
        while (
            j < count
            and j <= i + 3
            and self.adjacent(j - 1, j)
            and self.tok(j).cap
            and not named[j]
        ):
            if keys[j] in _INSTITUTIONS:
                return True
            j += 1
        return (
            i > 0
            and self.adjacent(i - 1, i)
            and keys[i - 1] in _PLACE_PREFIXES
            and not named[i - 1]
            and self.tok(i).cap
        )

    def surname_at(self, j: int, *, lower_ok: bool, ordinary_ok: bool) -> bool:
        if j >= self.count or self.done[j]:
            return False
        key = self.keys[j]
        if key in _STOP or key in _NOT_NAMES:
            return False
        is_first, is_surname = self.known(key)
        if self.tok(j).cap:
            return (is_surname or is_first) and (ordinary_ok or key not in self.ordinary)
        return lower_ok and is_surname and not is_first and key not in self.ordinary

    def take(self, i: int, j: int) -> None:
        """Tokens i..j (inclusive) are one name."""
        done, named = self.done, self.named
        for k in range(i, j + 1):
            done[k] = True
            named[k] = True
        start, end = self.tok(i).start, self.tok(j).base_end
        self.spans.append((start, end))
        self.ignored[start:end] = b"\x01" * (end - start)
        self.ignored_any = True

    def extend(self, j: int, *, lower_ok: bool) -> int:
        """Following surnames or middle names that belong to the name ending at token j."""
        steps = 0
        while steps < 2 and self.tok(j).base_end == self.tok(j).end and self.adjacent(j, j + 1):
            if not self.surname_at(j + 1, lower_ok=lower_ok, ordinary_ok=True):
                break
            j += 1
            steps += 1
        return j

    def cue_target(self, j: int) -> bool:
        keys = self.keys
        return (
            j < self.count
            and not self.done[j]
            and keys[j] != ""  # blocked
            and keys[j] not in _STOP
            and keys[j] not in _NOT_NAMES
        )
