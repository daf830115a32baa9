"""Who may see the safeguarding queue: Safeguarding leads and superusers, nobody else."""

import importlib
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from tests.factories import UserFactory
from tests.migration_support import BEFORE_THE_SPLIT, latest, migrate
from tests.youthforum.accounts.support import sign_in_with_second_factor
from youthforum.accounts import roles

from .support import QUEUE, detail_url, lead, make_concern

roles_migration = importlib.import_module("consultations.migrations.0004_safeguarding_roles")

LEAD_PERMISSIONS = {
    "safeguarding.review_safeguarding",
    "safeguarding.view_safeguardingconcern",
    "safeguarding.change_safeguardingconcern",
    "safeguarding.view_concernnote",
    "safeguarding.add_concernnote",
}

REFUSED_STAFF = [
    pytest.param([roles.FACILITATORS], id="facilitator"),
    pytest.param([roles.EXECUTIVE_PARTNERS], id="executive-partner"),
]
ALLOWED = [
    pytest.param({"roles": [roles.SAFEGUARDING_LEADS]}, id="safeguarding-lead"),
    pytest.param({"is_superuser": True, "is_staff": True}, id="superuser"),
]


@pytest.fixture
def concern(consultation):
    return make_concern(consultation, text="i want to kms tonight", severity="urgent")


def urls(concern):
    return [QUEUE, detail_url(concern)]


def assert_no_disclosure(response):
    assert b"kms" not in response.content


def test_the_queue_is_at_admin_safeguarding_and_names_the_emailed_link(concern):
    assert reverse("safeguarding:index") == QUEUE
    assert reverse("safeguarding:detail", args=[concern.pk]) == f"{QUEUE}{concern.pk}/"


def test_anonymous_visitors_are_sent_to_sign_in(client, concern):
    for url in urls(concern):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_members_are_refused_by_the_admin_itself(client, concern):
    client.force_login(UserFactory(roles=[roles.MEMBERS]))
    for url in urls(concern):
        response = client.get(url)
        # Wagtail sends people without admin access to sign in, with "no permission".
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert_no_disclosure(response)


@pytest.mark.parametrize("role", REFUSED_STAFF)
def test_facilitators_and_executive_partners_get_403(client, concern, role):
    client.force_login(UserFactory(roles=role))
    for url in urls(concern):
        response = client.get(url)
        assert response.status_code == 403
        assert "Only Safeguarding leads can open safeguarding concerns" in response.text
        assert_no_disclosure(response)


@pytest.mark.parametrize("role", REFUSED_STAFF)
@pytest.mark.parametrize(
    "action", ["status", "release", "withhold", "severity", "category", "assign"]
)
def test_facilitators_and_executive_partners_cannot_act_on_a_concern(client, concern, role, action):
    user = UserFactory(roles=role)
    client.force_login(user)
    response = client.post(
        reverse(f"safeguarding:{action}", args=[concern.pk]),
        {
            f"{action}-status": "no-further-action",
            f"{action}-severity": "concern",
            f"{action}-categories": "self_harm",
            f"{action}-assigned_to": user.pk,
            f"{action}-note": "Nothing to see",
        },
    )
    assert response.status_code == 403
    concern.refresh_from_db()
    assert (concern.status, concern.severity, concern.categories) == (
        "new",
        "urgent",
        ["abuse_neglect"],
    )
    assert concern.assigned_to is None
    assert concern.acknowledged_at is None
    assert concern.answer.held
    assert not concern.notes.exists()


@pytest.mark.parametrize("attrs", ALLOWED)
def test_safeguarding_leads_and_superusers_see_the_queue_and_the_concern(client, concern, attrs):
    client.force_login(UserFactory(**attrs))
    queue = client.get(QUEUE)
    assert queue.status_code == 200
    assert f"Concern #{concern.pk}" in queue.text
    detail = client.get(detail_url(concern))
    assert detail.status_code == 200
    assert "kms" in detail.text


def test_a_lead_without_a_second_factor_is_sent_to_set_one_up(client, settings, concern):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = True
    client.force_login(lead())

    for url in urls(concern):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_a_lead_with_a_second_factor_gets_in(client, settings, concern):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = True
    sign_in_with_second_factor(client, lead())

    assert client.get(detail_url(concern)).status_code == 200


def test_the_menu_item_and_dashboard_panel_are_only_for_those_who_may_see_the_queue(client, home):
    client.force_login(lead())
    html = client.get(reverse("wagtailadmin_home")).text
    assert QUEUE in html
    assert 'id="safeguarding-section"' in html  # the dashboard panel

    for role in (roles.FACILITATORS, roles.EXECUTIVE_PARTNERS):
        client.force_login(UserFactory(roles=[role]))
        html = client.get(reverse("wagtailadmin_home")).text
        assert QUEUE not in html
        assert 'id="safeguarding-section"' not in html


# The data migration ---------------------------------------------------------------------------


def model_permissions(group) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


@pytest.mark.django_db
def test_safeguarding_leads_get_the_queue_and_nobody_else_does():
    leads = Group.objects.get(name=roles.SAFEGUARDING_LEADS)
    assert model_permissions(leads) >= LEAD_PERMISSIONS
    for role in (roles.FACILITATORS, roles.EXECUTIVE_PARTNERS, roles.MEMBERS):
        assert not LEAD_PERMISSIONS & model_permissions(Group.objects.get(name=role))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_reverses_and_runs_again():
    """Run on the database as it was then: before the split, safeguarding was consultations'."""
    schema_editor = SimpleNamespace(connection=connection)
    then = [f"consultations.{key.split('.')[1]}" for key in LEAD_PERMISSIONS]
    try:
        migrate(BEFORE_THE_SPLIT)
        migration_apps = (
            MigrationLoader(connection)
            .project_state(("consultations", "0004_safeguarding_roles"))
            .apps
        )
        leads = Group.objects.get(name=roles.SAFEGUARDING_LEADS)
        assert model_permissions(leads) >= set(then)

        roles_migration.revoke(migration_apps, schema_editor)
        assert not set(then) & model_permissions(leads)
        assert "wagtailadmin.access_admin" in model_permissions(leads)  # not this migration's

        roles_migration.grant(migration_apps, schema_editor)
        roles_migration.grant(migration_apps, schema_editor)
        assert model_permissions(leads) >= set(then)
        assert leads.permissions.filter(codename="review_safeguarding").count() == 1
    finally:
        migrate(latest())
