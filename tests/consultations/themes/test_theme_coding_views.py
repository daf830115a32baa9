"""The coding screens: who may see them; coding, correcting, gold, quality, discovery, summary."""

import re

import pytest
from django.urls import reverse

from consultations.themes.models import Codebook, HumanCoding, Theme
from consultations.themes.services import theme_coding as coding
from tests.consultations.admin.support import ROLES, facilitator, refused, sign_in_as
from tests.consultations.themes.support import add_answer, coded_consultation, theme
from tests.factories import make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

VIEWS = ["coding", "gold", "quality", "discovery", "themed_summary", "coding_status"]


@pytest.fixture
def setup(home):
    consultation, codebook, answers = coded_consultation(home)
    coding.recode(codebook)
    return consultation, codebook, answers


@pytest.fixture
def signed_in(client):
    user = facilitator()
    client.force_login(user)
    client.user = user
    return client


def url(name, consultation, **query):
    address = reverse(f"themes:{name}", args=[consultation.pk])
    if query:
        address += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return address


# Who may -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("attrs", "allowed"), ROLES)
@pytest.mark.parametrize("view", VIEWS)
def test_who_may_see_the_coding_views(client, setup, attrs, allowed, view):
    consultation, _codebook, _answers = setup
    sign_in_as(client, attrs)

    response = client.get(url(view, consultation))

    if allowed:
        assert response.status_code == 200
    else:
        assert refused(response, signed_in=attrs is not None)


@pytest.mark.parametrize(("attrs", "allowed"), ROLES)
def test_who_may_code_adopt_draw_and_retrain(client, setup, attrs, allowed):
    consultation, codebook, answers = setup
    sign_in_as(client, attrs)
    runs = codebook.runs.count()

    client.post(url("coding", consultation), {"answer": answers[0].pk, "action": "save"})
    client.post(url("gold", consultation), {"answer": answers[1].pk, "action": "save"})
    client.post(url("discovery", consultation), {"name": "Trees", "terms": "tree", "size": "5"})
    client.post(url("quality", consultation), {"size": "10"})
    client.post(url("coding_retrain", consultation))

    assert HumanCoding.objects.filter(answer=answers[0]).exists() == allowed
    assert HumanCoding.objects.filter(answer=answers[1], gold=True).exists() == allowed
    assert Theme.objects.filter(codebook=codebook, name="Trees").exists() == allowed
    assert (codebook.runs.count() > runs) == allowed


def test_consultation_without_a_codebook_says_how_to_get_one(signed_in, home):
    consultation = make_consultation(home)
    for view in ("coding", "quality", "discovery", "themed_summary"):
        response = signed_in.get(url(view, consultation))
        assert response.status_code == 200
        assert "has no codebook yet" in response.content.decode()
    starter = Codebook.objects.get(is_starter=True)
    assert reverse("wagtailsnippets_themes_codebook:copy", args=[starter.pk]) in (
        response.content.decode()
    )


# The coding screen -------------------------------------------------------------------------


def test_coding_screen_offers_the_least_certain_answer_with_suggestions_ticked(signed_in, setup):
    consultation, codebook, answers = setup
    expected = coding.next_answers(codebook, 1)[0]

    response = signed_in.get(url("coding", consultation))

    html = response.content.decode()
    assert response.context["answer"] == expected
    assert expected.redacted_text in html
    assert "0 of 12 answers coded" in html
    assert '<progress id="coding-progress" max="12" value="0">' in html
    ticked = {row["theme"].pk for row in response.context["theme_rows"] if row["checked"]}
    assert ticked == set(coding.suggestions_for(codebook, expected))
    assert "consultations/js/coding.js" in html


def test_suggestion_shows_confidence_in_words_and_numbers(signed_in, setup):
    consultation, codebook, answers = setup
    bus = answers[0]

    response = signed_in.get(url("coding", consultation, answer=bus.pk))

    rows = {row["theme"].name: row for row in response.context["theme_rows"]}
    assert rows["Transport"]["checked"] and rows["Transport"]["suggested"]
    assert not rows["Bullying"]["checked"]
    html = response.content.decode()
    score = rows["Transport"]["score"]
    assert f"{score:.2f}" in html
    assert rows["Transport"]["words"] in html
    assert 'data-key="1"' in html


def test_correcting_a_code_changes_the_stored_codes_and_moves_on(signed_in, setup):
    consultation, codebook, answers = setup
    bus = answers[0]
    bullying = theme(codebook, "Bullying")

    response = signed_in.post(
        url("coding", consultation), {"answer": bus.pk, "themes": [bullying.pk], "action": "save"}
    )

    assert response.status_code == 302 and response["Location"] == url("coding", consultation)
    coded = HumanCoding.objects.get(answer=bus, gold=False)
    assert list(coded.themes.all()) == [bullying] and coded.coder == signed_in.user
    assert coding.effective_codes(codebook)[bus.pk].themes == {bullying.pk: 1.0}
    after = signed_in.get(url("coding", consultation))
    assert after.context["answer"] != bus
    assert "1 of 12 answers coded" in after.content.decode()


