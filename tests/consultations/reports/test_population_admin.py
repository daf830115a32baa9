"""Population figures in the admin (Snippets › Population figures): editing, importing a CSV
file, every refused file or row with nothing saved, and who may do what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations.reports.models import Population, PopulationFigure
from tests.consultations.admin.support import (
    REPORT_READERS,
    ROLES,
    _form_data,
    facilitator,
    refused,
    sign_in_as,
)
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

URLS = "wagtailsnippets_reports_population"
GOOD = (
    "age_band,area,young_people\n"
    "13 to 15,Mendip,3800\n"
    '13 to 15,Sedgemoor,"4,100"\n'
    "16 to 18,Mendip,3600\n"
)


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False


@pytest.fixture
def signed_in(client):
    client.force_login(facilitator())
    return client


def upload(client, text: str | bytes, *, source="ONS mid-year estimates 2023", year="2023"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse(f"{URLS}:import"),
        {
            "source": source,
            "year": year,
            "file": SimpleUploadedFile("population.csv", data, content_type="text/csv"),
        },
    )


def file_errors(response) -> list[str]:
    assert response.status_code == 200, "expected the form again, with its errors"
    return list(response.context["form"].errors.get("file", []))


def rows(population) -> list[tuple]:
    return list(
        population.figures.order_by("sort_order").values_list("age_band", "area", "young_people")
    )


# Importing ---------------------------------------------------------------------------------------


def test_a_good_file_makes_a_table_with_its_rows(signed_in):
    response = upload(signed_in, GOOD)

    population = Population.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(f"{URLS}:edit", args=[population.pk])
    assert (population.source, population.year) == ("ONS mid-year estimates 2023", 2023)
    assert rows(population) == [
        ("13 to 15", "Mendip", 3800),
        ("13 to 15", "Sedgemoor", 4100),
        ("16 to 18", "Mendip", 3600),
    ]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Imported 3 rows into “ONS mid-year estimates 2023 (2023)”." in messages


def test_headings_in_other_capitals_and_a_byte_order_mark_are_read(signed_in):
    upload(signed_in, "\ufeffAge band,Area,Young people\n13 to 15,Mendip,3800\n".encode())

    assert rows(Population.objects.get()) == [("13 to 15", "Mendip", 3800)]


def test_wording_the_site_does_not_use_is_imported_with_a_warning(signed_in):
    response = upload(signed_in, "age_band,area,young_people\n13 to 15,Bristol,100\n")

    assert Population.objects.count() == 1
    messages = " ".join(str(m) for m in response.wsgi_request._messages)
    assert "not among the site’s “about you” age bands and areas" in messages
    assert "Bristol" in messages


@pytest.mark.parametrize(
    ("text", "error"),
    [
        pytest.param(
            "age_band,area\n13 to 15,Mendip\n",
            "The file has no “young_people” column. Its first row must name the columns "
            "age_band, area and young_people.",
            id="missing-column",
        ),
        pytest.param(
            "age_band,area,young_people\n13 to 15,Mendip,3800\n16 to 18,Mendip,about 300\n",
            "Row 3: “about 300” is not a whole number of young people.",
            id="not-a-number",
        ),
        pytest.param(
            "age_band,area,young_people\n13 to 15,Mendip,12.5\n",
            "Row 2: “12.5” is not a whole number of young people.",
            id="not-a-whole-number",
        ),
        pytest.param(
            "age_band,area,young_people\n13 to 15,Mendip,3800\n16 to 18,Mendip,-20\n",
            "Row 3: the number of young people cannot be below 0 (it is -20).",
            id="negative",
        ),
        pytest.param(
            "age_band,area,young_people\n13 to 15,Mendip,3800\n16 to 18,Mendip,1\n"
            "13 To 15, mendip ,3900\n",
            "Row 4: 13 To 15 in mendip is in the file twice (first in row 2). Give each age band "
            "and area once.",
            id="duplicate-band-and-area",
        ),
        pytest.param(
            "age_band,area,young_people\n,Mendip,3800\n",
            "Row 2: the age band is empty.",
            id="empty-age-band",
        ),
        pytest.param(
            "age_band,area,young_people\n13 to 15,Mendip,\n",
            "Row 2: the number of young people is empty.",
            id="empty-number",
        ),
        pytest.param(
            "age_band,area,young_people\n",
            "The file has no rows of figures under its headings.",
            id="no-rows",
        ),
        pytest.param(
            "age_band,area,young_people\n13 to 15,Ch\xe2teau,3800\n".encode("latin-1"),
            "The file could not be read as text. Save it as “CSV UTF-8” and try again.",
            id="not-utf-8",
        ),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_error_and_nothing_saved(signed_in, text, error):
    response = upload(signed_in, text)

    assert error in file_errors(response)
    assert not Population.objects.exists()
    assert not PopulationFigure.objects.exists()


def test_every_problem_in_a_file_is_listed_at_once(signed_in):
    response = upload(
        signed_in,
        "age_band,area,young_people\n13 to 15,Mendip,many\n16 to 18,Mendip,-1\n"
        "11 to 12,Mendip,5\n11 to 12,Mendip,6\n",
    )

    assert file_errors(response) == [
        "Row 2: “many” is not a whole number of young people.",
        "Row 3: the number of young people cannot be below 0 (it is -1).",
        "Row 5: 11 to 12 in Mendip is in the file twice (first in row 4). Give each age band "
        "and area once.",
    ]
    assert not Population.objects.exists()


def test_a_missing_year_is_refused_and_nothing_saved(signed_in):
    response = upload(signed_in, GOOD, year="")

    assert response.status_code == 200
    assert response.context["form"].errors["year"] == ["This field is required."]
    assert not Population.objects.exists()


# Editing in the admin ----------------------------------------------------------------------------


@pytest.fixture
def table():
    population = Population.objects.create(source="Census 2021", year=2021)
    PopulationFigure.objects.create(
        population=population, age_band="13 to 15", area="Mendip", young_people=3800, sort_order=0
    )
    PopulationFigure.objects.create(
        population=population, age_band="16 to 18", area="Mendip", young_people=3600, sort_order=1
    )
    return population


def edit_data(client, population) -> dict:
    response = client.get(reverse(f"{URLS}:edit", args=[population.pk]))
    assert response.status_code == 200
    return _form_data(response.context["form"])


def figure_errors(response) -> str:
    formset = response.context["form"].formsets["figures"]
    return " ".join(str(e) for form in formset.forms for e in form.errors.values())


def test_a_figure_can_be_changed_in_the_editor(signed_in, table):
    data = edit_data(signed_in, table)
    data["figures-1-young_people"] = "3650"

    response = signed_in.post(reverse(f"{URLS}:edit", args=[table.pk]), data)

    assert response.status_code == 302
    assert rows(table) == [("13 to 15", "Mendip", 3800), ("16 to 18", "Mendip", 3650)]


def test_the_editor_refuses_an_age_band_and_area_given_twice(signed_in, table):
    data = edit_data(signed_in, table)
    data["figures-1-age_band"] = "13 TO 15"

    response = signed_in.post(reverse(f"{URLS}:edit", args=[table.pk]), data)

    assert response.status_code == 200
    assert "13 TO 15 in Mendip is already in this table: give each once." in figure_errors(response)
    assert rows(table) == [("13 to 15", "Mendip", 3800), ("16 to 18", "Mendip", 3600)]


def test_the_editor_refuses_a_negative_number(signed_in, table):
    data = edit_data(signed_in, table)
    data["figures-0-young_people"] = "-5"

    response = signed_in.post(reverse(f"{URLS}:edit", args=[table.pk]), data)

    assert response.status_code == 200
    assert "greater than or equal to 0" in figure_errors(response)
    assert rows(table)[0] == ("13 to 15", "Mendip", 3800)


def test_the_inspect_page_lists_the_rows(client, table):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})

    html = client.get(reverse(f"{URLS}:inspect", args=[table.pk])).content.decode()

    assert "Census 2021" in html
    assert '<tr><th scope="row">16 to 18</th><td>Mendip</td><td>3,600</td></tr>' in html


# Who may do what ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("attrs", "allowed"), ROLES)
def test_facilitators_and_admins_edit_and_import(client, table, attrs, allowed):
    sign_in_as(client, attrs)
    for url in (
        reverse(f"{URLS}:add"),
        reverse(f"{URLS}:edit", args=[table.pk]),
        reverse(f"{URLS}:import"),
    ):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:
            assert refused(response, signed_in=attrs is not None), url
    upload(client, GOOD, source="Stolen")
    assert Population.objects.filter(source="Stolen").exists() == allowed


@pytest.mark.parametrize(("attrs", "allowed"), REPORT_READERS)
def test_report_readers_see_the_figures(client, table, attrs, allowed):
    sign_in_as(client, attrs)
    for url in (reverse(f"{URLS}:list"), reverse(f"{URLS}:inspect", args=[table.pk])):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
            assert "Census 2021" in response.content.decode()
        else:
            assert refused(response, signed_in=attrs is not None), url


def test_the_listing_offers_import_only_to_those_who_may_add(client, table):
    import_url = reverse(f"{URLS}:import")
    client.force_login(facilitator())
    assert import_url in client.get(reverse(f"{URLS}:list")).content.decode()

    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    assert import_url not in client.get(reverse(f"{URLS}:list")).content.decode()
