"""Settings for the test suite: fast hashing, local memory cache, plain static files."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-not-for-anything-else-0123456789"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# load_demo generates 2,500 consultation responses; tests that load the demo need only a few.
YOUTHVOICE_DEMO_RESPONSES = 20
YOUTHVOICE_STAFF_MFA_REQUIRED = True
# Tests sign in many times from one address; rate limits get their own tests.
ACCOUNT_RATE_LIMITS = False
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False}

# SQLite test databases start from a migrated copy kept in .test-db/ between runs (tests/
# sqlite_template/base.py); YOUTHVOICE_TEST_DB_TEMPLATE=0 migrates afresh, as .ci/run does.
_database = DATABASES["default"]  # noqa: F405
_template = env("YOUTHVOICE_TEST_DB_TEMPLATE", "1") != "0"  # noqa: F405
if _template and _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["ENGINE"] = "tests.sqlite_template"
    # In memory, as Django's own SQLite engine is tested (pytest-xdist's per-process suffix
    # knows that engine by name only).
    _database.setdefault("TEST", {})["NAME"] = ":memory:"
