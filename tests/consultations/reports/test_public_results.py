"""Results for young people on a consultation's own page, once a facilitator publishes them."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from consultations.commitments.models import Commitment
from consultations.models import Answer
from consultations.reports.public import in_words
from consultations.themes.models import Codebook, HumanCoding, Theme
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


def test_a_word_fewer_young_people_used_than_the_minimum_is_never_shown(client, coded, settings):
    from consultations.reports.public import public_min_answers
    from consultations.selectors import top_terms
    from consultations.services.word_clouds import word_cloud

    settings.YOUTHVOICE_PUBLIC_WORD_MIN_ANSWERS = 5
    for _ in range(4):  # four young people: one fewer than the minimum
        respond(coded, {SAFER: "Zebedee lights the way home", AGE: "13 to 15"}, source="paper")
    publish_results(coded)
    assert "zebedee" in {row.term for row in top_terms(coded)}  # staff see every word
    html = client.get(coded.url).content.decode()
    assert "The words you used most" in html
    assert "zebedee" not in html.lower()
    public = word_cloud(coded, fmt="svg", min_answers=public_min_answers())
    assert "zebedee" not in public.lower() and "light" in public.lower()
    assert "zebedee" in word_cloud(coded, fmt="svg").lower()
    cloud = client.get(f"{coded.url}results/word-cloud/")
    assert cloud.content == word_cloud(coded, fmt="png", min_answers=5)
    assert cloud.content != word_cloud(coded, fmt="png")


def test_when_no_word_reaches_the_minimum_there_is_no_cloud(client, coded, settings):
    settings.YOUTHVOICE_PUBLIC_WORD_MIN_ANSWERS = 14  # 15 took part; no word is in 14 answers
    publish_results(coded)
    html = client.get(coded.url).content.decode()
    assert "15 young people took part." in html
    assert "The words you used most" not in html
    assert client.get(f"{coded.url}results/word-cloud/").status_code == 404


@pytest.mark.parametrize("filtered", [False, True])
def test_top_terms_can_leave_out_words_few_answers_used(coded, filtered):
    from consultations.selectors import top_terms

    respond(coded, {SAFER: "Zebedee lights the way home", AGE: "13 to 15"}, source="paper")
    narrow = {"age_band": "13 to 15"} if filtered else {}
    every = {row.term: row.answers for row in top_terms(coded, **narrow)}
    common = {row.term: row.answers for row in top_terms(coded, min_answers=2, **narrow)}
    assert every["zebedee"] == 1
    assert common == {term: n for term, n in every.items() if n >= 2}
    assert common  # the common words are still there
