"""Extra questions on the Youth Forum sign-up form."""

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .models import AgeBand
from .roles import MEMBERS

UNDER_13_MESSAGE = _(
    "You need to be 13 or over to have a Youth Forum account. You can still answer our "
    "consultations without an account: you do not need to sign up to have your say."
)


class MemberSignupForm(forms.Form):
    """Asks for an age band, never a date of birth, and turns away under-13s kindly.

    allauth adds the email and password fields and calls ``signup()`` once the account exists.
    """

    # Ask the age group first, so that under-13s find out before typing anything else.
    field_order = ["age_band", "email", "password1", "password2"]

    age_band = forms.ChoiceField(
        label=_("How old are you?"),
        choices=AgeBand.choices,
        widget=forms.RadioSelect,
        help_text=_("We only ask for your age group, never your date of birth."),
        error_messages={"required": _("Choose your age group.")},
    )

    def clean_age_band(self):
        age_band = self.cleaned_data["age_band"]
        if age_band == AgeBand.UNDER_13:
            raise forms.ValidationError(UNDER_13_MESSAGE, code="under_13")
        return age_band

    def signup(self, request, user):
        user.age_band = self.cleaned_data["age_band"]
        user.save(update_fields=["age_band"])
        members, _created = Group.objects.get_or_create(name=MEMBERS)
        user.groups.add(members)
