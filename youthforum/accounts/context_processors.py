from django.utils.functional import SimpleLazyObject

from .roles import is_forum_member, is_staff_user


def user_roles(request):
    """``user_is_staff`` and ``user_is_forum_member`` for templates, worked out only if used."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {
        "user_is_staff": SimpleLazyObject(lambda: is_staff_user(user)),
        "user_is_forum_member": SimpleLazyObject(lambda: is_forum_member(user)),
    }
