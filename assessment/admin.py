"""The assessment in the admin. Factor libraries are reference data: staff keep them here, each factor with its
unit and source. A study's overrides and its runs are tenant data: read-only and scoped like partners/admin.py."""

from django.contrib import admin

from partners import admin as partner_admin

from . import selectors
from .models import AssessmentRun, Factor, FactorLibrary, FactorOverride


class FactorInline(admin.TabularInline):
    model = Factor
    extra = 0
    fields = ["code", "value", "unit", "region", "year", "source", "is_assumption"]


@admin.register(FactorLibrary)
class FactorLibraryAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    inlines = [FactorInline]


class ScopedReadOnlyAdmin(partner_admin.ScopedReadOnlyAdmin):
    scoped_list = staticmethod(selectors.member_scoped_list)


@admin.register(FactorOverride)
class FactorOverrideAdmin(ScopedReadOnlyAdmin):
    list_display = ["code", "value", "unit", "study", "source"]
    list_select_related = ["study"]


@admin.register(AssessmentRun)
class AssessmentRunAdmin(ScopedReadOnlyAdmin):
    list_display = ["pk", "scenario", "status", "created_at", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["scenario"]
    exclude = ["inputs", "result"]
