"""Remove the "Moderators" and "Editors" groups Wagtail's own migrations create.

Youth Voice's roles are the four groups in ``0002_roles``; two more groups with page-publishing
permissions would be a way to give someone access that no role describes.
"""

from django.db import migrations

WAGTAIL_DEFAULT_GROUPS = ["Moderators", "Editors"]


def remove_default_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_roles")]

    operations = [migrations.RunPython(remove_default_groups, migrations.RunPython.noop)]
