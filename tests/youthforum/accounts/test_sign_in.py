"""Signing in through allauth: passwords, the second factor, rate limits and password resets."""

import re
import time
from types import SimpleNamespace

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp_auth
from django.core import mail
from django.urls import reverse

from youthforum.accounts import roles
from youthforum.settings import base as base_settings

from .support import PASSWORD, add_totp, make_user, sign_in, totp_code

pytestmark = pytest.mark.django_db


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_member_signs_in_with_email_and_password(client, home):
    member = make_user(roles=[roles.MEMBERS])

    response = sign_in(client, member)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(member.pk)


def test_wrong_password_is_refused_with_a_message(client, home):
    member = make_user(roles=[roles.MEMBERS])

    response = sign_in(client, member, password="not-my-password")

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert "There is a problem" in response.content.decode()


def test_staff_with_authenticator_is_asked_for_a_code_then_lands_in_the_admin(client, home):
    facilitator = make_user(roles=[roles.FACILITATORS])
    secret = add_totp(facilitator)

    response = sign_in(client, facilitator)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    assert "Enter your security code" in client.get(response["Location"]).content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert signed_in_user_id(client) == str(facilitator.pk)
    assert client.get(response["Location"]).status_code == 200


def test_wrong_authenticator_code_is_refused(client, home):
    facilitator = make_user(roles=[roles.FACILITATORS])
    secret = add_totp(facilitator)
    sign_in(client, facilitator)
    wrong_code = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong_code})

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert 'class="error-message"' in response.content.decode()
    assert client.get(reverse("wagtailadmin_home")).status_code == 302


@pytest.fixture
def clock_moves_on(monkeypatch):
    """Moves the clock allauth checks codes by one code period on, when called.

    A code can be used only once, so a second code in one test must be the app's next one.
    """

    def move_on():
        later = SimpleNamespace(time=lambda: time.time() + mfa_settings.TOTP_PERIOD)
        monkeypatch.setattr(totp_auth, "time", later)

    return move_on


def test_staff_who_signed_in_before_enrolling_enrol_then_are_asked_for_a_code_then_get_in(
    client, home, clock_moves_on
):
    lead = make_user(roles=[roles.SAFEGUARDING_LEADS])

    response = sign_in(client, lead)
    assert response["Location"] == reverse("wagtailadmin_home")
    response = client.get(response["Location"])
    assert response["Location"] == f"{reverse('mfa_activate_totp')}?next=%2Fadmin%2F"

    activate_url = response["Location"]
    # allauth asks for the password again before a second factor is added.
    response = client.get(activate_url)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == activate_url

    page = client.get(activate_url)
    html = page.content.decode()
    assert page.status_code == 200
    # The QR code is an inline SVG image, which the Content-Security-Policy allows (img-src data:).
    assert 'src="data:image/svg+xml;base64,' in html
    assert "data:" in page["Content-Security-Policy"].split("img-src")[1].split(";")[0]
    secret = page.context["form"].secret
    assert f'<code class="secret" id="authenticator_secret">{secret}</code>' in html

    response = client.post(activate_url, {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=lead, type=Authenticator.Type.TOTP).exists()
    # allauth shows the new recovery codes to the session that set the app up.
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert client.get(response["Location"]).status_code == 200

    # This session signed in with a password alone: the admin asks for a code from the app.
    response = client.get(reverse("wagtailadmin_home"))
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"
    assert "Enter a code" in client.get(response["Location"]).content.decode()

    clock_moves_on()
    response = client.post(response["Location"], {"code": totp_code(secret, periods_later=1)})

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_staff_session_made_without_the_second_factor_gets_in_after_a_code(client, home):
    """A session from before the rule, or made any other way, is asked for a code once."""
    executive = make_user(roles=[roles.EXECUTIVE_PARTNERS])
    secret = add_totp(executive)
    client.force_login(executive)

    response = client.get("/reports/?tab=all")
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Freports%2F%3Ftab%3Dall"
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    assert client.post(response["Location"], {"code": wrong}).status_code == 200
    assert client.get("/reports/")["Location"].startswith(reverse("mfa_reauthenticate"))

    response = client.post(response["Location"], {"code": totp_code(secret)})

    assert response["Location"] == "/reports/?tab=all"
    assert client.get("/reports/").status_code == 200
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_a_password_alone_at_the_reauthentication_step_does_not_let_staff_in(client, home):
    facilitator = make_user(roles=[roles.FACILITATORS])
    add_totp(facilitator)
    client.force_login(facilitator)

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    assert client.get(reverse("wagtailadmin_home"))["Location"].startswith(
        reverse("mfa_reauthenticate")
    )


def test_sign_in_attempts_are_rate_limited(client, home, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    member = make_user(roles=[roles.MEMBERS])
    for _attempt in range(3):
        assert sign_in(client, member, password="guess").status_code == 200

    response = sign_in(client, member)

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert "Too many failed login attempts. Try again later." in response.content.decode()


TOO_MANY = "Too many failed login attempts. Try again later."


@pytest.fixture
def shipped_rate_limits(settings):
    """The sign-in limits every profile ships with (test.py switches them off)."""
    settings.ACCOUNT_RATE_LIMITS = base_settings.ACCOUNT_RATE_LIMITS


def test_wrong_passwords_from_one_school_network_do_not_lock_out_everyone_there(
    client, home, shipped_rate_limits
):
    school = {"REMOTE_ADDR": "198.51.100.7"}
    for _pupil in range(11):
        response = sign_in(client, make_user(roles=[roles.MEMBERS]), password="guess", **school)
        assert TOO_MANY not in response.content.decode()
    twelfth = make_user(roles=[roles.MEMBERS])

    response = sign_in(client, twelfth, **school)

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(twelfth.pk)


def test_six_wrong_passwords_lock_that_account_whatever_address_they_come_from(
    client, home, shipped_rate_limits
):
    member = make_user(roles=[roles.MEMBERS])
    for attempt in range(6):
        sign_in(client, member, password="guess", REMOTE_ADDR=f"203.0.113.{attempt + 1}")

    response = sign_in(client, member, REMOTE_ADDR="192.0.2.50")

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert TOO_MANY in response.content.decode()
    # Only that account: someone else signs in from the same address.
    other = make_user(roles=[roles.MEMBERS])
    assert sign_in(client, other, REMOTE_ADDR="192.0.2.50").status_code == 302


def test_behind_a_proxy_the_limit_counts_each_client_address(client, home, settings):
    """With CLIENT_IP_HEADER set, allauth counts the address the proxy saw, not the proxy's own."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "2/m/ip"}
    settings.YOUTHVOICE_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _attempt in range(2):
        sign_in(
            client,
            make_user(),
            password="guess",
            HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7",
            **proxy,
        )
    refused = sign_in(client, make_user(), HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7", **proxy)
    someone_else = make_user()
    allowed = sign_in(client, someone_else, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)

    # The first address is whatever the client sent: changing it does not escape the limit.
    assert TOO_MANY in refused.content.decode()
    assert allowed.status_code == 302


def test_password_reset_sends_a_link_that_lets_you_choose_a_new_password(client, home):
    member = make_user(roles=[roles.MEMBERS])

    response = client.post(reverse("account_reset_password"), {"email": member.email})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link

    form_page = client.get(link.group(1), follow=True)
    assert "Make a new password" in form_page.content.decode()
    new_password = "a-brand-new-long-passphrase"
    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password}
    )

    assert response.status_code == 302
    assert "Your password has been changed" in client.get(response["Location"]).content.decode()
    member.refresh_from_db()
    assert member.check_password(new_password)
    assert not member.check_password(PASSWORD)
