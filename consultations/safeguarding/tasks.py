"""Background tasks for the safeguarding queue (the Django Tasks API, via ``django-tasks``).

Nothing schedules tasks by itself: run ``manage.py escalate_overdue_concerns`` every 5 minutes,
day and night, from cron or a systemd timer (README "Deploying"), or enqueue
``escalate_overdue_concerns_task`` from something that already runs that often. Running it
twice, or from two places at once, escalates each concern once.
"""

from django_tasks import task

from .acknowledgement import escalate_overdue_concerns


@task()
def escalate_overdue_concerns_task() -> dict:
    """Escalate urgent concerns that nobody acknowledged by their deadline; return counts."""
    return escalate_overdue_concerns().as_dict()
