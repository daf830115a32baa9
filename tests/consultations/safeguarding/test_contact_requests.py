"""Told the truth, offered a way: the notice before the questions, and the optional request to be
contacted after a disclosure, kept for Safeguarding leads only and deleted after a few weeks."""

import time
import uuid
from datetime import UTC, datetime, timedelta
from io import StringIO
from unittest import mock
from urllib.parse import urlencode

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory, TestCase
from django.urls import reverse

from consultations import tasks
from consultations.models import Layout, QuestionKind, Response
from consultations.safeguarding.contact_requests import (
    ContactRequestRefused,
    contact_request_create,
    contact_requests_purge,
)
from consultations.safeguarding.models import ContactRequest, SafeguardingConcern
from consultations.services import RawAnswer, submit_response
from consultations.views import REFERENCE_SALT
from tests.factories import (
    ConsultationIndexPageFactory,
    ConsultationPageFactory,
    QuestionFactory,
    UserFactory,
)
from youthforum.accounts.roles import FACILITATORS, SAFEGUARDING_LEADS

from .support import detail_url

pytestmark = pytest.mark.django_db

DISCLOSURE = "My stepdad hits me when he's drunk and I'm scared to go home."
ORDINARY = "More street lights near the park"
HOW_TO_REACH = "Zephyrine, 07700 900456, text me"
BEST_TIME = "after netball on Tuesdays"
NOTICE = "If an answer sounds like someone is not safe, a person will read it."
OFFER = "I’d like someone to contact me"
SENT = "we have your details"
ERROR_TITLE = "<title>Error:"
INFO_FIELD = "Zephyrine"


