"""HTML pages. Each view resolves the organisation once (404 for outsiders), then reads through selectors and
writes through services; service errors become form errors."""

import functools

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from . import access, certificates, maps, selectors, services
from .errors import ApplicationError
from .forms import (
    ActivityForm,
    CertificateForm,
    FacilityForm,
    InvitationForm,
    MembershipRoleForm,
    OrganizationForm,
    ShareForm,
    SheetForm,
)
from .models import MemberRole

CHECKS = {"read": access.can_read, "member": access.is_member, "edit": access.can_edit, "admin": access.can_admin}


def org_view(permission: str = "read"):
    """Resolve `slug` to an organisation the user may read (404 otherwise), then require `permission`:
    "read" (members and shared readers), "member", "edit" or "admin". Pages for members only answer 404 to shared
    readers; readers who lack the right answer 403."""

    def decorate(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            org = selectors.organization_get(user=request.user, slug=slug)
            member = access.is_member(request.user, org)
            if permission in ("member", "admin") and not member:
                raise Http404("No such organisation.")
            if not CHECKS[permission](request.user, org):
                raise PermissionDenied(
                    "Shared sheets are read-only."
                    if not member
                    else "Your role in this organisation does not allow this."
                )
            return view(request, org, *args, **kwargs)

        return wrapper

    return decorate


def submit(form, call):
    """Run a service call for a valid form; put its errors on the form and return None when it refuses."""
    try:
        return call()
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
        for field, msgs in errors.items():
            for msg in msgs:
                form.add_error(_form_field(form, field), msg)
    except ApplicationError as exc:
        if not exc.field_errors:
            form.add_error(None, exc.message)
        for field, msgs in exc.field_errors.items():
            for msg in msgs:
                form.add_error(_form_field(form, field), msg)
    return None


def _form_field(form, field):
    """The form field showing a service's error on `field` (a form may type it otherwise: a share in %)."""
    field = getattr(form, "field_aliases", {}).get(field, field)
    return field if field in form.fields else None


def org_context(request, org, **extra):
    return {
        "org": org,
        "role": access.role_in(request.user, org),
        "can_edit": access.can_edit(request.user, org),
        "can_admin": access.can_admin(request.user, org),
        "is_member": access.is_member(request.user, org),
        **extra,
    }


# ---------------------------------------------------------------- home and organisations


@login_required
def home(request):
    orgs = list(selectors.organization_list(user=request.user))
    if len(orgs) == 1:
        return redirect("sheet", slug=orgs[0].slug)
    return render(request, "partners/home.html", {"organizations": orgs})


@login_required
def organization_new(request):
    if not access.can_create_organization(request.user):
        raise PermissionDenied("Auditors read and change nothing, so they do not create organisations.")
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org = submit(form, lambda: services.organization_create(user=request.user, **form.cleaned_data))
        if org:
            messages.success(request, f"{org.name} created; you are its admin.")
            return redirect("sheet", slug=org.slug)
    return render(request, "partners/organization_form.html", {"form": form})


# ---------------------------------------------------------------- description sheet


@org_view("read")
def sheet(request, org):
    sheet = selectors.sheet_get(user=request.user, organization=org)
    values = {v.criterion_id: v for v in selectors.criterion_value_list(user=request.user, organization=org)}
    rows = [(c, values.get(c.pk)) for c in selectors.criterion_list()]
    ctx = org_context(
        request,
        org,
        sheet=sheet,
        rows=rows,
        certificates=selectors.certificate_list(user=request.user, organization=org),
        facilities=selectors.facility_list(user=request.user, organization=org),
    )
    if ctx["is_member"]:
        ctx["history"] = selectors.log_entry_list(user=request.user, organization=org)[:10]
    return render(request, "partners/sheet.html", ctx)


@org_view("edit")
def sheet_edit(request, org):
    sheet = selectors.sheet_get(user=request.user, organization=org)
    criteria = selectors.criterion_list()
    initial = {"summary": sheet.summary, "constraints": sheet.constraints, "contact_email": sheet.contact_email}
    initial.update({f"criterion_{v.criterion.code}": v.value for v in sheet.values.select_related("criterion")})
    form = SheetForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form,
            lambda: services.sheet_update(
                user=request.user, organization=org, values=form.criterion_values(), **form.text_values()
            ),
        )
        if done:
            messages.success(request, "Description sheet saved.")
            return redirect("sheet", slug=org.slug)
    return render(request, "partners/sheet_form.html", org_context(request, org, form=form))


