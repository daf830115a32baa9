"""Moving models out of ``consultations`` into their own apps without touching their tables.

Used by the first migration of ``safeguarding``, ``themes``, ``reports`` and ``commitments``: the
tables keep their ``consultations_`` names (each model's ``Meta.db_table``), the migration moves
only Django's idea of where the model lives, and this operation moves the models' content types
with them, so that group permissions, audit log entries and anything else pointing at a content
type keep pointing at the same rows.
"""

from django.db import migrations

OLD_APP = "consultations"


def move_content_types(new_app: str, model_names: list[str]) -> migrations.RunPython:
    """A reversible RunPython relabelling ``consultations.<model>`` content types ``new_app``."""

    def relabel(apps, from_app, to_app):
        content_type = apps.get_model("contenttypes", "ContentType")
        for model in model_names:
            old = content_type.objects.filter(app_label=from_app, model=model).first()
            if old is None:
                continue  # a fresh database: post_migrate creates it under the new label
            # Nothing can have used a content type created for the new label before this runs,
            # except Django itself creating it empty; the old row carries the permissions.
            content_type.objects.filter(app_label=to_app, model=model).delete()
            old.app_label = to_app
            old.save(update_fields=["app_label"])

    def forwards(apps, schema_editor):
        relabel(apps, OLD_APP, new_app)

    def backwards(apps, schema_editor):
        relabel(apps, new_app, OLD_APP)

    return migrations.RunPython(forwards, backwards, elidable=False)
