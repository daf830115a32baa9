import re
from pathlib import Path
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError
from django.test import Client

from tests.factories import NewsIndexPageFactory, NewsPageFactory, StandardPageFactory

pytestmark = pytest.mark.django_db


def test_search_finds_live_pages_by_their_words(client, home):
    news = NewsIndexPageFactory(parent=home)
    NewsPageFactory(
        parent=news, title="Meeting the Executive", summary="We talked about knife crime."
    )
    draft = NewsPageFactory(parent=news, title="Secret draft about knife crime")
    draft.unpublish()
    response = client.get("/search/", {"query": "knife"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Meeting the Executive" in html
    assert "Secret draft" not in html
    assert "1 result for" in html


def test_search_with_no_query_shows_the_form(client, home):
    html = client.get("/search/").content.decode()
    assert 'name="query"' in html
    assert "result" not in html


def test_sitemap_lists_live_pages(client, home):
    page = StandardPageFactory(parent=home, title="Resources", slug="resources")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert "/resources/" in response.content.decode()
    assert page.url


def test_unknown_address_gets_a_friendly_404(client, home):
    response = client.get("/this-does-not-exist/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert "Go to the home page" in html


def test_server_error_page_renders_without_the_database(rf):
    from youthforum.core.views import server_error

    with mock.patch(
        "django.db.backends.base.base.BaseDatabaseWrapper.cursor",
        side_effect=OperationalError("down"),
    ):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, something went wrong" in response.content.decode()
    assert "0800 1111" in response.content.decode()


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_is_503_when_the_database_does_not_answer(client):
    with mock.patch(
        "youthforum.core.views.connection.cursor", side_effect=OperationalError("gone")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_privacy_page_explains_cookies_in_plain_words(client, home):
    response = client.get("/privacy/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for phrase in ("sessionid", "csrftoken", "no tracking", "IP", "delete your account"):
        assert phrase in html


def test_browsing_the_site_sets_no_cookies(home):
    news = NewsIndexPageFactory(parent=home)
    story = NewsPageFactory(parent=news)
    client = Client()
    for url in ("/", story.url, news.url, "/privacy/", "/search/?query=forum", "/sitemap.xml"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert not response.cookies, (url, list(response.cookies))


def test_only_session_and_csrf_cookies_are_ever_set(client, home):
    client.get("/accounts/login/")
    client.post("/accounts/login/", {"login": "nobody@example.org", "password": "wrong-password-1"})
    assert set(client.cookies) <= {"sessionid", "csrftoken"}


def test_home_page_weighs_under_200_kb_without_images(client, home):
    from django.contrib.staticfiles import finders

    news = NewsIndexPageFactory(parent=home)
    for _ in range(3):
        NewsPageFactory(parent=news)
    html = client.get("/").content
    assets = [finders.find("css/site.css"), finders.find("js/site.js")]
    total = len(html) + sum(Path(path).stat().st_size for path in assets)
    assert total < 200 * 1024, total
    assert b"<script" in html and b"https://" not in html.split(b"<body")[0]


def test_pages_load_no_third_party_resources(client, home):
    html = client.get("/").content.decode()
    head = html.split("<body")[0]
    assert 'src="http' not in html
    assert 'href="http' not in head


def test_logs_never_contain_passwords(client, home, caplog):
    secret = "Very-Secret-Password-915"
    with caplog.at_level("DEBUG"):
        client.post("/accounts/login/", {"login": "someone@example.org", "password": secret})
        client.post("/accounts/signup/", {"email": "x@example.org", "password1": secret})
        client.get("/no-such-page/", {"password": secret})
    assert caplog.records, "expected something to be logged"
    assert secret not in caplog.text


def test_the_favicon_is_linked_from_every_page_and_favicon_ico_leads_to_it(client, home):
    page = client.get(home.url)
    assert b'<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in page.content
    assert finders.find("img/favicon.svg")

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"


def test_every_page_has_a_meta_description_its_own_or_the_sites(client, home):
    page = client.get(home.url).content.decode()
    found = re.search(r'<meta name="description" content="([^"]*)">', page)
    assert found and "news, films, events and consultations for young people" in found[1]

    home.search_description = "What the Youth Forum is doing this term."
    home.save_revision().publish()
    page = client.get(home.url).content.decode()
    assert '<meta name="description" content="What the Youth Forum is doing this term.">' in page
