"""The report page reads in the order a partner needs it: key findings, then the answers to the
choice questions, then the details, each a part a reader opens and closes (native <details>,
no script needed), listed in a contents list whose links keep the filters; filters and
downloads come last. Long answer options wrap in their charts instead of being cut off."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from consultations.models import Question
from consultations.reports.report import build_report
from consultations.reports.selectors import CHAR_WIDTH, bar_chart_svg
from tests.consultations.admin.support import sign_in_as
from youthforum.accounts import roles

from .test_key_findings import make_briefed

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefed(home, django_capture_on_commit_callbacks):
    """35 young people, worked out by hand in test_key_findings.py."""
    return make_briefed(home, django_capture_on_commit_callbacks)


LONG = "I find it hard to talk to someone and do not get enough help at school"


class Outline(HTMLParser):
    """Headings in document order, each with the report part (<details>) it is in, if any;
    the parts with whether they start open; every id and every contents link."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[str, str, str | None]] = []
        self.parts: dict[str, bool] = {}
        self.ids: dict[str, str | None] = {}
        self.contents_links: list[str] = []
        self._details: list[str | None] = []
        self._heading: list | None = None
        self._in_contents = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        part = next((d for d in reversed(self._details) if d), None)
        if "id" in attrs:
            self.ids[attrs["id"]] = part
        if tag == "details":
            name = attrs.get("id") if "report-part" in (attrs.get("class") or "") else None
            self._details.append(name)
            if name:
                self.parts[name] = "open" in attrs
        elif tag in ("h2", "h3"):
            self._heading = [tag, "", part]
        elif tag == "nav" and attrs.get("aria-labelledby") == "contents-heading":
            self._in_contents = True
        elif tag == "a" and self._in_contents:
            self.contents_links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "details":
            self._details.pop()
        elif tag in ("h2", "h3") and self._heading:
            self.headings.append(
                (self._heading[0], " ".join(self._heading[1].split()), self._heading[2])
            )
            self._heading = None
        elif tag == "nav":
            self._in_contents = False

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[1] += data


def outline(client, consultation, query=None) -> Outline:
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    response = client.get(reverse("report", args=[consultation.slug]), query or {})
    assert response.status_code == 200
    html = response.content.decode()
    parsed = Outline()
    parsed.feed(html[html.index("<main") : html.index("</main>")])  # not the site's footer
    return parsed


def test_key_findings_come_before_the_choice_questions_and_they_before_the_details(client, briefed):
    page = outline(client, briefed)
    assert [text for level, text, _ in page.headings if level == "h2"] == [
        "Contents",
        "Key findings",
        "Answers to the choice questions",
        "Responses over time",
        "Who answered",
        "The words they used most",
        "Themes",
        "What taking part was like",
        "Filter the report",
        "Download this report",
    ]
    texts = [text for _, text, _ in page.headings]
    key_findings = texts.index("Key findings")
    first_question = texts.index("How do you get to school?")
    theme_detail = texts.index("Lighting")  # the theme's own section in the themed summary
    assert key_findings < texts.index("Who is missing") < first_question < theme_detail


def test_each_part_after_the_key_findings_opens_and_closes_without_script(client, briefed):
    page = outline(client, briefed)
    # The choice questions start open; the details start closed.
    assert page.parts == {
        "part-choice-questions": True,
        "part-over-time": False,
        "part-who-answered": False,
        "part-words": False,
        "part-themes": False,
        "part-taking-part": False,
    }
    parts = {text: part for level, text, part in page.headings if level == "h2"}
    assert parts["Key findings"] is None  # always shown
    assert parts["Themes"] == "part-themes" and parts["Who answered"] == "part-who-answered"
    assert parts["Filter the report"] is None and parts["Download this report"] is None


def test_the_contents_link_to_every_part_and_a_link_opens_its_part(client, briefed):
    page = outline(client, briefed, {"area": "Mendip"})
    assert page.contents_links == [
        "#key-findings",
        "#choice-questions",
        "#over-time",
        "#who-answered",
        "#words",
        "#themes",
        "#taking-part",
        "#filters",
        "#downloads",
    ]
    # Fragment-only links keep the page's address, filters and all; each target is inside its
    # part, so following the link (or opening the address with it) opens that part.
    for link in page.contents_links[1:7]:
        anchor = link[1:]
        assert page.ids[anchor] == f"part-{anchor}"
    assert page.ids["key-findings"] is None and page.ids["filters"] is None
    # A key finding's "More about" link opens the theme inside the Themes part.
    assert page.ids["theme-1"] == "part-themes"


def test_the_report_script_keeps_the_open_part_in_the_address(client, briefed):
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    html = client.get(reverse("report", args=[briefed.slug])).content.decode()
    assert re.search(r'<script src="[^"]*consultations/js/report\.js" defer>', html)
    assert "consultations/css/report.css" in html


# Long labels -------------------------------------------------------------------------------------


def label_lines(svg: str) -> list[list[tuple[float, str]]]:
    """Each bar's label as its lines: (x of the line's right end, its words)."""
    labels = re.findall(r'<text text-anchor="end"[^>]*>(.*?)</text>', svg)
    return [
        [(float(x), words) for x, words in re.findall(r'<tspan x="([\d.]+)"[^>]*>(.*?)</tspan>', t)]
        for t in labels
    ]


def test_a_long_answer_wraps_onto_lines_that_fit_beside_its_bar():
    svg = bar_chart_svg([(LONG, 12), ("Bus", 3)], title="Why", id_prefix="q")
    long_label, short_label = label_lines(svg)
    assert " ".join(words for _, words in long_label) == LONG  # every word, in order
    assert len(long_label) >= 2
    for right_end, words in long_label:
        # The line ends at right_end and runs leftwards: it must not start before x = 0.
        assert len(words) * CHAR_WIDTH <= right_end
    assert short_label == [(long_label[0][0], "Bus")]


def test_the_report_draws_long_choices_wrapped(briefed):
    question = Question.objects.get(page=briefed, text="Where do you feel unsafe?")
    question.options = f"Park\n{LONG}\nOnline"
    question.save()
    results = {r.question.text: r for r in build_report(briefed).questions}
    lines = [
        words
        for label in label_lines(results[question.text].series.chart_svg)
        for _, words in label
    ]
    assert LONG not in lines  # not one line that runs off the edge
    assert " ".join(lines).count(LONG) == 1
