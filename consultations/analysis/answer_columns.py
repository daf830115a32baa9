"""Reading a file of answers' columns: which heading is which question, and what a cell means.

Plain functions over strings, for the import of paper and workshop answers (which heading is
which question is ``consultations.analysis.tabular``'s column matcher): ``rating_value`` and
``split_choices`` read a cell the way a person filling the form would mean it, and
``parse_date`` reads the date the answers were given. Nothing here knows about questions beyond
their id, wording and options; the caller turns the results into answers and validates them.
"""

import re
from collections.abc import Mapping, Sequence
from datetime import datetime, time

SUBMITTED_AT = "submitted_at"
"""The mapping target for a column holding the date the answers were given."""

DATE_FORMATS = (
    "%d/%m/%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%y",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%d-%m-%Y",
    "%d.%m.%Y",
)
OTHER_PREFIX = re.compile(r"^other\s*[:\-–—]\s*", re.IGNORECASE)
RANK_PREFIX = re.compile(r"^\d+\s*[.)]\s*")
RATING_NUMBER = re.compile(r"^([1-5])(?:\.0+)?(?:\s*[\-–—:]\s*.*)?$")


def canonical_option(value: str, options: Sequence[str]) -> str | None:
    """The option ``value`` names, ignoring case and spacing; None if it names none."""
    wanted = " ".join(value.split()).casefold()
    for option in options:
        if " ".join(option.split()).casefold() == wanted:
            return option
    return None


def rating_value(value: str, faces: Mapping[int, str]) -> str:
    """A rating cell as "1" to "5": a number ("4", "4.0", "4 - Happy") or a face's words.

    Anything else is given back as it is, so validation explains what is wrong.
    """
    number = RATING_NUMBER.match(value)
    if number:
        return number.group(1)
    for rating, face in faces.items():
        if face.casefold() == value.casefold():
            return str(rating)
    return value


def split_choices(
    value: str,
    options: Sequence[str],
    *,
    several: bool,
    ranked: bool,
    allow_other: bool,
) -> tuple[list[str], list[str]]:
    """A choice cell as ``(options chosen, words that are no option)``, both in the cell's order.

    ``several``: the cell may hold more than one choice, separated by ";". ``ranked``: a
    leading rank ("1. X; 2. Y") is dropped. ``allow_other``: "Other: …" is read as the words
    after "Other". Options are matched in any case and spacing and given as the option's words.
    """
    parts = value.split(";") if several else [value]
    chosen, unknown = [], []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if ranked:
            part = RANK_PREFIX.sub("", part)
        option = canonical_option(part, options)
        if option is not None:
            chosen.append(option)
        else:
            unknown.append(OTHER_PREFIX.sub("", part) if allow_other else part)
    return chosen, unknown


def parse_date(value: str) -> datetime | None:
    """The date (and time, if given) in ``value``, without a time zone; None if it is not one.

    A date alone is taken as midday, so no time zone moves its day.
    """
    for date_format in DATE_FORMATS:
        try:
            parsed = datetime.strptime(value, date_format)
        except ValueError:
            continue
        if parsed.time() == time():
            parsed = parsed.replace(hour=12)
        return parsed
    return None


def split_at_commas(value: str, options: Sequence[str]) -> str:
    """A "choose any" cell whose options are joined by ", " (Google Forms) joined by "; ".

    An option may itself hold ", " ("Bus, tram"), so the longest run of pieces that is an
    option is taken first; a piece that is no option stays as written (it may be "Other" text).
    """
    if canonical_option(value, options) is not None or ", " not in value:
        return value
    pieces = value.split(", ")
    parts, start = [], 0
    while start < len(pieces):
        for end in range(len(pieces), start, -1):
            joined = ", ".join(pieces[start:end])
            if end == start + 1 or canonical_option(joined, options) is not None:
                parts.append(joined)
                start = end
                break
    return "; ".join(parts)


#: Dates with AM or PM, as SurveyMonkey writes them: month first ("02/03/2026 10:15:30 AM" is
#: 3 February), as its exports are whatever the account's country.
US_DATE_FORMATS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %I:%M %p")


def parse_when(value: str) -> datetime | None:
    """The time an import file says an answer was sent (:func:`parse_date`, then SurveyMonkey's
    month-first dates with AM or PM), without a time zone; None if it is not a date."""
    parsed = parse_date(value)
    if parsed is not None:
        return parsed
    for date_format in US_DATE_FORMATS:
        try:
            return datetime.strptime(value, date_format)
        except ValueError:
            continue
    return None
