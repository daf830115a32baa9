"""The coding screen's line on how far the machine agrees with people so far (sample F1)."""

import pytest

from consultations.themes import selectors
from consultations.themes.models import HumanCoding
from tests.consultations.themes.screen_support import screen_url, signed_in, suggest
from tests.consultations.themes.support import coded_consultation, theme

pytestmark = pytest.mark.django_db

__all__ = ["signed_in"]


@pytest.fixture
def setup(home):
    return coded_consultation(home)


def code(codebook, answer, *names, gold=False):
    coding = HumanCoding.objects.create(answer=answer, codebook=codebook, gold=gold)
    coding.themes.set([theme(codebook, name) for name in names])


def hand_worked(codebook, answers):
    """Worked by hand (suggestions below 0.4 are not ticked, so not counted):

    answer  person                machine ticked         F1
    0       Transport             Transport              1
    1       Transport, Bullying   Transport (Youth 0.3)  2·1 / (2 + 1) = 0.667
    2       none                  Bullying               0
    3       none                  none (Transport 0.2)   1 (both chose nothing)
    4       Transport             no suggestions         left out
    5       not coded             Transport              left out
    6       Bullying, gold        Bullying               left out (blind check)

    Sample F1 = (1 + 0.667 + 0 + 1) / 4 = 0.667, from 4 answers.
    """
    transport, bullying = theme(codebook, "Transport"), theme(codebook, "Bullying")
    youth = theme(codebook, "Youth clubs")
    suggest(
        codebook,
        {
            answers[0]: {transport: 0.9},
            answers[1]: {transport: 0.7, youth: 0.3},
            answers[2]: {bullying: 0.5},
            answers[3]: {transport: 0.2},
            answers[5]: {transport: 0.8},
            answers[6]: {bullying: 0.8},
        },
    )
    code(codebook, answers[0], "Transport")
    code(codebook, answers[1], "Transport", "Bullying")
    code(codebook, answers[2])
    code(codebook, answers[3])
    code(codebook, answers[4], "Transport")
    code(codebook, answers[6], "Bullying", gold=True)


def test_agreement_is_the_sample_f1_of_ticked_suggestions_against_peoples_codes(setup):
    _consultation, codebook, answers = setup
    hand_worked(codebook, answers)

    agreement = selectors.agreement_so_far(codebook)

    assert agreement.answers == 4
    assert agreement.f1 == pytest.approx((1 + 2 / 3 + 0 + 1) / 4)


def test_agreement_takes_one_query_given_the_thresholds_and_two_without(
    setup, django_assert_num_queries
):
    _consultation, codebook, answers = setup
    hand_worked(codebook, answers)
    thresholds = selectors.suggestion_thresholds(codebook, [])

    with django_assert_num_queries(1):
        selectors.agreement_so_far(codebook, thresholds)
    with django_assert_num_queries(2):  # the current run's stored thresholds, then the rest
        selectors.agreement_so_far(codebook)


def test_agreement_ignores_runs_that_are_not_current(setup):
    _consultation, codebook, answers = setup
    hand_worked(codebook, answers)
    suggest(codebook, {})  # a newer run with no suggestions at all

    assert selectors.agreement_so_far(codebook) == selectors.Agreement(f1=None, answers=0)


def test_the_screen_shows_the_agreement_line_and_it_moves_with_each_save(signed_in, setup):
    consultation, codebook, answers = setup
    hand_worked(codebook, answers)

    before = signed_in.get(screen_url(consultation)).content.decode()
    signed_in.post(
        screen_url(consultation),
        {"answer": answers[5].pk, "themes": [theme(codebook, "Bullying").pk], "action": "save"},
    )
    after = signed_in.get(screen_url(consultation)).content.decode()

    assert "Agreement with your codes so far: F1 0.67 (from 4 answers)" in before
    # (1 + 0.667 + 0 + 1 + 0) / 5 = 0.53
    assert "Agreement with your codes so far: F1 0.53 (from 5 answers)" in after


def test_before_any_agreement_the_line_says_there_is_none_yet(signed_in, setup):
    consultation, _codebook, _answers = setup

    html = signed_in.get(screen_url(consultation)).content.decode()

    assert "Agreement with your codes so far: none yet" in html
