"""Imports of a consultation with its own age bands: the template lists them, and a band the
site offers but the consultation does not is a problem in the first preview, naming the bands."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from consultations.models import AboutYouOptions, Answer, ImportBatch, ImportJob, Response, Source
from consultations.services.imports import (
    LEAVE_OUT,
    ImportInvalid,
    answer_template,
    check_rows,
    guess_mapping,
    import_responses,
    read_answer_file,
)
from tests.consultations.admin.support import facilitator
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
AGE = "How old are you?"
OWN_BANDS = ["10 to 12", "13 to 15", "16 to 18", "Prefer not to say"]
NOT_OURS = (
    f"Row 3, “{AGE}”: “19 to 25” is not one of this consultation’s age bands. "
    "Use one of: “10 to 12”, “13 to 15”, “16 to 18”, “Prefer not to say”."
)
# Row 2 is a band only this consultation has; row 3 a band only the site has.
SITE_ONLY = f"{SAFER},{AGE}\nMore youth clubs,10 TO 12\nStreet lights,19 to 25\n"


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False


@pytest.fixture
def consultation(home):
    return make_consultation(home, age_bands="10 to 12\n13 to 15\n16 to 18")


def parse(text: str):
    return read_answer_file(file=SimpleUploadedFile("answers.csv", text.encode()))


def mapping(consultation, parsed):
    return guess_mapping(
        headings=parsed.headings,
        questions=list(consultation.ordered_questions()),
        rows=parsed.rows,
    )


def preview_url(job):
    return reverse("consultations:import_preview", args=[job.page_id, job.pk])


def uploaded(client, consultation, text) -> ImportJob:
    file = SimpleUploadedFile("paper.csv", text.encode(), content_type="text/csv")
    response = client.post(
        reverse("consultations:import", args=[consultation.pk]),
        {"file": file, "source": Source.PAPER},
    )
    assert response.status_code == 302, response.content.decode()
    return ImportJob.objects.latest("pk")


def mapping_post(preview) -> dict:
    """The preview's guessed matches, posted as they are, to import."""
    form = preview.context["form"]
    return {**{name: form[name].value() or LEAVE_OUT for name in form.fields}, "action": "import"}


def test_the_sites_bands_are_not_the_consultations():
    site = AboutYouOptions.load().options_for("age_band")
    assert "19 to 25" in site and "10 to 12" not in site


def test_the_template_lists_the_consultations_own_bands(consultation):
    workbook = load_workbook(io.BytesIO(answer_template(consultation=consultation)))

    rows = list(workbook["Guide"].iter_rows(min_row=2, values_only=True))
    number, age = next((n, row) for n, row in enumerate(rows, start=2) if row[1] == AGE)
    assert [v for v in age[3:] if v] == OWN_BANDS
    # Its column's drop-down list is those four cells, no more.
    validations = workbook["Answers"].data_validations.dataValidation
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in validations}
    assert lists[f"{age[0]}2"] == f"'Guide'!$D${number}:$G${number}"


def test_a_site_only_band_is_a_problem_naming_the_consultations_bands(consultation):
    parsed = parse(SITE_ONLY)

    checked = check_rows(
        consultation=consultation, parsed=parsed, mapping=mapping(consultation, parsed)
    )

    assert checked.problems == [NOT_OURS]
    assert [row.number for row in checked.ready] == [2]


def test_a_site_only_band_imports_nothing(consultation):
    parsed = parse(SITE_ONLY)

    with pytest.raises(ImportInvalid) as invalid:
        import_responses(
            consultation=consultation,
            parsed=parsed,
            mapping=mapping(consultation, parsed),
            source=Source.PAPER,
            user=None,
        )

    assert invalid.value.problems == [NOT_OURS]
    assert Response.objects.count() == Answer.objects.count() == ImportBatch.objects.count() == 0


def test_a_consultations_own_band_imports(consultation):
    parsed = parse(f"{SAFER},{AGE}\nMore youth clubs,10 to 12\nStreet lights,16 to 18\n")

    import_responses(
        consultation=consultation,
        parsed=parsed,
        mapping=mapping(consultation, parsed),
        source=Source.PAPER,
        user=None,
    )

    assert sorted(Response.objects.values_list("age_band", flat=True)) == ["10 to 12", "16 to 18"]


def test_another_consultation_keeps_the_sites_bands(home, consultation):
    other = make_consultation(home, title="Without its own bands")
    parsed = parse(f"{SAFER},{AGE}\nMore youth clubs,19 to 25\nStreet lights,10 to 12\n")

    checked = check_rows(consultation=other, parsed=parsed, mapping=mapping(other, parsed))

    assert [row.number for row in checked.ready] == [2]
    assert checked.problems == [f"Row 3, “{AGE}”: Choose from the options given."]


class TestPreview:
    @pytest.fixture
    def signed_in(self, client):
        client.force_login(facilitator())

    def test_the_first_preview_flags_a_site_only_band_and_saves_nothing(
        self, client, consultation, signed_in
    ):
        job = uploaded(client, consultation, SITE_ONLY)

        preview = client.get(preview_url(job))

        content = preview.content.decode()
        assert "We checked the rows with the matches below. There is 1 problem" in content
        assert f"<li>{NOT_OURS}</li>" in content
        # The row with a band of the consultation's own reads as that band, in its wording.
        assert preview.context["preview"]["rows"][0]["answers"] == ["More youth clubs", "10 to 12"]
        assert Response.objects.count() == ImportBatch.objects.count() == 0

    def test_importing_the_file_is_refused_whole(self, client, consultation, signed_in):
        job = uploaded(client, consultation, SITE_ONLY)
        preview = client.get(preview_url(job))

        response = client.post(preview_url(job), mapping_post(preview))

        assert "Nothing was imported. There is 1 problem to fix" in response.content.decode()
        assert response.context["problems"] == [NOT_OURS]
        assert Response.objects.count() == ImportBatch.objects.count() == 0

    def test_a_file_of_the_consultations_bands_imports(self, client, consultation, signed_in):
        job = uploaded(client, consultation, f"{SAFER},{AGE}\nMore youth clubs,10 to 12\n")
        preview = client.get(preview_url(job))
        assert not preview.context.get("problems")

        response = client.post(preview_url(job), mapping_post(preview))

        assert response.status_code == 302
        assert list(Response.objects.values_list("age_band", "source")) == [
            ("10 to 12", Source.PAPER)
        ]
