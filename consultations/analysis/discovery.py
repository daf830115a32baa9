"""Suggest new themes from answers that match none of the codebook's themes.

``discover(texts)`` counts each answer's terms with the text library (stop words and filler
dropped, plurals folded, phrases such as "youth club" kept whole), weighs them by TF-IDF and
factorises the answers × terms matrix with non-negative matrix factorisation (NMF). Each
factor is a candidate theme; every answer goes to its strongest factor. A candidate becomes a
``SuggestedTheme`` when at least ``min_size`` answers go to it; its name is made from its top
terms, its examples are the answers that belong to it most strongly (the most typical first),
and ``size`` is how many answers it holds.

Deterministic for the same texts and ``random_state`` (NMF starts from an SVD, ``nndsvda``).
Too few texts, or texts with too few shared words, give ``[]``. To extend: pass
``stop_words=`` to drop words that say nothing in your consultation (its own topic, say).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from consultations.analysis.text import STOP_WORDS, terms

__all__ = ["SuggestedTheme", "discover"]

#: The most example answers kept per suggestion.
EXAMPLES = 5
#: The top terms kept per suggestion.
TOP_TERMS = 8


@dataclass(frozen=True)
class SuggestedTheme:
    """A possible new theme: a name, its top terms, example answers (indices into the texts
    given, most typical first) and the number of answers it holds."""

    name: str
    top_terms: list[str]
    examples: list[int]
    size: int


def _name(top_terms: Sequence[str]) -> str:
    chosen = list(top_terms[:2])
    name = " and ".join(chosen) if chosen else "Other"
    return name[:1].upper() + name[1:]


def discover(
    texts: Sequence[str],
    *,
    max_themes: int = 8,
    min_size: int = 5,
    random_state: int = 0,
    stop_words: Iterable[str] = (),
) -> list[SuggestedTheme]:
    """Suggest up to ``max_themes`` themes from ``texts``, biggest first (ties by name)."""
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
        suggestions.append(SuggestedTheme(_name(top), top, examples, int(len(members))))
    suggestions.sort(key=lambda s: (-s.size, s.name))
    return suggestions
