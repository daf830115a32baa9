"""The report opens with key findings: the top themes with a count, a share and two or three
redacted quotes each, the change since the earlier consultation, who took part and who is
missing. Held answers never reach them; small groups stay hidden.

The fixture ``briefed``, worked out by hand (35 young people):

- 20 aged 13 to 15 in Mendip write about street lights (coded Lighting);
- 12 aged 16 to 18 in Sedgemoor write about buses (coded Transport);
- 2 aged 11 to 12 in Mendip write about lights, one giving a phone number (Lighting);
- 1 aged 13 to 15 in Mendip makes a disclosure, held for review (and coded Lighting by mistake).

Released written answers: 34. Lighting 22 of them (65%), Transport 12 (35%). Age bands:
13 to 15 has 21, 16 to 18 has 12, 11 to 12 has 2 ("fewer than 10"), the rest 0. Areas: Mendip
23, Sedgemoor 12, the rest 0. The earlier consultation: 10 young people, 4 coded Lighting (40%),
none Transport, so Lighting is up 25 points and Transport up 35.
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from consultations.models import AnalysisOptions, Answer
from consultations.reports.report import build_report
from consultations.selectors import TermFilters
from consultations.themes.models import Codebook, HumanCoding, Theme
from tests.consultations.admin.support import respond, sign_in_as
from tests.factories import make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
TRAVEL = "How do you get to school?"
AGE = "How old are you?"
AREA = "Where do you live?"

LIGHTS = [
    "Better street lights near the park at night",
    "The alley by the shops needs much brighter lamps",
    "It is too dark walking home from football practice",
    "More lamps along the canal path to the station please",
]
BUSES = [
    "Buses should run later in the evening on weekdays",
    "The bus stop near school has no shelter or timetable",
    "Cheaper bus fares for young people going to college",
]
PHONE = "Call me on 07700 900123 about the dark lanes behind the estate"
DISCLOSURE = (
    "My stepdad hits me when he's drunk and I'm scared to go home. "
    "The street lights on our road are broken too."
)


def code(consultation, themes_for) -> None:
    """A codebook with Lighting and Transport; every written answer (held ones too, so that the
    report must leave them out itself) coded by a person with ``themes_for(text)``."""
    codebook = Codebook.objects.create(
        name=f"{consultation.title} themes", consultation=consultation
    )
    themes = {
        name: Theme.objects.create(codebook=codebook, name=name, sort_order=n)
        for n, name in enumerate(["Lighting", "Transport"])
    }
    for answer in Answer.objects.filter(question__page=consultation).exclude(text=""):
        names = themes_for(answer.text)
        if names:
            coding = HumanCoding.objects.create(
                answer=answer, codebook=codebook, coded_at=timezone.now()
            )
            coding.themes.set([themes[name] for name in names])


def lighting_or_transport(text: str) -> list[str]:
    if text in BUSES:
        return ["Transport"]
    if text in LIGHTS or text in (PHONE, DISCLOSURE):
        return ["Lighting"]
    return []


def make_briefed(home, capture_on_commit):
    """The consultation of the module docstring (shared with the other report-layout tests)."""
    consultation = make_consultation(home, title="Getting around safely", slug="getting-around")
    with capture_on_commit(execute=True):
        for n in range(20):
            respond(
                consultation,
                {SAFER: LIGHTS[n % 4], TRAVEL: "Walk", AGE: "13 to 15", AREA: "Mendip"},
            )
        for n in range(12):
            respond(
                consultation,
                {SAFER: BUSES[n % 3], TRAVEL: "Bus", AGE: "16 to 18", AREA: "Sedgemoor"},
            )
        for text in (PHONE, LIGHTS[0]):
            respond(consultation, {SAFER: text, TRAVEL: "Car", AGE: "11 to 12", AREA: "Mendip"})
        respond(consultation, {SAFER: DISCLOSURE, TRAVEL: "Walk", AGE: "13 to 15", AREA: "Mendip"})
    assert Answer.objects.filter(question__page=consultation, held=True).count() == 1
    code(consultation, lighting_or_transport)
    return consultation


@pytest.fixture
def briefed(home, django_capture_on_commit_callbacks):
    return make_briefed(home, django_capture_on_commit_callbacks)


@pytest.fixture
def with_earlier(briefed, home, django_capture_on_commit_callbacks):
    earlier = make_consultation(home, title="Feeling safe last year", slug="feeling-safe-2025")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(10):
            text = LIGHTS[n % 4] if n < 4 else "More youth clubs open late in the holidays"
            respond(earlier, {SAFER: text, AGE: "13 to 15", AREA: "Mendip"})
    code(earlier, lambda text: ["Lighting"] if text in LIGHTS else [])
    AnalysisOptions.objects.create(consultation=briefed, earlier_consultation=earlier)
    return briefed


def key_findings_html(client, consultation, query=None) -> str:
    sign_in_as(client, {"roles": [roles.EXECUTIVE_PARTNERS]})
    html = client.get(reverse("report", args=[consultation.slug]), query or {}).content.decode()
    start = html.rindex("<section", 0, html.index('id="key-findings"'))
    return html[start : html.index("</section>", start)]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_top_themes_have_a_count_a_share_and_redacted_quotes(briefed):
    findings = build_report(briefed).key_findings
    assert [(t.name, t.respondents, round(t.share * 100)) for t in findings.themes] == [
        ("Lighting", 22, 65),
        ("Transport", 12, 35),
    ]
    assert findings.themed_respondents == 34
    for theme in findings.themes:
        assert 2 <= len(theme.quotes) <= 3
    quotes = [quote for theme in findings.themes for quote in theme.quotes]
    assert set(quotes) <= {*LIGHTS, *BUSES, PHONE.replace("07700 900123", "[phone]")}
    assert all(quote in BUSES for quote in findings.themes[1].quotes)


def test_the_page_says_it_in_plain_words(client, briefed):
    text = text_of(key_findings_html(client, briefed))
    assert text.startswith("Key findings 35 young people answered 34 written answers")
    assert "What they raised most Lighting : 22 young people, 65%" in text
    assert re.search(r"Transport\s*: 12 young people, 35%", text)
    assert "Shares are of the 34 young people who wrote an answer." in text
    assert "More about Lighting" in text


def test_held_answers_and_personal_details_never_reach_the_key_findings(client, briefed):
    html = key_findings_html(client, briefed)
    assert "stepdad" not in html and "scared" not in html and "broken too" not in html
    assert "07700" not in html


def test_who_took_part_and_who_is_missing(client, briefed):
    text = text_of(key_findings_html(client, briefed))
    took_part = text[text.index("Who took part") : text.index("Who is missing")]
    assert "Age band : the most answers came from 13 to 15 (21)" in took_part
    assert "Area : the most answers came from Mendip (23)" in took_part
    missing = text[text.index("Who is missing") :]
    # 2 aged 11 to 12: a small group, named but never counted.
    assert "11 to 12 (fewer than 10)" in missing and "Under 11 (0)" in missing
    assert "(2)" not in missing
    assert "Sedgemoor" not in missing and "16 to 18" not in missing
    assert "Prefer not to say" not in missing and "Not given" not in missing


def test_a_group_filtered_to_is_not_called_missing(client, settings, briefed):
    settings.YOUTHVOICE_SUPPRESSION_THRESHOLD = 2
    text = text_of(key_findings_html(client, briefed, {"age_band": "13 to 15"}))
    missing = text[text.index("Who is missing") :]
    assert "Age band" not in missing
    assert "Area : few or none from Sedgemoor (0)" in missing


def test_the_change_since_the_earlier_consultation(client, with_earlier):
    findings = build_report(with_earlier).key_findings
    assert findings.earlier_title == "Feeling safe last year" and findings.compared
    assert [(t.name, round(t.change)) for t in findings.changes] == [
        ("Transport", 35),
        ("Lighting", 25),
    ]
    text = text_of(key_findings_html(client, with_earlier))
    assert "What changed since “Feeling safe last year”" in text
    assert "Transport : +35 points (now 35%)" in text
    assert "Lighting : +25 points (now 65%)" in text
    assert "Read the report of “Feeling safe last year”" in text


def test_without_an_earlier_consultation_nothing_is_said_about_change(client, briefed):
    assert "What changed since" not in key_findings_html(client, briefed)


def test_without_themes_the_most_used_words_stand_in(client, briefed):
    Codebook.objects.filter(consultation=briefed).delete()
    text = text_of(key_findings_html(client, briefed))
    assert "The written answers have not been sorted into themes yet." in text
    assert re.search(r"The words they used most: \w+", text)


def test_a_group_too_small_gets_no_key_findings(client, briefed):
    text = text_of(key_findings_html(client, briefed, {"age_band": "11 to 12"}))
    assert "fewer than 10 young people answered" in text
    assert "What they raised most" not in text and "Who took part" not in text
    assert build_report(briefed, TermFilters(age_band="11 to 12")).key_findings is None
