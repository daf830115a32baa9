"""How allauth behaves for Youth Voice."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from .roles import is_staff_user


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Staff go to the Wagtail admin after signing in; members go to the page they came from."""
        if is_staff_user(request.user):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)
