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
