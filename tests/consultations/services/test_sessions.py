"""The daily clean of stored sessions: expired ones deleted, drafts over a day old taken out."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from consultations import tasks
from consultations.services import drafts
from consultations.services.sessions import stored_sessions_purge

pytestmark = pytest.mark.django_db


def stored_session(data: dict) -> str:
    """A session in the database holding ``data``, expiring as a signed-in one does."""
    store = SessionStore()
    for key, value in data.items():
        store[key] = value
    store.save()
    return store.session_key


def draft(saved: timedelta) -> dict:
    """A draft saved ``saved`` ago."""
    return {
        "answers": {"7": {"values": ["words nobody has screened"]}},
        "saved_at": int((timezone.now() - saved).timestamp()),
    }


def data_of(session_key: str) -> dict:
    return SessionStore().decode(Session.objects.get(pk=session_key).session_data)


def test_drafts_over_a_day_old_are_taken_out_of_sessions_still_in_use():
    recent = draft(timedelta(hours=23, minutes=59))
    member = stored_session(
        {
            "_auth_user_id": "5",
            drafts.draft_key(1): draft(timedelta(days=1, minutes=1)),
            drafts.draft_key(2): recent,
        }
    )

    outcome = stored_sessions_purge()

    assert outcome.cleaned == 1
    assert data_of(member) == {"_auth_user_id": "5", drafts.draft_key(2): recent}


def test_a_session_without_an_expired_draft_is_left_exactly_as_it_was():
    fresh = stored_session({drafts.draft_key(1): draft(timedelta(minutes=5))})
    before = Session.objects.get(pk=fresh)

    outcome = stored_sessions_purge()

    after = Session.objects.get(pk=fresh)
    assert outcome.cleaned == 0
    assert (after.session_data, after.expire_date) == (before.session_data, before.expire_date)


def test_cleaning_a_session_does_not_change_when_it_expires():
    key = stored_session({drafts.draft_key(1): draft(timedelta(days=3))})
    expires = Session.objects.get(pk=key).expire_date

    stored_sessions_purge()

    assert Session.objects.get(pk=key).expire_date == expires
    assert data_of(key) == {}


def test_expired_sessions_are_deleted_as_clearsessions_does():
    gone = stored_session({drafts.draft_key(1): draft(timedelta(hours=1))})
    Session.objects.filter(pk=gone).update(expire_date=timezone.now() - timedelta(seconds=1))
    kept = stored_session({"other": "value"})

    outcome = stored_sessions_purge()

    assert outcome.expired_deleted == 1
    assert list(Session.objects.values_list("pk", flat=True)) == [kept]


def test_the_daily_purge_command_cleans_sessions_too():
    key = stored_session({drafts.draft_key(1): draft(timedelta(days=2))})
    out = StringIO()

    call_command("purge_expired_responses", stdout=out)

    assert data_of(key) == {}
    assert "removed step-by-step drafts left over a day from 1 other(s)" in out.getvalue()


def test_a_dry_run_leaves_sessions_alone():
    key = stored_session({drafts.draft_key(1): draft(timedelta(days=2))})

    call_command("purge_expired_responses", "--dry-run", stdout=StringIO())

    assert drafts.draft_key(1) in data_of(key)


def test_the_daily_purge_task_cleans_sessions_too():
    key = stored_session({drafts.draft_key(1): draft(timedelta(days=2))})

    result = tasks.purge_expired_responses_task.enqueue()

    assert result.return_value["sessions_with_drafts_removed"] == 1
    assert data_of(key) == {}


def test_the_words_of_an_expired_draft_are_nowhere_in_the_session_table():
    stored_session({drafts.draft_key(1): draft(timedelta(days=2)), "kept": "yes"})

    stored_sessions_purge()

    for session in Session.objects.all():
        assert "words nobody has screened" not in str(SessionStore().decode(session.session_data))
