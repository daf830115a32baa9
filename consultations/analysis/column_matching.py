"""Which column of an imported file answers which question: headings and values matched by meaning.

Plain Python over strings, no Django: ``match_columns`` makes the first guess the facilitator
then checks (``{column: question id, SUBMITTED_AT or LEAVE_OUT}``), ``heading_score`` and
``values_score`` say how alike a heading and a question, or a column's values and a question's
options, are, and the ``TOOL_…`` sets name the columns survey tools add of their own
(``is_tool_column``), which are left out by default. ``docs/imports.md`` says how the threshold
was measured.
"""

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .answer_columns import SUBMITTED_AT

LEAVE_OUT = "leave_out"
"""The mapping target for a column the facilitator (or the guess) sets aside: not imported."""

#: Headings of the date a tool's response was sent, normalised (see ``normalise_heading``).
TOOL_DATE_HEADINGS = frozenset(
    {
        "date",
        "date answered",
        "date given",
        "submitted",
        "submitted at",
        "when",
        "timestamp",  # Google Forms
        "completion time",  # Microsoft Forms
        "end date",  # SurveyMonkey
        "ended",  # SmartSurvey
    }
)
#: Headings of the other columns the tools add, normalised: identifiers, times, and the names,
#: emails and addresses of people, none of which is an answer. Set aside unless chosen.
TOOL_METADATA_HEADINGS = frozenset(
    {
        # This site's file of rows to fix (consultations.services.imports.rows_to_fix_xlsx)
        "problems to fix",
        # Microsoft Forms
        "id",
        "start time",
        "email",
        "name",
        "last modified time",
        "total points",
        "quiz feedback",
        # Google Forms
        "email address",
        "score",
        # SurveyMonkey
        "respondent id",
        "collector id",
        "start date",
        "ip address",
        "first name",
        "last name",
        # SmartSurvey
        "userid",
        "user id",
        "userno",
        "user no",
        "unique id",
        "started",
        "tracking link",
        "status",
        "response id",
    }
)
TOOL_METADATA_PATTERN = re.compile(r"^(custom (data|variable|field)|variable) \d+$")

STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "be",
        "do",
        "does",
        "for",
        "how",
        "i",
        "in",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "this",
        "to",
        "was",
        "what",
        "whats",
        "when",
        "where",
        "which",
        "who",
        "why",
        "would",
        "you",
        "your",
    ]
)
NUMBERING = re.compile(
    r"^\s*(?:q(?:uestion)?\s*)?\d+(?:\.\d+)*\s*(?:[.):\-–—]\s*|\s+)", re.IGNORECASE
)
BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "\u00a0": " "})

#: How close a heading must be to a question to be matched to it, 0 to 1. Measured on the
#: headings in tests/consultations/services/test_imports_matching.py: each heading written
#: another way for the question it means scores 0.84 or more; against the questions it does
#: not mean, no heading scores more than 0.67 (docs/imports.md has the figures).
MATCH_THRESHOLD = 0.75
#: How much of a column's values must be a choice question's options for them to count.
VALUES_THRESHOLD = 0.8


@dataclass(frozen=True)
class QuestionShape:
    """What the matcher knows of a question: its id, wording and options."""

    id: int
    text: str
    options: tuple[str, ...] = ()


def normalise_heading(text: str) -> str:
    """A heading's words: no case, punctuation, curly quotes, leading number ("Q3.", "3)") or
    words in brackets ("(tick all that apply)", "(1-5)") when there are words outside them."""
    text = NUMBERING.sub("", text.translate(QUOTES), count=1).casefold().replace("'", "")
    unbracketed = BRACKETED.sub(" ", text)
    if unbracketed.strip(" ?:.-"):
        text = unbracketed
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def heading_score(heading: str, question: str) -> float:
    """How alike a heading and a question's wording are, 0 to 1.

    Both are normalised (``normalise_heading``) and cut to the words that carry meaning (stop
    words such as "how", "do", "you" left out, or two questions framed alike, "How do you get
    to school?" and "How safe do you feel at school?", would look alike). The score is the
    better of the likeness of those words as strings (``difflib``'s ratio: typos, a word run
    together) and their overlap (the Dice coefficient, a word counting as shared when it is
    nearly the same: words in another order, a few more or fewer).
    """
    a, b = normalise_heading(heading), normalise_heading(question)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    words_a = [w for w in a.split() if w not in STOP_WORDS] or a.split()
    words_b = [w for w in b.split() if w not in STOP_WORDS] or b.split()
    ratio = difflib.SequenceMatcher(None, " ".join(words_a), " ".join(words_b)).ratio()
    shared = sum(1 for word in set(words_a) if any(_same_word(word, other) for other in words_b))
    dice = 2 * shared / (len(set(words_a)) + len(set(words_b)))
    # The ratio is squared: it is generous to strings that merely share letters ("make feel
    # safer" and "feel unsafe" are 0.69 alike), and a real typo keeps it near 1.
    return max(ratio**2, dice)


