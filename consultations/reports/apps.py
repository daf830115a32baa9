from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Reports for the Executive: report pages, PDF and XLSX exports, the year in review."""

    name = "consultations.reports"
    label = "reports"
    verbose_name = "Reports"
