"""Moving safeguarding, theme coding, report exports and commitments into their own apps keeps
every row, table and permission: the migrations change Django's state, not the database."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from consultations.themes.models import Codebook
from tests.migration_support import BEFORE_THE_SPLIT, latest, migrate

MOVED_TABLES = {
    "consultations_codebook",
    "consultations_theme",
    "consultations_codingrun",
    "consultations_machinecode",
    "consultations_humancoding",
    "consultations_humancoding_themes",
    "consultations_commitment",
    "consultations_commitmentfeedback",
    "consultations_progressupdate",
    "consultations_reportexport",
    "consultations_safeguardingconcern",
    "consultations_concernnote",
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_and_group_permissions_survive_the_move_and_its_undo():
    try:
        old_apps = migrate(BEFORE_THE_SPLIT)
        old_codebook = old_apps.get_model("consultations", "Codebook")
        old_theme = old_apps.get_model("consultations", "Theme")
        old_content_type = old_apps.get_model("contenttypes", "ContentType")
        old_permission = old_apps.get_model("auth", "Permission")
        old_group = old_apps.get_model("auth", "Group")
        codebook = old_codebook.objects.create(name="Feeling safe themes")
        old_theme.objects.create(codebook=codebook, name="Buses", sort_order=0)
        codebook_type = old_content_type.objects.get(app_label="consultations", model="codebook")
        group = old_group.objects.create(name="Coders")
        group.permissions.add(
            old_permission.objects.get(content_type=codebook_type, codename="change_codebook")
        )

        migrate(latest())

        moved = Codebook.objects.get(pk=codebook.pk)
        assert moved.name == "Feeling safe themes"
        assert [theme.name for theme in moved.themes.all()] == ["Buses"]
        content_type = ContentType.objects.get_for_model(Codebook)
        assert (content_type.pk, content_type.app_label) == (codebook_type.pk, "themes")
        assert not ContentType.objects.filter(app_label="consultations", model="codebook").exists()
        coders = Group.objects.get(name="Coders")
        assert list(coders.permissions.values_list("content_type__app_label", "codename")) == [
            ("themes", "change_codebook")
        ]

        migrate(BEFORE_THE_SPLIT)  # and back: the undo restores the old labels
        assert ContentType.objects.get(pk=codebook_type.pk).app_label == "consultations"
        assert Permission.objects.filter(
            group__name="Coders", content_type__app_label="consultations"
        ).exists()
    finally:
        migrate(latest())


@pytest.mark.django_db
def test_the_moved_models_keep_their_tables():
    tables = set(connection.introspection.table_names())
    assert tables >= MOVED_TABLES
    # No copy under the new app's name (models added to these apps since have their own tables).
    for app in ("safeguarding", "themes", "reports", "commitments"):
        for moved in MOVED_TABLES:
            assert moved.replace("consultations_", f"{app}_", 1) not in tables
