"""People, responses and admin form data for the consultations' admin tests."""

import uuid
from datetime import datetime

import pytest
from django import forms
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from consultations.services import RawAnswer, submit_response
from tests.factories import UserFactory
from youthforum.accounts import roles

# Everyone who might ask for a facilitator's view, and whether they may see it.
ROLES = [
    pytest.param(None, False, id="anonymous"),
    pytest.param({"roles": [roles.MEMBERS]}, False, id="member"),
    pytest.param({"roles": [roles.SAFEGUARDING_LEADS]}, False, id="safeguarding-lead"),
    pytest.param({"roles": [roles.EXECUTIVE_PARTNERS]}, False, id="executive-partner"),
    pytest.param({"roles": [roles.FACILITATORS]}, True, id="facilitator"),
    pytest.param({"is_superuser": True, "is_staff": True}, True, id="superuser"),
]

# Everyone who might ask for the Executive's reports (and "You said, we did" in the admin), and
# whether they may: Executive partners, Facilitators and admins.
REPORT_READERS = [
    pytest.param(None, False, id="anonymous"),
    pytest.param({"roles": [roles.MEMBERS]}, False, id="member"),
    pytest.param({"roles": [roles.SAFEGUARDING_LEADS]}, False, id="safeguarding-lead"),
    pytest.param({"roles": [roles.EXECUTIVE_PARTNERS]}, True, id="executive-partner"),
    pytest.param({"roles": [roles.FACILITATORS]}, True, id="facilitator"),
    pytest.param({"is_superuser": True, "is_staff": True}, True, id="admin"),
]


def sign_in_as(client, attrs):
    """Sign in a new user with ``attrs`` (None: stay anonymous); returns the user."""
    if attrs is None:
        return None
    user = UserFactory(**attrs)
    client.force_login(user)
    return user


def facilitator(**attrs):
    return UserFactory(roles=[roles.FACILITATORS], **attrs)


def with_permission(user, codename, app_label="consultations"):
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    # Permissions are cached on the user object: read them again.
    return type(user).objects.get(pk=user.pk)


def refused(response, *, signed_in: bool) -> bool:
    """Not shown the view: sent to sign in, or away from it with "no permission"."""
    if response.status_code == 403:
        return True
    if response.status_code != 302:
        return False
    location = response["Location"]
    if not signed_in:
        return location.startswith(reverse("account_login"))
    return True


def questions(consultation) -> dict[str, object]:
    """The consultation's questions by their wording."""
    return {q.text: q for q in consultation.ordered_questions()}


def respond(
    consultation,
    answers: dict[str, RawAnswer | str],
    *,
    source="online",
    when: datetime | None = None,
    user=None,
    import_batch=None,
):
    """Save a response through the one door; ``answers`` maps question wording to answers."""
    by_text = questions(consultation)
    raw = {
        by_text[text].pk: value if isinstance(value, RawAnswer) else RawAnswer.of(value)
        for text, value in answers.items()
    }
    return submit_response(
        consultation=consultation,
        answers=raw,
        token=uuid.uuid4(),
        source=source,
        user=user,
        import_batch=import_batch,
        submitted_at=when or timezone.now(),
    ).response


# Posting the Wagtail page editor as a browser would ---------------------------------------------


def _form_data(form) -> dict:
    data = {}
    for bound in form:
        widget, value, name = bound.field.widget, bound.value(), bound.html_name
        if isinstance(widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
        elif value is None:
            continue
        elif isinstance(widget, forms.SelectMultiple):
            data[name] = [str(v) for v in value]
        elif isinstance(widget, forms.Select):
            data[name] = "" if value is None else str(value)
        else:
            data[name] = widget.format_value(value) or ""
    for formset in getattr(form, "formsets", {}).values():
        data.update(_formset_data(formset))
    return data


def _formset_data(formset) -> dict:
    data = _form_data(formset.management_form)
    for form in formset.forms:
        data.update(_form_data(form))
    return data


def edit_form_data(client, page) -> dict:
    """The data the page editor would post for ``page`` unchanged."""
    response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code == 200
    return _form_data(response.context["form"])
