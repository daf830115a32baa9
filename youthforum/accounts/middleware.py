"""Keep staff out of staff areas until they have set up a second factor."""

from urllib.parse import urlencode

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import is_staff_user


def needs_second_factor(user) -> bool:
    """True when the user is staff, the rule is on, and they have no authenticator yet."""
    return (
        settings.YOUTHVOICE_STAFF_MFA_REQUIRED and is_staff_user(user) and not is_mfa_enabled(user)
    )


class StaffSecondFactorMiddleware:
    """Send staff without a second factor to set one up before any staff page.

    Staff pages are the Wagtail admin and every path in ``YOUTHVOICE_STAFF_PATH_PREFIXES``;
    later apps add their own prefixes (``/reports/``, for example) to that setting.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        prefixes = tuple(settings.YOUTHVOICE_STAFF_PATH_PREFIXES)
        if request.path_info.startswith(prefixes) and needs_second_factor(request.user):
            messages.warning(
                request,
                _("Staff must set up two-factor authentication before using staff pages."),
            )
            target = reverse("mfa_activate_totp")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
