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
pattern in ``contacts._pattern_candidates`` with its priority in ``PRIORITY``.

The package: :mod:`.results` (kinds, tokens, spans), :mod:`.words` (words and their lookup
forms), :mod:`.contacts` (the patterns and a facilitator's lists), :mod:`.lexicon` (the name
lists), :mod:`.names` (people's names) and :mod:`.redactor` (:func:`redact`). Everything public
is importable from here.
"""

from .contacts import RedactionLists
from .redactor import _compose as _compose  # for the tests of the second look
from .redactor import redact
from .results import PRIORITY, REPLACEMENTS, Redacted, Span

__all__ = [
    "PRIORITY",
    "REPLACEMENTS",
    "Redacted",
    "RedactionLists",
    "Span",
    "redact",
]
