from django.apps import AppConfig


class BaselineConfig(AppConfig):
    """A plain Wagtail form page, the baseline the consultation answer form is measured against."""

    name = "benchmarks.baseline"
    label = "benchmark_baseline"
    default_auto_field = "django.db.models.BigAutoField"
