"""Suggest new themes from answers that match none of the codebook's themes, named in the
answers' own words.

``discover(texts)`` counts each answer's terms with the text library (stop words and filler
dropped, plurals folded, phrases such as "youth club" kept whole), weighs them by TF-IDF and
factorises the answers × terms matrix with non-negative matrix factorisation (NMF). Each
factor is a candidate theme; every answer goes to its strongest factor. A candidate becomes a
``SuggestedTheme`` when at least ``min_size`` answers go to it:

* its **name** is its most typical phrase: two to four words running together in its answers,
  as they wrote them ("late night buses", "more youth clubs"), used in at least two of them and
  chosen by how much more common it is inside the group than in the other answers, and how
  common (see ``distinctive_phrases``); phrases with one of the group's top terms come first.
  The name is in sentence case. Only when no phrase of two words or more is used by two of its
  answers is it named from a single word;
* its **top terms** (the keywords it brings to the codebook when adopted) are up to
  ``TOP_PHRASES`` of its distinctive phrases, then its top NMF terms;
* its **examples** are the answers that belong to it most strongly (the most typical first),
  and ``size`` is how many answers it holds;
* its **overlap** with the codebook, when ``codebook=`` is given (``ThemeSpec``s, or a mapping
  of theme name to keywords): the existing theme whose words its answers use most, and the
  share (0–1) of its answers that use any of them. A theme's words are its keywords and
  phrases and the words of its name (not its description), matched as whole words after
  folding plurals, as the coding engine's codebook prior matches them. A share says plainly
  what it measures ("40% of these answers use the words of Transport"), and 0 means the
  suggestion shares no word with any theme.

**Phrases as written** (``PhraseReader``): an answer is split into runs of words separated by
single spaces (punctuation, line breaks and redaction tokens such as ``[name]`` end a run), and
a phrase is one to four words of a run. It starts and ends with a word that says something (not
a stop word, a number, a single letter or filler), except that it may start with one of
``LEADING_WORDS`` ("more", "no", "too" ...: "more buses", "too expensive"); it has at most one
little word inside ("cost of living", "bus to town"); it never runs across "and", "but",
"because" and the like (``BREAK_WORDS``), so two ideas are never glued together; and it never
holds a profane word. Phrases are counted by their lower-case, plural-folded words, so "Late
night bus" and "late night buses" count together, and shown in the form most of the answers
use (a capital that only starts a sentence does not count, unless the next word has one too:
"New Forest"). The themed summary's key phrases are found the same way.

Deterministic for the same texts and ``random_state`` (NMF starts from an SVD, ``nndsvda``).
Too few texts, or texts with too few shared words, give ``[]``. To extend: pass
``stop_words=`` to drop words that say nothing in your consultation (its own topic, say), or
change the word lists and constants below.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from consultations.analysis.profanity import is_profane, mask
from consultations.analysis.text import MAX_TERM_LENGTH, STOP_WORDS, fold, terms, tokens

if TYPE_CHECKING:
    from consultations.analysis.theme_coding import ThemeSpec

    #: The existing themes: the coding engine's ``ThemeSpec``s, or theme name -> keywords.
    CodebookThemes = Sequence[ThemeSpec] | Mapping[str, Iterable[str]]

__all__ = [
    "BREAK_WORDS",
    "LEADING_WORDS",
    "Phrase",
    "PhraseReader",
    "SuggestedTheme",
    "discover",
    "distinctive_phrases",
]

#: The most example answers kept per suggestion.
EXAMPLES = 5
#: The top terms kept per suggestion (distinctive phrases first, then NMF terms).
TOP_TERMS = 8
#: The distinctive phrases of two words or more put first among the top terms.
TOP_PHRASES = 3
#: The longest phrase, in words.
MAX_PHRASE_WORDS = 4
#: Stop words a phrase may start with, because there they carry a view.
LEADING_WORDS = frozenset({"more", "less", "fewer", "no", "not", "never", "too"})
#: Words a phrase never runs across: they join two ideas, not the words of one.
BREAK_WORDS = frozenset(
    {"and", "or", "but", "so", "because", "if", "when", "while", "then", "than", "that",
     "which", "who", "though", "although", "unless", "whereas"}
)  # fmt: skip
#: A longer phrase takes the place of a shorter one inside it when it is used in at least this
#: share of the answers that use the shorter ("mental health" rather than "mental").
ABSORB = 0.7
#: Added to both shares before comparing them, so a phrase used by a handful of answers and no
#: others does not outrank one used by many.
SMOOTHING = 0.01


@dataclass(frozen=True)
class SuggestedTheme:
    """A possible new theme: a name, its top terms, example answers (indices into the texts
    given, most typical first), the number of answers it holds, and the existing theme it
    overlaps most (``None`` when it shares no word with any) with the share of its answers
    that use that theme's words (0–1)."""

    name: str
    top_terms: list[str]
    examples: list[int]
    size: int
    overlap_theme: str | None = None
    overlap: float = 0.0


