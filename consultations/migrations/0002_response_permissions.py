"""Who may see responses, import paper answers and undo an import.

Facilitators get ``view_response`` (the responses listing, detail and downloads),
``view_importbatch``, ``add_importbatch`` (importing) and ``delete_importbatch`` (undoing).
``export_raw_answers`` (the words people wrote, in downloads) is created but given to no group:
an admin gives it to a person or group on purpose. Going back removes what this added.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FACILITATORS = "Facilitators"
FACILITATOR_PERMISSIONS = [
    ("response", "view_response"),
    ("importbatch", "view_importbatch"),
    ("importbatch", "add_importbatch"),
    ("importbatch", "delete_importbatch"),
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
        for model, codename in FACILITATOR_PERMISSIONS
    ]


def grant(apps, schema_editor):
    ensure_permissions_exist(apps, schema_editor)
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(db).filter(name=FACILITATORS).first()
    if group is not None:
        group.permissions.add(*_permissions(apps, db))


def revoke(apps, schema_editor):
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    group = Group.objects.using(db).filter(name=FACILITATORS).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps, db))


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0001_initial"),
        ("accounts", "0003_remove_wagtail_default_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="response",
            options={
                "ordering": ["-submitted_at", "-pk"],
                "permissions": [("export_raw_answers", "Can download the raw words of answers")],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
