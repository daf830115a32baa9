"""Harm told as over: "i used to self harm but i got help from camhs and havent for 2 years".

Young people often tell the forum about something that happened and has ended, to say what
helped. The rules find the harm in it ("self harm", "my dad used to hit my mum") and cannot
tell that it is over; on blind batches these answers were the screen's largest single source
of false alarms (docs/benchmarks.md, "Harm told as over").

:func:`told_as_over` says whether an answer tells harm as in the past **and** as resolved, with
nothing saying it goes on. The screen then sets aside a *concern* and lowers an *urgent* to a
concern, never more: a lead still sees anything urgent-sounding within a working day. All three
things must be there:

- a **past** marker: "used to", "when i was little", "in year 7", "two years ago", "once when";
- a **resolved** marker: "got help", "havent done it for", "we moved away", "hes in prison
  now", "were fine now", "the police sorted it";
- **no ongoing** marker: "still", "again", "every night", "right now", "scared", "i want to",
  "please"... Any one of these keeps the flag as it was.

The answer is read unmasked (hidden characters and look-alike letters undone, as the rules read
it), in lower case with apostrophes dropped, but not normalised: markers disguised in
leetspeak ("g0t h3lp") do not match, so the answer keeps its flag. The lists are
deliberately short; a word added to the first two lists takes flags away, so each needs a test
with a disclosure beside it (tests/consultations/analysis/test_told_as_over.py).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .results import CONCERN, URGENT, ScreenResult, _nothing

#: Said of a time before now.
PAST = (
    r"used to",
    r"when (?:i|she|he|they) (?:was|were) "
    r"(?:little|younger|small|a kid|a child|in year \d+|\d+|in primary)",
    r"in year \d+",
    r"years? ago",  # "two years ago", "a year ago"
    r"(?:years?|months|ages|a while) back",  # "a few years back"
    r"(?:i|we|she|he) (?:had|went through) a (?:time|phase|period|bad patch|bad time)",
    # Seventh round, from blind batches BB to BJ: "had a really dark time after my nan died".
    r"(?:had|went through) a (?:really |very |proper )?"
    r"(?:dark|bad|hard|rough|tough|difficult) (?:time|phase|patch|period)",
    r"ages ago",
    r"last year",
    r"once when",
    r"in primary",
    r"a while ago",
    r"for a bit",
    r"at one point",
    r"when (?:we|i) first (?:came|moved|arrived)",
    # Tenth round: "my auntie tried to make me go abroad to get married".
    r"tried to (?:make|get|force|send|take) (?:me|us|her|him)",
    # Ninth round: "my stepdad was violent", "he was horrible to us".
    r"(?:step ?dad|dad|mum|step ?mum|uncle|auntie|aunty|nan|grandad|brother|boyfriend|partner|"
    r"he|she) was (?:violent|horrible|abusive|nasty|awful|cruel)",
    r"(?:my|at my|our) (?:old|former|previous) "
    r"(?:school|primary|step ?dad|step ?mum|boyfriend|girlfriend|foster carers?|house|area|estate)",
)

#: Said of harm that has ended or been dealt with.
RESOLVED = (
    r"but (?:now|we|i|im|were|she|he|they|its|the|things|everything) [^.!?]{0,80}?"
    r"\b(?:anymore|any more|safe|fine|better|happy|sorted|good|okay|ok|lovely)",
    r"(?:havent|have not) (?:done it|felt like that|had|been)",
    r"(?:got|had|getting|get) (?:help|support|counselling|therapy)",
    r"(?:did|had|have had|went to) (?:family |some )?(?:counselling|therapy)",
    r"brought (?:her|him|me|them) (?:back|home)",
    # The services and workers are in the seventh round's marker below, which needs no object.
    r"(?:the school|my teacher|the nurse|she|he|they) (?:really )?helped (?:me|us|loads|a lot)",
    r"helped (?:loads|a lot|so much)",
    r"feel (?:loads|so much|a lot|much) better",
    r"(?:he|she|they)(?:s| has| have)? been gone",
    r"(?:mum|dad|mums|dads|she|he)s? (?:is )?clean now",
    r"(?:got|was|were) (?:convicted|sent down|locked up|jailed)",
    r"in recovery",
    r"recovered",
    r"(?:all|its|were|im|things are|everything is) (?:sorted|fine|good|ok|okay|safe|better|happy)",
    r"(?:safe|fine|happy|better|sorted|good) now",
    r"nothing (?:like that )?since",
    r"not anymore",
    r"moved (?:away|schools|out|house)",
    r"(?:he|she)s? (?:gone|left|in prison)",
    r"left (?:him|her|ages ago)",
    r"talked it (?:through|out)",
    r"(?<!never )came back",
    r"police (?:sorted|got|dealt)",
    r"got (?:excluded|arrested|blocked|taken down)",
    r"(?:restraining|court|non molestation|protection) order",
    r"(?:havent|have not) seen (?:him|her|them) since",
    r"council (?:house|flat)",
    # Seventh round, from blind batches BB to BJ ("camhs helped and i havent in over a year",
    # "ive been clean 2 years now", "the police handled it", "hes been sober 4 years").
    r"(?:camhs|counselling|therapy|my counsellor|the counsellor|my gp|the gp|the police|"
    r"a youth worker|the youth worker|my social worker|a charity|the charity) (?:really )?helped",
    r"(?:havent|have not) (?:in|for) (?:over |more than |about )?(?:a|\d+|two|three|four|ages)",
    r"(?:doing|feeling|feel|im|am) (?:loads|so much|a lot|much|way) better",
    r"(?:been|im|am) clean (?:for )?(?:\d+|a|two|three|over)",
    r"stopped (?:over |more than |about )?(?:a|\d+|two|three|a few) (?:years?|months) ago",
    r"(?:police|school|teachers?) (?:handled|dealt with) it",
    r"(?:it|he|she|they) (?:got|was|were) reported",
    r"(?:went|got sent|was sent) to prison",
    r"(?:been|is|hes|shes) sober",
    r"got us a (?:house|flat|home|place)",
    r"handed (?:it|them|the knife|the blade) in",
    r"amnesty bin",
    r"(?:its|its been|things are|home is) (?:calm|peaceful|quiet) now",
    # Eighth round, from blind batches BH to BP ("a fight with a knife last year... it hasnt
    # happened since", "at my old school i got beaten up loads but since i moved its been fine").
    r"(?:hasnt|has not|havent|have not) happened since",
    r"since (?:i|we) moved|since moving",
    r"its been (?:so |much |way |loads )*(?:fine|good|ok|okay|better|great|calm)",
    # Ninth round, from blind batches BQ to BS ("they split up ages ago and now its just us",
    # "mum left him", "im doing well now", "hes in prison now and were ok").
    r"(?:they|my parents|mum and dad|mum and him|she and him) "
    r"(?:split up|broke up|separated|got divorced)",
    r"now its just (?:us|me and (?:my )?(?:mum|dad))",
    r"(?:mum|she|we) left (?:him|her)",
    r"doing (?:well|ok|okay|good|great|fine) now",
    r"(?:were|we are) (?:ok|okay|safe|fine|close|closer|good) now",
    # Tenth round, from blind batches BT to BV ("he stopped and hes doing an apprenticeship",
    # "the forced marriage unit stopped it", "me and mum sorted things out").
    r"(?:he|she|they|i) (?:stopped|quit|gave it up)",
    r"(?:unit|school|police|social services|social worker|teachers?|they) stopped it",
    r"sorted (?:things|it|everything) out",
    # From blind batch CH ("i had camhs for a year and im 8 months clean now", "camhs and my
    # meds helped loads and im in a good place now").
    r"(?:weeks|months|years|a year) clean",
    r"in a (?:good|better|much better|way better) place now",
)

#: Said of harm that goes on, or of wanting help now: any one keeps the flag.
ONGOING = (
    # "talking to my therapist still helps" is about the help, not the harm.
    r"still(?! helps?\b)",
    r"again",
    r"back to",
    r"worse",
    r"every (?:day|night|time|week)",
    r"right now",
    r"at the moment",
    r"these days",
    r"keeps?",
    r"wont stop",
    # "i was scared" tells why, back then; "im scared" is now.
    r"(?<!was )(?<!were )scared",
    r"(?<!was )(?<!were )frightened",
    r"tonight",
    r"last night",
    r"yesterday",
    r"this (?:morning|week|weekend)",
    r"tomorrow",
    r"i (?:want|wanna|need) to",
    r"i feel like",
    r"help me",
    r"please",
)


def _any(parts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


_PAST = _any(PAST)
_RESOLVED = _any(RESOLVED)
_ONGOING = _any(ONGOING)
_APOSTROPHES = str.maketrans("", "", "'’‘`")


def told_as_over(text: str) -> bool:
    """Whether ``text`` tells harm as past and resolved, and nothing in it as going on."""
    plain = text.lower().translate(_APOSTROPHES)
    return (
        _PAST.search(plain) is not None
        and _RESOLVED.search(plain) is not None
        and _ONGOING.search(plain) is None
    )


def in_context(text: str, result: ScreenResult, trace: list[str] | None) -> ScreenResult:
    """``result`` for an answer that tells harm as over (:func:`told_as_over`): a concern set
    aside, an urgent lowered to a concern; anything else as it was."""
    if not result.flagged or not told_as_over(text):
        return result
    if result.severity != URGENT:
        if trace is not None:
            trace.append("told as over (past, resolved, nothing ongoing): concern set aside")
        return _nothing()
    if trace is not None:
        trace.append("told as over (past, resolved, nothing ongoing): urgent lowered to concern")
    return replace(
        result,
        severity=CONCERN,
        spans=[replace(span, severity=CONCERN) for span in result.spans],
    )
