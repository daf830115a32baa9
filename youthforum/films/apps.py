from django.apps import AppConfig


class FilmsConfig(AppConfig):
    name = "youthforum.films"
    label = "films"
    verbose_name = "Films"
