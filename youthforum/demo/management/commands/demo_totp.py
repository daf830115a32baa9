"""``python manage.py demo_totp``: the current 6-digit code for the demo staff accounts.

The code comes from the published demo secret (``youthforum.demo.accounts``), so this is
refused wherever the demo is (``YOUTHVOICE_DEMO_ALLOWED`` is False in production settings).
"""

from django.core.management.base import BaseCommand, CommandError

from youthforum.demo.accounts import demo_totp_code
from youthforum.demo.services import DemoNotAllowedError, demo_allowed_check


class Command(BaseCommand):
    help = "Print the current sign-in code for the demo staff accounts' authenticator."

    def handle(self, *args, **options):
        try:
            demo_allowed_check()
        except DemoNotAllowedError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(demo_totp_code())
