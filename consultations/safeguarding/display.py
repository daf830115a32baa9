"""How a concern's categories and matched words are shown to a Safeguarding lead."""

import logging
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from consultations.analysis.learned_check import RULE_NAME as LEARNED_CHECK
from consultations.analysis.normalise import neutralise_bidi

logger = logging.getLogger(__name__)


def _screen_labels() -> dict[str, str]:
    """Human labels for the screen's categories, if the screen's module offers them.

    ``consultations.analysis.safeguarding`` may expose ``CATEGORY_LABELS`` (a mapping from
    category name to label). Without it the queue shows the names, tidied.
    """
    try:
        # lazy: the queue must open even if the screen fails to import
        from consultations.analysis import safeguarding as screen_module
    except ImportError:
        return {}
    except Exception:  # noqa: BLE001 - the queue must open even if the screen is broken
        logger.exception("Could not import the safeguarding screen for its category labels.")
        return {}
    try:
        labels = getattr(screen_module, "CATEGORY_LABELS", None) or {}
        return {str(name): str(label) for name, label in dict(labels).items()}
    except Exception:  # noqa: BLE001 - e.g. the screen's rules fail to load; show the names
        logger.exception("Could not read the safeguarding screen's category labels.")
        return {}


def category_label(name: str, labels: dict[str, str] | None = None) -> str:
    labels = _screen_labels() if labels is None else labels
    if name in labels:
        return labels[name]
    tidied = str(name).replace("_", " ").replace("-", " ").strip()
    return tidied[:1].upper() + tidied[1:]


def category_labels(names) -> list[str]:
    labels = _screen_labels()
    return [category_label(name, labels) for name in names or []]


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    categories: tuple[str, ...]


def _category_of(span: dict) -> list[str]:
    for key in ("category", "categories", "label"):
        value = span.get(key)
        if isinstance(value, str) and value:
            return [value]
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value if v]
    return []


def found_by_learned_check(spans) -> bool:
    """Whether the answer was flagged by the screen's learned check rather than by a rule.

    The learned check (``analysis.learned_check``) marks the words that weighed most, which can
    be ordinary words ("he", "home"); the concern page says so rather than let them read as the
    words of a rule.
    """
    rules = [s.get("rule", "") for s in spans or [] if isinstance(s, dict)]
    return bool(rules) and all(str(r).startswith(LEARNED_CHECK) for r in rules)


def matches(text: str, spans) -> list[Match]:
    """The screen's spans that still fit the text, in order, with overlaps merged.

    Spans are stored as the screen gave them (``start``, ``end``, ``category``...). A span that
    no longer fits (the words were purged, say) is left out rather than shown in the wrong place;
    a span with only the matched words (``text`` or ``match``) is found in the text.
    """
    found: list[Match] = []
    for span in spans or []:
        if not isinstance(span, dict):
            continue
        start, end = span.get("start"), span.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            words = span.get("text") or span.get("match")
            if not isinstance(words, str) or not words:
                continue
            start = text.lower().find(words.lower())
            if start < 0:
                continue
            end = start + len(words)
        found.append(Match(start, end, tuple(_category_of(span))))
    found.sort(key=lambda m: (m.start, m.end))
    merged: list[Match] = []
    for match in found:
        if merged and match.start < merged[-1].end:
            last = merged[-1]
            categories = tuple(dict.fromkeys((*last.categories, *match.categories)))
            merged[-1] = Match(last.start, max(last.end, match.end), categories)
        else:
            merged.append(match)
    return merged


def highlight(text: str, spans) -> SafeString:
    """The answer's words, escaped, with each match in ``<mark>`` and its category as text.

    The category is written out after the match (``[Suicide and self-harm]``) so the highlight
    does not rely on colour, and a screen reader announces it. Bidi controls are left out
    (``normalise.neutralise_bidi``), so the answer cannot reorder what the lead sees; the spans
    are placed first, as they point into the text as stored.
    """
    labels = _screen_labels()
    parts: list[str] = []
    position = 0
    for match in matches(text, spans):
        parts.append(escape(neutralise_bidi(text[position : match.start])))
        label = ", ".join(category_label(c, labels) for c in match.categories)
        parts.append(
            format_html(
                '<mark class="safeguarding-match">{}</mark>{}',
                neutralise_bidi(text[match.start : match.end]),
                format_html(" <strong>[{}]</strong>", label) if label else "",
            )
        )
        position = match.end
    parts.append(escape(neutralise_bidi(text[position:])))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above
