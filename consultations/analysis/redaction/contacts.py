"""Personal data found by patterns: email addresses, links, phone numbers, postcodes, handles,
street addresses, and the schools, staff and places a facilitator lists.

:func:`_pattern_candidates` returns every match, each with its kind; the redactor keeps the best
where they overlap (:data:`.results.PRIORITY`). Each pattern runs only when a cheap test says it
might match. To add a kind of personal data, add its pattern here and its priority and token in
:mod:`.results`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import cast

from .words import _STOP, _WORD_RE, _key, _words


@dataclass(frozen=True)
class RedactionLists:
    """Words a facilitator keeps (in site settings) that must never leave the building.

    Matching is case-insensitive and on whole words; an entry may be several words
    ("St Mary's C of E Primary"), and the longest entry wins where entries overlap. Apostrophes
    are optional ("St Marys" matches "St Mary's") and so is a full stop after a short word
    ("St. Mary's"). A title before a staff name goes with it ("Mrs Sarah Jones"); list each
    other form people write as its own entry ("Sarah Jones", "Miss Jones", "Jones").
    Lists are converted to tuples, so an instance is hashable and its patterns compile once.
    """

    schools: Sequence[str] = ()
    staff_names: Sequence[str] = ()
    places: Sequence[str] = ()

    def __post_init__(self) -> None:
        for name in ("schools", "staff_names", "places"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = value.splitlines()
            cleaned = tuple(dict.fromkeys(" ".join(v.split()) for v in value if v and v.strip()))
            object.__setattr__(self, name, cleaned)


# --------------------------------------------------------------------------------------------
# Patterns

_TLDS = "com|net|org|uk|io|tv|gg|app|info|dev|xyz|ie|eu|edu|gov|biz|online|site|shop|store|blog"

# An email address is found from its "@": the local part before it, the domain after it.
_EMAIL_LOCAL_RE = re.compile(r"[\w.%+-]+\Z")
_EMAIL_DOMAIN_RE = re.compile(r"[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}")

# "josh at gmail dot com", "josh(at)gmail.com", "josh [at] gmail [dot] com"
_OBF_AT = r"(?:\s*[(\[{]\s*at\s*[)\]}]\s*|\s+at\s+)"
_OBF_DOT = r"(?:\s*[(\[{]\s*dot\s*[)\]}]\s*|\s+dot\s+|\.)"
_EMAIL_OBFUSCATED_RE = re.compile(
    rf"(?<![\w.+-])[\w.+-]+{_OBF_AT}[\w-]+(?:{_OBF_DOT}[\w-]+)+", re.IGNORECASE
)
_MAIL_PROVIDERS = _words(
    "gmail googlemail hotmail outlook live yahoo icloud me mac aol msn btinternet btopenworld "
    "sky talktalk virginmedia ntlworld protonmail proton gmx mail ymail rocketmail"
)
_OBF_AT_RE = re.compile(_OBF_AT, re.IGNORECASE)
_NON_WORD_RE = re.compile(r"\W+")
_NON_DIGITS_RE = re.compile(r"[^0-9]+")
_TLD_SET = frozenset(_TLDS.split("|"))
_OBF_WORD_RE = re.compile(r"[(\[{]\s*(?:at|dot)\s*[)\]}]|\sdot\s", re.IGNORECASE)

_URL_RE = re.compile(r"(?<![\w@])(?:https?://|www\.)[^\s<>\"]+", re.IGNORECASE)
_BARE_DOMAIN_RE = re.compile(
    rf"(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".,;:!?)]}'\"\u2019\u201d"

# UK phone numbers: 07xxx xxxxxx, 01xxx xxxxxx, 020 xxxx xxxx, +44 (0)7xxx..., 0044 ...
# Separators are spaces, dots, dashes and brackets; a number is 10 or 11 digits in national
# form. Checked again in _phone_length.
_PHONE_RE = re.compile(
    r"(?P<prefix>(?:\+|00(?<![0-9]00))[ ]?44[ ]?(?:\(0\)[ ]?)?[ .\-]?|\(0|0(?<![0-9]0))"
    r"[1-9](?:[ \t.\-()]{0,2}[0-9]){8,9}"
    r"(?![0-9])"
)
# A shorter number right after "my number is", "call me on", "text me on", "tel:" ...
_SHORT_NUMBER_RE = re.compile(r"\+?[0-9](?<![0-9][0-9])(?:[ .\-]?[0-9]){5,12}(?![0-9])")
_PHONE_CUE_RE = re.compile(
    r"(?:\b(?:call|ring|phone|text|txt|message|msg|whatsapp|facetime)\s+(?:me|him|her|us|them)"
    r"(?:\s+(?:on|at))?"
    r"|\b(?:my|his|her|their|our|mum'?s|dad'?s)\s+(?:phone\s+)?(?:number|num|no\.?|mobile|mob|"
    r"phone|digits)(?:\s+is|\s*[:=\-])?"
    r"|\b(?:tel|mob|mobile|phone)(?:\s*(?:no\.?|number))?\s*[:=])\s*$",
    re.IGNORECASE,
)
_SERVICE_NUMBERS = frozenset({"999", "111", "112", "101", "105", "119", "85258", "116123"})

_POSTCODE_AREAS = _words(
    "AB AL BA BB BD BF BH BL BN BR BS BT BX CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT "
    "DY EC EH EN EX FK FY GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY LA LD LE LL "
    "LN LS LU ME MK ML NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM SA SE SG SK SL SM SN SO "
    "SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB WA WC WD WF WN WR WS WV YO ZE B E G L M N S W"
)
# Found from the inward code ("1AA"); the area ("TA", "B") is checked against the list.
_POSTCODE_HINT_RE = re.compile(r"[0-9][A-Za-z]{2}(?![A-Za-z])")
_POSTCODE_RE = re.compile(
    r"(?<![\w])(?P<area>[A-Za-z]{1,2})[0-9][0-9A-Za-z]?[ ]?"
    r"[0-9](?!(?:st|nd|rd|th)\b)[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}(?![\w])"
)

# "@" first, then a look back at the character before it, so the search can skip to each "@".
_HANDLE_RE = re.compile(r"@(?<![\w@.\]]@)[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?")
_AT_TIME_RE = re.compile(r"@[0-9]{1,2}(?:[:.][0-9]{2})?(?:am|pm)?", re.IGNORECASE)
_AT_WORDS = _words(
    "school home work college uni night lunch break church mosque football training practice "
    "club mums mum dads dad nans nan the my your his her their our a an"
)
_PLATFORMS = (
    "snapchat|snap|sc|insta|instagram|ig|tiktok|tt|twitter|discord|twitch|youtube|yt|kik|"
    "telegram|roblox|psn|xbox|steam|fb|facebook|threads|bereal|gamertag|username|handle|ign"
)
_PLATFORM_WORDS = frozenset(_PLATFORMS.split("|")) | {"tik", "user"}
_PLATFORM_HANDLE_RE = re.compile(
    rf"(?:{_PLATFORMS}|tik\s?tok|user\s?name)\b"
    r"(?:\s*(?P<sep>[:=])\s*|\s+(?P<dash>[\u2013-])\s+|\s+(?:is|=)\s+|\s+)"
    r"(?P<handle>@?[A-Za-z0-9_][A-Za-z0-9_.]+)",
    re.IGNORECASE,
)
_HANDLE_LIKE_RE = re.compile(r"[0-9_.]|[a-z][A-Z]")

_STREET_SUFFIXES = (
    "road|rd|street|st|avenue|ave|lane|ln|crescent|cres|terrace|tce|gardens|gdns|grove|mews|"
    "close|cl|drive|dr|way|court|ct|place|pl|walk|rise|hill|park|row|square|sq|view|vale|green|"
    "parade|gate|yard|wharf|quay|boulevard|meadows?|orchard|croft|mead|heights|fields|end"
)
# Suffixes that mean a street even after lower-case words ("12 acacia avenue").
_STRONG_STREET_SUFFIXES = (
    "road|rd|street|st|avenue|ave|lane|crescent|cres|terrace|tce|gardens|gdns|grove|mews|"
    "boulevard|drive|close(?!\\s+(?:to|by|with|friends?|family|calls?|enough)\\b)"
)
# A house number ("12", "14b") not part of "2,500", "£5", "7:30" or "12/03", then the street.
_ADDRESS_RE = re.compile(
    r"[0-9](?<![\w\u00a3$\u20ac.,/:][0-9])[0-9]{0,3}[a-zA-Z]?,?\s+"
    r"(?:(?P<street>(?:[A-Z][\w'\u2019-]*\s+){0,2}[A-Z][\w'\u2019-]*)"
    rf"\s+(?i:{_STREET_SUFFIXES})\b"
    r"|(?P<street2>[a-z][a-z'\u2019-]*(?:\s+[a-z][a-z'\u2019-]*)?)"
    rf"\s+(?i:{_STRONG_STREET_SUFFIXES})\b)"
)
_STREET_WORDS = frozenset(_STREET_SUFFIXES.replace("meadows?", "meadow|meadows").split("|"))
_FLAT_BEFORE_RE = re.compile(
    r"\b(?:flat|apartment|apt|unit)\s*[0-9]{1,4}[a-zA-Z]?\s*,?\s+$", re.IGNORECASE
)
_NOT_STREET_WORDS = _words(
    "the a an and or of to in on at by my our your his her their this that down up along off "
    "round around across near from into onto past minutes mins minute min miles mile hours "
    "seconds people kids children cars buses houses times years year days weeks"
)
_YEAR_WORDS = frozenset({"year", "yr", "years", "y", "age", "aged", "under", "over", "top"})

_TITLE_BEFORE_RE = re.compile(r"\b(?:mr|mrs|miss|ms|mx|dr|sir|mister|prof)\.?\s+$", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# The facilitator's lists


def _phrase_pattern(phrase: str) -> str:
    words = phrase.split()
    parts = []
    for index, word in enumerate(words):
        pattern = ""
        for position, char in enumerate(word):
            if char in "'\u2019":
                pattern += "['\u2019]?"
            elif char == ".":
                pattern += r"\.?"
            elif (
                char in "sS"
                and position == len(word) - 1
                and position > 0
                and word[position - 1] not in "'\u2019"
            ):
                pattern += "['\u2019]?" + re.escape(char)
            else:
                pattern += re.escape(char)
        if index < len(words) - 1 and len(word) <= 3 and not word.endswith("."):
            pattern += r"\.?"
        parts.append(pattern)
    return r"\s+".join(parts)


@functools.lru_cache(maxsize=64)
def _compile_lists(
    lists: RedactionLists,
) -> tuple[tuple[str, re.Pattern[str], frozenset[str] | None], ...]:
    """One pattern per kind, and the first words of its entries (None: always search), so the
    pattern runs only when one of those words is in the text."""
    compiled = []
    for kind, phrases in (
        ("school", lists.schools),
        ("staff", lists.staff_names),
        ("place", lists.places),
    ):
        if phrases:
            ordered = sorted(phrases, key=lambda p: (-len(p), p.lower()))
            alternation = "|".join(_phrase_pattern(p) for p in ordered)
            pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
            firsts = [_WORD_RE.match(p) for p in phrases]
            gate = None
            if None not in firsts:
                # The forms the first word may take in the text: "St Mary's" is also written
                # "St Marys"; "O'Neill" also "ONeill".
                gate = frozenset(
                    form
                    for m in cast("list[re.Match[str]]", firsts)  # no None: checked above
                    for key in {_key(m.group()), _key(m.group()).replace("'", "")}
                    for form in (key, key + "s", key[:-1] if key.endswith("s") else key)
                )
            compiled.append((kind, pattern, gate))
    return tuple(compiled)


# --------------------------------------------------------------------------------------------
# Patterns: candidates


def _digits(text: str) -> str:
    return "".join(c for c in text if "0" <= c <= "9")


def _national(match_text: str, prefix: str) -> str:
    digits = _digits(match_text)
    if not prefix.startswith(("+", "00")):
        return digits
    national = "0" + digits[4:] if digits.startswith("0044") else "0" + digits[2:]
    return national[1:] if national.startswith("00") else national


def _phone_looks_right(match_text: str, prefix: str) -> bool:
    if len(_national(match_text, prefix)) not in (10, 11):
        return False
    if prefix.startswith(("+", "00")):
        return True
    groups = [g for g in _NON_DIGITS_RE.split(match_text) if g]
    # Area codes have at least three digits ("020", "0161", "07700"): "01.02.2021" is a date,
    # not a number; and numbers written with dots use nothing else ("01.02.2021 12.03.2022").
    if len(groups) > 1 and len(groups[0]) < 3:
        return False
    separators = {c for c in match_text if c in " .-"}
    return not ("." in separators and len(separators) > 1)


def _phone_length(match_text: str, prefix: str) -> int:
    """How much of a match is a personal phone number: all of it, a shorter start ("07700 900123"
    of "07700 900123 4"), or none (0)."""
    # Freephone numbers belong to helplines and services (Childline, NSPCC), not people.
    if _national(match_text, prefix).startswith("080"):
        return 0
    if _phone_looks_right(match_text, prefix):
        return len(match_text)
    for end in range(len(match_text) - 1, len(prefix), -1):
        if (
            match_text[end - 1].isdigit()
            and not match_text[end].isdigit()
            and _phone_looks_right(match_text[:end], prefix)
        ):
            return end
    return 0


def _platform_matches(
    text: str, lowered: str, hits: frozenset[str] | set[str]
) -> Iterator[re.Match[str]]:
    """Matches of _PLATFORM_HANDLE_RE, tried only where a platform's name starts a word."""
    platforms = _PLATFORM_WORDS.intersection(hits)
    if not platforms:
        return
    if len(lowered) != len(text):  # lower-casing changed the length: positions would differ
        yield from _PLATFORM_HANDLE_RE.finditer(text)
        return
    seen = set()
    for word in platforms:
        position = lowered.find(word)
        while position != -1:
            if position == 0 or not lowered[position - 1].isalnum():
                m = _PLATFORM_HANDLE_RE.match(text, position)
                if m is not None and m.span() not in seen:
                    seen.add(m.span())
                    yield m
            position = lowered.find(word, position + 1)


