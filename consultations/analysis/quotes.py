"""Taking quoted words out of a text: what a note kept about an answer loses when the answer goes.

Used by the retention purge on a Safeguarding lead's notes (docs/decisions/0007): the note stays
as the record of what was decided and why, but any run of the answer's own words in it, and any
personal detail the redaction found in the answer, is replaced. Plain Python, no Django.

A *quote* is a run of at least ``min_words`` words that appear in that order, side by side, in
one of the sources (compared without regard to case or punctuation). A source shorter than that
counts as a quote whole ("kms" on its own). Single ordinary words the note shares with the answer
("school", "home") are the lead's own words and stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

#: What a removed quote or detail becomes.
REMOVED = "[words from the answer removed]"
#: The shortest run of an answer's words that counts as quoting it.
MIN_WORDS = 3


def _words(text: str) -> list[re.Match[str]]:
    return list(WORD.finditer(text))


#: What may sit between two removed words for them to become one marker (not a full stop).
JOINABLE = re.compile(r"[\s,;:'\"“”‘’()-]*")


def _key(word: str) -> str:
    key = word.casefold().replace("’", "'")
    return key[:-2] if key.endswith("'s") else key  # "Kayden's" is Kayden


def remove_quoted_words(
    text: str,
    sources: Iterable[str],
    *,
    details: Iterable[str] = (),
    min_words: int = MIN_WORDS,
    replacement: str = REMOVED,
) -> str:
    """``text`` with every quote of ``sources`` and every one of ``details`` replaced.

    ``details`` are exact strings (a name, a phone number) to take out wherever they appear as
    whole words, case aside; each word of a detail longer than two letters goes too, so "Kayden"
    goes when the answer named "Kayden Marsh".
    """
    runs: dict[int, set[tuple[str, ...]]] = {}
    for source in sources:
        words = [_key(m.group()) for m in _words(source)]
        if not words:
            continue
        n = min(min_words, len(words))
        runs.setdefault(n, set()).update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    tokens = _words(text)
    keys = [_key(m.group()) for m in tokens]
    cut = [False] * len(tokens)
    for n, grams in runs.items():
        for i in range(len(tokens) - n + 1):
            if tuple(keys[i : i + n]) in grams:
                cut[i : i + n] = [True] * n
    detail_words: set[str] = set()
    for detail in details:
        words = [_key(m.group()) for m in _words(detail)]
        detail_words.update(w for w in words if len(w) > 2 or len(words) == 1)
    for i, key in enumerate(keys):
        if key in detail_words:
            cut[i] = True
    if not any(cut):
        return text
    parts: list[str] = []
    position = 0
    i = 0
    while i < len(tokens):
        if not cut[i]:
            i += 1
            continue
        start = tokens[i].start()
        while (
            i + 1 < len(tokens)
            and cut[i + 1]
            and JOINABLE.fullmatch(text[tokens[i].end() : tokens[i + 1].start()])
        ):
            i += 1
        parts.append(text[position:start])
        parts.append(replacement)
        position = tokens[i].end()
        i += 1
    parts.append(text[position:])
    return "".join(parts)
