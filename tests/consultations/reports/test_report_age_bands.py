"""Reports of a consultation with its own age bands: the age filter offers those bands, refuses
others (the site's included) clearly, and "Who answered" has a row for each of them.

The 15 answers are conftest.py's ``answered``: 12 aged 13 to 15, 3 aged 16 to 18.
"""

import re

import pytest
from django.urls import reverse

from consultations.models import AboutYouOptions
from consultations.reports.filters import ReportFilterForm
from consultations.reports.report import build_report
from consultations.reports.selectors import who_answered
from consultations.selectors import TermFilters
from tests.consultations.admin.support import sign_in_as
from tests.factories import make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

OWN_BANDS = ["10 to 12", "13 to 15", "16 to 18", "Prefer not to say"]
NOT_OFFERED = "Select a valid choice. 19 to 25 is not one of the available choices."


@pytest.fixture
def consultation(home):
    """Overrides conftest.py's: the same consultation, with age bands of its own."""
    return make_consultation(
        home, title="Feeling safe", slug="feeling-safe", age_bands="10 to 12\n13 to 15\n16 to 18"
    )


@pytest.fixture
def reader(client):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    return client


def offered(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)


def test_the_sites_bands_differ_from_the_consultations():
    site = AboutYouOptions.load().options_for("age_band")
    assert "19 to 25" in site and "10 to 12" not in site


def test_the_age_filter_offers_only_the_consultations_bands(reader, answered):
    form = ReportFilterForm(None, consultation=answered)
    assert [value for value, _label in form.fields["age_band"].choices] == ["", *OWN_BANDS]

    html = reader.get(reverse("report", args=[answered.slug])).content.decode()
    assert offered(html, "age_band") == ["", *OWN_BANDS]


def test_a_band_of_the_consultations_own_filters_the_report(answered):
    form = ReportFilterForm({"age_band": "10 to 12"}, consultation=answered)

    assert form.is_valid()
    assert form.filters() == TermFilters(age_band="10 to 12")


def test_a_site_band_the_consultation_does_not_use_is_refused_clearly(reader, answered):
    form = ReportFilterForm({"age_band": "19 to 25"}, consultation=answered)
    assert form.errors["age_band"] == [NOT_OFFERED]
    assert form.filters() == TermFilters()

    html = reader.get(reverse("report", args=[answered.slug]), {"age_band": "19 to 25"})
    html = html.content.decode()
    assert "There is a problem" in html and NOT_OFFERED in html
    assert "15</span> young people answered" in html  # nothing filtered


def test_a_download_with_a_site_only_band_is_refused(reader, answered):
    response = reader.get(reverse("report_csv", args=[answered.slug]), {"age_band": "19 to 25"})

    assert response.status_code == 400
    assert f"Age band: {NOT_OFFERED}" in response.content.decode()


def test_who_answered_has_a_row_for_each_of_the_consultations_bands(reader, answered):
    age, _area, _source = build_report(answered).who

    cells = {cell.label: cell.display for cell in age.table}
    assert list(cells) == [*OWN_BANDS, "Not given"]
    assert cells["10 to 12"] == "0"  # no answers: still a row
    assert cells["16 to 18"] == "fewer than 10"

    html = reader.get(reverse("report", args=[answered.slug])).content.decode()
    assert '<th scope="row">10 to 12</th>' in html
    assert "19 to 25" not in html and "Under 11" not in html


def test_compare_offers_and_checks_the_consultations_bands(reader, answered):
    url = reverse("report_compare", args=[answered.slug])
    html = reader.get(url).content.decode()
    assert offered(html, "a-age_band") == ["", *OWN_BANDS]
    assert offered(html, "b-age_band") == ["", *OWN_BANDS]

    refused = reader.get(url, {"a-age_band": "19 to 25", "b-age_band": "13 to 15"})
    assert NOT_OFFERED in refused.content.decode()
    assert not refused.context.get("compared")


def test_a_consultation_without_its_own_bands_keeps_the_sites(home):
    plain = make_consultation(home, title="Plain", slug="plain")

    age, _area, _source = who_answered(plain, TermFilters())

    site = AboutYouOptions.load().options_for("age_band")
    assert [cell.label for cell in age.table] == [*site, "Not given"]
    assert ReportFilterForm({"age_band": "19 to 25"}, consultation=plain).is_valid()
