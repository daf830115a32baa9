"""No password form lets staff in without their second factor (issue 12, part 1).

Every URL pattern in the resolver is built (its blanks filled with real ids, slugs and keys) and
fetched as a stranger would; every form on the page it ends at that has a password field is
posted with a staff email address and that person's correct password, and nothing else. After
each, the staff areas must still be shut to that browser. A sign-in-like pattern that cannot be
built fails the test rather than being skipped, so a new way in cannot hide.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.test import Client
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction
from wagtail_factories import DocumentFactory

from tests.factories import StandardPageFactory, make_consultation
from tests.youthforum.accounts.support import PASSWORD, add_totp, make_user
from youthforum.accounts import roles

from .resolver import endpoints

pytestmark = pytest.mark.django_db

STAFF_AREAS = ("/admin/", "/admin/safeguarding/", "/reports/")
# A pattern whose route or name says it is about signing in or passwords.
LOGIN_LIKE = re.compile(r"log-?in|sign-?in|auth|passw|reauth|2fa|mfa", re.IGNORECASE)
EMAIL_FIELDS = {"login", "email", "username", "email_address"}
PAGE_PASSWORD = "the-page-password"  # noqa: S105 (a test value)
REDIRECTS = {301, 302, 303, 307, 308}


class Forms(HTMLParser):
    """The forms on a page: action, method and their fields (name, type, value)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action") or "",
                    "method": attrs.get("method", "get"),
                    "fields": [],
                }
            )
        elif tag in {"input", "select", "textarea", "button"} and self.forms and attrs.get("name"):
            self.forms[-1]["fields"].append(
                (attrs["name"], (attrs.get("type") or tag).lower(), attrs.get("value") or "")
            )


def password_forms(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return [
        form
        for form in parser.forms
        if form["method"].lower() == "post"
        and any(kind == "password" for _name, kind, _value in form["fields"])
    ]


def fill(form, email: str) -> dict:
    """The staff email and password in every field that could take them; nothing else."""
    data = {}
    for name, kind, value in form["fields"]:
        if kind == "password":
            data[name] = PASSWORD
        elif kind == "email" or name in EMAIL_FIELDS:
            data[name] = email
        elif kind in {"hidden", "submit"}:
            data[name] = value
    return data


@pytest.fixture
def world(home):
    """Something real behind every blank: a private page, a restricted document, a reset key."""
    private = StandardPageFactory(parent=home, title="Private", slug="private")
    page_restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password=PAGE_PASSWORD
    )
    collection = Collection.get_first_root_node().add_child(name="Restricted")
    document_restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password=PAGE_PASSWORD,
    )
    document = DocumentFactory(collection=collection)
    consultation = make_consultation(home, slug="feeling-safe")
    return {
        "home": home,
        "private": private,
        "page_restriction": page_restriction,
        "document": document,
        "document_restriction": document_restriction,
        "consultation": consultation,
    }


def values_for(world, staff) -> dict:
    """A plausible value for every keyword blank in the site's URL patterns."""
    private, consultation = world["private"], world["consultation"]
    return {
        "page_view_restriction_id": world["page_restriction"].pk,
        "restriction_id": world["document_restriction"].pk,
        "page_id": private.pk,
        "parent_page_id": world["home"].pk,
        "slug": consultation.slug,
        "uidb36": user_pk_to_url_str(staff),
        "key": default_token_generator.make_token(staff),
    }


def args_for(world, endpoint) -> tuple:
    """Values for the patterns with unnamed groups: Wagtail's page and document serve views."""
    if endpoint.name == "wagtail_serve":
        return ("private/",)
    if endpoint.name == "wagtaildocs_serve":
        return (world["document"].pk, world["document"].filename)
    return ()


def fill_by_kind(endpoint, known: dict) -> dict:
    defaults = {"int": 1, "slug": "x", "str": "x", "path": "x", "uuid": "0" * 32, "regex": "1"}
    return {name: known.get(name, defaults[kind]) for name, kind in endpoint.params}


def fetch(client, url: str, login_url: str):
    """GET ``url`` following redirects (a reset link hands over to its form), but not into the
    sign-in page, which is tried under its own pattern."""
    for _hop in range(5):
        response = client.get(url)
        if response.status_code not in REDIRECTS:
            return url, response
        url = urljoin(url, response["Location"])
        if urlsplit(url).path == login_url:
            return url, None
    return url, None


def staff_areas_open(client) -> list[str]:
    return [area for area in STAFF_AREAS if client.get(area).status_code == 200]


def test_no_password_form_lets_staff_in_with_a_password_alone(world):
    enrolled = make_user(is_superuser=True, is_staff=True, email="root@example.org")
    add_totp(enrolled)
    # Staff who have not set up a second factor yet: a password alone signs them in, but only
    # as far as setting one up.
    not_enrolled = make_user(roles=[roles.SAFEGUARDING_LEADS], email="lead@example.org")
    known = values_for(world, enrolled)
    login_url = "/accounts/login/"

    found, skipped, broken, let_in = {}, [], [], []
    for endpoint in endpoints():
        url = endpoint.build(fill_by_kind(endpoint, known), args_for(world, endpoint))
        if url is None:
            skipped.append(endpoint.key)
            continue
        final_url, response = fetch(Client(raise_request_exception=False), url, login_url)
        if response is not None and response.status_code >= 500:
            broken.append(f"{endpoint.key} ({url}): {response.status_code}")
            continue
        if (
            response is None
            or response.status_code != 200
            or "html" not in response.get("Content-Type", "")
        ):
            continue
        for form in password_forms(response.content.decode()):
            action = urljoin(final_url, form["action"] or final_url)
            found.setdefault(urlsplit(action).path, (endpoint.key, final_url, form))

    for staff in (enrolled, not_enrolled):
        for action, (key, page_url, form) in found.items():
            client = Client(raise_request_exception=False)
            client.get(page_url)  # the page first, as a browser would (session, CSRF cookie)
            client.post(action, fill(form, staff.email))
            if opened := staff_areas_open(client):
                let_in.append(f"{staff.email} via {key}: POST {action} opened {opened}")

    login_like_skipped = [key for key in skipped if LOGIN_LIKE.search(key)]
    assert not login_like_skipped, f"Sign-in-like URL patterns this test cannot build: {skipped}"
    assert not [b for b in broken if LOGIN_LIKE.search(b)], broken
    assert not let_in, let_in
    # The forms this test must have found, so that it is known to look in the right places.
    assert {
        "/accounts/login/",
        "/accounts/signup/",
        f"/_util/authenticate_with_password/{known['page_view_restriction_id']}/{known['page_id']}/",
        f"/documents/authenticate_with_password/{known['restriction_id']}/",
    } <= set(found), sorted(found)
    assert any(path.startswith("/accounts/password/reset/key/") for path in found), sorted(found)


def test_the_page_privacy_password_unlocks_the_page_and_signs_nobody_in(world):
    """Wagtail's page-privacy form (kept on purpose) is not a sign-in form."""
    staff = make_user(is_superuser=True, is_staff=True)
    add_totp(staff)
    private, restriction = world["private"], world["page_restriction"]
    client = Client()
    assert "password" in client.get(private.url).content.decode()

    response = client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{private.pk}/",
        {"password": PAGE_PASSWORD, "return_url": private.url},
    )

    assert response.status_code == 302
    assert client.get(private.url).status_code == 200
    assert "_auth_user_id" not in client.session
    assert staff_areas_open(client) == []
