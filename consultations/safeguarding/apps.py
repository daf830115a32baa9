from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    """Safeguarding: concerns raised by the screen, the leads' queue, deadlines and notes."""

    name = "consultations.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"

    def ready(self):
        # Django's idiom: signal receivers are connected once the apps are loaded.
        from consultations.signals import purge_due

        from .contact_requests import purge_when_due  # models must be loaded first

        purge_due.connect(purge_when_due, dispatch_uid="safeguarding.purge_contact_requests")
