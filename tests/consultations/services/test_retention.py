"""Retention: past a consultation's retention period the words go, and the counts stay."""

import logging
import uuid
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from consultations.models import Answer, QuestionKind, Response, Source
from consultations.safeguarding.models import ConcernStatus, SafeguardingConcern, Severity
from consultations.services import OTHER, RawAnswer, retention, submit_response
from consultations.services.retention import purge_expired_responses
from tests.factories import MemberFactory, make_consultation

pytestmark = pytest.mark.django_db

SECRET_WORDS = "the bus shelter by the old library"


def closed_consultation(home, *, closed_days_ago, retention_days=730, slug):
    now = timezone.now()
    return make_consultation(
        home,
        slug=slug,
        opens_at=now - timedelta(days=closed_days_ago + 30),
        closes_at=now - timedelta(days=closed_days_ago),
        retention_days=retention_days,
    )


def q(consultation, kind, index=0):
    return [x for x in consultation.ordered_questions() if x.kind == kind][index]


def answer_on_paper(consultation, n=1, **kwargs):
    """``n`` paper responses (allowed after closing) using every kind of question."""
    for i in range(n):
        submit_response(
            consultation=consultation,
            token=uuid.uuid4(),
            source=Source.PAPER,
            answers={
                q(consultation, QuestionKind.SHORT_TEXT).pk: RawAnswer.of(f"Alex {i}"),
                q(consultation, QuestionKind.LONG_TEXT).pk: RawAnswer.of(SECRET_WORDS),
                q(consultation, QuestionKind.SINGLE_CHOICE).pk: RawAnswer.of(
                    OTHER, other="My cousin's van"
                ),
                q(consultation, QuestionKind.MULTIPLE_CHOICE).pk: RawAnswer.of(
                    "Park", OTHER, other="The underpass"
                ),
                q(consultation, QuestionKind.RATING).pk: RawAnswer.of("2"),
                q(consultation, QuestionKind.RANKING).pk: RawAnswer.of("Transport", "Bullying"),
                q(consultation, QuestionKind.ABOUT_YOU, 0).pk: RawAnswer.of("13 to 15"),
                q(consultation, QuestionKind.ABOUT_YOU, 1).pk: RawAnswer.of("Sedgemoor"),
            },
            **kwargs,
        )


def snapshot(consultation):
    """Everything about a consultation's answers, to compare before and after."""
    return sorted(
        Answer.objects.filter(response__page=consultation).values_list(
            "response_id", "question_id", "text", "choices", "rating"
        )
    )


@pytest.fixture
def expired(home):
    consultation = closed_consultation(home, closed_days_ago=800, slug="expired")
    answer_on_paper(consultation, n=3)
    return consultation


@pytest.fixture
def still_kept(home):
    consultation = closed_consultation(home, closed_days_ago=100, slug="still-kept")
    answer_on_paper(consultation, n=2)
    return consultation


def test_expired_consultation_loses_its_written_words_but_keeps_choices_ratings_and_counts(
    expired,
):
    answers_per_question = {
        question.pk: question.answers.count() for question in expired.ordered_questions()
    }

    report = purge_expired_responses()

    assert [(c.consultation_id, c.responses, c.answers) for c in report.consultations] == [
        (expired.pk, 3, 3 * 4)  # short text, long text and two "Other" texts each
    ]
    assert not Answer.objects.filter(response__page=expired).exclude(text="").exists()
    assert {
        question.pk: question.answers.count() for question in expired.ordered_questions()
    } == answers_per_question
    single = q(expired, QuestionKind.SINGLE_CHOICE).answers.first()
    multiple = q(expired, QuestionKind.MULTIPLE_CHOICE).answers.first()
    rating = q(expired, QuestionKind.RATING).answers.first()
    ranking = q(expired, QuestionKind.RANKING).answers.first()
    assert single.choices == [OTHER]  # still counted as "Other"
    assert multiple.choices == ["Park", OTHER]
    assert rating.rating == 2
    assert ranking.choices == ["Transport", "Bullying"]
    responses = Response.objects.filter(page=expired)
    assert all(r.text_purged_at == report.now for r in responses)
    # Bands stay so the kept counts can still be broken down (reports suppress small groups).
    assert {(r.age_band, r.area) for r in responses} == {("13 to 15", "Sedgemoor")}


def test_redacted_copies_of_the_words_go_too(expired):
    Answer.objects.filter(response__page=expired).exclude(text="").update(
        redacted_text="[redacted] words"
    )

    purge_expired_responses()

    assert not Answer.objects.filter(response__page=expired).exclude(redacted_text="").exists()


