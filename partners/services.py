"""Writes. Each service checks permissions first, validates with full_clean(), writes atomically and logs."""

import logging
import secrets
import smtplib
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from . import access, audit, broker
from .errors import ApplicationError
from .models import (
    ROLE_FIELDS,
    Activity,
    Certificate,
    Criterion,
    CriterionValue,
    DescriptionSheet,
    Facility,
    Invitation,
    Material,
    MemberRole,
    Membership,
    Organization,
    Process,
    SheetShare,
)
from .validators import refuse_nul_characters, sniff_certificate_type

logger = logging.getLogger(__name__)

FACILITY_FIELDS = [
    "name",
    "address",
    "country",
    "latitude",
    "longitude",
    "is_collector",
    "is_sorter",
    "is_recoverer",
    "is_end_collector",
    "capacity_t_per_year",
    "fixed_cost_eur_per_year",
]
ACTIVITY_FIELDS = [
    "process",
    "yield_ratio",
    "cost_eur_per_t",
    "energy_mj_per_t",
    "co2e_kg_per_t",
    "water_m3_per_t",
    "data_source",
]
SHEET_FIELDS = ["summary", "constraints", "contact_email"]
CERTIFICATE_FIELDS = ["kind", "title", "issuer", "valid_until", "file"]
ORGANIZATION_FIELDS = [
    "name",
    "country",
    "website",
    "is_end_collector",
    "require_admin_second_factor",
    "approver_not_submitter",
]


def _require(check, user, organization: Organization) -> None:
    """Outsiders get 404 (they must not learn the organisation exists); readers without the right get 403."""
    if not access.can_read(user, organization):
        raise Http404("No such organisation.")
    if not check(user, organization):
        raise PermissionDenied("Your role in this organisation does not allow this change.")


def _refuse_duplicates(obj) -> None:
    """A model's `unique_messages` ({fields: (field to name, message)}) say a duplicate in the user's words, on a
    field, where full_clean() would say "<Model> with this <A> and <B> already exists" for the whole form."""
    for fields, (field, message) in getattr(type(obj), "unique_messages", {}).items():
        lookup = {obj._meta.get_field(name).attname: getattr(obj, obj._meta.get_field(name).attname) for name in fields}
        if None in lookup.values():
            continue
        if type(obj)._default_manager.filter(**lookup).exclude(pk=obj.pk).exists():
            raise ValidationError({field: message})


def save_validated(obj, exclude=None) -> None:
    """full_clean(), then save; a unique-constraint race becomes a readable ApplicationError. Shared with the
    services of the apps above. Text holding a NUL character is refused (PostgreSQL cannot store it)."""
    refuse_nul_characters(obj)
    _refuse_duplicates(obj)
    obj.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:  # a race past full_clean(); say it plainly
        raise ApplicationError(f"This change conflicts with existing data: {exc}") from exc


# ---------------------------------------------------------------- organisations and members


