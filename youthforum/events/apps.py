from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "youthforum.events"
    label = "events"
    verbose_name = "Events"
