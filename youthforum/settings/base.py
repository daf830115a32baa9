"""Settings shared by every environment.

Everything that differs between a laptop and production is read from environment variables
here (see README "Configuration"); ``dev``, ``test`` and ``production`` are thin overlays.
"""

import os
from pathlib import Path

import dj_database_url

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = env("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "youthforum.core",
    "youthforum.accounts",
    "youthforum.news",
    "youthforum.films",
    "youthforum.events",
    "youthforum.demo",
    "consultations",
    "consultations.safeguarding",
    "consultations.themes",
    "consultations.reports",
    "consultations.commitments",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "youthforum.core.middleware.UnreadableFormBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After MessageMiddleware: it tells staff why they were sent to set up a second factor.
    "youthforum.accounts.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "youthforum.core.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "youthforum.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "youthforum.accounts.context_processors.user_roles",
            ],
        },
    },
]

WSGI_APPLICATION = "youthforum.wsgi.application"

# Database: SQLite next to manage.py unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: local memory by default; Redis when REDIS_URL is set (shared by every web process,
# which the sign-in rate limits and later the consultation rate limit rely on).
if env("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env("REDIS_URL"),
            "KEY_PREFIX": "youthvoice",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Tasks (the Django Tasks API, through django-tasks): run at once in the calling process by
# default. In production set TASKS_BACKEND=django_tasks_db.DatabaseBackend and run
# `manage.py db_worker` processes (README "Deploying"). Neither schedules anything: periodic jobs
# such as purge_expired_responses are started by cron or a systemd timer.
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# Accounts: email is the login; allauth does sign-in, sign-up, verification, reset and MFA.
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_CLASS = "youthforum.accounts.forms.MemberSignupForm"
ACCOUNT_ADAPTER = "youthforum.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_PREVENT_ENUMERATION = True
# allauth's own rate limits (sign-in failures, sign-up, resets...) use the cache above. Written
# amount/period/per, period in s, m, h or d, per "ip" (an address) or "key" (the account typed);
# several limits, comma-separated, all apply. Sign-in failures are limited strictly per account
# and generously per address: a whole school shares one address, and one class's mistakes must
# not lock everyone else there out. Behind a proxy, set CLIENT_IP_HEADER (accounts/adapter.py).
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "300/h/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env("MFA_TOTP_ISSUER", "Youth Voice")

# Staff (anyone with a permission: accounts/roles.py is_staff_user) must have used their second
# factor in this very session before they reach the Wagtail admin or any staff page
# (accounts/middleware.py). Only dev.py may switch this off, for a local demo, and only when
# asked to explicitly (YOUTHVOICE_STAFF_MFA=off).
YOUTHVOICE_STAFF_MFA_REQUIRED = True
# Paths, besides the Wagtail admin, that only staff use; later apps add their prefixes here.
YOUTHVOICE_STAFF_PATH_PREFIXES = ["/admin/", "/django-admin/", "/reports/"]


# Consultations: how many answer forms one client may send in a window (count/seconds), shared
# by everyone behind one address (a school network), so generous. "off" switches it off.
def _rate_limit(value: str) -> tuple[int, int] | None:
    return None if value == "off" else tuple(int(part) for part in value.split("/"))


YOUTHVOICE_ANSWER_RATE_LIMIT = _rate_limit(env("ANSWER_RATE_LIMIT", "60/600"))
# Small numbers: every breakdown in reports, PDFs and spreadsheets hides counts under this, and a
# filtered report of fewer young people than this shows nothing but the count.
YOUTHVOICE_SUPPRESSION_THRESHOLD = int(env("SUPPRESSION_THRESHOLD", "10"))
# Published results for young people show no word fewer of them than this used: a word only one
# or two people wrote (a nickname, a street) may say who wrote it. Staff clouds show every word.
YOUTHVOICE_PUBLIC_WORD_MIN_ANSWERS = int(env("PUBLIC_WORD_MIN_ANSWERS", "5"))
# A report PDF of a consultation with more responses than this is built by a task (a db_worker in
# production) while the Executive partner watches a progress page, rather than in the request.
YOUTHVOICE_REPORT_PDF_TASK_THRESHOLD = int(env("REPORT_PDF_TASK_THRESHOLD", "20000"))
# "Does this answer what you said?" on /you-said-we-did/: answers per client per window, on top
# of one answer per commitment per browser session.
YOUTHVOICE_FEEDBACK_RATE_LIMIT = _rate_limit(env("FEEDBACK_RATE_LIMIT", "30/600"))
# "See what happened next" (/your-reference/): reference lookups per client per window, found or
# not, so nobody can find references by trying lots of them.
YOUTHVOICE_REFERENCE_RATE_LIMIT = _rate_limit(env("REFERENCE_RATE_LIMIT", "10/600"))
# The header a trusted proxy puts the client address in, e.g. HTTP_X_FORWARDED_FOR; unset means
# REMOTE_ADDR. Used only to rate-limit, through a keyed hash kept in the cache, never stored.
YOUTHVOICE_CLIENT_IP_HEADER = env("CLIENT_IP_HEADER")

# Safeguarding queue (consultations.safeguarding.deadlines): a concern still open after its
# deadline is shown as overdue. Urgent concerns are due URGENT_DEADLINE_MINUTES after they are
# raised, by the clock, day and night. Other concerns are due in working hours per severity;
# working hours are (start, end) on the wall clock of TIME_ZONE, so they follow British Summer
# Time; working days are weekday numbers, Monday 0 to Sunday 6, less the bank holidays below.
# Change these here or in an overlay, e.g. {"concern": 16}.
YOUTHVOICE_SAFEGUARDING_DEADLINES = {"concern": 8}
YOUTHVOICE_WORKING_HOURS = ("09:00", "17:00")
YOUTHVOICE_WORKING_DAYS = (0, 1, 2, 3, 4)
# Whole minutes, 0 or more; checked (with a clear error) when the site starts.
YOUTHVOICE_URGENT_DEADLINE_MINUTES = env("URGENT_DEADLINE_MINUTES", "60")
# Days that are not working days, YYYY-MM-DD. BANK_HOLIDAYS (comma-separated) replaces the list.
# UPDATE EVERY YEAR: these are England and Wales's bank holidays for 2026 and 2027 (gov.uk's
# list); add the next year's before it starts, and Scotland's or Northern Ireland's instead
# where the partnership works there. A year missing from the list has no bank holidays.
YOUTHVOICE_BANK_HOLIDAYS = env_list(
    "BANK_HOLIDAYS",
    ",".join(
        [
            # 2026
            "2026-01-01",  # New Year's Day
            "2026-04-03",  # Good Friday
            "2026-04-06",  # Easter Monday
            "2026-05-04",  # Early May bank holiday
            "2026-05-25",  # Spring bank holiday
            "2026-08-31",  # Summer bank holiday
            "2026-12-25",  # Christmas Day
            "2026-12-28",  # Boxing Day (substitute day)
            # 2027
            "2027-01-01",  # New Year's Day
            "2027-03-26",  # Good Friday
            "2027-03-29",  # Easter Monday
            "2027-05-03",  # Early May bank holiday
            "2027-05-31",  # Spring bank holiday
            "2027-08-30",  # Summer bank holiday
            "2027-12-27",  # Christmas Day (substitute day)
            "2027-12-28",  # Boxing Day (substitute day)
        ]
    ),
)
# Out of hours (evenings, weekends, bank holidays) an urgent concern is also emailed here, e.g.
# the Emergency Duty Team's shared inbox; blank sends it to the Safeguarding leads only.
YOUTHVOICE_SAFEGUARDING_ON_CALL_EMAIL = env("SAFEGUARDING_ON_CALL_EMAIL", "")
# An urgent concern nobody acknowledged by its deadline is escalated to this address, once
# (manage.py escalate_overdue_concerns, every 5 minutes); blank sends it to every Safeguarding
# lead and the on-call address.
YOUTHVOICE_SAFEGUARDING_ESCALATION_EMAIL = env("SAFEGUARDING_ESCALATION_EMAIL", "")

# A young person's "I'd like someone to contact me" request (consultations.safeguarding.
# contact_requests) holds their name or how to reach them: the daily purge deletes it this many
# days after it was made, whatever the answers' own retention. Env CONTACT_REQUEST_DAYS.
YOUTHVOICE_CONTACT_REQUEST_DAYS = int(env("CONTACT_REQUEST_DAYS", "30"))

# Closing the loop (consultations.commitments.reminders): weeks after a consultation closes before
# Facilitators and Executive partners are reminded that its results are not published, or that a
# top theme has no commitment (manage.py send_loop_reminders, daily; each at most weekly).
YOUTHVOICE_LOOP_REMINDER_WEEKS = int(env("LOOP_REMINDER_WEEKS", "12"))

# Demo content and accounts (load_demo). Never allowed under production settings.
YOUTHVOICE_DEMO_ALLOWED = True
DEMO_PASSWORD = env("DEMO_PASSWORD", "youthvoice-demo")

# Email: console in development, SMTP from EMAIL_URL-style variables in production.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Youth Voice <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation: British English, UK time.
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# Static and media files. Whitenoise serves static files from the web process.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATIC_URL = "/static/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "/media/"
# Files that hold answers (report downloads, uploaded imports) live here, outside MEDIA_ROOT, and
# are served only by permission-checked views (youthforum/core/storage.py). Never serve it.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "youthforum.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Uploads. Django streams an uploaded file to a temporary file once it is over
# FILE_UPLOAD_MAX_MEMORY_SIZE, and DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) counts only a form's other
# fields (youthforum.core.middleware.UnreadableFormBodyMiddleware keeps it so), so each kind of
# upload limits its files itself: YOUTHVOICE_IMPORT_MAX_BYTES for a file of answers to import
# (docs/imports.md), WAGTAILDOCS_MAX_UPLOAD_SIZE (below) for documents. No request may be larger
# than the largest of them plus a megabyte for the rest of the form: set the proxy's limit
# (nginx: client_max_body_size 11m) to YOUTHVOICE_MAX_REQUEST_BYTES.
YOUTHVOICE_IMPORT_MAX_BYTES = 5 * 1024 * 1024
YOUTHVOICE_MAX_REQUEST_BYTES = 11 * 1024 * 1024

# Privacy: only the session and CSRF cookies. Messages live in the session, not a cookie.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_NAME = "django_language"  # never set: the site has one language

# Security headers. Production turns on HTTPS-only settings through production.py.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4). No inline scripts or styles on the public site.
# Videos play from the privacy-enhanced YouTube and Vimeo players, and only after a click.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# The Wagtail admin still needs inline scripts and styles (see docs/decisions/0003).
YOUTHVOICE_ADMIN_CSP_RELAXATIONS = {
    "script-src": ["'unsafe-inline'", "'unsafe-eval'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["blob:"],
}

# Logging: everything to stdout, messages only. Request bodies (answers, passwords) are never
# logged: Django's request logger records the path and status, not the body.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.security.DisallowedHost": {
            "handlers": ["stdout"],
            "level": "ERROR",
            "propagate": False,
        },
    },
}

# Wagtail
WAGTAIL_SITE_NAME = env("WAGTAIL_SITE_NAME", "Youth Voice")
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
# Passwords are managed by allauth (with its reset flow and MFA), not the Wagtail admin.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = True
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no third-party requests from the admin either
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILEMBEDS_FINDERS = [
    {"class": "youthforum.films.embeds.PrivacyEnhancedVideoFinder"},
]
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024  # see YOUTHVOICE_MAX_REQUEST_BYTES
# Every document is streamed by Wagtail's serve view, which enforces its collection's view
# restrictions; never a link or redirect to the raw file under MEDIA_ROOT/documents/, which is not
# served (youthforum/core/media.py).
WAGTAILDOCS_SERVE_METHOD = "serve_view"
