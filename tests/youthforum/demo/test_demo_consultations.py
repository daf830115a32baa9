"""``load_demo`` adds "Have your say", the open Plan consultation and a closed one, with answers."""

import random
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Revision

from consultations.analysis.safeguarding import screen
from consultations.models import (
    Answer,
    ConsultationIndexPage,
    ConsultationPage,
    ConsultationStatus,
    Question,
    Response,
    Source,
)
from consultations.services import OTHER, RawAnswer
from youthforum.demo import consultations as demo

pytestmark = pytest.mark.django_db

PLAN_URL = "/consultations/children-and-young-peoples-plan/"
MEMBERS_URL = "/consultations/what-being-a-member-means/"

# Words that would make a safeguarding screen hold an answer back. The demo must not contain
# them, or every demo would fill the safeguarding queue. Stricter than the real screen (which is
# also run), so a later, keener screen does not start flagging the demo either.
ALARMING = re.compile(
    r"\b(hurt|hit|abuse|abused|touch\w*|kill\w*|die|dead|suicid\w*|self[- ]harm|cut(ting)?|"
    r"knife|knives|stab\w*|weapon\w*|gun|drugs?|gang\w*|scared|afraid|threat\w*|rape\w*|"
    r"groom\w*|beat\w*|starv\w*|unsafe at home|run away)\b",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True)
def few_responses(settings):
    settings.YOUTHVOICE_DEMO_RESPONSES = 30


def load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "consultations": ConsultationPage.objects.count(),
        "questions": Question.objects.count(),
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
        "revisions": Revision.objects.count(),
    }


def test_demo_builds_have_your_say_with_an_open_plan_and_a_closed_consultation():
    output = load_demo()

    index = ConsultationIndexPage.objects.get()
    assert (index.title, index.url, index.show_in_menus, index.live) == (
        "Have your say",
        "/consultations/",
        True,
        True,
    )
    plan = ConsultationPage.objects.get(slug="children-and-young-peoples-plan")
    assert plan.url == PLAN_URL
    assert plan.title == "Children & Young People's Plan"
    assert plan.status == ConsultationStatus.OPEN
    now = timezone.now()
    assert timedelta(days=14) < now - plan.opens_at < timedelta(days=35)
    assert timedelta(days=45) < plan.closes_at - now < timedelta(days=75)
    assert [q.kind for q in plan.ordered_questions()] == [
        "long_text",
        "rating",
        "long_text",
        "single_choice",
        "multiple_choice",
        "long_text",
        "ranking",
        "about_you",
        "about_you",
    ]
    safer = plan.ordered_questions().first()
    assert safer.required and "safer" in safer.text

    responses = Response.objects.filter(page=plan)
    assert responses.count() == 30
    assert not responses.filter(is_demo=False).exists()
    assert responses.filter(source=Source.ONLINE).count() > 15
    assert set(responses.values_list("source", flat=True)) <= {
        Source.ONLINE,
        Source.PAPER,
        Source.WORKSHOP,
    }
    # Every answer was given while the consultation was open, and none in the future.
    assert not responses.filter(submitted_at__lt=plan.opens_at).exists()
    assert not responses.filter(submitted_at__gt=now).exists()
    assert safer.answers.exclude(text="").count() == 30  # required, so everyone answered it

    members = ConsultationPage.objects.get(slug="what-being-a-member-means")
    assert members.status == ConsultationStatus.RESULTS_PUBLISHED
    assert members.closes_at < members.results_published_at < now
    assert members.responses.count() == demo.CLOSED_RESPONSE_COUNT
    assert set(members.responses.values_list("source", "is_demo")) == {(Source.WORKSHOP, True)}
    assert f"{30 + demo.CLOSED_RESPONSE_COUNT} demo consultation responses" in output


def test_loading_the_demo_twice_creates_no_new_responses_pages_or_revisions():
    load_demo()
    first = counts()
    references = set(Response.objects.values_list("reference", flat=True))

    output = load_demo()

    assert counts() == first
    assert set(Response.objects.values_list("reference", flat=True)) == references
    assert "(0 new)" in output
    assert "0 created, 0 updated" in output


def test_more_demo_responses_top_up_the_same_ones(settings):
    load_demo()
    tokens = set(Response.objects.values_list("token", flat=True))
    settings.YOUTHVOICE_DEMO_RESPONSES = 35

    load_demo()

    plan = Response.objects.filter(page__slug="children-and-young-peoples-plan")
    assert plan.count() == 35
    assert tokens < set(Response.objects.values_list("token", flat=True))


def test_reset_removes_the_demo_consultations_and_their_responses_then_rebuilds():
    load_demo()
    first = counts()
    old_plan = ConsultationPage.objects.get(slug="children-and-young-peoples-plan")

    output = load_demo("--reset")

    assert f"{30 + demo.CLOSED_RESPONSE_COUNT} consultation responses" in output
    assert not ConsultationPage.objects.filter(pk=old_plan.pk).exists()
    assert {k: v for k, v in counts().items() if k != "revisions"} == {
        k: v for k, v in first.items() if k != "revisions"
    }


def test_a_demo_loaded_long_ago_is_opened_again(settings):
    load_demo()
    long_ago = timezone.now() - timedelta(days=400)
    ConsultationPage.objects.filter(slug="children-and-young-peoples-plan").update(
        opens_at=long_ago, closes_at=long_ago + timedelta(days=60)
    )

    load_demo()

    plan = ConsultationPage.objects.get(slug="children-and-young-peoples-plan")
    assert plan.status == ConsultationStatus.OPEN
    assert Response.objects.filter(page=plan).count() == 30  # the same answers, not new ones


def test_the_open_plan_page_shows_open_and_its_form(client):
    load_demo()

    response = client.get(PLAN_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'class="tag tag--open">\s*Open\s*<', html)
    assert "Send my answers" in html
    assert "What would make you feel safer" in html


def test_the_closed_consultation_page_shows_its_results_and_no_form(client):
    load_demo()

    response = client.get(MEMBERS_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'class="tag tag--results-published">\s*Results published\s*<', html)
    assert "This consultation has closed" in html
    assert "What you told us" in html
    assert "Send my answers" not in html


def test_generated_answers_are_deterministic_valid_and_never_alarming():
    options = {"age_bands": list(demo.AGE_WEIGHTS), "areas": list(demo.AREA_WEIGHTS)}
    plan_keys = {q.key: q for q in demo.PLAN.questions}

    for number in range(demo.RESPONSE_COUNT):
        answers, source = demo.plan_answers(random.Random(demo.SEED + number), **options)
        again, _ = demo.plan_answers(random.Random(demo.SEED + number), **options)
        assert answers == again
        assert source in {Source.ONLINE, Source.PAPER, Source.WORKSHOP}
        assert "safer" in answers
        for key, raw in answers.items():
            spec = plan_keys[key]
            written = raw.other if spec.options else " ".join(raw.values)
            assert not ALARMING.search(written), written
            assert not screen(written).flagged, written
            if spec.options:
                assert set(raw.values) - {OTHER} <= set(spec.options)
    for number in range(demo.CLOSED_RESPONSE_COUNT):
        answers, _ = demo.member_answers(random.Random(demo.SEED + number), **options)
        written = " ".join([*answers["means"].values, *answers.get("proud", RawAnswer()).values])
        assert not ALARMING.search(written), written
        assert not screen(written).flagged, written
