"""Create the role groups with their Wagtail permissions, as they were first given.

What each role may do today is the table in ``youthforum/accounts/roles.py``
(``ROLE_PERMISSIONS``), which is applied after every migrate; the lists here are a record of what
this step gave, and stay as they are. Group names are copied, not imported, so that the record
does not change when that code does. The work is done by the one shared helper,
``youthforum.accounts.permissions.grant``, which reads the historical models it is given.

Running it again (``migrate accounts 0001`` then ``migrate``) adds what is missing and never
duplicates anything; going back removes the four groups and every permission given to them.
"""

from django.db import migrations

from youthforum.accounts.permissions import grant

FACILITATORS = "Facilitators"
SAFEGUARDING_LEADS = "Safeguarding leads"
EXECUTIVE_PARTNERS = "Executive partners"
MEMBERS = "Youth Forum members"
ROLE_GROUPS = (FACILITATORS, SAFEGUARDING_LEADS, EXECUTIVE_PARTNERS, MEMBERS)

# Model-wide permissions.
ACCESS_ADMIN = "wagtailadmin.access_admin"
MODEL_PERMISSIONS = {
    FACILITATORS: [
        ACCESS_ADMIN,
        "core.change_sitesettings",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
    ],
    # The safeguarding queue and the Executive's reports add their own permissions later.
    SAFEGUARDING_LEADS: [ACCESS_ADMIN],
    EXECUTIVE_PARTNERS: [ACCESS_ADMIN],
    MEMBERS: [],
}

# Page permissions on the root page (so on the whole tree).
PAGE_PERMISSIONS = {
    FACILITATORS: [
        f"wagtailcore.{action}_page" for action in ("add", "change", "publish", "lock", "unlock")
    ]
}

# Image and document permissions on the root collection (so on every collection).
COLLECTION_PERMISSIONS = {
    FACILITATORS: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
}


def create_role_groups(apps, schema_editor):
    grant(
        apps,
        schema_editor.connection.alias,
        MODEL_PERMISSIONS,
        pages=PAGE_PERMISSIONS,
        collections=COLLECTION_PERMISSIONS,
    )


def delete_role_groups(apps, schema_editor):
    """Deleting a group also deletes its page and collection permissions and its memberships."""
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLE_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0002_initial"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(create_role_groups, delete_role_groups)]
