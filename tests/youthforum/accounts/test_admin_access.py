"""Who reaches the Wagtail admin, and that staff need a second factor first."""

import pytest
from django.urls import reverse

from youthforum.accounts import roles

from .support import PASSWORD, add_totp, make_user

pytestmark = pytest.mark.django_db

ADMIN = "/admin/"
STAFF = [
    pytest.param({"roles": [roles.FACILITATORS]}, id="facilitator"),
    pytest.param({"roles": [roles.SAFEGUARDING_LEADS]}, id="safeguarding-lead"),
    pytest.param({"roles": [roles.EXECUTIVE_PARTNERS]}, id="executive-partner"),
    pytest.param({"is_superuser": True, "is_staff": True}, id="superuser"),
]


def is_dashboard(response):
    return response.status_code == 200 and "wagtailadmin/home.html" in {
        t.name for t in response.templates
    }


def test_anonymous_visitor_is_sent_to_sign_in(client, home):
    response = client.get(ADMIN)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={ADMIN}"


def test_wagtail_admin_sign_in_form_is_replaced_by_allauth(client, home):
    """No way round the second factor: Wagtail's own sign-in page takes no passwords."""
    facilitator = make_user(roles=[roles.FACILITATORS])
    add_totp(facilitator)

    response = client.post(
        reverse("wagtailadmin_login"), {"username": facilitator.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_member_is_refused_the_admin_and_sent_back_to_the_site(client, home):
    client.force_login(make_user(roles=[roles.MEMBERS]))

    response = client.get(ADMIN, follow=True)

    assert not is_dashboard(response)
    # Not bounced between the admin and the sign-in page, but sent to the home page.
    assert response.redirect_chain[-1][0] == "/"
    assert "You do not have permission to access the admin." in response.content.decode()


def test_person_without_a_role_is_refused_the_admin(client, home):
    client.force_login(make_user())

    response = client.get(ADMIN, follow=True)

    assert not is_dashboard(response)


@pytest.mark.parametrize("attrs", STAFF)
def test_staff_without_second_factor_is_sent_to_set_one_up(client, home, attrs):
    client.force_login(make_user(**attrs))

    response = client.get(ADMIN)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2F"


@pytest.mark.parametrize("attrs", STAFF)
def test_staff_without_second_factor_cannot_reach_any_admin_page(client, home, attrs):
    client.force_login(make_user(**attrs))

    response = client.get(reverse("wagtailadmin_explore_root"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.parametrize("attrs", STAFF)
def test_staff_with_second_factor_reach_the_dashboard(client, home, attrs):
    user = make_user(**attrs)
    add_totp(user)
    client.force_login(user)

    assert is_dashboard(client.get(ADMIN))


@pytest.mark.parametrize("attrs", STAFF)
def test_staff_without_second_factor_get_in_when_the_rule_is_switched_off(
    client, home, settings, attrs
):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False
    client.force_login(make_user(**attrs))

    assert is_dashboard(client.get(ADMIN))


def test_member_with_an_authenticator_is_still_refused_the_admin(client, home):
    member = make_user(roles=[roles.MEMBERS])
    add_totp(member)
    client.force_login(member)

    assert not is_dashboard(client.get(ADMIN, follow=True))


@pytest.mark.parametrize("role", [roles.MEMBERS, roles.FACILITATORS])
def test_public_site_does_not_ask_for_a_second_factor(client, home, role):
    client.force_login(make_user(roles=[role]))

    assert client.get("/").status_code == 200


def test_facilitator_may_edit_pages(client, home):
    facilitator = make_user(roles=[roles.FACILITATORS])
    add_totp(facilitator)
    client.force_login(facilitator)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("role", [roles.SAFEGUARDING_LEADS, roles.EXECUTIVE_PARTNERS])
def test_safeguarding_leads_and_executive_partners_may_not_edit_pages(client, home, role):
    user = make_user(roles=[role])
    add_totp(user)
    client.force_login(user)

    response = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))

    assert response.status_code != 200
    assert "wagtailadmin/pages/edit.html" not in {t.name for t in response.templates}
