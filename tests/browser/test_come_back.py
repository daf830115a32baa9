"""A young person comes back with their reference, on a phone, by keyboard (#17, item 4).

Chromium at a phone viewport. From the home page's link to "See what happened next": sending
the form empty shows the error summary (focused); typing the reference as they might (small
letters, a space) shows what the partnership heard and promised, with none of their answers
and no reference in the address. axe-core finds nothing on the form, its error or the results.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from consultations.commitments.models import Commitment
from tests.consultations.admin.support import respond
from tests.factories import make_consultation

from .conftest import axe_lines
from .test_answer_consultation import focused, gets_focus, send, tab_to

pytestmark = pytest.mark.browser

SAFER = "What would make you feel safer?"
PROMISE = "We will fix the lights by the park."


@pytest.fixture
def published(live_home):
    """A closed consultation with its results and one promise published; returns the young
    person's own response, which holds words nobody else wrote."""
    page = make_consultation(live_home, title="Feeling safe", slug="feeling-safe")
    for _ in range(12):
        respond(page, {SAFER: "Better street lights near the park"})
    theirs = respond(page, {SAFER: "Quokkas juggle marmalade in Zanzibar"})
    Commitment.objects.create(
        consultation=page,
        you_said="You said streets are too dark.",
        we_will=PROMISE,
        partner="council",
        lead="Head of Highways",
        due_date=date(2027, 1, 31),
    )
    now = timezone.now()
    page.opens_at, page.closes_at = now - timedelta(days=30), now - timedelta(days=2)
    page.results_published_at = now - timedelta(days=1)
    page.save()
    return theirs


def test_a_young_person_comes_back_with_their_reference_by_keyboard(
    published, live_server, new_page, axe_path
):
    problems = []
    page = new_page()
    page.goto(live_server.url + "/")
    tab_to(page, "a[href='/your-reference/']")
    send(page)
    assert page.url == live_server.url + "/your-reference/"
    assert "This page never shows your answers" in page.get_by_role("main").inner_text()
    problems += axe_lines(page, axe_path, "the reference form")

    # Sent empty: the error summary, focused, linking to the box.
    tab_to(page, "main button[type=submit]")
    send(page)
    assert gets_focus(page, ".error-summary"), f"the error summary is not focused: {focused(page)}"
    assert "Enter your reference" in page.locator(".error-summary").inner_text()
    assert page.title().startswith("Error:")
    problems += axe_lines(page, axe_path, "the reference form with its error")

    reference = published.reference
    tab_to(page, "#reference")
    page.keyboard.type(f"{reference[:4].lower()} {reference[4:].lower()}")
    tab_to(page, "main button[type=submit]")
    send(page)

    main = page.get_by_role("main").inner_text()
    assert "What happened next" in main
    assert "13 young people took part." in main
    assert PROMISE in main
    assert "This page never shows your answers" in main
    for word in ("Quokkas", "marmalade", "Zanzibar", "Better street lights"):
        assert word not in main
    assert reference not in page.url and reference not in main
    assert page.url == live_server.url + "/your-reference/"
    problems += axe_lines(page, axe_path, "what happened next")
    assert not problems, "\n".join(problems)