def _same_word(a: str, b: str) -> bool:
    # 0.85: "scool" is "school" (0.91), "safer" is "safe" (0.89), but "unsafe" is not "safe" (0.8).
    return a == b or (
        min(len(a), len(b)) > 3 and difflib.SequenceMatcher(None, a, b).ratio() >= 0.85
    )


def values_score(values: Sequence[str], options: Sequence[str]) -> float:
    """The share of a column's (non-empty) values made only of ``options``, 0 to 1.

    A value may hold several options separated by ";" or ", " (Google Forms joins a "choose
    any" answer's options with ", ").
    """
    known = {" ".join(option.split()).casefold() for option in options}
    values = [value for value in values if value.strip()]
    if not known or not values:
        return 0.0

    def all_options(value: str) -> bool:
        whole = " ".join(value.split()).casefold()
        if whole in known:
            return True
        for separator in (";", ","):
            parts = [" ".join(p.split()).casefold() for p in value.split(separator)]
            parts = [part for part in parts if part]
            if len(parts) > 1 and all(part in known for part in parts):
                return True
        return False

    return sum(1 for value in values if all_options(value)) / len(values)


def match_columns(
    *,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]] | None,
    questions: Sequence[QuestionShape],
    threshold: float = MATCH_THRESHOLD,
) -> dict[int, int | str]:
    """A first guess at each column: ``{column: question id, SUBMITTED_AT or LEAVE_OUT}``.

    A column answers the question whose wording its heading is closest to (``heading_score``),
    at or above ``threshold``; for a choice question, a column whose values are its options
    (``values_score``) counts as close even under another heading. Each question gets one column
    at most, the closest. A tool's column of when the answers were sent is the date; its other
    columns (``TOOL_METADATA_HEADINGS``) and, when ``rows`` are given, columns with nothing in them
    are left out. Columns
    missing from the result are unmatched: the facilitator must choose for each.
    """
    columns = [
        [cells[column] for cells in rows or () if column < len(cells)]
        for column in range(len(headings))
    ]
    candidates = []
    for column, heading in enumerate(headings):
        tool_column = is_tool_column(heading)
        for question in questions:
            if tool_column and normalise_heading(heading) != normalise_heading(question.text):
                continue  # a tool's "Name" column is not "What is your name for this?"
            score = heading_score(heading, question.text)
            if question.options:
                fit = values_score(columns[column], question.options)
                if fit >= VALUES_THRESHOLD:
                    # Enough to match on its own; the heading decides between questions
                    # with the same options.
                    score = max(score, threshold + (1 - threshold) * (score + fit) / 2)
            if score >= threshold:
                candidates.append((score, column, question.id))
    mapping: dict[int, int | str] = {}
    used: set[int] = set()
    for _score, column, question_id in sorted(candidates, key=lambda c: (-c[0], c[1])):
        if column not in mapping and question_id not in used:
            mapping[column] = question_id
            used.add(question_id)
    dated = False
    for column, heading in enumerate(headings):
        if column in mapping:
            continue
        name = normalise_heading(heading)
        if name in TOOL_DATE_HEADINGS and not dated:
            mapping[column] = SUBMITTED_AT
            dated = True
        elif (
            name in TOOL_METADATA_HEADINGS
            or name in TOOL_DATE_HEADINGS
            or TOOL_METADATA_PATTERN.match(name)
            or (rows is not None and not any(value.strip() for value in columns[column]))
        ):
            mapping[column] = LEAVE_OUT
    return mapping


def is_tool_column(heading: str) -> bool:
    """Whether a heading is one a survey tool adds of its own (not an answer)."""
    name = normalise_heading(heading)
    return (
        name in TOOL_METADATA_HEADINGS
        or name in TOOL_DATE_HEADINGS
        or bool(TOOL_METADATA_PATTERN.match(name))
    )
