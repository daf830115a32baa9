"""Reading answers as written needs a permission; give it to Safeguarding leads.

``view_raw_answers`` ("Can read answers as written") shows, on screen, the words as written of
answers a safeguarding concern was raised about; everyone else, everywhere, reads the redacted
words (consultations.services.raw_answers). Safeguarding leads get it, because deciding about a
disclosure needs the words. Facilitators and Executive partners do not. It does not let anyone
download raw words: that stays ``export_raw_answers``, which no role has. Going back removes it
from the group. The group name is copied from ``youthforum/accounts/roles.py``: a migration must
not change when that code does.

What each role may do today is the table in ``youthforum/accounts/roles.py``, applied after every
migrate; this list is the record of what this step gave. The work is done by the one shared
helper, ``youthforum.accounts.permissions``.
"""

from django.db import migrations

from youthforum.accounts.permissions import grant as grant_permissions
from youthforum.accounts.permissions import revoke as revoke_permissions

GRANTS = {"Safeguarding leads": ["consultations.view_raw_answers"]}


def grant(apps, schema_editor):
    grant_permissions(apps, schema_editor.connection.alias, GRANTS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, schema_editor.connection.alias, GRANTS)


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
