"""Write paths for accounts."""

from django.db import transaction


@transaction.atomic
def user_delete(*, user) -> None:
    """Delete the account and everything kept only for it (email addresses, authenticators).

    Answers a member gave to consultations are kept but no longer linked to anyone: the
    Consultations app's foreign keys to the user are ``SET_NULL``.
    """
    user.delete()
