"""The page tree version, and values remembered by each process until it changes.

The version is one value in the default cache, replaced whenever a page, site, view restriction
or setting is saved, deleted, moved, published or unpublished (receivers in
``youthforum.core.apps``). Each process keeps what it remembered for the current version only
(and for at most ``REMEMBER_FOR`` seconds), so a request asks the cache for the version alone.
With the shared Redis cache (``REDIS_URL``) every process sees a change at once.

Used by ``youthforum.core.routing`` (page routes), the navigation tags (menu, breadcrumbs,
settings) and ``consultations.models.settings`` (settings read by every answer sent). This
module imports nothing from Wagtail, so models may use it.
"""

from __future__ import annotations

import threading
import time
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "page-tree-version"
REMEMBER_FOR = 10 * 60  # seconds: a backstop, should a change ever fail to replace the version
MAX_REMEMBERED = 5_000  # values kept by one process for one version, before starting afresh


class _Remembered:
    """This process's remembered values, for one page tree version at a time."""

    def __init__(self):
        self._lock = threading.Lock()
        self._version = None
        self._values: dict[str, tuple[float, object]] = {}

    def get(self, version: str, key: str):
        if version != self._version:
            return None
        found = self._values.get(key)
        if found is None or time.monotonic() - found[0] > REMEMBER_FOR:
            return None
        return found[1]

    def set(self, version: str, key: str, value) -> None:
        with self._lock:
            if version != self._version or len(self._values) >= MAX_REMEMBERED:
                self._version, self._values = version, {}
            self._values[key] = (time.monotonic(), value)


remembered = _Remembered()
# The version read by the page request being served, for code that has no request to hand
# (settings read deep inside a service); outside a page request each call asks the cache.
_serving_version: ContextVar[str | None] = ContextVar("page_tree_version", default=None)


def tree_version(request=None) -> str:
    """The current page tree version (a new one is made if the cache has lost it).

    With a request, the version read first is kept on it, so one request sees one version;
    while a page is being served, code without the request gets that version too.
    """
    version = getattr(request, "_page_tree_version", None) or _serving_version.get()
    if version is None:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
        if request is not None:
            request._page_tree_version = version
    return version


def remembered_for_tree(request, key: str, compute):
    """``compute()``, remembered by this process until the page tree version changes.

    For what is read on every page or every answer (routes, menu, breadcrumbs, settings): only
    pages, sites, view restrictions and settings (site or generic) may go into ``compute``'s
    result, and it is shared by every request that asks, so it must not be changed.
    """
    version = tree_version(request)
    value = remembered.get(version, key)
    if value is None:
        value = compute()
        remembered.set(version, key, value)
    return value


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def page_tree_changed(**kwargs) -> None:
    """Signal receiver: forget every remembered route (and anything else kept for the version).

    At once, and again when the transaction commits: a request that read the tree between the
    change and the commit saw the old tree, and must not be remembered as the new one.
    """
    _new_version()
    transaction.on_commit(_new_version)


@contextmanager
def serving(version: str):
    """Within this block, code without the request to hand sees ``version``."""
    token = _serving_version.set(version)
    try:
        yield
    finally:
        _serving_version.reset(token)