# Phrases as written ---------------------------------------------------------------------------

_WORD = r"[^\W_]+(?:['’\-][^\W_]+)*"
_WORD_RE = re.compile(_WORD)
_RUN_RE = re.compile(rf"{_WORD}(?: {_WORD})*")
_PLACEHOLDER_RE = re.compile(r"\[[^\W\d_]+\]")
_OPENERS = frozenset(" \t\"'“‘([")
_SENTENCE_ENDS = frozenset(".!?…\n\r")

_CONTENT, _LITTLE, _LEADING, _BREAK, _PROFANE = range(5)


@dataclass(frozen=True)
class Phrase:
    """A phrase chosen by ``distinctive_phrases``: as written, its counting key, its score,
    and how many of the group's answers use it in that form."""

    text: str
    key: str
    score: float
    answers: int


class PhraseReader:
    """The phrases of answers as they wrote them (see the module docstring for the rules).

    ``phrases(text)`` gives each phrase of one answer once: its key (lower case, plurals
    folded) and the form that answer wrote it in. Word kinds are remembered, so reading many
    answers stays quick.
    """

    def __init__(
        self, stop_words: frozenset[str] = STOP_WORDS, longest: int = MAX_PHRASE_WORDS
    ) -> None:
        self.stop_words = stop_words
        self.longest = longest
        self._words: dict[str, tuple[int, str]] = {}

    def _word(self, word: str) -> tuple[int, str]:
        """(kind, key) of one word as written."""
        known = self._words.get(word)
        if known is not None:
            return known
        lower = word.lower().replace("’", "'")
        said = tokens(lower)
        stop = self.stop_words
        if is_profane(lower) or any(is_profane(w) for w in said):
            kind = _PROFANE
        elif lower in LEADING_WORDS:
            kind = _LEADING
        elif any(w in BREAK_WORDS for w in said):
            kind = _BREAK
        elif any(
            w not in stop
            and fold(w) not in stop
            and 2 <= len(fold(w)) <= MAX_TERM_LENGTH
            and not fold(w).isdigit()
            for w in said
        ):
            kind = _CONTENT
        else:
            kind = _LITTLE
        known = (kind, fold(lower))
        self._words[word] = known
        return known

    def phrases(self, text: str) -> dict[str, str]:
        """Each phrase of ``text``: key -> the phrase as this answer first wrote it."""
        found: dict[str, str] = {}
        text = _PLACEHOLDER_RE.sub("|", text or "")
        longest = self.longest
        for run in _RUN_RE.finditer(text):
            written = _WORD_RE.findall(run.group(0))
            if (
                _capitalised(written[0])
                and (len(written) == 1 or not written[1][:1].isupper())  # not "Jordan Smith"
                and _starts_sentence(text, run.start())
            ):
                first = written[0]
                written[0] = first[0].lower() + first[1:]
            read = [self._word(word) for word in written]
            end = len(read)
            for i in range(end):
                kind, key = read[i]
                if kind not in (_CONTENT, _LEADING):
                    continue
                shown = written[i]
                if kind == _CONTENT and key not in found:
                    found[key] = shown
                little = 0
                for j in range(i + 1, min(end, i + longest)):
                    kind_j, key_j = read[j]
                    if kind_j in (_PROFANE, _BREAK):
                        break
                    key = f"{key} {key_j}"
                    shown = f"{shown} {written[j]}"
                    if kind_j == _CONTENT:
                        if key not in found:
                            found[key] = shown
                    else:
                        little += 1
                        if little > 1:
                            break
        return found


def _starts_sentence(text: str, start: int) -> bool:
    at = start - 1
    while at >= 0 and text[at] in _OPENERS:
        at -= 1
    return at < 0 or text[at] in _SENTENCE_ENDS


def _capitalised(word: str) -> bool:
    """ "Buses" (a capital that may only start a sentence), not "I", "CAMHS" or "iPad"."""
    return len(word) > 1 and word[0].isupper() and (word[1:].islower() or not word[1:].isalpha())


def _contains(longer: str, shorter: str) -> bool:
    return f" {shorter} " in f" {longer} "


def _little_inside(key: str) -> int:
    """How many stop words a phrase has inside it ("cost of living": 1)."""
    return sum(word in STOP_WORDS for word in key.split(" ")[1:-1])


