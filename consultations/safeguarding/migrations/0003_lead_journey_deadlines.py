"""Deadlines and acknowledgements for concerns raised before 0002.

A migration of its own: on PostgreSQL, rows updated in the same transaction as 0002's new
foreign keys would leave trigger events pending when their indexes are created at the end.
"""

from django.db import migrations


def set_due_times(apps, schema_editor):
    """Give every concern raised before this migration the deadline it has now."""
    # Imported here: the deadline rules read settings, and migrations load before apps are ready.
    from consultations.safeguarding.deadlines import due_by

    concerns = apps.get_model("safeguarding", "SafeguardingConcern")
    for concern in concerns.objects.filter(due_at__isnull=True).only("created_at", "severity"):
        concern.due_at = due_by(concern.created_at, concern.severity)
        concern.save(update_fields=["due_at"])
    # A concern a lead has already acted on (it has a note) counts as acknowledged by the first
    # note's author, so the first escalation run does not email about work already in hand.
    notes = apps.get_model("safeguarding", "ConcernNote")
    acted_on = concerns.objects.filter(acknowledged_at__isnull=True, notes__isnull=False)
    for concern in acted_on.distinct():
        first = notes.objects.filter(concern=concern).order_by("created_at", "pk").first()
        concern.acknowledged_at, concern.acknowledged_by_id = first.created_at, first.author_id
        concern.save(update_fields=["acknowledged_at", "acknowledged_by"])


class Migration(migrations.Migration):
    dependencies = [
        ("safeguarding", "0002_lead_journey"),
    ]

    operations = [
        migrations.RunPython(set_due_times, migrations.RunPython.noop),
    ]
