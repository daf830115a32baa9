"""Give Facilitators codebooks and coding; make the starter "youth voice" codebook.

Facilitators get ``add``/``change``/``delete``/``view_codebook`` (Snippets → Codebooks, copying
the starter), ``add``/``change``/``view_humancoding`` (the coding screen, the blind gold sample of
the quality check, discovery) and ``add``/``view_codingrun`` (seeing and starting re-coding,
and the themed summary). Safeguarding leads, Executive partners and members get none of them.
Going back removes exactly these from the group and deletes the starter codebook.

The starter codebook is read from ``consultations/analysis/data/codebooks/youth_voice.yaml`` as it
is when the migration runs (a reviewable file; the migration keeps working if it changes). The
group name is copied from ``youthforum/accounts/roles.py``: a migration must not change when that
code does.

What each role may do today is the table in ``youthforum/accounts/roles.py``, applied after every
migrate; this list is the record of what this step gave. The work is done by the one shared
helper, ``youthforum.accounts.permissions``.
"""

from pathlib import Path

import yaml
from django.db import migrations

from youthforum.accounts.permissions import grant, revoke

GRANTS = {
    "Facilitators": [
        "consultations.add_codebook",
        "consultations.change_codebook",
        "consultations.delete_codebook",
        "consultations.view_codebook",
        "consultations.add_humancoding",
        "consultations.change_humancoding",
        "consultations.view_humancoding",
        "consultations.add_codingrun",
        "consultations.view_codingrun",
    ],
}
STARTER_FILE = Path(__file__).resolve().parent.parent / "analysis/data/codebooks/youth_voice.yaml"
STARTER_NAME = "Youth voice (starter)"
STARTER_DESCRIPTION = (
    "The themes young people raised with the partnership. Copy it for a consultation and edit "
    "the copy."
)
# Each at least 3:1 against white; the same list as consultations.services.coding.PALETTE.
PALETTE = (
    "#1d70b8",
    "#00703c",
    "#d4351c",
    "#4c2c92",
    "#b14207",
    "#005a59",
    "#912b88",
    "#505a5f",
)


def create_starter(apps, db):
    Codebook = apps.get_model("consultations", "Codebook")
    Theme = apps.get_model("consultations", "Theme")
    if Codebook.objects.using(db).filter(is_starter=True).exists():
        return
    items = yaml.safe_load(STARTER_FILE.read_text(encoding="utf-8"))["themes"]
    codebook = Codebook.objects.using(db).create(
        name=STARTER_NAME, description=STARTER_DESCRIPTION, is_starter=True
    )
    made = {}
    for order, item in enumerate(items):
        made[item["name"]] = Theme.objects.using(db).create(
            codebook=codebook,
            name=item["name"],
            description=(item.get("description") or "").strip(),
            keywords="\n".join(str(k).strip() for k in item.get("keywords") or []),
            colour=PALETTE[order % len(PALETTE)],
            sort_order=order,
        )
    for item in items:
        if item.get("parent"):
            theme = made[item["name"]]
            theme.parent = made[item["parent"]]
            theme.save(update_fields=["parent"])


def forwards(apps, schema_editor):
    db = schema_editor.connection.alias
    grant(apps, db, GRANTS)
    create_starter(apps, db)


def backwards(apps, schema_editor):
    db = schema_editor.connection.alias
    revoke(apps, db, GRANTS)
    apps.get_model("consultations", "Codebook").objects.using(db).filter(is_starter=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0005_analysis_and_coding"),
        ("accounts", "0003_remove_wagtail_default_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