@org_view("edit")
def certificate_new(request, org):
    form = CertificateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        done = submit(
            form, lambda: services.certificate_create(user=request.user, organization=org, **form.cleaned_data)
        )
        if done:
            messages.success(request, "Certificate uploaded.")
            return redirect("sheet", slug=org.slug)
    return render(request, "partners/certificate_form.html", org_context(request, org, form=form))


@org_view("read")
def certificate_file(request, org, pk):
    certificate = selectors.certificate_get(user=request.user, organization=org, pk=pk)
    return certificates.download_response(certificate)


@require_POST
@org_view("edit")
def certificate_delete(request, org, pk):
    certificate = selectors.certificate_get(user=request.user, organization=org, pk=pk)
    services.certificate_delete(user=request.user, certificate=certificate)
    messages.success(request, f"Certificate “{certificate.title}” deleted.")
    return redirect("sheet", slug=org.slug)


@org_view("member")
def history(request, org):
    page = Paginator(selectors.log_entry_list(user=request.user, organization=org), 100).get_page(
        request.GET.get("page")
    )
    return render(request, "partners/history.html", org_context(request, org, entries=page, page=page))


# ---------------------------------------------------------------- facilities and activities


def _facility_map(facilities):
    return maps.facility_collection(facilities, lambda f: reverse("facility", args=[f.organization.slug, f.pk]))


@org_view("read")
def facility_list(request, org):
    facilities = selectors.facility_list(user=request.user, organization=org)
    return render(
        request,
        "partners/facility_list.html",
        org_context(request, org, facilities=facilities, geojson=_facility_map(facilities), legend=maps.legend()),
    )


@org_view("read")
def facility_detail(request, org, pk):
    facility = selectors.facility_get(user=request.user, organization=org, pk=pk)
    return render(
        request,
        "partners/facility_detail.html",
        org_context(request, org, facility=facility, geojson=_facility_map([facility]), legend=maps.legend()),
    )


def _facility_form_page(request, org, facility=None):
    initial = FacilityForm.initial_from(facility) if facility else {"country": org.country}
    form = FacilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["accepted_materials"] = [m.code for m in data["accepted_materials"]]
        if facility is None:
            saved = submit(form, lambda: services.facility_create(user=request.user, organization=org, **data))
        else:
            saved = submit(form, lambda: services.facility_update(user=request.user, facility=facility, **data))
        if saved:
            messages.success(request, f"Facility “{saved.name}” saved.")
            return redirect("facility", slug=org.slug, pk=saved.pk)
    return render(
        request,
        "partners/facility_form.html",
        org_context(request, org, form=form, facility=facility, legend=maps.legend()),
    )


@org_view("edit")
def facility_new(request, org):
    return _facility_form_page(request, org)


@org_view("edit")
def facility_edit(request, org, pk):
    return _facility_form_page(request, org, selectors.facility_get(user=request.user, organization=org, pk=pk))


@org_view("edit")
def facility_delete(request, org, pk):
    facility = selectors.facility_get(user=request.user, organization=org, pk=pk)
    if request.method == "POST":
        services.facility_delete(user=request.user, facility=facility)
        messages.success(request, f"Facility “{facility.name}” deleted.")
        return redirect("facilities", slug=org.slug)
    return render(
        request,
        "partners/confirm_delete.html",
        org_context(request, org, object=facility, cancel_url=reverse("facility", args=[org.slug, facility.pk])),
    )


def _activity_form_page(request, org, facility, activity=None):
    initial = {}
    if activity:
        initial = {f: getattr(activity, f) for f in ActivityForm().fields}
    form = ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if activity is None:
            saved = submit(
                form, lambda: services.activity_create(user=request.user, facility=facility, **form.cleaned_data)
            )
        else:
            saved = submit(
                form, lambda: services.activity_update(user=request.user, activity=activity, **form.cleaned_data)
            )
        if saved:
            messages.success(request, f"Activity “{saved.process}” saved.")
            return redirect("facility", slug=org.slug, pk=facility.pk)
    return render(
        request,
        "partners/activity_form.html",
        org_context(request, org, form=form, facility=facility, activity=activity),
    )


@org_view("edit")
def activity_new(request, org, pk):
    return _activity_form_page(request, org, selectors.facility_get(user=request.user, organization=org, pk=pk))


@org_view("edit")
def activity_edit(request, org, pk):
    activity = selectors.activity_get(user=request.user, organization=org, pk=pk)
    return _activity_form_page(request, org, activity.facility, activity)


