"""Closing the loop: results published, top themes answered, promises overdue, per partner."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from consultations.commitments.loop import TOP_THEMES, loop_status, partner_counts
from consultations.commitments.models import Commitment, CommitmentFeedback
from consultations.models import Answer, ConsultationPage
from consultations.themes.models import Codebook, HumanCoding, Theme
from tests.consultations.admin.support import respond, sign_in_as
from tests.factories import make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
CLOSED = datetime(2026, 1, 5, 17, 0, tzinfo=LONDON)
SAFER = "What would make you feel safer?"
#: Theme: how many of the 12 young people raised it. "Shops" is sixth, so not a top theme.
THEMES = {"Lights": 12, "Buses": 10, "Clubs": 8, "Parks": 6, "Online": 4, "Shops": 2}


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False


def closed_consultation(home, *, title="Feeling safe", people=12, closes_at=CLOSED):
    """A consultation ``people`` young people answered, coded by hand into ``THEMES``, closed."""
    page = make_consultation(home, title=title)
    for _n in range(people):
        respond(page, {SAFER: "Better street lights near the park"}, source="paper")
    codebook = Codebook.objects.create(name=f"{title} themes", consultation=page)
    themes = [
        Theme.objects.create(codebook=codebook, name=name, sort_order=n)
        for n, name in enumerate(reversed(THEMES))  # codebook order is not the count order
    ]
    for n, answer in enumerate(Answer.objects.filter(response__page=page).order_by("pk")):
        coding = HumanCoding.objects.create(answer=answer, codebook=codebook)
        coding.themes.set([t for t in themes if n < THEMES[t.name]])
    ConsultationPage.objects.filter(pk=page.pk).update(
        opens_at=closes_at - timedelta(days=28), closes_at=closes_at
    )
    page.refresh_from_db()
    return page


def theme(page, name) -> Theme:
    return Theme.objects.get(codebook__consultation=page, name=name)


def promise(page, **fields) -> Commitment:
    return Commitment.objects.create(
        **{
            "consultation": page,
            "you_said": "You said the streets are too dark.",
            "we_will": "We will fix the lights by the park.",
            "partner": "council",
            "lead": "Head of Highways",
            "due_date": date(2026, 6, 30),
        }
        | fields
    )


@pytest.fixture
def closed(home):
    """Closed on 5 January 2026. "Lights" has a published promise (overdue from 1 March);
    "Buses" only a draft; "Clubs" a reasoned "not doing"; "Parks" and "Online" nothing."""
    page = closed_consultation(home)
    promise(page, theme=theme(page, "Lights"), status="in_progress", due_date=date(2026, 3, 1))
    promise(page, theme=theme(page, "Buses"), published=False, we_will="Later buses.")
    promise(
        page,
        theme=theme(page, "Clubs"),
        status="not_doing",
        reason="No money this year.",
        we_will="Open clubs later.",
    )
    return page


def only(loops):
    assert len(loops) == 1
    return loops[0]


def test_a_consultation_still_open_is_not_counted(closed):
    assert loop_status(now=CLOSED - timedelta(minutes=1)) == []


def test_top_themes_by_count_and_whether_a_published_promise_answers_each(closed):
    loop = only(loop_status(now=CLOSED + timedelta(weeks=13)))
    assert [t.name for t in loop.themes] == ["Lights", "Buses", "Clubs", "Parks", "Online"]
    assert len(loop.themes) == TOP_THEMES  # "Shops", sixth, is left out
    assert [t.name for t in loop.unanswered] == ["Buses", "Clubs", "Parks", "Online"]
    assert [t.name for t in loop.themes if t.drafted] == ["Buses"]
    assert loop.commitments == 3


def test_a_promise_about_the_whole_consultation_answers_no_theme(closed):
    promise(closed, we_will="About everything.")  # no theme
    loop = only(loop_status(now=CLOSED + timedelta(weeks=13)))
    assert [t.name for t in loop.unanswered] == ["Buses", "Clubs", "Parks", "Online"]
    # A name the codebook no longer has (renamed since it was counted) is not answered either.
    (renamed,) = only(
        loop_status(now=CLOSED + timedelta(weeks=13), top_themes=lambda page: ["Renamed"])
    ).themes
    assert renamed.theme_id is None and not renamed.answered


def test_results_are_published_only_once_their_date_has_come(closed):
    closed.results_published_at = CLOSED + timedelta(weeks=2)
    closed.save()
    assert only(loop_status(now=CLOSED + timedelta(weeks=1))).results_published_on is None
    loop = only(loop_status(now=CLOSED + timedelta(weeks=3)))
    assert loop.results_published_on == date(2026, 1, 19)
    assert loop.weeks_since_closing == 3
    assert loop.closed_on == date(2026, 1, 5)


def test_a_promise_is_overdue_after_its_day_unless_done_or_not_doing(closed):
    page = closed
    promise(page, status="done", due_date=date(2026, 2, 1), we_will="Done already.")
    promise(page, status="planned", due_date=date(2026, 3, 2), we_will="Due on the day.")
    on_the_day = only(loop_status(now=datetime(2026, 3, 1, 12, tzinfo=LONDON)))
    assert on_the_day.overdue == []  # due today is not overdue yet
    next_day = only(loop_status(now=datetime(2026, 3, 2, 12, tzinfo=LONDON)))
    assert [c.we_will for c in next_day.overdue] == ["We will fix the lights by the park."]


def test_too_few_young_people_means_no_top_themes(home, settings):
    settings.YOUTHVOICE_SUPPRESSION_THRESHOLD = 10
    page = closed_consultation(home, title="Small group", people=4)
    loop = only(loop_status(now=CLOSED + timedelta(weeks=13)))
    assert loop.consultation == page
    assert loop.themes == [] and loop.unanswered == []


def test_counts_per_partner_with_feedback(closed):
    police = promise(closed, partner="police", status="done", we_will="Walk the routes.")
    CommitmentFeedback.objects.create(commitment=police, answer="yes")
    CommitmentFeedback.objects.create(commitment=police, answer="partly")
    table = partner_counts(Commitment.objects.all(), today=date(2026, 4, 1))
    rows = {row.partner: row for row in table.rows}
    assert list(rows) == ["County council", "Police", "Health", "All three partners"]
    council = rows["County council"]
    assert (council.made, council.done, council.in_progress, council.overdue) == (3, 0, 1, 1)
    police_row = rows["Police"]
    assert (police_row.made, police_row.done, police_row.overdue) == (1, 1, 0)
    said = police_row.feedback
    assert (said.yes, said.partly, said.no) == (1, 1, 0)
    assert rows["Health"].made == 0
    assert (table.total.made, table.total.done, table.total.overdue) == (4, 1, 1)
    assert table.total.feedback.total == 2


# The admin listing ------------------------------------------------------------------------------

LIST = "wagtailsnippets_commitments_commitment:list"


def test_the_admin_list_marks_overdue_promises_and_filters_them(client, home):
    page = closed_consultation(home, people=1, closes_at=datetime(2025, 1, 5, 17, tzinfo=LONDON))
    promise(page, status="in_progress", due_date=date(2025, 3, 1), we_will="Late lights.")
    promise(page, status="done", due_date=date(2025, 3, 1), we_will="Finished benches.")
    promise(page, status="planned", due_date=date(2099, 3, 1), we_will="Future parks.")
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})

    html = client.get(reverse(LIST)).content.decode()
    assert len(re.findall(r"w-status[^>]*>\s*Overdue\s*<", html)) == 1
    assert "Late lights." in html and "Finished benches." in html

    html = client.get(reverse(LIST), {"overdue": "on"}).content.decode()
    assert "Late lights." in html
    assert "Finished benches." not in html and "Future parks." not in html
