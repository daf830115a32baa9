"""Reading answers as written needs a permission; give it to Safeguarding leads.

``view_raw_answers`` ("Can read answers as written") shows, on screen, the words as written of
answers a safeguarding concern was raised about; everyone else, everywhere, reads the redacted
words (consultations.services.raw_answers). Safeguarding leads get it, because deciding about a
disclosure needs the words. Facilitators and Executive partners do not. It does not let anyone
download raw words: that stays ``export_raw_answers``, which no role has. Going back removes it
from the group. The group name is copied from ``youthforum/accounts/roles.py``: a migration must
not change when that code does.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

SAFEGUARDING_LEADS = "Safeguarding leads"
LEAD_PERMISSIONS = [("response", "view_raw_answers")]


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
    group = Group.objects.using(db).filter(name=SAFEGUARDING_LEADS).first()
    if group is not None:
        group.permissions.add(*_permissions(apps, db))


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(db).filter(name=SAFEGUARDING_LEADS).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, db))


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0009_private_report_files"),
        ("accounts", "0003_remove_wagtail_default_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="response",
            options={
                "ordering": ["-submitted_at", "-pk"],
                "permissions": [
                    ("export_raw_answers", "Can download the raw words of answers"),
                    ("view_raw_answers", "Can read answers as written"),
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
