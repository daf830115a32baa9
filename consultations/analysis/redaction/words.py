"""Words as redaction reads them: how text is cut into words, their lookup forms, and the
small sets of context words ("my", "Mr", "friend", "called") the name rules read."""

from __future__ import annotations

import re

from .results import _PLACEHOLDER_WORDS


def _normalise(word: str) -> str:
    return word.lower().replace("\u2019", "'")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _key(word: str) -> str:
    """The lookup form of a word: lower case, straight apostrophe, no possessive 's."""
    key = word.lower()
    if "'" in key or "\u2019" in key or key[-1] == "-":
        key = key.replace("\u2019", "'").rstrip("'-")
        if len(key) > 2 and key.endswith("'s"):
            key = key[:-2]
    return key


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
