import xml.etree.ElementTree as ET

import pytest

from tests.factories import NewsIndexPageFactory, NewsPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def news_index(home):
    return NewsIndexPageFactory(parent=home)


def test_news_index_is_paginated_ten_to_a_page(client, news_index):
    for n in range(12):
        NewsPageFactory(
            parent=news_index, title=f"Story number {n:02d}", date=f"2026-01-{n + 1:02d}"
        )
    first = client.get(news_index.url).content.decode()
    second = client.get(news_index.url, {"page": 2}).content.decode()
    assert first.count('class="card__title"') == 10
    assert "Story number 11" in first and "Story number 01" not in first
    assert second.count('class="card__title"') == 2
    assert "Page 2 of 2" in second
    # A page number that is not a page shows the last page rather than an error.
    assert client.get(news_index.url, {"page": 99}).status_code == 200
    assert client.get(news_index.url, {"page": "abc"}).status_code == 200


def test_news_index_filters_by_tag(client, news_index):
    tagged = NewsPageFactory(parent=news_index, title="Forum week in June")
    tagged.tags.add("forum week")
    tagged.save_revision().publish()
    NewsPageFactory(parent=news_index, title="Something else")
    html = client.get(news_index.url, {"tag": "forum week"}).content.decode()
    assert "Forum week in June" in html
    assert "Something else" not in html
    assert "Show all news" in html


def test_news_page_shows_date_summary_body_and_tags(client, news_index):
    page = NewsPageFactory(
        parent=news_index,
        title="We met the Executive",
        summary="It went well.",
        date="2020-10-15",
        body=[("paragraph", "<p>We told them about buses.</p>")],
    )
    page.tags.add("executive")
    page.save_revision().publish()
    html = client.get(page.url).content.decode()
    assert '<time datetime="2020-10-15">15 October 2020</time>' in html
    assert "It went well." in html
    assert "We told them about buses." in html
    assert "?tag=executive" in html


def test_rss_feed_lists_live_news_newest_first(client, news_index):
    NewsPageFactory(parent=news_index, title="Older story", date="2026-01-01")
    NewsPageFactory(
        parent=news_index, title="Newer story", date="2026-02-01", summary="The newest one."
    )
    draft = NewsPageFactory(parent=news_index, title="Unpublished story")
    draft.unpublish()
    response = client.get(news_index.url + "feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Newer story", "Older story"]
    assert channel.find("item").findtext("description") == "The newest one."
    assert 'type="application/rss+xml"' in client.get(news_index.url).content.decode()