@transaction.atomic
def organization_create(
    *, user, name: str, slug: str, is_end_collector: bool = False, country: str = "", website: str = ""
) -> Organization:
    """Anyone signed in but an auditor may create an organisation; they become its first admin."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    if not access.can_create_organization(user):
        raise PermissionDenied("Auditors read and change nothing, so they do not create organisations.")
    org = Organization(name=name, slug=slug, is_end_collector=is_end_collector, country=country, website=website)
    save_validated(org)
    DescriptionSheet.objects.create(organization=org)
    membership = Membership.objects.create(user=user, organization=org, role=MemberRole.ADMIN)
    access.forget_roles(user)
    audit.log(
        actor=user,
        organization=org,
        action="organization.created",
        target=org,
        changes=audit.created(audit.snapshot(org, ORGANIZATION_FIELDS)),
    )
    audit.log(
        actor=user,
        organization=org,
        action="membership.created",
        target=membership,
        changes={"user": [None, user.get_username()], "role": [None, membership.role]},
    )
    return org


@transaction.atomic
def organization_update(*, user, organization: Organization, **data) -> Organization:
    _require(access.can_admin, user, organization)
    before = audit.snapshot(organization, ORGANIZATION_FIELDS)
    assign_fields(organization, data, ORGANIZATION_FIELDS)
    save_validated(organization)
    changes = audit.diff(before, audit.snapshot(organization, ORGANIZATION_FIELDS))
    if changes:
        audit.log(
            actor=user, organization=organization, action="organization.changed", target=organization, changes=changes
        )
    return organization


def assign_fields(obj, data: dict, allowed: list[str]) -> None:
    """Set the named fields; any other name is refused (a caller cannot slip in a field the service does not own)."""
    unknown = set(data) - set(allowed)
    if unknown:
        raise ApplicationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    for key, value in data.items():
        setattr(obj, key, value)


def _admins_left(organization: Organization, without: Membership) -> int:
    """Admins other than `without`. Locks the admin rows, so two admins demoting or removing each other at the same
    time cannot both pass this check (the second waits, then sees the first change)."""
    admins = (
        Membership.objects.select_for_update()
        .filter(organization=organization, role=MemberRole.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return len([pk for pk in admins if pk != without.pk])


@transaction.atomic
def membership_set_role(*, user, membership: Membership, role: str) -> Membership:
    organization = membership.organization
    _require(access.can_admin, user, organization)
    if role not in MemberRole.values:
        raise ApplicationError("Unknown role.", {"role": f"Choose one of {', '.join(MemberRole.values)}."})
    if membership.role == MemberRole.ADMIN and role != MemberRole.ADMIN and not _admins_left(organization, membership):
        raise ApplicationError("An organisation needs at least one admin.", {"role": "This is the last admin."})
    old = membership.role
    if old != role:
        membership.role = role
        membership.save(update_fields=["role"])
        access.forget_roles(membership.user)
        access.forget_roles(user)  # the same person may be acting on their own membership
        audit.log(
            actor=user,
            organization=organization,
            action="membership.changed",
            target=membership,
            changes={"role": [old, role]},
        )
    return membership


@transaction.atomic
def membership_remove(*, user, membership: Membership) -> None:
    organization = membership.organization
    _require(access.can_admin, user, organization)
    if membership.role == MemberRole.ADMIN and not _admins_left(organization, membership):
        raise ApplicationError("An organisation needs at least one admin; name another admin first.")
    audit.log(
        actor=user,
        organization=organization,
        action="membership.deleted",
        target=membership,
        changes={"user": [membership.user.get_username(), None], "role": [membership.role, None]},
    )
    membership.delete()
    access.forget_roles(membership.user)
    access.forget_roles(user)


@transaction.atomic
def invitation_create(*, user, organization: Organization, email: str, role: str, site_url: str = "") -> Invitation:
    """Invite someone by e-mail. Someone who already has an account is added at once; anyone else gets a link.

    `site_url` ("https://closeloop.example.com/") prefixes the link in the e-mail. The task that sends it is given
    the invitation's id and this prefix only: the token (which admits whoever holds it) and the address never travel
    through the broker, the worker's log or its events."""
    _require(access.can_admin, user, organization)
    email = (email or "").strip().lower()
    invitation = Invitation(
        organization=organization, email=email, role=role, invited_by=user, token=secrets.token_urlsafe(32)
    )
    User = get_user_model()
    # Before full_clean(): its check of the open-invitation constraint would answer with a bare constraint name.
    if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
        raise ApplicationError("This person is already a member.", {"email": "Already a member."})
    if Invitation.objects.filter(organization=organization, email=email, accepted_at__isnull=True).exists():
        raise ApplicationError("An invitation to this address is already open.", {"email": "Already invited."})
    invitation.full_clean(exclude=["token"])
    existing = User.objects.filter(email__iexact=email).first()
    if existing is None:
        broker.require_reachable()  # the worker e-mails the link: with the queue down, refuse (503) before writing
    invitation.save()
    audit.log(
        actor=user,
        organization=organization,
        action="invitation.created",
        target=invitation,
        changes={"email": [None, email], "role": [None, role]},
    )
    if existing is not None:
        _join(invitation, existing, actor=user)
        return invitation
    from .tasks import send_invitation_email  # tasks import services; import here to keep that direction

    def send():
        if not broker.publish(send_invitation_email, invitation.pk, site_url):
            _invitation_withdraw_unsent(invitation, actor=user)
            raise ApplicationError(broker.QUEUE_DOWN, status=503)

    transaction.on_commit(send)
    return invitation


