from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "youthforum.core"
    label = "core"
    verbose_name = "Site"
