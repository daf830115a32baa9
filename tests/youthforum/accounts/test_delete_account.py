"""A person deletes their own account, after confirming their password."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from youthforum.accounts import roles
from youthforum.accounts.models import User

from .support import PASSWORD, make_user

pytestmark = pytest.mark.django_db

DELETE = "/accounts/delete/"


@pytest.fixture
def member_who_confirmed_password(client, home):
    member = make_user(roles=[roles.MEMBERS])
    client.force_login(member)
    response = client.get(DELETE)
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(response["Location"], {"password": PASSWORD})
    return member


def test_deleting_an_account_first_asks_for_the_password_again(client, home):
    member = make_user(roles=[roles.MEMBERS])
    client.force_login(member)

    response = client.post(DELETE, {"confirm": "yes"})

    assert response.status_code == 302
    assert (
        response["Location"] == f"{reverse('account_reauthenticate')}?next=%2Faccounts%2Fdelete%2F"
    )
    assert User.objects.filter(pk=member.pk).exists()


def test_anonymous_visitor_is_sent_to_sign_in_to_delete_an_account(client, home):
    response = client.get(DELETE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_confirm_page_explains_what_happens(client, member_who_confirmed_password):
    response = client.get(DELETE)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "You cannot undo this" in html
    assert '<input type="checkbox" name="confirm" value="yes" id="confirm">' in html


def test_ticking_the_box_deletes_the_account_and_its_email_addresses(
    client, member_who_confirmed_password
):
    member = member_who_confirmed_password

    response = client.post(DELETE, {"confirm": "yes"})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=member.pk).exists()
    assert not EmailAddress.objects.filter(email=member.email).exists()
    assert "_auth_user_id" not in client.session


def test_not_ticking_the_box_keeps_the_account_and_says_why(client, member_who_confirmed_password):
    member = member_who_confirmed_password

    response = client.post(DELETE, {})

    html = response.content.decode()
    assert response.status_code == 400
    assert User.objects.filter(pk=member.pk).exists()
    assert "There is a problem" in html
    assert '<a href="#confirm">Tick the box to show you want to delete your account</a>' in html
    assert 'aria-describedby="confirm_error"' in html
