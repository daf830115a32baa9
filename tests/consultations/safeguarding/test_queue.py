"""The queue at /admin/safeguarding/: order, filters, counts and overdue concerns."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from consultations.safeguarding import selectors
from consultations.safeguarding.models import ConcernStatus, Severity
from tests.factories import make_consultation

from .support import QUEUE, lead, london, make_concern

# A Tuesday afternoon in winter.
NOW = london(2025, 3, 4, 15, 0)


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def signed_in_lead(db, client):
    client.force_login(lead())
    return client


def shown(response) -> list[int]:
    """The concern numbers in the listing, top to bottom."""
    return [int(pk) for pk in re.findall(r">\s*Concern #(\d+)\s*<", response.text)]


def row_of(response, concern) -> str:
    """The HTML of the listing row for ``concern``."""
    rows = re.findall(r"<tr[^>]*>.*?</tr>", response.text, flags=re.S)
    [row] = [r for r in rows if f"Concern #{concern.pk}<" in r or f"Concern #{concern.pk}\n" in r]
    return row


def test_open_concerns_come_urgent_first_then_oldest_first(
    signed_in_lead, consultation, frozen_now
):
    new_concern = make_concern(consultation, created_at=london(2025, 3, 4, 14, 0))
    old_concern = make_concern(consultation, created_at=london(2025, 3, 4, 9, 30))
    new_urgent = make_concern(
        consultation, severity=Severity.URGENT, created_at=london(2025, 3, 4, 14, 30)
    )
    old_urgent_under_review = make_concern(
        consultation,
        severity=Severity.URGENT,
        status=ConcernStatus.UNDER_REVIEW,
        created_at=london(2025, 3, 4, 13, 0),
    )
    # Referred and Monitoring are open: someone still has to hear back and close them.
    referred_urgent = make_concern(
        consultation, status=ConcernStatus.REFERRED, severity=Severity.URGENT
    )
    monitoring = make_concern(
        consultation, status=ConcernStatus.MONITORING, created_at=london(2025, 3, 4, 11, 0)
    )
    make_concern(consultation, status=ConcernStatus.NO_FURTHER_ACTION, severity=Severity.URGENT)

    response = signed_in_lead.get(QUEUE)

    assert response.status_code == 200
    assert shown(response) == [
        old_urgent_under_review.pk,
        new_urgent.pk,
        referred_urgent.pk,
        old_concern.pk,
        monitoring.pk,
        new_concern.pk,
    ]


def test_with_every_status_open_concerns_still_come_before_closed_ones(
    signed_in_lead, consultation, frozen_now
):
    closed_old_urgent = make_concern(
        consultation,
        severity=Severity.URGENT,
        status=ConcernStatus.NO_FURTHER_ACTION,
        created_at=london(2025, 3, 1, 10, 0),
    )
    open_new = make_concern(consultation, created_at=london(2025, 3, 4, 14, 0))

    response = signed_in_lead.get(QUEUE, {"status": "all"})

    assert shown(response) == [open_new.pk, closed_old_urgent.pk]


def test_columns_show_severity_categories_consultation_age_status_and_due_by(
    signed_in_lead, consultation, frozen_now
):
    concern = make_concern(
        consultation,
        severity=Severity.URGENT,
        categories=["self_harm", "abuse_neglect", "a_new_category"],
        created_at=london(2025, 3, 4, 14, 30),
        due_at=london(2025, 3, 4, 16, 0),
    )

    row = row_of(signed_in_lead.get(QUEUE), concern)

    assert "Urgent" in row
    # Labels from the screen; a category it does not label yet is shown by its name, tidied.
    assert "Suicide and self-harm, Abuse or neglect at home, A new category" in row
    assert "Feeling safe" in row
    assert "New" in row
    assert "Tue 4 Mar, 16:00" in row
    assert "Overdue" not in row
    assert "Nobody" in row  # not assigned yet


def test_age_reads_like_3_hours_ago(signed_in_lead, consultation):
    concern = make_concern(consultation, created_at=timezone.now() - timedelta(hours=3, minutes=5))

    assert "3\xa0hours ago" in row_of(signed_in_lead.get(QUEUE), concern)


def test_category_labels_come_from_the_screens_rules(
    signed_in_lead, consultation, monkeypatch, screen_labels
):
    from consultations.safeguarding import display

    monkeypatch.setattr(display, "_screen_labels", screen_labels)  # the real lookup
    labels = screen_labels()
    if not labels:
        pytest.skip("the safeguarding screen does not expose CATEGORY_LABELS")
    name, label = next(iter(labels.items()))
    concern = make_concern(consultation, categories=[name])

    assert escape(label) in row_of(signed_in_lead.get(QUEUE), concern)


def test_overdue_concerns_carry_a_visible_overdue_tag(signed_in_lead, consultation, frozen_now):
    # It is 15:00: one was due at 14:00, the other is due at 10:00 tomorrow (deadlines.py's rules
    # set due_at; test_deadlines.py tests them).
    overdue = make_concern(
        consultation,
        severity=Severity.URGENT,
        created_at=london(2025, 3, 4, 10, 0),
        due_at=london(2025, 3, 4, 14, 0),
    )
    in_time = make_concern(
        consultation, created_at=london(2025, 3, 4, 10, 0), due_at=london(2025, 3, 5, 10, 0)
    )

    response = signed_in_lead.get(QUEUE)

    overdue_row = row_of(response, overdue)
    assert "Overdue" in overdue_row
    assert "safeguarding-overdue" in overdue_row
    assert "Tue 4 Mar, 14:00" in overdue_row
    in_time_row = row_of(response, in_time)
    assert "Overdue" not in in_time_row
    assert "Wed 5 Mar, 10:00" in in_time_row


def test_a_concern_becomes_overdue_when_its_deadline_passes(client, consultation, monkeypatch):
    # Raised on Friday at 16:00, due on Monday at 12:00.
    concern = make_concern(
        consultation, created_at=london(2025, 3, 7, 16, 0), due_at=london(2025, 3, 10, 12, 0)
    )
    client.force_login(lead())

    monkeypatch.setattr(timezone, "now", lambda: london(2025, 3, 9, 20, 0))  # Sunday evening
    assert "Overdue" not in row_of(client.get(QUEUE), concern)

    monkeypatch.setattr(timezone, "now", lambda: london(2025, 3, 10, 12, 1))  # Monday, 12:01
    assert "Overdue" in row_of(client.get(QUEUE), concern)


def test_closed_concerns_are_never_overdue(signed_in_lead, consultation, frozen_now):
    closed = make_concern(
        consultation,
        severity=Severity.URGENT,
        status=ConcernStatus.ACTION_TAKEN,
        created_at=london(2025, 2, 1, 10, 0),
    )

    row = row_of(signed_in_lead.get(QUEUE, {"status": "all"}), closed)

    assert "Overdue" not in row
    assert "No deadline" in row


def test_counts_at_the_top(signed_in_lead, consultation, frozen_now):
    make_concern(
        consultation,
        severity=Severity.URGENT,
        created_at=london(2025, 3, 4, 10, 0),
        due_at=london(2025, 3, 4, 11, 0),
    )
    make_concern(consultation, created_at=london(2025, 3, 4, 14, 0))
    make_concern(consultation, status=ConcernStatus.UNDER_REVIEW)
    make_concern(
        consultation,
        status=ConcernStatus.REFERRED,
        severity=Severity.URGENT,
        due_at=london(2025, 3, 4, 16, 0),
    )
    make_concern(consultation, status=ConcernStatus.MONITORING, due_at=london(2025, 3, 5, 16, 0))
    make_concern(consultation, status=ConcernStatus.ACTION_TAKEN)

    response = signed_in_lead.get(QUEUE)

    counts = response.context["counts"]
    # The referred urgent one is still open, so urgent and open; it is not overdue yet.
    assert (counts.new, counts.under_review, counts.urgent_open, counts.overdue) == (2, 1, 2, 1)
    # Referred and Monitoring are counted open; the closed one is not.
    assert (counts.referred, counts.monitoring, counts.open) == (1, 1, 5)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))
    assert "2 new" in text
    assert "1 under review" in text
    assert "2 urgent and open" in text
    assert "1 overdue" in text
    assert "1 referred, waiting to hear back" in text
    assert "1 being monitored" in text


OPEN = {"new", "under-review", "referred", "monitoring"}
CLOSED = {"action-taken", "no-further-action"}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, OPEN),
        ({"status": "open"}, OPEN),
        ({"status": "new"}, {"new"}),
        ({"status": "referred"}, {"referred"}),
        ({"status": "monitoring"}, {"monitoring"}),
        ({"status": "closed"}, CLOSED),
        ({"status": "all"}, OPEN | CLOSED),
    ],
)
def test_status_filter_shows_open_concerns_unless_asked(
    signed_in_lead, consultation, frozen_now, params, expected
):
    by_status = {status: make_concern(consultation, status=status) for status in OPEN | CLOSED}

    response = signed_in_lead.get(QUEUE, params)

    assert set(shown(response)) == {by_status[s].pk for s in expected}


def test_severity_filter(signed_in_lead, consultation, frozen_now):
    urgent = make_concern(consultation, severity=Severity.URGENT)
    make_concern(consultation, severity=Severity.CONCERN)

    assert shown(signed_in_lead.get(QUEUE, {"severity": "urgent"})) == [urgent.pk]


def test_consultation_filter(signed_in_lead, home, consultation, frozen_now):
    other = make_consultation(home, title="Getting around")
    here = make_concern(consultation)
    make_concern(other)

    response = signed_in_lead.get(QUEUE, {"consultation": consultation.pk})

    assert shown(response) == [here.pk]


def test_overdue_filter_shows_open_concerns_past_their_due_at(
    signed_in_lead, consultation, frozen_now
):
    past = london(2025, 3, 4, 14, 0)
    overdue = make_concern(consultation, severity=Severity.URGENT, due_at=past)
    overdue_referred = make_concern(consultation, status=ConcernStatus.REFERRED, due_at=past)
    make_concern(consultation, status=ConcernStatus.ACTION_TAKEN, due_at=past)  # closed
    make_concern(consultation, due_at=london(2025, 3, 4, 15, 30))  # not yet

    response = signed_in_lead.get(QUEUE, {"overdue": "true", "status": "all"})

    assert shown(response) == [overdue.pk, overdue_referred.pk]


def test_assignee_filter_and_column(client, consultation, frozen_now):
    me = lead(first_name="Sam", last_name="Okafor")
    colleague = lead(first_name="Priya", last_name="Shah")
    mine = make_concern(consultation, assigned_to=me)
    theirs = make_concern(consultation, assigned_to=colleague)
    nobodys = make_concern(consultation)
    client.force_login(me)

    assert shown(client.get(QUEUE, {"assignee": "me"})) == [mine.pk]
    assert shown(client.get(QUEUE, {"assignee": "nobody"})) == [nobodys.pk]
    assert shown(client.get(QUEUE, {"assignee": str(colleague.pk)})) == [theirs.pk]
    everyone = client.get(QUEUE)
    assert set(shown(everyone)) == {mine.pk, theirs.pk, nobodys.pk}
    assert "Priya Shah" in row_of(everyone, theirs)
    assert "Sam Okafor" in row_of(everyone, mine)
    assert "Nobody" in row_of(everyone, nobodys)


def test_assignee_filter_offers_me_nobody_and_each_lead(client, consultation, frozen_now):
    client.force_login(lead())
    lead(first_name="Priya", last_name="Shah")

    html = client.get(QUEUE).text

    assert "Assigned to me" in html
    assert ">Nobody<" in html
    assert "Priya Shah" in html


def test_filters_combine(signed_in_lead, consultation, frozen_now):
    colleague = lead()
    wanted = make_concern(
        consultation,
        severity=Severity.URGENT,
        status=ConcernStatus.REFERRED,
        assigned_to=colleague,
        due_at=london(2025, 3, 4, 14, 0),
    )
    make_concern(consultation, severity=Severity.URGENT, assigned_to=colleague)  # not overdue
    make_concern(consultation, status=ConcernStatus.REFERRED, assigned_to=colleague)  # concern

    response = signed_in_lead.get(
        QUEUE,
        {
            "assignee": colleague.pk,
            "severity": "urgent",
            "status": "referred",
            "overdue": "true",
        },
    )

    assert shown(response) == [wanted.pk]


def test_filtered_results_refresh_without_the_page_around_them(
    signed_in_lead, consultation, frozen_now
):
    urgent = make_concern(consultation, severity=Severity.URGENT)

    response = signed_in_lead.get(f"{QUEUE}results/", {"severity": "urgent"})

    assert response.status_code == 200
    assert shown(response) == [urgent.pk]
    assert "<html" not in response.text


def test_an_empty_queue_says_so(signed_in_lead, home):
    response = signed_in_lead.get(QUEUE)

    assert "There are no open concerns." in response.text


def test_counts_selector_takes_now(consultation):
    make_concern(
        consultation,
        severity=Severity.URGENT,
        created_at=london(2025, 3, 4, 10, 0),
        due_at=london(2025, 3, 4, 14, 0),
    )

    assert selectors.concern_counts(now=london(2025, 3, 4, 13, 59)).overdue == 0
    assert selectors.concern_counts(now=london(2025, 3, 4, 14, 1)).overdue == 1
