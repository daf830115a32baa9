"""The demo flow for an Executive partner: sign in with an authenticator code, read a report,
filter it by age band, compare two groups and download the PDF; axe-core clean on every page.

Desktop-sized Chromium: Executive partners read reports at a desk. axe checks WCAG 2.x A and AA
on each page; any violation of any impact fails the test.
"""

import re

import pytest

from consultations.models import Answer
from consultations.themes.models import Codebook, HumanCoding, Theme
from tests.consultations.admin.support import respond
from tests.factories import make_consultation
from tests.youthforum.accounts.support import make_user
from youthforum.accounts import roles

from .conftest import axe_lines, sign_in_with_code

pytestmark = pytest.mark.browser

DESK = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}


@pytest.fixture
def consultation(live_home):
    page = make_consultation(live_home, title="Feeling safe", slug="feeling-safe")
    codebook = Codebook.objects.create(name="Themes", consultation=page)
    outside = Theme.objects.create(codebook=codebook, name="Feeling safe outside")
    clubs = Theme.objects.create(codebook=codebook, name="Things to do")
    for n in range(24):
        younger = n < 12
        respond(
            page,
            {
                "What would make you feel safer?": "Better street lights near the park"
                if younger or n % 3 == 0
                else "More youth clubs open late",
                "How do you get to school?": "Bus" if n % 2 else "Walk",
                "How old are you?": "13 to 15" if younger else "16 to 18",
                "Where do you live?": "Mendip",
            },
        )
    for answer in Answer.objects.filter(question__page=page).exclude(text=""):
        theme = outside if "lights" in answer.text else clubs
        HumanCoding.objects.create(answer=answer, codebook=codebook).themes.add(theme)
    return page


def test_executive_partner_reads_filters_compares_and_downloads(
    consultation, live_server, new_page, axe_path
):
    executive = make_user(roles=[roles.EXECUTIVE_PARTNERS], email="exec@example.org")
    page = new_page(**DESK)
    problems = []

    sign_in_with_code(page, f"{live_server.url}/reports/", executive, lands_on=r"/reports/$")
    assert page.get_by_role("heading", level=1).inner_text() == "Reports"
    problems += axe_lines(page, axe_path, "dashboard")

    page.get_by_role("link", name="Feeling safe").click()
    page.wait_for_url(re.compile(r"/reports/feeling-safe/$"))
    assert "24" in page.locator(".figures").inner_text()
    problems += axe_lines(page, axe_path, "report")

    page.select_option("#id_age_band", "13 to 15")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url(re.compile(r"age_band=13\+to\+15"))
    assert "Age band: 13 to 15" in page.inner_text("main")
    assert "12" in page.locator(".figures").inner_text()
    problems += axe_lines(page, axe_path, "filtered report")

    page.get_by_role("link", name="Compare two groups").click()
    page.select_option("#id_a-age_band", "13 to 15")
    page.select_option("#id_b-age_band", "16 to 18")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_selector("text=Themes side by side")
    assert "Feeling safe outside" in page.inner_text("table")
    problems += axe_lines(page, axe_path, "comparison")

    page.go_back()
    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("PDF")).click()
    path = download_info.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert download_info.value.suggested_filename.endswith(".pdf")

    assert not problems, "\n".join(problems)
