from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo site and its accounts, loaded by ``manage.py load_demo``. No models."""

    name = "youthforum.demo"
    label = "demo"
    verbose_name = "Demo content"
