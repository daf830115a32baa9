"""SQLite for the test suite, its migrated database kept between runs on this machine.

Migrating an empty database takes about 17 seconds here, in every pytest-xdist process of every
run. With this engine (``youthforum.settings.test`` uses it for SQLite when
``YOUTHVOICE_TEST_DB_TEMPLATE`` is not ``0``), the first process to migrate copies the result
into ``.test-db/`` (a *template*, named by a hash of every migration file), and each test database
after that starts as a copy of it, in memory as before. ``post_migrate`` runs on the copy, as
``migrate`` would have run it, so the role table (``youthforum/accounts/roles.py``) and
permissions are always today's. A changed, added or removed migration changes the hash, so the
next run migrates afresh. ``.ci/run`` turns it off, so CI always migrates from nothing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper
from django.db.backends.sqlite3.creation import DatabaseCreation
from django.db.migrations.loader import MigrationLoader

FOLDER = Path(settings.BASE_DIR) / ".test-db"


def migrations_hash() -> str:
    """A hash of every migration file Django would apply, and the engine that reads them."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256(sqlite3.sqlite_version.encode())
    for key in sorted(loader.disk_migrations):
        digest.update(repr(key).encode())
        module = sys.modules[type(loader.disk_migrations[key]).__module__]
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()[:20]


class TemplateCreation(DatabaseCreation):
    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        if not self.is_in_memory_db(self._get_test_db_name()):
            return super().create_test_db(verbosity, autoclobber, serialize, keepdb)
        template = FOLDER / f"{migrations_hash()}.sqlite3"
        if not template.is_file():
            name = super().create_test_db(verbosity, autoclobber, serialize, keepdb)
            self._save_template(template)
            return name
        name = self._create_test_db(verbosity, autoclobber, keepdb)
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        with closing(sqlite3.connect(template)) as source:
            source.backup(self.connection.connection)
        emit_post_migrate_signal(max(verbosity - 1, 0), False, self.connection.alias)
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        call_command("createcachetable", database=self.connection.alias)
        return name

    def _save_template(self, template: Path) -> None:
        """Copy the freshly migrated database to ``template`` (whole, or not at all)."""
        FOLDER.mkdir(exist_ok=True)
        for stale in FOLDER.glob("*.sqlite3"):
            if stale != template:
                stale.unlink(missing_ok=True)
        handle, partial = tempfile.mkstemp(dir=FOLDER, suffix=".partial")
        os.close(handle)
        self.connection.ensure_connection()
        with closing(sqlite3.connect(partial)) as copy:
            self.connection.connection.backup(copy)
        os.replace(partial, template)


class DatabaseWrapper(SQLiteDatabaseWrapper):
    creation_class = TemplateCreation
