"""“Closing the loop” on the Executive dashboard, and promises per partner there and in the year
in review (page and spreadsheet)."""

from datetime import datetime, time, timedelta
from html.parser import HTMLParser
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations.commitments.models import CommitmentFeedback
from consultations.reports.year import Year
from tests.consultations.admin.support import sign_in_as
from tests.consultations.commitments.test_loop import closed_consultation, promise, theme
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

LOOP_CAPTION = "Closed consultations: results and promises"
PARTNER_CAPTION = "Promises made by each partner, and what young people think of them"


class Tables(HTMLParser):
    """Each table's rows, as lists of cell texts (header cells too), by its caption."""

    def __init__(self, html):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.links: dict[str, list[str]] = {}
        self._caption = self._rows = self._cell = self._where = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._where = "caption"
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ""
        elif tag == "li" and self._cell is not None:
            self._cell += " "
        elif tag == "a" and self._rows is not None and self._caption:
            self.links.setdefault(self._caption, []).append(dict(attrs)["href"])

    def handle_endtag(self, tag):
        if tag == "caption":
            self._where = None
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption] = self._rows
            self._rows = None

    def handle_data(self, data):
        if self._where == "caption":
            self._caption += data.strip()
        elif self._cell is not None:
            self._cell += data


def noon_days_ago(days):
    """Midday in the UK ``days`` calendar days ago: "now less n weeks" can fall on another
    calendar day in the UK when the clocks changed in between and it is near midnight."""
    return timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=days), time(12))
    )


@pytest.fixture
def closed(home):
    """Closed 13 weeks ago, results not published. "Lights" has a published promise, overdue;
    "Buses" only a draft; "Parks" and "Online" nothing; "Clubs" a "not doing"."""
    closes_at = noon_days_ago(7 * 13)
    page = closed_consultation(home, title="Feeling safe", closes_at=closes_at)
    yesterday = timezone.localdate() - timedelta(days=1)
    lights = promise(page, theme=theme(page, "Lights"), status="in_progress", due_date=yesterday)
    promise(
        page,
        theme=theme(page, "Buses"),
        published=False,
        we_will="Later buses.",
        due_date=yesterday + timedelta(days=100),
    )
    promise(
        page,
        theme=theme(page, "Clubs"),
        partner="police",
        status="not_doing",
        reason="No money.",
        we_will="Open clubs later.",
    )
    promise(page, partner="health", status="done", due_date=yesterday, we_will="Nurse drop-in.")
    CommitmentFeedback.objects.bulk_create(
        [CommitmentFeedback(commitment=lights, answer=a) for a in ("yes", "yes", "partly", "no")]
    )
    return page


def dashboard(client):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    response = client.get(reverse("reports_dashboard"))
    assert response.status_code == 200
    return Tables(response.content.decode())


def test_closed_consultations_show_results_and_themes_still_needing_a_promise(client, closed):
    tables = dashboard(client)
    header, row = tables.tables[LOOP_CAPTION]
    assert header == [
        "Consultation",
        "Closed",
        "Results published to young people",
        "Top themes with no promise",
        "Overdue promises",
    ]
    assert row[0] == "Feeling safe"
    assert row[2] == "Not yet (13 weeks since closing)"
    assert row[3] == (
        "Buses (a promise is drafted but not published) Clubs Parks Online"
    )  # not "Lights" (answered) nor "Shops" (not a top theme)
    assert row[4] == "1 overdue promise: see it"
    assert (
        f"/admin/snippets/commitments/commitment/?overdue=on&consultation={closed.pk}"
        in tables.links[LOOP_CAPTION]
    )


def test_published_results_show_their_date(client, closed):
    closed.results_published_at = noon_days_ago(7)
    closed.save()
    row = dashboard(client).tables[LOOP_CAPTION][1]
    assert row[2] == f"{timezone.localdate() - timedelta(weeks=1):%-d %b %Y}"


def test_a_small_consultation_shows_no_themes_and_an_open_one_is_not_listed(client, home):
    closed_consultation(
        home, title="Small group", people=4, closes_at=timezone.now() - timedelta(weeks=2)
    )
    open_page = closed_consultation(
        home, title="Still open", closes_at=timezone.now() + timedelta(days=3)
    )
    assert open_page.status == "open"
    rows = dashboard(client).tables[LOOP_CAPTION][1:]
    assert [r[0] for r in rows] == ["Small group"]
    assert rows[0][3] == "No themes to show yet"


def test_no_closed_consultation_says_so(client, home):
    rows = dashboard(client).tables[LOOP_CAPTION]
    assert rows[1] == ["No consultation has closed yet."]


PARTNER_ROWS = [
    ["Partner", "Made", "Done", "In progress", "Overdue"],
    ["County council", "2", "0", "1", "1", "2", "1", "1"],
    ["Police", "1", "0", "0", "0", "0", "0", "0"],
    ["Health", "1", "1", "0", "0", "0", "0", "0"],
    ["All three partners", "0", "0", "0", "0", "0", "0", "0"],
    ["Total", "4", "1", "1", "1", "2", "1", "1"],
]


def test_promises_by_partner_on_the_dashboard(client, closed):
    rows = dashboard(client).tables[PARTNER_CAPTION]
    assert rows[0][:5] == PARTNER_ROWS[0]
    assert rows[1:] == PARTNER_ROWS[1:]


def test_promises_by_partner_in_the_year_in_review_and_its_spreadsheet(client, closed):
    label = Year.containing(timezone.localdate() - timedelta(weeks=14)).label
    sign_in_as(client, {"roles": [roles.FACILITATORS]})
    tables = Tables(client.get(reverse("year_review", args=[label])).content.decode()).tables
    (rows,) = [rows for caption, rows in tables.items() if caption.startswith("Promises made by")]
    assert rows[1:] == PARTNER_ROWS[1:]

    response = client.get(reverse("year_review_xlsx", args=[label]))
    sheet = load_workbook(BytesIO(response.content))["Partners"]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert cells[0] == [
        "Partner",
        "Made",
        "Done",
        "In progress",
        "Overdue",
        "Feedback: yes",
        "Feedback: partly",
        "Feedback: no",
    ]
    assert cells[1] == ["County council", 2, 0, 1, 1, 2, 1, 1]
    assert cells[-1] == ["Total", 4, 1, 1, 1, 2, 1, 1]


def test_a_year_with_no_promises_shows_noughts(client, home):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    html = client.get(reverse("year_review", args=[Year.starting(2001).label])).content.decode()
    tables = Tables(html).tables
    (rows,) = [rows for caption, rows in tables.items() if caption.startswith("Promises made by")]
    assert rows[-1] == ["Total", "0", "0", "0", "0", "0", "0", "0"]
