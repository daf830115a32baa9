"""The rule, checked against every output with random consultations and random filters.

Random young people (age band, area, gender, day, how they answered, one or two written
answers) are saved through the one door (``submit_response``) and coded into themes; random
filters are applied. Then every output is rendered as its reader gets it — the report page, the
page one filter wider, ``answers.csv``, the workbook read back with openpyxl, the facilitators'
response download, and (for a couple of examples, since WeasyPrint is slow) the PDF's text —
and checked against the rule, worked out here from the data and not from the code under test:

* row-level files: every combination of about-you answers and date a file shows is shared by at
  least the threshold of young people, or is "Not shown" throughout; what is shown is true (the
  answer, its month, or "Not shown"); a filtered file shows no row in more detail than the whole
  file, and none whose hidden details the filter would give away; a filtered group under the
  threshold gets no rows;
* aggregates: no breakdown of young people (who answered, responses over time, gender, themes by
  age band and area) shows a number from 1 to threshold - 1, none gives one away by subtraction
  from its total, shown numbers are the true ones, and a filtered group's own number is shown
  only when it is at least the threshold and the page one filter wider shows it too.
"""

import csv
import io
import itertools
import re
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from consultations.models import Answer, Response
from consultations.themes.models import Codebook, HumanCoding, Theme
from tests.consultations.admin.support import facilitator, respond, sign_in_as
from tests.factories import QuestionFactory, make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

K = 10
NOT_SHOWN = "Not shown"
NAME = "What is your name for this?"
SAFER = "What would make you feel safer?"
AGE = "How old are you?"
AREA = "Where do you live?"
GENDER = "How would you describe yourself?"
AGES = ["Under 11", "13 to 15", "16 to 18"]
AREAS = ["Mendip", "Sedgemoor", "Outside Somerset"]
GENDERS = ["Girl or young woman", "Boy or young man", "Non-binary"]
WORDS = [
    "Better street lights near the park",
    "More youth clubs open late",
    "Safer buses at night please",
    "Someone to talk to at school",
]
SOURCE_LABELS = {"online": "Online", "paper": "Paper"}
EXAMPLES = itertools.count()

person = st.fixed_dictionaries(
    {
        # Weighted so that some groups are large and some small.
        "age": st.sampled_from(["13 to 15"] * 3 + ["16 to 18"] * 2 + ["Under 11", ""]),
        "area": st.sampled_from(["Mendip"] * 3 + ["Sedgemoor"] * 2 + ["Outside Somerset", ""]),
        "gender": st.sampled_from([*GENDERS[:2], *GENDERS[:2], GENDERS[2], None]),
        "day": st.sampled_from([0, 0, 0, 1, 2, 6, 20, 45]),
        "minute": st.integers(0, 3),
        "source": st.sampled_from(["online", "online", "online", "paper"]),
        "words": st.sampled_from(WORDS),
        "two_answers": st.booleans(),
    }
)


def _expand(groups) -> list[dict]:
    """Groups of young people alike (or, when spread, a day or a few minutes apart), up to 45."""
    people = []
    for who, count, spread in groups:
        for n in range(count):
            if spread:
                who = {**who, "day": who["day"] + n % 3, "minute": n % 4}
            people.append(who)
    return people[:45]


#: Random young people, in groups (so that some groups are large and some small).
crowds = st.lists(st.tuples(person, st.integers(1, 14), st.booleans()), min_size=1, max_size=6).map(
    _expand
)

filters = st.fixed_dictionaries(
    {
        "age_band": st.sampled_from(["", "", "", *AGES]),
        "area": st.sampled_from(["", "", "", *AREAS]),
        "source": st.sampled_from(["", "", "", "", "online", "paper"]),
        "days": st.sampled_from([None, None, None, (0, 0), (0, 6), (1, 45)]),
    }
)


# Building a random consultation ------------------------------------------------------------------


def first_day() -> date:
    return timezone.localdate() - timedelta(days=50)