def test_words_under_an_open_safeguarding_concern_wait_until_the_lead_closes_it(expired):
    flagged = Response.objects.filter(page=expired).order_by("pk").first()
    answer = flagged.answers.get(question__kind=QuestionKind.LONG_TEXT)
    concern = SafeguardingConcern.objects.create(
        consultation=expired,
        response=flagged,
        answer=answer,
        severity=Severity.CONCERN,
        status=ConcernStatus.UNDER_REVIEW,
    )

    report = purge_expired_responses()

    assert (report.responses, report.deferred) == (2, 1)
    answer.refresh_from_db()
    flagged.refresh_from_db()
    assert answer.text == SECRET_WORDS
    assert flagged.text_purged_at is None

    concern.status = ConcernStatus.NO_FURTHER_ACTION
    concern.save()
    report = purge_expired_responses()

    assert (report.responses, report.deferred) == (1, 0)
    answer.refresh_from_db()
    assert answer.text == ""


def test_a_member_who_answered_as_themselves_is_unlinked_when_the_words_go(home):
    consultation = closed_consultation(home, closed_days_ago=800, slug="member")
    answer_on_paper(consultation, user=MemberFactory())

    purge_expired_responses()

    assert Response.objects.get(page=consultation).user is None


def test_consultation_still_within_its_retention_period_is_untouched(expired, still_kept):
    before = snapshot(still_kept)

    report = purge_expired_responses()

    assert [c.consultation_id for c in report.consultations] == [expired.pk]
    assert snapshot(still_kept) == before
    assert not Response.objects.filter(page=still_kept, text_purged_at__isnull=False).exists()
    # The same consultation expires once its own retention period has passed.
    later = purge_expired_responses(now=timezone.now() + timedelta(days=731 - 100))
    assert [c.consultation_id for c in later.consultations] == [still_kept.pk]


def test_open_consultation_with_a_zero_day_retention_is_untouched(home):
    consultation = make_consultation(home, slug="open", retention_days=0)
    answer_on_paper(consultation)
    before = snapshot(consultation)

    assert purge_expired_responses().consultations == []
    assert snapshot(consultation) == before


def test_dry_run_reports_what_would_go_and_changes_nothing(expired):
    before = snapshot(expired)

    report = purge_expired_responses(dry_run=True)

    assert report.dry_run
    assert (report.responses, report.answers) == (3, 12)
    assert snapshot(expired) == before
    assert not Response.objects.filter(text_purged_at__isnull=False).exists()


def test_batches_of_one_still_purge_every_response(expired, monkeypatch):
    monkeypatch.setattr(retention, "BATCH_SIZE", 1)
    batches = []
    real_batch = retention._purge_batch
    monkeypatch.setattr(
        retention, "_purge_batch", lambda *args: batches.append(real_batch(*args)) or batches[-1]
    )

    report = purge_expired_responses()

    assert batches == [(1, 4), (1, 4), (1, 4), (0, 0)]
    assert (report.responses, report.answers) == (3, 12)
    assert not Response.objects.filter(page=expired, text_purged_at__isnull=True).exists()
    assert not Answer.objects.filter(response__page=expired).exclude(text="").exists()


def test_running_twice_is_a_no_op(expired):
    first = purge_expired_responses()
    after_first = snapshot(expired)
    stamps = set(Response.objects.values_list("text_purged_at", flat=True))

    second = purge_expired_responses(now=first.now + timedelta(days=1))

    assert second.consultations == []
    assert snapshot(expired) == after_first
    assert set(Response.objects.values_list("text_purged_at", flat=True)) == stamps


def test_a_response_arriving_after_a_purge_is_purged_by_the_next_run(expired):
    purge_expired_responses()
    answer_on_paper(expired)  # a late paper answer, typed in after the purge

    report = purge_expired_responses()

    assert (report.responses, report.answers) == (1, 4)
    assert not Answer.objects.filter(response__page=expired).exclude(text="").exists()


def test_logs_counts_and_never_the_words(expired, caplog):
    with caplog.at_level(logging.INFO, logger="consultations.services.retention"):
        purge_expired_responses()

    assert "3 responses, 12 written answers" in caplog.text
    assert SECRET_WORDS not in caplog.text
    assert "underpass" not in caplog.text


def test_command_prints_each_consultation_and_dry_run_changes_nothing(expired, still_kept):
    before = snapshot(expired)
    out = StringIO()

    call_command("purge_expired_responses", "--dry-run", stdout=out)

    printed = out.getvalue()
    assert f"Would purge “{expired.title}” (id {expired.pk}" in printed
    assert "3 responses, 12 written answers" in printed
    assert still_kept.title not in printed
    assert "Dry run, nothing changed" in printed
    assert snapshot(expired) == before

    out = StringIO()
    call_command("purge_expired_responses", stdout=out)
    assert f"Purged “{expired.title}”" in out.getvalue()
    assert snapshot(expired) != before

    out = StringIO()
    call_command("purge_expired_responses", stdout=out)
    assert "Nothing to purge" in out.getvalue()
