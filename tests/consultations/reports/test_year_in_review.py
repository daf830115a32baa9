"""Year in review: a financial year's consultations, responses, themes and promises."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from consultations.commitments.models import Commitment, CommitmentFeedback
from consultations.reports.year import Year
from tests.consultations.admin.support import refused, sign_in_as
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

THIS_YEAR = Year.containing(date.today()).label


@pytest.fixture
def promised(answered):
    done = Commitment.objects.create(
        consultation=answered,
        you_said="Dark streets.",
        we_will='=HYPERLINK("x") lights',
        partner="council",
        lead="Highways",
        due_date=date(2027, 1, 31),
        status="done",
    )
    Commitment.objects.create(
        consultation=answered,
        you_said="Late buses.",
        we_will="Ask for a later bus.",
        partner="all",
        lead="Transport",
        due_date=date(2027, 2, 28),
        status="not_doing",
        reason="No money this year.",
    )
    CommitmentFeedback.objects.create(commitment=done, answer="yes")
    return answered


def test_years_run_april_to_march():
    assert Year.parse("2025-26") == Year(date(2025, 4, 1), date(2026, 3, 31))
    assert Year.containing(date(2026, 3, 31)).label == "2025-26"
    assert Year.containing(date(2026, 4, 1)).label == "2026-27"
    assert Year.parse("2025-27") is None and Year.parse("twenty") is None


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        (None, False),
        ({"roles": [roles.MEMBERS]}, False),
        ({"roles": [roles.SAFEGUARDING_LEADS]}, False),
        ({"roles": [roles.EXECUTIVE_PARTNERS]}, True),
        ({"roles": [roles.FACILITATORS]}, True),
    ],
)
def test_who_may_see_it(client, promised, who, allowed):
    sign_in_as(client, who)
    for url in (
        reverse("year_index"),
        reverse("year_review", args=[THIS_YEAR]),
        reverse("year_review_xlsx", args=[THIS_YEAR]),
    ):
        response = client.get(url)
        assert (
            response.status_code == 200 if allowed else refused(response, signed_in=who is not None)
        ), url


def test_the_page_gathers_the_year(client, promised):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    html = client.get(reverse("year_review", args=[THIS_YEAR])).content.decode()
    assert "Feeling safe" in html
    assert "15 responses in this year" in html
    assert "Not doing: No money this year." in html
    assert "young people said yes 1 times" in html


def test_a_year_without_consultations_says_so(client, promised):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    html = client.get(reverse("year_review", args=["2001-02"])).content.decode()
    assert "No consultations were open in this year." in html


@pytest.mark.parametrize("label", ["2025-27", "2025", "abcd-ef", "1999-00"])
def test_a_label_that_is_not_a_year_is_404(client, promised, label):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    assert client.get(reverse("year_review", args=[label])).status_code == 404


def test_the_spreadsheet_holds_the_same_figures(client, promised):
    sign_in_as(client, {"roles": [roles.FACILITATORS]})
    response = client.get(reverse("year_review_xlsx", args=[THIS_YEAR]))
    assert "year-in-review-" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Consultations", "Commitments", "Partners"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Consultations"] == 1
    assert summary["Responses given in the year"] == 15
    assert summary["Promises: done"] == 1 and summary["Promises: not doing"] == 1
    consultations = list(book["Consultations"].iter_rows(values_only=True))
    assert consultations[1][0] == "Feeling safe" and consultations[1][3] == 15
    commitments = list(book["Commitments"].iter_rows(values_only=True))
    # A promise that looks like a formula stays text.
    assert commitments[1][3] == '\'=HYPERLINK("x") lights'
