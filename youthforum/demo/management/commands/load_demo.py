"""``python manage.py load_demo [--reset]``: the demo Youth Forum site and one account per role.

The work is done by :func:`youthforum.demo.services.demo_load`; this command only parses
the options and prints what a newcomer needs: where the site is and how to sign in.
"""

import logging
import os

from django.core.management.base import BaseCommand, CommandError

from consultations.services.terms import count_uncounted
from youthforum.demo.population import demo_population_build
from youthforum.demo.services import DemoConflictError, DemoNotAllowedError, demo_load


class Command(BaseCommand):
    help = (
        "Create or update the demo Youth Forum site (pages, pictures, settings) and one demo "
        "account per role. Safe to run again: nothing is duplicated. Refused when "
        "YOUTHVOICE_DEMO_ALLOWED is False (production settings)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "First delete what the demo owns (the home page and every page below it, the "
                "pictures in the Demo collection, the demo accounts), then build it again."
            ),
        )

    def handle(self, *args, reset=False, **options):
        # Wagtail and the task queue log a few lines per page; show them only with -v 2.
        if options["verbosity"] < 2:
            logging.disable(logging.INFO)
        try:
            summary = demo_load(reset=reset, stdout=self.stdout)
            demo_population_build()  # approximate figures, so reports can say who is missing
        except (DemoNotAllowedError, DemoConflictError) as error:
            raise CommandError(str(error)) from error
        finally:
            logging.disable(logging.NOTSET)
        # Answers are counted for word clouds by a task as they are saved; this catches up on
        # any saved before that task existed or while no worker ran (counting is idempotent).
        counted = count_uncounted()

        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Demo ready: {len(summary.pages)} pages ({summary.pages_created} created, "
                f"{summary.pages_updated} updated, {summary.pages_unchanged} unchanged), "
                f"{summary.images_total} pictures ({summary.images_created} new), "
                f"{summary.responses_total:,} demo consultation responses "
                f"({summary.responses_created:,} new), {len(summary.accounts)} accounts."
                + (f" Counted the words of {counted:,} more answers." if counted else "")
            )
        )
        # `make run PORT=8123` passes PORT through the environment; the address is only a hint.
        base = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        write("")
        write(f"  Site:          {base}{summary.home_path}")
        write(f"  Wagtail admin: {base}/admin/")
        write("")
        write(f"Demo accounts (password: {summary.password})")
        width = max(len(account.email) for account in summary.accounts)
        for account in summary.accounts:
            second_factor = "  + authenticator code" if account.is_staff_role else ""
            write(f"  {account.email:<{width}}  {account.role_label}{second_factor}")
        write("")
        write("Staff accounts sign in with a second factor. Add this demo secret to an")
        write("authenticator app (TOTP, 6 digits, every 30 seconds), or run")
        write("`.venv/bin/python manage.py demo_totp` for the current code:")
        write(f"  {summary.totp_secret}")
        write("It is published, so it protects nothing: use it for the demo only.")
