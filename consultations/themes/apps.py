from django.apps import AppConfig


class ThemesConfig(AppConfig):
    """Themes: codebooks, coding answers into themes (machine and people), discovery, summaries."""

    name = "consultations.themes"
    label = "themes"
    verbose_name = "Themes"
