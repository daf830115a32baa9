"""Give Safeguarding leads the safeguarding queue.

"Safeguarding leads" get ``review_safeguarding`` (the queue and the raw words of flagged
answers), ``view_safeguardingconcern`` and ``change_safeguardingconcern``, and
``view_concernnote`` and ``add_concernnote``. Facilitators and Executive partners get none of
them. Going back removes exactly these from the group. The group name is copied from
``youthforum/accounts/roles.py``: a migration must not change when that code does.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SAFEGUARDING_LEADS = "Safeguarding leads"
LEAD_PERMISSIONS = [
    ("safeguardingconcern", "review_safeguarding"),
    ("safeguardingconcern", "view_safeguardingconcern"),
    ("safeguardingconcern", "change_safeguardingconcern"),
    ("concernnote", "view_concernnote"),
    ("concernnote", "add_concernnote"),
]


def ensure_permissions_exist(apps, schema_editor):
    """Create the permissions now: on a fresh database Django only does so after migrate."""
    app_config = apps.get_app_config("consultations")
    # Historical app configs have no models module, which create_permissions() checks for.
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
    app_config.models_module = None


def _permissions(apps, db):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(db).get(
            content_type__app_label="consultations",
            content_type__model=model,
            codename=codename,
        )
        for model, codename in LEAD_PERMISSIONS
    ]


def grant(apps, schema_editor):
    ensure_permissions_exist(apps, schema_editor)
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    # accounts 0002_roles creates the group; make it if an admin has removed it since, because
    # without a Safeguarding lead nobody can see a disclosure.
    group, _created = Group.objects.using(db).get_or_create(name=SAFEGUARDING_LEADS)
    group.permissions.add(*_permissions(apps, db))


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(db).filter(name=SAFEGUARDING_LEADS).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, db))


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_safeguarding"),
        ("accounts", "0003_remove_wagtail_default_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
