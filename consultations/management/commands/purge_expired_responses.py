"""``python manage.py purge_expired_responses [--dry-run]``: delete words past their retention.

The work is done by :func:`consultations.services.retention.purge_expired_responses`; this
command prints, per consultation, what it purged (or would purge). It also deletes what other
apps keep past its time, through ``consultations.signals.purge_due`` (built report downloads
older than a day, young people's requests to be contacted older than
``YOUTHVOICE_CONTACT_REQUEST_DAYS``), pending imports older than a day, expired sessions (what
Django's ``clearsessions`` does) and step-by-step drafts left for more than a day
(:func:`consultations.services.sessions.stored_sessions_purge`), so one daily job covers them
all. Run it daily, from cron or a systemd timer, or enqueue
``consultations.tasks.purge_expired_responses_task`` instead (see ``consultations/tasks.py``).
Running it more often than needed is harmless.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from consultations.services.import_jobs import (
    purge_expired_imports,
)
from consultations.services.retention import purge_expired_responses
from consultations.services.sessions import stored_sessions_purge
from consultations.signals import purge_due

#: What the command says of each app's share of the purge (``purge_due`` counts), by its key.
SHARE_MESSAGES = {
    "report_downloads": "Deleted {n:,} report download(s) older than a day.",
    "contact_requests": "Deleted {n:,} request(s) to be contacted past their retention.",
}


def _day(value) -> str:
    return timezone.localtime(value).strftime("%-d %b %Y")


class Command(BaseCommand):
    help = (
        "Delete the words people wrote in answers to consultations past their retention period "
        "(days after closing, set on each consultation). Choices, ratings and counts are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say what would be purged; change nothing.",
        )

    def handle(self, *args, dry_run=False, **options):
        report = purge_expired_responses(dry_run=dry_run)
        if not dry_run:
            # What other apps keep past its time answers purge_due: built report downloads
            # (kept a day) and young people's requests to be contacted (kept a few weeks).
            shares: dict[str, int] = {}
            for _receiver, counts in purge_due.send(sender=self.__class__):
                shares.update(counts)
            for what, number in shares.items():
                if number:
                    self.stdout.write(
                        SHARE_MESSAGES.get(what, "Deleted {n:,} {what}.").format(
                            n=number, what=what.replace("_", " ")
                        )
                    )
            sessions = stored_sessions_purge()
            if sessions.expired_deleted or sessions.cleaned:
                self.stdout.write(
                    f"Deleted {sessions.expired_deleted:,} expired session(s); removed "
                    f"step-by-step drafts left over a day from {sessions.cleaned:,} other(s)."
                )
            # Files uploaded for import and never imported hold unscreened words: a day, then gone.
            pending = purge_expired_imports()
            if pending:
                self.stdout.write(f"Forgot {pending:,} pending import(s) older than a day.")
        verb = "Would purge" if dry_run else "Purged"
        for c in report.consultations:
            deferred = (
                f" {c.deferred:,} responses kept while a safeguarding concern is open."
                if c.deferred
                else ""
            )
            self.stdout.write(
                f"{verb} “{c.title}” (id {c.consultation_id}, closed {_day(c.closed_at)}, "
                f"kept until {_day(c.expired_at)}): {c.responses:,} responses, "
                f"{c.answers:,} written answers.{deferred}"
            )
        if not report.consultations:
            self.stdout.write("Nothing to purge: no unpurged answers are past their retention.")
            return
        total = (
            f"{report.responses:,} responses and {report.answers:,} written answers in "
            f"{len(report.consultations)} consultation(s)."
        )
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run, nothing changed. Would purge {total}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"Purged {total}"))
