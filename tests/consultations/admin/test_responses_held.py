"""The responses listing marks the responses with an answer held for safeguarding review."""

import re

import pytest
from django.urls import reverse

from consultations.models import Answer
from tests.consultations.safeguarding.support import make_concern

from .support import facilitator, respond

pytestmark = pytest.mark.django_db

SAFER = "What would make you feel safer?"
HELD = "Held for safeguarding review"


def rows_by_reference(html: str) -> dict[str, str]:
    """Each listed response's row, by its reference."""
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)
    found = {}
    for row in rows:
        link = re.search(r"/responses/\d+/\"[^>]*>\s*([^<\s]+)", row)
        if link:
            found[link.group(1)] = row
    return found


def test_a_response_with_a_held_answer_is_marked_held(client, consultation):
    ordinary = respond(consultation, {SAFER: "Street lights"})
    held = make_concern(consultation).response
    client.force_login(facilitator())

    html = client.get(reverse("consultations:responses", args=[consultation.pk])).content.decode()

    rows = rows_by_reference(html)
    assert set(rows) == {ordinary.reference, held.reference}
    assert HELD in rows[held.reference]
    assert HELD not in rows[ordinary.reference]
    assert html.count(HELD) == 1


def test_a_released_answer_is_no_longer_marked(client, consultation):
    concern = make_concern(consultation)
    Answer.objects.filter(pk=concern.answer_id).update(held=False)
    client.force_login(facilitator())

    html = client.get(reverse("consultations:responses", args=[consultation.pk])).content.decode()

    assert concern.response.reference in html
    assert HELD not in html


def test_the_mark_stays_when_the_listing_is_filtered(client, consultation):
    held = make_concern(consultation).response
    client.force_login(facilitator())
    results = reverse("consultations:responses_results", args=[consultation.pk])

    html = client.get(f"{results}?source=online").content.decode()

    assert HELD in rows_by_reference(html)[held.reference]
