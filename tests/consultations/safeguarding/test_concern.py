"""One concern: what a lead sees, and what they do (status, release, withhold), all recorded."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from consultations.models import Answer
from consultations.safeguarding import services
from consultations.safeguarding.models import ConcernNote, ConcernStatus, SafeguardingConcern
from consultations.services import raw_answers
from tests.factories import MemberFactory, UserFactory

from .support import detail_url, lead, make_concern

TEXT = "my step dad hits me and i wanna die. text me on 07700 900123"
REDACTED = "my step dad hits me and i wanna die. text me on [phone]"
SPANS = [
    {"start": 3, "end": 19, "category": "abuse_neglect"},
    {"start": 26, "end": 35, "category": "self_harm"},
]


@pytest.fixture
def concern(consultation):
    return make_concern(
        consultation,
        text=TEXT,
        redacted_text=REDACTED,
        severity="urgent",
        categories=["abuse_neglect", "self_harm"],
        spans=SPANS,
    )


@pytest.fixture
def the_lead(db, client):
    user = lead(email="dsl@example.org")
    client.force_login(user)
    return user


def post(client, concern, action, **fields):
    return client.post(
        reverse(f"safeguarding:{action}", args=[concern.pk]),
        {f"{action}-{name}": value for name, value in fields.items()},
    )


def log_actions(concern) -> list[str]:
    return list(
        ModelLogEntry.objects.for_instance(concern)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


# What a lead sees -----------------------------------------------------------------------------


def test_the_lead_sees_the_raw_words_with_matches_marked_and_labelled(client, the_lead, concern):
    html = client.get(detail_url(concern)).text

    assert (
        'my <mark class="safeguarding-match">step dad hits me</mark> '
        "<strong>[Abuse or neglect at home]</strong> and i "
        '<mark class="safeguarding-match">wanna die</mark> <strong>[Suicide and self-harm]</strong>'
        ". text me on 07700 900123"
    ) in html


def test_the_lead_sees_the_redacted_words_and_the_facts(client, the_lead, concern):
    html = client.get(detail_url(concern)).text

    assert REDACTED in html
    assert "Feeling safe" in html
    assert "What would make you feel safer?" in html
    assert concern.response.reference in html
    assert "Urgent" in html
    assert "Abuse or neglect at home, Suicide and self-harm" in html
    assert "Anonymous: no account is linked." in html
    assert "Held for safeguarding review" in html


def test_the_screens_reason_quotes_the_matched_words_to_a_lead(client, the_lead, concern):
    html = client.get(detail_url(concern)).text

    assert "Flagged as Abuse or neglect at home because it says “step dad hits me”." in html
    assert "Flagged as Suicide and self-harm because it says “wanna die”." in html


def test_without_the_words_as_written_the_reason_names_only_the_kind_of_wording(client, concern):
    reviewer = UserFactory()
    reviewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="review_safeguarding"),
    )
    client.force_login(reviewer)

    html = client.get(detail_url(concern)).text

    assert "Flagged as Suicide and self-harm because it uses wording the screen" in html
    assert "because it says" not in html


def test_a_signed_in_respondent_is_shown_by_email_only(client, the_lead, consultation):
    member = MemberFactory(email="young.person@example.org", first_name="Jordan")
    concern = make_concern(consultation, respondent=member)

    html = client.get(detail_url(concern)).text

    assert "Answered signed in as young.person@example.org" in html
    assert "Jordan" not in html


def test_a_failed_screening_says_so(client, the_lead, consultation):
    concern = make_concern(consultation, categories=[], screening_failed=True)

    assert "Screening failed" in client.get(detail_url(concern)).text


def test_the_words_are_escaped(client, the_lead, consultation):
    concern = make_concern(
        consultation,
        text="<script>alert(1)</script> i want to kms",
        spans=[{"start": 36, "end": 39, "category": "self_harm"}],
    )

    html = client.get(detail_url(concern)).text

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<mark class="safeguarding-match">kms</mark>' in html


def test_opening_a_concern_is_recorded_as_reading_the_answer_as_written(client, the_lead, concern):
    client.get(detail_url(concern))

    entry = ModelLogEntry.objects.for_instance(concern).get()
    assert entry.action == raw_answers.LOG_VIEW_RAW
    assert entry.user == the_lead
    assert entry.data == {"answer_id": concern.answer_id, "where": "concern"}


def test_without_the_permission_to_read_as_written_the_queue_shows_redacted_words(client, concern):
    reviewer = UserFactory()
    reviewer.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="review_safeguarding"),
    )
    client.force_login(reviewer)

    html = client.get(detail_url(concern)).text

    assert "07700 900123" not in html
    assert REDACTED in html
    assert "You do not have the permission to read answers as written" in html
    entry = ModelLogEntry.objects.for_instance(concern).get()
    assert (entry.action, entry.data) == (services.LOG_VIEW, {"as_written": False})
    client.force_login(lead())
    history = client.get(detail_url(concern)).text
    assert "Viewed the concern; the answer&#x27;s words as written were not shown" in history
    assert "Viewed the concern and read the answer as written" in history


def test_a_concern_shown_again_after_a_refused_action_is_recorded_too(client, the_lead, concern):
    post(client, concern, "status", status="referred", note="")

    assert log_actions(concern) == [raw_answers.LOG_VIEW_RAW]


def test_a_concern_whose_words_were_purged_is_not_recorded_as_read_as_written(
    client, the_lead, concern
):
    Answer.objects.filter(pk=concern.answer_id).update(text="", redacted_text="")

    client.get(detail_url(concern))

    assert log_actions(concern) == [services.LOG_VIEW]


def test_a_missing_concern_is_404(client, the_lead):
    assert client.get(reverse("safeguarding:detail", args=[999999])).status_code == 404


# Status changes -------------------------------------------------------------------------------


def test_changing_status_with_a_note_records_the_note_and_an_audit_log_entry(
    client, the_lead, concern
):
    response = post(
        client, concern, "status", status="under-review", note="Read it; calling the school."
    )

    assert response.status_code == 302
    assert response["Location"] == detail_url(concern)
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.UNDER_REVIEW
    note = concern.notes.get()
    assert (note.author, note.action, note.from_status, note.to_status, note.text) == (
        the_lead,
        "status",
        "new",
        "under-review",
        "Read it; calling the school.",
    )
    entry = ModelLogEntry.objects.for_instance(concern).get(action=services.LOG_STATUS)
    assert entry.user == the_lead
    assert entry.data == {"from_status": "new", "to_status": "under-review", "note_id": note.pk}
    assert entry.message == "Changed the status from “New” to “Under review”, with a note"


def test_the_notes_timeline_shows_who_when_from_to_and_the_note(client, the_lead, concern):
    post(client, concern, "status", status="under-review", note="Calling the school.")
    post(
        client,
        concern,
        "status",
        status="referred",
        note="Referred to children's services.",
        referred_to="Children's social care",
        referred_on="2025-03-04",
    )

    html = client.get(detail_url(concern)).text

    assert "dsl@example.org" in html
    assert "changed the status from “New” to “Under review”" in html
    assert "changed the status from “Under review” to “Referred”" in html
    assert "Referred to children&#x27;s services." in html


@pytest.mark.parametrize("note", ["", "   \n  "])
def test_changing_status_without_a_note_is_refused_and_nothing_changes(
    client, the_lead, concern, note
):
    response = post(client, concern, "status", status="no-further-action", note=note)

    assert response.status_code == 200
    assert "Write a note saying what you did and why." in response.text
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert not ConcernNote.objects.exists()
    assert services.LOG_STATUS not in log_actions(concern)


def test_an_unknown_status_is_refused(client, the_lead, concern):
    post(client, concern, "status", status="deleted", note="Bye")

    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert not ConcernNote.objects.exists()


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("new", "referred"),
        ("under-review", "action-taken"),
        ("no-further-action", "under-review"),  # reopened
        ("referred", "new"),
    ],
)
def test_any_move_a_lead_needs_is_allowed_and_recorded(client, the_lead, consultation, start, end):
    concern = make_concern(consultation, status=start)
    referral = {"referred_to": "Police", "referred_on": "2025-03-04"} if end == "referred" else {}

    post(client, concern, "status", status=end, note="Because.", **referral)

    concern.refresh_from_db()
    assert concern.status == end
    assert concern.notes.get().from_status == start


def test_keeping_the_status_adds_a_note_only(client, the_lead, concern):
    post(client, concern, "status", status="new", note="Tried to call; no answer.")

    concern.refresh_from_db()
    assert concern.status == ConcernStatus.NEW
    assert concern.notes.get().action == "note"
    assert services.LOG_NOTE in log_actions(concern)


def test_a_change_made_meanwhile_by_another_lead_is_not_overwritten(client, the_lead, concern):
    services.concern_status_change(
        concern_id=concern.pk,
        user=lead(),
        to_status="referred",
        note="Referred by phone.",
        referred_to="Children's social care",
        referred_on=date(2025, 3, 4),
    )

    response = post(
        client,
        concern,
        "status",
        status="no-further-action",
        note="Nothing to do.",
        expected_status="new",
    )

    assert "Someone else changed this concern to “Referred”" in response.text
    concern.refresh_from_db()
    assert concern.status == ConcernStatus.REFERRED
    assert concern.notes.count() == 1
    # The form shown again now expects the current status, so trying again works.
    assert 'name="status-expected_status" value="referred"' in response.text


# Release and withhold -------------------------------------------------------------------------


def test_release_un_holds_the_answer_with_a_note_and_an_audit_log_entry(client, the_lead, concern):
    response = post(client, concern, "release", note="Talked to the young person; safe now.")

    assert response.status_code == 302
    answer = Answer.objects.get(pk=concern.answer_id)
    assert not answer.held
    note = concern.notes.get()
    assert (note.action, note.author, note.text) == (
        "release",
        the_lead,
        "Talked to the young person; safe now.",
    )
    entry = ModelLogEntry.objects.for_instance(concern).get(action=services.LOG_RELEASE)
    assert entry.user == the_lead
    assert entry.data == {"answer_id": answer.pk, "note_id": note.pk}
    assert "Released by dsl@example.org" in client.get(detail_url(concern)).text


def test_withhold_keeps_the_answer_held_with_a_note_and_an_audit_log_entry(
    client, the_lead, concern
):
    post(client, concern, "withhold", note="Identifies the family.")

    assert Answer.objects.get(pk=concern.answer_id).held
    note = concern.notes.get()
    assert (note.action, note.text) == ("withhold", "Identifies the family.")
    assert services.LOG_WITHHOLD in log_actions(concern)
    assert "Withheld by dsl@example.org" in client.get(detail_url(concern)).text


def test_withholding_after_a_release_holds_the_answer_again(client, the_lead, concern):
    post(client, concern, "release", note="OK to use.")
    post(client, concern, "withhold", note="On reflection, it names the school.")

    assert Answer.objects.get(pk=concern.answer_id).held
    assert "Withheld by" in client.get(detail_url(concern)).text


@pytest.mark.parametrize("action", ["release", "withhold"])
def test_release_and_withhold_without_a_note_are_refused(client, the_lead, concern, action):
    response = post(client, concern, action, note="")

    assert response.status_code == 200
    assert "Write a note saying what you did and why." in response.text
    assert Answer.objects.get(pk=concern.answer_id).held
    assert not ConcernNote.objects.exists()


def test_an_answer_without_a_redacted_version_cannot_be_released(client, the_lead, consultation):
    concern = make_concern(consultation, text="call me on 07700 900123", redacted_text="")

    response = post(client, concern, "release", note="Fine")

    assert "cannot be released" in response.text
    assert Answer.objects.get(pk=concern.answer_id).held
    assert not ConcernNote.objects.exists()


def test_a_concern_whose_answer_was_deleted_still_opens_and_takes_notes(client, the_lead, concern):
    Answer.objects.filter(pk=concern.answer_id).delete()

    assert "The answer has been deleted" in client.get(detail_url(concern)).text
    post(client, concern, "status", status="no-further-action", note="Import undone.")
    assert SafeguardingConcern.objects.get(pk=concern.pk).status == "no-further-action"
    response = post(client, concern, "release", note="?")
    assert "nothing to decide" in response.text


def test_actions_only_accept_posts(client, the_lead, concern):
    assert client.get(reverse("safeguarding:release", args=[concern.pk])).status_code == 405


# Wagtail's own reports ------------------------------------------------------------------------


def test_who_did_what_shows_in_site_history_and_the_concern_history(client, the_lead, concern):
    post(client, concern, "status", status="under-review", note="Looking into it.")
    post(client, concern, "withhold", note="Names a teacher.")

    history = client.get(reverse("wagtailadmin_reports:site_history")).text
    assert "Change safeguarding concern status" in history
    assert "Withhold answer held for safeguarding" in history
    assert detail_url(concern) in history  # Site history links to the concern

    html = client.get(detail_url(concern)).text
    assert "Changed the status from “New” to “Under review”, with a note" in html
    assert "Withheld the answer for good, with a note" in html
    assert "Viewed the concern and read the answer as written" in html


def test_facilitators_do_not_see_concerns_in_site_history(client, concern):
    from tests.factories import UserFactory
    from youthforum.accounts import roles

    services.concern_status_change(
        concern_id=concern.pk,
        user=lead(),
        to_status="referred",
        note="Referred.",
        referred_to="Police",
        referred_on=date(2025, 3, 4),
    )
    client.force_login(UserFactory(roles=[roles.FACILITATORS]))

    history = client.get(reverse("wagtailadmin_reports:site_history")).text

    assert "safeguarding concern" not in history.lower()


def test_a_concern_found_by_the_learned_check_says_so(client, the_lead, consultation):
    text = "theres shouting every night and last week mum had a cut on her head"
    mum, her = text.index("mum"), text.index(" her ") + 1
    spans = [
        {"start": mum, "end": mum + 3, "category": "domestic_abuse", "rule": "learned check: mum"},
        {"start": her, "end": her + 3, "category": "domestic_abuse", "rule": "learned check: her"},
    ]
    found = make_concern(consultation, text=text, categories=["domestic_abuse"], spans=spans)
    html = client.get(detail_url(found)).content.decode()
    assert "data-learned-check" in html
    assert "No rule matched" in html
    assert '<mark class="safeguarding-match">mum</mark>' in html


def test_a_concern_found_by_a_rule_does_not_mention_the_learned_check(client, the_lead, concern):
    html = client.get(detail_url(concern)).content.decode()
    assert "data-learned-check" not in html
    assert "No rule matched" not in html
