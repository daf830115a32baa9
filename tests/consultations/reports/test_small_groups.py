"""Small groups in every output: the issue's example (six answers from "Under 11" in "Outside
Somerset" among many others), row-level files made k-anonymous, filtered files, numbers that
would give a hidden one away, responses over time and about-you questions."""

import csv
import io
from collections import defaultdict
from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from consultations.reports.report import build_report
from consultations.reports.selectors import over_time
from consultations.selectors import TermFilters
from tests.consultations.admin.support import facilitator, respond, sign_in_as
from tests.factories import QuestionFactory, make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
AGE = "How old are you?"
AREA = "Where do you live?"
GENDER = "How would you describe yourself?"
NOT_SHOWN = "Not shown"
SMALL = "Words from a small group"


def noon(days_ago: int) -> datetime:
    return timezone.make_aware(
        datetime.combine(timezone.localdate() - timedelta(days=days_ago), time(12))
    )


#: (age band, area, what they wrote, when: days ago, how many). Each answered once, a minute
#: apart. The last six are the issue's: a group of six, on their own day.
GROUPS = [
    ("13 to 15", "Mendip", "Better street lights", 10, 24),
    ("16 to 18", "Sedgemoor", "More youth clubs open late", 10, 11),
    ("Under 11", "Mendip", "Safer parks to play in", 10, 12),
    ("Under 11", "Outside Somerset", SMALL, 3, 6),
]


@pytest.fixture
def example(home, django_capture_on_commit_callbacks):
    consultation = make_consultation(
        home, title="Small groups", slug="small-groups", opens_at=noon(30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        for age, area, text, days_ago, count in GROUPS:
            for n in range(count):
                respond(
                    consultation,
                    {SAFER: f"{text} {n}", AGE: age, AREA: area},
                    when=noon(days_ago) + timedelta(minutes=n),
                )
    return consultation


@pytest.fixture
def executive(client):
    return sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})


def url(name, consultation, query=""):
    return reverse(name, args=[consultation.slug]) + (f"?{query}" if query else "")


def csv_rows(response) -> list[list[str]]:
    content = response.streaming_content if response.streaming else [response.content]
    return list(csv.reader(io.StringIO(b"".join(content).decode("utf-8-sig"))))


def answers_sheet(client, consultation, query=""):
    """The Answers sheet: its note, then its headings and rows."""
    response = client.get(url("report_xlsx", consultation, query))
    rows = list(load_workbook(io.BytesIO(response.content))["Answers"].iter_rows(values_only=True))
    return rows[0][0], [list(row) for row in rows[2:]]


def answers_csv(client, consultation, query=""):
    note, headings, *rows = csv_rows(client.get(url("report_csv", consultation, query)))
    assert headings[4:6] == ["Age band", "Area"] and headings[7] == "Date"
    return note[0], rows


def responses_download(client, consultation, query=""):
    listing = reverse("consultations:responses", args=[consultation.pk])
    response = client.get(f"{listing}?export=csv{'&' + query if query else ''}")
    assert response.status_code == 200
    note, headings, *rows = csv_rows(response)
    return note[0], headings, rows


def assert_no_small_combination(rows, columns, threshold=10):
    """Every combination of ``columns`` in ``rows`` is shared by ``threshold`` rows, or is
    "Not shown" throughout (here each young person wrote one answer: rows are people)."""
    together = defaultdict(int)
    for row in rows:
        together[tuple(str(row[c]) for c in columns)] += 1
    for shown, count in together.items():
        assert set(shown) == {NOT_SHOWN} or count >= threshold, (shown, count)


# The example -----------------------------------------------------------------------------


def test_the_six_cannot_be_found_in_the_unfiltered_answers_csv_or_sheet(client, executive, example):
    for note, rows in (answers_csv(client, example), answers_sheet(client, example)):
        assert note.startswith("To protect small groups, an age band, area or date that fewer")
        assert len(rows) == 53
        assert_no_small_combination(rows, (4, 5, 7))
        small = [row for row in rows if row[2].startswith(SMALL)]
        assert len(small) == 6
        assert {tuple(row[c] for c in (4, 5, 7)) for row in small} == {(NOT_SHOWN,) * 3}
        assert not any("Outside Somerset" in str(cell) for row in rows for cell in row)
        # The large groups are shown as they are: age band, area and day.
        lights = [row for row in rows if row[2].startswith("Better street lights")]
        assert {(row[4], row[5], str(row[7])[:10]) for row in lights} == {
            ("13 to 15", "Mendip", f"{noon(10):%Y-%m-%d}")
        }
        # Hidden rows are not a group of six either: the smallest other group is hidden too.
        hidden = [row for row in rows if (row[4], row[5], row[7]) == (NOT_SHOWN,) * 3]
        assert len(hidden) == 6 + 11


