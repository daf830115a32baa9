from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "youthforum.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        # Django's idiom: receivers are connected once every app's models are loaded.
        from allauth.mfa.models import Authenticator
        from django.db.models.signals import post_migrate, post_save

        from .permissions import apply_role_table
        from .second_factor import remember_enrolment

        post_save.connect(
            remember_enrolment, sender=Authenticator, dispatch_uid="youthvoice_remember_enrolment"
        )
        # After every migrate, the role groups get what roles.ROLE_PERMISSIONS lists (add-only).
        # It makes the permissions it needs itself, so it need not run after Django's own receiver.
        post_migrate.connect(
            apply_role_table, sender=self, dispatch_uid="youthvoice_apply_role_table"
        )
