"""A disclosure reaches the Safeguarding leads within the request, and is held back."""

import uuid
from unittest import mock

import pytest
from django.core import mail
from django.test import TestCase

from consultations.models import Answer, QuestionKind
from consultations.safeguarding.models import SafeguardingConcern
from consultations.services import RawAnswer, submit_response
from tests.factories import MemberFactory, UserFactory, make_consultation
from youthforum.accounts.roles import FACILITATORS, SAFEGUARDING_LEADS

pytestmark = pytest.mark.django_db


def committed():
    """Run after-commit callbacks (the leads' email) as a real request would: tests run inside a
    transaction that never commits."""
    return TestCase.captureOnCommitCallbacks(execute=True)


DISCLOSURE = "My stepdad hits me when he's drunk and I'm scared to go home. My name is Jack Smith."


@pytest.fixture
def consultation(home):
    return make_consultation(home, title="Feeling safe")


@pytest.fixture
def leads():
    return [
        UserFactory(email="lead1@example.org", roles=[SAFEGUARDING_LEADS]),
        UserFactory(email="lead2@example.org", roles=[SAFEGUARDING_LEADS]),
        UserFactory(email="facilitator@example.org", roles=[FACILITATORS]),
    ]


def long_text(consultation):
    return consultation.questions.get(kind=QuestionKind.LONG_TEXT)


def send(consultation, text, **kwargs):
    with committed():
        return submit_response(
            consultation=consultation,
            answers={long_text(consultation).pk: RawAnswer.of(text)},
            token=uuid.uuid4(),
            **kwargs,
        ).response


def test_a_disclosure_creates_a_concern_holds_the_answer_and_emails_every_lead(consultation, leads):
    response = send(consultation, DISCLOSURE)
    answer = Answer.objects.get(response=response)
    concern = SafeguardingConcern.objects.get()
    assert answer.held is True
    assert answer.text == DISCLOSURE
    assert "Jack Smith" not in answer.redacted_text and "[name]" in answer.redacted_text
    assert concern.answer == answer and concern.response == response
    assert concern.consultation_id == consultation.pk
    assert "abuse_neglect" in concern.categories or "domestic_abuse" in concern.categories
    assert concern.spans
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert set(email.to) == {"lead1@example.org", "lead2@example.org"}
    assert "Feeling safe" in email.subject
    assert f"/admin/safeguarding/{concern.pk}/" in email.body
    for words in ("stepdad", "hits", "Jack", "drunk"):
        assert words not in email.body and words not in email.subject


def test_urgent_disclosures_are_marked_urgent_in_the_subject(consultation, leads):
    send(consultation, "i want to kill myself tonight, i cant do this anymore")
    concern = SafeguardingConcern.objects.get()
    assert concern.severity == "urgent"
    assert mail.outbox[0].subject.startswith("URGENT")


def test_ordinary_answers_raise_nothing(consultation, leads):
    response = send(consultation, "More buses after 6pm and somewhere to go that isn't the park.")
    answer = Answer.objects.get(response=response)
    assert answer.held is False
    assert answer.redacted_text == answer.text
    assert not SafeguardingConcern.objects.exists()
    assert mail.outbox == []


def test_the_concern_links_the_account_of_a_member_who_answered_as_themselves(consultation, leads):
    member = MemberFactory()
    send(consultation, DISCLOSURE, user=member)
    assert SafeguardingConcern.objects.get().respondent == member


def test_a_screening_failure_saves_the_answer_and_holds_it_for_review(consultation, leads):
    with mock.patch(
        "consultations.safeguarding.screening.screen", side_effect=RuntimeError("broken lexicon")
    ):
        response = send(consultation, "Something the screen chokes on")
    answer = Answer.objects.get(response=response)
    concern = SafeguardingConcern.objects.get()
    assert answer.held is True
    assert concern.screening_failed is True
    assert len(mail.outbox) == 1


def test_a_redaction_failure_never_lets_raw_words_out(consultation, leads):
    with mock.patch(
        "consultations.safeguarding.screening.redact", side_effect=RuntimeError("broken names list")
    ):
        response = send(consultation, "I go to Hillside Academy with Sam")
    answer = Answer.objects.get(response=response)
    assert answer.redacted_text == ""
    assert answer.held is True


def test_a_mail_failure_never_loses_the_answer(consultation, leads):
    with mock.patch(
        "consultations.safeguarding.screening.send_mass_mail", side_effect=OSError("smtp down")
    ):
        response = send(consultation, DISCLOSURE)
    assert Answer.objects.get(response=response).held is True
    assert SafeguardingConcern.objects.count() == 1


def test_facilitator_redaction_lists_are_applied(consultation, leads):
    from consultations.models import RedactionSettings

    lists = RedactionSettings.load()
    lists.schools = "Hillside Academy"
    lists.places = "Bramble Estate"
    lists.save()
    response = send(consultation, "At Hillside Academy the kids from Bramble Estate are nice")
    assert Answer.objects.get(response=response).redacted_text == (
        "At [school] the kids from [place] are nice"
    )


def test_redaction_lists_changed_between_answers_apply_to_the_next(consultation, leads):
    """The lists are remembered between answers, but never past a change to them."""
    from consultations.models import RedactionSettings

    send(consultation, "At Hillside Academy it is fine")  # the lists as they were, remembered
    lists = RedactionSettings.load()
    lists.schools = "Hillside Academy"
    lists.save()

    response = send(consultation, "At Hillside Academy it is fine")

    assert Answer.objects.get(response=response).redacted_text == "At [school] it is fine"


def test_the_thank_you_page_puts_help_first_without_saying_why(consultation, leads, settings):
    import re

    from django.test import Client

    settings.YOUTHVOICE_ANSWER_RATE_LIMIT = None

    def answer(text):
        client = Client()  # two young people: one browser sends its answers once
        html = client.get(consultation.url).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', html).group(1)
        with committed():
            response = client.post(
                consultation.url,
                {"token": token, f"q-{long_text(consultation).pk}": text},
                follow=True,
            )
        return response.content.decode()

    ordinary = answer("Better lighting in the park")
    worrying = answer(DISCLOSURE)
    assert "You can talk to someone today" not in ordinary
    assert "You can talk to someone today" in worrying
    assert worrying.index("You can talk to someone today") < worrying.index("Your reference is")
    for word in ("flag", "concern", "safeguarding lead", "worried about what you wrote"):
        assert word not in worrying.lower().split("<footer")[0]


def test_a_disclosure_only_the_learned_check_finds_reaches_the_leads_as_a_concern(
    consultation, leads
):
    text = "theres shouting every night and last week mum had a cut on her head"
    response = send(consultation, text)
    concern = SafeguardingConcern.objects.get()
    assert concern.response == response
    assert concern.severity == "concern"
    assert concern.categories == ["domestic_abuse"]
    assert concern.spans and all(s["rule"].startswith("learned check: ") for s in concern.spans)
    assert Answer.objects.get(response=response).held is True
    assert len(mail.outbox) == 1 and not mail.outbox[0].subject.startswith("URGENT")
