"""Coming back with a reference: "See what happened next" (#17, item 4).

A young person types their reference and sees, once results are published, what the partnership
heard and promised for that consultation, and never anyone's answers: the fixture's own answers
hold words nobody else wrote, and no outcome of the page shows any of them.
"""

import re
from datetime import date, timedelta

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone
from django.utils.dateformat import format as format_date
from wagtail.models import PageViewRestriction

from consultations.commitments.models import Commitment
from consultations.models import Response
from consultations.models.responses import REFERENCE_ALPHABET, REFERENCE_LENGTH
from consultations.reports.come_back import normalise_reference
from consultations.services import OTHER, RawAnswer
from consultations.services.retention import purge_expired_responses
from consultations.views import REFERENCE_SALT
from tests.consultations.admin.support import respond
from tests.factories import make_consultation

from .conftest import AGE, AREA, SAFER, TRAVEL

pytestmark = pytest.mark.django_db

URL = "/your-reference/"
NAME = "What is your name for this?"
# Words only the fixture's own response holds, in every kind of answer it gave.
THEIR_WORDS = ["Quokkas", "marmalade", "Zanzibar", "Bartholomew", "hovercraft"]
THEIR_AGE, THEIR_AREA = "16 to 18", "Sedgemoor"
PRIVACY_NOTE = "This page never shows your answers or anything about you."
NOT_FOUND = "We could not find that reference."
PROMISE = "We will fix the lights by the park."


@pytest.fixture(autouse=True)
def generous_limit(settings):
    """Most tests look up many references; the limit has its own tests."""
    settings.YOUTHVOICE_REFERENCE_RATE_LIMIT = None


@pytest.fixture
def theirs(answered):
    """The young person coming back: one response among the 15 of ``answered``."""
    response = respond(
        answered,
        {
            SAFER: "Quokkas juggle marmalade in Zanzibar",
            NAME: "Bartholomew",
            TRAVEL: RawAnswer.of(OTHER, other="hovercraft"),
            AGE: THEIR_AGE,
            AREA: THEIR_AREA,
        },
    )
    Commitment.objects.create(
        consultation=answered,
        you_said="You said streets are too dark.",
        we_will=PROMISE,
        partner="council",
        lead="Head of Highways",
        due_date=date(2027, 1, 31),
    )
    Commitment.objects.create(
        consultation=answered,
        you_said="A draft.",
        we_will="A promise still being written",
        partner="police",
        lead="Chief Inspector",
        due_date=date(2027, 1, 31),
        published=False,
    )
    return response


def publish_results(page):
    page.results_published_at = timezone.now() - timedelta(hours=1)
    page.save()
    return page


def close(page, *, days_ago=1):
    page.opens_at = timezone.now() - timedelta(days=days_ago + 28)
    page.closes_at = timezone.now() - timedelta(days=days_ago)
    page.save()
    return page


def look_up(client, reference, **extra):
    return client.post(URL, {"reference": reference}, **extra)


def text_of(response) -> str:
    return response.content.decode()


def assert_shows_nothing_of_theirs(html: str, response: Response):
    for word in THEIR_WORDS:
        assert word.lower() not in html.lower(), f"{word!r} from their answers is on the page"
    assert THEIR_AGE not in html
    assert THEIR_AREA not in html
    assert response.reference not in html  # not even echoed back once found
    assert PRIVACY_NOTE in html


def assert_not_found(page, message=NOT_FOUND):
    html = text_of(page)
    assert page.status_code == 200
    assert 'class="error-summary"' in html
    assert f'<a href="#reference">{message}' in html
    assert 'id="reference-error"' in html
    assert "<title>Error:" in html
    assert "What happened next" not in html
    assert "What you told us" not in html
    assert PRIVACY_NOTE in html


# The form ----------------------------------------------------------------------------------------


def test_the_page_asks_for_the_reference_by_post_and_keeps_no_copy(client, home):
    page = client.get(URL)
    html = text_of(page)
    assert page.status_code == 200
    assert '<label class="label" for="reference">Your reference</label>' in html
    assert f"It is {REFERENCE_LENGTH} letters and numbers" in html
    assert re.search(rf'<form method="post" action="{URL}"', html)
    assert "csrfmiddlewaretoken" in html
    assert PRIVACY_NOTE in html
    assert "no-store" in page["Cache-Control"]
    assert 'class="error-summary"' not in html


