"""How a concern's categories, matched words and history are shown to a Safeguarding lead."""

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from consultations.analysis.learned_check import RULE_NAME as LEARNED_CHECK
from consultations.analysis.normalise import neutralise_bidi
from consultations.safeguarding.models import ConcernStatus, Severity

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


#: The screen's rules, one file a category (``_``-files are shared lists, not categories).
RULES_DIR = Path(__file__).resolve().parent.parent / "analysis" / "data" / "safeguarding"


def category_choices() -> list[tuple[str, str]]:
    """The categories a lead may choose, as (machine name, label), in the screen's order.

    The screen's own list (every ``name:`` in ``analysis/data/safeguarding/*.yaml``); if the
    screen cannot be loaded, the rules' file names, tidied, so a lead can still correct one.
    """
    labels = _screen_labels()
    if labels:
        return list(labels.items())
    names = sorted(p.stem for p in RULES_DIR.glob("*.yaml") if not p.name.startswith("_"))
    return [(name, category_label(name, {})) for name in names]


def category_names() -> list[str]:
    return [name for name, _label in category_choices()]


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


# Why the screen flagged it --------------------------------------------------------------------

MAX_QUOTES = 3


def _quoted(words: list[str]) -> str:
    shown = [f"“{w}”" for w in words[:MAX_QUOTES]]
    more = len(words) - len(shown)
    if more:
        shown.append(ngettext("%(count)s more", "%(count)s more", more) % {"count": more})
    if len(shown) == 1:
        return shown[0]
    return _("%(first)s and %(last)s") % {"first": ", ".join(shown[:-1]), "last": shown[-1]}


def _severity_words(severity: str | None) -> str:
    return {Severity.URGENT: _("urgent"), Severity.CONCERN: _("a concern")}.get(severity or "", "")


def _flagged_as(label: str, severity: str | None) -> str:
    words = _severity_words(severity)
    if words:
        return _("Flagged as %(category)s (%(severity)s)") % {"category": label, "severity": words}
    return _("Flagged as %(category)s") % {"category": label}


def screen_reasons(
    *, spans, categories, severity: str | None, text: str | None = None
) -> list[str]:
    """Why the screen flagged the answer: a sentence a lead understands, one per category.

    ``spans``, ``categories`` and ``severity`` are what the screen found (before any lead's
    correction). ``text`` is the answer as written, given only when the page shows the words as
    written: then the matched words are quoted ("Flagged as Suicide and self-harm (urgent)
    because it says “want to die”."). Without it only the category and the kind of wording are
    named, never the words.
    """
    labels = _screen_labels()
    by_category: dict[str, list[dict]] = {}
    for span in spans or []:
        if isinstance(span, dict):
            for name in _category_of(span) or [""]:
                by_category.setdefault(name, []).append(span)
    if not by_category:
        if not categories:
            return []
        names = ", ".join(category_label(name, labels) for name in categories)
        return [_flagged_as(names, severity) + "."]
    reasons = []
    urgent_first = sorted(
        by_category.items(),
        key=lambda item: not any(s.get("severity") == Severity.URGENT for s in item[1]),
    )
    for name, found in urgent_first:
        label = category_label(name, labels) if name else _("a category it did not name")
        levels = {s.get("severity") for s in found}
        level = Severity.URGENT if Severity.URGENT in levels else next(iter(levels - {None}), None)
        learned = all(str(s.get("rule", "")).startswith(LEARNED_CHECK) for s in found)
        words: list[str] = []
        for span in found:
            for match in matches(text or "", [span]):
                quote = neutralise_bidi(text[match.start : match.end]).strip() if text else ""
                if quote and quote.lower() not in {w.lower() for w in words}:
                    words.append(quote)
        if learned and words:
            why = _(
                "by the learned check: no rule matched, and the words that weighed most were "
                "%(words)s"
            ) % {"words": _quoted(words)}
        elif learned:
            why = _(
                "by the learned check: no rule matched, but it reads like the example "
                "disclosures the check learned from"
            )
        elif words:
            why = _("because it says %(words)s") % {"words": _quoted(words)}
        elif level == Severity.URGENT:
            why = _("because it uses wording the screen's rules treat as urgent on its own")
        else:
            why = _("because it uses wording the screen's rules treat as a possible disclosure")
        reasons.append(f"{_flagged_as(label, level)} {why}.")
    return reasons


# The notes' timeline --------------------------------------------------------------------------


def _status_label(value) -> str:
    try:
        return str(ConcernStatus(value).label)
    except ValueError:
        return str(value or _("(none)"))


def _severity_label(value) -> str:
    try:
        return str(Severity(value).label)
    except ValueError:
        return str(value or _("(none)"))


def _day(value) -> str:
    try:
        return date_format(date.fromisoformat(str(value)), "j F Y")
    except ValueError:
        return str(value)


def note_summary(note, names: dict | None = None) -> str:
    """What a note's action did, in words, e.g. "changed the severity from “Concern” to “Urgent”".

    ``names`` maps user ids to names, for assignments (a deleted account reads as such).
    """
    names = names or {}
    changes = note.changes or {}
    action = note.action
    if action == "status":
        said = _("changed the status from “%(from)s” to “%(to)s”") % {
            "from": _status_label(note.from_status),
            "to": _status_label(note.to_status),
        }
    elif action == "release":
        said = _("released the answer")
    elif action == "withhold":
        said = _("withheld the answer")
    elif action == "severity":
        before, after = changes.get("severity", [None, None])
        said = _("changed the severity from “%(from)s” to “%(to)s”") % {
            "from": _severity_label(before),
            "to": _severity_label(after),
        }
    elif action == "category":
        before, after = changes.get("categories", [[], []])
        labels = _screen_labels()
        said = _("changed the categories from “%(from)s” to “%(to)s”") % {
            "from": ", ".join(category_label(c, labels) for c in before or []) or _("none"),
            "to": ", ".join(category_label(c, labels) for c in after or []) or _("none"),
        }
    elif action == "assign":
        before, after = changes.get("assigned_to", [None, None])
        said = _("assigned it to %(name)s") % {"name": names.get(after, _("a deleted account"))}
        if before:
            said += " " + _("(it was with %(name)s)") % {
                "name": names.get(before, _("a deleted account"))
            }
    elif action == "acknowledge":
        said = _("acknowledged the concern")
    else:
        said = _("added a note (status “%(status)s”)") % {"status": _status_label(note.to_status)}
    extra = []
    if "referred_to" in changes or "referred_on" in changes:
        extra.append(
            _("referred to %(who)s on %(day)s")
            % {
                "who": changes.get("referred_to", [None, None])[1] or _("(as before)"),
                "day": _day(changes["referred_on"][1])
                if "referred_on" in changes
                else _("(as before)"),
            }
        )
    if "outcome" in changes:
        extra.append(_("wrote the outcome"))
    if "false_alarm" in changes:
        extra.append(_("marked it a false alarm"))
    if extra:
        said += "; " + "; ".join(extra)
    return said
