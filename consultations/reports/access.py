"""Who may read reports: Executive partners, Facilitators and admins, with a second factor.

The second factor is enforced for every path under ``/reports/`` by
``youthforum.accounts.middleware.StaffSecondFactorMiddleware`` (the prefix is in
``YOUTHVOICE_STAFF_PATH_PREFIXES``); this decorator checks the role.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from youthforum.accounts.roles import can_view_reports


def reports_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