def _overlaps(first: str, second: str) -> bool:
    """Whether the end of one phrase is the start of the other ("late night bus", "night bus
    home")."""
    a, b = first.split(" "), second.split(" ")
    return any(a[-n:] == b[:n] or b[-n:] == a[:n] for n in range(1, min(len(a), len(b))))


def distinctive_phrases(
    rows: Sequence[Mapping[str, str]],
    members: Sequence[int],
    everywhere: Mapping[str, int],
    *,
    how_many: int,
    shortest: int = 1,
    min_answers: int = 2,
    distinctive_only: bool = True,
    prefer: Callable[[str], bool] | None = None,
) -> list[Phrase]:
    """The phrases most typical of a group of answers, best first.

    ``rows`` are ``PhraseReader.phrases`` of every answer, ``members`` the group's rows and
    ``everywhere`` how many of all the rows use each key. A phrase's score is
    ``p_in * log((p_in + s) / (p_out + s))``: the share of the group's answers that use it,
    times the log of how many times more common it is inside the group than outside
    (``s`` is ``SMOOTHING``). With ``distinctive_only`` a phrase must be more common inside.
    A phrase must be used by at least ``min_answers`` of the group's answers, in the form
    shown, and have at least ``shortest`` words. A longer phrase of words that all say
    something ("late night buses"), used by at least ``ABSORB`` of the answers that use a
    shorter one inside it ("night buses"), takes its place. Of equal scores, the phrase with
    fewer little words inside, then the longer, comes first. A phrase inside one already chosen
    is left out, and so is one holding an already chosen phrase of two words or more ("buses
    are always late" after "always late"; but "last bus home" after "bus" stays), and one that
    runs on from one already chosen in mostly the same answers ("night bus home" after "late
    night bus"); a phrase ``profanity.mask`` would change is never given. ``prefer(key)`` puts
    the phrases it accepts first.
    """
    inside: Counter[str] = Counter()
    for i in members:
        inside.update(rows[i].keys())
    n_in, n_out = len(members), len(rows) - len(members)
    scores: dict[str, float] = {}
    for key, count in inside.items():
        if count < min_answers or key.count(" ") + 1 < shortest:
            continue
        p_in = count / n_in
        p_out = (everywhere.get(key, count) - count) / n_out if n_out > 0 else 0.0
        score = p_in * math.log((p_in + SMOOTHING) / (p_out + SMOOTHING))
        if score > 0 or not distinctive_only:
            scores[key] = score
    absorbed: set[str] = set()
    for key in scores:
        words = key.split(" ")
        if _little_inside(key):
            continue  # "youth centre is shut" does not take the place of "youth centre"
        for length in range(max(shortest, 1), len(words)):
            for start in range(len(words) - length + 1):
                part = " ".join(words[start : start + length])
                if part in scores and inside[key] >= ABSORB * inside[part]:
                    absorbed.add(part)
    ranked = sorted(
        (key for key in scores if key not in absorbed),
        key=lambda k: (
            prefer is not None and not prefer(k),
            -scores[k],
            _little_inside(k),
            -k.count(" "),
            k,
        ),
    )
    chosen: list[Phrase] = []
    users: list[set[int]] = []
    for key in ranked:
        if len(chosen) >= how_many:
            break
        if any(
            _contains(phrase.key, key) or (" " in phrase.key and _contains(key, phrase.key))
            for phrase in chosen
        ):
            continue  # "night buses" or "more late night buses" after "late night buses"
        using = {i for i in members if key in rows[i]}
        if any(
            _overlaps(key, phrase.key) and len(using & used_by) >= ABSORB * len(using)
            for phrase, used_by in zip(chosen, users, strict=True)
        ):
            continue  # the same words of the same answers, one word along
        votes = Counter(rows[i][key] for i in using)
        shown, used = min(votes.items(), key=lambda kv: (-kv[1], kv[0] != kv[0].lower(), kv[0]))
        if used < min_answers or mask(shown) != shown:
            continue
        chosen.append(Phrase(shown, key, scores[key], used))
        users.append(using)
    return chosen


def _sentence_case(phrase: str) -> str:
    if phrase.isupper() and len(phrase) > 3:  # shouted, not an acronym
        phrase = phrase.lower()
    return phrase[:1].upper() + phrase[1:]


# Overlap with the codebook --------------------------------------------------------------------


def _folded(text: str) -> str:
    return " ".join(fold(word) for word in tokens(text))


def _codebook_words(codebook: CodebookThemes) -> list[tuple[str, set[str], list[str]]]:
    """Each theme's name, its single words and its phrases, folded."""
    if isinstance(codebook, Mapping):
        given = [(str(name), list(keywords)) for name, keywords in codebook.items()]
    else:
        given = [(spec.name, list(spec.keywords)) for spec in codebook]
    themes = []
    for name, keywords in given:
        patterns = {_folded(keyword) for keyword in keywords}
        patterns |= {
            fold(word)
            for word in tokens(name)
            if word not in STOP_WORDS
            and fold(word) not in STOP_WORDS
            and len(fold(word)) > 2
            and not word.isdigit()
        }
        patterns.discard("")
        words = {p for p in patterns if " " not in p}
        themes.append((name, words, sorted(patterns - words)))
    return themes