def test_the_hints_example_is_a_well_formed_reference(client, home):
    html = text_of(client.get(URL))
    example = re.search(r"for example ([A-Z0-9]+)\.", html).group(1)
    assert len(example) == REFERENCE_LENGTH
    assert set(example) <= set(REFERENCE_ALPHABET)


def test_the_home_page_links_to_it(client, home):
    html = text_of(client.get(home.url))
    assert f'<a href="{URL}">Sent answers before? See what happened next</a>' in html


def test_the_thank_you_page_says_the_reference_is_the_way_back(client, theirs):
    signed = signing.dumps(theirs.reference, salt=REFERENCE_SALT)
    html = text_of(client.get(f"{theirs.page.url}thank-you/", {"ref": signed}))
    assert theirs.reference in html
    assert f'<a href="{URL}">see what happened next</a>' in html
    assert "It never shows your answers." in html


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_only_get_and_post(client, home, method):
    assert getattr(client, method)(URL).status_code == 405


def test_a_lookup_without_the_forms_csrf_token_is_refused(theirs):
    publish_results(close(theirs.page))
    browser = Client(enforce_csrf_checks=True)
    refused = look_up(browser, theirs.reference)
    assert refused.status_code == 403
    assert theirs.page.title not in text_of(refused)
    assert PROMISE not in text_of(refused)

    browser.get(URL)  # sets the CSRF cookie, as opening the page does
    token = browser.cookies["csrftoken"].value
    found = browser.post(URL, {"reference": theirs.reference, "csrfmiddlewaretoken": token})
    assert found.status_code == 200
    assert PROMISE in text_of(found)


# What a reference leads to -----------------------------------------------------------------------


def test_published_results_and_promises_and_never_their_answers(client, theirs):
    page = publish_results(close(theirs.page))
    found = look_up(client, theirs.reference)
    html = text_of(found)
    assert found.status_code == 200
    assert "no-store" in found["Cache-Control"]
    assert "<h1>What happened next</h1>" in html
    assert "Your reference is for “Feeling safe”." in html
    assert "16 young people took part." in html
    assert PROMISE in html
    assert "A promise still being written" not in html  # an unpublished promise
    assert "The words you used most" in html
    assert f'src="{page.url}results/word-cloud/"' in html
    assert f'<a href="{page.url}#results-heading">' in html
    # Nobody's sentences either, only words many used.
    assert "Better street lights near the park" not in html
    assert "More youth clubs open late" not in html
    assert "scooter" not in html
    assert_shows_nothing_of_theirs(html, theirs)


def test_the_same_results_as_the_consultations_own_page(client, theirs):
    page = publish_results(close(theirs.page))
    own = text_of(client.get(page.url))
    html = text_of(look_up(client, theirs.reference))
    section = re.compile(r'<section class="report-section".*?</section>', re.S)
    assert section.search(html).group(0) == section.search(own).group(0)


def test_a_handful_of_answers_shows_only_the_count(client, home):
    page = make_consultation(home, title="Tiny", slug="tiny")
    response = respond(page, {SAFER: "Quokkas juggle marmalade in Zanzibar", AGE: THEIR_AGE})
    respond(page, {SAFER: "Something else entirely", AGE: "13 to 15"})
    publish_results(close(page))
    html = text_of(look_up(client, response.reference))
    assert "2 young people took part." in html
    assert "So few people took part" in html
    assert "The words you used most" not in html
    assert_shows_nothing_of_theirs(html, response)


def test_before_results_are_published_it_says_when_it_closes(client, theirs):
    page = theirs.page
    html = text_of(look_up(client, theirs.reference))
    closes = format_date(timezone.localtime(page.closes_at), "j F Y")
    assert "The partnership has not published what it heard yet." in html
    assert f"This consultation closes on {closes}." in html
    assert "Come back later" in html
    assert "Your reference is for “Feeling safe”." in html
    assert "What you told us" not in html
    assert PROMISE not in html  # promises come with the results
    assert_shows_nothing_of_theirs(html, theirs)


def test_once_closed_but_not_published_it_says_when_it_closed(client, theirs):
    page = close(theirs.page, days_ago=3)
    html = text_of(look_up(client, theirs.reference))
    closed = format_date(timezone.localtime(page.closes_at), "j F Y")
    assert f"This consultation closed on {closed}." in html
    assert "What you told us" not in html
    assert_shows_nothing_of_theirs(html, theirs)


