"""Who reaches the Wagtail admin, and that staff need a second factor used in this session."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from youthforum.accounts import roles

from .support import PASSWORD, add_totp, make_user, sign_in_with_second_factor

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
def test_staff_who_used_their_second_factor_in_this_session_reach_the_dashboard(
    client, home, attrs
):
    sign_in_with_second_factor(client, make_user(**attrs))

    assert is_dashboard(client.get(ADMIN))


@pytest.mark.parametrize("attrs", STAFF)
def test_staff_whose_session_has_not_used_their_authenticator_are_asked_for_a_code(
    client, home, attrs
):
    """Having an authenticator is not enough: this session must have used it."""
    user = make_user(**attrs)
    add_totp(user)
    client.force_login(user)

    for url in (ADMIN, reverse("wagtailadmin_explore_root"), "/reports/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(f"{reverse('mfa_reauthenticate')}?next="), url


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
    sign_in_with_second_factor(client, make_user(roles=[roles.FACILITATORS]))

    response = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))

    assert response.status_code == 200


@pytest.mark.parametrize("role", [roles.SAFEGUARDING_LEADS, roles.EXECUTIVE_PARTNERS])
def test_safeguarding_leads_and_executive_partners_may_not_edit_pages(client, home, role):
    sign_in_with_second_factor(client, make_user(roles=[role]))

    response = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk]))

    assert response.status_code != 200
    assert "wagtailadmin/pages/edit.html" not in {t.name for t in response.templates}


def with_permissions(user, *perms):
    user.user_permissions.add(
        *(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in (perm.split(".") for perm in perms)
        )
    )
    return type(user).objects.get(pk=user.pk)


STAFF_BY_PERMISSION = [
    pytest.param(lambda: make_user(is_staff=True), id="is_staff-flag"),
    pytest.param(
        lambda: with_permissions(make_user(), "wagtailadmin.access_admin"), id="access_admin-only"
    ),
    pytest.param(
        lambda: with_permissions(make_user(), "consultations.view_response"),
        id="one-model-permission",
    ),
    pytest.param(
        lambda: with_permissions(make_user(roles=[roles.MEMBERS]), "consultations.view_response"),
        id="member-with-a-permission",
    ),
]


@pytest.mark.parametrize("make", STAFF_BY_PERMISSION)
def test_anyone_with_a_permission_is_staff_and_needs_a_second_factor(client, home, make):
    user = make()
    assert roles.is_staff_user(user)
    client.force_login(user)

    response = client.get("/reports/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_group_of_any_name_that_gives_the_admin_makes_its_members_staff(client, home):
    """Staff is decided by permissions, not by the names of the role groups."""
    group = Group.objects.create(name="Youth workers (new team)")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = make_user()
    user.groups.add(group)
    add_totp(user)
    client.force_login(user)

    response = client.get(ADMIN)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('mfa_reauthenticate')}?next=%2Fadmin%2F"


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: make_user(roles=[roles.MEMBERS]), id="member"),
        pytest.param(lambda: make_user(), id="no-role"),
    ],
)
def test_people_without_permissions_are_not_staff(make):
    assert not roles.is_staff_user(make())


def test_staff_is_worked_out_once_per_user_object(home, django_assert_num_queries):
    user = make_user(roles=[roles.MEMBERS])
    assert not roles.is_staff_user(user)

    with django_assert_num_queries(0):
        assert not roles.is_staff_user(user)


def test_wagtails_front_end_sign_in_page_is_allauths(client, home):
    """Wagtail's _util/login/ (Django's plain LoginView) sends people to allauth's form."""
    facilitator = make_user(roles=[roles.FACILITATORS])
    add_totp(facilitator)
    url = reverse("wagtailcore_login")

    assert client.get(f"{url}?next=/admin/")["Location"] == "/accounts/login/?next=/admin/"
    response = client.post(url, {"username": facilitator.email, "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session


def test_staff_who_have_not_used_their_second_factor_may_still_sign_out_of_the_admin(client, home):
    user = make_user(roles=[roles.FACILITATORS])
    add_totp(user)
    client.force_login(user)

    client.post(reverse("wagtailadmin_logout"))

    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "name",
    ["mfa_view_recovery_codes", "mfa_download_recovery_codes", "mfa_deactivate_totp", "mfa_index"],
)
def test_a_staff_session_without_the_second_factor_may_not_manage_it(client, home, name):
    """Otherwise a stolen password and such a session could read the recovery codes."""
    user = make_user(roles=[roles.SAFEGUARDING_LEADS])
    add_totp(user)
    client.force_login(user)

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('mfa_reauthenticate')}?next=")


def test_second_factor_pages_stay_open_to_members_and_to_staff_who_used_it(client, home):
    member = make_user(roles=[roles.MEMBERS])
    client.force_login(member)
    assert client.get(reverse("mfa_index")).status_code == 200

    sign_in_with_second_factor(client, make_user(roles=[roles.FACILITATORS]))
    assert client.get(reverse("mfa_index")).status_code == 200
