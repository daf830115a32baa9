"""A concern raised by “Anything else?” on the “What was taking part like?” step.

Those words are kept apart from the answers, so the concern has no answer and no response; the
lead must still be able to read what was written (as written, with the screen's matches marked,
if they may read answers as written) and the reading is audited as for an answer.
"""

import uuid

import pytest
from django.contrib.auth.models import Permission
from wagtail.models import ModelLogEntry

from consultations.models import TakingPartFeedback
from consultations.safeguarding import services
from consultations.safeguarding.models import SafeguardingConcern
from consultations.services import raw_answers
from consultations.services.taking_part import taking_part_feedback_create
from tests.factories import UserFactory

from .support import detail_url, lead

WORDS = "the survey was fine but my stepdad hits me and i am scared to go home, ring 07700 900123"


@pytest.fixture
def concern(consultation, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        feedback, _created = taking_part_feedback_create(
            consultation=consultation,
            form_token=uuid.uuid4(),
            understood="yes",
            anything_else=WORDS,
        )
    assert feedback.concern is not None, "the screen should flag these words"
    return feedback.concern


def log_actions(concern) -> list[str]:
    return [e.action for e in ModelLogEntry.objects.for_instance(concern).order_by("pk")]


def test_a_lead_reads_the_words_as_written_and_the_reading_is_audited(client, concern):
    client.force_login(lead())

    page = client.get(detail_url(concern))

    assert page.status_code == 200
    html = page.content.decode()
    assert "data-taking-part" in html
    assert "What was taking part like?" in html
    assert "stepdad hits me" in html  # as written
    assert "07700 900123" in html  # as written, for the lead only
    assert "<mark" in html  # the screen's matches are marked
    assert "[phone]" in html  # and the redacted version under it
    assert "The answer has been deleted" not in html
    assert "(deleted)" not in html  # the missing response is explained, not called deleted
    # Nothing to release: these words never go into outputs.
    assert 'name="note"' not in html.split('id="concern-answer"')[1].split("</section>")[0]
    assert log_actions(concern) == [raw_answers.LOG_VIEW_RAW]


def test_staff_without_read_as_written_see_only_the_redacted_words(client, concern):
    reader = UserFactory()
    reader.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="review_safeguarding"),
    )
    client.force_login(reader)

    html = client.get(detail_url(concern)).content.decode()

    assert "data-not-as-written" in html
    assert "07700 900123" not in html
    assert "[phone]" in html
    assert log_actions(concern) == [services.LOG_VIEW]


def test_once_the_words_are_deleted_the_page_says_so_and_no_reading_is_recorded(client, concern):
    TakingPartFeedback.objects.update(anything_else="", anything_else_redacted="")
    client.force_login(lead())

    html = client.get(detail_url(concern)).content.decode()

    assert "The words are no longer stored" in html
    assert "stepdad" not in html
    assert log_actions(concern) == [services.LOG_VIEW]


def test_a_concern_about_an_answer_still_shows_the_answer(client, consultation):
    from .support import make_concern

    answer_concern = make_concern(consultation, text="my step dad hits me when he is drunk")
    client.force_login(lead())

    html = client.get(detail_url(answer_concern)).content.decode()

    assert "data-taking-part" not in html
    assert "my step dad hits me" in html
    assert SafeguardingConcern.objects.count() == 1
