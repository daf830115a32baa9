"""The coding screen ticks only the machine's likely suggestions, and says how sure it is."""

import pytest

from consultations.themes import selectors
from consultations.themes.models import HumanCoding
from consultations.themes.services import theme_coding as service
from tests.consultations.themes.screen_support import (
    rows_by_name,
    screen_url,
    signed_in,
    suggest,
)
from tests.consultations.themes.support import coded_consultation, theme

pytestmark = pytest.mark.django_db

__all__ = ["signed_in"]


@pytest.fixture
def setup(home):
    return coded_consultation(home)


def test_a_suggestion_below_the_threshold_is_shown_but_not_ticked(signed_in, setup):
    consultation, codebook, answers = setup
    bus = answers[0]
    suggest(
        codebook,
        {bus: {theme(codebook, "Transport"): 0.72, theme(codebook, "Bullying"): 0.37}},
    )

    response = signed_in.get(screen_url(consultation, answer=bus.pk))

    rows = rows_by_name(response)
    assert rows["Transport"]["checked"] and rows["Transport"]["words"] == "likely"
    assert not rows["Bullying"]["checked"] and rows["Bullying"]["words"] == "unlikely"
    assert not rows["Youth clubs"]["checked"] and not rows["Youth clubs"]["suggested"]
    html = response.content.decode()
    assert "suggested: unlikely (0.37)" in html
    assert "suggested: likely (0.72)" in html
    transport = theme(codebook, "Transport")
    assert f'value="{transport.pk}" id="theme-{transport.pk}" checked' in html


def test_a_suggestion_exactly_at_the_threshold_is_ticked(signed_in, setup):
    consultation, codebook, answers = setup
    suggest(codebook, {answers[0]: {theme(codebook, "Transport"): selectors.SUGGESTION_THRESHOLD}})

    response = signed_in.get(screen_url(consultation, answer=answers[0].pk))

    row = rows_by_name(response)["Transport"]
    assert row["checked"] and row["words"] == "possible"


def test_the_confidence_bar_is_decorative_and_the_words_stay(signed_in, setup):
    consultation, codebook, answers = setup
    suggest(codebook, {answers[0]: {theme(codebook, "Transport"): 0.9}})

    html = signed_in.get(screen_url(consultation, answer=answers[0].pk)).content.decode()

    assert "suggested: very likely (0.90)" in html
    assert (
        '<span class="coding-bar coding-bar-ticked" aria-hidden="true">'
        '<span class="coding-bar-fill" style="width: 90%"></span></span>'
    ) in html


@pytest.mark.parametrize(
    ("score", "words"),
    [
        (0.0, "unlikely"),
        (0.39, "unlikely"),
        (0.4, "possible"),
        (0.64, "possible"),
        (0.65, "likely"),
        (0.84, "likely"),
        (0.85, "very likely"),
        (1.0, "very likely"),
    ],
)
def test_confidence_words_follow_the_documented_bands(score, words):
    assert selectors.confidence_words(score, 0.4) == words


def test_a_high_score_under_a_higher_threshold_is_still_unlikely():
    assert selectors.confidence_words(0.7, threshold=0.75) == "unlikely"


def test_an_answer_coded_already_shows_the_persons_themes_not_the_machines(signed_in, setup):
    consultation, codebook, answers = setup
    bus = answers[0]
    suggest(codebook, {bus: {theme(codebook, "Transport"): 0.95}})
    coding = HumanCoding.objects.create(answer=bus, codebook=codebook)
    coding.themes.set([theme(codebook, "Bullying")])

    response = signed_in.get(screen_url(consultation, answer=bus.pk))

    ticked = {name for name, row in rows_by_name(response).items() if row["checked"]}
    assert ticked == {"Bullying"}
    html = response.content.decode()
    # Without JavaScript, Enter presses the form's first button: it must be Save, not Undo.
    assert "Undo this coding" in html
    assert html.index('value="save"') < html.index('value="undo"')


def test_the_blind_gold_screen_ticks_nothing_and_shows_no_agreement_or_groups(signed_in, setup):
    consultation, codebook, answers = setup
    suggest(codebook, {answers[0]: {theme(codebook, "Transport"): 0.95}})
    session = signed_in.session
    session[f"consultations:gold:{codebook.pk}"] = [answers[0].pk]
    session.save()

    response = signed_in.get(screen_url(consultation, "gold"))

    assert response.context["answer"] == answers[0]
    assert not any(row["checked"] or row["suggested"] for row in response.context["theme_rows"])
    html = response.content.decode()
    assert "Agreement with your codes" not in html
    assert "answers say this" not in html


def test_a_run_keeps_the_thresholds_its_engine_tuned_and_the_screen_ticks_by_them(signed_in, setup):
    consultation, codebook, answers = setup
    run = suggest(codebook, {answers[0]: {theme(codebook, "Transport"): 0.25}})
    transport = theme(codebook, "Transport")

    unticked = rows_by_name(signed_in.get(screen_url(consultation, answer=answers[0].pk)))
    run.thresholds = {str(transport.pk): 0.2}
    run.save(update_fields=["thresholds"])
    ticked = rows_by_name(signed_in.get(screen_url(consultation, answer=answers[0].pk)))

    assert not unticked["Transport"]["checked"]  # no stored threshold: the default, 0.4
    assert unticked["Transport"]["words"] == "unlikely"
    assert ticked["Transport"]["checked"] and ticked["Transport"]["words"] == "possible"


def test_a_coding_run_stores_each_themes_threshold_from_the_engine(setup):
    _consultation, codebook, _answers = setup
    run = service.recode(codebook)

    run.refresh_from_db()
    themes = {t.pk for t in codebook.themes.all()}
    assert {int(k) for k in run.thresholds} == themes
    assert all(0.0 < value <= 0.95 for value in run.thresholds.values())
    assert selectors.suggestion_thresholds(codebook, themes) == {
        int(k): v for k, v in run.thresholds.items()
    }
