from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import EventIndexPageFactory, EventPageFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET_LINK = "https://zoom.example/j/123"


@pytest.fixture
def event(home):
    index = EventIndexPageFactory(parent=home)
    return EventPageFactory(parent=index, title="Spring forum meeting")


def test_anonymous_visitors_do_not_see_joining_details(client, event):
    html = client.get(event.url).content.decode()
    assert SECRET_LINK not in html
    assert "Sign in to see them" in html


def test_signed_in_members_see_joining_details(client, event):
    client.force_login(MemberFactory())
    html = client.get(event.url).content.decode()
    assert SECRET_LINK in html


def test_signed_in_people_without_the_member_role_do_not_see_joining_details(client, event):
    client.force_login(UserFactory())
    html = client.get(event.url).content.decode()
    assert SECRET_LINK not in html
    assert "Joining details are for Youth Forum members" in html


def test_joining_details_are_not_searchable(client, event):
    html = client.get("/search/", {"query": "zoom.example"}).content.decode()
    assert "Spring forum meeting" not in html


def test_event_index_separates_upcoming_and_past(client, home):
    index = EventIndexPageFactory(parent=home)
    EventPageFactory(parent=index, title="Next meeting")
    past_start = timezone.now() - timedelta(days=30)
    EventPageFactory(
        parent=index,
        title="Last term's meeting",
        start=past_start,
        end=past_start + timedelta(hours=2),
    )
    html = client.get(index.url).content.decode()
    assert html.index("Coming up") < html.index("Next meeting") < html.index("Past events")
    assert html.index("Past events") < html.index("Last term")
