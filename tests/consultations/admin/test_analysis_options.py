"""Analysis options (Snippets → Analysis options): facilitators set a consultation's word cloud."""

import pytest
from django.urls import reverse

from consultations.models import AnalysisOptions
from consultations.selectors import extra_stop_words_for

from .support import ROLES, refused, sign_in_as

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_consultations_analysisoptions:add"


def form(consultation, **fields):
    return {
        "consultation": consultation.pk,
        "max_words": "60",
        "extra_stop_words": "Somerset\nyouth forum",
        "mask": "",
        "earlier_consultation": "",
    } | fields


@pytest.mark.parametrize(("who", "allowed"), ROLES)
def test_who_may_set_analysis_options(client, consultation, who, allowed):
    sign_in_as(client, who)
    response = client.post(reverse(ADD), form(consultation))
    assert AnalysisOptions.objects.exists() == allowed
    if not allowed:
        assert refused(response, signed_in=who is not None)


def test_options_reach_the_word_cloud(client, consultation):
    sign_in_as(client, {"roles": ["Facilitators"]})
    client.post(reverse(ADD), form(consultation))
    options = AnalysisOptions.objects.get(consultation=consultation)
    assert options.max_words == 60
    assert {"somerset", "youth forum"} <= extra_stop_words_for(consultation)


@pytest.mark.parametrize("words", ["5", "301", "lots"])
def test_a_bad_word_count_is_refused_and_nothing_saved(client, consultation, words):
    sign_in_as(client, {"roles": ["Facilitators"]})
    response = client.post(reverse(ADD), form(consultation, max_words=words))
    assert response.status_code == 200
    assert "max_words" in response.context["form"].errors
    assert not AnalysisOptions.objects.exists()


def test_the_snippets_menu_says_analysis_options_not_optionss(client, consultation):
    sign_in_as(client, {"roles": ["Facilitators"]})
    page = client.get(reverse("wagtailsnippets:index")).content.decode()
    assert "Analysis options" in page
    assert "optionss" not in page.lower()
