"""Remembered page routes: Wagtail's page serving, without walking the page tree every time.

Wagtail finds the page for a URL by looking up the site for the host name (one query with a
``CASE`` that costs more to build than to run), then each level of the page tree in turn, each as
a page row and then its specific row: six queries to reach a consultation at
``/consultations/<slug>/``, paid again by the POST that sends the answers, and two more for view
restrictions. ``serve`` below is Wagtail's ``serve`` view with that walk remembered, per host,
port and path: the site, the page's type and id, how many parts of the path were the page's own
(the rest are its sub-routes, such as a consultation's "check your answers"), and whether the page
or any page above it has a view restriction.

On a remembered path the page itself is still read fresh from the database by id (one query),
and it is used only if its ``url_path`` is still the site root's path plus those parts; then
Wagtail's own ``route`` runs on it (it checks ``live`` and finds sub-routes). Otherwise Wagtail
routes the request as usual.

What is remembered belongs to one *page tree version*, a value in the default cache that is
replaced whenever a page, site, view restriction or site setting is saved, deleted, moved,
published or unpublished (see ``apps.CoreConfig.ready``). Each request reads the version once
(one cache read); the remembered values themselves are kept in this process, for that version
only, and for at most ``REMEMBER_FOR`` seconds. When the cache is shared (Redis, as production
runs with ``REDIS_URL``) every process sees a change at once.

Wagtail documents both things this fills in: ``Site.find_for_request`` keeps the site on
``request._wagtail_site`` and ``Page.route_for_request`` keeps its result on
``request._wagtail_route_for_request``. Everything after routing (``before_serve_page`` hooks,
the view restriction check, the page's own ``serve``) is Wagtail's, unchanged.
"""

from __future__ import annotations

import threading
import time
import uuid

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction

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


_remembered = _Remembered()


def tree_version(request=None) -> str:
    """The current page tree version (a new one is made if the cache has lost it).

    With a request, the version read first is kept on it, so one request sees one version.
    """
    version = getattr(request, "_page_tree_version", None)
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

    For what is drawn from the page tree on every page (the main menu, breadcrumbs): only the
    tree's pages, sites, view restrictions and site settings may go into ``compute``'s result,
    and it is shared by every request that asks, so it must not be changed.
    """
    version = tree_version(request)
    value = _remembered.get(version, key)
    if value is None:
        value = compute()
        _remembered.set(version, key, value)
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


def _route_key(request, path: str) -> str:
    return f"route:{request._get_raw_host()}:{request.get_port()}:{path}"


def _components(path: str) -> list[str]:
    return [component for component in path.split("/") if component]


def _use_remembered(request, path: str, version: str) -> bool:
    """Fill in the site and route from a remembered route; False if there is none to trust."""
    entry = _remembered.get(version, _route_key(request, path))
    if entry is None:
        return False
    site, model_label, page_id, own_parts, restricted = entry
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return False
    page = model._default_manager.filter(pk=page_id).first()
    components = _components(path)
    expected = site.root_page.url_path + "".join(f"{part}/" for part in components[:own_parts])
    if page is None or page.url_path != expected:
        return False
    request._wagtail_site = site
    if not restricted:
        # No view restriction on the page or above it in this version of the tree (adding one
        # changes the version), so Wagtail's check need not look them up again.
        page.get_view_restrictions = PageViewRestriction.objects.none
    try:
        request._wagtail_route_for_request = page.route(request, components[own_parts:])
    except Http404:
        request._wagtail_route_for_request = None
    return True


def _remember(request, path: str, version: str) -> None:
    site = getattr(request, "_wagtail_site", None)
    result = getattr(request, "_wagtail_route_for_request", None)
    if site is None or result is None:
        return  # nothing found: not worth remembering (and bots asking for junk would fill it)
    page = result[0]
    root_path = site.root_page.url_path
    if not page.url_path.startswith(root_path):
        return
    own = _components(page.url_path[len(root_path) :])
    if _components(path)[: len(own)] != own:
        return  # routed some other way than by slugs: leave it to Wagtail every time
    restricted = page.get_view_restrictions().exists()
    entry = (site, page._meta.label, page.pk, len(own), restricted)
    _remembered.set(version, _route_key(request, path), entry)


def serve(request, path):
    """Wagtail's ``serve`` view, with the route remembered (see the module's docstring)."""
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        # Routes would then depend on the language as well; nothing here knows about that.
        return wagtail_views.serve(request, path)
    if not hasattr(request, "_wagtail_route_for_request"):
        version = tree_version(request)  # read before routing, so a change then is not hidden
        if not _use_remembered(request, path, version):
            Page.route_for_request(request, path)
            _remember(request, path, version)
    return wagtail_views.serve(request, path)
