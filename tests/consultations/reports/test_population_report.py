"""Who is missing, in the report (page and PDF), its key findings and the facilitator's overview.

The fixture ``compared``, worked out by hand. Population: 1,000 young people in each of 11 to
12, 13 to 15 and 16 to 18 in each of Mendip, Sedgemoor and South Somerset (9,000 in all; 3,000
per age band and per area). Answers (81):

- 40 aged 13 to 15 in Mendip, 10 aged 16 to 18 in Mendip, 20 aged 11 to 12 in Sedgemoor;
- 11 with no age band or area.

Age band, of the 70 compared: 11 to 12 has 20 (6.7 per 1,000; 29% of answers against 33% of
young people: ratio 0.86), 13 to 15 has 40 (13.3; 57%; 1.71), 16 to 18 has 10 (3.3; 14%; 0.43,
under half: under-represented). Area: Mendip 50 (16.7; 71%; 2.14), Sedgemoor 20 (6.7; 29%;
0.86), South Somerset 0 (no answers). 70 in 9,000 is 7.8 per 1,000. Left out: 11 not given.
"""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from consultations.analysis.suppression import Cell
from consultations.reports.models import Population, PopulationFigure
from consultations.reports.population import missing_sentence
from consultations.reports.representation import NONE, UNDER, Comparison, Group, Representation
from tests.consultations.admin.support import respond, sign_in_as
from tests.consultations.admin.test_workspace import page_text
from tests.factories import make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
AGE = "How old are you?"
AREA = "Where do you live?"
BANDS = ("11 to 12", "13 to 15", "16 to 18")
AREAS = ("Mendip", "Sedgemoor", "South Somerset")
SENTENCE = (
    "Compared with the number of young people living here, fewer than half as many answers as "
    "expected came from 16 to 18 year olds; none came from South Somerset."
)


@pytest.fixture(autouse=True)
def no_second_factor(settings):
    settings.YOUTHVOICE_STAFF_MFA_REQUIRED = False


def population(source="ONS mid-year estimates 2023, approximate", year=2023, each=1000):
    table = Population.objects.create(source=source, year=year)
    for band in BANDS:
        for area in AREAS:
            PopulationFigure.objects.create(
                population=table, age_band=band, area=area, young_people=each
            )
    return table


def answer(consultation, groups, capture):
    with capture(execute=True):
        for n, band, area in groups:
            for _ in range(n):
                about = {AGE: band, AREA: area} if band else {}
                respond(consultation, {SAFER: "Better buses", **about})


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Getting around", slug="getting-around")


@pytest.fixture
def compared(consultation, django_capture_on_commit_callbacks):
    population()
    answer(
        consultation,
        [
            (40, "13 to 15", "Mendip"),
            (10, "16 to 18", "Mendip"),
            (20, "11 to 12", "Sedgemoor"),
            (11, "", ""),
        ],
        django_capture_on_commit_callbacks,
    )
    return consultation


