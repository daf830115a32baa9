"""safeguarding 0002 and 0003: concerns raised before them get a deadline, and those a lead
already acted on count as acknowledged, so the first escalation run does not email about work
in hand."""

import pytest

from consultations.safeguarding.acknowledgement import escalate_overdue_concerns
from consultations.safeguarding.deadlines import due_by
from consultations.safeguarding.models import ConcernNote, SafeguardingConcern, Severity
from tests.migration_support import latest, migrate

from .support import lead, london, make_concern

BEFORE = [("safeguarding", "0001_initial"), ("core", "0002_initial")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_old_concerns_get_deadlines_and_acted_on_ones_count_as_acknowledged(home, mailoutbox):
    from tests.factories import make_consultation

    consultation = make_consultation(home, title="Feeling safe")
    raised = london(2025, 3, 7, 14, 54)  # a Friday afternoon
    untouched = make_concern(consultation, severity=Severity.URGENT, created_at=raised)
    handled = make_concern(consultation, severity=Severity.URGENT, created_at=raised)
    dsl = lead(email="dsl@example.org")
    ConcernNote.objects.create(concern=handled, author=dsl, action="status", text="Called school.")
    try:
        migrate(BEFORE)
        migrate(latest())
    finally:
        migrate(latest())

    untouched.refresh_from_db()
    handled.refresh_from_db()
    assert untouched.due_at == due_by(raised, Severity.URGENT) == london(2025, 3, 7, 15, 54)
    assert untouched.acknowledged_at is None
    assert handled.acknowledged_by == dsl
    assert handled.acknowledged_at == ConcernNote.objects.get(concern=handled).created_at

    report = escalate_overdue_concerns(now=london(2025, 3, 7, 16, 0))

    # Only the one nobody acted on is escalated.
    assert report.escalated == [untouched.pk]
    assert SafeguardingConcern.objects.get(pk=handled.pk).escalated_at is None
    assert len(mailoutbox) == 1