def _overlap(
    themes: list[tuple[str, set[str], list[str]]], answers: list[tuple[set[str], str]]
) -> tuple[str | None, float]:
    """The theme whose words most of ``answers`` use, and the share that use them."""
    best: str | None = None
    best_share = 0.0
    for name, words, phrases in themes:
        using = sum(
            1
            for answer_words, padded in answers
            if not words.isdisjoint(answer_words) or any(f" {p} " in padded for p in phrases)
        )
        share = using / len(answers) if answers else 0.0
        if share > best_share:
            best, best_share = name, share
    return best, best_share


# Discovery ------------------------------------------------------------------------------------


def discover(
    texts: Sequence[str],
    *,
    max_themes: int = 8,
    min_size: int = 5,
    random_state: int = 0,
    stop_words: Iterable[str] = (),
    codebook: CodebookThemes | None = None,
) -> list[SuggestedTheme]:
    """Suggest up to ``max_themes`` themes from ``texts``, biggest first (ties by name).

    With ``codebook`` (the existing themes), each suggestion says which of them it overlaps
    most and how much (see the module docstring).
    """
    # lazy: scikit-learn and SciPy take about a second to import
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    if max_themes < 1 or len(texts) < max(2 * min_size, 4):
        return []
    words = STOP_WORDS | frozenset(stop_words)
    bags = [list(terms(text or "", stop_words=words).elements()) for text in texts]
    vectorizer = TfidfVectorizer(
        analyzer=lambda bag: bag, min_df=2, max_df=0.9, sublinear_tf=True, norm="l2"
    )
    try:
        X = vectorizer.fit_transform(bags)
    except ValueError:  # no term is used twice
        return []
    vocabulary = vectorizer.get_feature_names_out()
    components = min(max_themes, X.shape[1], max(1, len(texts) // max(min_size, 1)))
    if components < 1 or X.nnz == 0:
        return []
    model = NMF(n_components=components, init="nndsvda", random_state=random_state, max_iter=400)
    weights = model.fit_transform(X)
    loadings = model.components_

    reader = PhraseReader(words)
    rows = [reader.phrases(text or "") for text in texts]
    everywhere: Counter[str] = Counter()
    for row in rows:
        everywhere.update(row.keys())
    themes = _codebook_words(codebook) if codebook else []

    strongest = weights.argmax(axis=1)
    has_terms = weights.max(axis=1) > 0
    suggestions: list[SuggestedTheme] = []
    for k in range(components):
        members = np.flatnonzero((strongest == k) & has_terms)
        if len(members) < min_size:
            continue
        order = np.lexsort((members, -weights[members, k]))
        examples = [int(i) for i in members[order][:EXAMPLES]]
        ranked = np.lexsort((vocabulary, -loadings[k]))
        top = [str(vocabulary[j]) for j in ranked[:TOP_TERMS] if loadings[k, j] > 0]
        if not top:
            continue
        member_rows = [int(i) for i in members]

        def on_topic(key: str, top: list[str] = top) -> bool:
            return any(_contains(key, term) for term in top)

        phrases = distinctive_phrases(
            rows, member_rows, everywhere, how_many=TOP_PHRASES, shortest=2,
            distinctive_only=False, prefer=on_topic,
        )  # fmt: skip
        if phrases:
            name = phrases[0].text
        else:
            single = distinctive_phrases(
                rows, member_rows, everywhere, how_many=1, distinctive_only=False, prefer=on_topic
            )
            name = single[0].text if single else top[0]
        keywords = [p.text for p in phrases if p.score > 0]
        folded = {_folded(keyword) for keyword in keywords}
        keywords += [term for term in top if _folded(term) not in folded]

        overlap_theme, overlap = None, 0.0
        if themes:
            answers = []
            for i in member_rows:
                said = [fold(word) for word in tokens(texts[i] or "")]
                answers.append((set(said), f" {' '.join(said)} "))
            overlap_theme, overlap = _overlap(themes, answers)
        suggestions.append(
            SuggestedTheme(
                name=_sentence_case(name),
                top_terms=keywords[:TOP_TERMS],
                examples=examples,
                size=len(member_rows),
                overlap_theme=overlap_theme,
                overlap=overlap,
            )
        )
    suggestions.sort(key=lambda s: (-s.size, s.name))
    return suggestions