class InvitationEmailError(Exception):
    """The mail server refused an invitation e-mail. Says which invitation, never the address or the link."""


def invitation_link(invitation: Invitation, site_url: str = "") -> str:
    if "/invitations/" in site_url:  # a task queued before links were built here carries the whole link
        return site_url
    return site_url.rstrip("/") + reverse("invitation", args=[invitation.token])


@transaction.atomic
def _invitation_withdraw_unsent(invitation: Invitation, *, actor) -> None:
    """The queue went down between the check and the commit: the e-mail with the link cannot leave, and the link
    is not stored anywhere else, so the invitation is withdrawn (logged) and the admin asked to try again."""
    audit.log(
        actor=actor,
        organization=invitation.organization,
        action="invitation.deleted",
        target=invitation,
        changes={
            "email": [invitation.email, None],
            "role": [invitation.role, None],
            "reason": [None, "the task queue was not reachable; the e-mail was not sent"],
        },
    )
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).delete()


@transaction.atomic
def invitation_email_send(*, invitation_id: int, site_url: str = "") -> bool:
    """Send the invitation e-mail once. Returns False when there is nothing to send (already sent, accepted or
    withdrawn), so a task delivered twice sends one e-mail. Logs the invitation's id and organisation only."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organization", "invited_by")
        .filter(pk=invitation_id, accepted_at__isnull=True, emailed_at__isnull=True)
        .first()
    )
    if invitation is None:
        return False
    inviter = invitation.invited_by
    name = (inviter.get_full_name() or inviter.get_username()) if inviter else "An administrator"
    link = invitation_link(invitation, site_url)
    try:
        send_mail(
            subject=f"Invitation to {invitation.organization.name} on Closeloop",
            message=f"{name} invites you to join {invitation.organization.name} "
            f"as {invitation.get_role_display().lower()}.\n\nAccept: {link}\n",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
    except (ConnectionError, TimeoutError):
        raise  # the task retries these; their messages name the server, not the recipient
    except smtplib.SMTPException as exc:
        # SMTP refusals carry the recipient's address (and may echo the message): raise without them, and without
        # the original in the traceback.
        code = getattr(exc, "smtp_code", None)
        logger.warning(
            "invitation %s to %s: the mail server refused it (%s%s)",
            invitation.pk,
            invitation.organization.slug,
            type(exc).__name__,
            f" {code}" if code else "",
        )
        raise InvitationEmailError(
            f"The mail server refused invitation {invitation.pk} ({type(exc).__name__})."
        ) from None
    invitation.emailed_at = timezone.now()
    invitation.save(update_fields=["emailed_at"])
    logger.info("invitation %s to %s e-mailed", invitation.pk, invitation.organization.slug)
    return True


@transaction.atomic
def invitation_accept(*, user, token: str) -> Membership:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Sign in to accept an invitation.")
    try:
        invitation = Invitation.objects.select_for_update().get(token=token, accepted_at__isnull=True)
    except Invitation.DoesNotExist:
        raise Http404("This invitation does not exist or has been used.") from None
    if user.email.lower() != invitation.email:
        raise ApplicationError(f"This invitation is for {invitation.email}; sign in with that address.")
    return _join(invitation, user, actor=user)


def _join(invitation: Invitation, user, *, actor) -> Membership:
    """Make the invited user a member; the log names who made it happen (the inviter, or the user accepting)."""
    membership, created = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    access.forget_roles(user)
    if created:
        audit.log(
            actor=actor,
            organization=invitation.organization,
            action="membership.created",
            target=membership,
            changes={"user": [None, user.get_username()], "role": [None, membership.role]},
        )
    return membership


@transaction.atomic
def user_register_from_invitation(*, token: str, username: str, password: str):
    """A newcomer creates their account from an open invitation and joins the organisation."""
    try:
        invitation = Invitation.objects.select_for_update().get(token=token, accepted_at__isnull=True)
    except Invitation.DoesNotExist:
        raise Http404("This invitation does not exist or has been used.") from None
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise ApplicationError("This username is taken.", {"username": "This username is taken."})
    user = User.objects.create_user(username=username, email=invitation.email, password=password)
    invitation_accept(user=user, token=token)
    return user


@transaction.atomic
def invitation_revoke(*, user, invitation: Invitation) -> None:
    organization = invitation.organization
    _require(access.can_admin, user, organization)
    audit.log(
        actor=user,
        organization=organization,
        action="invitation.deleted",
        target=invitation,
        changes={"email": [invitation.email, None], "role": [invitation.role, None]},
    )
    invitation.delete()


# ---------------------------------------------------------------- facilities and activities


def _roles_to_fields(roles) -> dict:
    if roles is None:
        return {}
    unknown = set(roles) - set(ROLE_FIELDS)
    if unknown:
        raise ApplicationError("Unknown role.", {"roles": f"Unknown role: {', '.join(sorted(unknown))}."})
    return {field: role in roles for role, field in ROLE_FIELDS.items()}


def _check_facility_name(facility: Facility) -> None:
    clash = Facility.objects.filter(organization=facility.organization_id, name=facility.name).exclude(pk=facility.pk)
    if clash.exists():
        raise ApplicationError(
            "Facility names are unique within an organisation.",
            {"name": f"{facility.organization} already has a facility called {facility.name}."},
        )


def _set_materials(facility: Facility, materials) -> None:
    if materials is None:
        return
    materials = list(materials)
    codes = [m.code if isinstance(m, Material) else m for m in materials]
    found = {m.code: m for m in Material.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise ApplicationError("Unknown material.", {"accepted_materials": f"Unknown material: {', '.join(missing)}."})
    facility.accepted_materials.set(found.values())


FACILITY_TRACKED = FACILITY_FIELDS + ["accepted_materials"]


@transaction.atomic
def facility_create(*, user, organization: Organization, roles=None, accepted_materials=None, **data) -> Facility:
    _require(access.can_edit, user, organization)
    facility = Facility(organization=organization)
    assign_fields(facility, {**data, **_roles_to_fields(roles or [])}, FACILITY_FIELDS)
    _check_facility_name(facility)
    save_validated(facility)
    _set_materials(facility, accepted_materials)
    audit.log(
        actor=user,
        organization=organization,
        action="facility.created",
        target=facility,
        changes=audit.created(audit.snapshot(facility, FACILITY_TRACKED)),
    )
    return facility


@transaction.atomic
def facility_update(*, user, facility: Facility, roles=None, accepted_materials=None, **data) -> Facility:
    organization = facility.organization
    _require(access.can_edit, user, organization)
    before = audit.snapshot(facility, FACILITY_TRACKED)
    assign_fields(facility, {**data, **_roles_to_fields(roles)}, FACILITY_FIELDS)
    _check_facility_name(facility)
    save_validated(facility)
    _set_materials(facility, accepted_materials)
    changes = audit.diff(before, audit.snapshot(facility, FACILITY_TRACKED))
    if changes:
        audit.log(actor=user, organization=organization, action="facility.changed", target=facility, changes=changes)
    return facility


@transaction.atomic
def facility_delete(*, user, facility: Facility) -> None:
    organization = facility.organization
    _require(access.can_edit, user, organization)
    for activity in facility.activities.select_related("process"):
        _log_deleted(user, organization, "activity.deleted", activity, ACTIVITY_FIELDS)
    _log_deleted(user, organization, "facility.deleted", facility, FACILITY_TRACKED)
    _delete_unless_used(facility, "This facility")


def _delete_unless_used(obj, what: str) -> None:
    """Delete, or explain that an end collector's network scenario still uses the object."""
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError as exc:
        raise ApplicationError(
            f"{what} is part of {len(exc.protected_objects)} network scenario node(s) of an end collector and "
            "cannot be deleted; ask the end collector to remove it from its scenarios first."
        ) from exc


