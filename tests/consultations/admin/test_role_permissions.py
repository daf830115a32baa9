"""The permissions the roles are given for responses and imports (migration 0002)."""

import pytest
from django.contrib.auth.models import Group

from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

RESPONSES_AND_IMPORTS = {
    "view_response",
    "view_importbatch",
    "add_importbatch",
    "delete_importbatch",
}


def consultation_permissions(group_name) -> set[str]:
    return set(
        Group.objects.get(name=group_name)
        .permissions.filter(content_type__app_label="consultations")
        .values_list("codename", flat=True)
    )


def test_facilitators_may_see_responses_import_and_undo():
    assert consultation_permissions(roles.FACILITATORS) >= RESPONSES_AND_IMPORTS


@pytest.mark.parametrize(
    "group_name", [roles.SAFEGUARDING_LEADS, roles.EXECUTIVE_PARTNERS, roles.MEMBERS]
)
def test_other_roles_may_not(group_name):
    assert not RESPONSES_AND_IMPORTS & consultation_permissions(group_name)


def test_no_role_may_download_the_raw_words_of_answers():
    assert not Group.objects.filter(permissions__codename="export_raw_answers").exists()
