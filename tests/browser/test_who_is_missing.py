"""Who is missing, in Chromium: an Executive partner follows the key findings' link to the table
of answers against the population (its closed part opens), and a facilitator sees "Who is
missing so far" on the consultation's overview; axe-core clean on both."""

import re

import pytest

from consultations.reports.models import Population, PopulationFigure
from tests.consultations.admin.support import respond
from tests.factories import make_consultation
from tests.youthforum.accounts.support import make_user
from youthforum.accounts import roles

from .conftest import axe_lines, sign_in_with_code

pytestmark = pytest.mark.browser

DESK = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


@pytest.fixture
def consultation(live_home):
    """As tests/consultations/reports/test_population_report.py: 16 to 18 under-represented,
    none from South Somerset."""
    page = make_consultation(live_home, title="Getting around", slug="getting-around")
    population = Population.objects.create(source="ONS mid-year estimates 2023", year=2023)
    for band in ("11 to 12", "13 to 15", "16 to 18"):
        for area in ("Mendip", "Sedgemoor", "South Somerset"):
            PopulationFigure.objects.create(
                population=population, age_band=band, area=area, young_people=1000
            )
    groups = [(40, "13 to 15", "Mendip"), (10, "16 to 18", "Mendip"), (20, "11 to 12", "Sedgemoor")]
    for n, band, area in groups:
        for _ in range(n):
            respond(
                page,
                {
                    "What would make you feel safer?": "Better buses",
                    "How old are you?": band,
                    "Where do you live?": area,
                },
            )
    return page


def test_the_key_findings_lead_to_the_table_and_the_overview_shows_the_gaps(
    consultation, live_server, new_page, axe_path
):
    problems = []
    page = new_page(**DESK)
    executive = make_user(roles=[roles.EXECUTIVE_PARTNERS], email="exec@example.org")
    report_url = f"{live_server.url}/reports/getting-around/"
    sign_in_with_code(page, report_url, executive, lands_on=r"/reports/getting-around/$")

    missing = page.locator(".key-missing").inner_text()
    assert "fewer than half as many answers as expected came from 16 to 18 year olds" in missing
    table = page.get_by_role("table", name="Age band: answers compared with the young people")
    assert not table.is_visible()  # inside "Who answered", closed at first

    page.get_by_role("link", name="See the table of answers against the population").click()
    table.wait_for(state="visible")
    assert "Under-represented" in table.inner_text()
    problems += axe_lines(page, axe_path, "report, who is missing")

    facilitator = make_user(roles=[roles.FACILITATORS], email="youthworker@example.org")
    staff = new_page(**DESK)
    overview_url = f"{live_server.url}/admin/consultations/{consultation.pk}/"
    sign_in_with_code(staff, overview_url, facilitator, lands_on=r"/admin/consultations/\d+/$")
    panel = staff.get_by_role("region", name="Who is missing so far")
    assert "South Somerset (area): no answers" in panel.inner_text()
    problems += axe_lines(staff, axe_path, "overview", after_messages=True)

    panel.get_by_role("link", name="See the full table in the report").click()
    staff.wait_for_url(re.compile(r"/reports/getting-around/#representation$"))
    staff.get_by_role("table", name=re.compile("^Area: answers compared")).wait_for(state="visible")

    assert not problems, "\n".join(problems)
