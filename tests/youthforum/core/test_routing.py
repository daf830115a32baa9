"""Remembered page routes (youthforum/core/routing.py): faster, and never out of date.

Each test visits a page once so its route is remembered, changes the site the way an editor
would (or behind Wagtail's back), and checks what the next visitor gets.
"""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from wagtail.models import Page, PageViewRestriction, Site

from consultations.models import AboutYouOptions
from tests.factories import (
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
    make_consultation,
)
from youthforum.core import routing, tree_cache
from youthforum.core.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(home):
    """The site, with its settings row already made (the first visit would make it: an edit)."""
    SiteSettings.for_site(Site.objects.get(is_default_site=True))
    return home


def visit(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, [query["sql"] for query in queries.captured_queries]


def test_a_remembered_route_serves_the_same_page_with_far_fewer_queries(client, home):
    page = StandardPageFactory(parent=NewsIndexPageFactory(parent=home), title="Our rights")

    first, first_queries = visit(client, page.url)
    second, second_queries = visit(client, page.url)

    assert first.status_code == second.status_code == 200
    assert "Our rights" in second.text
    assert first.text.count("Our rights") == second.text.count("Our rights")
    # The first visit looks up the site (a query with CASE) and each level of the tree; the
    # second reads the page by id, and the menu and breadcrumbs are remembered as well.
    assert any("CASE" in sql and "wagtailcore_site" in sql for sql in first_queries)
    assert not any("CASE" in sql for sql in second_queries)
    assert not any("core_sitesettings" in sql for sql in second_queries)
    assert len(second_queries) <= len(first_queries) - 8


def test_a_renamed_page_moves_to_its_new_address(client, home):
    page = StandardPageFactory(parent=home, slug="about")
    assert client.get("/about/").status_code == 200

    page.slug = "about-us"
    page.save_revision().publish()

    assert client.get("/about/").status_code == 404
    assert client.get("/about-us/").status_code == 200


def test_an_unpublished_page_is_gone_at_once(client, home):
    page = StandardPageFactory(parent=home, slug="about")
    assert client.get("/about/").status_code == 200

    page.unpublish()

    assert client.get("/about/").status_code == 404


def test_a_deleted_page_is_gone_at_once(client, home):
    page = StandardPageFactory(parent=home, slug="about")
    assert client.get("/about/").status_code == 200

    page.delete()

    assert client.get("/about/").status_code == 404


def test_a_moved_page_is_found_at_its_new_place(client, home):
    news = NewsIndexPageFactory(parent=home)
    page = StandardPageFactory(parent=home, slug="about")
    assert client.get("/about/").status_code == 200

    page.move(news, pos="last-child")

    # The old address is no longer the page: Wagtail's redirect (made on a move) sends people on.
    old = client.get("/about/")
    assert old.status_code == 301 and old["Location"] == "/news/about/"
    assert client.get("/news/about/").status_code == 200


def test_a_page_unpublished_behind_wagtails_back_is_not_served(client, home):
    """Even a change no signal announces (a bulk update) cannot bring back a withdrawn page."""
    page = StandardPageFactory(parent=home, slug="about")
    assert client.get("/about/").status_code == 200

    Page.objects.filter(pk=page.pk).update(live=False)

    assert client.get("/about/").status_code == 404


def test_a_page_renamed_behind_wagtails_back_is_not_served_at_its_old_address(client, home):
    page = StandardPageFactory(parent=home, slug="about")
    assert client.get("/about/").status_code == 200

    Page.objects.filter(pk=page.pk).update(slug="gone", url_path=f"{home.url_path}gone/")

    assert client.get("/about/").status_code == 404
    assert client.get("/gone/").status_code == 200


def test_a_privacy_setting_added_later_is_enforced(client, home):
    news = NewsIndexPageFactory(parent=home)
    story = NewsPageFactory(parent=news, slug="meeting")
    assert client.get("/news/meeting/").status_code == 200

    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/news/meeting/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert story.title not in client.get("/news/").text


def test_a_restricted_page_stays_restricted_when_its_route_is_remembered(client, home):
    news = NewsIndexPageFactory(parent=home)
    NewsPageFactory(parent=news, slug="meeting")
    PageViewRestriction.objects.create(page=news, restriction_type=PageViewRestriction.LOGIN)

    assert client.get("/news/meeting/").status_code == 302
    assert client.get("/news/meeting/").status_code == 302


def test_a_new_home_page_for_the_site_takes_over_its_addresses(client, home):
    StandardPageFactory(parent=home, slug="about", title="Old about")
    new_home = StandardPageFactory(parent=Page.get_first_root_node(), slug="new-home")
    StandardPageFactory(parent=new_home, slug="about", title="New about")
    assert "Old about" in client.get("/about/").text

    site = Site.objects.get(is_default_site=True)
    site.root_page = new_home
    site.save()

    assert "New about" in client.get("/about/").text


def test_sub_pages_of_a_consultation_are_served_from_a_remembered_route(client, home):
    consultation = make_consultation(home)
    check = consultation.url + "check/"
    client.get(check)

    second, queries = visit(client, check)

    assert second.status_code in (200, 302)  # "check your answers" with nothing to check yet
    assert not any("CASE" in sql for sql in queries)
    assert client.get(consultation.url + "no-such-step/").status_code == 404


def test_the_menu_shows_a_new_page_and_a_new_title_at_once(client, home):
    about = StandardPageFactory(parent=home, title="About us", show_in_menus=True)
    assert "About us" in client.get(about.url).text

    StandardPageFactory(parent=home, title="Get involved", show_in_menus=True)
    about.title = "Who we are"
    about.save_revision().publish()

    text = client.get(about.url).text
    assert "Get involved" in text and "Who we are" in text and "About us" not in text


def test_a_new_forum_name_shows_at_once(client, home):
    StandardPageFactory(parent=home, slug="about")
    assert "Somerset Youth Voice" not in client.get("/about/").text

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.forum_name = "Somerset Youth Voice"
    site_settings.save()

    assert "Somerset Youth Voice" in client.get("/about/").text


def test_saving_any_setting_changes_the_version(home):
    before = tree_cache.tree_version()

    AboutYouOptions.load().save()

    assert tree_cache.tree_version() != before


def test_breadcrumbs_follow_a_renamed_section(client, home):
    news = NewsIndexPageFactory(parent=home, title="News")
    story = NewsPageFactory(parent=news)
    assert '">News</a></li>' in client.get(story.url).text

    news.title = "Forum news"
    news.save_revision().publish()

    assert '">Forum news</a></li>' in client.get(story.url).text


def test_a_lost_version_only_means_routing_the_long_way(client, home):
    page = StandardPageFactory(parent=home, slug="about", title="About us")
    client.get("/about/")

    cache.delete(tree_cache.VERSION_KEY)

    response, queries = visit(client, "/about/")
    assert response.status_code == 200 and "About us" in response.text
    assert any("CASE" in sql for sql in queries)
    page.unpublish()
    assert client.get("/about/").status_code == 404


def test_missing_pages_are_not_remembered(client, home):
    for n in range(3):
        assert client.get(f"/nothing-here-{n}/").status_code == 404

    assert not [key for key in tree_cache.remembered._values if key.startswith("route:")]


def test_the_version_changes_again_when_an_edit_is_committed(
    home, django_capture_on_commit_callbacks
):
    before = tree_cache.tree_version()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        StandardPageFactory(parent=home)
    during = tree_cache.tree_version()
    for callback in callbacks:
        callback()

    assert before != during != tree_cache.tree_version()


def test_with_wagtails_translations_on_every_request_is_routed_by_wagtail(client, home, settings):
    settings.WAGTAIL_I18N_ENABLED = True
    StandardPageFactory(parent=home, slug="about")
    client.get("/about/")

    response, queries = visit(client, "/about/")

    assert response.status_code == 200
    assert any("CASE" in sql for sql in queries)


def test_wagtails_other_addresses_are_still_its_own():
    assert resolve("/_util/login/").url_name == "wagtailcore_login"
    assert resolve("/about/").func is routing.serve
    assert reverse("wagtail_serve", args=["about/"]) == "/about/"
