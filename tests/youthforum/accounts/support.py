"""People to sign in as, and authenticator codes computed the way allauth checks them."""

import time

from allauth.account.internal.flows.login import record_authentication
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.test import RequestFactory

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


def totp_code(secret: str, *, periods_later: int = 0) -> str:
    """The code an authenticator app shows now (or ``periods_later`` periods from now).

    allauth allows no clock drift by default, so wait out the last seconds of a period rather
    than hand over a code that may expire before the request is made.
    """
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period + periods_later))


def sign_in(client, user, password=PASSWORD, **request_meta):
    """Sign in through allauth's own form, so the session records a real sign-in.

    ``request_meta`` goes into the request, e.g. ``REMOTE_ADDR="198.51.100.7"``.
    """
    return client.post(
        "/accounts/login/", {"login": user.email, "password": password}, **request_meta
    )


def sign_in_with_second_factor(client, user):
    """Sign ``user`` in to ``client`` with a session that has used their second factor.

    For tests about what staff may do, not about signing in (``test_sign_in.py`` goes through
    allauth's real forms): ``force_login``, then the record allauth's MFA step writes into the
    session after a correct code. Gives the user an authenticator app if they have none.
    """
    authenticator = (
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        or TOTP.activate(user, generate_totp_secret()).instance
    )
    client.force_login(user)
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    return user
