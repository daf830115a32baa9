"""Give the role groups the permissions in ``roles.ROLE_PERMISSIONS``, or say how they differ.

``migrate`` already adds what is missing; this command is for the rest. ``--check`` changes
nothing and exits with status 1 if any role group lacks something in the table or holds
something the table does not list (given by hand in Wagtail's Groups screen); ``--prune`` removes
such extras. Groups that are not roles are never touched. A permission the table lists that does
not exist (a typo, or an app not migrated yet) is shown with ``?`` and makes the command fail.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, transaction

from youthforum.accounts.permissions import sync_roles


class Command(BaseCommand):
    help = "Give the role groups the permissions in accounts/roles.py (add-only unless --prune)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Also remove from the role groups what the table does not list.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Change nothing; list the differences and exit 1 if there are any.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, prune=False, check=False, database=DEFAULT_DB_ALIAS, **options):
        if check:
            changes = sync_roles(using=database, dry_run=True)
            for change in changes:
                self.stdout.write(str(change))
            if changes:
                raise CommandError(
                    f"{len(changes)} difference(s) between the role groups and accounts/roles.py "
                    "(+ missing, - not in the table): run sync_roles, or sync_roles --prune."
                )
            self.stdout.write("The role groups hold exactly what accounts/roles.py lists.")
            return
        with transaction.atomic(using=database):
            changes = sync_roles(using=database, prune=prune)
        for change in changes:
            self.stdout.write(str(change))
        unknown = [change for change in changes if change.sign == "?"]
        self.stdout.write(f"{len(changes) - len(unknown)} change(s).")
        if unknown:
            raise CommandError(
                f"{len(unknown)} permission(s) in the table do not exist (marked ?)."
            )
