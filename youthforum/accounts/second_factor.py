"""Whether this session has used the second factor, read from allauth's own records.

allauth writes every way a person proves who they are into the session
(``allauth.account.authentication``): ``"password"`` at sign-in, ``"mfa"`` when they type a code
from their authenticator app or a recovery code, at sign-in or when asked again
(``mfa_reauthenticate``). A session made any other way (Django's own login view, ``force_login``,
a session from before this rule) has no ``"mfa"`` record, so it does not count.
"""

from allauth.account.authentication import get_authentication_records
from allauth.core import context
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

from .roles import is_staff_user

# What a staff member must do before a staff page: set up an authenticator, or use it again.
ENROL = "enrol"
REAUTHENTICATE = "reauthenticate"

# Set when this session added the person's authenticator: allauth then shows the new recovery
# codes, which such a session may see although it has not yet been asked for a code.
ENROLLED_SESSION_KEY = "youthvoice_enrolled_authenticator_user"


def used_second_factor(request) -> bool:
    """True when the person signed in to this session has used their second factor in it."""
    return any(
        record.get("method") == "mfa"
        for record in get_authentication_records(request, request.user)
    )


def second_factor_step(request) -> str | None:
    """``ENROL``, ``REAUTHENTICATE`` or None (nothing to do) before a staff page.

    None for anyone who is not staff, and for everyone when ``YOUTHVOICE_STAFF_MFA_REQUIRED`` is
    off (only ``dev.py`` may switch it off).
    """
    user = request.user
    if not settings.YOUTHVOICE_STAFF_MFA_REQUIRED or not is_staff_user(user):
        return None
    if not is_mfa_enabled(user):
        return ENROL
    if not used_second_factor(request):
        return REAUTHENTICATE
    return None


def enrolled_in_this_session(request) -> bool:
    user = request.user
    return user.is_authenticated and request.session.get(ENROLLED_SESSION_KEY) == str(user.pk)


def remember_enrolment(sender, instance, created, **kwargs) -> None:
    """Receives ``post_save`` of allauth's ``Authenticator``: note the session that added it.

    Read from allauth's request context while the row is saved (allauth's own
    ``authenticator_added`` signal waits for the commit, which may come after the session is
    saved). Outside a request, or when someone else's authenticator is saved, nothing is noted.
    """
    request = context.request
    user = getattr(request, "user", None)
    if created and user is not None and user.is_authenticated and user.pk == instance.user_id:
        request.session[ENROLLED_SESSION_KEY] = str(user.pk)