def test_saving_nothing_ticked_means_none_of_these(signed_in, setup):
    consultation, codebook, answers = setup
    signed_in.post(url("coding", consultation), {"answer": answers[0].pk, "action": "save"})
    assert coding.effective_codes(codebook)[answers[0].pk].themes == {}


def test_skipping_saves_nothing_and_offers_another(signed_in, setup):
    consultation, codebook, _answers = setup
    first = signed_in.get(url("coding", consultation)).context["answer"]

    signed_in.post(url("coding", consultation), {"answer": first.pk, "action": "skip"})

    assert not HumanCoding.objects.exists()
    assert signed_in.get(url("coding", consultation)).context["answer"] != first


def test_held_answers_are_never_shown_or_coded(signed_in, setup):
    consultation, codebook, answers = setup
    held = add_answer(consultation, "Something held for review", held=True)

    shown = signed_in.get(url("coding", consultation, answer=held.pk))
    posted = signed_in.post(url("coding", consultation), {"answer": held.pk, "action": "save"})

    assert shown.context["answer"] != held
    assert "Something held for review" not in shown.content.decode()
    assert posted.status_code == 302
    assert not HumanCoding.objects.filter(answer=held).exists()


def test_themes_of_another_codebook_are_refused(signed_in, setup, home):
    consultation, codebook, answers = setup
    _c2, other, _a2 = coded_consultation(home)

    signed_in.post(
        url("coding", consultation),
        {"answer": answers[0].pk, "themes": [theme(other, "Bullying").pk], "action": "save"},
    )

    assert not HumanCoding.objects.exists()


def test_retrain_button_starts_a_run_that_becomes_current(
    signed_in, setup, django_capture_on_commit_callbacks
):
    consultation, codebook, _answers = setup
    before = coding.current_run(codebook)
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(url("coding_retrain", consultation))
    assert coding.current_run(codebook) != before


# Quality -----------------------------------------------------------------------------------


def sample_f1(response) -> str:
    return re.search(r"data-sample-f1>([^<]*)<", response.content.decode()).group(1)


def test_drawing_a_sample_and_coding_it_blind(signed_in, setup):
    consultation, codebook, answers = setup

    response = signed_in.post(url("quality", consultation), {"size": "10"})

    assert response.status_code == 302 and response["Location"] == url("gold", consultation)
    gold = signed_in.get(url("gold", consultation))
    answer = gold.context["answer"]
    assert answer is not None
    assert not any(row["checked"] or row["suggested"] for row in gold.context["theme_rows"])
    assert "suggested:" not in gold.content.decode()
    assert "0 of 10 answers in the sample coded" in gold.content.decode()

    signed_in.post(url("gold", consultation), {"answer": answer.pk, "action": "save"})

    assert HumanCoding.objects.get(answer=answer, gold=True).themes.count() == 0
    assert signed_in.get(url("gold", consultation)).context["answer"] != answer


@pytest.mark.parametrize("size", ["5", "501", "many", ""])
def test_bad_sample_sizes_are_refused(signed_in, setup, size):
    consultation, _codebook, _answers = setup
    response = signed_in.post(url("quality", consultation), {"size": size})
    assert response.status_code == 200
    assert response.context["form"].errors["size"]
    assert "consultations:gold:" not in "".join(signed_in.session.keys())


def test_correcting_a_gold_code_changes_the_quality_figures(signed_in, setup):
    consultation, codebook, answers = setup
    bus = answers[0]  # the machine says Transport
    transport, bullying = theme(codebook, "Transport"), theme(codebook, "Bullying")
    signed_in.post(
        url("gold", consultation), {"answer": bus.pk, "themes": [transport.pk], "action": "save"}
    )
    agreed = signed_in.get(url("quality", consultation))
    assert sample_f1(agreed) == "1.00"
    assert agreed.context["report"].theme("Transport").tp == 1

    signed_in.post(
        url("gold", consultation), {"answer": bus.pk, "themes": [bullying.pk], "action": "save"}
    )

    corrected = signed_in.get(url("quality", consultation))
    assert sample_f1(corrected) == "0.00"
    report = corrected.context["report"]
    assert (report.theme("Transport").fp, report.theme("Bullying").fn) == (1, 1)
    html = corrected.content.decode()
    assert "<caption" in html and 'scope="row"' in html
    assert "Not enough answers have been coded blind" in html


# Discovery ---------------------------------------------------------------------------------


def test_discovery_suggests_themes_from_unmatched_answers_and_adopts_one(signed_in, home):
    texts = [f"We need more trees and flowers in the park number {i}" for i in range(8)] + [
        f"School dinners and lunch food are cold every day {i}" for i in range(8)
    ]
    consultation, codebook, _answers = coded_consultation(home, texts=texts)
    coding.recode(codebook)

    response = signed_in.get(url("discovery", consultation))

    assert response.status_code == 200
    suggestions = response.context["suggestions"]
    assert suggestions, "expected at least one suggestion"
    first = suggestions[0]
    assert len(first["examples"]) <= 5 and first["examples"][0] in texts
    html = response.content.decode()
    assert first["suggestion"].name in html

    adopted = signed_in.post(
        url("discovery", consultation),
        {"name": first["suggestion"].name, "terms": first["terms"], "size": "8"},
    )

    assert adopted.status_code == 302
    made = codebook.themes.get(name=first["suggestion"].name)
    assert made.keywords.splitlines() == first["suggestion"].top_terms


