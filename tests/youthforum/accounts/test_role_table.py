"""The one table of role permissions (accounts/roles.py) and how it reaches the groups.

``pytest -s`` on this file prints the role matrix.
"""

import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

from youthforum.accounts import roles
from youthforum.accounts.permissions import sync_roles

pytestmark = pytest.mark.django_db

# Every data migration that has given a role permissions, with its lists.
GRANTING_MIGRATIONS = [
    "youthforum.accounts.migrations.0002_roles",
    "consultations.migrations.0002_response_permissions",
    "consultations.migrations.0004_safeguarding_roles",
    "consultations.migrations.0006_coding_permissions",
    "consultations.migrations.0007_commitments",
    "consultations.migrations.0010_view_raw_answers",
]
#: Permissions added to the table since, which ``migrate`` gives (no data migration needed).
GIVEN_BY_THE_TABLE = {
    roles.FACILITATORS: {
        "reports.add_population",
        "reports.change_population",
        "reports.delete_population",
        "reports.view_population",
    },
    roles.EXECUTIVE_PARTNERS: {"reports.view_population"},
}
#: The apps that took models and their permissions from ``consultations`` (its migration 0012).
MOVED_TO = ("safeguarding", "themes", "reports", "commitments")


def key(permission):
    return f"{permission.content_type.app_label}.{permission.codename}"


def held(group):
    """What a group holds, in the table's shape; page and collection permissions on the root only
    (anything held elsewhere is returned under "elsewhere", which should be empty)."""
    root_page = Page.get_first_root_node()
    root_collection = Collection.get_first_root_node()
    pages = GroupPagePermission.objects.filter(group=group).select_related("permission")
    collections = GroupCollectionPermission.objects.filter(group=group).select_related("permission")
    return {
        "model": {key(p) for p in group.permissions.select_related("content_type")},
        "pages": {key(p.permission) for p in pages if p.page_id == root_page.pk},
        "collections": {
            key(p.permission) for p in collections if p.collection_id == root_collection.pk
        },
        "elsewhere": {key(p.permission) for p in pages if p.page_id != root_page.pk}
        | {key(p.permission) for p in collections if p.collection_id != root_collection.pk},
    }


def expected(role):
    table = roles.ROLE_PERMISSIONS[role]
    return {
        "model": set(table.model),
        "pages": set(table.pages),
        "collections": set(table.collections),
        "elsewhere": set(),
    }


def snapshot():
    return {group.name: held(group) for group in Group.objects.filter(name__in=roles.ALL_ROLES)}


def role_matrix():
    """One row per permission, one column per role: the table as a newcomer wants to read it."""
    columns = list(roles.ROLE_PERMISSIONS)
    rows = {}
    for role, table in roles.ROLE_PERMISSIONS.items():
        for where, keys in (("", table.model), (" [page]", table.pages)):
            for k in keys:
                rows.setdefault(k + where, set()).add(role)
        for k in table.collections:
            rows.setdefault(k + " [collection]", set()).add(role)
    width = max(map(len, rows))
    header = " " * width + " | " + " | ".join(columns)
    lines = [header, "-" * len(header)]
    for permission in sorted(rows):
        marks = " | ".join(
            ("x" if role in rows[permission] else "").center(len(role)) for role in columns
        )
        lines.append(f"{permission.ljust(width)} | {marks}".rstrip())
    return "\n".join(lines), rows


def test_the_role_matrix_is_the_table_and_the_groups_hold_exactly_it():
    text, rows = role_matrix()
    print("\n" + text)

    assert list(roles.ROLE_PERMISSIONS) == list(roles.ALL_ROLES)
    # What only Safeguarding leads may do: the queue and the words as written.
    for only_leads in (
        "safeguarding.review_safeguarding",
        "consultations.view_raw_answers",
        "safeguarding.view_safeguardingconcern",
    ):
        assert rows[only_leads] == {roles.SAFEGUARDING_LEADS}
    assert rows["wagtailadmin.access_admin"] == set(roles.STAFF_ROLES)
    assert rows["commitments.view_commitment"] == {roles.FACILITATORS, roles.EXECUTIVE_PARTNERS}
    assert rows["wagtailcore.publish_page [page]"] == {roles.FACILITATORS}
    # Downloading the raw words is given by hand, never by a role; members have no permission.
    assert "consultations.export_raw_answers" not in rows
    assert not any(roles.MEMBERS in holders for holders in rows.values())
    # A header, a rule, and one row for each of the 47 permissions some role holds.
    assert len(text.splitlines()) == 2 + 47

    # The freshly migrated test database holds exactly the table, role by role.
    assert snapshot() == {role: expected(role) for role in roles.ALL_ROLES}


def test_every_permission_in_the_table_exists():
    for role, table in roles.ROLE_PERMISSIONS.items():
        for k in (*table.model, *table.pages, *table.collections):
            app_label, codename = k.split(".")
            assert Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists(), f"{role}: no permission {k}"


def today(key):
    """A migration's ``consultations.<codename>`` under the app its model has since moved to."""
    app_label, codename = key.split(".")
    if app_label != "consultations":
        return key
    moved = Permission.objects.filter(codename=codename, content_type__app_label__in=MOVED_TO)
    return f"{moved.get().content_type.app_label}.{codename}" if moved.exists() else key


