"""Give Safeguarding leads the safeguarding queue.

"Safeguarding leads" get ``review_safeguarding`` (the queue and the raw words of flagged
answers), ``view_safeguardingconcern`` and ``change_safeguardingconcern``, and
``view_concernnote`` and ``add_concernnote``. Facilitators and Executive partners get none of
them. Going back removes exactly these from the group. The group name is copied from
``youthforum/accounts/roles.py``: a migration must not change when that code does. The group is
made if an admin has removed it, because without a Safeguarding lead nobody can see a disclosure.

What each role may do today is the table in ``youthforum/accounts/roles.py``, applied after every
migrate; this list is the record of what this step gave. The work is done by the one shared
helper, ``youthforum.accounts.permissions``.
"""

from django.db import migrations

from youthforum.accounts.permissions import grant as grant_permissions
from youthforum.accounts.permissions import revoke as revoke_permissions

GRANTS = {
    "Safeguarding leads": [
        "consultations.review_safeguarding",
        "consultations.view_safeguardingconcern",
        "consultations.change_safeguardingconcern",
        "consultations.view_concernnote",
        "consultations.add_concernnote",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, schema_editor.connection.alias, GRANTS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, schema_editor.connection.alias, GRANTS)


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0003_safeguarding"),
        ("accounts", "0003_remove_wagtail_default_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
