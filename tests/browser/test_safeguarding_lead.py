"""A Safeguarding lead works a concern at a desk: reads why it was flagged, opens the whole
response, raises the severity and assigns it to a colleague; axe-core clean on every page.

Desktop-sized Chromium: leads work the queue at a desk. axe checks WCAG 2.x A and AA on the
queue, the concern, the concern with a refused form, and the whole response.
"""

import re

import pytest
from playwright.sync_api import expect

from consultations.models import Answer, QuestionKind, Response
from consultations.safeguarding.models import SafeguardingConcern
from tests.consultations.safeguarding.support import make_concern
from tests.factories import make_consultation
from tests.youthforum.accounts.support import make_user
from youthforum.accounts import roles

from .conftest import axe_lines, sign_in_with_code

pytestmark = pytest.mark.browser

DESK = {"viewport": {"width": 1280, "height": 900}, "is_mobile": False, "has_touch": False}
DISCLOSURE = "my stepdad hits me when hes drunk and im scared to go home"


@pytest.fixture
def concern(live_home):
    consultation = make_consultation(live_home, title="Feeling safe", slug="feeling-safe")
    concern = make_concern(
        consultation,
        text=DISCLOSURE,
        categories=["abuse_neglect"],
        spans=[{"start": 3, "end": 18, "category": "abuse_neglect", "rule": "r", "severity": ""}],
    )
    Response.objects.filter(pk=concern.response_id).update(age_band="11-13")
    Answer.objects.create(
        response=concern.response,
        question=consultation.questions.get(kind=QuestionKind.RATING),
        rating=1,
    )
    return concern


def test_a_lead_reads_the_whole_response_raises_the_severity_and_assigns_it(
    concern, live_server, new_page, axe_path
):
    dsl = make_user(roles=[roles.SAFEGUARDING_LEADS], email="dsl@example.org")
    make_user(
        roles=[roles.SAFEGUARDING_LEADS],
        email="priya@example.org",
        first_name="Priya",
        last_name="Shah",
    )
    page = new_page(**DESK)
    problems = []

    sign_in_with_code(
        page, f"{live_server.url}/admin/safeguarding/", dsl, lands_on=r"/admin/safeguarding/$"
    )
    problems += axe_lines(page, axe_path, "queue", after_messages=True)

    page.get_by_role("link", name=f"Concern #{concern.pk}").click()
    page.wait_for_url(re.compile(rf"/admin/safeguarding/{concern.pk}/$"))
    assert "because it says “stepdad hits me”" in page.locator("[data-screen-reason]").inner_text()
    problems += axe_lines(page, axe_path, "concern", after_messages=True)

    page.locator("[data-whole-response-link]").click()
    page.wait_for_url(re.compile(rf"/admin/safeguarding/{concern.pk}/response/$"))
    main = page.get_by_role("main").inner_text()
    assert "11-13" in main
    assert "1 out of 5: Very unhappy" in main
    problems += axe_lines(page, axe_path, "whole response", after_messages=True)

    page.get_by_role("link", name=f"Back to concern #{concern.pk}").click()
    page.locator("#id_severity-severity").select_option("urgent")
    page.get_by_role("button", name="Change severity").click()
    # The refused form comes back at the form's own address; wait for it to be drawn.
    page.wait_for_url(re.compile(rf"/admin/safeguarding/{concern.pk}/severity/$"))
    expect(page.get_by_role("main")).to_contain_text("Write a note saying what you did and why.")
    problems += axe_lines(page, axe_path, "concern with a refused form", after_messages=True)
    page.locator("#id_severity-note").fill("Scared to go home tonight.")
    page.get_by_role("button", name="Change severity").click()
    page.wait_for_url(re.compile(rf"/admin/safeguarding/{concern.pk}/$"))

    page.locator("#id_assign-assigned_to").select_option(label="Priya Shah (priya@example.org)")
    page.locator("#id_assign-note").fill("Priya knows the school.")
    page.get_by_role("button", name="Assign", exact=True).click()
    page.wait_for_url(re.compile(rf"/admin/safeguarding/{concern.pk}/$"))
    assert "Priya Shah" in page.locator("[data-assigned-to]").inner_text()

    concern = SafeguardingConcern.objects.get(pk=concern.pk)
    assert (concern.severity, concern.assigned_to.email) == ("urgent", "priya@example.org")
    assert concern.acknowledged_by == dsl
    assert problems == [], "\n".join(problems)
