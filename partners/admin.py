"""Django admin. Staff edit the reference catalogues here. Tenant data is shown read-only and scoped to the
organisations the signed-in staff member belongs to; tenants change their data in the portal, where every change
goes through services and the history."""

from django.contrib import admin

from . import selectors
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


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "family"]
    list_filter = ["family"]
    search_fields = ["code", "name"]


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "stage"]
    list_filter = ["stage"]
    search_fields = ["code", "name"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "higher_is_better", "min_value", "max_value", "position"]
    list_editable = ["position"]


class ScopedReadOnlyAdmin(admin.ModelAdmin):
    """Tenant data: listed through a selector scoped to the user's organisations; never written here.
    Other apps subclass it with their own `scoped_list` selector."""

    scoped_list = staticmethod(selectors.member_scoped_list)

    def get_queryset(self, request):
        return self.scoped_list(user=request.user, model=self.model)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff


@admin.register(Organization)
class OrganizationAdmin(ScopedReadOnlyAdmin):
    list_display = ["name", "slug", "country", "is_end_collector"]


@admin.register(Membership)
class MembershipAdmin(ScopedReadOnlyAdmin):
    list_display = ["user", "organization", "role"]
    list_filter = ["role"]


@admin.register(Invitation)
class InvitationAdmin(ScopedReadOnlyAdmin):
    list_display = ["email", "organization", "role", "created_at", "accepted_at"]
    exclude = ["token"]


@admin.register(Facility)
class FacilityAdmin(ScopedReadOnlyAdmin):
    list_display = ["name", "organization", "country", "capacity_t_per_year"]
    search_fields = ["name"]


@admin.register(Activity)
class ActivityAdmin(ScopedReadOnlyAdmin):
    list_display = ["process", "facility", "yield_ratio", "cost_eur_per_t"]


@admin.register(DescriptionSheet)
class DescriptionSheetAdmin(ScopedReadOnlyAdmin):
    list_display = ["organization", "updated_at"]


@admin.register(CriterionValue)
class CriterionValueAdmin(ScopedReadOnlyAdmin):
    list_display = ["sheet", "criterion", "value"]


@admin.register(Certificate)
class CertificateAdmin(ScopedReadOnlyAdmin):
    list_display = ["title", "organization", "kind", "valid_until"]


@admin.register(SheetShare)
class SheetShareAdmin(ScopedReadOnlyAdmin):
    list_display = ["organization", "end_collector", "created_at"]


@admin.register(LogEntry)
class LogEntryAdmin(ScopedReadOnlyAdmin):
    list_display = ["at", "organization", "actor", "action", "target_repr"]
    list_filter = ["action"]

    def get_actions(self, request):
        return {}


# ---------------------------------------------------------------- second factor

from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402  (kept with the admin it serves)


@admin.register(TOTPDevice)
class SecondFactorDeviceAdmin(admin.ModelAdmin):
    """Staff remove the authenticator app of someone who lost it (they set up a new one at their next sign-in).
    Nobody reads a key or adds or changes a device here: that happens only in the person's own pages."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    search_fields = ["user__username", "user__email"]
    fields = list_display
    readonly_fields = list_display

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
