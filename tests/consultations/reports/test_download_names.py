"""A filtered download is named after its filters, in safe characters, so that the whole report
and a group of it are told apart in a Downloads folder (#15, item 1)."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import AboutYouOptions
from consultations.reports.models import ReportExport
from tests.consultations.admin.support import questions, sign_in_as
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

SAFE = set("abcdefghijklmnopqrstuvwxyz0123456789-.")
DOWNLOADS = ["report_pdf", "report_xlsx", "report_csv"]


@pytest.fixture
def executive(client):
    return sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})


def url(name, consultation, query=""):
    return reverse(name, args=[consultation.slug]) + (f"?{query}" if query else "")


def name_of(response) -> str:
    """The file name in the response's Content-Disposition, checked to be the only form of it."""
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="'), disposition
    assert "filename*" not in disposition  # only an ASCII name, no encoded one beside it
    return disposition.removeprefix('attachment; filename="').removesuffix('"')


def today() -> str:
    return f"{timezone.localdate():%Y-%m-%d}"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report_pdf", "feeling-safe-report-age-13-15-{today}.pdf"),
        ("report_xlsx", "feeling-safe-report-age-13-15-{today}.xlsx"),
        ("report_csv", "feeling-safe-answers-age-13-15-{today}.csv"),
    ],
)
def test_a_download_filtered_by_age_is_named_after_the_age_band(
    client, executive, answered, name, expected
):
    response = client.get(url(name, answered, "age_band=13+to+15"))

    assert response.status_code == 200
    assert name_of(response) == expected.format(today=today())


@pytest.mark.parametrize("name", DOWNLOADS)
def test_the_whole_report_keeps_its_plain_name(client, executive, answered, name):
    """No filters, or filters all left at "All": nothing is added to the name."""
    plain = name_of(client.get(url(name, answered)))
    all_left_empty = name_of(client.get(url(name, answered, "age_band=&area=&source=")))

    assert plain == all_left_empty
    assert "age" not in plain and "area" not in plain


def test_every_filter_is_in_the_name_in_the_form_s_order(client, executive, answered):
    safer = questions(answered)["What would make you feel safer?"]
    query = urlencode(
        {
            "date_to": "2030-03-31",
            "source": "online",
            "area": "Somerset West and Taunton",
            "age_band": "16 to 18",
            "date_from": "2020-03-01",
            "question": safer.pk,
        }
    )

    response = client.get(url("report_pdf", answered, query))

    assert response.status_code == 200
    assert name_of(response) == (
        "feeling-safe-report-question-what-would-make-you-feel-safer-age-16-18"
        "-area-somerset-west-and-taunton-online-from-2020-03-01-to-2030-03-31"
        f"-{today()}.pdf"
    )


def test_unsafe_characters_in_an_area_never_reach_the_file_name(client, executive, answered):
    options = AboutYouOptions.load()
    options.areas = 'Ynys Môn / "North"\\..\\Wales; rm -rf\nMendip'
    options.save()

    response = client.get(
        url("report_csv", answered, urlencode({"area": options.areas.split("\n")[0]}))
    )

    assert response.status_code == 200
    name = name_of(response)
    assert name == f"feeling-safe-answers-area-ynys-mon-northwales-rm-rf-{today()}.csv"
    assert set(name) <= SAFE


def test_a_long_question_is_cut_after_a_whole_word(client, executive, answered):
    question = questions(answered)["What would make you feel safer?"]
    question.text = "When you think about the last year, what would make you feel safer at night?"
    question.save()

    response = client.get(url("report_xlsx", answered, f"question={question.pk}"))

    assert response.status_code == 200
    # "when-you-think-about-the-last-year" is 34 characters: cut to 30, after "last".
    assert (
        name_of(response)
        == f"feeling-safe-report-question-when-you-think-about-the-last-{today()}.xlsx"
    )


def test_invalid_filters_still_give_no_file_and_no_name(client, executive, answered):
    response = client.get(url("report_pdf", answered, "age_band=13+to+15&area=Atlantis"))

    assert response.status_code == 400
    assert "Content-Disposition" not in response


def test_a_large_report_built_by_a_task_is_named_after_its_filters(
    client, settings, executive, answered, django_capture_on_commit_callbacks
):
    settings.YOUTHVOICE_REPORT_PDF_TASK_THRESHOLD = 1

    with django_capture_on_commit_callbacks(execute=True):
        client.get(url("report_xlsx", answered, "area=Mendip"))

    export = ReportExport.objects.get()
    assert export.filters == "area=Mendip"
    assert export.status == "done"
    download = client.get(reverse("report_export_file", args=[answered.slug, export.pk]))
    assert download.status_code == 200
    assert name_of(download) == f"feeling-safe-report-area-mendip-{today()}.xlsx"