def build(home, people: list[dict]):
    """A consultation with a gender question, ``people`` answering it through the one door, and
    every written answer coded by a person; returns it and the truth about each person."""
    n = next(EXAMPLES)
    consultation = make_consultation(
        home, title=f"Random {n}", slug=f"random-{n}", opens_at=timezone.now() - timedelta(99)
    )
    QuestionFactory(page=consultation, kind="about_you", text=GENDER, about="gender")
    truth = []
    for i, who in enumerate(people):
        answers = {SAFER: f"{who['words']} {i}"}
        if who["two_answers"]:
            answers[NAME] = f"Sam number {i}"
        for question, value in ((AGE, who["age"]), (AREA, who["area"]), (GENDER, who["gender"])):
            if value:
                answers[question] = value
        when = timezone.make_aware(
            datetime.combine(first_day() + timedelta(days=who["day"]), time(10))
        ) + timedelta(minutes=who["minute"])
        response = respond(consultation, answers, source=who["source"], when=when)
        truth.append({**who, "pk": response.pk, "reference": response.reference})
    codebook = Codebook.objects.create(name="Themes", consultation=consultation)
    lights = Theme.objects.create(codebook=codebook, name="Lighting", sort_order=0)
    other = Theme.objects.create(codebook=codebook, name="Things to do", sort_order=1)
    for answer in Answer.objects.filter(response__page=consultation, held=False).exclude(
        redacted_text=""
    ):
        coding = HumanCoding.objects.create(
            answer=answer, codebook=codebook, coded_at=timezone.now()
        )
        coding.themes.set([lights] if "light" in answer.redacted_text else [other])
    return consultation, truth


def query(chosen: dict) -> str:
    parts = [f"{name}={chosen[name]}" for name in ("age_band", "area", "source") if chosen[name]]
    if chosen["days"]:
        start, end = chosen["days"]
        parts += [
            f"date_from={first_day() + timedelta(days=start):%Y-%m-%d}",
            f"date_to={first_day() + timedelta(days=end):%Y-%m-%d}",
        ]
    return "&".join(parts).replace(" ", "+")


def matches(who: dict, chosen: dict) -> bool:
    if chosen["age_band"] and who["age"] != chosen["age_band"]:
        return False
    if chosen["area"] and who["area"] != chosen["area"]:
        return False
    if chosen["source"] and who["source"] != chosen["source"]:
        return False
    if chosen["days"]:
        start, end = chosen["days"]
        return start <= who["day"] <= end
    return True


def filtered(chosen: dict) -> bool:
    return any(chosen[name] for name in ("age_band", "area", "source", "days"))


def small(value) -> bool:
    """Whether a cell as shown is a number from 1 to K - 1."""
    if isinstance(value, int | float):
        return 0 < value < K
    digits = str(value).replace(",", "").strip()
    return digits.isdigit() and 0 < int(digits) < K


def number(value) -> int | None:
    if isinstance(value, int):
        return value
    digits = str(value).replace(",", "").strip()
    return int(digits) if digits.isdigit() else None


# Row-level files ---------------------------------------------------------------------------------


def day_of(who) -> date:
    return first_day() + timedelta(days=who["day"])


def true_to(shown, given) -> bool:
    """A cell shows the truth, coarsened at most: as given, its month, or "Not shown"."""
    if shown in (NOT_SHOWN, given):
        return True
    if isinstance(given, date):
        return shown in (given.isoformat(), f"{given:%Y-%m}") or str(shown).startswith(
            given.isoformat()
        )
    return False


def assert_k_anonymous(rows, columns, person_of):
    together = defaultdict(set)
    for row in rows:
        together[tuple(str(row[c]) for c in columns)].add(person_of(row))
    for shown, people in together.items():
        assert set(shown) == {NOT_SHOWN} or len(people) >= K, (shown, len(people))


def coarser_or_same(narrow, wide) -> bool:
    return narrow in (wide, NOT_SHOWN) or (len(wide) == 10 and narrow == wide[:7])


