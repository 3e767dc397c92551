"""Who may do what. One place, used by selectors, services, views, the API and the admin.

Roles in an organisation: admin (everything, including members and sharing), editor (the organisation's data),
viewer and auditor (read only). A member of an end collector that holds a sharing grant from an organisation
reads that organisation's sheet, facilities, activities and certificates, and never writes them.
"""

from django.db.models import Q

from .models import MemberRole, Membership, Organization

READ_ROLES = frozenset(MemberRole.values)
WRITE_ROLES = frozenset({MemberRole.ADMIN, MemberRole.EDITOR})
ADMIN_ROLES = frozenset({MemberRole.ADMIN})


def _roles(user) -> dict[int, str]:
    """{organisation id: role} of the user's memberships. Cached per request on the user object."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cache = user.__dict__.setdefault("_closeloop_roles", None)
    if cache is None:
        cache = dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))
        user.__dict__["_closeloop_roles"] = cache
    return cache


def role_in(user, organization: Organization) -> str | None:
    """The user's role in the organisation, or None."""
    return _roles(user).get(organization.pk)


def forget_roles(user) -> None:
    user.__dict__.pop("_closeloop_roles", None)


def is_member(user, organization: Organization) -> bool:
    return role_in(user, organization) is not None


def can_create_organization(user) -> bool:
    """Anyone signed in may found an organisation (and becomes its admin), except an auditor: someone who audits
    and holds no other role changes nothing, so founding organisations is not theirs to do either."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = set(_roles(user).values())
    return roles != {MemberRole.AUDITOR}  # a newcomer without any membership founds their first


def can_edit(user, organization: Organization) -> bool:
    return role_in(user, organization) in WRITE_ROLES


def can_admin(user, organization: Organization) -> bool:
    return role_in(user, organization) in ADMIN_ROLES


def readable_organizations_q(user) -> Q:
    """Organisations whose data the user may read: their own, and those sharing with an end collector they are in."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    return Q(memberships__user=user) | Q(shares_given__end_collector__memberships__user=user)


def can_read(user, organization: Organization) -> bool:
    if is_member(user, organization):
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    return organization.shares_given.filter(end_collector__memberships__user=user).exists()
