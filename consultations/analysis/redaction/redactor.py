"""The redactor: patterns first, then names, and the result read once more.

:func:`redact` unmasks the text, finds candidates (:mod:`.contacts`), keeps the best where they
overlap, adds names (:mod:`.names`), replaces each span with its token, and redacts the result
again until nothing changes, so that redacting redacted text changes nothing.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from ..normalise import clean, unmask
from .contacts import RedactionLists, _pattern_candidates, _strip_trailing
from .lexicon import _lexicon
from .names import _name_spans
from .results import PRIORITY, REPLACEMENTS, Redacted, Span
from .words import _WORD_SPLIT_RE, _key


def redact(text: str, *, extra: RedactionLists | None = None) -> Redacted:
    """Return ``text`` with personal data replaced by readable tokens, and where each one was.

    ``extra`` carries the facilitator's lists (schools, staff names, small places); leave it
    out to use the bundled lists only. The spans' positions refer to ``text`` as given. The
    text is read unmasked (``normalise.unmask``), and the redacted text is cleaned
    (``normalise.clean``): see the module's help.

    Redacted text is read once more: a replacement can change what its neighbours look like
    ("sc: Year 3, Will St" hides "Year", and "3, Will St" then reads as an address), so the
    result is what redacting it again would give, and redacting it again changes nothing.
    """
    seen = unmask(text, lines=True)
    result = _redact_unmasked(seen.text, extra)
    if seen.unchanged:
        return result
    spans: list[Span] = []
    for span in result.spans:
        start, end = seen.span(span.start, span.end)
        if spans and start < spans[-1].end:  # two spans from one character ("ﬁ"): one span
            last = spans.pop()
            start, end = last.start, max(end, last.end)
            span = Span(start, end, last.kind, last.replacement)
        spans.append(Span(start, end, span.kind, span.replacement))
    return Redacted(clean(_apply(text, spans)), tuple(spans))


def _redact_unmasked(text: str, extra: RedactionLists | None) -> Redacted:
    result = _redact_once(text, extra)
    for _ in range(_MAX_ROUNDS):
        # Names alone are chosen so as to read the same the second time (the name rules treat
        # a name found as if it were already "[name]"); only patterns change their neighbours.
        if all(span.kind == "name" for span in result.spans):
            break
        again = _redact_once(result.text, extra)
        if not again.spans:
            break
        result = _compose(text, result, again)
    return result


_MAX_ROUNDS = 3


def _compose(original: str, first: Redacted, second: Redacted) -> Redacted:
    """The spans of redacting ``first.text`` again, moved back onto ``original``.

    A second span that covers (part of) a first replacement covers all of what that
    replacement stood for; first spans inside a second span give way to it.
    """
    # Segments of first.text: (new start, new end, original start, span or None)
    segments: list[tuple[int, int, int, Span | None]] = []
    old = new = 0
    for span in first.spans:
        if span.start > old:
            segments.append((new, new + span.start - old, old, None))
            new += span.start - old
        segments.append((new, new + len(span.replacement), span.start, span))
        new += len(span.replacement)
        old = span.end
    segments.append((new, new + len(original) - old, old, None))
    segment_starts = [segment[0] for segment in segments]

    def to_original(position: int, *, end: bool) -> int:
        index = bisect_right(segment_starts, position - 1 if end else position) - 1
        start, _, origin, span = segments[max(index, 0)]
        if span is None:
            return origin + position - start
        return span.end if end else span.start

    moved = [
        Span(to_original(s.start, end=False), to_original(s.end, end=True), s.kind, s.replacement)
        for s in second.spans
    ]
    kept = [
        span
        for span in first.spans
        if not any(m.start <= span.start and span.end <= m.end for m in moved)
    ]
    spans = tuple(sorted(moved + kept, key=lambda span: (span.start, span.end)))
    return Redacted(_apply(original, spans), spans)


def _redact_once(text: str, extra: RedactionLists | None) -> Redacted:
    if not text:
        return Redacted(text, ())
    parts = _WORD_SPLIT_RE.split(text)
    words = parts[1::2]
    keys = list(map(str.lower, words))
    if "'" in text or "\u2019" in text or "-" in text:
        keys = [k if k.isalpha() else _key(k) for k in keys]
    hits = _lexicon().all_triggers.intersection(keys)
    # The patterns read a line break as a space ("07700\n900123"); it is one character either way.
    flat = text.replace("\n", " ") if "\n" in text else text
    candidates = _pattern_candidates(flat, extra, keys, hits)
    taken = bytearray(len(text))
    accepted: list[tuple[int, int, str]] = []
    if candidates:
        candidates.sort(key=lambda c: (PRIORITY[c[2]], c[0] - c[1], c[0]))
        for start, end, kind in candidates:
            first_taken = taken.find(1, start, end)
            if first_taken != -1:
                # A link or handle that runs into a better match ("...?to=josh@x.com",
                # "@josh07700900123") keeps the part before it; anything else is dropped.
                if kind not in ("link", "handle"):
                    continue
                end = _strip_trailing(text, start, first_taken)
                if kind == "handle" and not any(c.isalpha() for c in text[start:end]):
                    continue
            if end <= start:
                continue
            taken[start:end] = b"\x01" * (end - start)
            accepted.append((start, end, kind))
    matches = [(start, end) for start, end, _ in accepted]
    for start, end in _name_spans(text, taken, matches, parts, keys, hits):
        accepted.append((start, end, "name"))
    if not accepted:
        return Redacted(text, ())
    accepted.sort()
    spans = tuple(Span(start, end, kind, REPLACEMENTS[kind]) for start, end, kind in accepted)
    return Redacted(_apply(text, spans), spans)


def _apply(text: str, spans: Iterable[Span]) -> str:
    pieces = []
    position = 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(span.replacement)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)