def check_answers_file(lines, truth, chosen, whole=None):
    """``answers.csv`` (or the Answers sheet, as text): the rule, and for a filtered file,
    nothing shown in more detail than in the whole file ``whole``."""
    by_answer = dict(Answer.objects.values_list("pk", "response_id"))
    people = {who["pk"]: who for who in truth}
    group = [who for who in truth if matches(who, chosen)]
    if lines[0][0] == "Young people matching these filters":
        assert len(lines) == 2
        # The number of everyone who took part is shown, however small: it picks no one out.
        assert not (filtered(chosen) and small(lines[0][1])), lines
        return {}
    if filtered(chosen) and len(group) < K:
        pytest.fail(f"a filtered group of {len(group)} got a file of rows")
    rows = lines[2:]
    assert_k_anonymous(rows, (4, 5, 7), lambda row: by_answer[int(row[0])])
    shown = {}
    for row in rows:
        who = people[by_answer[int(row[0])]]
        assert matches(who, chosen)
        assert true_to(row[4], who["age"]) and true_to(row[5], who["area"])
        assert true_to(row[7], day_of(who))
        shown[row[0]] = (row[4], row[5], row[7])
        if whole is not None:
            age, area, day = whole[row[0]]
            assert coarser_or_same(row[4], age) and coarser_or_same(row[5], area)
            assert coarser_or_same(row[7], day)
            # The filter must not give away what the whole file hides.
            assert not (chosen["age_band"] and age == NOT_SHOWN)
            assert not (chosen["area"] and area == NOT_SHOWN)
            if chosen["days"]:
                assert day != NOT_SHOWN
                if len(day) == 7:  # a month: all of it in the dates chosen
                    start, end = (first_day() + timedelta(days=d) for d in chosen["days"])
                    month = date(int(day[:4]), int(day[5:]), 1)
                    last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
                    assert start <= month and last <= end
    return shown


def check_responses_download(lines, truth, chosen, whole=None):
    """The facilitators' download, by the same rule (a row is one young person)."""
    note, headings, *rows = lines
    people = {who["reference"]: who for who in truth}
    group = [who for who in truth if matches(who, chosen)]
    if filtered(chosen) and len(group) < K and len(group) < len(truth):
        assert rows == [] and "no responses are listed" in note[0]
        return {}
    names = ("Age band", "Area", AGE, AREA, GENDER, "Submitted")
    columns = [headings.index(name) for name in names]
    assert_k_anonymous(rows, columns, lambda row: row[0])
    shown = {}
    for row in rows:
        who = people[row[0]]
        assert matches(who, chosen)
        truths = (who["age"], who["area"], who["age"], who["area"], who["gender"] or "")
        for column, true in zip(columns, truths, strict=False):
            assert true_to(row[column], true)
        assert true_to(row[columns[-1]], day_of(who))
        shown[row[0]] = tuple(row[c] for c in columns)
        if whole is not None:
            assert all(
                coarser_or_same(a, b) or b.startswith(a)
                for a, b in zip(shown[row[0]], whole[row[0]], strict=True)
            )
            # A filter shared by every row must not give away what the whole file hides.
            for name, column, key in (("age_band", 0, "age"), ("area", 1, "area")):
                if chosen[name] and len({who[key] for who in truth}) > 1 and group != truth:
                    assert whole[row[0]][column] != NOT_SHOWN
    return shown


# Aggregates --------------------------------------------------------------------------------------


def gives_away(cells: list[str], total) -> bool:
    """Whether the shown numbers and total pin down a hidden count from 1 to K - 1 (each hidden
    "fewer than" is 1..K-1; a "hidden" one is 0 or at least K)."""
    total = number(total)
    if total is None:
        return False
    hidden = [c for c in cells if number(c) is None]
    if not hidden:
        return False
    remaining = total - sum(number(c) for c in cells if number(c) is not None)
    options = [
        range(1, K) if c.startswith("fewer") else [0, *range(K, remaining + 1)] for c in hidden
    ]
    for position, cell in enumerate(hidden):
        if not cell.startswith("fewer"):
            continue
        others = {0}
        for values in options[:position] + options[position + 1 :]:
            others = {s + v for s in others for v in values if s + v <= remaining}
        if len({v for v in options[position] if remaining - v in others}) == 1:
            return True
    return False


def table_rows(table) -> list[tuple[str, str]]:
    return [
        (row.th.get_text(" ", strip=True), row.td.get_text(" ", strip=True))
        for row in table.find_all("tr")
        if row.th is not None and row.td is not None
    ]


