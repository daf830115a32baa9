"""After sending: the browser's session remembers, for an hour, which response it sent.

Each answer form carries a one-time token, and ``submit_response`` answers a token it has already
stored with that same response. That covers a double click and a Back that shows the old page
again. But a browser may load the form afresh after Back, with a new token: without a memory of
what was sent, "Send my answers" would then store a second response. So once answers are sent,
the session keeps the token for this consultation (:func:`sent_remember`) and the answer views
use it (``consultations.views``):

- the consultation's page says the answers were sent, links to the same thank-you page and shows
  no form; the steps of a step-by-step consultation lead back to it;
- any answers sent again from this browser get the remembered token, so ``submit_response``
  returns the response already stored and the same thank-you page is shown;
- "Answer again", offered only where a consultation allows it
  (``ConsultationPage.allow_answer_again``), forgets the token (:func:`sent_forget`), so the next
  form has a fresh token and stores a new response.

The same memory says whether the optional "what was taking part like?" step has been answered
for the response sent (:func:`sent_taking_part` and :func:`sent_taking_part_remember`), so each
response sent gets one set of those answers at most; "Answer again" forgets that too.

The memory lasts :data:`SENT_MAX_AGE`, as long as the thank-you link shows the reference, so a
device shared later is not told anything. It holds a token and a time, never answers. The daily
session clean can drop expired ones with :func:`sent_drop_expired` (a cleaner for
``consultations.services.sessions.CLEANERS``).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.utils import timezone

from consultations.services.drafts import drop_expired

#: How long a browser is taken to be "the one that sent these answers".
SENT_MAX_AGE = timedelta(hours=1)

#: An anonymous visitor's session ends this long after sending (as after saving a draft).
ANONYMOUS_SESSION_AGE = timedelta(days=1)

KEY_PREFIX = "consultation-sent-"


def sent_key(page_id: int) -> str:
    return f"{KEY_PREFIX}{page_id}"


def _is_expired(entry, *, now: datetime) -> bool:
    sent_at = entry.get("sent_at") if isinstance(entry, dict) else None
    if not isinstance(sent_at, (int, float)):
        return True
    return now.timestamp() - sent_at >= SENT_MAX_AGE.total_seconds()


def sent_remember(
    session, *, page_id: int, token: uuid.UUID, anonymous: bool, now: datetime | None = None
) -> None:
    """Remember that this session sent the answers with ``token`` to this consultation."""
    now = now or timezone.now()
    for key in [k for k in session.keys() if k.startswith(KEY_PREFIX)]:  # noqa: SIM118 - no __iter__
        if _is_expired(session[key], now=now):
            del session[key]  # older memories go as soon as anything is sent again
    session[sent_key(page_id)] = {"token": str(token), "sent_at": int(now.timestamp())}
    if anonymous:
        session.set_expiry(int(ANONYMOUS_SESSION_AGE.total_seconds()))


def sent_token(session, *, page_id: int, now: datetime | None = None) -> uuid.UUID | None:
    """The token this session sent to this consultation in the last hour, or None.

    An expired or unreadable memory is forgotten on the way.
    """
    key = sent_key(page_id)
    entry = session.get(key)
    if entry is None:
        return None
    if _is_expired(entry, now=now or timezone.now()):
        session.pop(key, None)
        return None
    try:
        return uuid.UUID(str(entry.get("token")))
    except ValueError:
        session.pop(key, None)
        return None


def sent_taking_part(session, *, page_id: int) -> str:
    """What this session sent to the "taking part" step for the response it sent: "" (nothing
    yet), "sent", or "held" (its words were held for a Safeguarding lead)."""
    if sent_token(session, page_id=page_id) is None:
        return ""
    value = session[sent_key(page_id)].get("taking_part", "")
    return value if value in ("sent", "held") else ""


def sent_taking_part_remember(session, *, page_id: int, held: bool) -> None:
    """Remember that the "taking part" step was answered for the response this session sent."""
    if sent_token(session, page_id=page_id) is None:
        return
    key = sent_key(page_id)
    session[key] = {**session[key], "taking_part": "held" if held else "sent"}


def sent_forget(session, *, page_id: int) -> None:
    """Forget what was sent ("Answer again"): the next form gets a fresh token."""
    session.pop(sent_key(page_id), None)


def sent_drop_expired(data: dict, *, now: datetime) -> bool:
    """Remove expired memories from a stored session's data; whether anything was removed."""
    return drop_expired(data, prefix=KEY_PREFIX, is_expired=_is_expired, now=now)
