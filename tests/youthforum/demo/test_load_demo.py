"""``load_demo`` and ``demo_totp``: idempotent, resettable, refused in production, usable."""

import base64
import hashlib
import hmac
import re
import struct
from datetime import date, datetime, time
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from youthforum.accounts.models import User
from youthforum.accounts.roles import user_roles
from youthforum.core.models import HomePage, SiteSettings, StandardPage
from youthforum.demo.accounts import DEMO_ACCOUNTS, DEMO_TOTP_SECRET, demo_totp_code
from youthforum.demo.content import demo_events
from youthforum.events.models import EventPage
from youthforum.films.models import FilmPage
from youthforum.news.models import NewsPage

pytestmark = pytest.mark.django_db

STAFF_EMAILS = [account.email for account in DEMO_ACCOUNTS if account.is_staff_role]


def load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "live pages": Page.objects.live().count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "users": User.objects.count(),
        "email addresses": EmailAddress.objects.count(),
        "authenticators": Authenticator.objects.count(),
        "sites": Site.objects.count(),
        "site settings": SiteSettings.objects.count(),
    }


def test_loading_the_demo_twice_duplicates_and_changes_nothing():
    load_demo()
    first = counts()
    home_pk = HomePage.objects.get().pk

    output = load_demo()

    assert counts() == first
    assert HomePage.objects.get().pk == home_pk
    assert "0 created, 0 updated" in output
    # root + home + about + resources + 3 indexes + 6 news + 2 films + events
    assert first["pages"] >= 20
    assert first["live pages"] == first["pages"]  # every page is published
    assert first["images"] >= 9
    assert first["users"] == len(DEMO_ACCOUNTS) == 5
    assert first["email addresses"] == 5
    assert first["authenticators"] == 2 * len(STAFF_EMAILS) == 8  # TOTP + recovery codes
    assert first["sites"] == 1
    assert NewsPage.objects.live().count() >= 6
    assert FilmPage.objects.live().count() == 2


def test_loading_again_repairs_an_edited_demo_page_in_place():
    load_demo()
    about = StandardPage.objects.get(slug="about")
    about.title = "Changed by someone"
    about.save_revision().publish()
    before = counts()

    load_demo()

    about.refresh_from_db()
    assert about.title == "About the Youth Forum"
    assert about.live and not about.has_unpublished_changes
    assert counts() == {**before, "revisions": before["revisions"] + 1}


def test_reset_rebuilds_the_demo_without_duplicates():
    load_demo()
    first = counts()
    old_home = HomePage.objects.get()
    StandardPage.objects.filter(slug="about").update(title="Changed by someone")

    output = load_demo("--reset")

    assert counts() == first
    new_home = HomePage.objects.get()
    assert new_home.pk != old_home.pk
    assert StandardPage.objects.get(slug="about").title == "About the Youth Forum"
    assert Site.objects.get(is_default_site=True).root_page_id == new_home.pk
    assert "Removed the demo" in output


def test_demo_is_refused_when_not_allowed_and_nothing_is_created(settings):
    settings.YOUTHVOICE_DEMO_ALLOWED = False
    before = counts()

    with pytest.raises(CommandError, match="YOUTHVOICE_DEMO_ALLOWED"):
        load_demo()
    with pytest.raises(CommandError, match="YOUTHVOICE_DEMO_ALLOWED"):
        load_demo("--reset")
    with pytest.raises(CommandError, match="YOUTHVOICE_DEMO_ALLOWED"):
        call_command("demo_totp", stdout=StringIO())

    assert counts() == before
    assert not User.objects.exists()
    assert not HomePage.objects.exists()


def test_demo_site_is_the_default_site_and_serves_its_home_page(client):
    load_demo()

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.title == "Somerset Youth Forum"
    assert home.featured_film.slug == "gp-safeguarding"
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()
    site_settings = SiteSettings.for_site(site)
    assert site_settings.partnership_name == "Somerset Safeguarding Children Partnership"
    assert [helpline.value["contact"] for helpline in site_settings.helplines] == [
        "0800 1111",
        "Text SHOUT to 85258",
    ]
    menu = set(Page.objects.child_of(home).in_menu().values_list("slug", flat=True))
    assert {"about", "news", "films", "events"} <= menu
    # Events are dated from today, so the forum always has both a history and a next meeting.
    now = timezone.now()
    events = EventPage.objects.live()
    assert events.filter(end__lt=now).exists()
    assert events.filter(start__gt=now).exists()
    assert {"meeting", "forum-week"} <= set(events.values_list("kind", flat=True))
    assert all("zoom.example.org" in event.joining_details for event in events)

    response = client.get("/")

    assert response.status_code == 200
    assert "Somerset Youth Forum" in response.content.decode()


def test_each_demo_account_has_its_role_and_staff_accept_a_code_from_the_demo_secret(settings):
    load_demo()
    code = demo_totp_code()

    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        assert user.check_password(settings.DEMO_PASSWORD)
        assert EmailAddress.objects.filter(
            user=user, email=account.email, verified=True, primary=True
        ).exists()
        assert user.is_superuser == account.superuser
        assert user_roles(user) == ({account.role} if account.role else set())
        assert is_mfa_enabled(user) == account.is_staff_role
    for email in STAFF_EMAILS:
        user = User.objects.get(email=email)
        totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).wrap()
        assert totp.validate_code(code), email
        assert not totp.validate_code("000000" if code != "000000" else "111111")
        codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
        assert codes.wrap().get_unused_codes()
    assert User.objects.get(email="member@example.org").age_band == "16-18"


def test_demo_totp_prints_the_current_six_digit_code():
    out = StringIO()

    call_command("demo_totp", stdout=out)

    printed = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", printed)
    assert printed in {demo_totp_code(at=timezone.now().timestamp() + delta) for delta in (-30, 0)}


def test_demo_totp_code_matches_the_published_rfc_6238_algorithm():
    # A fixed time, so the expected value is worked out independently of allauth.
    at = 1_700_000_000
    key = base64.b32decode(DEMO_TOTP_SECRET)
    digest = hmac.new(key, struct.pack(">Q", at // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    expected = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**6

    assert demo_totp_code(at=at) == f"{expected:06d}"


@pytest.mark.parametrize(
    "today", [date(2026, 9, 1), date(2026, 10, 13), date(2026, 12, 31), date(2027, 6, 9)]
)
def test_demo_events_always_include_past_and_upcoming_meetings_and_forum_weeks(today):
    events = demo_events(today=today)
    noon = datetime.combine(today, time(12))

    assert any(event.end < noon for event in events)
    assert any(event.start > noon and event.kind == "meeting" for event in events)
    assert {event.kind for event in events} == {"meeting", "forum-week"}
    assert len({event.slug for event in events}) == len(events)
