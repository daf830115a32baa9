"""Local development: debug on, emails printed to the console, a throwaway secret key."""

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "django-insecure-local-development-only")
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

# Staff need a second factor here too, as in production. For a quick local demo only, it can be
# switched off explicitly with YOUTHVOICE_STAFF_MFA=off (never honoured by production.py).
YOUTHVOICE_STAFF_MFA_REQUIRED = env("YOUTHVOICE_STAFF_MFA", "on").lower() != "off"

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
