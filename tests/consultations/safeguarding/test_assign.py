"""Assigning a concern to a named Safeguarding lead, who is emailed a link (never the answer)."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from consultations.safeguarding import services
from consultations.safeguarding.models import ConcernNote, SafeguardingConcern
from tests.factories import UserFactory
from youthforum.accounts import roles

from .support import detail_url, lead, make_concern

TEXT = "my stepdad hits me when hes drunk and im scared to go home"


@pytest.fixture
def the_lead(db, client):
    user = lead(email="dsl@example.org", first_name="Dana", last_name="Lee")
    client.force_login(user)
    return user


@pytest.fixture
def colleague(db):
    return lead(email="priya@example.org", first_name="Priya", last_name="Shah")


@pytest.fixture
def concern(consultation):
    return make_concern(consultation, text=TEXT)


def assign(client, concern, assignee_id, note="Priya knows the family."):
    return client.post(
        reverse("safeguarding:assign", args=[concern.pk]),
        {"assign-assigned_to": assignee_id, "assign-note": note},
    )


def test_assigning_records_it_and_emails_the_assignee_a_link_without_the_answer(
    client, the_lead, colleague, concern, settings, django_capture_on_commit_callbacks
):
    settings.WAGTAILADMIN_BASE_URL = "https://youthvoice.example.org"

    with django_capture_on_commit_callbacks(execute=True):
        response = assign(client, concern, colleague.pk, note="Priya knows the family.")

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.assigned_to == colleague
    note = concern.notes.get()
    assert (note.action, note.author, note.text) == ("assign", the_lead, "Priya knows the family.")
    assert note.changes == {"assigned_to": [None, colleague.pk]}
    entry = ModelLogEntry.objects.for_instance(concern).get(action=services.LOG_ASSIGN)
    assert entry.user == the_lead
    assert entry.data == {"assigned_to": [None, colleague.pk], "note_id": note.pk}

    [email] = mail.outbox
    assert email.to == ["priya@example.org"]
    assert "assigned to you" in email.subject
    assert f"https://youthvoice.example.org{detail_url(concern)}" in email.body
    assert "Dana Lee" in email.body
    assert "stepdad" not in email.body + email.subject
    assert "knows the family" not in email.body  # nor the note, which may quote the answer


def test_the_concern_and_its_notes_show_who_it_is_assigned_to(client, the_lead, colleague, concern):
    assign(client, concern, colleague.pk)

    html = client.get(detail_url(concern)).text

    assert "assigned it to Priya Shah" in html
    assert "Assigned the concern to a Safeguarding lead, with a note" in html


def test_reassigning_records_the_lead_before_and_after(
    client, the_lead, colleague, concern, django_capture_on_commit_callbacks
):
    SafeguardingConcern.objects.filter(pk=concern.pk).update(assigned_to=the_lead)

    with django_capture_on_commit_callbacks(execute=True):
        assign(client, concern, colleague.pk, note="On leave from tomorrow.")

    assert concern.notes.get().changes == {"assigned_to": [the_lead.pk, colleague.pk]}
    assert [m.to for m in mail.outbox] == [["priya@example.org"]]
    assert "(it was with Dana Lee)" in client.get(detail_url(concern)).text


def test_assigning_to_yourself_sends_no_email(
    client, the_lead, concern, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = assign(client, concern, the_lead.pk, note="Taking this one.")

    assert response.status_code == 302
    assert SafeguardingConcern.objects.get(pk=concern.pk).assigned_to == the_lead
    assert mail.outbox == []


@pytest.mark.parametrize(
    "make_person",
    [
        pytest.param(lambda: UserFactory(roles=[roles.FACILITATORS]), id="facilitator"),
        pytest.param(lambda: UserFactory(roles=[roles.MEMBERS]), id="member"),
        pytest.param(lambda: lead(is_active=False), id="inactive-lead"),
    ],
)
def test_assigning_to_someone_who_is_not_a_lead_is_refused(
    client, the_lead, concern, make_person, django_capture_on_commit_callbacks
):
    person = make_person()

    with django_capture_on_commit_callbacks(execute=True):
        response = assign(client, concern, person.pk)

    assert response.status_code == 200
    assert "That person is not a Safeguarding lead" in response.text
    assert SafeguardingConcern.objects.get(pk=concern.pk).assigned_to is None
    assert not ConcernNote.objects.exists()
    assert mail.outbox == []


def test_the_service_refuses_someone_who_is_not_a_lead(the_lead, concern):
    facilitator = UserFactory(roles=[roles.FACILITATORS])

    with pytest.raises(services.ConcernActionRefused, match="not a Safeguarding lead"):
        services.concern_assign(
            concern_id=concern.pk, user=the_lead, assignee_id=facilitator.pk, note="Please."
        )
    assert SafeguardingConcern.objects.get(pk=concern.pk).assigned_to is None


def test_someone_given_the_queue_permission_directly_can_be_assigned(client, the_lead, concern):
    reviewer = UserFactory(email="reviewer@example.org")
    reviewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="review_safeguarding"),
    )

    assign(client, concern, reviewer.pk)

    assert SafeguardingConcern.objects.get(pk=concern.pk).assigned_to == reviewer


def test_assigning_without_a_note_is_refused(client, the_lead, colleague, concern):
    response = assign(client, concern, colleague.pk, note="")

    assert "Write a note saying what you did and why." in response.text
    assert SafeguardingConcern.objects.get(pk=concern.pk).assigned_to is None
    assert not ConcernNote.objects.exists()


def test_assigning_without_choosing_anyone_is_refused(client, the_lead, concern):
    response = assign(client, concern, "", note="For someone.")

    assert "Choose the Safeguarding lead to assign it to." in response.text
    assert SafeguardingConcern.objects.get(pk=concern.pk).assigned_to is None


def test_the_form_lists_only_active_leads(client, the_lead, colleague, concern):
    UserFactory(roles=[roles.FACILITATORS], first_name="Fran", last_name="Facilitator")
    lead(first_name="Gone", last_name="Away", is_active=False)

    html = client.get(detail_url(concern)).text

    assert "Priya Shah (priya@example.org)" in html
    assert "Fran Facilitator" not in html
    assert "Gone Away" not in html


def test_an_email_that_cannot_be_sent_does_not_undo_the_assignment(
    client, the_lead, colleague, concern, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.consultations.safeguarding.test_assign.BrokenBackend"

    with django_capture_on_commit_callbacks(execute=True):
        response = assign(client, concern, colleague.pk)

    assert response.status_code == 302
    assert SafeguardingConcern.objects.get(pk=concern.pk).assigned_to == colleague


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")