def test_the_page_hides_the_six_and_a_second_area_beside_them(client, executive, example):
    report = build_report(example)
    areas = {cell.label: cell.display for cell in report.who[1].table}
    assert areas["Outside Somerset"] == "fewer than 10"
    assert areas["Sedgemoor"] == "hidden"  # 53 - 36 - 11 would give 6 away
    assert areas["Mendip"] == "36"


def test_a_filter_to_the_six_gives_no_rows_in_any_download(client, executive, example):
    for query in ("area=Outside+Somerset", "age_band=Under+11&area=Outside+Somerset"):
        lines = csv_rows(client.get(url("report_csv", example, query)))
        assert lines[0] == ["Young people matching these filters", "fewer than 10"]
        assert len(lines) == 2
        book = load_workbook(io.BytesIO(client.get(url("report_xlsx", example, query)).content))
        assert book.sheetnames == ["Summary"]
        assert not any(SMALL in str(cell) for row in book["Summary"].values for cell in row)


def test_a_filter_to_a_hidden_area_shows_nothing_but_says_why(client, executive, example):
    # Sedgemoor (11) is hidden on the page beside Outside Somerset: filtered to it, the report
    # must not show 11 either.
    page = client.get(url("report", example, "area=Sedgemoor")).text
    assert "The number of young people who match these filters is hidden" in page
    lines = csv_rows(client.get(url("report_csv", example, "area=Sedgemoor")))
    assert lines[0] == ["Young people matching these filters", "hidden"]
    assert lines[1][0].startswith("The number of young people who match these filters is hidden")


def test_the_comparison_does_not_give_the_hidden_numbers_either(client, executive, example):
    page = client.get(
        reverse("report_compare", args=[example.slug]),
        {"a-area": "Sedgemoor", "b-area": "Outside Somerset"},
    ).text
    assert "Area: Sedgemoor – number hidden" in page
    assert "Area: Outside Somerset – fewer than 10 young people" in page
    assert "or a number that would let someone work out a smaller group" in page
    assert "11 young people" not in page and "6 young people" not in page


def test_a_filtered_file_leaves_out_rows_the_filter_would_give_away(client, executive, example):
    # Under 11 (18) is shown; six of them have their age band hidden in the whole file, and a
    # file of Under 11s would say what it is.
    _note, rows = answers_csv(client, example, "age_band=Under+11")
    assert len(rows) == 12
    assert {(row[4], row[5]) for row in rows} == {("Under 11", "Mendip")}
    assert not any(row[2].startswith(SMALL) for row in rows)


def test_no_row_is_shown_in_more_detail_in_a_filtered_file(client, executive, example):
    _note, everyone = answers_csv(client, example)
    whole = {row[0]: row for row in everyone}
    for query in ("age_band=Under+11", "age_band=13+to+15", "source=online"):
        _note, rows = answers_csv(client, example, query)
        for row in rows:
            for column in (4, 5, 7):
                assert row[column] in (whole[row[0]][column], NOT_SHOWN)


# The facilitators' response downloads -----------------------------------------------------------


@pytest.fixture
def listing_user(client):
    user = facilitator()
    client.force_login(user)
    return user


def test_the_responses_download_hides_the_six_and_their_time(client, listing_user, example):
    note, headings, rows = responses_download(client, example)
    assert "To protect small groups" in note
    columns = [headings.index(h) for h in ("Age band", "Area", AGE, AREA, "Submitted")]
    assert_no_small_combination(rows, columns)
    assert len(rows) == 53
    small = [row for row in rows if row[headings.index(SAFER)].startswith(SMALL)]
    assert {tuple(row[c] for c in columns) for row in small} == {(NOT_SHOWN,) * 5}
    assert not any("Outside Somerset" in cell for row in rows for cell in row)
    # A time of day is shared by no one: the day is shown instead, where enough share it.
    lights = [row for row in rows if row[headings.index(SAFER)].startswith("Better")]
    assert {row[headings.index("Submitted")] for row in lights} == {f"{noon(10):%Y-%m-%d}"}


