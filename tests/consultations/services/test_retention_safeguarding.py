"""Retention and safeguarding records (ADR 7): the record of a concern stays, the words go."""

import uuid
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import ModelLogEntry

from consultations.analysis.quotes import REMOVED
from consultations.models import QuestionKind, Response
from consultations.safeguarding import services as queue
from consultations.safeguarding.models import ConcernNote, ConcernStatus, SafeguardingConcern
from consultations.services import RawAnswer, raw_answers, submit_response
from consultations.services.retention import purge_expired_responses
from tests.factories import MemberFactory, UserFactory, make_consultation
from youthforum.accounts import roles

pytestmark = pytest.mark.django_db

DISCLOSURE = (
    "My stepdad hits me when he's drunk and I'm scared to go home. My name is Jack Smith, "
    "text me on 07700 900123. It happens in the zorblat shed."
)
# Pieces of the answer that must not be anywhere in the database after the purge.
PIECES = ("stepdad hits me", "scared to go home", "Jack", "07700", "900123", "zorblat")
LEARNED_SPAN = {
    "start": 118,
    "end": 129,
    "category": "abuse_neglect",
    "rule": "learned check: zorblat shed",
    "severity": "concern",
}


def expired_consultation(home, slug="expired"):
    now = timezone.now()
    return make_consultation(
        home,
        slug=slug,
        opens_at=now - timedelta(days=830),
        closes_at=now - timedelta(days=800),
        retention_days=730,
    )


def disclose(consultation, *, user=None) -> SafeguardingConcern:
    """A member's disclosure after closing (on paper), its concern as the screen made it."""
    question = consultation.questions.get(kind=QuestionKind.LONG_TEXT)
    response = submit_response(
        consultation=consultation,
        answers={question.pk: RawAnswer.of(DISCLOSURE)},
        token=uuid.uuid4(),
        source="paper",
        user=user,
    ).response
    concern = SafeguardingConcern.objects.get(response=response)
    concern.spans = [*concern.spans, LEARNED_SPAN]  # as the learned check names its spans
    concern.save(update_fields=["spans"])
    return concern


def handle(concern, lead):
    """A lead reads the answer, notes what they did (quoting it) and closes the concern."""
    raw_answers.raw_answer_read_record(concern=concern, user=lead, where="concern")
    queue.concern_status_change(
        concern_id=concern.pk,
        user=lead,
        to_status=ConcernStatus.UNDER_REVIEW,
        note="She wrote: “my stepdad hits me when he's drunk”. Calling the school.",
    )
    queue.concern_answer_withhold(
        concern_id=concern.pk,
        user=lead,
        note="Names Jack Smith and gives 07700 900123. Withheld.",
    )
    queue.concern_status_change(
        concern_id=concern.pk,
        user=lead,
        to_status=ConcernStatus.REFERRED,
        note="Referred to children's social care (ref CSC-4471) after speaking to the school.",
        referred_to="Children's social care",
        referred_on=timezone.localdate(),
    )
    # Referred is still open (the lead waits to hear back); the purge waits for it to close.
    queue.concern_status_change(
        concern_id=concern.pk,
        user=lead,
        to_status=ConcernStatus.ACTION_TAKEN,
        note="Social care visited the family.",
        outcome="Social care visited: “stepdad hits me”. A plan is in place.",
    )


@pytest.fixture
def lead():
    return UserFactory(email="dsl@example.org", roles=[roles.SAFEGUARDING_LEADS])


@pytest.fixture
def member():
    return MemberFactory(email="young.person@example.org")


@pytest.fixture
def handled(home, lead, member):
    concern = disclose(expired_consultation(home), user=member)
    handle(concern, lead)
    return concern


def text_columns(model):
    for field in model._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
            yield field.attname


def where_found(piece: str) -> list[str]:
    """Every table and column in which ``piece`` appears (case aside)."""
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for column in text_columns(model):
            rows = model._default_manager.annotate(
                _as_text=Cast(column, output_field=models.TextField())
            ).filter(_as_text__icontains=piece)
            if rows.exists():
                found.append(f"{model._meta.label}.{column}")
    return found


