"""The Executive's dashboard, report page and comparison: who may see them, and the figures of
a small fixture worked out by hand (see conftest.py), with filters and suppression."""

import pytest
from django.urls import reverse

from consultations.reports.filters import ReportFilterForm
from consultations.reports.report import build_report
from consultations.selectors import TermFilters
from tests.consultations.admin.support import REPORT_READERS as WHO
from tests.consultations.admin.support import refused, sign_in_as
from tests.consultations.reports.conftest import TRAVEL
from tests.factories import UserFactory
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db


def pages(slug):
    return [
        reverse("reports_dashboard"),
        reverse("report", args=[slug]),
        reverse("report_compare", args=[slug]),
        reverse("report_word_cloud", args=[slug, "png"]),
    ]


@pytest.mark.parametrize(("who", "allowed"), WHO)
def test_who_may_read_reports(client, answered, who, allowed):
    sign_in_as(client, who)
    for url in pages(answered.slug):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:
            assert refused(response, signed_in=who is not None), url


def test_staff_without_a_second_factor_are_sent_to_set_one_up(client, settings, answered):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = True
    client.force_login(UserFactory(roles=[roles.EXECUTIVE_PARTNERS]))
    for url in pages(answered.slug):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp")), url


def test_unknown_consultation_or_format_is_404(client, answered):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    assert client.get(reverse("report", args=["no-such-thing"])).status_code == 404
    assert client.get(reverse("report_word_cloud", args=[answered.slug, "gif"])).status_code == 404


def rows(series):
    return dict(series.rows)


class TestFiguresWorkedOutByHand:
    def test_headline_and_who_answered(self, answered):
        report = build_report(answered)
        assert report.headline.responses == 15
        assert report.headline.written_answers == 15
        age, area, source = report.who
        cells = {cell.label: cell for cell in age.table}
        # 3 is under 10: hidden; and 12 or the total is hidden too, so 15 - 12 cannot give it away.
        assert cells["16 to 18"].suppressed and cells["16 to 18"].display == "fewer than 10"
        assert age.table.total.suppressed or cells["13 to 15"].suppressed
        assert cells["Under 11"].display == "0"
        assert {c.label: c.display for c in source.table}["Online"] == "15"

    def test_question_results(self, answered):
        results = {r.question.text: r for r in build_report(answered).questions}
        travel = results["How do you get to school?"]
        # "Other – tell us" words are counted as Other and never shown.
        assert rows(travel.series) == {"Bus": 8, "Walk": 4, "Car": 2, "Other": 1}
        assert "scooter" not in travel.series.chart_svg
        assert rows(results["Where do you feel unsafe?"].series) == {
            "Park": 12,
            "Bus stop": 0,
            "Online": 3,
            "Other": 0,
        }
        rating = results["How safe do you feel at school?"]
        assert rows(rating.series)["4 – Happy"] == 12
        assert rows(rating.series)["2 – Unhappy"] == 3
        assert rating.summary == "Average 3.6 out of 5 from 15 answers."
        # Ranking, 2 places: first scores 2, second 1.
        assert results["What matters most?"].series.rows == [
            ("Transport", 27),
            ("Bullying", 12),
            ("Mental health", 6),
            ("Knife crime", 0),
        ]

    def test_a_filter_applies_to_every_panel(self, settings, answered):
        # At 10, "13 to 15" (12) is hidden beside "16 to 18" (3): see the test below.
        settings.YOUTHVOICE_SUPPRESSION_THRESHOLD = 3
        report = build_report(answered, TermFilters(age_band="13 to 15"))
        assert report.headline.responses == 12
        results = {r.question.text: r for r in report.questions}
        assert rows(results["How do you get to school?"].series) == {
            "Bus": 8,
            "Walk": 4,
            "Car": 0,
            "Other": 0,
        }
        assert results["What matters most?"].series.rows[0] == ("Transport", 24)
        assert sum(n for _, n in report.over_time.rows) == 12
        words = {row.term for row in report.cloud.rows}
        assert any("light" in w for w in words)
        assert not any("club" in w for w in words)

    def test_a_group_under_the_threshold_shows_only_its_count(self, client, answered):
        report = build_report(answered, TermFilters(age_band="16 to 18"))
        assert report.too_small and report.headline.responses == 3
        assert report.headline.shown == "fewer than 10"
        assert report.questions == [] and report.cloud is None and report.who == []
        sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
        html = client.get(reverse("report", args=[answered.slug]), {"age_band": "16 to 18"})
        text = html.content.decode()
        assert "Fewer than 10 young people match these filters" in text
        assert "fewer than 10</span> young people answered" in text
        assert "youth club" not in text
        cloud = client.get(
            reverse("report_word_cloud", args=[answered.slug, "png"]), {"age_band": "16 to 18"}
        )
        assert cloud.status_code == 404

    def test_a_group_whose_number_would_give_a_hidden_one_away_shows_nothing(
        self, client, answered
    ):
        # Everyone: 15. The page hides "16 to 18" (3) and so "13 to 15" (12) beside it; showing
        # 12 for "13 to 15" alone would give 15 - 12 = 3 away.
        report = build_report(answered, TermFilters(age_band="13 to 15"))
        assert report.too_small and report.headline.hidden == "secondary"
        assert report.headline.shown == "hidden" and report.who == []
        sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
        text = client.get(reverse("report", args=[answered.slug]), {"area": "Mendip"}).text
        assert "The number of young people who match these filters is hidden" in text
        assert "The number of young people who answered is hidden" in text
        assert 'figures__number">12' not in text

    def test_the_page_shows_the_figures_and_keeps_filters_in_links(
        self, settings, client, answered
    ):
        settings.YOUTHVOICE_SUPPRESSION_THRESHOLD = 3  # Mendip (12) is hidden beside 3 at 10
        sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
        response = client.get(reverse("report", args=[answered.slug]), {"area": "Mendip"})
        html = response.content.decode()
        assert "Showing:</strong> Area: Mendip" in html
        assert "report.pdf?area=Mendip" in html and "word-cloud.png?area=Mendip" in html
        assert '<th scope="row">Bus</th><td class="numeric">8</td>' in html

    def test_held_answers_are_left_out(self, answered):
        from consultations.models import Answer

        Answer.objects.filter(text="More youth clubs open late").update(held=True)
        report = build_report(answered)
        assert report.headline.written_answers == 12
        # The person still counts as having answered; their held words do not.
        assert report.headline.responses == 15


