"""Create the role groups with their Wagtail permissions.

The group names are those in ``youthforum/accounts/roles.py``; they are copied here rather than
imported because a migration must keep working after the code it was written against changes.
Running it again (``migrate accounts 0001`` then ``migrate``) adds what is missing and never
duplicates anything; going back removes the four groups and every permission given to them.
"""

import swapper
from django.contrib.auth.management import create_permissions
from django.db import migrations

FACILITATORS = "Facilitators"
SAFEGUARDING_LEADS = "Safeguarding leads"
EXECUTIVE_PARTNERS = "Executive partners"
MEMBERS = "Youth Forum members"
ROLE_GROUPS = (FACILITATORS, SAFEGUARDING_LEADS, EXECUTIVE_PARTNERS, MEMBERS)

# Model-wide permissions, as (app_label, codename).
ACCESS_ADMIN = ("wagtailadmin", "access_admin")
MODEL_PERMISSIONS = {
    FACILITATORS: [
        ACCESS_ADMIN,
        ("core", "change_sitesettings"),
        ("wagtailredirects", "add_redirect"),
        ("wagtailredirects", "change_redirect"),
        ("wagtailredirects", "delete_redirect"),
    ],
    # The safeguarding queue and the Executive's reports add their own permissions later.
    SAFEGUARDING_LEADS: [ACCESS_ADMIN],
    EXECUTIVE_PARTNERS: [ACCESS_ADMIN],
    MEMBERS: [],
}

# Page permissions on the root page (so on the whole tree), by action.
PAGE_ACTIONS = {FACILITATORS: ["add", "change", "publish", "lock", "unlock"]}

# Image and document permissions on the root collection (so on every collection).
COLLECTION_PERMISSIONS = {
    FACILITATORS: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
    ],
}


def ensure_permissions_exist(apps, schema_editor):
    """Create all permissions now: on a fresh database Django only does so after migrate."""
    for app_config in apps.get_app_configs():
        # Historical app configs have no models module, which create_permissions() checks for.
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, using=schema_editor.connection.alias, apps=apps)
        app_config.models_module = None


def create_role_groups(apps, schema_editor):
    ensure_permissions_exist(apps, schema_editor)
    db = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    page_app_label, page_model_name = swapper.split(swapper.get_model_name("wagtailcore", "Page"))
    Page = apps.get_model(page_app_label, page_model_name)

    def permission(app_label, codename):
        return Permission.objects.using(db).get(
            content_type__app_label=app_label, codename=codename
        )

    root_page = Page.objects.using(db).filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.using(db).filter(depth=1).order_by("path").first()

    for name in ROLE_GROUPS:
        group, _created = Group.objects.using(db).get_or_create(name=name)
        group.permissions.add(*(permission(*key) for key in MODEL_PERMISSIONS[name]))
        for action in PAGE_ACTIONS.get(name, []):
            GroupPagePermission.objects.using(db).get_or_create(
                group=group,
                page=root_page,
                permission=permission(page_app_label, f"{action}_{page_model_name.lower()}"),
            )
        for key in COLLECTION_PERMISSIONS.get(name, []):
            GroupCollectionPermission.objects.using(db).get_or_create(
                group=group, collection=root_collection, permission=permission(*key)
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
