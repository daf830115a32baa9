"""The production profile: security headers, CSP, HTTPS and the rules it will not relax."""

import importlib
import sys

import pytest
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

# Only the security profile is applied; the machine (database, cache, apps) stays as in tests.
PROFILE_PREFIXES = (
    "SECURE_",
    "SESSION_COOKIE_",
    "CSRF_COOKIE_",
    "CONTENT_SECURITY_POLICY",
    "X_FRAME",
    "YOUTHVOICE_",
)


def load_production(monkeypatch, **env):
    monkeypatch.setenv("SECRET_KEY", "x" * 60)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("youthforum.settings.production", None)
    module = importlib.import_module("youthforum.settings.production")
    sys.modules.pop("youthforum.settings.production", None)
    return {
        name: getattr(module, name)
        for name in dir(module)
        if name.startswith(PROFILE_PREFIXES) or name == "DEBUG"
    }


@pytest.fixture
def production(monkeypatch):
    values = load_production(monkeypatch)
    with override_settings(**values):
        yield values


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("SECRET_KEY", raising=False)
    sys.modules.pop("youthforum.settings.production", None)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        importlib.import_module("youthforum.settings.production")
    sys.modules.pop("youthforum.settings.production", None)


def test_production_always_requires_a_second_factor_and_never_allows_demo_accounts(monkeypatch):
    values = load_production(monkeypatch, YOUTHVOICE_STAFF_MFA="off", DEBUG="1")
    assert values["YOUTHVOICE_STAFF_MFA_REQUIRED"] is True
    assert values["YOUTHVOICE_DEMO_ALLOWED"] is False
    assert values["DEBUG"] is False


def test_security_headers_are_sent(production, home):
    response = Client().get("/privacy/", secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


def test_plain_http_is_redirected_to_https_except_the_health_check(production, home):
    response = Client().get("/privacy/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert Client().get("/healthz").status_code == 200


def test_session_and_csrf_cookies_are_secure(production, home):
    client = Client()
    response = client.get("/accounts/login/", secure=True)
    assert response.cookies["csrftoken"]["secure"]
    assert response.cookies["csrftoken"]["samesite"] == "Lax"


def test_the_admin_gets_only_the_relaxations_it_needs(client, home):
    response = client.get("/admin/login/?next=/admin/pages/")
    # Wagtail's own login form is never used: staff sign in through allauth.
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True))
    with override_settings(YOUTHVOICE_STAFF_MFA_REQUIRED=False):
        admin = client.get("/admin/")
    assert admin.status_code == 200
    assert "'unsafe-inline'" in admin["Content-Security-Policy"]
    site = client.get("/")
    assert "unsafe-inline" not in site["Content-Security-Policy"]
