"""The dashboard panel: what waits in the safeguarding queue, for those who may see it."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.safeguarding.models import ConcernStatus, Severity
from tests.factories import UserFactory
from youthforum.accounts import roles

from .support import QUEUE, lead, london, make_concern

NOW = london(2025, 3, 4, 15, 0)  # a Tuesday afternoon


def panel_text(html: str) -> str:
    match = re.search(r'id="safeguarding-section".*?</section>', html, flags=re.S)
    assert match, "no safeguarding panel on the dashboard"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_the_panel_counts_new_under_review_urgent_and_overdue(client, consultation, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    make_concern(consultation, severity=Severity.URGENT, created_at=london(2025, 3, 4, 9, 0))
    make_concern(consultation, severity=Severity.URGENT, created_at=london(2025, 3, 4, 14, 0))
    make_concern(consultation, created_at=london(2025, 3, 3, 9, 0))  # due 17:00 Monday
    make_concern(
        consultation, status=ConcernStatus.UNDER_REVIEW, created_at=london(2025, 3, 4, 14, 0)
    )
    make_concern(consultation, status=ConcernStatus.ACTION_TAKEN, severity=Severity.URGENT)
    client.force_login(lead())

    html = client.get(reverse("wagtailadmin_home")).text

    text = panel_text(html)
    assert "3 new" in text
    assert "1 under review" in text
    assert "2 urgent and open" in text
    assert "2 overdue" in text
    assert f'href="{QUEUE}"' in html


def test_the_panel_shows_zeroes_when_the_queue_is_empty(client, home):
    client.force_login(lead())

    text = panel_text(client.get(reverse("wagtailadmin_home")).text)

    assert "0 new" in text
    assert "0 overdue" in text


@pytest.mark.parametrize("role", [roles.FACILITATORS, roles.EXECUTIVE_PARTNERS])
def test_the_panel_is_not_shown_to_other_staff(client, consultation, role):
    make_concern(consultation)
    client.force_login(UserFactory(roles=[role]))

    html = client.get(reverse("wagtailadmin_home")).text

    assert 'id="safeguarding-section"' not in html
    assert "Safeguarding queue" not in html


def test_the_panel_links_to_the_concerns_assigned_to_me(client, consultation):
    me = lead()
    mine = make_concern(consultation, assigned_to=me)
    make_concern(consultation)
    client.force_login(me)

    html = client.get(reverse("wagtailadmin_home")).text

    assert f'href="{QUEUE}?assignee=me"' in html
    assert "Concerns assigned to you" in panel_text(html)
    listing = client.get(f"{QUEUE}?assignee=me").text
    assert f"Concern #{mine.pk}" in listing
    assert listing.count("Concern #") == 1