def report_html(client, consultation, role=roles.EXECUTIVE_PARTNERS, query="") -> str:
    sign_in_as(client, {"roles": [role]})
    url = reverse("report", args=[consultation.slug]) + (f"?{query}" if query else "")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def tables(html: str) -> dict[str, list[list[str]]]:
    """The comparison tables on the page, by caption: their rows as the cells' words."""
    found = {}
    for caption, body in re.findall(
        r'<table class="table representation__table">\s*<caption>(.*?)</caption>(.*?)</table>',
        html,
        re.S,
    ):
        rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
        found[caption.strip()] = [
            [page_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in rows
        ]
    return found


def key_findings(html: str) -> str:
    section = re.search(r'<section class="report-section key-findings".*?</section>', html, re.S)
    return page_text(section.group(0))


HEADINGS = (
    "Young people living here",
    "Answers per 1,000 young people",
    "Share of answers",
    "Share of young people",
    "Ratio",
    "Note",
)
AGE_CAPTION = "Age band: answers compared with the young people who live here"
AREA_CAPTION = "Area: answers compared with the young people who live here"


def test_the_report_compares_each_age_band_and_area_with_the_population(client, compared):
    html = report_html(client, compared)
    found = tables(html)

    assert found[AGE_CAPTION] == [
        ["Age band", "Answers", *HEADINGS],
        ["11 to 12", "20", "3,000", "6.7", "29%", "33%", "0.86", ""],
        ["13 to 15", "40", "3,000", "13.3", "57%", "33%", "1.71", ""],
        ["16 to 18", "10", "3,000", "3.3", "14%", "33%", "0.43", "Under-represented"],
        ["All compared", "70", "9,000", "7.8", "100%", "100%", "", ""],
    ]
    assert found[AREA_CAPTION][1:] == [
        ["Mendip", "50", "3,000", "16.7", "71%", "33%", "2.14", ""],
        ["Sedgemoor", "20", "3,000", "6.7", "29%", "33%", "0.86", ""],
        ["South Somerset", "0", "3,000", "0.0", "0%", "33%", "0.00", "No answers"],
        ["All compared", "70", "9,000", "7.8", "100%", "100%", "", ""],
    ]
    text = page_text(html)
    assert "Population figures: ONS mid-year estimates 2023, approximate (2023)." in text
    assert "Left out of the shares: Not given (11); 11 in all." in text
    # Inside "Who answered", after its own tables.
    who = html.index('id="who-answered"')
    assert who < html.index('id="representation"') < html.index('id="words"')


def test_the_key_findings_say_who_is_missing_in_one_sentence(client, compared):
    text = key_findings(report_html(client, compared))

    assert f"Who is missing {SENTENCE}" in text
    assert "few or none from" not in text
    assert "See the table of answers against the population" in text


def test_without_population_figures_the_key_findings_keep_the_few_answers_wording(
    client, consultation, django_capture_on_commit_callbacks
):
    answer(
        consultation,
        [(40, "13 to 15", "Mendip"), (12, "16 to 18", "Sedgemoor")],
        django_capture_on_commit_callbacks,
    )
    html = report_html(client, consultation)

    assert "few or none from" in key_findings(html)
    assert "Compared with the number of young people" not in html
    assert 'id="representation"' not in html


def test_a_small_group_is_hidden_with_its_rate_and_shares(
    client, consultation, django_capture_on_commit_callbacks
):
    """As ``compared`` but with 4 aged 11 to 12 in Sedgemoor. "Who answered" by area hides
    the 4 and the 11 not given (so that 4 cannot be had from the total, 65). Publishing the
    answers compared by area (54) would give the 4 back, so that breakdown's shares are hidden;
    by age band the hidden 4 and 10 cannot be told apart, so its shares stay."""
    population()
    answer(
        consultation,
        [
            (40, "13 to 15", "Mendip"),
            (10, "16 to 18", "Mendip"),
            (4, "11 to 12", "Sedgemoor"),
            (11, "", ""),
        ],
        django_capture_on_commit_callbacks,
    )
    html = report_html(client, consultation)
    found = tables(html)

    assert found[AREA_CAPTION][1:] == [
        ["Mendip", "50", "3,000", "16.7", "hidden", "33%", "hidden", ""],
        ["Sedgemoor", "fewer than 10", "3,000", "hidden", "hidden", "33%", "hidden", ""],
        ["South Somerset", "0", "3,000", "0.0", "hidden", "33%", "hidden", "No answers"],
        ["All compared", "hidden", "9,000", "hidden", "hidden", "100%", "", ""],
    ]
    assert found[AGE_CAPTION][1:] == [
        ["11 to 12", "fewer than 10", "3,000", "hidden", "hidden", "33%", "hidden", ""],
        ["13 to 15", "40", "3,000", "13.3", "74%", "33%", "2.22", ""],
        ["16 to 18", "hidden", "3,000", "hidden", "hidden", "33%", "hidden", ""],
        ["All compared", "54", "9,000", "6.0", "100%", "100%", "", ""],
    ]
    text = page_text(html)
    assert "Left out of the shares: Not given (hidden); the number in all is hidden." in text
    assert "The shares and ratios are hidden" in text
    # The 4 is nowhere: not as a count, nor as 1.3 per 1,000 or 7% of 54 answers.
    tables_text = " ".join(" ".join(" ".join(row) for row in rows) for rows in found.values())
    assert not re.search(r"(?<![\d,.])(4|1\.3|7%)(?![\d,.])", tables_text)
    assert "none came from South Somerset." in key_findings(html)


def test_filtered_to_an_age_band_only_the_areas_are_compared_within_it(client, compared):
    # 16 to 18 only: 10 answers, all from Mendip; 1,000 young people of 16 to 18 per area.
    found = tables(report_html(client, compared, query="age_band=16+to+18"))

    assert list(found) == [AREA_CAPTION]
    assert found[AREA_CAPTION][1:] == [
        ["Mendip", "10", "1,000", "10.0", "100%", "33%", "3.00", ""],
        ["Sedgemoor", "0", "1,000", "0.0", "0%", "33%", "0.00", "No answers"],
        ["South Somerset", "0", "1,000", "0.0", "0%", "33%", "0.00", "No answers"],
        ["All compared", "10", "3,000", "3.3", "100%", "100%", "", ""],
    ]


def test_figures_that_match_no_age_band_or_area_are_listed_as_not_used(client, compared):
    table = Population.objects.get()
    PopulationFigure.objects.create(
        population=table, age_band="13 to 15", area="Bristol", young_people=500
    )
    table.save()  # as the editor does: the report is built again

    text = page_text(report_html(client, compared))

    assert "so they are not used: 13 to 15, Bristol." in text
    assert "9,000" in text  # Bristol's 500 are not added in


def test_the_report_uses_the_latest_figures_not_after_the_year_it_opened(client, compared):
    Population.objects.update(year=compared.opens_at.year)
    population(source="Projection", year=compared.opens_at.year + 5, each=2000)

    text = page_text(report_html(client, compared))

    assert f"ONS mid-year estimates 2023, approximate ({compared.opens_at.year})" in text
    assert "Projection" not in text


def test_the_pdf_has_the_sentence_and_the_table(client, compared):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    response = client.get(reverse("report_pdf", args=[compared.slug]))
    reader = PdfReader(io.BytesIO(response.content))
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]

    assert SENTENCE in pages[0]
    assert any(AGE_CAPTION in page for page in pages[1:])
    # The note may break over two lines ("Under- represented").
    assert any("16 to 18 10 3,000 3.3 14% 33% 0.43 Under" in page for page in pages)


