from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "youthforum.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"
