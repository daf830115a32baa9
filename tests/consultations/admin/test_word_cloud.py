"""The facilitators' word cloud: who may see it, what the filters change, the downloads."""

import io
import xml.etree.ElementTree as ET
from datetime import datetime

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from consultations.models import AnalysisOptions, Source
from consultations.services.terms import set_answer_held
from tests.factories import ImageFactory

from .support import ROLES, facilitator, refused, respond, sign_in_as

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
AGE = "How old are you?"
AREA = "Where do you live?"


def at(day: int) -> datetime:
    return timezone.make_aware(datetime(2026, 3, day, 12, 0))


def page_url(consultation, query=""):
    return reverse("consultations:word_cloud", args=[consultation.pk]) + query


def png_url(consultation, query=""):
    return reverse("consultations:word_cloud_png", args=[consultation.pk]) + query


def svg_url(consultation, query=""):
    return reverse("consultations:word_cloud_svg", args=[consultation.pk]) + query


@pytest.fixture
def answers(consultation, settings):
    settings.WORD_CLOUD_REFRESH_SECONDS = 0  # every change shows at once
    with TestCase.captureOnCommitCallbacks(execute=True):
        young = respond(
            consultation,
            {SAFER: "Youth clubs and street lights", AGE: "13 to 15", AREA: "Mendip"},
            when=at(1),
        )
        older = respond(
            consultation,
            {SAFER: "More buses, buses at night", AGE: "16 to 18", AREA: "Sedgemoor"},
            when=at(5),
            source=Source.PAPER,
        )
        respond(consultation, {SAFER: "A youth club near me"}, when=at(9))
    return {"young": young, "older": older}


def rows(response) -> dict[str, tuple[int, int]]:
    return {row.term: (row.count, row.answers) for row in response.context["panel"].rows}


@pytest.mark.parametrize(("attrs", "allowed"), ROLES)
def test_only_facilitators_and_admins_see_the_word_cloud(client, consultation, attrs, allowed):
    user = sign_in_as(client, attrs)
    for url in (page_url(consultation), png_url(consultation), svg_url(consultation)):
        response = client.get(url)
        if allowed:
            assert response.status_code == 200, url
        else:
            assert refused(response, signed_in=user is not None), url


def test_the_page_shows_the_cloud_chart_table_and_alt_text(client, consultation, answers):
    client.force_login(facilitator())
    response = client.get(page_url(consultation))
    assert response.status_code == 200
    assert rows(response) == {
        "youth club": (2, 2),
        "bus": (2, 1),
        "street lights": (1, 1),
        "near": (1, 1),
        "night": (1, 1),
    }
    html = response.content.decode()
    panel = response.context["panel"]
    assert panel.alt.startswith("The most used words were \u201cyouth club\u201d (2 answers)")
    assert f'alt="{escape(panel.alt)}"' in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html
    assert "<td>67%</td>" in html  # youth club: 2 of 3 answers
    assert png_url(consultation) in html
    assert "download=1" in html


def test_filters_change_the_figures(client, settings, consultation, answers):
    # Three young people: small groups are refused in test_small_groups.py.
    settings.YOUTHVOICE_SUPPRESSION_THRESHOLD = 1
    client.force_login(facilitator())
    by_age = rows(client.get(page_url(consultation, "?age_band=16+to+18")))
    assert by_age == {"bus": (2, 1), "night": (1, 1)}
    by_area = rows(client.get(page_url(consultation, "?area=Mendip")))
    assert by_area == {"youth club": (1, 1), "street lights": (1, 1)}
    by_source = rows(client.get(page_url(consultation, f"?source={Source.PAPER}")))
    assert set(by_source) == {"bus", "night"}
    by_date = rows(client.get(page_url(consultation, "?date_from=2026-03-04&date_to=2026-03-10")))
    assert set(by_date) == {"bus", "night", "youth club", "near"}
    response = client.get(page_url(consultation, "?age_band=16+to+18"))
    assert response.context["panel"].rows[0].percent == "100%"


def test_an_impossible_date_range_says_so_and_shows_every_answer(client, consultation, answers):
    client.force_login(facilitator())
    response = client.get(page_url(consultation, "?date_from=2026-03-10&date_to=2026-03-01"))
    assert response.status_code == 200
    assert (
        "The “to” date must be the same as or after the “from” date." in response.content.decode()
    )
    assert "youth club" in rows(response)


def test_held_answers_and_extra_stop_words_are_left_out(client, consultation, answers):
    client.force_login(facilitator())
    answer = answers["older"].answers.exclude(redacted_text="").get()
    set_answer_held(answer_id=answer.pk, held=True)
    AnalysisOptions.objects.create(consultation=consultation, extra_stop_words="Street lights")
    shown = rows(client.get(page_url(consultation)))
    assert shown == {"youth club": (2, 2), "near": (1, 1)}


def test_png_download_is_a_png_and_svg_is_valid(client, settings, consultation, answers):
    settings.YOUTHVOICE_SUPPRESSION_THRESHOLD = 1  # a filtered cloud of one young person
    client.force_login(facilitator())
    png = client.get(png_url(consultation, "?download=1"))
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert "attachment" in png["Content-Disposition"]
    assert client.get(png_url(consultation)).content == png.content  # the same picture
    svg = client.get(svg_url(consultation, "?age_band=16+to+18"))
    assert svg["Content-Type"].startswith("image/svg+xml")
    root = ET.fromstring(svg.content)
    words = {el.text for el in root.iter("{http://www.w3.org/2000/svg}text")}
    assert words == {"bus", "night"}


def test_a_new_answer_redraws_the_cloud(client, consultation, answers):
    client.force_login(facilitator())
    before = client.get(png_url(consultation)).content
    with TestCase.captureOnCommitCallbacks(execute=True):
        respond(consultation, {SAFER: "skate park skate park skate park"}, when=at(10))
    assert client.get(png_url(consultation)).content != before


def test_the_responses_listing_links_to_the_word_cloud(client, consultation):
    client.force_login(facilitator())
    response = client.get(reverse("consultations:responses", args=[consultation.pk]))
    assert page_url(consultation) in response.content.decode()


def test_the_analysis_options_shape_and_most_words_are_used(client, consultation, answers):
    client.force_login(facilitator())
    shape = ImageFactory(file__width=200, file__height=100, file__color="white")
    AnalysisOptions.objects.create(consultation=consultation, max_words=10, mask=shape)
    # A white shape leaves nowhere to draw: the cloud is empty, but still a picture, not an error.
    png = client.get(png_url(consultation))
    assert png.status_code == 200
    image = Image.open(io.BytesIO(png.content)).convert("RGB")
    assert image.getcolors() == [(810 * 450, (255, 255, 255))]
