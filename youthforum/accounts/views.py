"""Views allauth does not provide: deleting your own account."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .services import user_delete


@login_required
@reauthentication_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Let a person delete their own account, after confirming their password (allauth reauth)."""
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        user = request.user
        logout(request)
        user_delete(user=user)
        messages.success(request, _("Your account has been deleted."))
        return redirect("/")
    error = request.method == "POST"
    return TemplateResponse(
        request, "account/delete.html", {"error": error}, status=400 if error else 200
    )