def _provider_after_at(lowered: str) -> bool:
    """Whether " at " is followed by a mail provider ("josh at gmail.com")."""
    index = lowered.find(" at ")
    while index != -1:
        following = lowered[index + 4 : index + 40].split(None, 1)
        if following and _NON_WORD_RE.split(following[0], 1)[0] in _MAIL_PROVIDERS:
            return True
        index = lowered.find(" at ", index + 3)
    return False


def _service_number(digits: str) -> bool:
    return (
        digits in _SERVICE_NUMBERS
        or digits.startswith("080")
        or (len(digits) == 6 and digits.startswith("116"))
    )


def _strip_trailing(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] in _TRAILING_PUNCTUATION:
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return end


def _pattern_candidates(
    text: str, extra: RedactionLists | None, keys: list[str], hits: frozenset[str] | set[str]
) -> list[tuple[int, int, str]]:
    # Each pattern runs only when a cheap test says it might match: most answers hold no
    # personal data at all, and this is what keeps redaction fast.
    found: list[tuple[int, int, str]] = []
    add = found.append
    lowered = text.lower()
    has_at = "@" in text
    digit_count = sum(map(text.count, "0123456789"))

    if has_at:
        at = text.find("@")
        previous_end = 0
        while at != -1:
            local = _EMAIL_LOCAL_RE.search(text, max(previous_end, at - 64), at)
            domain = _EMAIL_DOMAIN_RE.match(text, at + 1) if local else None
            if local and domain:
                start = local.start()
                while text[start] in ".%+-":
                    start += 1
                if start < at:
                    add((start, domain.end(), "email"))
                previous_end = domain.end()
                at = text.find("@", previous_end)
            else:
                at = text.find("@", at + 1)
    if (
        " dot " in lowered
        or "at)" in lowered
        or "at]" in lowered
        or "at}" in lowered
        or (" at " in lowered and _provider_after_at(lowered))
    ):
        for m in _EMAIL_OBFUSCATED_RE.finditer(text):
            value = m.group()
            after_at = _OBF_AT_RE.split(value, maxsplit=1)[-1]
            provider = _NON_WORD_RE.split(after_at.strip(), maxsplit=1)[0].lower()
            last = _NON_WORD_RE.split(value.rstrip())[-1].lower()
            if last in _TLD_SET and (_OBF_WORD_RE.search(value) or provider in _MAIL_PROVIDERS):
                add((m.start(), m.end(), "email"))

    if "http" in lowered or "www." in lowered:
        for m in _URL_RE.finditer(text):
            add((m.start(), _strip_trailing(text, m.start(), m.end()), "link"))
    if not _TLD_SET.isdisjoint(hits):
        for m in _BARE_DOMAIN_RE.finditer(text):
            add((m.start(), _strip_trailing(text, m.start(), m.end()), "link"))

    if digit_count >= 10:
        for m in _PHONE_RE.finditer(text):
            length = _phone_length(m.group(), m.group("prefix"))
            if length:
                add((m.start(), m.start() + length, "phone"))
    if digit_count >= 6:
        for m in _SHORT_NUMBER_RE.finditer(text):
            start = m.start()
            if _PHONE_CUE_RE.search(text, max(0, start - 40), start) and not _service_number(
                _digits(m.group())
            ):
                add((start, m.end(), "phone"))
    if digit_count >= 2:
        for hint in _POSTCODE_HINT_RE.finditer(text):
            inward = hint.start()
            code = _POSTCODE_RE.search(text, max(0, inward - 6), inward + 4)
            if code and code.end() == inward + 3 and code.group("area").upper() in _POSTCODE_AREAS:
                add((code.start(), code.end(), "postcode"))
    if digit_count and not _STREET_WORDS.isdisjoint(hits):
        for m in _ADDRESS_RE.finditer(text):
            if m.group("street2") is not None:
                street = m.group("street2").lower().split()
                if any(w in _NOT_STREET_WORDS for w in street):
                    continue
            start = m.start()
            before = text[max(0, start - 24) : start]
            previous = before.split()
            if previous and previous[-1].lower().strip(".,") in _YEAR_WORDS:
                continue
            flat = _FLAT_BEFORE_RE.search(before)
            if flat:
                start -= len(before) - flat.start()
            add((start, m.end(), "address"))

    if has_at:
        for m in _HANDLE_RE.finditer(text):
            value = m.group()
            if (
                _AT_TIME_RE.fullmatch(value)
                or value[1:].lower() in _AT_WORDS
                or not any(c.isalpha() for c in value)
            ):
                continue
            add((m.start(), m.end(), "handle"))
    for m in _platform_matches(text, lowered, hits):
        handle = m.group("handle")
        bare = handle.lstrip("@")
        if not any(c.isalpha() for c in bare) or bare.lower() in _STOP:
            continue
        explicit = m.group("sep") or m.group("dash") or handle.startswith("@")
        if explicit or _HANDLE_LIKE_RE.search(bare.rstrip(".")):
            begin = m.start("handle")
            add((begin, _strip_trailing(text, begin, m.end("handle")), "handle"))

    if extra is not None:
        for kind, pattern, gate in _compile_lists(extra):
            if gate is not None and gate.isdisjoint(keys):
                continue
            for m in pattern.finditer(text):
                start = m.start()
                if kind == "staff":
                    title = _TITLE_BEFORE_RE.search(text, max(0, start - 10), start)
                    if title:
                        start = title.start()
                add((start, m.end(), kind))
    return found
