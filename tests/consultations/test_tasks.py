"""The scheduled purge runs the same retention service as the command."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus

from consultations import tasks
from consultations.models import Answer, QuestionKind, Response, Source
from consultations.services import RawAnswer, submit_response
from tests.factories import make_consultation

pytestmark = pytest.mark.django_db


@pytest.fixture
def expired(home):
    now = timezone.now()
    consultation = make_consultation(
        home,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=31),
        retention_days=30,
    )
    text = next(q for q in consultation.ordered_questions() if q.kind == QuestionKind.LONG_TEXT)
    for _ in range(2):
        submit_response(
            consultation=consultation,
            answers={text.pk: RawAnswer.of("More buses after school")},
            token=uuid.uuid4(),
            source=Source.WORKSHOP,
        )
    return consultation


def test_enqueued_purge_task_purges_through_the_retention_service(expired, monkeypatch):
    calls = []
    service = tasks.purge_expired_responses
    monkeypatch.setattr(
        tasks, "purge_expired_responses", lambda **kw: calls.append(kw) or service(**kw)
    )

    result = tasks.purge_expired_responses_task.enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert calls == [{"dry_run": False}]
    assert result.return_value["responses"] == 2
    assert result.return_value["answers"] == 2
    assert result.return_value["consultations"][0]["id"] == expired.pk
    assert not Answer.objects.exclude(text="").exists()
    assert not Response.objects.filter(text_purged_at__isnull=True).exists()


def test_dry_run_task_changes_nothing(expired):
    result = tasks.purge_expired_responses_task.enqueue(dry_run=True)

    assert result.return_value["dry_run"] is True
    assert result.return_value["answers"] == 2
    assert Answer.objects.exclude(text="").count() == 2


def test_the_daily_purge_also_deletes_report_downloads_older_than_a_day(expired):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command
    from django.utils import timezone

    from consultations.reports.models import ReportExport
    from tests.factories import UserFactory

    owner = UserFactory()
    old = ReportExport.objects.create(consultation=expired, requested_by=owner, status="done")
    ReportExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))
    fresh = ReportExport.objects.create(consultation=expired, requested_by=owner, status="done")

    out = StringIO()
    call_command("purge_expired_responses", "--dry-run", stdout=out)
    assert ReportExport.objects.count() == 2  # a dry run deletes nothing

    call_command("purge_expired_responses", stdout=out)
    assert list(ReportExport.objects.all()) == [fresh]
    assert "Deleted 1 report download(s) older than a day." in out.getvalue()

    ReportExport.objects.filter(pk=fresh.pk).update(created_at=timezone.now() - timedelta(days=3))
    assert tasks.purge_expired_responses_task.enqueue().return_value["report_downloads"] == 1
    assert not ReportExport.objects.exists()
