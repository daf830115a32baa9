"""A lead corrects a concern (severity, categories) and takes it through referral to an outcome."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from consultations.safeguarding import deadlines, services
from consultations.safeguarding.models import ConcernNote, ConcernStatus, SafeguardingConcern

from .support import QUEUE, detail_url, lead, london, make_concern

NOTE_REQUIRED = "Write a note saying what you did and why."


@pytest.fixture
def the_lead(db, client):
    user = lead(email="dsl@example.org")
    client.force_login(user)
    return user


@pytest.fixture
def concern(consultation):
    """ "my stepdad hits me when he's drunk and I'm scared to go home", raised only as a concern."""
    return make_concern(
        consultation,
        text="my stepdad hits me when hes drunk and im scared to go home",
        categories=["abuse_neglect"],
        created_at=london(2025, 3, 4, 10, 0),
    )


def post(client, concern, action, **fields):
    data = {}
    for name, value in fields.items():
        data[f"{action}-{name}"] = value
    return client.post(reverse(f"safeguarding:{action}", args=[concern.pk]), data)


def logged(concern, action):
    return ModelLogEntry.objects.for_instance(concern).filter(action=action)


def unchanged(concern, **expected):
    """The concern as it was made: no note, nobody acknowledged it, and ``expected`` fields."""
    fresh = SafeguardingConcern.objects.get(pk=concern.pk)
    for field, value in expected.items():
        assert getattr(fresh, field) == value, field
    assert not ConcernNote.objects.filter(concern=concern).exists()
    assert fresh.acknowledged_at is None
    return fresh


# Severity -------------------------------------------------------------------------------------


def test_raising_the_severity_with_a_note_records_it_and_moves_the_deadline(
    client, the_lead, concern
):
    due_before = concern.due_at

    response = post(
        client, concern, "severity", severity="urgent", note="Scared to go home tonight."
    )

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.severity == "urgent"
    assert concern.due_at == deadlines.due_by(concern.created_at, "urgent")
    assert concern.due_at != due_before
    note = concern.notes.get()
    assert (note.action, note.author, note.text) == (
        "severity",
        the_lead,
        "Scared to go home tonight.",
    )
    assert note.changes == {"severity": ["concern", "urgent"]}
    entry = logged(concern, services.LOG_SEVERITY).get()
    assert entry.user == the_lead
    assert entry.data["severity"] == ["concern", "urgent"]
    assert entry.data["note_id"] == note.pk
    assert entry.data["due_at"] == [due_before.isoformat(), concern.due_at.isoformat()]
    html = client.get(detail_url(concern)).text
    assert "changed the severity from “Concern” to “Urgent”" in html
    assert "Changed the severity from “Concern” to “Urgent”, with a note" in html


def test_changing_the_severity_with_a_note_only_calls_due_by_with_the_new_severity(
    client, the_lead, concern, monkeypatch
):
    calls = []
    marker = london(2025, 3, 4, 10, 30)

    def fake_due_by(created_at, severity, **kwargs):
        calls.append((created_at, severity))
        return marker

    monkeypatch.setattr(deadlines, "due_by", fake_due_by)

    post(client, concern, "severity", severity="urgent", note="Urgent.")

    assert calls == [(concern.created_at, "urgent")]
    concern.refresh_from_db()
    assert concern.due_at == marker


@pytest.mark.parametrize("note", ["", "  \n "])
def test_a_severity_change_without_a_note_is_refused_and_nothing_is_saved(
    client, the_lead, concern, note
):
    response = post(client, concern, "severity", severity="urgent", note=note)

    assert response.status_code == 200
    assert NOTE_REQUIRED in response.text
    unchanged(concern, severity="concern", due_at=concern.due_at)
    assert not logged(concern, services.LOG_SEVERITY).exists()


def test_an_unknown_severity_is_refused(client, the_lead, concern):
    response = post(client, concern, "severity", severity="critical", note="Because.")

    assert "Choose Urgent or Concern." in response.text
    unchanged(concern, severity="concern")


def test_choosing_the_same_severity_says_so_and_saves_nothing(client, the_lead, concern):
    response = post(client, concern, "severity", severity="concern", note="Because.")

    assert "It is already “Concern”." in response.text
    unchanged(concern, severity="concern")


# Categories -----------------------------------------------------------------------------------


def test_changing_the_categories_with_a_note_records_it_and_keeps_what_the_screen_said(
    client, the_lead, concern
):
    response = client.post(
        reverse("safeguarding:category", args=[concern.pk]),
        {
            "category-categories": ["self_harm", "abuse_neglect"],
            "category-note": "Also says they want to disappear.",
        },
    )

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.categories == ["abuse_neglect", "self_harm"]  # in the screen's order
    note = concern.notes.get()
    assert note.action == "category"
    assert note.changes == {"categories": [["abuse_neglect"], ["abuse_neglect", "self_harm"]]}
    entry = logged(concern, services.LOG_CATEGORY).get()
    assert entry.data == {
        "categories": [["abuse_neglect"], ["abuse_neglect", "self_harm"]],
        "note_id": note.pk,
    }
    html = client.get(detail_url(concern)).text
    assert "Abuse or neglect at home, Suicide and self-harm" in html
    assert "corrected by a lead; the screen said: Abuse or neglect at home" in html
    assert (
        "changed the categories from “Abuse or neglect at home” to "
        "“Abuse or neglect at home, Suicide and self-harm”"
    ) in html


def test_an_invalid_category_is_refused_and_nothing_is_saved(client, the_lead, concern):
    response = client.post(
        reverse("safeguarding:category", args=[concern.pk]),
        {"category-categories": ["self_harm", "aliens"], "category-note": "Because."},
    )

    assert response.status_code == 200
    assert "“aliens” is not one of the categories listed. Choose from the list." in response.text
    unchanged(concern, categories=["abuse_neglect"])
    assert not logged(concern, services.LOG_CATEGORY).exists()


def test_no_category_is_refused(client, the_lead, concern):
    response = client.post(
        reverse("safeguarding:category", args=[concern.pk]), {"category-note": "None fit."}
    )

    assert "Choose at least one category." in response.text
    unchanged(concern, categories=["abuse_neglect"])


def test_a_category_change_without_a_note_is_refused(client, the_lead, concern):
    response = client.post(
        reverse("safeguarding:category", args=[concern.pk]),
        {"category-categories": ["self_harm"], "category-note": ""},
    )

    assert NOTE_REQUIRED in response.text
    unchanged(concern, categories=["abuse_neglect"])


def test_the_service_refuses_a_category_the_screen_does_not_have(the_lead, concern):
    with pytest.raises(services.ConcernActionRefused, match="aliens"):
        services.concern_categories_change(
            concern_id=concern.pk, user=the_lead, categories=["aliens"], note="Because."
        )
    unchanged(concern, categories=["abuse_neglect"])


# Referral and outcome -------------------------------------------------------------------------


def test_referred_without_who_it_was_referred_to_is_refused(client, the_lead, concern):
    response = post(
        client, concern, "status", status="referred", referred_on="2025-03-04", note="Rang MASH."
    )

    assert response.status_code == 200
    assert "Say who it was referred to" in response.text
    unchanged(concern, status="new", referred_to="", referred_on=None)


def test_referred_without_a_date_is_refused(client, the_lead, concern):
    response = post(
        client,
        concern,
        "status",
        status="referred",
        referred_to="Children's social care",
        note="Rang MASH.",
    )

    assert "Give the date it was referred" in response.text
    unchanged(concern, status="new", referred_to="")


def test_a_referral_date_in_the_future_is_refused(client, the_lead, concern):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = post(
        client,
        concern,
        "status",
        status="referred",
        referred_to="Police",
        referred_on=tomorrow.isoformat(),
        note="Rang 101.",
    )

    assert "cannot be in the future" in response.text
    unchanged(concern, status="new")


def test_the_service_refuses_a_referral_without_who_and_when(the_lead, concern):
    with pytest.raises(services.ConcernActionRefused, match="who it was referred to"):
        services.concern_status_change(
            concern_id=concern.pk, user=the_lead, to_status="referred", note="Rang MASH."
        )
    unchanged(concern, status="new")


def test_a_referred_concern_is_recorded_and_stays_in_the_open_queue(client, the_lead, concern):
    response = post(
        client,
        concern,
        "status",
        status="referred",
        referred_to="Children's social care",
        referred_on="2025-03-04",
        note="Rang the front door; they will visit.",
    )

    assert response.status_code == 302
    concern.refresh_from_db()
    assert (concern.status, concern.referred_to, concern.referred_on) == (
        "referred",
        "Children's social care",
        date(2025, 3, 4),
    )
    assert concern.notes.get().changes == {
        "status": ["new", "referred"],
        "referred_to": ["", "Children's social care"],
        "referred_on": [None, "2025-03-04"],
    }
    html = client.get(detail_url(concern)).text
    assert "Children&#x27;s social care" in html
    assert "on 4 March 2025" in html
    assert f"Concern #{concern.pk}<" in client.get(QUEUE).text.replace("\n", "<")


def test_closing_a_referred_concern_needs_an_outcome(client, the_lead, concern):
    SafeguardingConcern.objects.filter(pk=concern.pk).update(
        status=ConcernStatus.REFERRED, referred_to="Police", referred_on=date(2025, 3, 4)
    )

    response = post(client, concern, "status", status="action-taken", note="Done.")

    assert response.status_code == 200
    assert "Say what happened after the referral (the outcome)" in response.text
    unchanged(concern, status="referred", outcome="")


def test_closing_with_an_outcome_takes_it_out_of_the_open_queue(client, the_lead, concern):
    SafeguardingConcern.objects.filter(pk=concern.pk).update(
        status=ConcernStatus.MONITORING, referred_to="Police", referred_on=date(2025, 3, 4)
    )

    response = post(
        client,
        concern,
        "status",
        status="action-taken",
        outcome="Police visited; a safety plan is in place.",
        note="Closing.",
    )

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.status == "action-taken"
    assert concern.outcome == "Police visited; a safety plan is in place."
    assert "Police visited; a safety plan is in place." in client.get(detail_url(concern)).text
    assert f"Concern #{concern.pk}<" not in client.get(QUEUE).text.replace("\n", "<")


def test_a_concern_never_referred_closes_without_an_outcome(client, the_lead, concern):
    post(client, concern, "status", status="no-further-action", note="Read it: a song lyric.")

    concern.refresh_from_db()
    assert concern.status == "no-further-action"


def test_a_false_alarm_is_recorded_on_the_closing_note(client, the_lead, concern):
    post(
        client,
        concern,
        "status",
        status="no-further-action",
        false_alarm="on",
        note="A song lyric.",
    )

    note = SafeguardingConcern.objects.get(pk=concern.pk).notes.get()
    assert note.changes["false_alarm"] == [False, True]
    assert "marked it a false alarm" in client.get(detail_url(concern)).text


def test_a_false_alarm_must_close_the_concern(client, the_lead, concern):
    response = post(client, concern, "status", status="under-review", false_alarm="on", note="Hmm.")

    assert "Only a concern closed with No further action can be a false alarm." in response.text
    unchanged(concern, status="new")


# Acknowledgement ------------------------------------------------------------------------------


ACTIONS = {
    "status": {"status": "under-review", "note": "Looking."},
    "note": {"status": "new", "note": "Tried to call."},
    "severity": {"severity": "urgent", "note": "Urgent."},
    "category": {"categories": "self_harm", "note": "Also self-harm."},
    "release": {"note": "Fine to use."},
    "withhold": {"note": "Names the school."},
}


@pytest.mark.parametrize("action", [*ACTIONS, "assign"])
def test_a_leads_first_action_acknowledges_the_concern(client, the_lead, concern, action):
    if action == "assign":
        response = post(client, concern, "assign", assigned_to=the_lead.pk, note="Mine.")
    else:
        url = "status" if action == "note" else action
        response = post(client, concern, url, **ACTIONS[action])

    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.acknowledged_by == the_lead
    assert concern.acknowledged_at is not None


def test_only_the_first_action_acknowledges(client, the_lead, concern):
    post(client, concern, "status", status="under-review", note="Looking.")
    first = SafeguardingConcern.objects.get(pk=concern.pk).acknowledged_at
    client.force_login(lead())

    post(client, concern, "status", status="monitoring", note="Keeping an eye.")

    concern.refresh_from_db()
    assert (concern.acknowledged_at, concern.acknowledged_by) == (first, the_lead)


def test_opening_a_concern_does_not_acknowledge_it(client, the_lead, concern):
    client.get(detail_url(concern))

    assert SafeguardingConcern.objects.get(pk=concern.pk).acknowledged_at is None
