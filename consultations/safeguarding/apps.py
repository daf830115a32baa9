from django.apps import AppConfig


class SafeguardingConfig(AppConfig):
    """Safeguarding: concerns raised by the screen, the leads' queue, deadlines and notes."""

    name = "consultations.safeguarding"
    label = "safeguarding"
    verbose_name = "Safeguarding"
