"""The media rule: only Wagtail's image folders are served at /media/, and only by the development
server (``youthforum.core.media``, mounted by ``youthforum/urls.py`` when DEBUG is on)."""

import importlib

import pytest
from django.urls import Resolver404, resolve

from youthforum.core.media import public_media_urlpatterns

FILES = {
    "images/rendition.jpg": 200,
    "original_images/photo.jpg": 200,
    "documents/minutes.pdf": 404,
    "reports/feeling-safe-report-2026-01-01.xlsx": 404,
    "notes.txt": 404,
}


def dev_urlconf():
    """A fresh copy of ``youthforum.urls``, read with the settings as they are now (the test
    settings have DEBUG off, so the site's own copy has no media route)."""
    spec = importlib.util.find_spec("youthforum.urls")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    for name in FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")
    (tmp_path / "private" / "reports").mkdir(parents=True)
    (tmp_path / "private" / "reports" / "answers.xlsx").write_bytes(b"PK")
    settings.MEDIA_ROOT = root
    settings.DEBUG = True
    settings.ROOT_URLCONF = dev_urlconf()
    return root


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "status"), FILES.items())
def test_the_development_server_serves_only_the_image_folders(client, media, name, status):
    assert client.get(f"/media/{name}").status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/media/images/../original_images/photo.jpg", 200),
        ("/media/images/../documents/minutes.pdf", 404),
        ("/media/images/./../reports/feeling-safe-report-2026-01-01.xlsx", 404),
        ("/media/images/../../private/reports/answers.xlsx", 404),
        ("/media/original_images/..%2F..%2Fprivate/reports/answers.xlsx", 404),
        ("/media/images/", 404),
        ("/media/images/..", 404),
    ],
)
def test_dot_dot_cannot_leave_the_image_folders(client, media, path, status):
    assert client.get(path).status_code == status


def test_production_urls_serve_no_media(settings):
    settings.DEBUG = False
    urls = dev_urlconf()
    for path in ("/media/images/a.jpg", "/media/documents/a.pdf", "/media/reports/a.xlsx"):
        with pytest.raises(Resolver404):
            resolve(path, urlconf=urls)


def test_media_on_another_host_get_no_route(settings):
    settings.MEDIA_URL = "https://media.example.org/media/"
    assert public_media_urlpatterns() == []
