"""Which uploaded files may be fetched by their address: only Wagtail's images.

``MEDIA_ROOT`` holds the images (``images/`` for renditions, ``original_images/`` for originals)
and Wagtail's documents (``documents/``). Images are public. Documents are not served from here:
a document in a restricted collection must reach only the people its collection allows, so every
document goes through Wagtail's serve view (``/documents/<id>/<name>``, with
``WAGTAILDOCS_SERVE_METHOD = "serve_view"``), which checks the restriction. Files that hold
answers are not in ``MEDIA_ROOT`` at all (``youthforum.core.storage``).

In development ``youthforum/urls.py`` serves the public folders with
:func:`public_media_urlpatterns`; in production the proxy must do the same and serve nothing else
under ``/media/`` (see the README, "Deploying"). To make another folder public, add it to
``PUBLIC_MEDIA_FOLDERS`` and to the proxy's rule, and be sure nothing private is ever written there.
"""

import posixpath
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.urls import re_path
from django.views import static

#: The folders of ``MEDIA_ROOT`` that are served at ``MEDIA_URL``.
PUBLIC_MEDIA_FOLDERS = ("images", "original_images")


def serve_public_media(request, path: str):
    """Serve ``path`` from ``MEDIA_ROOT`` if, once ``..`` and ``.`` are resolved, it is inside a
    public folder; 404 otherwise."""
    path = posixpath.normpath(path).lstrip("/")
    if path.split("/", 1)[0] not in PUBLIC_MEDIA_FOLDERS or "/" not in path:
        raise Http404
    return static.serve(request, path, document_root=settings.MEDIA_ROOT)


def public_media_urlpatterns() -> list:
    """The development server's route for public media (what ``django.conf.urls.static.static``
    would give, but for the public folders only). Nothing when media live on another host."""
    prefix = settings.MEDIA_URL
    if not prefix or urlsplit(prefix).netloc:
        return []
    folders = "|".join(re.escape(folder) for folder in PUBLIC_MEDIA_FOLDERS)
    return [
        re_path(
            rf"^{re.escape(prefix.lstrip('/'))}(?P<path>(?:{folders})/.+)$",
            serve_public_media,
            name="public_media",
        )
    ]
