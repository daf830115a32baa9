"""Every account page is one of the site's pages, with GOV.UK-style forms."""

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from youthforum.accounts import roles

from .support import PASSWORD, add_totp, make_user, sign_in, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


def assert_site_page(response):
    """Drawn inside templates/base.html, with exactly one main heading."""
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="skip-link"' in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert html.count("<h1") == 1
    return html


@pytest.fixture
def reauthenticated(client, home):
    """A signed-in member who has just typed their password again, as sensitive pages ask."""

    def reauthenticate(user):
        client.force_login(user)
        response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        assert response.status_code == 302
        return user

    return reauthenticate


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_email_verification_sent",
    ],
)
def test_sign_in_and_sign_up_pages_use_the_site_layout(client, home, url_name):
    assert_site_page(client.get(reverse(url_name)))


def test_an_expired_email_confirmation_link_says_what_to_do(client, home):
    html = assert_site_page(client.get(reverse("account_confirm_email", args=["not-a-key"])))

    assert "This link does not work any more" in html


@pytest.mark.parametrize(
    "url_name",
    [
        "account_email",
        "account_change_password",
        "account_logout",
        "mfa_index",
        "mfa_activate_totp",
        "account_delete",
    ],
)
def test_account_management_pages_use_the_site_layout_with_the_account_menu(
    client, reauthenticated, url_name
):
    reauthenticated(make_user(roles=[roles.MEMBERS]))

    html = assert_site_page(client.get(reverse(url_name)))

    assert '<nav class="account-nav" aria-label="Your account">' in html
    assert f'<a href="{reverse("account_delete")}"' in html
    assert "Delete your account" in html


@pytest.mark.parametrize(
    "url_name", ["mfa_index", "mfa_view_recovery_codes", "mfa_deactivate_totp"]
)
def test_two_factor_pages_for_staff_with_an_authenticator_use_the_site_layout(
    client, reauthenticated, url_name
):
    facilitator = make_user(roles=[roles.FACILITATORS])
    add_totp(facilitator)
    RecoveryCodes.activate(facilitator)
    reauthenticated(facilitator)
    # Staff manage their second factor only in a session that has used it.
    sign_in_with_second_factor(client, facilitator)

    assert_site_page(client.get(reverse(url_name)))


def test_reauthentication_page_uses_the_site_layout(client, home):
    client.force_login(make_user(roles=[roles.MEMBERS]))

    html = assert_site_page(client.get(reverse("account_reauthenticate")))

    assert "Confirm it is you" in html


def test_second_factor_page_uses_the_site_layout(client, home):
    facilitator = make_user(roles=[roles.FACILITATORS])
    add_totp(facilitator)
    sign_in(client, facilitator)

    html = assert_site_page(client.get(reverse("mfa_authenticate")))

    assert '<label class="label" for="id_code">Security code</label>' in html
    assert 'autocomplete="one-time-code"' in html


def test_form_with_errors_starts_with_a_summary_linking_to_each_field(client, home):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})

    html = assert_site_page(response)
    assert "<title>Error: Sign in" in html
    start = html.index('class="error-summary"')
    summary = html[start : html.index("</ul>", start)]
    assert (
        '<h2 class="error-summary__title" id="error-summary-title">There is a problem</h2>'
        in summary
    )
    assert '<a href="#id_login">' in summary
    assert '<a href="#id_password">' in summary
    # Each field says what is wrong beside it, and is described by its hint and its error.
    assert '<p class="error-message" id="id_login_error">' in html
    assert 'aria-describedby="id_login_error"' in html
    assert 'aria-describedby="id_password_helptext id_password_error"' in html


def test_fields_have_labels_and_no_placeholders(client, home):
    html = client.get(reverse("account_login")).content.decode()

    assert '<label class="label" for="id_login">Email address</label>' in html
    assert '<label class="label" for="id_password">Password</label>' in html
    assert "placeholder=" not in html
