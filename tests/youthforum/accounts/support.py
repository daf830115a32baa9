"""People to sign in as, and authenticator codes computed the way allauth checks them."""

import time

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from tests.factories import UserFactory

# The password UserFactory gives everyone.
PASSWORD = "correct-horse-battery"


def with_verified_email(user):
    """allauth signs in only people whose email address is verified (ACCOUNT_EMAIL_VERIFICATION)."""
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def make_user(*, roles=(), verified=True, **attrs):
    user = UserFactory(roles=list(roles), **attrs)
    return with_verified_email(user) if verified else user


def add_totp(user) -> str:
    """Give the user an authenticator app, as allauth's activation does; returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now.

    allauth allows no clock drift by default, so wait out the last seconds of a period rather
    than hand over a code that may expire before the request is made.
    """
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def sign_in(client, user, password=PASSWORD, **extra):
    """Sign in through allauth's own form, so the session records a real sign-in."""
    return client.post("/accounts/login/", {"login": user.email, "password": password, **extra})
