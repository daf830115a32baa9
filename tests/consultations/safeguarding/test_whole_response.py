"""From a concern, the whole response: every answer, the about-you answers, source and time."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from consultations.models import Answer, QuestionKind, Response, Source
from consultations.safeguarding import services
from consultations.services import raw_answers
from tests.factories import UserFactory
from youthforum.accounts import roles

from .support import detail_url, lead, make_concern

DISCLOSURE = "my stepdad hits me when hes drunk and im scared to go home. ring 07700 900123"
REDACTED = "my stepdad hits me when hes drunk and im scared to go home. ring [phone]"


def whole_response_url(concern) -> str:
    return reverse("safeguarding:whole_response", args=[concern.pk])


def question(consultation, kind, about=""):
    questions = consultation.questions.filter(kind=kind)
    return questions.get(about=about) if about else questions.first()


def answer(response, question, **fields):
    return Answer.objects.create(response=response, question=question, **fields)


def text_of(response) -> str:
    """The page as a person reads it: tags gone, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def concern(consultation):
    """A concern of "only a concern", on a response that also says much more."""
    concern = make_concern(
        consultation,
        text=DISCLOSURE,
        redacted_text=REDACTED,
        categories=["abuse_neglect"],
        spans=[{"start": 3, "end": 18, "category": "abuse_neglect", "severity": "concern"}],
    )
    response = concern.response
    Response.objects.filter(pk=response.pk).update(age_band="11-13", area="Northtown")
    answer(
        response,
        question(consultation, QuestionKind.SHORT_TEXT),
        text="Jordan Smith",
        redacted_text="[name]",
    )
    answer(response, question(consultation, QuestionKind.RATING), rating=1)
    answer(response, question(consultation, QuestionKind.SINGLE_CHOICE), choices=["Walk"])
    answer(
        response,
        question(consultation, QuestionKind.ABOUT_YOU, about="age_band"),
        choices=["11-13"],
    )
    return concern


@pytest.fixture
def signed_in_lead(client, db):
    user = lead(email="dsl@example.org")
    client.force_login(user)
    return user


def test_the_whole_response_shows_every_answer_age_band_mood_source_and_time(
    client, signed_in_lead, concern
):
    page = client.get(whole_response_url(concern))

    assert page.status_code == 200
    text = text_of(page)
    assert "Age band 11-13" in text
    assert "Area or district Northtown" in text  # copied on the response, not asked here
    assert "How safe do you feel at school?" in text
    assert "1 out of 5: Very unhappy" in text
    assert "How do you get to school? Walk" in text
    assert "What matters most? Not answered" in text
    assert "Source Online" in text
    assert concern.response.reference in text
    assert "Feeling safe" in text
    assert re.search(r"Given \w+day \d+ \w+ \d{4}, \d\d:\d\d", text)


def test_other_answers_read_redacted_and_the_concerns_answer_as_written(
    client, signed_in_lead, concern
):
    text = text_of(client.get(whole_response_url(concern)))

    assert "Jordan" not in text
    assert "What is your name for this? [name]" in text
    assert "07700 900123" in text  # the flagged answer, which a lead may read as written
    assert "This is the answer the concern is about." in text


def test_each_reading_is_in_the_audit_log(client, signed_in_lead, concern):
    client.get(whole_response_url(concern))

    entries = ModelLogEntry.objects.for_instance(concern).order_by("pk")
    assert [(e.action, e.user) for e in entries] == [
        (raw_answers.LOG_VIEW_RAW, signed_in_lead),
        (services.LOG_VIEW_RESPONSE, signed_in_lead),
    ]
    assert entries[0].data == {"answer_id": concern.answer_id, "where": "response"}
    assert entries[1].data == {
        "response_id": concern.response_id,
        "as_written": [concern.answer_id],
    }
    history = client.get(detail_url(concern)).text
    assert "Opened the whole response" in history


def test_held_answers_of_the_same_response_are_marked_and_linked(
    client, signed_in_lead, concern, consultation
):
    other_question = question(consultation, QuestionKind.MULTIPLE_CHOICE)
    held = answer(
        concern.response,
        other_question,
        choices=["Online"],
        text="he sends me pics",
        redacted_text="he sends me pics",
        held=True,
    )
    other = services.SafeguardingConcern.objects.create(
        consultation=consultation,
        response=concern.response,
        answer=held,
        severity="concern",
        categories=["sexual_exploitation"],
    )

    page = client.get(whole_response_url(concern))

    html = page.content.decode()
    text = text_of(page)
    assert "2 answers of this response are held for safeguarding review" in text
    assert len(re.findall(r"<li data-held\b", html)) == 2
    assert "Held for safeguarding review" in text
    assert detail_url(other) in html
    # Both concerns' readings are recorded, each on its own concern.
    assert ModelLogEntry.objects.for_instance(other).get().action == raw_answers.LOG_VIEW_RAW


def test_without_the_permission_to_read_as_written_every_answer_reads_redacted(client, concern):
    reviewer = UserFactory()
    reviewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="review_safeguarding"),
    )
    client.force_login(reviewer)

    text = text_of(client.get(whole_response_url(concern)))

    assert "07700 900123" not in text
    assert REDACTED in text
    assert "Very unhappy" in text
    entry = ModelLogEntry.objects.for_instance(concern).get()
    assert (entry.action, entry.data["as_written"]) == (services.LOG_VIEW_RESPONSE, [])


def test_a_paper_response_says_so(client, signed_in_lead, concern):
    Response.objects.filter(pk=concern.response_id).update(source=Source.PAPER)

    assert "Source Paper" in text_of(client.get(whole_response_url(concern)))


def test_the_concern_links_to_its_whole_response(client, signed_in_lead, concern):
    assert whole_response_url(concern) in client.get(detail_url(concern)).text


def test_a_deleted_response_is_said_plainly(client, signed_in_lead, concern):
    Response.objects.filter(pk=concern.response_id).delete()

    page = client.get(whole_response_url(concern))

    assert page.status_code == 200
    assert "The response this concern came from has been deleted" in page.text
    assert "data-whole-response-link" not in client.get(detail_url(concern)).text


def test_a_missing_concern_is_404(client, signed_in_lead):
    assert client.get(reverse("safeguarding:whole_response", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", [roles.FACILITATORS, roles.EXECUTIVE_PARTNERS])
def test_staff_who_are_not_leads_get_403_and_nothing_is_logged(client, concern, role):
    client.force_login(UserFactory(roles=[role]))

    page = client.get(whole_response_url(concern))

    assert page.status_code == 403
    assert "07700" not in page.text
    assert "11-13" not in page.text
    assert not ModelLogEntry.objects.for_instance(concern).exists()


def test_members_and_visitors_are_sent_to_sign_in(client, concern):
    assert client.get(whole_response_url(concern))["Location"].startswith(reverse("account_login"))
    client.force_login(UserFactory(roles=[roles.MEMBERS]))
    page = client.get(whole_response_url(concern))
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("account_login"))
