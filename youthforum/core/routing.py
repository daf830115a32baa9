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

What is remembered belongs to one *page tree version* (``youthforum.core.tree_cache``), which
is replaced whenever a page, site, view restriction or setting changes. While a page is served,
Wagtail's list of the sites' root paths (which it would read from the cache for every page URL
it makes) is remembered the same way.

Wagtail documents both things this fills in: ``Site.find_for_request`` keeps the site on
``request._wagtail_site`` and ``Page.route_for_request`` keeps its result on
``request._wagtail_route_for_request``. Everything after routing (``before_serve_page`` hooks,
the view restriction check, the page's own ``serve``) is Wagtail's, unchanged.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.http import Http404
from wagtail import views as wagtail_views
from wagtail.models import Page, PageViewRestriction, Site

from youthforum.core.tree_cache import remembered, remembered_for_tree, serving, tree_version


def _route_key(request, path: str) -> str:
    return f"route:{request._get_raw_host()}:{request.get_port()}:{path}"


def _components(path: str) -> list[str]:
    return [component for component in path.split("/") if component]


def _use_remembered(request, path: str, version: str) -> bool:
    """Fill in the site and route from a remembered route; False if there is none to trust."""
    entry = remembered.get(version, _route_key(request, path))
    if entry is None:
        return False
    site, model_label, page_id, own_parts, restricted = entry
    try:
        model = apps.get_model(model_label)
    except LookupError:
        return False
    try:
        page = model._default_manager.get(pk=page_id)
    except model.DoesNotExist:
        return False
    components = _components(path)
    expected = site.root_page.url_path + "".join(f"{part}/" for part in components[:own_parts])
    if page.url_path != expected:
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
    remembered.set(version, _route_key(request, path), entry)


def serve(request, path):
    """Wagtail's ``serve`` view, with the route remembered (see the module's docstring)."""
    # With Wagtail's translations on, routes would depend on the language as well, which
    # nothing here knows about; a request already routed needs nothing more.
    if getattr(settings, "WAGTAIL_I18N_ENABLED", False) or hasattr(
        request, "_wagtail_route_for_request"
    ):
        return wagtail_views.serve(request, path)
    version = tree_version(request)  # read before routing, so a change then is not hidden
    if not _use_remembered(request, path, version):
        Page.route_for_request(request, path)
        _remember(request, path, version)
    if not hasattr(request, "_wagtail_cached_site_root_paths"):
        # Wagtail reads the sites' root paths from the cache for every page URL it makes; they
        # change only with sites and pages, which change the version too.
        request._wagtail_cached_site_root_paths = remembered_for_tree(
            request, "site-root-paths", Site.get_site_root_paths
        )
    with serving(version):
        return wagtail_views.serve(request, path)