def test_before_the_purge_the_words_are_in_the_answer_spans_and_notes(handled):
    # The scan finds the words wherever they are, the answer's counted terms included.
    assert set(where_found("zorblat")) == {
        "consultations.Answer.text",
        "consultations.Answer.redacted_text",
        "consultations.AnswerTerm.term",
        "safeguarding.SafeguardingConcern.spans",
    }
    assert "safeguarding.ConcernNote.text" in where_found("stepdad hits me")
    assert "safeguarding.ConcernNote.text" in where_found("07700")


def test_after_the_purge_no_piece_of_the_answer_is_anywhere_in_the_database(handled):
    purge_expired_responses()

    for piece in PIECES:
        assert where_found(piece) == [], piece


def test_the_concern_keeps_what_was_decided_by_whom_and_when(handled, lead):
    history = list(
        ConcernNote.objects.filter(concern=handled).values_list(
            "author", "action", "from_status", "to_status"
        )
    )
    log = list(ModelLogEntry.objects.for_instance(handled).values_list("action", "user", "data"))

    purge_expired_responses()

    handled.refresh_from_db()
    assert handled.status == ConcernStatus.ACTION_TAKEN
    assert handled.referred_to == "Children's social care"
    assert handled.outcome == f"Social care visited: “{REMOVED}”. A plan is in place."
    assert handled.categories == ["abuse_neglect"]
    assert handled.severity == "concern"
    assert handled.response.reference
    assert (
        list(
            ConcernNote.objects.filter(concern=handled).values_list(
                "author", "action", "from_status", "to_status"
            )
        )
        == history
    )
    assert (
        list(ModelLogEntry.objects.for_instance(handled).values_list("action", "user", "data"))
        == log
    )
    notes = list(ConcernNote.objects.filter(concern=handled).values_list("text", flat=True))
    assert notes == [
        f"She wrote: “{REMOVED}”. Calling the school.",
        f"Names {REMOVED} and gives {REMOVED}. Withheld.",
        "Referred to children's social care (ref CSC-4471) after speaking to the school.",
        "Social care visited the family.",
    ]


def test_the_screens_matches_and_the_members_account_go(handled, member):
    assert handled.spans and handled.respondent == member

    purge_expired_responses()

    handled.refresh_from_db()
    assert handled.spans == []
    assert handled.respondent is None


def test_a_concern_still_open_keeps_everything_until_it_is_closed(home, lead, member):
    concern = disclose(expired_consultation(home), user=member)
    queue.concern_status_change(
        concern_id=concern.pk,
        user=lead,
        to_status=ConcernStatus.UNDER_REVIEW,
        note="She wrote: “scared to go home”.",
    )

    purge_expired_responses()

    concern.refresh_from_db()
    assert concern.spans and concern.respondent == member
    assert "scared to go home" in concern.notes.get().text
    assert concern.answer.text == DISCLOSURE


def test_a_concern_whose_response_was_deleted_loses_its_matches_on_the_purge(home, lead, member):
    concern = disclose(expired_consultation(home), user=member)
    handle(concern, lead)
    Response.objects.filter(pk=concern.response_id).delete()  # as an import undo does

    purge_expired_responses()

    concern.refresh_from_db()
    assert concern.response is None
    assert concern.spans == []
    assert concern.respondent is None
    assert where_found("zorblat") == []


def test_a_concern_within_its_retention_period_is_untouched(home, lead):
    now = timezone.now()
    kept = make_consultation(
        home, slug="kept", opens_at=now - timedelta(days=60), closes_at=now - timedelta(days=30)
    )
    concern = disclose(kept)
    handle(concern, lead)

    purge_expired_responses()

    concern.refresh_from_db()
    assert LEARNED_SPAN in concern.spans
    assert "stepdad hits me" in concern.notes.first().text


def test_a_dry_run_changes_no_safeguarding_record(handled):
    spans = handled.spans
    notes = list(ConcernNote.objects.values_list("text", flat=True))

    purge_expired_responses(dry_run=True)

    handled.refresh_from_db()
    assert handled.spans == spans
    assert list(ConcernNote.objects.values_list("text", flat=True)) == notes