def test_results_of_an_unpublished_consultation_are_not_shown(client, theirs):
    page = publish_results(close(theirs.page))
    page.unpublish()
    html = text_of(look_up(client, theirs.reference))
    assert "The partnership has not published what it heard yet." in html
    assert "What you told us" not in html
    assert PROMISE not in html
    assert_shows_nothing_of_theirs(html, theirs)


def test_results_of_a_private_consultation_are_not_shown(client, theirs):
    page = publish_results(close(theirs.page))
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="school"
    )
    html = text_of(look_up(client, theirs.reference))
    assert "The partnership has not published what it heard yet." in html
    assert "What you told us" not in html
    assert PROMISE not in html


def test_after_the_retention_purge_the_reference_still_leads_to_the_results(client, theirs):
    page = publish_results(close(theirs.page, days_ago=10))
    page.retention_days = 1
    page.save()
    purge_expired_responses()
    theirs.refresh_from_db()
    assert theirs.text_purged_at is not None  # the words are gone, the response is kept

    html = text_of(look_up(client, theirs.reference))
    assert "16 young people took part." in html
    assert PROMISE in html
    assert_shows_nothing_of_theirs(html, theirs)


def test_a_deleted_response_is_not_found_like_any_unknown_reference(client, theirs):
    publish_results(close(theirs.page))
    reference = theirs.reference
    theirs.delete()  # an import undone, say
    gone = look_up(client, reference)
    assert_not_found(gone)
    unknown = look_up(client, "K7MP2QXR")
    # The same page for both (but for what was typed and the form's token): nothing says which.
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub("", text_of(gone).replace(reference, "K7MP2QXR")) == token.sub(
        "", text_of(unknown)
    )


# Typing it ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typing",
    [
        pytest.param(lambda r: r.lower(), id="small-letters"),
        pytest.param(lambda r: f"  {r}  ", id="spaces-around"),
        pytest.param(lambda r: f"{r[:4]} {r[4:]}", id="space-in-the-middle"),
        pytest.param(lambda r: " ".join(r), id="spaces-between-each"),
        pytest.param(lambda r: f"{r[:4]}-{r[4:]}".lower(), id="dash"),
        pytest.param(lambda r: f"{r[:4]}–{r[4:]}", id="en-dash"),
        pytest.param(lambda r: f"{r[:4]}\u00a0{r[4:]}", id="non-breaking-space"),
        pytest.param(lambda r: f"{r}\n", id="new-line"),
        pytest.param(
            lambda r: "".join(chr(ord(c) + 0xFEE0) for c in r), id="full-width-phone-keyboard"
        ),
    ],
)
def test_the_reference_can_be_typed_as_people_type_it(client, theirs, typing):
    publish_results(close(theirs.page))
    html = text_of(look_up(client, typing(theirs.reference)))
    assert "<h1>What happened next</h1>" in html
    assert PROMISE in html
    assert_shows_nothing_of_theirs(html, theirs)


def test_normalising_keeps_only_the_reference():
    assert normalise_reference(" ab cd-23\u201345 ") == "ABCD2345"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        pytest.param("", "Enter your reference", id="empty"),
        pytest.param("   ", "Enter your reference", id="only-spaces"),
        pytest.param("K7MP", NOT_FOUND, id="too-short"),
        pytest.param("K7MP2QXRK", NOT_FOUND, id="too-long"),
        pytest.param("K7MP2QX0", NOT_FOUND, id="a-zero-no-reference-has"),
        pytest.param("K7MP2QX!", NOT_FOUND, id="punctuation"),
        pytest.param("K7MP2QXR", NOT_FOUND, id="well-formed-but-unknown"),
        pytest.param("' OR 1=1 --", NOT_FOUND, id="sql"),
        pytest.param("A" * 5000, NOT_FOUND, id="very-long"),
        pytest.param("K7MP\x002QXR", NOT_FOUND, id="null-character"),
    ],
)
def test_a_reference_that_leads_nowhere_gets_a_clear_error(client, theirs, typed, message):
    publish_results(close(theirs.page))
    page = look_up(client, typed)
    assert_not_found(page, message)
    html = text_of(page)
    assert theirs.page.title not in html
    assert PROMISE not in html
    assert_shows_nothing_of_theirs(html, theirs)


