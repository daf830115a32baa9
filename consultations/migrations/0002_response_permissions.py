"""Who may see responses, import paper answers and undo an import.

Facilitators get ``view_response`` (the responses listing, detail and downloads),
``view_importbatch``, ``add_importbatch`` (importing) and ``delete_importbatch`` (undoing).
``export_raw_answers`` (the words people wrote, in downloads) is created but given to no group:
an admin gives it to a person or group on purpose. Going back removes what this added.

What each role may do today is the table in ``youthforum/accounts/roles.py``, applied after every
migrate; this list is the record of what this step gave. The work is done by the one shared
helper, ``youthforum.accounts.permissions``.
"""

from django.db import migrations

from youthforum.accounts.permissions import grant as grant_permissions
from youthforum.accounts.permissions import revoke as revoke_permissions

GRANTS = {
    "Facilitators": [
        "consultations.view_response",
        "consultations.view_importbatch",
        "consultations.add_importbatch",
        "consultations.delete_importbatch",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, schema_editor.connection.alias, GRANTS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, schema_editor.connection.alias, GRANTS)


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
