"""The daily clean of stored sessions: expired sessions deleted, stale data taken out of the rest.

Sessions can hold words nobody has screened yet (step-by-step drafts), so the daily purge
(``manage.py purge_expired_responses`` and its task) calls :func:`stored_sessions_purge`:

1. it deletes every expired session, as Django's ``clearsessions`` command does (the session
   engine's ``clear_expired``), so a deployment does not need a second scheduled job;
2. with a database-backed session engine (``db``, the default, or ``cached_db``) it reads every
   other stored session and lets each *cleaner* take out what has expired, writing back only the
   sessions that changed, without changing when they expire.

A cleaner is a function ``cleaner(data: dict, *, now) -> bool`` that removes its own expired
keys from a session's data in place and says whether it removed any; add one to
:data:`CLEANERS` for anything else kept in sessions that must not outlive its purpose. Cache and
cookie session engines cannot be read through: there the session's own expiry (a day for an
anonymous visitor with a draft) and the check when a draft is read are what protect it.

A request that is running while the clean writes a session may save its own (older) copy back;
the next read of the draft, or the next day's clean, still finds it expired.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from consultations.services.drafts import drafts_drop_expired
from consultations.services.sent_forms import sent_drop_expired

logger = logging.getLogger(__name__)

Cleaner = Callable[..., bool]

#: What the daily clean takes out of stored sessions.
CLEANERS: tuple[Cleaner, ...] = (drafts_drop_expired, sent_drop_expired)

#: Sessions read from the database at a time.
CHUNK_SIZE = 500


@dataclass
class SessionPurge:
    """What one clean did: counts only."""

    expired_deleted: int = 0
    """Expired sessions deleted (database-backed engines only; 0 otherwise)."""
    cleaned: int = 0
    """Sessions still in use that had expired data taken out of them."""


def stored_sessions_purge(
    *, now: datetime | None = None, cleaners: Iterable[Cleaner] | None = None
) -> SessionPurge:
    """Delete expired sessions and take expired data (drafts) out of the others."""
    now = now or timezone.now()
    cleaners = tuple(CLEANERS if cleaners is None else cleaners)
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    outcome = SessionPurge()
    model = store_class.get_model_class() if hasattr(store_class, "get_model_class") else None
    if model is not None:
        outcome.expired_deleted = model.objects.filter(expire_date__lt=timezone.now()).count()
    with contextlib.suppress(NotImplementedError):  # engines that cannot list their sessions
        store_class.clear_expired()
    if model is None:
        return outcome
    store = store_class()
    rows = model.objects.filter(expire_date__gt=now).values_list("session_key", "session_data")
    for session_key, encoded in rows.iterator(chunk_size=CHUNK_SIZE):
        data = store.decode(encoded)
        changed = [cleaner(data, now=now) for cleaner in cleaners]  # every cleaner runs
        if any(changed):
            # A plain update keeps the session's expiry; saving through the store would extend it.
            model.objects.filter(session_key=session_key).update(session_data=store.encode(data))
            _forget_cached_copy(store_class, session_key)
            outcome.cleaned += 1
    if outcome.expired_deleted or outcome.cleaned:
        logger.info(
            "Sessions: %s expired deleted, %s had expired drafts removed",
            outcome.expired_deleted,
            outcome.cleaned,
        )
    return outcome


def _forget_cached_copy(store_class, session_key: str) -> None:
    """With ``cached_db`` the next read must come from the database, not the old cached copy."""
    store = store_class(session_key=session_key)
    cache_key = getattr(store, "cache_key", None)
    cache = getattr(store, "_cache", None)
    if cache_key and cache is not None:
        cache.delete(cache_key)