class TestFilterForm:
    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"age_band": "Over 90"}, "age_band"),
            ({"area": "Atlantis"}, "area"),
            ({"source": "carrier pigeon"}, "source"),
            ({"question": "999999"}, "question"),
            ({"date_from": "2026-02-30"}, "date_from"),
            ({"date_from": "2026-03-10", "date_to": "2026-03-01"}, "date_to"),
        ],
    )
    def test_bad_filters_are_explained_and_ignored(self, client, answered, data, field):
        form = ReportFilterForm(data, consultation=answered)
        assert not form.is_valid() and field in form.errors
        assert form.filters() == TermFilters()
        sign_in_as(client, {"roles": [roles.FACILITATORS]})
        html = client.get(reverse("report", args=[answered.slug]), data).content.decode()
        assert "There is a problem" in html
        assert "15</span> young people answered" in html


class TestCompare:
    def test_groups_under_the_threshold_are_not_compared(self, client, answered):
        sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
        html = client.get(
            reverse("report_compare", args=[answered.slug]),
            {"a-age_band": "13 to 15", "b-age_band": "16 to 18"},
        ).content.decode()
        assert "One of the groups has fewer than 10 young people" in html


class TestCachedReportsFollowEdits:
    """A cached report is never older than what it is built from, edits included."""

    def test_a_renamed_theme_is_shown_at_once(self, answered):
        from consultations.models import Answer
        from consultations.themes.models import Codebook, HumanCoding, Theme

        codebook = Codebook.objects.create(name="Themes", consultation=answered)
        lights = Theme.objects.create(codebook=codebook, name="Feeling safe outside")
        for answer in Answer.objects.filter(text="Better street lights near the park"):
            HumanCoding.objects.create(answer=answer, codebook=codebook).themes.add(lights)
        answered.refresh_from_db()
        assert "Feeling safe outside" in [t.theme for t in build_report(answered).themes.themes]
        lights.name = "Lights and safety"
        lights.save()
        names = [t.theme for t in build_report(answered).themes.themes]
        assert "Lights and safety" in names and "Feeling safe outside" not in names

    def test_words_left_out_in_the_analysis_options_leave_the_cached_table(self, answered):
        from consultations.models import AnalysisOptions

        assert "park" in [row.term for row in build_report(answered).cloud.rows]
        AnalysisOptions.objects.create(consultation=answered, extra_stop_words="park")
        assert "park" not in [row.term for row in build_report(answered).cloud.rows]

    def test_a_reworded_question_is_shown_at_once(self, answered):
        assert TRAVEL in [r.question.text for r in build_report(answered).questions]
        question = answered.questions.get(text=TRAVEL)
        question.text = "How do you usually get to school?"
        question.save()
        texts = [r.question.text for r in build_report(answered).questions]
        assert "How do you usually get to school?" in texts

    def test_new_answers_to_the_earlier_consultation_change_the_fingerprint(self, answered, home):
        from consultations.models import AnalysisOptions
        from consultations.reports.report import fingerprint
        from tests.consultations.admin.support import respond
        from tests.consultations.reports.conftest import SAFER
        from tests.factories import make_consultation

        earlier = make_consultation(home, title="Last year", slug="last-year")
        AnalysisOptions.objects.create(consultation=answered, earlier_consultation=earlier)
        AnalysisOptions.objects.create(consultation=earlier, earlier_consultation=answered)
        before = fingerprint(answered)  # and the two naming each other does not loop
        respond(earlier, {SAFER: "More buses"}, source="paper")
        assert fingerprint(answered) != before
