"""Replace personal data in free text with readable tokens, before anyone outside the room reads it.

``redact(text)`` finds email addresses, phone numbers, postcodes, links, social-media handles,
street addresses and people's names, plus the schools, staff and small places a facilitator
lists, and returns the text with each one replaced by ``[email]``, ``[phone]``, ``[postcode]``,
``[link]``, ``[address]``, ``[name]``, ``[school]`` or ``[place]``. Everything else comes back
as written: spacing, line breaks, punctuation, spelling and capitals are the young person's own.

Disguised personal data goes too. The text is read unmasked (``normalise.unmask``): invisible
characters, soft hyphens, runs of whitespace and line breaks, look-alike letters and "fancy font"
letters change nothing, so "07700\\u200b900123", "BA1\\u200b1AA" and "mr\\nsmith" are found,
and each span covers the characters as written. A line break reads as a space, except that the
word after it may start a sentence, as after a full stop (phones write a capital there: "More
clubs\\nWill you listen?" keeps its "Will"). The redacted text is the original with the spans
replaced, then ``normalise.clean``-ed: the young person's spacing and line breaks stay, but no
invisible character, bidi control or look-alike letter in a Latin word survives into word clouds
and reports, where it would split one word into several ("bul\\u00adlying" and "bullying").

How it decides, in brief (the tests in ``tests/consultations/analysis/test_redaction.py`` are the
full specification):

* Patterns first, in priority order, so that an email address is not also read as a link and
  a handle: email, link, phone, postcode, handle, the facilitator's lists, street address.
  Where two matches overlap, the higher priority wins, then the longer.
* Names second, word by word, on what the patterns left. A word on the bundled list of first
  names (``data/redaction/first_names.txt``) goes, unless it is also an ordinary word
  (``ordinary_words.txt``: "will", "hope", "bill", "mark") in lower case or at the start of a
  sentence, or a month, place or brand (``capitalised_words.txt``: "May", "Wells") on its own.
  A first name followed by a surname (``surnames.txt``) takes the surname with it; a
  capitalised surname on its own goes too. A title (Mr, Mrs, Miss, Ms, Mx, Dr, Sir) and the
  name after it always go, in any case ("mr smith"). A word after "my friend", "my brother",
  "a boy called", "her name is" goes even in lower case. A name followed by a capitalised
  institution word ("Grace Academy", "Jack Hunt School") is a place, not a person, and stays
  unless the facilitator lists it.
* Numbers that belong to services, not people, stay: 999, 111, 112, 101, 116 123, 85258 and
  freephone numbers (0800, 0808) such as Childline's 0800 1111, so that "I called Childline on
  0800 1111" still tells the reader something.

Redacting is idempotent (redacting redacted text changes nothing) and fast: patterns are
compiled once and run only when a cheap test says they might match, and names are looked up in
sets; ``benchmarks/redaction_speed.py`` measures it (figures in ``docs/benchmarks.md``).

What it cannot know, so a Facilitator still reads before publishing: names that are not on
the lists written in lower case ("me and kaydenn"); ordinary words used as names at the start
of a sentence ("Mark said"), or in lower case after "my friend" when they read as verbs
("my best friend hope"); streets without a house number ("on Acacia Avenue", which is a place,
not an address); and anything the young person spells out ("seven seven double oh").

To extend: add names, ordinary words or places to the files in ``data/redaction/`` (each says
how); pass a facilitator's lists as ``RedactionLists``; add a new kind of personal data as a
pattern in ``_pattern_candidates`` with its priority in ``PRIORITY``.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from .normalise import clean, unmask

__all__ = [
    "PRIORITY",
    "REPLACEMENTS",
    "Redacted",
    "RedactionLists",
    "Span",
    "redact",
]

DATA_DIR = Path(__file__).resolve().parent / "data" / "redaction"

#: The token that replaces each kind of personal data.
REPLACEMENTS: dict[str, str] = {
    "email": "[email]",
    "link": "[link]",
    "phone": "[phone]",
    "postcode": "[postcode]",
    "handle": "[name]",
    "school": "[school]",
    "staff": "[name]",
    "place": "[place]",
    "address": "[address]",
    "name": "[name]",
}

#: Lower numbers win when two matches overlap; equal priorities go to the longer match.
PRIORITY: dict[str, int] = {
    "email": 0,
    "link": 1,
    "phone": 2,
    "postcode": 3,
    "handle": 4,
    "school": 5,
    "staff": 5,
    "place": 5,
    "address": 6,
    "name": 7,
}

_PLACEHOLDER_WORDS = frozenset(token[1:-1] for token in REPLACEMENTS.values())


@dataclass(frozen=True, slots=True)
class Span:
    """One replacement: ``text[start:end]`` of the original became ``replacement``.

    A span holds positions, never the personal data itself, so spans can be stored and logged
    beside the redacted text without leaking what they cover.
    """

    start: int
    end: int
    kind: str
    replacement: str


@dataclass(frozen=True, slots=True)
class Redacted:
    """The redacted text and the spans of the original that were replaced, in order."""

    text: str
    spans: tuple[Span, ...]

    @property
    def changed(self) -> bool:
        return bool(self.spans)


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
# Word lists


@dataclass(frozen=True)
class _Lexicon:
    first: frozenset[str]
    surnames: frozenset[str]
    ordinary: frozenset[str]
    capitalised: frozenset[str]
    triggers: frozenset[str]
    all_triggers: frozenset[str]

    def known_hyphen(self, key: str) -> bool:
        """Whether a hyphenated word is made of names ("smith-jones", "mary-jane")."""
        pieces = key.split("-")
        return all(p in self.first or p in self.surnames for p in pieces) and not all(
            p in self.ordinary for p in pieces
        )


def _read_list(path: Path) -> frozenset[str]:
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(_normalise(line))
    return frozenset(words)


@functools.cache
def _lexicon() -> _Lexicon:
    capitalised = _read_list(DATA_DIR / "capitalised_words.txt")
    first = _read_list(DATA_DIR / "first_names.txt")
    surnames = _read_list(DATA_DIR / "surnames.txt")
    triggers = (first | surnames | _CUE_WORDS) - (_STOP - _NAME_WORDS)
    return _Lexicon(
        first=first,
        surnames=surnames,
        ordinary=_read_list(DATA_DIR / "ordinary_words.txt") | capitalised,
        capitalised=capitalised,
        triggers=triggers,
        all_triggers=triggers | _TLD_SET | _STREET_WORDS | _PLATFORM_WORDS,
    )


def _normalise(word: str) -> str:
    return word.lower().replace("\u2019", "'")


# --------------------------------------------------------------------------------------------
# Patterns


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


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

# Letters of the Latin alphabets (accents included: Zoë, Siân, Róisín) then letters, apostrophes
# and hyphens. A trailing apostrophe or hyphen belongs to the text, not the name (see _key).
_LETTERS = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
_WORD_RE = re.compile(rf"[{_LETTERS}][{_LETTERS}'\u2019-]*")
_WORD_SPLIT_RE = re.compile(f"({_WORD_RE.pattern})")
# Digits with a letter just before or after them ("TA1", "Y9", "2nd").
_GLUED_DIGITS_RE = re.compile(rf"[0-9](?<=[{_LETTERS}][0-9])[0-9]*|[0-9]+(?=[{_LETTERS}])")
_PLACEHOLDER_RE = re.compile(r"\[(?:" + "|".join(sorted(_PLACEHOLDER_WORDS)) + r")\]")


# --------------------------------------------------------------------------------------------
# Context words for names

_STOP = _words(
    """
    i i'm im me my mine myself you your yours he him his she her hers it its we us our they them
    their the a an and or but so if then than that this these those there here is am are was
    were be been being do does did done have has had would should could can might must shall not
    no yes to of in on at by for with from up down out over under about into onto off as too
    very just also all any some every each what which who whom whose when where why how said
    says say told tells tell asked asks gave gives got gets get went goes go made makes make
    thinks thought know knows knew like likes liked hates hated wants wanted needs isn't wasn't
    doesn't don't didn't can't won't never always really please thanks thank hi hello hey yeah
    ok okay lol names name one someone everyone nobody
    """
)
_NOT_NAMES = _words(
    """
    mum mom mam mummy mommy dad daddy nan nana nanna gran granny grandma grandad grandpa aunt
    auntie aunty uncle brother sister bro sis cousin friend mate teacher police childline nspcc
    samaritans shout ambulance school college god allah jesus people teams word excel office
    forms paint powerpoint google youtube tiktok instagram snapchat discord roblox fortnite
    minecraft xbox playstation netflix
    """
)
_TITLES_STRICT = frozenset({"mr", "mrs", "ms", "mx", "dr", "mister", "missus", "prof"})
_TITLES_STRICT_LOWER_ANY = frozenset({"mr", "mrs", "mx", "mister", "missus"})
_TITLES_SOFT = frozenset({"miss", "sir", "lord", "lady", "dame"})
_ABBREVIATIONS = _TITLES_STRICT | frozenset({"st", "mt", "no", "vs", "etc"})
_POSSESSIVES = frozenset({"my", "our", "his", "her", "their", "your"})
_RELATIONS = _words(
    """
    friend friends mate mates bestie besties bff bf gf boyfriend girlfriend brother brothers bro
    sister sisters sis cousin cousins cuz stepbrother stepsister stepdad stepmum stepmom
    step-brother step-sister step-dad step-mum step-mom twin neighbour neighbor classmate
    partner ex boss carer uncle aunt auntie aunty nephew niece son daughter mum dad
    """
)
_RELATION_MODIFIERS = _words(
    "best little big older younger old new step half twin close good so-called foster"
)
_PERSON_NOUNS = _words(
    """
    boy girl kid lad man woman guy teacher someone somebody person friend mate brother sister
    cousin boyfriend girlfriend bf gf student pupil bloke lady he's she's hes shes
    """
)
_NAMING_VERBS = frozenset({"called", "named", "calld", "nicknamed"})
# Words that follow "my friend" as verbs more often than as names ("my friend will help").
_VERBISH = _words(
    "will may hope mark bill grant drew rob sue pat chase wade lance rose nick skip don"
)
# A capitalised word that turns the name before it into a place or organisation.
_INSTITUTIONS = _words(
    """
    academy school college primary secondary infants infant juniors junior nursery university
    uni church chapel cathedral mosque temple gurdwara synagogue hospital centre center library
    road street avenue station estate surgery museum theatre cinema trust foundation memorial
    community leisure fc rovers united gardens square abbey manor castle
    """
)
_PLACE_PREFIXES = frozenset({"st", "saint", "port", "fort", "mount", "mt", "lake", "loch", "cape"})
_NAME_WORDS = frozenset({"name", "names"})  # "her name is", "his name's", "his names"
_CUE_WORDS = _TITLES_STRICT | _TITLES_SOFT | _RELATIONS | _NAMING_VERBS | _NAME_WORDS


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
                    for m in firsts
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


def _platform_matches(text: str, lowered: str, hits: frozenset[str] | set[str]):
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
            domain = _OBF_AT_RE.split(value, maxsplit=1)[-1]
            provider = _NON_WORD_RE.split(domain.strip(), maxsplit=1)[0].lower()
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
            m = _POSTCODE_RE.search(text, max(0, inward - 6), inward + 4)
            if m and m.end() == inward + 3 and m.group("area").upper() in _POSTCODE_AREAS:
                add((m.start(), m.end(), "postcode"))
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


# --------------------------------------------------------------------------------------------
# Names


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


def _key(word: str) -> str:
    """The lookup form of a word: lower case, straight apostrophe, no possessive 's."""
    key = word.lower()
    if "'" in key or "\u2019" in key or key[-1] == "-":
        key = key.replace("\u2019", "'").rstrip("'-")
        if len(key) > 2 and key.endswith("'s"):
            key = key[:-2]
    return key


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
    known_hyphen = lex.known_hyphen
    first, surnames, ordinary, capitalised = (
        lex.first,
        lex.surnames,
        lex.ordinary,
        lex.capitalised,
    )
    name_hits = lex.triggers.intersection(hits)
    hyphenated = "-" in text
    if not name_hits and not hyphenated and not matches:
        return []
    words = parts[1::2]
    count = len(words)
    if not matches and not hyphenated and not _could_name(words, keys, name_hits, lex):
        return []
    bounds = list(accumulate(map(len, parts)))
    starts = bounds[0::2]
    ends = bounds[1::2]

    # Words inside a pattern match or an earlier redaction ("[name]") are barriers: nobody's
    # name and nobody's context. So are words glued to one, or to a number ("TA1", "Y9",
    # "josh2010", "Mary'" of "Mary'sjosh@x.com"), since such a word is not a word on its own.
    # A word that runs out of a match after a hyphen or apostrophe keeps that part ("Josh" of
    # "x.com-Josh"), as it would once the match is replaced.
    edges = list(matches)
    if "[" in text:
        edges += [m.span() for m in _PLACEHOLDER_RE.finditer(text)]
    edges += [m.span() for m in _GLUED_DIGITS_RE.finditer(text)]
    blocked: list[bool] | None = None
    if edges:
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
        if out or kept:
            keys = list(keys)
            for i, m in kept.items():
                if i not in out:
                    words[i], keys[i] = m.group(), _key(m.group())
                    starts[i], ends[i] = m.span()
            blocked = [False] * count
            for i in out:
                blocked[i] = True
                keys[i] = ""
            name_hits = lex.triggers
    if hyphenated:
        triggers = [
            i for i, k in enumerate(keys) if k in name_hits or ("-" in k and known_hyphen(k))
        ]
    else:
        triggers = [i for i, k in enumerate(keys) if k in name_hits]
    if not triggers:
        return []

    cache: list[_Token | None] = [None] * count

    def tok(i: int) -> _Token:
        token = cache[i]
        if token is None:
            token = cache[i] = _Token(starts[i], ends[i], words[i], keys[i])
        return token

    def sentence_start(i: int) -> bool:
        # Redacted text is read as if already redacted: words inside matches and names are
        # skipped, and so are the characters of matches and names between the words, so that
        # redacting the output again decides the same way.
        previous = i - 1
        while previous >= 0 and (named[previous] or (blocked is not None and blocked[previous])):
            previous -= 1
        if previous < 0:
            return True
        gap = text[ends[previous] : starts[i]]
        if ignored_any:
            gap = "".join(c for k, c in enumerate(gap, ends[previous]) if not ignored[k])
        if not _ends_sentence(gap):
            return False
        # "Mr. Smith", "St. Mary's": the full stop ends an abbreviation, not a sentence.
        return not (keys[previous] in _ABBREVIATIONS and text[ends[previous]] == ".")

    done = [False] * count
    named = [False] * count
    maybe: list[int] = []
    spans: list[tuple[int, int]] = []
    ignored = bytearray(taken) if any_taken else bytearray(len(text))
    ignored_any = any_taken

    def adjacent(i: int, j: int, *, comma: bool = False) -> bool:
        if j >= count or j < 0 or i < 0:
            return False
        if blocked is not None and (blocked[i] or blocked[j]):
            return False
        gap = text[ends[i] : starts[j]]
        if comma:
            gap = gap.replace(",", "", 1)
        return bool(gap) and not gap.strip()

    def known(key: str) -> tuple[bool, bool]:
        if key in first or key in surnames:
            return key in first, key in surnames
        if "-" in key and known_hyphen(key):
            pieces = key.split("-")
            return pieces[0] in first and pieces[-1] not in surnames, True
        return False, False

    def institution_follows(i: int) -> bool:
        j = i + 1
        while j < count and j <= i + 3 and adjacent(j - 1, j) and tok(j).cap and not named[j]:
            if keys[j] in _INSTITUTIONS:
                return True
            j += 1
        return (
            i > 0
            and adjacent(i - 1, i)
            and keys[i - 1] in _PLACE_PREFIXES
            and not named[i - 1]
            and tok(i).cap
        )

    def surname_at(j: int, *, lower_ok: bool, ordinary_ok: bool) -> bool:
        if j >= count or done[j]:
            return False
        key = keys[j]
        if key in _STOP or key in _NOT_NAMES:
            return False
        is_first, is_surname = known(key)
        if tok(j).cap:
            return (is_surname or is_first) and (ordinary_ok or key not in ordinary)
        return lower_ok and is_surname and not is_first and key not in ordinary

    def take(i: int, j: int) -> None:
        """Tokens i..j (inclusive) are one name."""
        nonlocal ignored_any
        for k in range(i, j + 1):
            done[k] = True
            named[k] = True
        start, end = tok(i).start, tok(j).base_end
        spans.append((start, end))
        ignored[start:end] = b"\x01" * (end - start)
        ignored_any = True

    def extend(j: int, *, lower_ok: bool) -> int:
        """Following surnames or middle names that belong to the name ending at token j."""
        steps = 0
        while steps < 2 and tok(j).base_end == tok(j).end and adjacent(j, j + 1):
            if not surname_at(j + 1, lower_ok=lower_ok, ordinary_ok=True):
                break
            j += 1
            steps += 1
        return j

    def cue_target(j: int) -> bool:
        return (
            j < count
            and not done[j]
            and keys[j] != ""  # blocked
            and keys[j] not in _STOP
            and keys[j] not in _NOT_NAMES
        )

    # Pass 1: titles and cue words, which decide for the word after them.
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

    # Pass 2: names from the lists, word by word.
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
                and not (adjacent(i, i + 1) and surname_at(i + 1, lower_ok=True, ordinary_ok=False))
            ):
                continue
        elif is_ordinary and not is_first:
            continue  # "Green", "Wells"
        if institution_follows(i):
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
                maybe.append(i)  # decided by its neighbours, below
            continue
        # A surname on its own: capitalised and not an ordinary word or place.
        if t.cap and not is_ordinary:
            take(i, i)

    # Pass 3: an ordinary word that is also a name ("Will", "Grace"), capitalised, goes in the
    # middle of a sentence unless its neighbours are capitalised too ("I Will Be There",
    # "Hope Street"), and anywhere when paired with a name by "and" or "&" ("Lily and Poppy").
    # Names found meanwhile are not evidence of capitals, so this repeats until nothing changes.
    def title_case_neighbour(j: int, i: int) -> bool:
        return (
            adjacent(min(i, j), max(i, j))
            and not named[j]
            and tok(j).cap
            and keys[j] != "i"
            and not any(known(keys[j]))
            and (j > i or not sentence_start(j))
        )

    def paired_with_name(i: int) -> bool:
        for j, k in ((i + 1, i + 2), (i - 1, i - 2)):
            if (
                0 <= k < count
                and keys[j] == "and"
                and named[k]
                and adjacent(min(i, j), max(i, j))
                and adjacent(min(j, k), max(j, k))
            ):
                return True
        for k in (i + 1, i - 1):
            if 0 <= k < count and named[k]:
                gap = text[ends[min(i, k)] : starts[max(i, k)]]
                if gap.strip() == "&":
                    return True
        return False

    changed = bool(maybe)
    while changed:
        changed = False
        for i in maybe:
            if named[i]:
                continue
            if paired_with_name(i) or not (
                sentence_start(i)
                or title_case_neighbour(i + 1, i)
                or title_case_neighbour(i - 1, i)
            ):
                take(i, i)
                changed = True
    return spans


# --------------------------------------------------------------------------------------------
# The one public function


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
