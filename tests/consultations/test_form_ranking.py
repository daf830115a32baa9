"""A ranking starts at number 1 and skips no number; otherwise it is refused and nothing saved."""

import re

import pytest

from consultations.models import Layout, QuestionKind, Response
from consultations.services import RawAnswer, SubmissionInvalid, validate_answers
from consultations.services.drafts import draft_key
from tests.factories import QuestionFactory, make_consultation

pytestmark = pytest.mark.django_db

GAP = "Start with number 1 and do not skip any numbers."


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None


@pytest.fixture
def consultation(home):
    page = make_consultation(home, title="Feeling safe", slug="feeling-safe")
    QuestionFactory(
        page=page,
        kind=QuestionKind.RANKING,
        text="What should the council fix first?",
        options="Buses\nParks\nLights\nShops",
        max_ranked=3,
    )
    return page


def ranking(page):
    return next(
        q for q in page.ordered_questions() if q.text == "What should the council fix first?"
    )


def safer(page):
    return next(q for q in page.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)


def form_token(client, url) -> str:
    return re.search(r'name="token" value="([^"]+)"', client.get(url).content.decode()).group(1)


def post(client, page, places: dict[int, str]):
    rank = ranking(page)
    data = {"token": form_token(client, page.url), safer(page).field_name: "Lights on the path"}
    data |= {f"{rank.field_name}-rank-{n}": option for n, option in places.items()}
    return client.post(page.url, data)


@pytest.mark.parametrize(
    "places",
    [
        {1: "", 2: "Parks"},  # number 2 without number 1
        {2: "Parks"},  # number 1 not sent at all
        {1: "Buses", 2: "", 3: "Lights"},  # a gap in the middle
        {1: "  ", 2: "Parks"},  # spaces are not a choice
    ],
)
def test_a_ranking_with_a_gap_is_refused_naming_the_question_and_nothing_saved(
    client, consultation, places
):
    response = post(client, consultation, places)
    html = response.content.decode()
    assert response.status_code == 200
    assert Response.objects.count() == 0
    assert GAP in html
    assert (
        f'<a href="#{ranking(consultation).field_name}-rank-1">What should the council fix '
        "first? – start with number 1 and do not skip any numbers</a>"
    ) in html
    # Each option chosen is shown again in the place it was chosen, to be moved.
    field = ranking(consultation).field_name
    for n, option in places.items():
        select = re.search(rf'<select [^>]*id="{field}-rank-{n}".*?</select>', html, re.S).group(0)
        if option.strip():
            assert f'<option value="{option}" selected>' in select
        else:
            assert " selected>" not in select


@pytest.mark.parametrize(
    ("places", "stored"),
    [
        ({1: "Parks"}, ["Parks"]),
        ({1: "Parks", 2: "Buses"}, ["Parks", "Buses"]),
        ({1: "Parks", 2: "Buses", 3: ""}, ["Parks", "Buses"]),  # empty places after the last
        ({1: "Lights", 2: "Parks", 3: "Buses"}, ["Lights", "Parks", "Buses"]),
    ],
)
def test_rankings_from_number_1_without_gaps_are_stored_in_order(
    client, consultation, places, stored
):
    assert post(client, consultation, places).status_code == 302
    answer = Response.objects.get().answers.get(question=ranking(consultation))
    assert answer.choices == stored


def test_a_place_numbered_0_is_refused(client, consultation):
    response = post(client, consultation, {0: "Parks", 1: "Buses"})
    assert response.status_code == 400
    assert Response.objects.count() == 0


def test_a_step_with_a_gap_is_refused_and_not_kept_in_the_draft(client, consultation):
    consultation.layout = Layout.STEPS
    consultation.save_revision().publish()
    rank = ranking(consultation)
    number = list(consultation.ordered_questions()).index(rank) + 1
    url = f"{consultation.url}questions/{number}/"
    response = client.post(url, {f"{rank.field_name}-rank-2": "Parks"})
    assert response.status_code == 200
    assert GAP in response.content.decode()
    assert draft_key(consultation.pk) not in client.session


def test_the_service_refuses_a_gap_from_any_source(consultation):
    rank = ranking(consultation)
    with pytest.raises(SubmissionInvalid) as refused:
        validate_answers(
            questions=[rank],
            answers={rank.pk: RawAnswer.of("", "Parks")},
            require_complete=False,
        )
    assert refused.value.errors == {rank.pk: [GAP]}
