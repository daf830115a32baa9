"""Reading answers as written: who may, which answers, and the audit log entry each reading leaves.

Staff read the redacted words everywhere: names, schools, phone numbers, emails, postcodes, links
and addresses replaced by ``[name]``, ``[phone]`` and so on. The words as written are shown only

- to someone with ``consultations.view_raw_answers`` ("Can read answers as written"; Safeguarding
  leads have it, from migration 0010, and superusers have every permission),
- for an answer a safeguarding concern was raised about (flagged by the screen, or held because
  it could not be screened), because that is where a person needs the exact words to decide.
  Every other answer reads redacted for everyone: the redaction keeps what was said and drops
  only who and where.

Each reading is written to Wagtail's audit log (:data:`LOG_VIEW_RAW`, "Read an answer as written")
against the concern, so it shows on the concern's page and, for those who may see concerns, in
Reports › Site history. The entry never holds the words: only the answer's id and where it was
read. Downloads are separate: raw words in a CSV or XLSX need ``export_raw_answers``, which no
role has (``consultations.raw_downloads``); a reader with ``view_raw_answers`` alone still downloads
redacted words, and every raw download is logged too (:data:`LOG_DOWNLOAD_RAW`).

To let a role read every answer as written, change :func:`readable_as_written` (and say why in
``docs/decisions/``); to grant the permission to another group, write a data migration as 0010.
"""

from __future__ import annotations

from collections.abc import Iterable

from wagtail.log_actions import log

from consultations.models import Answer, ConsultationPage
from consultations.safeguarding.models import SafeguardingConcern

VIEW_RAW_PERMISSION = "consultations.view_raw_answers"

#: One action for every reading of an answer's words as written, wherever it happened.
LOG_VIEW_RAW = "consultations.answer.view_raw"
#: A download of a consultation's responses with the words as written.
LOG_DOWNLOAD_RAW = "consultations.responses.download_raw"

WHERE_CONCERN = "concern"
WHERE_RESPONSE = "response"


def can_read_raw_answers(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(VIEW_RAW_PERMISSION))


def readable_as_written(*, user, answers: Iterable[Answer]) -> dict[int, SafeguardingConcern]:
    """The answers ``user`` may read as written, by answer id, each with its (latest) concern.

    Only answers with words and a safeguarding concern, and only for holders of
    ``view_raw_answers``; an empty dict for everyone else.
    """
    if not can_read_raw_answers(user):
        return {}
    with_words = [answer.pk for answer in answers if answer.text]
    if not with_words:
        return {}
    concerns = SafeguardingConcern.objects.filter(answer_id__in=with_words).order_by("created_at")
    return {concern.answer_id: concern for concern in concerns}


def raw_answer_read_record(*, concern: SafeguardingConcern, user, where: str) -> None:
    """Record that ``user`` read the answer of ``concern`` as written (``where``: which page)."""
    log(concern, LOG_VIEW_RAW, user=user, data={"answer_id": concern.answer_id, "where": where})


def raw_download_record(*, consultation: ConsultationPage, user, file_format: str) -> None:
    """Record that ``user`` downloaded ``consultation``'s responses with the words as written."""
    log(consultation, LOG_DOWNLOAD_RAW, user=user, data={"format": file_format})
