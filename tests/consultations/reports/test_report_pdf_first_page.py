"""The report PDF opens with the key findings: page 1 is a short masthead and the one-page key
findings summary, page 2 the contents, then the choice questions. No stray marks: a table's
hidden caption (read out by screen readers) is never drawn."""

import io
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML

from consultations.reports.pdf import BASE_URL, TEMPLATE, LocalOnlyFetcher, pdf_context
from consultations.selectors import TermFilters
from tests.consultations.admin.support import sign_in_as
from youthforum.accounts import roles

from .test_key_findings import BUSES, LIGHTS, make_briefed

pytestmark = pytest.mark.django_db


@pytest.fixture
def briefed(home, django_capture_on_commit_callbacks):
    """35 young people, worked out by hand in test_key_findings.py."""
    return make_briefed(home, django_capture_on_commit_callbacks)


def pages_text(client, consultation, query="") -> list[str]:
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    url = reverse("report_pdf", args=[consultation.slug]) + (f"?{query}" if query else "")
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_the_first_page_is_the_key_findings(client, briefed):
    first, second, third, *_ = pages_text(client, briefed)
    assert first.startswith(
        "Safeguarding Children Partnership Getting around safely "
        "What young people said: report for the Executive"
    )
    assert "Key findings 35 young people answered" in first
    assert "Lighting: 22 young people, 65%" in first
    assert "Transport: 12 young people, 35%" in first
    assert any(quote in first for quote in LIGHTS) and any(quote in first for quote in BUSES)
    assert "Who took part" in first and "Who is missing" in first
    # The whole summary fits on page 1: its last words are there, and nothing else is (the
    # list markers, "1." and "•", come out of the PDF last).
    words = re.sub(r"( (\d+\.|•))+$", "", first.split("Page 1 of")[0].rstrip())
    assert words.endswith("so that nobody can be picked out.")
    assert "Contents" not in first
    assert second.startswith("Contents Key findings")
    assert third.startswith("Answers to the choice questions")


def test_the_first_page_quotes_each_theme_at_most_twice(client, briefed):
    first = pages_text(client, briefed)[0]
    assert sum(first.count(quote) for quote in BUSES) == 2


def test_held_words_are_not_on_the_first_page(client, briefed):
    first = pages_text(client, briefed)[0]
    assert "stepdad" not in first and "07700" not in first


def test_a_filtered_pdf_names_its_filters_above_the_findings(client, settings, briefed):
    settings.YOUTHVOICE_SUPPRESSION_THRESHOLD = 2
    first = pages_text(client, briefed, "area=Mendip")[0]
    assert first.index("Area: Mendip") < first.index("Key findings")
    assert "Lighting: 22 young people, 100%" in first


def test_no_table_draws_its_hidden_caption(briefed):
    """A table's caption is hidden on the page (the chart above says the same) but kept for
    screen readers. Drawn into a 1 px box, a slice of its first letter showed as a tick mark
    in each table's first row: now it is clipped away and has no colour."""
    html = render_to_string(TEMPLATE, pdf_context(briefed, TermFilters()))
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=LocalOnlyFetcher()).render()
    captions: dict[int, list] = {}  # each hidden caption's boxes (the caption, its lines...)
    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            stack.extend(getattr(box, "children", ()))
            element = getattr(box, "element", None)
            hidden = "visually-hidden" in (getattr(element, "get", {}.get)("class") or "")
            if getattr(box, "element_tag", "") == "caption" and hidden:
                captions.setdefault(id(element), []).append(box)
    assert captions, "the PDF has tables with hidden captions"
    for boxes in captions.values():
        assert all(box.style["color"].alpha == 0 for box in boxes)
        assert any(box.style["clip"] == (0, 0, 0, 0) for box in boxes)
        assert all(box.style["white_space"] == "nowrap" for box in boxes)
