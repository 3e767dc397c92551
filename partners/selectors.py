"""Reads scoped to the acting user. What the user may not see raises Http404."""

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from . import access
from .models import (
    Activity,
    Certificate,
    Criterion,
    CriterionValue,
    DescriptionSheet,
    Facility,
    Invitation,
    LogEntry,
    Material,
    Membership,
    Organization,
    Process,
    SheetShare,
)


def organization_list(*, user) -> QuerySet[Organization]:
    """Organisations the user belongs to."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).distinct()


def organization_readable_list(*, user) -> QuerySet[Organization]:
    """Own organisations and those that share their sheet with an end collector the user belongs to."""
    return Organization.objects.filter(access.readable_organizations_q(user)).distinct()


def organization_get(*, user, slug: str) -> Organization:
    """The organisation if the user may read it; 404 otherwise.

    A reader who may not write gets PermissionDenied from the services, not a 404: they know it exists.
    """
    try:
        organization = Organization.objects.get(slug=slug)
    except Organization.DoesNotExist:
        raise Http404("No such organisation.") from None
    if not access.can_read(user, organization):
        raise Http404("No such organisation.")
    return organization


def end_collector_list(*, user) -> QuerySet[Organization]:
    """The directory of end collectors a partner can share its sheet with (names only are public)."""
    return Organization.objects.filter(is_end_collector=True)


def sharing_partner_list(*, user, end_collector: Organization) -> QuerySet[Organization]:
    """Organisations that share their sheet with this end collector; the user must be one of its members."""
    if not access.is_member(user, end_collector):
        raise Http404("No such organisation.")
    return Organization.objects.filter(shares_given__end_collector=end_collector).select_related("sheet")


def membership_list(*, user, organization: Organization) -> QuerySet[Membership]:
    if not access.is_member(user, organization):
        raise Http404("No such organisation.")
    return Membership.objects.filter(organization=organization).select_related("user")


def membership_get(*, user, organization: Organization, pk) -> Membership:
    try:
        return membership_list(user=user, organization=organization).get(pk=pk)
    except (Membership.DoesNotExist, ValueError):
        raise Http404("No such membership.") from None


def invitation_list(*, user, organization: Organization) -> QuerySet[Invitation]:
    if not access.is_member(user, organization):
        raise Http404("No such organisation.")
    return Invitation.objects.filter(organization=organization, accepted_at__isnull=True)


def invitation_get(*, user, organization: Organization, pk) -> Invitation:
    try:
        return invitation_list(user=user, organization=organization).get(pk=pk)
    except (Invitation.DoesNotExist, ValueError):
        raise Http404("No such invitation.") from None


def invitation_open_get(*, token: str) -> Invitation:
    """An open invitation by its secret token, for whoever holds the link (signed in or not)."""
    try:
        return Invitation.objects.select_related("organization").get(token=token, accepted_at__isnull=True)
    except Invitation.DoesNotExist:
        raise Http404("This invitation does not exist or has been used.") from None


def facility_list(*, user, organization: Organization) -> QuerySet[Facility]:
    if not access.can_read(user, organization):
        raise Http404("No such organisation.")
    return (
        Facility.objects.filter(organization=organization)
        .select_related("organization")
        .prefetch_related("accepted_materials", Prefetch("activities", Activity.objects.select_related("process")))
    )


def facility_get(*, user, organization: Organization, pk) -> Facility:
    try:
        return facility_list(user=user, organization=organization).get(pk=pk)
    except (Facility.DoesNotExist, ValueError):
        raise Http404("No such facility.") from None


def shared_facility_list(*, user, end_collector: Organization) -> QuerySet[Facility]:
    """Facilities of every organisation sharing its sheet with this end collector."""
    if not access.is_member(user, end_collector):
        raise Http404("No such organisation.")
    return (
        Facility.objects.filter(organization__shares_given__end_collector=end_collector)
        .select_related("organization")
        .prefetch_related("accepted_materials", Prefetch("activities", Activity.objects.select_related("process")))
    )


def activity_list(*, user, organization: Organization) -> QuerySet[Activity]:
    if not access.can_read(user, organization):
        raise Http404("No such organisation.")
    return Activity.objects.filter(facility__organization=organization).select_related("facility", "process")


def activity_get(*, user, organization: Organization, pk) -> Activity:
    try:
        return activity_list(user=user, organization=organization).get(pk=pk)
    except (Activity.DoesNotExist, ValueError):
        raise Http404("No such activity.") from None


def sheet_get(*, user, organization: Organization) -> DescriptionSheet:
    if not access.can_read(user, organization):
        raise Http404("No such organisation.")
    # Every organisation gets its sheet when created; an unsaved empty one stands in rather than a read that writes.
    return DescriptionSheet.objects.filter(organization=organization).first() or DescriptionSheet(
        organization=organization
    )


def criterion_value_list(*, user, organization: Organization) -> QuerySet[CriterionValue]:
    if not access.can_read(user, organization):
        raise Http404("No such organisation.")
    return CriterionValue.objects.filter(sheet__organization=organization).select_related("criterion")


def certificate_list(*, user, organization: Organization) -> QuerySet[Certificate]:
    if not access.can_read(user, organization):
        raise Http404("No such organisation.")
    return Certificate.objects.filter(organization=organization)


def certificate_get(*, user, organization: Organization, pk) -> Certificate:
    try:
        return certificate_list(user=user, organization=organization).get(pk=pk)
    except (Certificate.DoesNotExist, ValueError):
        raise Http404("No such certificate.") from None


def share_list(*, user, organization: Organization) -> QuerySet[SheetShare]:
    """Grants the organisation has given; only its members see them."""
    if not access.is_member(user, organization):
        raise Http404("No such organisation.")
    return SheetShare.objects.filter(organization=organization).select_related("end_collector", "granted_by")


def share_get(*, user, organization: Organization, pk) -> SheetShare:
    try:
        return share_list(user=user, organization=organization).get(pk=pk)
    except (SheetShare.DoesNotExist, ValueError):
        raise Http404("No such share.") from None


def log_entry_list(*, user, organization: Organization) -> QuerySet[LogEntry]:
    """The organisation's history; its members only (shared readers do not see who changed what)."""
    if not access.is_member(user, organization):
        raise Http404("No such organisation.")
    return LogEntry.objects.filter(organization=organization).select_related("actor")


# How each tenant model reaches its organisation, for scoped listings such as the admin's.
ORGANIZATION_PATH = {
    Organization: "pk",
    Membership: "organization",
    Invitation: "organization",
    Facility: "organization",
    Activity: "facility__organization",
    DescriptionSheet: "organization",
    CriterionValue: "sheet__organization",
    Certificate: "organization",
    SheetShare: "organization",
    LogEntry: "organization",
}


def member_scoped_list(*, user, model) -> QuerySet:
    """Rows of a tenant model that belong to organisations the user is a member of."""
    orgs = organization_list(user=user).values("pk")
    return model.objects.filter(**{f"{ORGANIZATION_PATH[model]}__in": orgs})


# ---------------------------------------------------------------- reference catalogues (not tenant data)


def material_list() -> QuerySet[Material]:
    return Material.objects.all()


def process_list() -> QuerySet[Process]:
    return Process.objects.all()


def criterion_list() -> QuerySet[Criterion]:
    return Criterion.objects.all()