def who_tables(soup) -> dict[str, list[tuple[str, str]]]:
    section = soup.find(id="who-answered")  # the body of the report's "Who answered" part
    if section is None:
        return {}
    return {h3.get_text(strip=True): table_rows(h3.find_next("table")) for h3 in section("h3")}


def headline_number(soup):
    item = soup.select_one("ul.figures li")
    return item.get_text(" ", strip=True) if item else ""


def true_counts(truth, chosen, title) -> dict[str, int]:
    key = {"Age band": "age", "Area": "area", "How they answered": "source"}[title]
    counts = defaultdict(int)
    for who in truth:
        if matches(who, chosen):
            value = who[key]
            counts[
                SOURCE_LABELS.get(value, value) if key == "source" else value or "Not given"
            ] += 1
    return counts


def check_page(html, truth, chosen):
    soup = BeautifulSoup(html, "html.parser")
    group = [who for who in truth if matches(who, chosen)]
    figure = headline_number(soup)
    shown_n = number(figure.split(" ")[0]) if figure else None
    if filtered(chosen):
        assert not (shown_n is not None and 0 < shown_n < K), figure
    if shown_n is not None:
        assert shown_n == len(group)
    tables = who_tables(soup)
    for title, rows in tables.items():
        truth_here = true_counts(truth, chosen, title)
        cells = [value for label, value in rows if label != "Total"]
        total = dict(rows).get("Total")
        for label, value in rows:
            assert not small(value), (title, label, value)
            if number(value) is not None and label != "Total":
                assert number(value) == truth_here.get(label, 0), (title, label, value)
        assert not gives_away(cells, total), (title, rows)
    for section in ("over-time", "choice-questions"):
        part = soup.find(id=section)
        if part is None:
            continue
        for table in part("table"):
            caption = table.caption.get_text(strip=True) if table.caption else ""
            if section == "choice-questions" and caption != GENDER:
                continue  # choices, ratings and rankings are not groups of young people
            rows = table_rows(table)
            for label, value in rows:
                assert not small(value), (caption, label, value)
            cells = [value for label, value in rows if label != "Total"]
            assert not gives_away(cells, dict(rows).get("Total")), (caption, rows)
    for table in soup.select("table.themed-summary__breakdown"):
        rows = table_rows(table)
        for label, value in rows:
            assert not small(value), (label, value)
        cells = [value for label, value in rows if label != "Total"]
        assert not gives_away(cells, dict(rows).get("Total")), rows
    return soup, shown_n


def check_wider_pages(client, consultation, chosen, shown_n):
    """A filtered group's number is shown only if each page one breakdown filter wider shows
    the same group's cell (else filtering to each value in turn gives the hidden cells back);
    a zero only if the wider page shows that zero, or is a group of none itself."""
    if shown_n is None:
        return
    titles = (("age_band", "Age band"), ("area", "Area"), ("source", "How they answered"))
    for name, title in titles:
        if not chosen[name]:
            continue
        wider = {**chosen, name: ""}
        page = client.get(reverse("report", args=[consultation.slug]) + "?" + query(wider))
        soup = BeautifulSoup(page.text, "html.parser")
        cell = dict(who_tables(soup).get(title, [])).get(
            SOURCE_LABELS.get(chosen[name], chosen[name]), ""
        )
        if shown_n == 0 and number(headline_number(soup).split(" ")[0]) == 0:
            continue
        assert number(cell) == shown_n, (name, shown_n, cell)


