"""The report page's "Preparing your PDF…" state, server side: a file built in the request sets
the cookie its link's ``download_token`` names, and only for a token of the expected shape; the
page carries what ``reports/download_busy.js`` needs, loaded as a static file the site's
Content-Security-Policy allows. The browser side is tests/browser/test_report_download_busy.py.
"""

import io
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations.reports.models import ReportExport
from tests.consultations.admin.support import sign_in_as
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

TOKEN = "Ab3_-x9Zq7Lw2Rt8"
BUILT_IN_THE_REQUEST = ["report_pdf", "report_xlsx"]


@pytest.fixture
def executive(client):
    return sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})


def download(client, name, consultation, **query):
    address = reverse(name, args=[consultation.slug])
    return client.get(f"{address}?{urlencode(query)}" if query else address)


@pytest.mark.parametrize("name", BUILT_IN_THE_REQUEST)
def test_a_file_built_in_the_request_sets_the_cookie_its_token_names(
    client, executive, answered, name
):
    response = download(client, name, answered, download_token=TOKEN)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    cookie = response.cookies[f"report_download_{TOKEN}"]
    assert cookie.value == "1"
    assert cookie["path"] == reverse("report", args=[answered.slug])  # the report page sees it
    assert 0 < int(cookie["max-age"]) <= 60
    assert not cookie["httponly"]  # the page's script must read it
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize("name", BUILT_IN_THE_REQUEST)
def test_the_token_changes_neither_the_file_nor_its_filtered_name(
    client, executive, answered, name
):
    plain = download(client, name, answered, age_band="13 to 15")
    marked = download(client, name, answered, age_band="13 to 15", download_token=TOKEN)

    today = f"{timezone.localdate():%Y-%m-%d}"
    extension = "pdf" if name == "report_pdf" else "xlsx"
    expected = f'attachment; filename="feeling-safe-report-age-13-15-{today}.{extension}"'
    assert plain["Content-Disposition"] == marked["Content-Disposition"] == expected
    assert not plain.cookies
    if name == "report_xlsx":  # a PDF carries its moment of making, so only the workbook compares
        assert cells(marked.content) == cells(plain.content)


def cells(content: bytes) -> dict[str, list[tuple]]:
    """Every sheet's values, but the "Produced" time (the file's zip entries carry the moment
    it was written too, so two workbooks a second apart never have the same bytes)."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    return {
        name: [
            row for row in book[name].iter_rows(values_only=True) if not row or row[0] != "Produced"
        ]
        for name in book.sheetnames
    }


@pytest.mark.parametrize("name", BUILT_IN_THE_REQUEST)
@pytest.mark.parametrize(
    "token",
    [
        "abcdefgh;path=/",  # would add a cookie attribute
        "abcdefgh=1",
        "abcdefgh x",
        "a" * 200,  # too long
        "a" * 65,
        "abc1234",  # too short
        "",
        "abcdéfgh",
        "abcdefgh\n",
        "../../etc",
    ],
)
def test_any_other_token_is_ignored_and_the_file_still_comes(
    client, executive, answered, name, token
):
    response = download(client, name, answered, download_token=token)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert not response.cookies


def test_without_a_token_nothing_is_set(client, executive, answered):
    response = download(client, "report_pdf", answered)
    assert response.status_code == 200
    assert not response.cookies


def test_bad_filters_still_get_a_plain_400_and_no_cookie(client, executive, answered):
    response = download(client, "report_pdf", answered, age_band="Over 100", download_token=TOKEN)
    assert response.status_code == 400
    assert not response.cookies


def test_someone_who_may_not_read_reports_gets_no_cookie(client, answered):
    sign_in_as(client, {"roles": []})
    response = download(client, "report_pdf", answered, download_token=TOKEN)
    assert response.status_code == 403
    assert not response.cookies


def test_a_large_report_built_at_once_sets_the_cookie_on_the_way_to_its_file(
    client, executive, answered, settings, monkeypatch
):
    """With the immediate task backend a large report is built in the request too, and the
    reader is sent straight on to the file: the page can stop waiting."""
    settings.YOUTHVOICE_REPORT_PDF_TASK_THRESHOLD = 1
    # As outside a test's transaction: the task is enqueued, and so run, at once.
    monkeypatch.setattr("consultations.background.transaction.on_commit", lambda run: run())
    response = download(client, "report_pdf", answered, download_token=TOKEN)

    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("report_export_file", args=[answered.slug, export.pk])
    assert f"report_download_{TOKEN}" in response.cookies


def test_a_large_report_still_building_sets_no_cookie(
    client, executive, answered, settings, django_capture_on_commit_callbacks
):
    """Sent to the progress page, the reader leaves the report page: there is nothing to tell."""
    settings.YOUTHVOICE_REPORT_PDF_TASK_THRESHOLD = 1
    with django_capture_on_commit_callbacks(execute=False):
        response = download(client, "report_pdf", answered, download_token=TOKEN)

    export = ReportExport.objects.get()
    assert response["Location"] == reverse("report_export", args=[answered.slug, export.pk])
    assert not response.cookies


def test_the_download_links_carry_what_the_script_needs(client, executive, answered):
    response = client.get(reverse("report", args=[answered.slug]), {"age_band": "13 to 15"})
    soup = BeautifulSoup(response.text, "html.parser")

    downloads = soup.find(id="downloads")
    links = {a["href"].split("?")[0].rsplit("/", 1)[1]: a for a in downloads.select("ul a")}
    assert downloads.find("ul").has_attr("data-downloads")
    pdf, xlsx, csv = links["report.pdf"], links["report.xlsx"], links["answers.csv"]
    # The links themselves are as they were: plain, filtered, no token.
    assert pdf["href"] == reverse("report_pdf", args=[answered.slug]) + "?age_band=13+to+15"
    assert pdf.get_text() == "PDF, for reading and printing"
    assert "download_token" not in str(downloads)
    assert pdf["data-busy-label"] == "Preparing your PDF…"
    assert pdf["data-busy-message"] == "Preparing your PDF. This can take a few seconds."
    assert pdf["data-ready-message"].startswith("Your PDF is ready.")
    assert xlsx["data-busy-label"] == "Preparing your spreadsheet…"
    assert not csv.has_attr("data-busy-label")  # streamed: it starts at once

    status = downloads.find(attrs={"data-download-status": True})
    assert (status["role"], status["aria-live"]) == ("status", "polite")
    assert status.get_text() == ""
    assert "try the link again" in status["data-timeout-message"]


def test_the_script_is_a_static_file_the_policy_allows(client, executive, answered):
    response = client.get(reverse("report", args=[answered.slug]))
    soup = BeautifulSoup(response.text, "html.parser")

    sources = [script.get("src") for script in soup.find_all("script")]
    assert all(sources), "an inline <script> would be refused by the Content-Security-Policy"
    assert "/static/reports/download_busy.js" in sources
    assert finders.find("reports/download_busy.js")
    policy = response["Content-Security-Policy"]
    scripts = policy.split("script-src")[1].split(";")[0].split()
    assert scripts == ["'self'"]


def test_the_script_is_loaded_on_report_pages_only(client, executive, answered):
    dashboard = client.get(reverse("reports_dashboard"))
    assert dashboard.status_code == 200
    assert "download_busy.js" not in dashboard.text
