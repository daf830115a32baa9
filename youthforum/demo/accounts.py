"""Demo accounts: one per role, a shared password and one shared, published TOTP secret.

These exist only where ``load_demo`` has run, which production settings refuse. The password is
``settings.DEMO_PASSWORD`` (environment variable ``DEMO_PASSWORD``, default ``youthvoice-demo``).

Staff sign in with a second factor. So that a newcomer can try that, every demo staff account
uses the same TOTP secret, :data:`DEMO_TOTP_SECRET`: add it to any authenticator app (TOTP,
SHA-1, 6 digits, 30 seconds), or run ``python manage.py demo_totp`` for the current code.
It is public, so it is as good as no second factor: never reuse it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt, encrypt
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.contrib.auth.models import Group

from youthforum.accounts.models import AgeBand, User
from youthforum.accounts.roles import (
    EXECUTIVE_PARTNERS,
    FACILITATORS,
    MEMBERS,
    SAFEGUARDING_LEADS,
)

#: Base32, 20 bytes. Published on purpose (README, ``load_demo`` output): demo use only.
DEMO_TOTP_SECRET = "YOUTHVOICEDEMOTOTPSECRET234567AB"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    email: str
    first_name: str
    last_name: str
    role: str | None  # a group in youthforum.accounts.roles; None for the superuser
    superuser: bool = False
    age_band: str = ""

    @property
    def is_staff_role(self) -> bool:
        """Staff sign in with a second factor, so they get the demo authenticator."""
        return self.superuser or self.role != MEMBERS

    @property
    def role_label(self) -> str:
        if self.superuser:
            return "admin (superuser)"
        if self.age_band:
            return f"{self.role} (age band {AgeBand(self.age_band).label})"
        return str(self.role)


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("admin@example.org", "Demo", "Admin", None, superuser=True),
    DemoAccount("facilitator@example.org", "Demo", "Facilitator", FACILITATORS),
    DemoAccount("safeguarding@example.org", "Demo", "Safeguarding lead", SAFEGUARDING_LEADS),
    DemoAccount("executive@example.org", "Demo", "Executive partner", EXECUTIVE_PARTNERS),
    DemoAccount("member@example.org", "Demo", "Member", MEMBERS, age_band=AgeBand.AGE_16_18),
)

#: The account that the demo pages are created, revised and published by.
EDITOR_EMAIL = "facilitator@example.org"


def demo_totp_code(*, at: float | None = None) -> str:
    """The 6-digit code for :data:`DEMO_TOTP_SECRET` at ``at`` (a Unix time; now by default).

    Uses allauth's own HOTP functions, so it is the code allauth expects.
    """
    counter = int(time.time() if at is None else at) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))


def _changed(obj, **values) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def demo_password_hash(password: str) -> str:
    """One hash of the demo password, shared by every demo account.

    Hashing is slow on purpose (about half a second each with Django's default hasher), and the
    password is published anyway, so the accounts share one hash: a run hashes or checks it
    once instead of once per account. An existing hash is reused while it still matches.
    """
    emails = [account.email for account in DEMO_ACCOUNTS]
    for encoded in set(User.objects.filter(email__in=emails).values_list("password", flat=True)):
        try:
            up_to_date = not identify_hasher(encoded).must_update(encoded)
        except ValueError:  # unusable or unknown hash
            continue
        if up_to_date and check_password(password, encoded):
            return encoded
    return make_password(password)


def demo_account_upsert(*, account: DemoAccount, password_hash: str) -> User:
    """Create or repair one demo account: profile, password, role, verified email, second factor.

    ``password_hash`` comes from :func:`demo_password_hash`. Only what differs is written, so a
    second run leaves the account exactly as it was.
    """
    attrs = {
        "first_name": account.first_name,
        "last_name": account.last_name,
        "is_active": True,
        "is_staff": account.superuser,
        "is_superuser": account.superuser,
        "age_band": account.age_band,
        "password": password_hash,
    }
    user = User.objects.filter(email__iexact=account.email).first()
    if user is None:
        user = User.objects.create(email=account.email, **attrs)
    elif _changed(user, **attrs):
        user.save()

    groups = [Group.objects.get_or_create(name=account.role)[0]] if account.role else []
    if set(user.groups.all()) != set(groups):
        user.groups.set(groups)

    address = EmailAddress.objects.filter(user=user, email__iexact=account.email).first()
    if address is None:
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        EmailAddress.objects.create(user=user, email=account.email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])

    if account.is_staff_role:
        _demo_authenticators_upsert(user)
    return user


def _demo_authenticators_upsert(user: User) -> None:
    """A TOTP authenticator on the demo secret, and a set of recovery codes.

    allauth has no public service for this outside a request; ``TOTP.activate`` and
    ``RecoveryCodes.activate`` are what its own "activate" flow calls, and they store the secret
    through the MFA adapter's ``encrypt()``, so an adapter that encrypts secrets still works.
    """
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        TOTP.activate(user, DEMO_TOTP_SECRET)
    elif decrypt(totp.data.get("secret", "")) != DEMO_TOTP_SECRET:
        totp.data = {**totp.data, "secret": encrypt(DEMO_TOTP_SECRET)}
        totp.save(update_fields=["data"])
    RecoveryCodes.activate(user)  # returns the existing set when there is one


def demo_accounts_delete() -> int:
    """Delete the demo accounts (and, by cascade, their addresses and authenticators)."""
    users = User.objects.filter(email__in=[account.email for account in DEMO_ACCOUNTS])
    count = users.count()
    users.delete()
    return count