def check_workbook(content, truth, chosen):
    book = load_workbook(io.BytesIO(content))
    summary = list(book["Summary"].iter_rows(values_only=True))
    head = next(row for row in summary if row[0] == "Young people who answered")
    if filtered(chosen):
        assert not small(head[1])
    reading = False
    for row in summary:
        if row[0] and (
            str(row[0]) in ("Age band", "Area", "How they answered")
            or str(row[0]).startswith("Responses over time")
        ):
            reading = True
            continue
        if not any(row):
            reading = False
        elif reading:
            assert not small(row[1]), row
    if "Themes" in book.sheetnames:
        breakdown = False
        for row in book["Themes"].iter_rows(values_only=True):
            if row[0] and str(row[0]).startswith("By "):
                breakdown = True
            elif breakdown and row[0]:
                assert not any(small(value) for value in row[1:]), row
    if "Questions" in book.sheetnames:
        for row in book["Questions"].iter_rows(values_only=True):
            if row[0] == GENDER:
                assert not small(row[1]) and not small(row[3]), row
    if "Answers" in book.sheetnames:
        lines = [
            ["" if v is None else (v.date().isoformat() if isinstance(v, datetime) else str(v))
             for v in row]
            for row in book["Answers"].iter_rows(values_only=True)
        ]  # fmt: skip
        check_answers_file(lines, truth, chosen)


def csv_lines(response) -> list[list[str]]:
    content = response.streaming_content if response.streaming else [response.content]
    return list(csv.reader(io.StringIO(b"".join(content).decode("utf-8-sig"))))


HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]


@settings(max_examples=10, deadline=None, suppress_health_check=HEALTH)
@given(crowds, filters)
def test_no_output_lets_a_reader_single_out_a_small_group(client, home, people, chosen):
    cache.clear()
    consultation, truth = build(home, people)
    executive = sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    page_url = reverse("report", args=[consultation.slug])
    suffix = "?" + query(chosen) if filtered(chosen) else ""

    # The report page, unfiltered and filtered, and the page one filter wider.
    nothing = {"age_band": "", "area": "", "source": "", "days": None}
    check_page(client.get(page_url).text, truth, nothing)
    _soup, shown_n = check_page(client.get(page_url + suffix).text, truth, chosen)
    check_wider_pages(client, consultation, chosen, shown_n)

    # answers.csv, whole and filtered, and the workbook under the filters.
    csv_url = reverse("report_csv", args=[consultation.slug])
    whole = check_answers_file(csv_lines(client.get(csv_url)), truth, nothing)
    check_answers_file(csv_lines(client.get(csv_url + suffix)), truth, chosen, whole)
    xlsx = client.get(reverse("report_xlsx", args=[consultation.slug]) + suffix)
    check_workbook(xlsx.content, truth, chosen)

    # The facilitators' download, whole and filtered.
    client.force_login(facilitator())
    listing = reverse("consultations:responses", args=[consultation.pk]) + "?export=csv"
    everyone = check_responses_download(csv_lines(client.get(listing)), truth, nothing)
    # The listing offers only the age bands and areas that someone gave.
    offered = chosen["age_band"] in {"", *(w["age"] for w in truth)} and chosen["area"] in {
        "",
        *(w["area"] for w in truth),
    }
    names = ("age_band", "area", "source")
    admin_query = [f"{name}={chosen[name]}" for name in names if chosen[name]]
    if chosen["days"]:
        start, end = (first_day() + timedelta(days=d) for d in chosen["days"])
        admin_query += [f"submitted_at_from={start:%Y-%m-%d}", f"submitted_at_to={end:%Y-%m-%d}"]
    if admin_query and offered:
        narrow = client.get(listing + "&" + "&".join(admin_query).replace(" ", "+"))
        check_responses_download(csv_lines(narrow), truth, chosen, everyone)
    assert executive is not None
    assert Response.objects.filter(page=consultation).count() == len(people)


@settings(max_examples=2, deadline=None, suppress_health_check=HEALTH)
@given(crowds, filters)
def test_the_pdf_shows_no_small_number_either(client, home, people, chosen):
    cache.clear()
    consultation, truth = build(home, people)
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    suffix = "?" + query(chosen) if filtered(chosen) else ""
    response = client.get(reverse("report_pdf", args=[consultation.slug]) + suffix)
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    answered = re.search(r"(\S+(?: than \d+)?) young people answered", text)
    if filtered(chosen) and answered:
        assert not small(answered.group(1)), answered.group(0)
    for label in [*AGES, *AREAS, *GENDERS, "Not given", "Online", "Paper"]:
        for found in re.finditer(re.escape(label) + r" (\d[\d,]*)\b", text):
            assert not small(found.group(1)), found.group(0)
    assert truth is not None
