"""How allauth behaves for Youth Voice."""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.urls import reverse

from youthforum.core.client_address import client_address

from .roles import is_staff_user


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        """Staff go to the Wagtail admin after signing in; members go to the page they came from."""
        if is_staff_user(request.user):
            return reverse("wagtailadmin_home")
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request):
        """The address allauth's per-address rate limits count by (never stored).

        Behind a proxy every request comes from the proxy, so one address would share a single
        sign-in limit for the whole site. ``YOUTHVOICE_CLIENT_IP_HEADER`` (env ``CLIENT_IP_HEADER``,
        also used by the answer rate limit) names the header the proxy puts the client address
        in, e.g. ``HTTP_X_FORWARDED_FOR``; the last address in it is the one the proxy itself
        saw (earlier ones are whatever the client sent, so cannot be trusted).
        """
        if getattr(settings, "YOUTHVOICE_CLIENT_IP_HEADER", None):
            return client_address(request)
        return super().get_client_ip(request)

    def is_safe_url(self, url):
        """Never send a signed-in person who may not use the admin back to it.

        Wagtail sends such a person to the sign-in page with ``?next=/admin/``; allauth sends
        signed-in people straight on to ``next``, which would bounce between the two forever.
        Refusing ``next`` here sends them to the site instead, with Wagtail's "no permission"
        message.
        """
        user = getattr(context.request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and urlsplit(url).path.startswith(reverse("wagtailadmin_home"))
            and not user.has_perm("wagtailadmin.access_admin")
        ):
            return False
        return super().is_safe_url(url)
