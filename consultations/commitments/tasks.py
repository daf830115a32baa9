"""Background tasks for “You said, we did” (the Django Tasks API, via ``django-tasks``).

Nothing schedules tasks by itself: run ``manage.py send_loop_reminders`` once a day from cron or a
systemd timer (see that command), or enqueue ``send_loop_reminders_task`` from something that
already runs daily. Running it more often, or twice at once, sends each reminder at most once a
week.
"""

from django_tasks import task

from .reminders import send_loop_reminders


@task()
def send_loop_reminders_task(dry_run: bool = False) -> dict:
    """Email what is still open about closing the loop; return counts only."""
    return send_loop_reminders(dry_run=dry_run).as_dict()
