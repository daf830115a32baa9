"""Signing in through allauth: passwords, the second factor, rate limits and password resets."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from youthforum.accounts import roles

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


def test_staff_without_authenticator_signs_in_and_sets_one_up_before_the_admin(client, home):
    lead = make_user(roles=[roles.SAFEGUARDING_LEADS])

    response = sign_in(client, lead)
    assert response["Location"] == reverse("wagtailadmin_home")
    response = client.get(response["Location"])
    assert response["Location"].startswith(reverse("mfa_activate_totp"))

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

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert Authenticator.objects.filter(user=lead, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_sign_in_attempts_are_rate_limited(client, home, settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    member = make_user(roles=[roles.MEMBERS])
    for _attempt in range(3):
        assert sign_in(client, member, password="guess").status_code == 200

    response = sign_in(client, member)

    assert response.status_code == 200
    assert signed_in_user_id(client) is None
    assert "Too many failed login attempts. Try again later." in response.content.decode()


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
