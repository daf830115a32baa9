"""Writes of the coding screen: coding a group of answers that say the same thing at once, and
undoing one answer's coding.

Each answer of a group gets its own ``HumanCoding`` (through
:func:`~consultations.themes.services.theme_coding.record_coding`, so the checks, the
replacement of an earlier coding and the retraining count are the same as for one answer), so
each can be undone on its own with :func:`human_coding_undo`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction

from consultations.models import Answer
from consultations.themes.models import Codebook, HumanCoding, Theme
from consultations.themes.services.theme_coding import record_coding


@transaction.atomic
def human_coding_record_group(
    *, answers: Sequence[Answer], codebook: Codebook, themes: Iterable[Theme], coder=None
) -> list[HumanCoding]:
    """Give every answer of the group the same themes, one coding each; all or nothing (a
    ``ValidationError`` for any answer saves none)."""
    themes = list(themes)
    return [record_coding(answer, codebook, themes, coder) for answer in answers]


@transaction.atomic
def human_coding_undo(*, answer: Answer, codebook: Codebook) -> bool:
    """Remove a person's (non-gold) coding of the answer, so the machine's codes count again and
    the answer is offered for coding again. ``False`` if it had none."""
    deleted, _rows = HumanCoding.objects.filter(
        answer=answer, codebook=codebook, gold=False
    ).delete()
    return bool(deleted)
