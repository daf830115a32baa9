"""Files that hold answers are never served as media (issue 12, "Private files").

The test settings keep files in memory and switch DEBUG off, so nothing would be served at
/media/ whatever the code did. ``on_disk`` puts both storages in folders under ``tmp_path`` and
mounts ``youthforum/urls.py`` as the development server does (DEBUG on), so the real media rule is
the one tried.
"""

import importlib
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.models import FileField
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction

from consultations.reports.models import ReportExport
from consultations.reports.year import Year
from tests.consultations.admin.support import sign_in_as
from tests.factories import ImageFactory, UserFactory
from tests.youthforum.core.test_media import dev_urlconf
from youthforum.accounts import roles
from youthforum.core.storage import private_storage

pytestmark = pytest.mark.django_db

PRIVATE_NAME = re.compile(r"reports/[0-9a-f]{32}\.(pdf|xlsx)")


def files_under(root: Path) -> set[str]:
    return {path.relative_to(root).as_posix() for path in root.rglob("*") if path.is_file()}


def file_fields() -> dict:
    """Every file field of the consultations' models (its apps included), by ``Model.field``."""
    return {
        f"{model.__name__}.{field.name}": field
        for config in apps.get_app_configs()
        if config.name.split(".")[0] == "consultations"
        for model in config.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField)
    }


@pytest.fixture
def on_disk(settings, tmp_path):
    """Real folders for both storages, and the development server's URLs (DEBUG on)."""
    media, private = tmp_path / "media", tmp_path / "private"
    settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT = media, private
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media, "base_url": settings.MEDIA_URL},
        },
        "private": {
            "BACKEND": "youthforum.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": private},
        },
    }
    # Private file fields follow STORAGES by themselves (youthforum/core/storage.py looks the
    # storage up again after the setting changes), as fields on default_storage do.
    settings.DEBUG = True
    settings.ROOT_URLCONF = dev_urlconf()
    return media, private


