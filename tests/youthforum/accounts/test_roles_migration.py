"""The data migration that creates the role groups (accounts/migrations/0002_roles)."""

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from youthforum.accounts import roles

roles_migration = importlib.import_module("youthforum.accounts.migrations.0002_roles")

pytestmark = pytest.mark.django_db

#: The consultations app and the apps split from it add their own permissions in their own
#: migrations (tests/consultations/admin, tests/consultations/safeguarding).
CONSULTATION_APPS = ("consultations.", "safeguarding.", "themes.", "reports.", "commitments.")


def model_permissions(group):
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def page_permissions(group):
    return {(p.page_id, p.permission.codename) for p in group.page_permissions.all()}


def collection_permissions(group):
    return {(p.collection_id, p.permission.codename) for p in group.collection_permissions.all()}


def test_migrate_creates_a_group_for_every_role():
    assert set(
        Group.objects.filter(name__in=roles.ALL_ROLES).values_list("name", flat=True)
    ) == set(roles.ALL_ROLES)


def test_facilitators_may_edit_publish_and_manage_media_settings_and_redirects():
    facilitators = Group.objects.get(name=roles.FACILITATORS)
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()

    assert {p for p in model_permissions(facilitators) if not p.startswith(CONSULTATION_APPS)} == {
        "wagtailadmin.access_admin",
        "core.change_sitesettings",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
    }
    assert page_permissions(facilitators) == {
        (root_page.pk, f"{action}_page")
        for action in ("add", "change", "publish", "lock", "unlock")
    }
    assert collection_permissions(facilitators) == {
        (root_collection.pk, codename)
        for codename in (
            "add_image",
            "change_image",
            "choose_image",
            "add_document",
            "change_document",
            "choose_document",
        )
    }


@pytest.mark.parametrize("role", [roles.SAFEGUARDING_LEADS, roles.EXECUTIVE_PARTNERS])
def test_safeguarding_leads_and_executive_partners_may_only_open_the_admin_so_far(role):
    group = Group.objects.get(name=role)
    from_here = {p for p in model_permissions(group) if not p.startswith(CONSULTATION_APPS)}
    assert from_here == {"wagtailadmin.access_admin"}
    assert page_permissions(group) == set()
    assert collection_permissions(group) == set()


def test_youth_forum_members_have_no_admin_permissions():
    members = Group.objects.get(name=roles.MEMBERS)
    assert model_permissions(members) == set()
    assert page_permissions(members) == set()
    assert collection_permissions(members) == set()


@pytest.fixture
def migration_apps():
    """The models as they stand at 0002_roles, which is what the migration runs against."""
    return MigrationLoader(connection).project_state(("accounts", "0002_roles")).apps


def test_migration_reverses_to_no_role_groups(migration_apps):
    Group.objects.create(name="Partnership office")
    schema_editor = SimpleNamespace(connection=connection)
    roles_migration.delete_role_groups(migration_apps, schema_editor)

    assert not Group.objects.filter(name__in=roles.ALL_ROLES).exists()
    assert not GroupPagePermission.objects.filter(group__name__in=roles.ALL_ROLES).exists()
    assert not GroupCollectionPermission.objects.filter(group__name__in=roles.ALL_ROLES).exists()
    # Other groups an admin made are not the migration's to remove.
    assert Group.objects.filter(name="Partnership office").exists()


def test_running_the_migration_again_duplicates_nothing(migration_apps):
    before = {
        group.name: (
            model_permissions(group),
            page_permissions(group),
            collection_permissions(group),
        )
        for group in Group.objects.filter(name__in=roles.ALL_ROLES)
    }
    schema_editor = SimpleNamespace(connection=connection)

    roles_migration.create_role_groups(migration_apps, schema_editor)

    after = {
        group.name: (
            model_permissions(group),
            page_permissions(group),
            collection_permissions(group),
        )
        for group in Group.objects.filter(name__in=roles.ALL_ROLES)
    }
    assert after == before
    assert Group.objects.filter(name__in=roles.ALL_ROLES).count() == len(roles.ALL_ROLES)
    assert GroupPagePermission.objects.filter(group__name=roles.FACILITATORS).count() == 5


def test_migration_recreates_groups_after_being_reversed(migration_apps):
    schema_editor = SimpleNamespace(connection=connection)
    roles_migration.delete_role_groups(migration_apps, schema_editor)

    roles_migration.create_role_groups(migration_apps, schema_editor)

    facilitators = Group.objects.get(name=roles.FACILITATORS)
    assert "wagtailadmin.access_admin" in model_permissions(facilitators)
    assert len(page_permissions(facilitators)) == 5
    assert len(collection_permissions(facilitators)) == 6


def test_wagtail_default_groups_are_removed_so_only_our_roles_exist(db):
    from django.contrib.auth.models import Group

    from youthforum.accounts.roles import ALL_ROLES

    assert set(Group.objects.values_list("name", flat=True)) == set(ALL_ROLES)
