"""The roles of Youth Voice, as Django groups, and what each may do.

A role is a group. ``ROLE_PERMISSIONS`` below is the one table of what each role may do: the
model permissions of its group, and the Wagtail page and collection permissions it holds on the
root page and the root collection (so on the whole page tree and every collection). After every
``migrate`` the post_migrate receiver in ``youthforum/accounts/permissions.py`` creates any
missing group and gives it whatever it lacks of the table; it never takes anything away
(``manage.py sync_roles --check`` lists the differences, ``--prune`` removes what is not in the
table). Membership of a group is the only thing that gives a person a role, so an admin changes
someone's role in Wagtail's own Users screen.

To give a role a permission: add ``"app_label.codename"`` to its entry here and run ``migrate``
(or ``manage.py sync_roles``); no data migration is needed. To take one away: remove it here and
run ``manage.py sync_roles --prune``. To add a role: add a constant, list it in ``STAFF_ROLES`` if
its holders reach the admin, and give it an entry in ``ROLE_PERMISSIONS``.

Who is staff, and so must use a second factor, is decided by permissions rather than these names
(``is_staff_user``): a person given any permission is staff whatever their groups are called.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

FACILITATORS = "Facilitators"
SAFEGUARDING_LEADS = "Safeguarding leads"
EXECUTIVE_PARTNERS = "Executive partners"
MEMBERS = "Youth Forum members"

STAFF_ROLES = (FACILITATORS, SAFEGUARDING_LEADS, EXECUTIVE_PARTNERS)
ALL_ROLES = (*STAFF_ROLES, MEMBERS)


@dataclass(frozen=True)
class RolePermissions:
    """What one role's group holds, each permission written ``"app_label.codename"``."""

    # Model-wide permissions (Group.permissions).
    model: frozenset[str] = frozenset()
    # Wagtail page permissions on the root page, so on the whole tree (GroupPagePermission).
    pages: frozenset[str] = frozenset()
    # Wagtail image and document permissions on the root collection (GroupCollectionPermission).
    collections: frozenset[str] = frozenset()


ACCESS_ADMIN = "wagtailadmin.access_admin"

ROLE_PERMISSIONS: dict[str, RolePermissions] = {
    FACILITATORS: RolePermissions(
        model=frozenset(
            {
                ACCESS_ADMIN,
                # Site settings and redirects.
                "core.change_sitesettings",
                "wagtailredirects.add_redirect",
                "wagtailredirects.change_redirect",
                "wagtailredirects.delete_redirect",
                # Responses, importing paper answers and undoing an import.
                "consultations.view_response",
                "consultations.view_importbatch",
                "consultations.add_importbatch",
                "consultations.delete_importbatch",
                # Codebooks, the coding screen, re-coding runs.
                "themes.add_codebook",
                "themes.change_codebook",
                "themes.delete_codebook",
                "themes.view_codebook",
                "themes.add_humancoding",
                "themes.change_humancoding",
                "themes.view_humancoding",
                "themes.add_codingrun",
                "themes.view_codingrun",
                # "You said, we did".
                "commitments.add_commitment",
                "commitments.change_commitment",
                "commitments.delete_commitment",
                "commitments.view_commitment",
                # Snippets > Analysis options (word clouds).
                "consultations.add_analysisoptions",
                "consultations.change_analysisoptions",
                "consultations.delete_analysisoptions",
                "consultations.view_analysisoptions",
                # Snippets > Population figures ("who is missing" in reports).
                "reports.add_population",
                "reports.change_population",
                "reports.delete_population",
                "reports.view_population",
            }
        ),
        pages=frozenset(
            {
                "wagtailcore.add_page",
                "wagtailcore.change_page",
                "wagtailcore.publish_page",
                "wagtailcore.lock_page",
                "wagtailcore.unlock_page",
            }
        ),
        collections=frozenset(
            {
                "wagtailimages.add_image",
                "wagtailimages.change_image",
                "wagtailimages.choose_image",
                "wagtaildocs.add_document",
                "wagtaildocs.change_document",
                "wagtaildocs.choose_document",
            }
        ),
    ),
    SAFEGUARDING_LEADS: RolePermissions(
        model=frozenset(
            {
                ACCESS_ADMIN,
                # The safeguarding queue, and the words as written of flagged answers.
                "safeguarding.review_safeguarding",
                "safeguarding.view_safeguardingconcern",
                "safeguarding.change_safeguardingconcern",
                "safeguarding.view_concernnote",
                "safeguarding.add_concernnote",
                "consultations.view_raw_answers",
            }
        ),
    ),
    EXECUTIVE_PARTNERS: RolePermissions(
        model=frozenset(
            {
                ACCESS_ADMIN,
                # "You said, we did" (reports need no permission: see can_view_reports).
                "commitments.add_commitment",
                "commitments.change_commitment",
                "commitments.view_commitment",
                # The population figures reports compare answers with.
                "reports.view_population",
            }
        ),
    ),
    # Members reach no admin: their role is membership alone.
    MEMBERS: RolePermissions(),
}
# ``consultations.export_raw_answers`` (the words as written, in downloads) is in no role on
# purpose: an admin gives it to a person or group by hand.


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
