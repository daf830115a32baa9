import pytest
from django.core.exceptions import ValidationError

from tests.factories import FilmIndexPageFactory, FilmPageFactory
from youthforum.films.embeds import parse_video_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def film(home):
    index = FilmIndexPageFactory(parent=home)
    return FilmPageFactory(
        parent=index,
        title="The LADO film",
        transcript="<p>A LADO looks into worries about adults who work with children.</p>",
        video_url="https://youtu.be/AbCdEfGhIjK",
    )


def test_film_page_shows_poster_and_transcript_but_loads_no_player(client, film):
    html = client.get(film.url).content.decode()
    assert "A LADO looks into worries about adults who work with children." in html
    assert 'alt="Young people talking around a table"' in html
    assert 'href="?play=1#player"' in html
    assert "5 minutes" in html  # 4 min 30 s rounds to 5
    # The player sits inert in a <template> for the JavaScript enhancement; nothing live.
    before_template = html.split("<template")[0]
    assert "<iframe" not in before_template
    assert html.count("<iframe") == 1


def test_pressing_play_without_javascript_shows_the_privacy_enhanced_player(client, film):
    html = client.get(film.url, {"play": "1"}).content.decode()
    assert (
        '<iframe src="https://www.youtube-nocookie.com/embed/AbCdEfGhIjK?rel=0&amp;autoplay=1"'
        in html
    )
    assert 'title="YouTube video player"' in html
    assert "A LADO looks into worries" in html


def test_film_index_lists_films(client, film):
    html = client.get(film.get_parent().url).content.decode()
    assert "The LADO film" in html
    assert "with a transcript" in html


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.youtube.com/watch?v=AbCdEfGhIjK", ("youtube", "AbCdEfGhIjK")),
        ("https://youtu.be/AbCdEfGhIjK", ("youtube", "AbCdEfGhIjK")),
        ("https://www.youtube.com/embed/AbCdEfGhIjK", ("youtube", "AbCdEfGhIjK")),
        ("https://vimeo.com/123456789", ("vimeo", "123456789")),
        ("https://player.vimeo.com/video/123456789", ("vimeo", "123456789")),
        ("https://example.org/watch?v=AbCdEfGhIjK", None),
        ("https://www.youtube.com/watch?v=short", None),
        ("javascript:alert(1)", None),
        ("https://vimeo.com/channels", None),
    ],
)
def test_video_addresses_are_recognised(url, expected):
    assert parse_video_url(url) == expected


def test_vimeo_player_uses_do_not_track(home):
    index = FilmIndexPageFactory(parent=home)
    film = FilmPageFactory(parent=index, video_url="https://vimeo.com/123456789")
    assert "https://player.vimeo.com/video/123456789?dnt=1" in film.player_html()


def test_a_film_must_be_on_youtube_or_vimeo_and_have_a_transcript(home):
    index = FilmIndexPageFactory(parent=home)
    film = FilmPageFactory.build(video_url="https://example.org/video.mp4", transcript="")
    film.path, film.depth = index.path + "0001", index.depth + 1
    with pytest.raises(ValidationError) as excinfo:
        film.full_clean()
    assert "video_url" in excinfo.value.message_dict
    assert "transcript" in excinfo.value.message_dict
