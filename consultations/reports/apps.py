from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports for the Executive: report pages, PDF and XLSX exports, the year in review."""

    name = "consultations.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self):
        # Django's idiom: signal receivers are connected once the apps are loaded.
        from consultations.signals import purge_due

        from .exports import purge_when_due  # models must be loaded first

        purge_due.connect(purge_when_due, dispatch_uid="reports.purge_when_due")