def _log_deleted(user, organization, action, obj, fields) -> None:
    before = audit.snapshot(obj, fields)
    audit.log(
        actor=user,
        organization=organization,
        action=action,
        target=obj,
        changes={k: [v, None] for k, v in before.items() if v not in (None, "", [])},
    )


def _process(value) -> Process:
    if isinstance(value, Process):
        return value
    try:
        return Process.objects.get(code=value)
    except Process.DoesNotExist:
        raise ApplicationError("Unknown process.", {"process": f"Unknown process: {value}."}) from None


@transaction.atomic
def activity_create(*, user, facility: Facility, process, **data) -> Activity:
    organization = facility.organization
    _require(access.can_edit, user, organization)
    activity = Activity(facility=facility, process=_process(process))
    assign_fields(activity, data, ACTIVITY_FIELDS)
    save_validated(activity)
    audit.log(
        actor=user,
        organization=organization,
        action="activity.created",
        target=activity,
        changes=audit.created(audit.snapshot(activity, ["facility"] + ACTIVITY_FIELDS)),
    )
    return activity


@transaction.atomic
def activity_update(*, user, activity: Activity, **data) -> Activity:
    organization = activity.facility.organization
    _require(access.can_edit, user, organization)
    if "process" in data:
        data["process"] = _process(data["process"])
    before = audit.snapshot(activity, ACTIVITY_FIELDS)
    assign_fields(activity, data, ACTIVITY_FIELDS)
    save_validated(activity)
    changes = audit.diff(before, audit.snapshot(activity, ACTIVITY_FIELDS))
    if changes:
        audit.log(actor=user, organization=organization, action="activity.changed", target=activity, changes=changes)
    return activity


