from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Consultations: pages and questions, answers through ``submit_response``, imports, term
    counts for word clouds and retention. Safeguarding, themes, reports and "You said, we did"
    are apps of their own inside this package (``consultations/<app>/``)."""

    name = "consultations"
    verbose_name = "Consultations"
