"""The screen: a compiled set of rules, and the functions that screen one answer with it.

:class:`Screen` builds the rules from their folders (see :mod:`.rules` and :mod:`.patterns`),
indexes each by the two rarest words it cannot match without, and screens an answer: the rules
first, then, for an answer they pass, the learned check's second look (:mod:`..learned_check`),
and last the context (:mod:`.context`: harm told as over sets a concern aside).
:func:`load_screen` caches one :class:`Screen` per set of folders; :func:`screen` uses the
shipped one.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from ..learned_check import MODEL_NAME, RULE_NAME, LearnedCheck, train
from ..normalise import Unmasked, unmask
from .context import in_context
from .normaliser import _LINES, Entry, Normaliser, _key, _Norm
from .patterns import Key, _Compiler, _cost, match_offsets
from .results import CONCERN, URGENT, ScreenResult, Span, _nothing
from .rules import (
    _CATEGORY_KEYS,
    _NORMALISE_KEYS,
    _SHARED_KEYS,
    DISCLOSURE_SECTIONS,
    RULES_DIR,
    ScreenRulesError,
    _read_folders,
    _Rule,
    check_keys,
    rule_entries,
)

#: How many words either side of a ``..._near_person`` match are searched for a person cue.
PERSON_WINDOW = 6


# One piece of an answer: the normaliser's entry, the rules with their first need in it, the
# rules with their second.
_Piece = tuple[Entry, tuple[int, ...], tuple[int, ...]]


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
        check_keys(normalise, _NORMALISE_KEYS, "_normalise.yaml")
        check_keys(shared, _SHARED_KEYS, "_shared.yaml")
        self.normaliser = Normaliser(normalise)
        self._compiler = _Compiler(self.normaliser, shared.get("vocab") or {})
        self._rules: list[_Rule] = []
        self.categories: dict[str, str] = {}

        for stem, data in files.items():
            if stem.startswith("_"):
                raise ScreenRulesError(f"{data['__file__']}: unknown shared file")
            check_keys(data, _CATEGORY_KEYS, data["__file__"])
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
        self._index: dict[Key, list[int]] = {}
        self._second: dict[Key, list[int]] = {}
        self._always = frozenset(rule.id for rule in self._rules if not rule.needs)
        self._alone = frozenset(rule.id for rule in self._rules if len(rule.needs) <= 1)
        for rule in self._rules:
            for index, needed in zip((self._index, self._second), rule.needs, strict=False):
                for key in needed:
                    index.setdefault(key, []).append(rule.id)
        self._pieces: dict[str, _Piece] = {}
        # Per rule: the needs left to check once its first two are there, and whether it is a
        # disclosure rule (rather than a look-alike).
        self._checks = [(rule.needs[2:], rule.severity is not None) for rule in self._rules]
        # The look-alikes (``not:``), which the learned check must be surer to overrule.
        self._look_alikes = [rule for rule in self._rules if rule.section == "not"]
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

    def _add(
        self,
        data: Mapping[str, Any],
        section: str,
        category: str,
        severity: str | None = None,
        near_person: bool = False,
    ) -> None:
        where = f"{data.get('__file__', '?')}: {section}"
        for kind, name, source in rule_entries(data, section):
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
        parts = [self._compile_entry(where, k, s)[0] for k, _, s in rule_entries(shared, section)]
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

    def learn_check(self, rows: Sequence[tuple[str, str]], **settings: Any) -> dict[str, Any]:
        """A learned check for these rules from ``(text, label)`` rows (:func:`.train`), reading
        the words as the screen does, for its categories, told which rows the rules flag (its
        threshold is set on those they pass; its second opinion learns from those they flag).
        ``settings`` are ``train``'s. Needs scikit-learn."""
        return train(
            rows,
            self.words,
            categories=self.categories,
            passed_by_rules=[not self.by_rules(text).flagged for text, _ in rows],
            **settings,
        )

    def by_rules(self, text: str) -> ScreenResult:
        """What the rules alone (and harm told as over) make of ``text``, without the check."""
        if not text or text.isspace():
            return _nothing()
        seen = unmask(text).text
        return in_context(seen, self._by_rules(seen, self._found(seen)), None)

    def _found(self, text: str) -> list[_Piece]:
        """Each piece of ``text`` (split at spaces) with its entry and the rules it may wake."""
        known = self._pieces
        return [known.get(p) or self._piece(p) for p in text.translate(_LINES).split()]

    def _screen(self, text: str) -> ScreenResult:
        """Screen an answer already unmasked."""
        if not text or text.isspace():
            return _nothing()
        found = self._found(text)
        result = self._by_rules(text, found)
        if self.learned is not None:
            entries = [entry for entry, _, _ in found]
            if not result.flagged:
                result = self._second_look(text, entries, None)
            elif result.severity == CONCERN:
                result = self._second_opinion(result, entries, None)
        return in_context(text, result, None)

    def _by_rules(self, text: str, found: list[_Piece]) -> ScreenResult:
        """The rules' verdict; ``found`` has each piece's entry and the rules it may wake."""
        first = set(self._always)
        first.update(*[ids for _, ids, _ in found])
        second: set[int] = set()
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

    def _piece(self, piece: str) -> _Piece:
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
        if self.learned is not None and text.strip():
            if not result.flagged:
                result = self._second_look(text, norm._entries, trace)
            elif result.severity == CONCERN:
                result = self._second_opinion(result, norm._entries, trace)
        result = in_context(text, result, trace)
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
            for start, end in match_offsets(rule.regex, norm.text):
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
                    for start, end in match_offsets(rule.regex, norm.text):
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
            severity = cast(str, rule.severity)  # ``hits`` holds disclosure rules only
            span = Span(where[0], where[1], rule.category, rule.name, severity)
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

    def _second_opinion(
        self, result: ScreenResult, entries: list[Entry], trace: list[str] | None
    ) -> ScreenResult:
        """A ``concern`` the rules flagged, set aside if the check's second opinion is all but
        sure the answer is a look-alike (:data:`.learned_check.SET_ASIDE_BELOW`)."""
        check = cast(LearnedCheck, self.learned)  # callers look only when there is one
        if not check.set_aside_below:
            return result
        opinion = check.second_opinion(self.normaliser.words_of(entries))
        if opinion >= check.set_aside_below:
            if trace is not None:
                trace.append(f"learned check's second opinion: {opinion:.3f}; the concern stands")
            return result
        if trace is not None:
            trace.append(
                f"learned check's second opinion: {opinion:.3f}, under "
                f"{check.set_aside_below:.2f}: it reads like a look-alike, so the rules' concern "
                "is set aside"
            )
        return _nothing()

    def _second_look(
        self, text: str, entries: list[Entry], trace: list[str] | None
    ) -> ScreenResult:
        """The learned check on an answer the rules passed: a ``concern`` if it is sure enough.

        ``entries`` are the normaliser's entries for the answer's pieces, as the rules read them.
        """
        check = cast(LearnedCheck, self.learned)  # callers look only when there is one
        words = self.normaliser.words_of(entries)
        verdict = check.read(words)
        # Where its words sit in the answer: needed only once it flags (most answers it passes).
        norm = _Norm(text, words, entries) if verdict.flagged else None
        needed, alike = check.threshold_for(words), False
        if verdict.sentence is not None:
            needed = check.short_threshold  # one sentence read alone, as a short answer
        if (
            norm is not None
            and verdict.score < check.look_alike_threshold
            and self._looks_alike(norm)
        ):
            # The rules read a look-alike in it ("not sure ill still be here, we might move"):
            # the check must be surer to overrule them.
            verdict, needed, alike = (
                replace(verdict, flagged=False),
                check.look_alike_threshold,
                True,
            )
        if trace is not None:
            trace.append(
                "learned check: "
                + ("one sentence alone " if verdict.sentence is not None else "")
                + f"{verdict.score:.3f} (flags from {needed:.2f}"
                + (", as the rules read a look-alike here)" if alike else ")")
                + (
                    f": {verdict.category}, for {', '.join(verdict.reason_words)}"
                    if verdict.flagged
                    else ""
                )
            )
        if not verdict.flagged:
            return _nothing()
        category = cast(str, verdict.category)  # a flagged verdict has its category
        norm = cast(_Norm, norm)  # made above for a flagged verdict
        spans: dict[tuple[int, int], Span] = {}
        for (first, last), name in zip(verdict.reasons, verdict.reason_words, strict=True):
            start, end = norm.span(first)[0], norm.span(last)[1]
            if end > start:
                span = Span(start, end, category, f"{RULE_NAME}: {name}", CONCERN)
                spans.setdefault((start, end), span)
        return ScreenResult(
            flagged=True,
            severity=CONCERN,
            categories=[category],
            spans=sorted(spans.values(), key=lambda s: (s.start, s.end)),
        )

    def _looks_alike(self, norm: _Norm) -> bool:
        """Whether any of the rules' look-alikes (``not:``) is in the normalised answer."""
        return any(rule.regex.search(norm.text) for rule in self._look_alikes)

    @staticmethod
    def _excluded(
        norm: _Norm, start: int, end: int, *lists: tuple[list[tuple[int, int, str]], dict[int, str]]
    ) -> str | None:
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
            return list(match_offsets(regex, window)) if regex else []

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

    def __iter__(self) -> Iterator[str]:
        return iter(load_screen().categories)

    def __len__(self) -> int:
        return len(load_screen().categories)


#: The shipped categories' labels, e.g. ``CATEGORY_LABELS["self_harm"]``.
CATEGORY_LABELS: Mapping[str, str] = _CategoryLabels()
