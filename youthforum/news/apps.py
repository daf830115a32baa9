from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "youthforum.news"
    label = "news"
    verbose_name = "News"
