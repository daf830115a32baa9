from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Consultations: pages and questions, answers through ``submit_response``, imports, term
    counts for word clouds and retention. Safeguarding, themes, reports and "You said, we did"
    are apps of their own inside this package (``consultations/<app>/``)."""

    name = "consultations"
    verbose_name = "Consultations"

    def ready(self):
        # Django's idiom: signal receivers are connected once the apps are loaded.
        from consultations.services.taking_part import purge_when_due  # needs the models
        from consultations.signals import purge_due

        purge_due.connect(purge_when_due, dispatch_uid="consultations.purge_taking_part_comments")
