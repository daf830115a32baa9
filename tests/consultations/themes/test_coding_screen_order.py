"""Least sure first is the coding screen's order; "at random" can be chosen instead."""

from unittest import mock

import pytest

from consultations.themes.admin import coding_screen
from consultations.themes.models import HumanCoding
from tests.consultations.themes.screen_support import screen_url, signed_in, suggest
from tests.consultations.themes.support import coded_consultation

pytestmark = pytest.mark.django_db

__all__ = ["signed_in"]


@pytest.fixture
def setup(home):
    consultation, codebook, answers = coded_consultation(home)
    suggest(codebook, {}, queue=[answers[4], answers[7]])
    return consultation, codebook, answers


def test_least_sure_first_is_the_default(signed_in, setup):
    consultation, _codebook, answers = setup

    response = signed_in.get(screen_url(consultation))

    assert response.context["answer"] == answers[4]
    assert (
        '<a href="{}" aria-current="true"><strong>least sure first'.format(
            screen_url(consultation, order="uncertain")
        )
        in response.content.decode()
    )


def test_random_order_offers_an_uncoded_answer_and_is_remembered(signed_in, setup):
    consultation, codebook, answers = setup
    for answer in answers[:-1]:
        HumanCoding.objects.create(answer=answer, codebook=codebook)

    chosen = signed_in.get(screen_url(consultation, order="random"))
    again = signed_in.get(screen_url(consultation))

    assert chosen.context["answer"] == answers[-1]
    assert again.context["answer"] == answers[-1]
    assert "<strong>at random</strong>" in again.content.decode()


def test_random_order_draws_from_every_uncoded_answer(signed_in, setup):
    consultation, _codebook, answers = setup

    with mock.patch.object(coding_screen.random, "choice", side_effect=lambda ids: max(ids)):
        response = signed_in.get(screen_url(consultation, order="random"))

    assert response.context["answer"] == answers[-1]


def test_an_unknown_order_keeps_the_default(signed_in, setup):
    consultation, _codebook, answers = setup

    response = signed_in.get(screen_url(consultation, order="alphabetical"))

    assert response.context["answer"] == answers[4]