def test_the_workbook_has_a_who_is_missing_sheet_with_the_same_figures(client, compared):
    from openpyxl import load_workbook

    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    response = client.get(reverse("report_xlsx", args=[compared.slug]))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [
        [round(v, 4) if isinstance(v, float) else v for v in row if v is not None]
        for row in book["Who is missing"].iter_rows(values_only=True)
    ]

    assert ["Population figures: ONS mid-year estimates 2023, approximate (2023)."] in rows
    start = rows.index(["Age band", "Answers", *HEADINGS])
    assert rows[start + 1 : start + 5] == [
        ["11 to 12", 20, 3000, 6.7, 0.2857, 0.3333, 0.86],
        ["13 to 15", 40, 3000, 13.3, 0.5714, 0.3333, 1.71],
        ["16 to 18", 10, 3000, 3.3, 0.1429, 0.3333, 0.43, "Under-represented"],
        ["All compared", 70, 9000, 7.8, 1, 1],
    ]
    assert ["South Somerset", 0, 3000, 0.0, 0, 0.3333, 0.0, "No answers"] in rows
    assert ["Left out of the shares: Not given (11)"] in rows


def test_without_population_figures_the_workbook_has_no_such_sheet(
    client, consultation, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    answer(consultation, [(12, "13 to 15", "Mendip")], django_capture_on_commit_callbacks)
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    response = client.get(reverse("report_xlsx", args=[consultation.slug]))
    book = load_workbook(io.BytesIO(response.content), read_only=True)

    assert "Who is missing" not in book.sheetnames
    assert "Answers" in book.sheetnames


# The facilitator's overview --------------------------------------------------------------------


def overview_html(client, consultation, role=roles.FACILITATORS) -> str:
    sign_in_as(client, {"roles": [role]})
    response = client.get(reverse("consultations:overview", args=[consultation.pk]))
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str) -> str:
    found = re.search(r"<section [^>]*data-who-missing>(.*?)</section>", html, re.S)
    assert found, "no “Who is missing” panel"
    return found.group(1)


