"""``python manage.py escalate_overdue_concerns``: tell someone about ignored urgent concerns.

An urgent concern that no Safeguarding lead has acknowledged by its deadline (by the clock) is
emailed to ``YOUTHVOICE_SAFEGUARDING_ESCALATION_EMAIL`` (or every lead and the on-call address),
once, and the escalation is written to the audit log
(:func:`consultations.safeguarding.acknowledgement.escalate_overdue_concerns`). Run it every 5
minutes from cron or a systemd timer::

    */5 * * * *  cd /srv/youthvoice && .venv/bin/python manage.py escalate_overdue_concerns

It exits with an error when an escalation could not be sent, so cron's own mail reports it; the
next run tries again. It prints nothing when there is nothing to escalate (``-v 2`` says so).
Running it more often, or twice at once, is harmless.
"""

from django.core.management.base import BaseCommand, CommandError

from consultations.safeguarding.acknowledgement import escalate_overdue_concerns


class Command(BaseCommand):
    help = (
        "Email the escalation address about urgent safeguarding concerns that nobody "
        "acknowledged by their deadline (each concern once). Run it every 5 minutes."
    )

    def handle(self, *args, **options):
        report = escalate_overdue_concerns()
        for pk in report.escalated:
            self.stdout.write(f"Escalated urgent concern #{pk}: overdue and not acknowledged.")
        if report.no_one_to_tell:
            raise CommandError(
                f"{len(report.failed)} urgent concern(s) are overdue and not acknowledged, but "
                "there is nobody to email: set YOUTHVOICE_SAFEGUARDING_ESCALATION_EMAIL or add "
                "a Safeguarding lead with an email address."
            )
        if report.failed:
            numbers = ", ".join(f"#{pk}" for pk in report.failed)
            raise CommandError(
                f"Could not escalate concern(s) {numbers} (see the log); the next run tries again."
            )
        if not report.escalated and options["verbosity"] > 1:
            self.stdout.write("Nothing to escalate.")  # silent by default: cron mails output