def test_a_filtered_responses_download_of_the_six_lists_nobody(client, listing_user, example):
    note, _headings, rows = responses_download(client, example, "area=Outside+Somerset")
    assert rows == []
    assert "Fewer than 10 young people match these filters, so no responses are listed" in note
    workbook = load_workbook(
        io.BytesIO(
            b"".join(
                client.get(
                    reverse("consultations:responses", args=[example.pk])
                    + "?export=xlsx&area=Outside+Somerset"
                ).streaming_content
            )
        )
    )
    assert list(workbook["Responses"].iter_rows(min_row=2, values_only=True)) == []
    notes = [row[0] for row in workbook["About this file"].iter_rows(values_only=True)]
    assert any(note.startswith("Fewer than 10 young people") for note in notes)


def test_a_filtered_responses_download_leaves_out_what_the_filter_gives_away(
    client, listing_user, example
):
    _note, headings, rows = responses_download(client, example, "age_band=Under+11")
    text = headings.index(SAFER)
    assert len(rows) == 12
    assert not any(row[text].startswith(SMALL) for row in rows)
    assert {row[headings.index("Area")] for row in rows} == {"Mendip"}


def test_the_facilitators_word_cloud_of_the_six_is_not_drawn(client, listing_user, example):
    cloud = reverse("consultations:word_cloud", args=[example.pk])
    page = client.get(cloud, {"area": "Outside Somerset"})
    assert page.status_code == 200 and page.context["panel"] is None
    assert "Too few young people match these filters for their words to be shown" in page.text
    for name in ("consultations:word_cloud_png", "consultations:word_cloud_svg"):
        image = reverse(name, args=[example.pk])
        assert client.get(image, {"area": "Outside Somerset"}).status_code == 404
        assert client.get(image, {"area": "Mendip"}).status_code == 200
    assert client.get(cloud, {"area": "Mendip"}).context["panel"].rows


# Aggregates --------------------------------------------------------------------------------------


def test_responses_over_time_are_counted_by_week_when_days_are_small(home):
    consultation = make_consultation(home, slug="over-time", opens_at=noon(60))
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday() + 14)
    start = timezone.make_aware(datetime.combine(monday, time(12)))
    for n, days in enumerate([0] * 25 + [1] * 3 + [2] * 2):
        respond(consultation, {SAFER: f"Answer {n}"}, when=start + timedelta(days=days))
    series = over_time(consultation, TermFilters())
    assert series.rows == [(f"w/c {monday:%-d %b}", 30)]


def test_responses_over_time_hide_a_small_month_and_one_beside_it(home):
    consultation = make_consultation(home, slug="over-months", opens_at=noon(200))
    first = (timezone.localdate() - timedelta(days=120)).replace(day=1)
    months = [first, (first + timedelta(days=32)).replace(day=1)]
    months.append((months[1] + timedelta(days=32)).replace(day=1))
    plan = [(months[0], 12), (months[1], 3), (months[2], 15)]
    n = 0
    for month, count in plan:
        for day in range(count):  # one a day: every day and week under 10
            n += 1
            when = timezone.make_aware(datetime.combine(month + timedelta(days=day), time(12)))
            respond(consultation, {SAFER: f"Answer {n}"}, when=when)
    series = over_time(consultation, TermFilters())
    shown = [(cell.label, cell.display) for cell in series.table]
    assert shown == [
        (f"{months[0]:%b %Y}", "hidden"),
        (f"{months[1]:%b %Y}", "fewer than 10"),
        (f"{months[2]:%b %Y}", "15"),
    ]
    assert series.table.total.display == "30"


def test_an_about_you_question_counts_those_who_did_not_answer(client, executive, home):
    consultation = make_consultation(home, slug="genders", opens_at=noon(10))
    QuestionFactory(page=consultation, kind="about_you", text=GENDER, about="gender")
    for n in range(35):
        answers = {SAFER: f"Answer {n}"}
        if n < 32:
            answers[GENDER] = "Girl or young woman" if n < 20 else "Boy or young man"
        respond(consultation, answers)
    result = next(r for r in build_report(consultation).questions if r.question.text == GENDER)
    cells = {cell.label: cell.display for cell in result.series.table}
    # 3 did not say: hidden, and the smaller shown number with it; the number who answered
    # (32) is not shown, or 35 - 32 would give the 3 away.
    assert cells["Not given"] == "fewer than 10" and cells["Boy or young man"] == "hidden"
    assert cells["Girl or young woman"] == "20" and result.series.table.total.display == "35"
    assert result.answered is None
    page = client.get(url("report", consultation)).text
    assert "32 young people answered" not in page
    book = load_workbook(io.BytesIO(client.get(url("report_xlsx", consultation)).content))
    questions = [row for row in book["Questions"].values if row[0] == GENDER]
    assert {row[1] for row in questions} == {35}
    assert ("Not given", "fewer than 10") in [row[2:4] for row in questions]
