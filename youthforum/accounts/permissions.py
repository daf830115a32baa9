"""Give the role groups their permissions: the one helper behind the role table and the migrations.

``sync_roles()`` makes the groups hold the table in ``roles.ROLE_PERMISSIONS``. It runs after
every ``migrate`` (``apply_role_table``, a post_migrate receiver connected in ``AccountsConfig``)
and from ``manage.py sync_roles``. By default it only adds: a group an admin deleted is made
again and a permission taken away by hand is given back, but a permission an admin added by hand
in Wagtail's Groups screen stays. ``prune=True`` also removes from the role groups whatever the
table does not list; ``dry_run=True`` only reports. Groups that are not roles are never touched.

``grant()`` and ``revoke()`` are what the data migrations that once gave each role its
permissions (``accounts/0002_roles``, ``consultations/0002``, ``0004``, ``0006``, ``0007``,
``0010``) call with their own lists, instead of each carrying a copy of the same helpers. Every
function here takes the ``apps`` it is given (a migration's historical models, the state after a
migrate, or the live registry) and looks models up there, so the migrations keep working as the
models change. Permissions are written ``"app_label.codename"``.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import swapper
from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

from .roles import ROLE_PERMISSIONS, RolePermissions

Grants = Mapping[str, Iterable[str]]


def ensure_permissions_exist(apps, using: str, app_labels: Iterable[str]) -> None:
    """Create the apps' permissions now: on a fresh database Django only does so after migrate.

    Django's own post_migrate receiver does the same, app by app; doing it here means the order
    in which post_migrate receivers run does not matter. Apps not (yet) in ``apps`` are skipped.
    """
    for label in sorted(set(app_labels)):
        try:
            historical = apps.get_app_config(label)
        except LookupError:
            continue
        try:
            # create_permissions() reads the models from ``apps``; it only needs a config that
            # has a models module, which historical ones lack.
            create_permissions(
                global_apps.get_app_config(label), verbosity=0, using=using, apps=apps
            )
        except LookupError:
            historical.models_module = True
            try:
                create_permissions(historical, verbosity=0, using=using, apps=apps)
            finally:
                historical.models_module = None


def _app_labels(*tables: Grants | None) -> set[str]:
    return {
        key.split(".", 1)[0] for table in tables if table for keys in table.values() for key in keys
    }


def _lookup(
    apps, using: str, keys: Iterable[str], *, strict: bool, present: set | None = None
) -> dict[str, object]:
    """The Permission rows for ``"app_label.codename"`` keys; missing ones raise if ``strict``.

    With ``present`` (``(app_label, model_name)`` pairs), a permission of a model not among them
    counts as missing: Django leaves a model's permissions behind when a migration removes it.
    """
    Permission = apps.get_model("auth", "Permission")
    found = {}
    for key in sorted(set(keys)):
        app_label, codename = key.split(".", 1)
        permission = (
            Permission.objects.using(using)
            .filter(content_type__app_label=app_label, codename=codename)
            .select_related("content_type")
            .order_by("pk")
            .first()
        )
        model = permission and (app_label, permission.content_type.model)
        if present is not None and model not in present:
            permission = None
        if permission is None:
            if strict:
                raise LookupError(f"No permission {key} (is the app installed and migrated?)")
            continue
        found[key] = permission
    return found


def _model(apps, app_label: str, model_name: str):
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _roots(apps, using: str):
    """The root page and the root collection, or None where there is none yet."""
    page_label, page_model = swapper.split(swapper.get_model_name("wagtailcore", "Page"))
    Page = _model(apps, page_label, page_model)
    Collection = _model(apps, "wagtailcore", "Collection")
    root_page = Page and Page.objects.using(using).filter(depth=1).order_by("path").first()
    root_collection = (
        Collection and Collection.objects.using(using).filter(depth=1).order_by("path").first()
    )
    return root_page, root_collection


def grant(
    apps,
    using: str,
    model: Grants,
    *,
    pages: Grants | None = None,
    collections: Grants | None = None,
) -> None:
    """Give each named group (made if missing) these permissions, adding only what it lacks.

    ``model`` maps a group name to model-wide permissions; ``pages`` and ``collections`` to
    Wagtail permissions held on the root page and the root collection.
    """
    pages, collections = pages or {}, collections or {}
    ensure_permissions_exist(apps, using, _app_labels(model, pages, collections))
    Group = apps.get_model("auth", "Group")
    root_page, root_collection = _roots(apps, using)
    for name in {*model, *pages, *collections}:
        group, _created = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*_lookup(apps, using, model.get(name, ()), strict=True).values())
        for permission in _lookup(apps, using, pages.get(name, ()), strict=True).values():
            apps.get_model("wagtailcore", "GroupPagePermission").objects.using(using).get_or_create(
                group=group, page=root_page, permission=permission
            )
        for permission in _lookup(apps, using, collections.get(name, ()), strict=True).values():
            apps.get_model("wagtailcore", "GroupCollectionPermission").objects.using(
                using
            ).get_or_create(group=group, collection=root_collection, permission=permission)


def revoke(apps, using: str, model: Grants) -> None:
    """Take these model-wide permissions away from each named group that exists."""
    Group = apps.get_model("auth", "Group")
    for name, keys in model.items():
        group = Group.objects.using(using).filter(name=name).first()
        if group is not None:
            group.permissions.remove(*_lookup(apps, using, keys, strict=False).values())


@dataclass(frozen=True)
class Change:
    """One difference between a role group and the table.

    ``+`` the group lacks it, ``-`` the table does not list it, ``?`` the table lists a permission
    that does not exist in the database (a typo, or an app not migrated yet): nothing can be done.
    """

    group: str
    sign: str
    kind: str  # "model", "page" or "collection"
    permission: str
    on: int | None = None  # the page or collection it is held on, if not the root

    def __str__(self) -> str:
        where = "" if self.kind == "model" else f" (root {self.kind})"
        if self.on is not None:
            where = f" ({self.kind} {self.on})"
        return f"{self.group}: {self.sign} {self.permission}{where}"


def _key(permission) -> str:
    return f"{permission.content_type.app_label}.{permission.codename}"


def _off_root(held, field: str, root) -> int | None:
    place = getattr(held, f"{field}_id")
    return None if place == root.pk else place


def sync_roles(
    apps=global_apps,
    using: str = DEFAULT_DB_ALIAS,
    *,
    prune: bool = False,
    dry_run: bool = False,
    table: Mapping[str, RolePermissions] = ROLE_PERMISSIONS,
) -> list[Change]:
    """Make each role group hold the table's permissions; return what was (or would be) changed.

    Adds what is missing; with ``prune`` also removes what the table does not list. With
    ``dry_run`` nothing is written, and the list says what would be (extras are listed whether
    or not ``prune`` is given). A permission the table lists that does not exist (a typo, or its
    app is not migrated yet) is skipped and listed with ``?``; page and collection permissions
    wait until there is a root page and a root collection.
    """
    labels = {
        key.split(".", 1)[0]
        for role in table.values()
        for key in (*role.model, *role.pages, *role.collections)
    }
    if not dry_run:
        ensure_permissions_exist(apps, using, labels)
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = _model(apps, "wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = _model(apps, "wagtailcore", "GroupCollectionPermission")
    root_page, root_collection = _roots(apps, using)
    # After migrating backwards, a removed model's permissions are not given back.
    present = {(model._meta.app_label, model._meta.model_name) for model in apps.get_models()}
    changes: list[Change] = []

    for name, wanted in table.items():
        group = Group.objects.using(using).filter(name=name).first()
        if group is None and not dry_run:
            group = Group.objects.using(using).create(name=name)

        # Model-wide permissions.
        have = (
            {_key(p): p for p in group.permissions.select_related("content_type")} if group else {}
        )
        lacking = set(wanted.model) - set(have)
        to_add = _lookup(apps, using, lacking, strict=False, present=present)
        extra = {key: p for key, p in have.items() if key not in wanted.model}
        changes += [Change(name, "+", "model", key) for key in sorted(to_add)]
        changes += [Change(name, "?", "model", key) for key in sorted(lacking - set(to_add))]
        changes += [Change(name, "-", "model", key) for key in sorted(extra) if prune or dry_run]
        if not dry_run:
            group.permissions.add(*to_add.values())
            if prune:
                group.permissions.remove(*extra.values())

        # Page and collection permissions, held on the root.
        for kind, Through, field, root, keys in (
            ("page", GroupPagePermission, "page", root_page, wanted.pages),
            (
                "collection",
                GroupCollectionPermission,
                "collection",
                root_collection,
                wanted.collections,
            ),
        ):
            if Through is None or root is None:
                continue
            held = (
                list(
                    Through.objects.using(using)
                    .filter(group=group)
                    .select_related("permission__content_type")
                )
                if group
                else []
            )
            on_root = {_key(h.permission) for h in held if getattr(h, f"{field}_id") == root.pk}
            lacking = set(keys) - on_root
            to_add = _lookup(apps, using, lacking, strict=False, present=present)
            extra = [
                h
                for h in held
                if getattr(h, f"{field}_id") != root.pk or _key(h.permission) not in keys
            ]
            changes += [Change(name, "+", kind, key) for key in sorted(to_add)]
            changes += [Change(name, "?", kind, key) for key in sorted(lacking - set(to_add))]
            if prune or dry_run:
                changes += [
                    Change(name, "-", kind, _key(h.permission), on=_off_root(h, field, root))
                    for h in extra
                ]
            if not dry_run:
                for permission in to_add.values():
                    Through.objects.using(using).get_or_create(
                        group=group, permission=permission, **{field: root}
                    )
                if prune:
                    Through.objects.using(using).filter(pk__in=[h.pk for h in extra]).delete()
    return changes


def apply_role_table(sender, using=DEFAULT_DB_ALIAS, apps=global_apps, verbosity=1, **kwargs):
    """post_migrate receiver: after every migrate (and flush), give the role groups the table.

    Not before ``accounts/0002_roles`` is applied (on the way up, or after going back past it):
    until then there are no roles.
    """
    applied = MigrationRecorder(connections[using]).applied_migrations()
    if ("accounts", "0002_roles") not in applied:
        return
    changes = sync_roles(apps, using)
    if verbosity >= 2:
        for change in changes:
            print(f"  Role permission {change}")
