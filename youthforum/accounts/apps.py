from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "youthforum.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from allauth.mfa.models import Authenticator
        from django.db.models.signals import post_save

        from .second_factor import remember_enrolment

        post_save.connect(
            remember_enrolment, sender=Authenticator, dispatch_uid="youthvoice_remember_enrolment"
        )