def test_the_migrations_gave_exactly_what_the_table_lists():
    """A database migrated before the table existed holds what these migrations gave: the same
    (once the models that left ``consultations`` for their own apps took their permissions),
    with what the table has given since."""
    given = {
        role: {"model": set(), "pages": set(), "collections": set()} for role in roles.ALL_ROLES
    }
    for name in GRANTING_MIGRATIONS:
        migration = importlib.import_module(name)
        for lists, kind in (
            (getattr(migration, "GRANTS", None), "model"),
            (getattr(migration, "MODEL_PERMISSIONS", None), "model"),
            (getattr(migration, "PAGE_PERMISSIONS", None), "pages"),
            (getattr(migration, "COLLECTION_PERMISSIONS", None), "collections"),
        ):
            for role, keys in (lists or {}).items():
                given[role][kind] |= {today(key) for key in keys}
    for role, keys in GIVEN_BY_THE_TABLE.items():
        given[role]["model"] |= keys

    assert given == {
        role: {
            "model": set(table.model),
            "pages": set(table.pages),
            "collections": set(table.collections),
        }
        for role, table in roles.ROLE_PERMISSIONS.items()
    }


def test_after_migrate_the_groups_are_made_from_the_table_alone():
    """On a database whose migrations gave nothing, the post_migrate step gives the table."""
    Group.objects.filter(name__in=roles.ALL_ROLES).delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert snapshot() == {role: expected(role) for role in roles.ALL_ROLES}


def test_syncing_twice_changes_nothing():
    before = snapshot()

    assert sync_roles() == []
    assert sync_roles() == []
    assert snapshot() == before


def test_sync_gives_back_what_was_taken_away_and_makes_a_deleted_group_again():
    facilitators = Group.objects.get(name=roles.FACILITATORS)
    facilitators.permissions.remove(Permission.objects.get(codename="view_response"))
    GroupPagePermission.objects.filter(
        group=facilitators, permission__codename="publish_page"
    ).delete()
    Group.objects.filter(name=roles.SAFEGUARDING_LEADS).delete()

    changes = [str(change) for change in sync_roles()]

    assert "Facilitators: + consultations.view_response" in changes
    assert "Facilitators: + wagtailcore.publish_page (root page)" in changes
    assert "Safeguarding leads: + safeguarding.review_safeguarding" in changes
    assert not any(" - " in change for change in changes)
    assert snapshot() == {role: expected(role) for role in roles.ALL_ROLES}
    assert sync_roles() == []


def test_sync_keeps_what_an_admin_added_by_hand_unless_pruning():
    facilitators = Group.objects.get(name=roles.FACILITATORS)
    by_hand = Permission.objects.get(codename="export_raw_answers")
    facilitators.permissions.add(by_hand)
    other = Group.objects.create(name="Partnership office")
    other.permissions.add(by_hand)

    assert sync_roles() == []
    assert "consultations.export_raw_answers" in held(facilitators)["model"]

    changes = [str(change) for change in sync_roles(prune=True)]

    assert changes == ["Facilitators: - consultations.export_raw_answers"]
    assert held(facilitators) == expected(roles.FACILITATORS)
    # Groups that are not roles are not the table's to change.
    assert other.permissions.get() == by_hand


def test_pruning_removes_page_permissions_held_below_the_root(home):
    facilitators = Group.objects.get(name=roles.FACILITATORS)
    GroupPagePermission.objects.create(
        group=facilitators,
        page=home,
        permission=Permission.objects.get(codename="delete_page"),
    )

    assert sync_roles() == []
    changes = [str(change) for change in sync_roles(prune=True)]

    assert changes == [f"Facilitators: - wagtailcore.delete_page (page {home.pk})"]
    assert held(facilitators) == expected(roles.FACILITATORS)


def test_the_check_command_lists_differences_and_changes_nothing(capsys):
    call_command("sync_roles", "--check")
    assert "exactly" in capsys.readouterr().out

    facilitators = Group.objects.get(name=roles.FACILITATORS)
    facilitators.permissions.add(Permission.objects.get(codename="export_raw_answers"))
    facilitators.permissions.remove(Permission.objects.get(codename="view_response"))
    before = snapshot()

    with pytest.raises(CommandError):
        call_command("sync_roles", "--check")

    out = capsys.readouterr().out
    assert "Facilitators: + consultations.view_response" in out
    assert "Facilitators: - consultations.export_raw_answers" in out
    assert snapshot() == before


def test_a_permission_that_does_not_exist_is_reported_not_ignored():
    table = {roles.FACILITATORS: roles.RolePermissions(model=frozenset({"core.view_typo"}))}

    changes = sync_roles(table=table)

    assert [str(change) for change in changes] == ["Facilitators: ? core.view_typo"]


def test_after_going_back_past_a_model_its_permissions_are_not_given_back():
    """The step after migrate reads the models as migrated; Django leaves old permissions behind."""
    partners = Group.objects.get(name=roles.EXECUTIVE_PARTNERS)
    partners.permissions.clear()
    before_commitments = MigrationLoader(connection).project_state(
        ("consultations", "0006_coding_permissions")
    )

    sync_roles(before_commitments.apps)

    assert held(partners)["model"] == {"wagtailadmin.access_admin"}


def test_before_the_roles_migration_the_step_after_migrate_makes_no_groups():
    Group.objects.filter(name__in=roles.ALL_ROLES).delete()
    MigrationRecorder.Migration.objects.filter(app="accounts", name="0002_roles").delete()

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert not Group.objects.filter(name__in=roles.ALL_ROLES).exists()
