"""The "Consultation reports" panel on the Wagtail dashboard: the latest consultations with their
responses and top themes, open and overdue promises, each linked to its report or record, in a
fixed number of queries (#15, item 1)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.commitments.models import Commitment, CommitmentStatus, Partner
from consultations.models import Answer
from consultations.reports.briefing import briefing
from consultations.reports.report import build_report
from consultations.themes.models import Codebook, CodingRun, HumanCoding, MachineCode, Theme
from tests.consultations.admin.support import respond
from tests.factories import UserFactory, make_consultation
from youthforum.accounts import roles

from .conftest import SAFER

pytestmark = pytest.mark.django_db

LIGHTS = "Better street lights near the park"
CLUBS = "More youth clubs open late"
EDIT = "wagtailsnippets_commitments_commitment:edit"
LIST = "wagtailsnippets_commitments_commitment:list"


def panel(html: str) -> str:
    match = re.search(r'id="consultation-reports-section".*?</section>', html, flags=re.S)
    assert match, "no Consultation reports panel on the dashboard"
    return match.group(0)


def words(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def row_of(html: str, title: str) -> str:
    """The words of the panel's table row for the consultation called ``title``."""
    for row in re.findall(r"<tr>.*?</tr>", panel(html), flags=re.S):
        if f">{title}</a>" in row:
            return words(row)
    raise AssertionError(f"no row for {title}")


def executive_dashboard(client) -> str:
    client.force_login(UserFactory(roles=[roles.EXECUTIVE_PARTNERS]))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.text


@pytest.fixture
def coded(answered):
    """The 15 young people of conftest.py, coded by hand and by machine, worked out by hand:

    - the current run codes Lighting on the 12 lights answers and Transport on the first 4 of
      them; an older run's Youth clubs codes on them must not count;
    - a person coded the first lights answer "none of these", which wins over the run: it has
      no theme;
    - a person coded two clubs answers Youth clubs; the third was coded Youth clubs, then later
      (in the blind check) Transport: the later coding wins.

    So Lighting 11, Transport 4 (3 lights and 1 clubs), Youth clubs 2, of 15 young people with
    a written answer: 73%, 27% and 13%.
    """
    codebook = Codebook.objects.create(name="Feeling safe", consultation=answered)
    lighting = Theme.objects.create(codebook=codebook, name="Lighting", sort_order=0)
    transport = Theme.objects.create(codebook=codebook, name="Transport", sort_order=1)
    clubs = Theme.objects.create(codebook=codebook, name="Youth clubs", sort_order=2)
    Theme.objects.create(codebook=codebook, name="Nothing yet", sort_order=3)
    lights = list(Answer.objects.filter(text=LIGHTS).order_by("pk"))
    club_answers = list(Answer.objects.filter(text=CLUBS).order_by("pk"))
    assert (len(lights), len(club_answers)) == (12, 3)
    old = CodingRun.objects.create(codebook=codebook, status="done", is_current=False)
    run = CodingRun.objects.create(codebook=codebook, status="done", is_current=True)
    for i, answer in enumerate(lights):
        MachineCode.objects.create(run=old, answer=answer, theme=clubs, score=0.9)
        MachineCode.objects.create(run=run, answer=answer, theme=lighting, score=0.9)
        if i < 4:
            MachineCode.objects.create(run=run, answer=answer, theme=transport, score=0.8)
    HumanCoding.objects.create(answer=lights[0], codebook=codebook)  # "none of these"
    earlier = timezone.now() - timedelta(days=1)
    for answer in club_answers:
        HumanCoding.objects.create(answer=answer, codebook=codebook, coded_at=earlier).themes.add(
            clubs
        )
    later = HumanCoding.objects.create(answer=club_answers[2], codebook=codebook, gold=True)
    later.themes.add(transport)
    return answered


def promise(consultation, *, due, status=CommitmentStatus.PLANNED, we_will="Run a later bus"):
    return Commitment.objects.create(
        consultation=consultation,
        you_said="You told us buses stop too early.",
        we_will=we_will,
        partner=Partner.COUNCIL,
        lead="Head of Transport",
        due_date=due,
        status=status,
    )


def test_a_consultation_shows_its_responses_and_top_three_themes(client, coded):
    html = executive_dashboard(client)

    row = row_of(html, "Feeling safe")
    assert "15" in row
    assert "Lighting (73%) Transport (27%) Youth clubs (13%)" in row
    assert "Nothing yet" not in row
    report = reverse("report", args=[coded.slug])
    assert f'<a href="{report}">Feeling safe</a>' in panel(html)
    assert client.get(report).status_code == 200


def test_the_top_themes_agree_with_the_report(coded):
    """The same people and the same shares as the report's themed summary, counted differently
    (in the database here, in Python there)."""
    themes = briefing(today=timezone.localdate()).consultations[0].themes
    summary = build_report(coded).themes.themes[:3]

    assert [(t.theme, t.respondents, t.share) for t in themes] == [
        (t.theme, t.respondents, t.share) for t in summary
    ]
    assert [(t.theme, t.respondents) for t in themes] == [
        ("Lighting", 11),
        ("Transport", 4),
        ("Youth clubs", 2),
    ]


