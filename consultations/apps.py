from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Consultations: questions, answers, safeguarding, analysis and reports.

    Filled in by the Consultations, Safeguarding, Analysis and Executive review work; see
    ../docs/ and the README for how the pieces fit.
    """

    name = "consultations"
    verbose_name = "Consultations"
