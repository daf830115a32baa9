"""Keep staff out of staff pages until this session has used their second factor."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .second_factor import (
    ENROL,
    REAUTHENTICATE,
    enrolled_in_this_session,
    second_factor_step,
)

# Staff pages that need no second factor: leaving is always allowed.
OPEN_STAFF_URL_NAMES = ("wagtailadmin_logout",)
# allauth's own pages a person must reach to use their second factor (under /accounts/2fa/).
REAUTHENTICATION_URL_NAMES = ("mfa_authenticate", "mfa_reauthenticate")


def is_staff_path(path: str) -> bool:
    """Paths only staff use (``YOUTHVOICE_STAFF_PATH_PREFIXES``): the admin, reports, downloads."""
    return path.startswith(tuple(settings.YOUTHVOICE_STAFF_PATH_PREFIXES)) and path not in {
        reverse(name) for name in OPEN_STAFF_URL_NAMES
    }


def is_second_factor_settings_path(path: str) -> bool:
    """allauth's pages for managing the second factor (recovery codes, removing an app...).

    Someone holding only a staff password and a session without the second factor (one made
    before this rule, say) could otherwise read the recovery codes, or swap the authenticator for
    their own, and so get past the rule.
    """
    return path.startswith(reverse("mfa_index")) and path not in {
        reverse(name) for name in REAUTHENTICATION_URL_NAMES
    }


class StaffSecondFactorMiddleware:
    """Let staff into staff pages only once this session has used their second factor.

    Staff (``roles.is_staff_user``: anyone with a permission) without an authenticator are sent
    to set one up; staff with one whose session has not used it (they signed in before setting it
    up, or the session was made some other way) are asked for a code again by allauth's
    reauthentication view. Both come back to the page they asked for. A staff session that has
    not used the second factor may not manage it either (except to finish setting it up).

    Staff pages are every path in ``YOUTHVOICE_STAFF_PATH_PREFIXES``; a new staff area adds its
    prefix there. ``YOUTHVOICE_STAFF_MFA_REQUIRED = False`` (dev only) switches the rule off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if is_staff_path(path):
            response = self.second_factor_response(request)
        elif is_second_factor_settings_path(path) and not enrolled_in_this_session(request):
            response = self.second_factor_response(request, steps=(REAUTHENTICATE,))
        else:
            response = None
        return response or self.get_response(request)

    def second_factor_response(self, request, *, steps=(ENROL, REAUTHENTICATE)):
        step = second_factor_step(request)
        if step not in steps:
            return None
        if step == ENROL:
            messages.warning(
                request,
                _("Staff must set up two-factor authentication before using staff pages."),
            )
            target = reverse("mfa_activate_totp")
        else:
            messages.info(
                request,
                _("Enter a code from your authenticator app to carry on."),
            )
            target = reverse("mfa_reauthenticate")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