@require_POST
@org_view("edit")
def activity_delete(request, org, pk):
    activity = selectors.activity_get(user=request.user, organization=org, pk=pk)
    services.activity_delete(user=request.user, activity=activity)
    messages.success(request, f"Activity “{activity.process}” deleted.")
    return redirect("facility", slug=org.slug, pk=activity.facility_id)


# ---------------------------------------------------------------- members and invitations


@org_view("member")
def members(request, org):
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not access.can_admin(request.user, org):
            raise PermissionDenied("Only admins invite people.")
        if form.is_valid():
            done = submit(
                form,
                lambda: services.invitation_create(
                    user=request.user, organization=org, site_url=request.build_absolute_uri("/"), **form.cleaned_data
                ),
            )
            if done:
                messages.success(request, f"{done.email} invited as {done.get_role_display().lower()}.")
                return redirect("members", slug=org.slug)
    return render(
        request,
        "partners/members.html",
        org_context(
            request,
            org,
            form=form,
            roles=MemberRole.choices,
            memberships=selectors.membership_list(user=request.user, organization=org),
            invitations=selectors.invitation_list(user=request.user, organization=org),
        ),
    )


@require_POST
@org_view("admin")
def membership_role(request, org, pk):
    membership = selectors.membership_get(user=request.user, organization=org, pk=pk)
    form = MembershipRoleForm(request.POST)
    if form.is_valid() and submit(
        form,
        lambda: services.membership_set_role(user=request.user, membership=membership, role=form.cleaned_data["role"]),
    ):
        messages.success(request, f"{membership.user.get_username()} is now {membership.get_role_display().lower()}.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("members", slug=org.slug)


@require_POST
@org_view("admin")
def membership_remove(request, org, pk):
    membership = selectors.membership_get(user=request.user, organization=org, pk=pk)
    try:
        services.membership_remove(user=request.user, membership=membership)
        messages.success(request, f"{membership.user.get_username()} removed.")
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("members", slug=org.slug)


@require_POST
@org_view("admin")
def invitation_revoke(request, org, pk):
    invitation = selectors.invitation_get(user=request.user, organization=org, pk=pk)
    services.invitation_revoke(user=request.user, invitation=invitation)
    messages.success(request, f"Invitation to {invitation.email} withdrawn.")
    return redirect("members", slug=org.slug)


def invitation(request, token):
    """Accept an invitation: signed-in users accept with one click; newcomers create their account here."""
    pending = selectors.invitation_open_get(token=token)
    form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                membership = services.invitation_accept(user=request.user, token=token)
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"You joined {membership.organization.name}.")
                return redirect("sheet", slug=membership.organization.slug)
    else:
        form = UserCreationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = submit(
                form,
                lambda: services.user_register_from_invitation(
                    token=token, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
                ),
            )
            if user:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("sheet", slug=pending.organization.slug)
    return render(request, "partners/invitation.html", {"invitation": pending, "form": form})


# ---------------------------------------------------------------- sharing


@org_view("member")
def shares(request, org):
    already = selectors.share_list(user=request.user, organization=org)
    candidates = (
        selectors.end_collector_list(user=request.user)
        .exclude(pk=org.pk)
        .exclude(pk__in=already.values("end_collector"))
    )
    form = ShareForm(request.POST or None, end_collectors=candidates)
    if request.method == "POST":
        if not access.can_admin(request.user, org):
            raise PermissionDenied("Only admins share the sheet.")
        if form.is_valid():
            done = submit(
                form,
                lambda: services.share_create(
                    user=request.user, organization=org, end_collector=form.cleaned_data["end_collector"]
                ),
            )
            if done:
                messages.success(request, f"Sheet shared with {done.end_collector.name}.")
                return redirect("shares", slug=org.slug)
    return render(request, "partners/shares.html", org_context(request, org, form=form, shares=already))


@require_POST
@org_view("admin")
def share_revoke(request, org, pk):
    share = selectors.share_get(user=request.user, organization=org, pk=pk)
    services.share_delete(user=request.user, share=share)
    messages.success(request, f"{share.end_collector.name} no longer sees your sheet.")
    return redirect("shares", slug=org.slug)


@org_view("member")
def partners(request, org):
    """For end collectors: the partners that share their sheet, and their facilities on a map."""
    partner_orgs = selectors.sharing_partner_list(user=request.user, end_collector=org)
    facilities = selectors.shared_facility_list(user=request.user, end_collector=org)
    return render(
        request,
        "partners/partners.html",
        org_context(
            request,
            org,
            partners=partner_orgs,
            facilities=facilities,
            geojson=_facility_map(facilities),
            legend=maps.legend(),
        ),
    )
