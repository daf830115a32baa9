import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Page, Site

from tests.factories import (
    EventIndexPageFactory,
    FilmIndexPageFactory,
    FilmPageFactory,
    NewsIndexPageFactory,
    NewsPageFactory,
    StandardPageFactory,
)
from youthforum.core.models import HomePage, SiteSettings, StandardPage
from youthforum.events.models import EventIndexPage, EventPage
from youthforum.films.models import FilmIndexPage, FilmPage
from youthforum.news.models import NewsIndexPage, NewsPage

pytestmark = pytest.mark.django_db


def test_home_page_shows_latest_three_news_stories_newest_first(client, home):
    news = NewsIndexPageFactory(parent=home)
    stories = [
        NewsPageFactory(parent=news, title=f"Story {n}", date=f"2026-0{n}-01") for n in range(1, 5)
    ]
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="card__title"') == 3
    assert "Story 1" not in html
    assert html.index("Story 4") < html.index("Story 3") < html.index("Story 2")
    assert stories[0].title not in html


def test_home_page_says_when_no_consultation_is_open(client, home):
    response = client.get("/")
    assert "There are no consultations open right now" in response.content.decode()


def test_home_page_features_a_live_film_and_the_you_said_teaser(client, home):
    films = FilmIndexPageFactory(parent=home)
    film = FilmPageFactory(parent=films, title="Going to your GP")
    home.featured_film = film
    home.you_said_text = "You asked for safer journeys to school; the council is adding bus routes."
    home.save()
    html = client.get("/").content.decode()
    assert "Going to your GP" in html
    assert "safer journeys to school" in html

    film.unpublish()
    assert "Going to your GP" not in client.get("/").content.decode()


def test_standard_page_renders_each_kind_of_block(client, home):
    page = StandardPageFactory(
        parent=home,
        title="About the forum",
        body=[
            ("heading", "Who we are"),
            ("paragraph", "<p>Young people aged 10 to 18.</p>"),
            ("quote", {"quote": "Gaining confidence", "attribution": "A member"}),
            (
                "call_to_action",
                {
                    "heading": "Join us",
                    "text": "",
                    "link_page": None,
                    "link_url": "https://example.org/join",
                    "link_text": "Find out how to join",
                },
            ),
        ],
    )
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "<h2>Who we are</h2>" in html
    assert "Young people aged 10 to 18." in html
    assert "<blockquote><p>Gaining confidence</p></blockquote>" in html
    assert 'href="https://example.org/join">Find out how to join</a>' in html


@pytest.mark.parametrize(
    ("child", "parent", "allowed"),
    [
        (HomePage, Page, True),
        (StandardPage, HomePage, True),
        (StandardPage, StandardPage, True),
        (StandardPage, NewsIndexPage, False),
        (NewsIndexPage, HomePage, True),
        (NewsIndexPage, StandardPage, False),
        (NewsPage, NewsIndexPage, True),
        (NewsPage, HomePage, False),
        (NewsPage, FilmIndexPage, False),
        (FilmIndexPage, HomePage, True),
        (FilmPage, FilmIndexPage, True),
        (FilmPage, NewsIndexPage, False),
        (EventIndexPage, HomePage, True),
        (EventPage, EventIndexPage, True),
        (EventPage, HomePage, False),
        (HomePage, HomePage, False),
    ],
)
def test_page_tree_rules(child, parent, allowed):
    assert (parent in child.allowed_parent_page_models()) is allowed


def test_pages_without_children_allow_no_subpages():
    for model in (NewsPage, FilmPage, EventPage):
        assert model.allowed_subpage_models() == []


def test_only_one_home_page_can_be_created(home):
    assert not HomePage.can_create_at(Page.get_first_root_node())


def test_footer_shows_editable_signposting_on_every_page(client, home):
    news = NewsIndexPageFactory(parent=home)
    story = NewsPageFactory(parent=news)
    for url in ("/", story.url, "/privacy/", "/search/", "/no-such-page/"):
        html = client.get(url).content.decode()
        assert "If you are in danger now, call 999." in html, url
        assert 'href="tel:08001111">0800 1111</a>' in html, url

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.emergency_message = "In danger right now? Call 999."
    site_settings.helplines = [
        (
            "helpline",
            {
                "name": "Kooth",
                "contact": "kooth.com",
                "telephone": "",
                "description": "Online counselling",
            },
        )
    ]
    site_settings.save()
    html = client.get(story.url).content.decode()
    assert "In danger right now? Call 999." in html
    assert "Kooth" in html
    assert "0800 1111" not in html


def test_event_end_before_start_is_refused(home):
    index = EventIndexPageFactory(parent=home)
    from tests.factories import EventPageFactory

    event = EventPageFactory(parent=index)
    event.end = event.start.replace(year=event.start.year - 1)
    with pytest.raises(ValidationError) as excinfo:
        event.full_clean()
    assert "end" in excinfo.value.message_dict