@transaction.atomic
def activity_delete(*, user, activity: Activity) -> None:
    organization = activity.facility.organization
    _require(access.can_edit, user, organization)
    _log_deleted(user, organization, "activity.deleted", activity, ["facility"] + ACTIVITY_FIELDS)
    _delete_unless_used(activity, "This activity")


# ---------------------------------------------------------------- description sheet and certificates


def _sheet_values_snapshot(sheet: DescriptionSheet) -> dict:
    return {f"criterion:{v.criterion.code}": audit._plain(v.value) for v in sheet.values.select_related("criterion")}


@transaction.atomic
def sheet_update(*, user, organization: Organization, values: dict | None = None, **data) -> DescriptionSheet:
    """Update the sheet's text fields and criterion values. `values` maps criterion codes to a number, or None to
    clear it; criteria not named keep their value."""
    _require(access.can_edit, user, organization)
    sheet, _ = DescriptionSheet.objects.select_for_update().get_or_create(organization=organization)
    before = {**audit.snapshot(sheet, SHEET_FIELDS), **_sheet_values_snapshot(sheet)}
    assign_fields(sheet, data, SHEET_FIELDS)
    sheet.full_clean()
    sheet.save()
    errors = {}
    criteria = {c.code: c for c in Criterion.objects.filter(code__in=list(values or {}))}
    for code, value in (values or {}).items():
        criterion = criteria.get(code)
        if criterion is None:
            errors[code] = [f"Unknown criterion: {code}."]
            continue
        if value is None or value == "":
            sheet.values.filter(criterion=criterion).delete()
            continue
        row = sheet.values.filter(criterion=criterion).first() or CriterionValue(sheet=sheet, criterion=criterion)
        try:
            # Convert first: CriterionValue.clean() compares the value with the bounds even when it is not a number.
            row.value = CriterionValue._meta.get_field("value").clean(value, row)
            row.full_clean()
        except ValidationError as exc:
            errors[code] = exc.messages
            continue
        row.save()
    if errors:
        raise ApplicationError("Some criterion values are not valid.", errors)
    changes = audit.diff(before, {**audit.snapshot(sheet, SHEET_FIELDS), **_sheet_values_snapshot(sheet)})
    if changes:
        audit.log(actor=user, organization=organization, action="sheet.changed", target=sheet, changes=changes)
    return sheet