def test_the_overview_shows_who_is_missing_so_far_with_a_link_to_the_table(client, compared):
    html = panel(overview_html(client, compared))
    text = page_text(html)

    assert text.startswith("Who is missing so far")
    assert SENTENCE in text
    groups = [page_text(item) for item in re.findall(r"<li>(.*?)</li>", html, re.S)]
    assert groups == [
        "16 to 18 (age band): 10 answers, 3.3 per 1,000 young people; 14% of the answers, 33% "
        "of the young people",
        "South Somerset (area): no answers, though 33% of the young people live there",
    ]
    link = reverse("report", args=[compared.slug]) + "#representation"
    assert f'<a href="{link}">See the full table in the report</a>' in html


def test_the_overview_waits_for_enough_answers(
    client, consultation, django_capture_on_commit_callbacks
):
    population()
    answer(consultation, [(4, "13 to 15", "Mendip")], django_capture_on_commit_callbacks)

    text = page_text(panel(overview_html(client, consultation)))

    assert "Fewer than 10 young people have answered: too few to compare" in text
    assert "Mendip" not in text


def test_without_figures_the_overview_asks_a_facilitator_to_add_them(client, consultation):
    html = panel(overview_html(client, consultation))

    assert "add the number of young people" in page_text(html)
    assert reverse("wagtailsnippets_reports_population:list") in html


def test_a_breakdown_the_consultation_never_asked_about_is_not_compared(
    client, consultation, django_capture_on_commit_callbacks
):
    consultation.questions.filter(text=AREA).delete()
    population()
    with django_capture_on_commit_callbacks(execute=True):
        for band in ["13 to 15"] * 20 + ["16 to 18"] * 12:
            respond(consultation, {SAFER: "Better buses", AGE: band})

    html = report_html(client, consultation)

    assert list(tables(html)) == [AGE_CAPTION]
    assert "South Somerset" not in key_findings(html)
    assert "none came from 11 to 12 year olds." in key_findings(html)


# The sentence ----------------------------------------------------------------------------------


def sentence(under_bands=(), under_areas=(), none_bands=(), none_areas=()) -> str:
    """The key findings' sentence for groups flagged as given (each alone in its breakdown)."""

    def comparison(key, under, none):
        return Comparison(
            key=key,
            title=key,
            groups=tuple(
                Group(label, Cell(label, 1, "1", False), 1, 0.5, 1.0, 0.1, 0.2, flag)
                for labels, flag in ((under, UNDER), (none, NONE))
                for label in labels
            ),
            compared=Cell("Compared", 1, "1", False),
            population=1,
            left_out=(),
            left_out_total=Cell("Left out", 0, "0", False),
            shares_hidden=False,
            threshold=10,
        )

    found = Representation(
        source="Census",
        year=2021,
        comparisons=(
            comparison("age_band", under_bands, none_bands),
            comparison("area", under_areas, none_areas),
        ),
    )
    return missing_sentence(found)


START = "Compared with the number of young people living here"


def test_the_sentence_names_each_group_in_plain_words():
    assert sentence(under_bands=["16 to 18"], under_areas=["Sedgemoor"]) == (
        f"{START}, fewer than half as many answers as expected came from 16 to 18 year olds and "
        "from Sedgemoor."
    )
    assert sentence(under_bands=["Under 11", "19 to 25"], under_areas=["Mendip"]) == (
        f"{START}, fewer than half as many answers as expected came from under 11 year olds, "
        "from 19 to 25 year olds and from Mendip."
    )
    assert sentence(none_bands=["18+"], none_areas=["Sedgemoor", "Mendip"]) == (
        f"{START}, none came from young people aged 18+, from Sedgemoor or from Mendip."
    )
    assert sentence() == (
        f"{START}, every age band and area gave at least half as many answers as expected."
    )
