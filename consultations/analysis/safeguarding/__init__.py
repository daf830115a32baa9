"""The safeguarding screen: finds disclosures of harm in what young people write.

``screen(text)`` reads one answer and says whether it should go to a Safeguarding lead, how
urgently, under which categories, and which words made it so::

    >>> result = screen("my stepdad hits me when hes drunk")
    >>> result.flagged, result.severity, result.categories
    (True, 'concern', ['abuse_neglect'])

How it works (docs/safeguarding-screen.md is the guide for safeguarding staff):

0. Anything that hides words from a machine but not from a person is undone first
   (``normalise.unmask``: zero-width characters, soft hyphens, line breaks between words,
   look-alike letters from other alphabets, "fancy font" letters); every span the screen
   returns still points into the answer as written.
1. The answer is normalised the way young people write: lower case, text-speak and contractions
   spelt out ("im" -> "i am", "wanna" -> "want to", "kms" -> "kill myself"), leetspeak undone
   ("k1ll"), letters written many times made one ("sooo"). The word lists for this live in
   ``data/safeguarding/_normalise.yaml``.
2. Rules, one YAML file per category in ``data/safeguarding/``, are tried. A rule is a phrase in
   a small pattern language (``(a|b)`` choices, ``[x]`` optional, ``{carer}`` named word lists,
   ``...`` a gap of up to four words), compiled once to a regular expression.
3. Each rule sits in a section that sets its severity (``urgent`` or ``concern``) and whether it
   needs a person cue: ``..._near_person`` rules only count when "I", "me", "my" or someone close
   ("my mate", "my sister") is within six words in the same sentence, and nothing there marks a
   topic ("lessons about", "on the news", "people who"). That is how "my mate got stabbed" is told
   apart from "knife crime is a problem".
4. Look-alikes (``not`` sections: "this survey is killing me", "I'd die for a pizza", "dye my
   hair") cancel any match they touch; ``not_in_sentence`` ones ("fortnite", "sorted now")
   cancel any match in their sentence.
5. An answer the rules pass gets the learned check's second look (``..learned_check``).
6. An answer that tells harm as over ("i used to ... but i got help and havent for two years",
   :mod:`.context`) has a concern set aside and an urgent lowered to a concern.

Recall comes first: a missed disclosure is far worse than a false alarm, so when in doubt a rule
flags. Nothing here logs or stores the text.

Speed: every rule is indexed by the two rarest words (or pairs of words side by side) it cannot
match without, and tried only when the answer has both and any others it needs, so an ordinary
answer tries almost no regular expression; an answer is cut at spaces and each piece read once
and cached; where a kept match sits in the original text is worked out only for the words at its
two ends; the rules are compiled once per process (lazily) and cached per folder.
docs/benchmarks.md has the figures.

To extend or override the rules, edit the YAML files, or keep your own folder of YAML files and
pass it after the default: ``Screen(RULES_DIR, Path("/srv/our-rules"))`` adds your terms and
patterns to the shipped ones (files with the same name are merged; new names are new
categories). ``load_screen(*folders)`` returns a cached :class:`Screen` for those folders.

The package, in the order an answer meets it: :mod:`.normaliser` (reading the words),
:mod:`.patterns` (the pattern language), :mod:`.rules` (the YAML files), :mod:`.screening`
(:class:`Screen`, :func:`screen`), :mod:`.context` (harm told as over), :mod:`.results` (what
it says) and :mod:`.evaluation`
(measuring it on a labelled set). Everything is importable from here.

This package is plain Python (no Django), so it can be tested, benchmarked and run on any CSV.
"""

from .evaluation import NONE_LABEL, CategoryFigures, Evaluation, evaluate, parse_labels
from .normaliser import Normaliser
from .patterns import GAP_WORDS, Needs
from .results import CONCERN, URGENT, ScreenResult, Span
from .rules import DISCLOSURE_SECTIONS, RULES_DIR, ScreenRulesError
from .screening import CATEGORY_LABELS, PERSON_WINDOW, Screen, load_screen, screen

__all__ = [
    "CATEGORY_LABELS",
    "CONCERN",
    "DISCLOSURE_SECTIONS",
    "GAP_WORDS",
    "NONE_LABEL",
    "PERSON_WINDOW",
    "RULES_DIR",
    "URGENT",
    "CategoryFigures",
    "Evaluation",
    "Needs",
    "Normaliser",
    "Screen",
    "ScreenResult",
    "ScreenRulesError",
    "Span",
    "evaluate",
    "load_screen",
    "parse_labels",
    "screen",
]
