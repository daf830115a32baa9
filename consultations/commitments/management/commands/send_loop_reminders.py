"""``python manage.py send_loop_reminders``: remind staff of loops not yet closed.

Emails every active Facilitator and Executive partner about consultations that closed more than
``YOUTHVOICE_LOOP_REMINDER_WEEKS`` weeks ago (12 unless set) without published results or with a
top theme that has no commitment, and about commitments past their due date
(:func:`consultations.commitments.reminders.send_loop_reminders`). Each thing is emailed at most
once a week, however often this runs, so run it once a day from cron or a systemd timer::

    30 8 * * *  cd /srv/youthvoice && .venv/bin/python manage.py send_loop_reminders

``--dry-run`` prints what would be sent, and sends and records nothing. It exits with an error
when there is something to remind about but nobody to email, so cron's own mail reports it.
It prints nothing when there is nothing to send (``-v 2`` says so).
"""

from django.core.management.base import BaseCommand, CommandError

from consultations.commitments.reminders import send_loop_reminders


class Command(BaseCommand):
    help = (
        "Email Facilitators and Executive partners about closed consultations without "
        "published results or commitments, and overdue commitments (each at most weekly). "
        "Run it once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be sent; send and record nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        report = send_loop_reminders(dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"Would email {len(report.recipients)} people about "
                f"{len(report.sent)} of {len(report.problems)} open things:"
            )
            for problem in report.sent:
                self.stdout.write(f"- {problem.line}")
            return
        if report.no_one_to_tell:
            raise CommandError(
                f"{len(report.sent)} thing(s) need a reminder, but no active Facilitator or "
                "Executive partner has an email address. Add one; the next run sends it."
            )
        if report.sent:
            self.stdout.write(
                f"Emailed {len(report.recipients)} people about {len(report.sent)} thing(s)."
            )
        elif options["verbosity"] > 1:
            self.stdout.write("Nothing to remind about.")  # silent by default: cron mails output
