"""Results for young people on a consultation's own page, once a facilitator publishes them."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from consultations.models import Answer, Codebook, Commitment, HumanCoding, Theme
from consultations.reports.public import in_words
from tests.consultations.admin.support import respond
from tests.factories import make_consultation

from .conftest import AGE, SAFER

pytestmark = pytest.mark.django_db


def publish_results(page):
    page.results_published_at = timezone.now() - timedelta(hours=1)
    page.save()
    return page


@pytest.fixture
def coded(answered):
    codebook = Codebook.objects.create(name="Themes", consultation=answered)
    lights = Theme.objects.create(codebook=codebook, name="Feeling safe outside")
    Theme.objects.create(codebook=codebook, name="Things to do")
    for answer in Answer.objects.filter(text="Better street lights near the park"):
        HumanCoding.objects.create(answer=answer, codebook=codebook).themes.add(lights)
    Commitment.objects.create(
        consultation=answered,
        you_said="You said streets are too dark.",
        we_will="We will fix the lights by the park.",
        partner="council",
        lead="Head of Highways",
        due_date=date(2027, 1, 31),
    )
    return answered


def test_nothing_is_shown_before_results_are_published(client, coded):
    html = client.get(coded.url).content.decode()
    assert "What you told us" not in html
    assert client.get(f"{coded.url}results/word-cloud/").status_code == 404


def test_published_results_in_plain_words_without_quotes(client, coded):
    publish_results(coded)
    html = client.get(coded.url).content.decode()
    assert "15 young people took part." in html
    # 12 of 15 raised it: 80%.
    assert "Most of the young people who wrote to us talked about feeling safe outside." in html
    assert "We will fix the lights by the park." in html
    assert "The words you used most" in html
    # Words, never the sentences anyone wrote.
    assert "Better street lights near the park" not in html
    assert "More youth clubs open late" not in html
    cloud = client.get(f"{coded.url}results/word-cloud/")
    assert cloud.status_code == 200 and cloud.content.startswith(b"\x89PNG")


def test_a_handful_of_answers_shows_only_the_count(client, home):
    page = publish_results(make_consultation(home, title="Tiny", slug="tiny"))
    for _ in range(3):
        respond(
            page,
            {SAFER: "Something only I would say about Zebedee", AGE: "13 to 15"},
            source="paper",
        )
    html = client.get(page.url).content.decode()
    assert "3 young people took part." in html
    assert "So few people took part" in html
    assert "Zebedee" not in html
    assert client.get(f"{page.url}results/word-cloud/").status_code == 404


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (0.95, "almost everyone"),
        (0.8, "most"),
        (0.5, "about half"),
        (0.34, "about 1 in 3"),
        (0.1, "about 1 in 10"),
        (0.02, "a few"),
    ],
)
def test_shares_in_words(share, words):
    assert in_words(share) == words
