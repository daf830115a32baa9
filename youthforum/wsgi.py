"""WSGI entry point, used by gunicorn (see README)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthforum.settings.production")

application = get_wsgi_application()