@transaction.atomic
def certificate_create(
    *, user, organization: Organization, kind: str, title: str, file, issuer: str = "", valid_until: date | None = None
) -> Certificate:
    _require(access.can_edit, user, organization)
    certificate = Certificate(
        organization=organization, kind=kind, title=title, issuer=issuer, valid_until=valid_until, file=file
    )
    certificate.content_type = (sniff_certificate_type(file) if file else None) or ""
    certificate.size_bytes = getattr(file, "size", 0) or 0
    save_validated(certificate)
    audit.log(
        actor=user,
        organization=organization,
        action="certificate.created",
        target=certificate,
        changes=audit.created(audit.snapshot(certificate, CERTIFICATE_FIELDS)),
    )
    return certificate


@transaction.atomic
def certificate_update(*, user, certificate: Certificate, **data) -> Certificate:
    organization = certificate.organization
    _require(access.can_edit, user, organization)
    fields = ["kind", "title", "issuer", "valid_until"]
    before = audit.snapshot(certificate, fields)
    assign_fields(certificate, data, fields)
    save_validated(certificate, exclude=["file"])  # the stored file was checked on upload and does not change here
    changes = audit.diff(before, audit.snapshot(certificate, fields))
    if changes:
        audit.log(
            actor=user, organization=organization, action="certificate.changed", target=certificate, changes=changes
        )
    return certificate


@transaction.atomic
def certificate_delete(*, user, certificate: Certificate) -> None:
    organization = certificate.organization
    _require(access.can_edit, user, organization)
    _log_deleted(user, organization, "certificate.deleted", certificate, CERTIFICATE_FIELDS)
    stored = certificate.file
    certificate.delete()
    transaction.on_commit(lambda: stored.storage.delete(stored.name))


# ---------------------------------------------------------------- sharing


@transaction.atomic
def share_create(*, user, organization: Organization, end_collector: Organization) -> SheetShare:
    _require(access.can_admin, user, organization)
    if not end_collector.is_end_collector:
        raise ApplicationError(
            "Sheets are shared with end collectors only.",
            {"end_collector": f"{end_collector} is not an end collector."},
        )
    if end_collector.pk == organization.pk:
        raise ApplicationError("An organisation cannot share with itself.", {"end_collector": "That is you."})
    if SheetShare.objects.filter(organization=organization, end_collector=end_collector).exists():
        raise ApplicationError(
            "The sheet is already shared with this end collector.", {"end_collector": "Already shared."}
        )
    share = SheetShare.objects.create(organization=organization, end_collector=end_collector, granted_by=user)
    audit.log(
        actor=user,
        organization=organization,
        action="share.created",
        target=share,
        changes={"end_collector": [None, end_collector.name]},
    )
    return share


@transaction.atomic
def share_delete(*, user, share: SheetShare) -> None:
    organization = share.organization
    _require(access.can_admin, user, organization)
    audit.log(
        actor=user,
        organization=organization,
        action="share.deleted",
        target=share,
        changes={"end_collector": [share.end_collector.name, None]},
    )
    share.delete()
