"""Concerns made straight in the database, and the people who look at them."""

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.urls import reverse

from consultations.models import Answer, QuestionKind, Response
from consultations.safeguarding.deadlines import due_by
from consultations.safeguarding.models import ConcernStatus, SafeguardingConcern, Severity
from tests.factories import UserFactory
from youthforum.accounts import roles

LONDON = ZoneInfo("Europe/London")
QUEUE = "/admin/safeguarding/"


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


def lead(**attrs):
    return UserFactory(roles=[roles.SAFEGUARDING_LEADS], **attrs)


def detail_url(concern) -> str:
    return reverse("safeguarding:detail", args=[concern.pk])


def make_concern(
    consultation,
    *,
    text="my step dad hits me when he is drunk",
    redacted_text=None,
    severity=Severity.CONCERN,
    status=ConcernStatus.NEW,
    categories=("abuse_neglect",),
    spans=None,
    created_at=None,
    due_at=None,
    assigned_to=None,
    respondent=None,
    screening_failed=False,
) -> SafeguardingConcern:
    """A held answer and its concern, as submit_response would leave them."""
    question = consultation.questions.filter(kind=QuestionKind.LONG_TEXT).first()
    response = Response.objects.create(page=consultation, token=uuid.uuid4(), user=respondent)
    answer = Answer.objects.create(
        response=response,
        question=question,
        text=text,
        redacted_text=text if redacted_text is None else redacted_text,
        held=True,
    )
    concern = SafeguardingConcern.objects.create(
        consultation=consultation,
        response=response,
        answer=answer,
        respondent=respondent,
        severity=severity,
        status=status,
        categories=list(categories),
        spans=spans if spans is not None else [],
        screening_failed=screening_failed,
        assigned_to=assigned_to,
    )
    # created_at is auto_now_add: set it afterwards, as time passing would; due_at as the screen
    # sets it, from when it was raised, unless given.
    created_at = created_at or concern.created_at
    SafeguardingConcern.objects.filter(pk=concern.pk).update(
        created_at=created_at, due_at=due_at or due_by(created_at, severity)
    )
    concern.refresh_from_db()
    return concern
