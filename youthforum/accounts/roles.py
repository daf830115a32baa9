"""The roles of Youth Voice, as Django groups.

Each role is a group created by a data migration (``accounts/migrations/0002_roles``) with the
Wagtail permissions it needs. Membership of a group is the only thing that gives a person a role,
so an admin changes someone's role in Wagtail's own Users screen.

To add a role: add a constant here, list it in ``STAFF_ROLES`` if its holders reach the admin, and
write a data migration that creates the group with its permissions.

Who is staff, and so must use a second factor, is decided by permissions rather than these names
(``is_staff_user``): a person given any permission is staff whatever their groups are called.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

FACILITATORS = "Facilitators"
SAFEGUARDING_LEADS = "Safeguarding leads"
EXECUTIVE_PARTNERS = "Executive partners"
MEMBERS = "Youth Forum members"

STAFF_ROLES = (FACILITATORS, SAFEGUARDING_LEADS, EXECUTIVE_PARTNERS)
ALL_ROLES = (*STAFF_ROLES, MEMBERS)


def user_roles(user: AbstractBaseUser | AnonymousUser) -> frozenset[str]:
    """The names of the role groups the user belongs to (cached on the user object)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_youthvoice_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
        user._youthvoice_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in user_roles(user)


def is_staff_user(user) -> bool:
    """Staff are people with any power beyond a member's: they must use a second factor.

    That is a superuser, anyone with Django's ``is_staff`` flag, and anyone holding any model
    permission at all, through a group or given to them directly (``wagtailadmin.access_admin``
    among them). It is decided by permissions, not group names, so a permission given by hand,
    or a new group an admin makes in Wagtail's Groups screen, makes its holder staff too.
    Wagtail's page and collection permissions act only inside the admin, which needs
    ``access_admin``, so they are not looked up here. Worked out once per user object.
    """
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_youthvoice_is_staff", None)
    if cached is None:
        # get_all_permissions() caches on the user object too, for the has_perm() calls to come.
        cached = bool(user.is_superuser or user.is_staff or user.get_all_permissions())
        user._youthvoice_is_staff = cached
    return cached


def is_forum_member(user) -> bool:
    """Youth Forum members, and staff, may see member-only details such as how to join a meeting."""
    return has_role(user, MEMBERS) or is_staff_user(user)


def can_view_reports(user) -> bool:
    """Executive partners, Facilitators and admins read the Executive's reports (``/reports/``)."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or bool(user_roles(user) & {EXECUTIVE_PARTNERS, FACILITATORS})
