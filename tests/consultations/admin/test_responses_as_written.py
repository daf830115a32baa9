"""Staff read redacted words; the words as written only with permission, each reading logged."""

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import ModelLogEntry, PageLogEntry

from consultations.raw_downloads import HELD
from consultations.safeguarding.models import SafeguardingConcern
from consultations.services import raw_answers
from tests.factories import UserFactory
from youthforum.accounts import roles

from .support import facilitator, respond, with_permission

pytestmark = pytest.mark.django_db

migration = importlib.import_module("consultations.migrations.0010_view_raw_answers")

SAFER = "What would make you feel safer?"
DISCLOSURE = "My stepdad hits me when he's drunk. My name is Jack Smith, text me on 07700 900123"
ORDINARY = "More youth workers. Ring Sam at the club on 07700 900456"


@pytest.fixture
def flagged(consultation):
    return respond(consultation, {SAFER: DISCLOSURE})


@pytest.fixture
def ordinary(consultation):
    return respond(consultation, {SAFER: ORDINARY})


def detail(client, consultation, response) -> str:
    page = client.get(reverse("consultations:response", args=[consultation.pk, response.pk]))
    assert page.status_code == 200
    return page.content.decode()


def raw_readings():
    return ModelLogEntry.objects.filter(action=raw_answers.LOG_VIEW_RAW)


def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


def test_a_facilitator_reads_redacted_words(client, consultation, ordinary):
    client.force_login(facilitator())

    html = detail(client, consultation, ordinary)

    assert "More youth workers. Ring [name] at the club on [phone]" in html
    assert "07700 900456" not in html
    assert "are replaced by [name], [school], [phone]" in html
    assert not raw_readings().exists()


def test_a_facilitator_never_reads_a_held_answer(client, consultation, flagged):
    client.force_login(facilitator())

    html = detail(client, consultation, flagged)

    assert HELD in html
    assert "stepdad" not in html and "07700" not in html
    assert not raw_readings().exists()


def test_with_the_permission_an_answer_that_raised_a_concern_reads_as_written_and_is_logged(
    client, consultation, flagged
):
    reader = with_permission(facilitator(), "view_raw_answers")
    client.force_login(reader)

    html = detail(client, consultation, flagged)

    assert escape(DISCLOSURE) in html
    assert "As written (a safeguarding concern was raised about this answer)" in html
    assert "your reading is recorded in the audit log" in html
    concern = SafeguardingConcern.objects.get(response=flagged)
    assert reverse("safeguarding:detail", args=[concern.pk]) not in html  # not a lead
    entry = raw_readings().get()
    assert entry.user == reader
    assert (entry.content_type.model_class(), entry.object_id) == (
        SafeguardingConcern,
        str(concern.pk),
    )
    assert entry.data == {"answer_id": concern.answer_id, "where": "response"}


def test_with_the_permission_other_answers_still_read_redacted(client, consultation, ordinary):
    client.force_login(superuser())

    html = detail(client, consultation, ordinary)

    assert "Ring [name] at the club on [phone]" in html
    assert "07700 900456" not in html
    assert "As written" not in html
    assert not raw_readings().exists()


def test_a_superuser_reads_as_written_with_a_link_to_the_concern(client, consultation, flagged):
    client.force_login(superuser())

    html = detail(client, consultation, flagged)

    concern = SafeguardingConcern.objects.get(response=flagged)
    assert escape(DISCLOSURE) in html
    assert reverse("safeguarding:detail", args=[concern.pk]) in html
    assert raw_readings().count() == 1


def test_each_reading_is_logged_and_shows_in_site_history_without_the_words(
    client, consultation, flagged
):
    client.force_login(superuser())
    detail(client, consultation, flagged)
    detail(client, consultation, flagged)

    history = client.get(reverse("wagtailadmin_reports:site_history")).content.decode()

    assert raw_readings().count() == 2
    assert "Read an answer as written" in history
    assert "Read the answer as written, on its response&#x27;s page" in history
    assert "stepdad" not in history and "07700" not in history


def test_reading_as_written_does_not_allow_downloading_the_words(client, consultation, flagged):
    client.force_login(with_permission(facilitator(), "view_raw_answers"))
    listing = reverse("consultations:responses", args=[consultation.pk])

    download = client.get(f"{listing}?export=csv")
    content = b"".join(download.streaming_content).decode()

    assert "stepdad" not in content and "07700" not in content
    assert "[held for safeguarding review]" in content
    assert not PageLogEntry.objects.filter(action=raw_answers.LOG_DOWNLOAD_RAW).exists()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_download_of_the_words_as_written_is_logged(client, consultation, ordinary, file_format):
    downloader = with_permission(facilitator(), "export_raw_answers")
    client.force_login(downloader)
    listing = reverse("consultations:responses", args=[consultation.pk])

    response = client.get(f"{listing}?export={file_format}")
    b"".join(response.streaming_content)

    entry = PageLogEntry.objects.get(action=raw_answers.LOG_DOWNLOAD_RAW)
    assert (entry.page_id, entry.user, entry.data) == (
        consultation.pk,
        downloader,
        {"format": file_format},
    )


def test_a_redacted_download_is_not_logged_as_reading_words(client, consultation, ordinary):
    client.force_login(facilitator())
    listing = reverse("consultations:responses", args=[consultation.pk])

    b"".join(client.get(f"{listing}?export=csv").streaming_content)

    assert not PageLogEntry.objects.filter(action=raw_answers.LOG_DOWNLOAD_RAW).exists()


# Who has the permission (migration 0010) -------------------------------------------------------


def groups_with(codename) -> set[str]:
    return set(Group.objects.filter(permissions__codename=codename).values_list("name", flat=True))


def test_only_safeguarding_leads_may_read_answers_as_written():
    assert groups_with("view_raw_answers") == {roles.SAFEGUARDING_LEADS}


def test_reading_as_written_is_not_downloading():
    assert groups_with("export_raw_answers") == set()


def test_the_migration_reverses_and_runs_again():
    migration_apps = (
        MigrationLoader(connection).project_state(("consultations", "0010_view_raw_answers")).apps
    )
    schema_editor = SimpleNamespace(connection=connection)
    leads = Group.objects.get(name=roles.SAFEGUARDING_LEADS)

    migration.revoke(migration_apps, schema_editor)
    assert not leads.permissions.filter(codename="view_raw_answers").exists()
    assert leads.permissions.filter(codename="review_safeguarding").exists()  # not this one's

    migration.grant(migration_apps, schema_editor)
    migration.grant(migration_apps, schema_editor)
    assert leads.permissions.filter(codename="view_raw_answers").count() == 1