def restricted_document(content: bytes = b"Minutes: what the young people told us"):
    collection = Collection.get_first_root_node().add_child(name="Private papers")
    CollectionViewRestriction.objects.create(
        collection=collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    return get_document_model().objects.create(
        title="Minutes", collection=collection, file=ContentFile(content, name="minutes.txt")
    )


def public_document():
    return get_document_model().objects.create(
        title="Annual report",
        collection=Collection.get_first_root_node(),
        file=ContentFile(b"Our year", name="annual-report.txt"),
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def report_url(name: str, consultation) -> str:
    return reverse(name, args=[consultation.slug])


def this_year() -> str:
    """The partnership year (April to March) the test answers were given in."""
    return Year.containing(timezone.localdate()).label


def build_every_export(client, settings, consultation, capture) -> list[ReportExport]:
    """Every download there is, as the people who may make them; returns the background exports
    (a PDF and a workbook, built by the task)."""
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    for name in ("report_pdf", "report_xlsx", "report_csv"):
        response = client.get(report_url(name, consultation))
        assert response.status_code == 200, name
        assert body(response)
    sign_in_as(client, {"roles": [roles.FACILITATORS]})
    listing = reverse("consultations:responses", args=[consultation.pk])
    for url in (
        f"{listing}?export=csv",
        f"{listing}?export=xlsx",
        reverse("year_review_xlsx", args=[this_year()]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert body(response)

    settings.YOUTHVOICE_REPORT_PDF_TASK_THRESHOLD = 1
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    for name in ("report_pdf", "report_xlsx"):
        with capture(execute=True):
            started = client.get(report_url(name, consultation))
        assert started.status_code == 302, name
    exports = list(ReportExport.objects.order_by("pk"))
    assert [(e.kind, e.status) for e in exports] == [("pdf", "done"), ("xlsx", "done")]
    for export in exports:
        download = client.get(reverse("report_export_file", args=[consultation.slug, export.pk]))
        assert download.status_code == 200
        assert body(download)
    client.logout()
    return exports


# No file that holds answers is media -------------------------------------------------------------


def test_no_file_any_export_wrote_is_reachable_at_any_media_path(
    client, settings, on_disk, answered, django_capture_on_commit_callbacks
):
    media, private = on_disk
    image = ImageFactory()
    image.get_rendition("width-100")
    documents = [public_document(), restricted_document()]
    before = files_under(media)

    exports = build_every_export(client, settings, answered, django_capture_on_commit_callbacks)

    # Not one file was written under MEDIA_ROOT; the background exports are in the private
    # folder, under names nobody can guess.
    assert files_under(media) == before
    written = files_under(private)
    assert written == {export.file.name for export in exports}
    assert all(PRIVATE_NAME.fullmatch(name) for name in written), written

    public = {name for name in before if name.split("/")[0] in ("images", "original_images")}
    assert len(public) == 2  # the image and its rendition: the rule does serve what it should
    assert {f"documents/{d.filename}" for d in documents} <= before
    for name in sorted(before):
        response = client.get(f"/media/{name}")
        if name in public:
            assert response.status_code == 200, name
            # Through ".." too, as long as it stays inside a public folder.
            assert client.get(f"/media/images/../{name}").status_code == 200, name
        else:
            assert response.status_code == 404, name
            assert client.get(f"/media/images/../{name}").status_code == 404, name
    for name in sorted(written):
        for path in (
            f"/media/{name}",
            f"/media/images/../{name}",
            f"/media/images/../../private/{name}",
            f"/media/original_images/..%2F..%2Fprivate/{name}",
        ):
            assert client.get(path).status_code == 404, path


def test_every_file_a_consultations_model_keeps_is_in_the_private_storage():
    fields = file_fields()
    assert "ReportExport.file" in fields
    for name, field in fields.items():
        assert getattr(field, "_storage_callable", None) is private_storage, name
        assert callable(field.upload_to), f"{name}: a guessable name"


# Documents ---------------------------------------------------------------------------------------


def test_a_document_in_a_restricted_collection_is_only_served_by_wagtail_to_those_allowed(
    client, on_disk
):
    media, _ = on_disk
    document = restricted_document(b"Minutes: private")
    assert document.url == reverse("wagtaildocs_serve", args=[document.id, document.filename])
    raw = f"/media/documents/{document.filename}"
    assert (media / "documents" / document.filename).is_file()

    refused = client.get(document.url)
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("account_login"))
    assert client.get(raw).status_code == 404

    client.force_login(UserFactory(roles=[roles.MEMBERS]))
    allowed = client.get(document.url)
    assert allowed.status_code == 200 and body(allowed) == b"Minutes: private"
    assert client.get(raw).status_code == 404


class RemoteLikeStorage(InMemoryStorage):
    """Files with URLs but no paths on this machine, like S3."""

    def path(self, name):
        raise NotImplementedError

    def _relative_path(self, name):
        return os.path.relpath(super().path(name), self.location)


def test_documents_are_streamed_by_the_serve_view_never_redirected_to_their_file(
    client, settings, home
):
    # For such a storage Wagtail's default is to redirect to the file's own URL.
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": f"{__name__}.RemoteLikeStorage", "OPTIONS": {"base_url": "/media/"}},
    }
    document = public_document()
    assert document.file.url == f"/media/documents/{document.filename}"
    response = client.get(document.url)
    assert response.status_code == 200
    assert body(response) == b"Our year"


# The background export's download ----------------------------------------------------------------


@pytest.fixture
def built(client, settings, answered, django_capture_on_commit_callbacks):
    settings.YOUTHVOICE_REPORT_PDF_TASK_THRESHOLD = 1
    owner = sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    with django_capture_on_commit_callbacks(execute=True):
        client.get(report_url("report_xlsx", answered))
    export = ReportExport.objects.get(requested_by=owner)
    assert export.status == "done"
    return export, reverse("report_export_file", args=[answered.slug, export.pk])


def test_a_background_export_is_streamed_to_its_owner_uncached_under_its_friendly_name(
    client, built
):
    export, file_url = built
    response = client.get(file_url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    today = f"{timezone.localdate():%Y-%m-%d}"
    assert response["Content-Disposition"] == (
        f'attachment; filename="feeling-safe-report-{today}.xlsx"'
    )
    assert body(response).startswith(b"PK")  # a workbook is a zip
    assert PRIVATE_NAME.fullmatch(export.file.name)


@pytest.mark.parametrize(
    "who", [None, {"roles": [roles.EXECUTIVE_PARTNERS]}, {"roles": [roles.FACILITATORS]}]
)
def test_a_background_export_is_refused_to_anyone_else(client, built, who):
    _, file_url = built
    client.logout()
    sign_in_as(client, who)
    response = client.get(file_url)
    if who is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 404
    assert b"PK" not in response.content


def test_a_background_export_whose_file_is_gone_is_not_found(client, built):
    export, file_url = built
    export.file.storage.delete(export.file.name)
    assert client.get(file_url).status_code == 404


# Every other download that holds answers ---------------------------------------------------------


def test_every_download_of_answers_is_private_and_not_stored(client, answered):
    sign_in_as(client, {"roles": [roles.FACILITATORS]})
    listing = reverse("consultations:responses", args=[answered.pk])
    urls = [
        report_url("report_pdf", answered),
        report_url("report_xlsx", answered),
        report_url("report_csv", answered),
        f"{listing}?export=csv",
        f"{listing}?export=xlsx",
        reverse("year_review_xlsx", args=[this_year()]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url


# Files left in media/reports/ by earlier versions ------------------------------------------------


def test_the_migration_deletes_report_files_left_in_media(on_disk, answered):
    media, _ = on_disk
    module_name = MigrationLoader.migrations_module("consultations")[0]
    migration = importlib.import_module(f"{module_name}.0009_private_report_files")
    public = storages["default"]
    old_name = public.save("reports/feeling-safe-report-2026-01-01.xlsx", ContentFile(b"PK"))
    public.save("reports/orphan-report-2025-12-31.pdf", ContentFile(b"%PDF"))
    kept_image = public.save("original_images/keep.jpg", ContentFile(b"jpg"))
    owner = UserFactory(roles=[roles.EXECUTIVE_PARTNERS])
    ReportExport.objects.create(
        consultation=answered, requested_by=owner, status="done", kind="xlsx", file=old_name
    )
    waiting = ReportExport.objects.create(consultation=answered, requested_by=owner)

    # The migration's models as they were then (ReportExport was consultations' own).
    historical = (
        MigrationLoader(connection)
        .project_state(("consultations", "0009_private_report_files"))
        .apps
    )
    migration.delete_public_report_files(historical, None)

    assert files_under(media) == {kept_image}
    assert not (media / "reports").exists()
    assert list(ReportExport.objects.all()) == [waiting]
