"""Self sign-up is for Youth Forum members aged 13 and over, by age band only."""

import re

import pytest
from allauth.account.forms import SignupForm
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from youthforum.accounts import roles
from youthforum.accounts.models import AgeBand, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-unusual-passphrase-42"


def sign_up(client, *, age_band, email="sam@example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "age_band": age_band,
            "email": email,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )


def test_under_13_is_kindly_told_they_can_still_have_their_say_and_gets_no_account(client, home):
    response = sign_up(client, age_band=AgeBand.UNDER_13)

    html = response.content.decode()
    assert response.status_code == 200
    assert "You can still have your say" in html
    assert "You can still answer our consultations without an account" in html
    assert not User.objects.exists()
    assert mail.outbox == []


def test_13_to_15_gets_an_unverified_member_account_and_a_verification_email(client, home):
    response = sign_up(client, age_band=AgeBand.AGE_13_15, email="Sam@Example.org")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get()
    assert user.email == "sam@example.org"
    assert user.age_band == AgeBand.AGE_13_15
    assert list(user.groups.values_list("name", flat=True)) == [roles.MEMBERS]
    assert EmailAddress.objects.filter(user=user, verified=False).count() == 1
    # Not signed in until the email address is confirmed.
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["sam@example.org"]
    assert "/accounts/confirm-email/" in mail.outbox[0].body


def test_following_the_verification_link_confirms_the_email_and_signs_in(client, home):
    sign_up(client, age_band=AgeBand.AGE_16_18)
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+/)", mail.outbox[0].body)[1]

    page = client.get(link)
    assert "Confirm your email address" in page.content.decode()
    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get().verified
    assert client.session["_auth_user_id"] == str(User.objects.get().pk)


def test_sign_up_needs_an_age_band(client, home):
    response = client.post(
        reverse("account_signup"),
        {"email": "sam@example.org", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    html = response.content.decode()
    assert "There is a problem" in html
    assert '<a href="#id_age_band_0">Choose your age group.</a>' in html
    assert not User.objects.exists()


def test_sign_up_form_has_no_username_and_asks_age_band_never_date_of_birth(client, home):
    form = SignupForm()

    assert "username" not in form.fields
    assert list(form.fields) == ["age_band", "email", "password1", "password2"]
    assert not any(
        "birth" in field.name or "dob" in field.name for field in User._meta.get_fields()
    )

    html = client.get(reverse("account_signup")).content.decode()
    assert 'name="username"' not in html
    assert 'type="date"' not in html
    assert "never your date of birth" in html


def test_age_band_is_a_set_of_radio_buttons_in_a_fieldset_with_a_legend(client, home):
    html = client.get(reverse("account_signup")).content.decode()

    fieldset = html[html.index("<fieldset") : html.index("</fieldset>")]
    assert '<legend class="fieldset__legend">How old are you?</legend>' in fieldset
    assert 'aria-describedby="id_age_band_helptext"' in fieldset
    for value, label in AgeBand.choices:
        assert f'type="radio" name="age_band" value="{value}"' in fieldset
        assert f">{label}</label>" in fieldset