def test_discovery_shows_each_suggestions_size_examples_and_overlap_with_the_codebook(
    signed_in, home
):
    # "youth" is a word of the "Youth clubs" theme's name, too weak alone to code an answer.
    centre = [f"The youth centre is shut on Sundays, week {i}" for i in range(7)]
    trees = [f"We need more trees and flowers in the park, number {i}" for i in range(6)]
    consultation, codebook, _answers = coded_consultation(home, texts=centre + trees)
    coding.recode(codebook)

    response = signed_in.get(url("discovery", consultation))

    html = re.sub(r"\s+", " ", response.content.decode())
    by_name = {item["suggestion"].name: item for item in response.context["suggestions"]}
    assert set(by_name) == {"Youth centre", "More trees"}, set(by_name)
    assert by_name["Youth centre"]["overlap"] == "Overlaps 100% with “Youth clubs”"
    assert by_name["More trees"]["overlap"] == "No overlap with the codebook"
    for name, size, texts in (("Youth centre", 7, centre), ("More trees", 6, trees)):
        start = html.index(f">{name}</h2>")
        section = html[start : html.index("</section>", start)]
        assert f"<li>{size} answers</li>" in section
        assert f"<li>{by_name[name]['overlap']}</li>" in section
        shown = re.findall(r"<q[^>]*>(.*?)</q>", section)
        assert len(shown) == 5 and set(shown) <= set(texts)
    assert "Example answers</h3>" in html


def test_adopting_needs_a_name(signed_in, setup):
    consultation, codebook, _answers = setup
    count = codebook.themes.count()
    signed_in.post(url("discovery", consultation), {"name": "", "terms": "tree", "size": "5"})
    assert codebook.themes.count() == count


# Themed summary ----------------------------------------------------------------------------


def test_themed_summary_shows_headline_counts_and_accessible_tables(signed_in, setup):
    consultation, codebook, answers = setup

    response = signed_in.get(url("themed_summary", consultation))

    html = response.content.decode()
    summary = response.context["summary"]
    assert summary.respondents == len(answers)
    assert summary.headline in html
    assert "The most common themes were" in summary.headline
    transport = summary.theme("Transport")
    assert transport.respondents == 4
    assert "Transport" in html and "<caption>" in html and '<th scope="row">' in html


def test_themed_summary_per_question(signed_in, setup):
    consultation, _codebook, _answers = setup
    question = next(q for q in consultation.ordered_questions() if q.kind == "short_text")

    response = signed_in.get(url("themed_summary", consultation, question=question.pk))

    assert response.context["question"] == question
    assert response.context["summary"].respondents == 0


def test_themed_summary_is_drawn_once_until_a_coding_changes_it(signed_in, setup, monkeypatch):
    from consultations.themes.models import HumanCoding
    from consultations.themes.services import summaries

    consultation, codebook, answers = setup
    drawn = []
    real = summaries.themed_summary
    monkeypatch.setattr(
        summaries, "themed_summary", lambda *a, **k: drawn.append(1) or real(*a, **k)
    )
    first = signed_in.get(url("themed_summary", consultation)).context["summary"]
    again = signed_in.get(url("themed_summary", consultation)).context["summary"]
    assert len(drawn) == 1 and again.respondents == first.respondents
    transport = codebook.themes.get(name="Transport")
    uncoded = next(a for a in answers if not HumanCoding.objects.filter(answer=a).exists())
    HumanCoding.objects.create(answer=uncoded, codebook=codebook, coder=signed_in.user)
    HumanCoding.objects.get(answer=uncoded).themes.add(transport)
    signed_in.get(url("themed_summary", consultation))
    assert len(drawn) == 2


def test_consultation_header_links_to_its_coding_screen(signed_in, setup):
    consultation, _codebook, _answers = setup
    response = signed_in.get(reverse("wagtailadmin_pages:edit", args=[consultation.pk]))
    assert url("coding", consultation) in response.content.decode()


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        pytest.param({"roles": [roles.FACILITATORS]}, True, id="facilitator"),
        pytest.param({"is_superuser": True, "is_staff": True}, True, id="superuser"),
        pytest.param({"roles": [roles.EXECUTIVE_PARTNERS]}, False, id="executive-partner"),
    ],
)
def test_the_consultation_header_leads_to_its_responses_and_coding(
    client, consultation, who, shown
):
    sign_in_as(client, who)
    page = client.get(reverse("wagtailadmin_pages:edit", args=[consultation.pk])).content.decode()
    assert (reverse("consultations:responses", args=[consultation.pk]) in page) is shown
    assert (reverse("themes:coding", args=[consultation.pk]) in page) is shown


def test_a_non_consultation_page_has_no_coding_button(client, home):
    sign_in_as(client, {"roles": [roles.FACILITATORS]})
    page = client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).content.decode()
    assert "/coding/" not in page and "/responses/" not in page