def test_held_answers_are_not_counted_in_the_themes(coded):
    Answer.objects.filter(text=LIGHTS).update(held=True)

    themes = briefing(today=timezone.localdate()).consultations[0].themes

    # Only the clubs answers are left: 3 young people with a written answer (one also wrote
    # "scooter"), Youth clubs 2 and Transport 1.
    assert [(t.theme, t.respondents, round(t.share, 2)) for t in themes] == [
        ("Youth clubs", 2, 0.67),
        ("Transport", 1, 0.33),
    ]


def test_uncoded_and_small_consultations_say_why_there_are_no_themes(client, answered, home):
    small = make_consultation(home, title="Getting around", slug="getting-around")
    for _ in range(3):
        respond(small, {SAFER: "More buses"})

    html = executive_dashboard(client)

    assert "Not coded yet" in row_of(html, "Feeling safe")
    small_row = row_of(html, "Getting around")
    assert "Too few responses to show themes" in small_row
    assert " 3 " in f" {small_row} "


def test_open_and_overdue_promises_are_counted_and_the_overdue_listed(client, answered):
    today = timezone.localdate()
    late = promise(answered, due=today - timedelta(days=30), we_will="Run a later bus")
    promise(
        answered,
        due=today - timedelta(days=2),
        status=CommitmentStatus.IN_PROGRESS,
        we_will="Mend the park lights",
    )
    promise(answered, due=today, we_will="Open a youth club on Fridays")  # due today: not late
    promise(answered, due=today - timedelta(days=9), status=CommitmentStatus.DONE)
    promise(answered, due=today - timedelta(days=9), status=CommitmentStatus.NOT_DOING)

    html = panel(executive_dashboard(client))

    assert "3 open, 2 overdue" in row_of(html, "Feeling safe")
    text = words(html)
    assert "3 promises are open; 2 are overdue." in text
    overdue = re.search(r"<ul[^>]*data-overdue-promises>.*?</ul>", html, flags=re.S).group(0)
    assert re.findall(r"<li>", overdue).__len__() == 2
    # The longest overdue first, each linked to its record.
    assert words(overdue).index("Run a later bus") < words(overdue).index("Mend the park lights")
    assert f'<a href="{reverse(EDIT, args=[late.pk])}">Run a later bus</a>' in overdue
    assert "Open a youth club on Fridays" not in overdue
    assert f"due {today - timedelta(days=30):%-d %B %Y}" in words(overdue)
    assert client.get(reverse(EDIT, args=[late.pk])).status_code == 200
    assert f'href="{reverse(LIST)}?consultation={answered.pk}"' in html


def test_only_the_longest_overdue_are_listed_and_the_rest_counted(client, answered, monkeypatch):
    from consultations.reports import briefing as module

    monkeypatch.setattr(module, "OVERDUE_SHOWN", 2)
    today = timezone.localdate()
    for days in (3, 10, 5):
        promise(answered, due=today - timedelta(days=days), we_will=f"Promise {days} days late")

    html = panel(executive_dashboard(client))

    assert "Promise 10 days late" in html and "Promise 5 days late" in html
    assert "Promise 3 days late" not in html
    assert "These are the 2 longest overdue of 3." in words(html)


def test_with_nothing_promised_the_panel_says_so(client, answered):
    text = words(panel(executive_dashboard(client)))

    assert "None open" in text
    assert "No promises are open." in text


def test_the_briefing_takes_a_fixed_number_of_queries(coded, home, django_assert_max_num_queries):
    today = timezone.localdate()
    with CaptureQueriesContext(connection) as few:
        briefing(today=today)

    for n in range(4):
        other = make_consultation(home, title=f"Consultation {n}", slug=f"consultation-{n}")
        for _ in range(10):
            respond(other, {SAFER: "More buses"})
        codebook = Codebook.objects.create(name=f"Themes {n}", consultation=other)
        buses = Theme.objects.create(codebook=codebook, name="Buses")
        for answer in Answer.objects.filter(response__page=other):
            HumanCoding.objects.create(answer=answer, codebook=codebook).themes.add(buses)
        for days in (-5, 1, 7):
            promise(other, due=today + timedelta(days=days))

    with django_assert_max_num_queries(len(few.captured_queries)):
        many = briefing(today=today)

    assert len(few.captured_queries) <= 8
    assert len(many.consultations) == 5
    assert many.overdue_promises == 4 and many.open_promises == 12
    assert all(c.themes for c in many.consultations)


def test_the_panel_takes_a_fixed_number_of_queries(
    client, coded, home, django_assert_max_num_queries
):
    client.force_login(UserFactory(roles=[roles.EXECUTIVE_PARTNERS]))
    client.get(reverse("wagtailadmin_home"))  # sessions, settings and permissions cached
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("wagtailadmin_home"))

    today = timezone.localdate()
    for n in range(3):
        other = make_consultation(home, title=f"Consultation {n}", slug=f"consultation-{n}")
        promise(other, due=today - timedelta(days=n + 1))

    with django_assert_max_num_queries(len(few.captured_queries)):
        html = client.get(reverse("wagtailadmin_home")).text
    assert "3 promises are open; 3 are overdue." in words(panel(html))
