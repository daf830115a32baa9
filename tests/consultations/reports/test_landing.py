"""Report readers find their reports from the Wagtail admin, where they land after signing in:
a "Consultation reports" menu item and a dashboard panel, for exactly those who may read
reports (#15, item 1)."""

import json
import re

import pytest
from django.urls import reverse

from tests.consultations.admin.support import REPORT_READERS, sign_in_as
from tests.factories import UserFactory
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

#: Report readers who reach the Wagtail admin at all (members and anonymous people do not).
ADMIN_USERS = [p for p in REPORT_READERS if p.id not in ("anonymous", "member")]


def menu_items(html: str) -> list[dict]:
    """The admin sidebar's menu items (label, url, name), submenus' items included."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    assert props, "no admin sidebar on the page"
    found = []

    def walk(node):
        if isinstance(node, dict):
            args = node.get("_args")
            if node.get("_type", "").endswith("MenuItem") and args and isinstance(args[0], dict):
                found.append(args[0])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props.group(1)))
    return found


def dashboard(client) -> str:
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.text


@pytest.mark.parametrize(("who", "allowed"), ADMIN_USERS)
def test_the_consultation_reports_menu_item_is_for_report_readers_only(client, home, who, allowed):
    sign_in_as(client, who)

    items = [i for i in menu_items(dashboard(client)) if i.get("name") == "consultation-reports"]

    if allowed:
        assert items == [
            {
                "name": "consultation-reports",
                "label": "Consultation reports",
                "icon_name": "table",
                "classname": "",
                "attrs": {},
                "url": "/reports/",
            }
        ]
        assert reverse("reports_dashboard") == "/reports/"
    else:
        assert items == []


def test_an_executive_partner_s_menu_leads_to_reports_and_promises(client, home):
    client.force_login(UserFactory(roles=[roles.EXECUTIVE_PARTNERS]))

    labels = [i["label"] for i in menu_items(dashboard(client))]

    assert "Consultation reports" in labels
    assert "You said, we did" in labels
    assert labels.index("Consultation reports") < labels.index("You said, we did")


def test_wagtail_s_own_reports_menu_keeps_its_name_beside_ours(client, home):
    """An admin sees both: Wagtail's "Reports" (site history, locked pages...) and ours."""
    sign_in_as(client, {"is_superuser": True, "is_staff": True})

    items = menu_items(dashboard(client))
    by_label = {i["label"]: i for i in items}

    assert by_label["Consultation reports"]["url"] == "/reports/"
    assert "Reports" in by_label  # Wagtail's submenu, untouched
    assert by_label["Reports"].get("url") != "/reports/"
    assert [i["label"] for i in items].count("Consultation reports") == 1


@pytest.mark.parametrize(("who", "allowed"), ADMIN_USERS)
def test_the_dashboard_panel_is_for_report_readers_only(client, home, who, allowed):
    sign_in_as(client, who)

    html = dashboard(client)

    if allowed:
        assert 'id="consultation-reports-section"' in html
        assert (
            '<a href="/reports/" class="button button-small">All consultation reports</a>' in html
        )
    else:
        assert 'id="consultation-reports-section"' not in html
        assert 'href="/reports/"' not in html


def test_the_menu_item_and_panel_link_to_a_page_the_reader_may_open(client, home):
    client.force_login(UserFactory(roles=[roles.EXECUTIVE_PARTNERS]))
    html = dashboard(client)
    url = next(i["url"] for i in menu_items(html) if i["name"] == "consultation-reports")

    response = client.get(url)

    assert response.status_code == 200
    assert response.templates[0].name == "reports/dashboard.html"
