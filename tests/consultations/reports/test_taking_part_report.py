"""What young people thought of being asked, in the report and on the Executive dashboard
(#17, item 2): counts and shares per answer, small numbers hidden as everywhere else, and the
words of "Anything else" never shown, only how many wrote something."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from consultations.models import TakingPartFeedback
from consultations.reports.taking_part import taking_part_over_time, taking_part_results
from tests.factories import UserFactory, make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

SECRET_WORDS = "The questions about the bus were confusing"


def feedback(consultation, n, **answers):
    TakingPartFeedback.objects.bulk_create(
        TakingPartFeedback(consultation=consultation, **answers) for _ in range(n)
    )


@pytest.fixture
def rated(answered):
    """The consultation of conftest.py with 26 answers to the step (counted on their own: they
    are not linked to its 15 responses), worked out by hand:

    - understood: Yes 20, A bit 4, No 0, not answered 2 → of 24 who answered: 83%, A bit and
      its neighbour hidden (4 is under 10; "Yes" would then give it away, so it is hidden too);
    - listened: Yes 12, A bit 0, No 10, Not sure 0 (4 did not answer) → 55% and 45%;
    - again: Yes 13, Maybe 13, No 0 → 50% and 50%;
    - 3 wrote something more: "fewer than 10", and the words are never shown.
    """
    feedback(answered, 10, understood="yes", listened="yes", again="yes")
    feedback(answered, 2, understood="yes", listened="yes", again="yes")
    feedback(answered, 8, understood="yes", listened="no", again="maybe")
    feedback(answered, 2, understood="a-bit", listened="no", again="maybe")
    feedback(
        answered,
        2,
        understood="a-bit",
        again="maybe",
        anything_else=SECRET_WORDS,
        anything_else_redacted=SECRET_WORDS,
        commented=True,
    )
    feedback(answered, 1, again="maybe", commented=True, anything_else=SECRET_WORDS)
    feedback(answered, 1, again="yes")
    return answered


def table(html: str, name: str) -> list[list[str]]:
    found = re.search(rf'data-taking-part-question="{name}">.*?</table>', html, re.S)
    assert found, f"no table for {name}"
    rows = re.findall(r"<tr>(.*?)</tr>", found.group(0), re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
        for r in rows[1:]
    ]


def report_page(client, consultation, **params) -> str:
    client.force_login(UserFactory(roles=[roles.EXECUTIVE_PARTNERS]))
    response = client.get(reverse("report", args=[consultation.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


class TestResults:
    def test_counts_and_shares_worked_out_by_hand(self, rated):
        results = taking_part_results(rated)

        assert results.given.display == "26"
        understood, listened, again = results.questions
        assert [(r.cell.display, r.share) for r in understood.rows] == [
            ("hidden", None),
            ("fewer than 10", None),
            ("0", 0.0),
        ]
        assert understood.answered.display == "24"
        assert [r.cell.display for r in listened.rows] == ["12", "0", "10", "0"]
        assert listened.yes.share == pytest.approx(12 / 22)
        assert [r.cell.display for r in again.rows] == ["13", "13", "0"]
        assert again.yes.share == pytest.approx(13 / 26)
        assert results.commented.display == "fewer than 10"

    def test_too_few_answers_hide_everything(self, answered):
        feedback(answered, 9, understood="yes", listened="yes", again="yes")

        results = taking_part_results(answered)

        assert results.given.suppressed
        for question in results.questions:
            assert all(row.share is None for row in question.rows)
            assert question.answered.suppressed

    def test_other_consultations_are_not_counted(self, rated, home):
        other = make_consultation(home, title="Other", slug="other")
        feedback(other, 30, understood="no")

        assert taking_part_results(rated).given.display == "26"


class TestReportPage:
    def test_the_report_shows_shares_and_hides_small_counts(self, client, rated):
        html = report_page(client, rated)

        assert "What taking part was like" in html
        assert "26 young people told us what taking part was like." in html
        assert table(html, "understood") == [
            ["Yes", "hidden", "hidden"],
            ["A bit", "fewer than 10", "hidden"],
            ["No", "0", "0%"],
            ["Answered this question", "24", "100%"],
        ]
        assert table(html, "listened") == [
            ["Yes", "12", "55%"],
            ["A bit", "0", "0%"],
            ["No", "10", "45%"],
            ["Not sure", "0", "0%"],
            ["Answered this question", "22", "100%"],
        ]
        assert table(html, "again")[:2] == [["Yes", "13", "50%"], ["Maybe", "13", "50%"]]

    def test_the_words_are_never_shown_only_how_many_wrote(self, client, rated):
        html = report_page(client, rated)

        assert SECRET_WORDS not in html
        assert "fewer than 10 of them also wrote something more about taking part." in html

    def test_too_few_answers_show_no_table(self, client, answered):
        feedback(answered, 4, understood="yes")

        html = report_page(client, answered)

        assert "fewer than 10 young people answered these questions, too few" in html
        assert "data-taking-part-question" not in html

    def test_no_answers_yet_says_so(self, client, answered):
        html = report_page(client, answered)

        assert "No young person has answered these questions yet." in html

    def test_filters_do_not_change_them_and_the_page_says_so(self, client, rated):
        html = report_page(client, rated, source="online")

        assert "the report’s filters do not change them" in html
        assert table(html, "listened")[0] == ["Yes", "12", "55%"]


class TestDashboard:
    def dashboard(self, client) -> str:
        client.force_login(UserFactory(roles=[roles.EXECUTIVE_PARTNERS]))
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        found = re.search(r'id="taking-part-section".*?</section>', response.text, re.S)
        assert found, "no taking part panel on the dashboard"
        return found.group(0)

    def rows(self, panel: str) -> list[list[str]]:
        body = re.search(r"<tbody>(.*?)</tbody>", panel, re.S).group(1)
        return [
            [
                re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)
            ]
            for r in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        ]

    def test_one_row_per_consultation_by_closing_date_with_shares_of_yes(self, client, rated, home):
        earlier = make_consultation(
            home,
            title="Earlier",
            slug="earlier",
            opens_at=timezone.now() - timedelta(days=100),
            closes_at=timezone.now() - timedelta(days=60),
        )
        feedback(earlier, 10, understood="yes", listened="yes", again="no")
        feedback(earlier, 10, understood="no", listened="no", again="no")
        small = make_consultation(home, title="Small", slug="small")
        small.closes_at = rated.closes_at + timedelta(days=5)
        small.save()
        feedback(small, 6, understood="yes", listened="yes", again="yes")

        rows = self.rows(self.dashboard(client))

        def day(page):
            return timezone.localtime(page.closes_at).strftime("%-d %b %Y")

        assert rows == [
            ["Earlier", day(earlier), "20", "50%", "50%", "0%"],
            [
                "Feeling safe",
                day(rated),
                "26",
                "Too few to show",  # "Yes" is hidden in the report, so here too
                "55%",
                "50%",
            ],
            [
                "Small",
                day(small),
                "fewer than 10",
                "Too few to show",
                "Too few to show",
                "Too few to show",
            ],
        ]

    def test_the_panel_is_one_table_with_headers_and_a_caption(self, client, rated):
        panel = self.dashboard(client)

        assert panel.count("<table") == 1
        assert "<caption" in panel
        assert panel.count('scope="col"') == 6
        assert 'scope="row"' in panel
        assert SECRET_WORDS not in panel

    def test_no_answers_yet(self, client, answered):
        assert "No young person has answered these questions yet." in self.dashboard(client)

    def test_people_who_may_not_read_reports_do_not_see_it(self, client, rated):
        client.force_login(UserFactory(roles=[roles.SAFEGUARDING_LEADS]))
        response = client.get(reverse("wagtailadmin_home"))
        assert response.status_code == 200
        assert 'id="taking-part-section"' not in response.text
        assert 'id="consultation-reports-section"' not in response.text

    def test_a_fixed_number_of_queries_however_many_consultations(self, rated, home):
        for n in range(5):
            page = make_consultation(home, title=f"More {n}", slug=f"more-{n}")
            feedback(page, 12, understood="yes")
        with CaptureQueriesContext(connection) as queries:
            rows = taking_part_over_time()
        assert len(rows) == 6
        assert len(queries) == 2


def workbook_sheet(client, consultation, sheet: str, **params) -> list[list]:
    import io

    from openpyxl import load_workbook

    client.force_login(UserFactory(roles=[roles.EXECUTIVE_PARTNERS]))
    response = client.get(reverse("report_xlsx", args=[consultation.slug]), params)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    return [[v for v in row if v is not None] for row in book[sheet].iter_rows(values_only=True)]


class TestWorkbook:
    def test_the_taking_part_sheet_has_the_tables_with_the_same_hiding(self, client, rated):
        rows = workbook_sheet(client, rated, "Taking part")

        assert ["Answered", 26] in rows
        assert [
            "Wrote something more (their words are not in this workbook)",
            "fewer than 10",
        ] in rows
        start = rows.index(["Did you understand what this was about?", "Young people", "Share"])
        assert rows[start + 1 : start + 5] == [
            ["Yes", "hidden", "hidden"],
            ["A bit", "fewer than 10", "hidden"],
            ["No", 0, 0],
            ["Answered this question", 24],
        ]
        assert ["Yes", 12, 12 / 22] in rows
        assert not any(SECRET_WORDS in str(cell) for row in rows for cell in row)

    def test_filters_do_not_change_the_sheet(self, client, rated):
        assert workbook_sheet(client, rated, "Taking part", source="online") == (
            workbook_sheet(client, rated, "Taking part")
        )

    def test_no_answers_yet_says_so(self, client, answered):
        rows = workbook_sheet(client, answered, "Taking part")

        assert ["No young person has answered these questions yet."] in rows
