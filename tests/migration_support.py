"""Moving the test database to an earlier migration and back, for tests of data migrations.

Use only in ``django_db(transaction=True, serialized_rollback=True)`` tests: schema changes
cannot run inside a test's transaction on SQLite, and without the serialized rollback the flush
afterwards remakes the role groups under new ids, which the next serialized test then collides
with on PostgreSQL. Always go back to ``latest()`` in a ``finally``.
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

#: Just before safeguarding, theme coding, report exports and commitments left ``consultations``
#: for their own apps: every model and content type is labelled ``consultations`` again.
BEFORE_THE_SPLIT = [
    ("consultations", "0011_import_jobs"),
    ("safeguarding", None),
    ("themes", None),
    ("reports", None),
    ("commitments", None),
]


def migrate(targets):
    """Migrate to ``targets``; returns the historical apps there (for models the code has moved)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    if targets == latest():
        # Warm the cache again: restoring the serialized database after the test must not make
        # content types on a cache miss before their own rows are restored.
        ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)
    nodes = [target for target in targets if target[1] is not None]
    return executor.loader.project_state(nodes).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
