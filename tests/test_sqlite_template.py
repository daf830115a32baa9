"""The migrated SQLite database ``make test`` keeps between runs is used only while every
migration is as it was when it was made (tests/sqlite_template/base.py)."""

import sys
from pathlib import Path

from django.db.migrations.loader import MigrationLoader

from tests.sqlite_template.base import migrations_hash


def test_changing_any_migration_changes_the_template_name(monkeypatch):
    loader = MigrationLoader(None, ignore_no_migrations=True)
    migration = loader.disk_migrations["consultations", "0001_initial"]
    changed = Path(sys.modules[type(migration).__module__].__file__)
    before = migrations_hash()
    read_bytes = Path.read_bytes

    def edited(path):
        return read_bytes(path) + (b"# edited" if path == changed else b"")

    monkeypatch.setattr(Path, "read_bytes", edited)
    assert migrations_hash() != before
    monkeypatch.undo()
    assert migrations_hash() == before
