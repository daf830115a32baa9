"""Settings for the benchmark's gunicorn: production settings plus the baseline form page app.

Used only by ``benchmarks/answer_throughput.py``; the project itself never installs the
``benchmarks.baseline`` app (nor ``wagtail.contrib.forms``, which it needs), so the main site has
no benchmark models or tables. Everything else is production's, with the few changes a
loopback-only, plain-HTTP run needs:

- a throwaway ``SECRET_KEY`` and ``ALLOWED_HOSTS`` of 127.0.0.1 (unless the environment sets them);
- no HTTPS redirect and no ``Secure`` cookies: there is no TLS proxy in front on loopback, and an
  HTTP client does not send ``Secure`` cookies back, so the CSRF cookie would never return;
- the answer rate limit off (every client shares 127.0.0.1, and the limit is not what is
  measured).

``DATABASE_URL``, ``DATABASE_CONN_MAX_AGE`` and ``STATIC_ROOT`` come from the environment, which
the script sets.
"""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-never-used-anywhere-else-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "off")
os.environ.setdefault("ANSWER_RATE_LIMIT", "off")

from youthforum.settings.production import *  # noqa: E402, F403
from youthforum.settings.production import INSTALLED_APPS  # noqa: E402

DEBUG = False
# Wagtail's form pages are the baseline the answer form is measured against; the site has none.
INSTALLED_APPS = [*INSTALLED_APPS, "wagtail.contrib.forms", "benchmarks.baseline"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# The benchmark reads nothing from the logs; request lines for thousands of posts only cost time.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"stderr": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}
