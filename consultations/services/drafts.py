"""Step-by-step drafts: answers waiting in the session until they are sent, kept a day at most.

A young person answering one question at a time has their answers kept in their session until
they press "Send" on the "check your answers" page. Those words have not been screened yet, so
an abandoned draft must not linger on a shared phone or in the session table:

- each draft carries the time it was last saved (``saved_at``, seconds since the epoch); a draft
  not saved for :data:`DRAFT_MAX_AGE` is expired: :func:`draft_read` discards it, and the young
  person is told to start again (``consultations.views``). A draft without a time (saved before
  drafts had one) counts as expired;
- an anonymous visitor's session is set to expire :data:`DRAFT_MAX_AGE` after the draft was last
  saved, so the browser forgets the cookie and ``clearsessions`` (run by the daily purge, see
  :func:`consultations.services.sessions.stored_sessions_purge`) deletes the session row;
- a signed-in member's session lives longer (signing in again every day would be a nuisance), so
  the daily purge also removes expired drafts from every stored session
  (:func:`drafts_drop_expired`).

Change :data:`DRAFT_MAX_AGE` to keep drafts longer or shorter; say why in ``docs/decisions/``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

#: How long a step-by-step draft is kept after it was last saved.
DRAFT_MAX_AGE = timedelta(days=1)

KEY_PREFIX = "consultation-draft-"


def draft_key(page_id: int) -> str:
    return f"{KEY_PREFIX}{page_id}"


def draft_is_expired(draft, *, now: datetime) -> bool:
    saved_at = draft.get("saved_at") if isinstance(draft, dict) else None
    if not isinstance(saved_at, (int, float)):
        return True
    return now.timestamp() - saved_at >= DRAFT_MAX_AGE.total_seconds()


def draft_read(session, *, page_id: int, now: datetime | None = None) -> tuple[dict | None, bool]:
    """The draft for this consultation, and whether an expired one was just discarded.

    Returns ``(draft, False)`` for a draft still kept, ``(None, False)`` when there is none, and
    ``(None, True)`` when there was one but it had expired (it is gone from the session now).
    """
    key = draft_key(page_id)
    draft = session.get(key)
    if draft is None:
        return None, False
    if draft_is_expired(draft, now=now or timezone.now()):
        draft_discard(session, page_id=page_id)
        return None, True
    return draft, False


def draft_save(
    session, *, page_id: int, answers: dict, anonymous: bool, now: datetime | None = None
) -> None:
    """Keep ``answers`` (as ``forms.answers_to_session`` gives them) with the time they were saved.

    For an anonymous visitor the whole session then expires a day after this save.
    """
    now = now or timezone.now()
    session[draft_key(page_id)] = {"answers": answers, "saved_at": int(now.timestamp())}
    if anonymous:
        session.set_expiry(int(DRAFT_MAX_AGE.total_seconds()))


def draft_discard(session, *, page_id: int) -> None:
    session.pop(draft_key(page_id), None)


def drop_expired(data: dict, *, prefix: str, is_expired, now: datetime) -> bool:
    """Remove the entries under ``prefix`` that ``is_expired(entry, now=now)`` says are expired
    from a stored session's data; whether anything was removed."""
    expired = [
        key for key, entry in data.items() if key.startswith(prefix) and is_expired(entry, now=now)
    ]
    for key in expired:
        del data[key]
    return bool(expired)


def drafts_drop_expired(data: dict, *, now: datetime) -> bool:
    """Remove expired drafts from a stored session's data; whether anything was removed."""
    return drop_expired(data, prefix=KEY_PREFIX, is_expired=draft_is_expired, now=now)