def committed():
    """Run after-commit callbacks (the leads' emails) as a real request would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture
def leads():
    return [
        UserFactory(email="lead1@example.org", roles=[SAFEGUARDING_LEADS]),
        UserFactory(email="lead2@example.org", roles=[SAFEGUARDING_LEADS]),
        UserFactory(email="facilitator@example.org", roles=[FACILITATORS]),
    ]


def answered(consultation, text=DISCLOSURE):
    question = consultation.questions.get(kind=QuestionKind.LONG_TEXT)
    with committed():
        response = submit_response(
            consultation=consultation,
            answers={question.pk: RawAnswer.of(text)},
            token=uuid.uuid4(),
        ).response
    mail.outbox.clear()  # the concern's own email; these tests are about the contact request
    return response


def signed(response, *, at: float | None = None) -> str:
    with mock.patch("django.core.signing.time.time", return_value=at or time.time()):
        return signing.dumps(response.reference, salt=REFERENCE_SALT)


def thank_you_url(consultation, response, **kwargs) -> str:
    return f"{consultation.url}thank-you/?{urlencode({'ref': signed(response, **kwargs)})}"


def contact_url(consultation, response, **kwargs) -> str:
    return f"{consultation.url}thank-you/contact/?{urlencode({'ref': signed(response, **kwargs)})}"


def details(**overrides) -> dict:
    return {"how_to_reach": HOW_TO_REACH, "best_time": BEST_TIME, "consent": "yes", **overrides}


def sent(client, url, data, *, follow=False):
    with committed():
        return client.post(url, data, follow=follow)


# Told before the first question -----------------------------------------------------------------


def test_a_one_page_consultation_says_answers_are_anonymous_before_the_first_question(
    client, consultation
):
    html = client.get(consultation.url).content.decode()
    first_question = consultation.ordered_questions().first()
    assert NOTICE in html
    assert "Your answers are anonymous" in html
    assert "Nobody can contact you unless you choose to tell us how." in html
    assert html.index(NOTICE) < html.index(f'id="{first_question.field_name}"')


@pytest.fixture
def stepped(home):
    index = ConsultationIndexPageFactory(parent=home)
    page = ConsultationPageFactory(parent=index, title="Getting around", layout=Layout.STEPS)
    QuestionFactory(page=page, kind=QuestionKind.LONG_TEXT, text="What would help?")
    QuestionFactory(page=page, kind=QuestionKind.LONG_TEXT, text="Anything else?")
    return page


def test_a_step_by_step_consultation_says_it_on_the_first_question_only(client, stepped):
    first = client.get(f"{stepped.url}questions/1/").content.decode()
    second = client.get(f"{stepped.url}questions/2/").content.decode()
    assert NOTICE in first
    assert first.index(NOTICE) < first.index('class="label-heading"')
    assert NOTICE not in second


# The offer on the thank-you page ----------------------------------------------------------------


def test_after_a_disclosure_the_thank_you_page_offers_the_contact_form_kindly(client, consultation):
    response = answered(consultation)
    page = client.get(thank_you_url(consultation, response))
    html = page.content.decode()
    assert page.status_code == 200
    assert OFFER in html
    assert "nobody can contact you unless you choose to" in html
    assert "/thank-you/contact/?ref=" in html
    offer = html.split("data-contact-offer", 1)[1].split("</section>", 1)[0]
    for alarming in ("danger", "flagged", "worried", "concern"):
        assert alarming not in offer.lower()


def test_without_a_concern_the_thank_you_page_offers_no_contact_form(client, consultation):
    response = answered(consultation, ORDINARY)
    html = client.get(thank_you_url(consultation, response)).content.decode()
    assert OFFER not in html
    assert "/thank-you/contact/" not in html


def test_the_form_says_what_happens_next_and_where_to_get_help_now(client, consultation):
    response = answered(consultation)
    page = client.get(contact_url(consultation, response))
    html = page.content.decode()
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert "What happens next" in html
    assert "A safeguarding lead at Safeguarding Children Partnership will read" in html
    assert (
        "I agree that a safeguarding lead at Safeguarding Children Partnership can contact me "
        "using these details."
    ) in html
    assert "delete them after 30 days" in html
    assert "Childline" in html and "call 999" in html
    assert 'name="how_to_reach"' in html and 'name="consent"' in html


# Asking to be contacted ---------------------------------------------------------------------------


def test_a_young_person_asks_to_be_contacted_and_the_leads_are_told_without_the_details(
    client, consultation, leads
):
    response = answered(consultation)
    concern = SafeguardingConcern.objects.get(response=response)
    url = contact_url(consultation, response)

    posted = sent(client, url, details())

    assert posted.status_code == 302 and posted["Location"] == url
    made = ContactRequest.objects.get()
    assert made.response == response and made.concern == concern
    assert made.how_to_reach == HOW_TO_REACH and made.best_time == BEST_TIME
    assert made.consent is True
    confirmation = client.get(url)
    assert SENT in confirmation.content.decode().lower()
    assert "no-store" in confirmation["Cache-Control"]
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert set(email.to) == {"lead1@example.org", "lead2@example.org"}
    assert "asked to be contacted" in email.subject
    assert f"/admin/safeguarding/{concern.pk}/" in email.body
    for words in ("Zephyrine", "07700", "netball", "stepdad", "hits", "drunk"):
        assert words not in email.body and words not in email.subject


def test_the_best_time_may_be_left_out(client, consultation, leads):
    response = answered(consultation)
    sent(client, contact_url(consultation, response), details(best_time=""))
    assert ContactRequest.objects.get().best_time == ""


def test_500_characters_of_how_to_reach_are_enough(client, consultation, leads):
    response = answered(consultation)
    sent(client, contact_url(consultation, response), details(how_to_reach="x" * 500))
    assert len(ContactRequest.objects.get().how_to_reach) == 500


def test_a_second_post_shows_we_have_your_details_and_keeps_one_request(
    client, consultation, leads
):
    response = answered(consultation)
    url = contact_url(consultation, response)
    sent(client, url, details())

    again = sent(client, url, details(how_to_reach="Someone else entirely"))

    assert again.status_code == 200
    assert SENT in again.content.decode().lower()
    assert ContactRequest.objects.get().how_to_reach == HOW_TO_REACH
    assert len(mail.outbox) == 1  # the first request's email only
    thanks = client.get(thank_you_url(consultation, response)).content.decode()
    assert "We have your details" in thanks and OFFER not in thanks


def test_a_request_is_linked_to_the_first_of_several_concerns_and_shown_on_each(
    client, consultation, leads
):
    response = answered(consultation)
    answer = response.answers.first()
    second = SafeguardingConcern.objects.create(
        consultation=consultation, response=response, answer=answer
    )
    first = SafeguardingConcern.objects.exclude(pk=second.pk).get()
    sent(client, contact_url(consultation, response), details())
    assert ContactRequest.objects.get().concern == first
    lead = leads[0]
    for concern in (first, second):
        assert HOW_TO_REACH in render_as(lead, concern)


# Refused, with a clear error, and nothing saved ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field_id", "message"),
    [
        pytest.param(
            details(consent=""),
            "consent",
            "Tick the box to say a safeguarding lead can contact you.",
            id="no-consent",
        ),
        pytest.param(
            {"how_to_reach": HOW_TO_REACH, "best_time": BEST_TIME},
            "consent",
            "Tick the box to say a safeguarding lead can contact you.",
            id="consent-left-out",
        ),
        pytest.param(
            details(how_to_reach=""),
            "how-to-reach",
            "Tell us your name or how we can reach you.",
            id="empty-contact",
        ),
        pytest.param(
            details(how_to_reach="   \n  "),
            "how-to-reach",
            "Tell us your name or how we can reach you.",
            id="only-spaces",
        ),
        pytest.param(
            details(how_to_reach="x" * 501),
            "how-to-reach",
            "How to reach you must be 500 characters or fewer.",
            id="contact-over-500",
        ),
        pytest.param(
            details(best_time="y" * 256),
            "best-time",
            "The best time must be 255 characters or fewer.",
            id="best-time-too-long",
        ),
        pytest.param(
            details(how_to_reach="call me\x00"),
            "how-to-reach",
            "Use only letters, numbers and punctuation.",
            id="null-character",
        ),
    ],
)
def test_a_bad_form_comes_back_with_a_linked_error_and_nothing_is_saved(
    client, consultation, leads, data, field_id, message
):
    response = answered(consultation)

    page = sent(client, contact_url(consultation, response), data)

    html = page.content.decode()
    assert page.status_code == 200
    assert ERROR_TITLE in html
    assert 'class="error-summary"' in html and "There is a problem" in html
    assert f'<a href="#{field_id}">{message}</a>' in html
    assert f'id="{field_id}-error"' in html
    assert f'aria-describedby="{field_id}-error"' in html or f' {field_id}-error"' in html
    assert not ContactRequest.objects.exists()
    assert not mail.outbox


def test_what_was_typed_stays_in_the_form_after_an_error(client, consultation):
    response = answered(consultation)
    page = sent(client, contact_url(consultation, response), details(consent=""))
    html = page.content.decode()
    assert f">{HOW_TO_REACH}</textarea>" in html
    assert f'value="{BEST_TIME}"' in html


def test_after_an_hour_the_link_shows_no_form_and_a_post_saves_nothing(client, consultation):
    response = answered(consultation)
    an_hour_ago = time.time() - 61 * 60
    url = contact_url(consultation, response, at=an_hour_ago)

    shown = client.get(url)
    posted = sent(client, url, details())

    for page in (shown, posted):
        html = page.content.decode()
        assert page.status_code == 400
        assert "This link has expired" in html
        assert 'name="how_to_reach"' not in html
        assert response.reference not in html
    assert not ContactRequest.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    "query",
    [
        pytest.param("ref=not-a-signed-reference", id="tampered"),
        pytest.param("", id="no-reference"),
    ],
)
def test_a_changed_or_missing_reference_is_refused_and_nothing_saved(client, consultation, query):
    response = answered(consultation)
    good = signed(response)
    tampered_url = f"{consultation.url}thank-you/contact/?{query}"
    forged = f"{consultation.url}thank-you/contact/?{urlencode({'ref': good[:-1] + 'x'})}"

    for url in (tampered_url, forged):
        shown = client.get(url)
        posted = sent(client, url, details())
        assert shown.status_code == posted.status_code == 400
        assert "This link was changed or is incomplete" in posted.content.decode()
        assert 'name="how_to_reach"' not in shown.content.decode()
    assert not ContactRequest.objects.exists()


def test_a_response_without_a_concern_has_no_form_and_a_post_is_not_found(client, consultation):
    response = answered(consultation, ORDINARY)
    url = contact_url(consultation, response)

    assert client.get(url).status_code == 404
    assert sent(client, url, details()).status_code == 404
    assert not ContactRequest.objects.exists()
    assert not mail.outbox


def test_a_reference_from_another_consultation_is_not_found(client, consultation):
    response = answered(consultation)
    other = ConsultationPageFactory(
        parent=consultation.get_parent(), title="Another", slug="another"
    )
    url = f"{other.url}thank-you/contact/?{urlencode({'ref': signed(response)})}"
    assert sent(client, url, details()).status_code == 404
    assert not ContactRequest.objects.exists()


def test_sending_is_rate_limited_like_the_answer_form(client, consultation, settings):
    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = (1, 600)
    response = answered(consultation)
    url = contact_url(consultation, response)
    sent(client, url, details(consent=""))  # the one allowed, refused for its missing consent

    limited = sent(client, url, details())

    assert limited.status_code == 429
    assert "Please wait a few minutes and try again." in limited.content.decode()
    assert not ContactRequest.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"how_to_reach": HOW_TO_REACH, "consent": False}, "You need to agree"),
        ({"how_to_reach": "  ", "consent": True}, "Tell us your name"),
        ({"how_to_reach": "x" * 501, "consent": True}, "500 characters or fewer"),
        ({"how_to_reach": "x", "best_time": "y" * 256, "consent": True}, "255 characters"),
    ],
)
def test_the_service_refuses_what_the_form_refuses(consultation, kwargs, message):
    response = answered(consultation)
    with pytest.raises(ContactRequestRefused, match=message):
        contact_request_create(response=response, **kwargs)
    assert not ContactRequest.objects.exists()


def test_the_service_refuses_a_response_without_a_concern(consultation):
    response = answered(consultation, ORDINARY)
    with pytest.raises(ContactRequestRefused):
        contact_request_create(response=response, how_to_reach=HOW_TO_REACH, consent=True)
    assert not ContactRequest.objects.exists()


# Only Safeguarding leads see it -------------------------------------------------------------------


def make_request(response) -> ContactRequest:
    with committed():
        made, _created = contact_request_create(
            response=response, how_to_reach=HOW_TO_REACH, best_time=BEST_TIME, consent=True
        )
    return made


def render_as(user, concern) -> str:
    request = RequestFactory().get("/admin/safeguarding/")
    request.user = user
    return render_to_string(
        "safeguarding/includes/contact_requests.html", {"concern": concern}, request=request
    )


def test_a_lead_sees_how_to_reach_them_on_the_concern(consultation):
    response = answered(consultation)
    make_request(response)
    concern = SafeguardingConcern.objects.get()
    lead = UserFactory(roles=[SAFEGUARDING_LEADS])

    html = render_as(lead, concern)

    assert "Asked to be contacted" in html
    assert HOW_TO_REACH in html and BEST_TIME in html
    assert "They agreed that a Safeguarding lead can contact them" in html


def test_a_lead_opening_the_concern_sees_the_request(client, consultation):
    response = answered(consultation)
    make_request(response)
    client.force_login(UserFactory(roles=[SAFEGUARDING_LEADS]))

    page = client.get(detail_url(SafeguardingConcern.objects.get()))

    html = page.content.decode()
    assert page.status_code == 200
    assert "Asked to be contacted" in html
    assert HOW_TO_REACH in html and BEST_TIME in html


def test_a_lead_is_told_when_nobody_asked_to_be_contacted(consultation):
    answered(consultation)
    html = render_as(UserFactory(roles=[SAFEGUARDING_LEADS]), SafeguardingConcern.objects.get())
    assert "The young person has not asked to be contacted." in html


def test_a_request_stays_with_the_concern_when_its_response_is_gone(consultation):
    response = answered(consultation)
    make_request(response)
    concern = SafeguardingConcern.objects.get()
    SafeguardingConcern.objects.filter(pk=concern.pk).update(response=None)
    ContactRequest.objects.update(response=None)
    concern.refresh_from_db()
    assert HOW_TO_REACH in render_as(UserFactory(roles=[SAFEGUARDING_LEADS]), concern)


@pytest.mark.parametrize(
    "attrs",
    [
        pytest.param({"roles": [FACILITATORS]}, id="facilitator"),
        pytest.param({"roles": []}, id="no-role"),
    ],
)
def test_nobody_but_a_lead_sees_it_even_where_the_include_is_used(consultation, attrs):
    response = answered(consultation)
    make_request(response)
    html = render_as(UserFactory(**attrs), SafeguardingConcern.objects.get())
    assert html.strip() == ""


def test_a_facilitator_opening_the_concern_sees_none_of_it(client, consultation):
    response = answered(consultation)
    make_request(response)
    client.force_login(UserFactory(roles=[FACILITATORS]))

    page = client.get(detail_url(SafeguardingConcern.objects.get()))

    assert page.status_code == 403
    assert INFO_FIELD not in page.content.decode()


def test_no_admin_listing_shows_it(client, consultation):
    response = answered(consultation)
    make_request(response)
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    pages = [
        reverse("safeguarding:index"),
        reverse("consultations:index"),
        reverse("consultations:responses", args=[consultation.pk]),
        reverse("consultations:response", args=[consultation.pk, response.pk]),
        "/admin/",
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        html = page.content.decode()
        assert INFO_FIELD not in html and "netball" not in html, url


# Deleted after YOUTHVOICE_CONTACT_REQUEST_DAYS ----------------------------------------------------

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def frozen(when):
    return mock.patch("django.utils.timezone.now", return_value=when)


def test_the_retention_setting_defaults_to_30_days(settings):
    assert settings.YOUTHVOICE_CONTACT_REQUEST_DAYS == 30


def test_the_daily_purge_deletes_requests_older_than_the_setting_and_keeps_the_concern(
    consultation,
):
    response = answered(consultation)
    with frozen(START):
        make_request(response)
    later = answered(consultation)
    with frozen(START + timedelta(days=2)):
        newer = make_request(later)
    out = StringIO()

    with frozen(START + timedelta(days=29, hours=23)):
        call_command("purge_expired_responses", stdout=out)
    assert ContactRequest.objects.count() == 2

    with frozen(START + timedelta(days=30, minutes=1)):
        call_command("purge_expired_responses", stdout=out)
    assert list(ContactRequest.objects.all()) == [newer]
    assert "Deleted 1 request(s) to be contacted past their retention." in out.getvalue()
    assert SafeguardingConcern.objects.count() == 2
    assert Response.objects.filter(pk=response.pk).exists()


def test_the_purge_task_and_a_shorter_setting_delete_them_too(consultation, settings):
    settings.YOUTHVOICE_CONTACT_REQUEST_DAYS = 1
    response = answered(consultation)
    with frozen(START):
        make_request(response)

    with frozen(START + timedelta(hours=23)):
        assert tasks.purge_expired_responses_task.enqueue().return_value["contact_requests"] == 0
    with frozen(START + timedelta(days=1, minutes=1)):
        assert tasks.purge_expired_responses_task.enqueue().return_value["contact_requests"] == 1
    assert not ContactRequest.objects.exists()


def test_a_dry_run_deletes_no_request(consultation):
    response = answered(consultation)
    with frozen(START):
        make_request(response)
    with frozen(START + timedelta(days=40)):
        call_command("purge_expired_responses", "--dry-run", stdout=StringIO())
        result = tasks.purge_expired_responses_task.enqueue(dry_run=True).return_value
    assert "contact_requests" not in result
    assert ContactRequest.objects.count() == 1


def test_the_purge_service_counts_what_it_deleted(consultation):
    response = answered(consultation)
    with frozen(START):
        make_request(response)
    assert contact_requests_purge(now=START + timedelta(days=30, seconds=1)) == 1
    assert contact_requests_purge(now=START + timedelta(days=60)) == 0