def test_what_was_typed_is_shown_again_in_the_box(client, home):
    html = text_of(look_up(client, "k7mp 2qxr"))
    assert 'value="k7mp 2qxr"' in html
    assert 'aria-describedby="reference-hint reference-error"' in html


def test_a_reference_one_character_off_a_real_one_is_not_found(client, theirs):
    publish_results(close(theirs.page))
    real = set(Response.objects.values_list("reference", flat=True))
    tried = 0
    for position, letter in enumerate(theirs.reference):
        for other in REFERENCE_ALPHABET.replace(letter, "")[:3]:
            near = theirs.reference[:position] + other + theirs.reference[position + 1 :]
            if near in real:  # another young person's: a real reference, not a near miss
                continue
            assert_not_found(look_up(client, near))
            tried += 1
    assert tried >= 3 * REFERENCE_LENGTH - 1


# Guessing ----------------------------------------------------------------------------------------


def test_references_of_many_responses_share_no_guessable_pattern(home):
    page = make_consultation(home, title="Many", slug="many")
    references = [respond(page, {SAFER: f"Answer {n}"}).reference for n in range(120)]

    assert len(set(references)) == len(references)
    assert all(len(r) == REFERENCE_LENGTH and set(r) <= set(REFERENCE_ALPHABET) for r in references)
    # No two share a long beginning (31**-6 for any pair by chance: about 1 in 10**9 a pair).
    prefixes = [r[:6] for r in references]
    assert len(set(prefixes)) == len(prefixes)
    # Not counting up: read as numbers, one after the next are far apart and not in order.
    as_numbers = [
        sum(REFERENCE_ALPHABET.index(c) * len(REFERENCE_ALPHABET) ** i for i, c in enumerate(r))
        for r in references
    ]
    gaps = [abs(b - a) for a, b in zip(as_numbers, as_numbers[1:], strict=False)]
    assert min(gaps) > len(REFERENCE_ALPHABET) ** 3
    assert as_numbers != sorted(as_numbers) and as_numbers != sorted(as_numbers, reverse=True)
    # Every position uses much of the alphabet (31 letters; 120 draws leave out almost none).
    for position in range(REFERENCE_LENGTH):
        assert len({r[position] for r in references}) >= 20


def test_guessing_any_reference_at_the_rate_limit_takes_years(settings):
    """Even with a million responses stored, one client at the default limit would need, on
    average, years of lookups to hit anyone's reference, and a hit shows only published
    results, which are public anyway."""
    from youthforum.settings.base import YOUTHVOICE_REFERENCE_RATE_LIMIT

    count, seconds = YOUTHVOICE_REFERENCE_RATE_LIMIT
    space = len(REFERENCE_ALPHABET) ** REFERENCE_LENGTH
    lookups_per_year = count * (365 * 24 * 60 * 60 / seconds)
    years_to_a_hit = space / 1_000_000 / lookups_per_year
    assert years_to_a_hit > 1


# The limit ---------------------------------------------------------------------------------------


def test_the_lookup_after_the_limit_gets_a_429_and_no_result_even_when_right(
    client, theirs, settings
):
    settings.YOUTHVOICE_REFERENCE_RATE_LIMIT = (3, 600)
    publish_results(close(theirs.page))
    assert PROMISE in text_of(look_up(client, theirs.reference))  # found: counted
    assert_not_found(look_up(client, "K7MP2QXR"))  # unknown: counted
    assert_not_found(look_up(client, ""), "Enter your reference")  # empty: counted
    client.get(URL)  # opening the page is not a lookup

    refused = look_up(client, theirs.reference)

    html = text_of(refused)
    assert refused.status_code == 429
    assert "<h1>Please wait a few minutes</h1>" in html
    assert "Lots of references have been looked up from your network" in html
    assert theirs.page.title not in html
    assert PROMISE not in html
    assert "What you told us" not in html
    assert_shows_nothing_of_theirs(html, theirs)
    # Someone on another network is not held back.
    elsewhere = look_up(client, theirs.reference, REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 200 and PROMISE in text_of(elsewhere)


def test_the_limit_is_off_when_set_to_none(client, theirs, settings):
    settings.YOUTHVOICE_REFERENCE_RATE_LIMIT = None
    for _ in range(15):
        assert look_up(client, "K7MP2QXR").status_code == 200
    assert look_up(client, theirs.reference).status_code == 200
