"""Studies and scenarios in the admin: tenant data, so read-only and scoped like partners/admin.py.

Staff see the studies, scenarios, nodes and routes of the end collectors they are members of, and change nothing
here: every change goes through scenarios.services in the portal, which keeps the workflow (an approved scenario is
frozen) and the history. Superusers follow the same rule: membership decides what they see.
"""

from django.contrib import admin

from partners import admin as partner_admin

from . import selectors
from .models import Node, Route, Scenario, Study


class ScopedReadOnlyAdmin(partner_admin.ScopedReadOnlyAdmin):
    """Listed for the members of the end collector only; never written here."""

    scoped_list = staticmethod(selectors.member_scoped_list)


@admin.register(Study)
class StudyAdmin(ScopedReadOnlyAdmin):
    list_display = ["name", "end_collector", "product_name", "product_alloy", "recycled_share", "need_t_per_year"]
    list_select_related = ["end_collector"]
    search_fields = ["name", "product_name"]


@admin.register(Scenario)
class ScenarioAdmin(ScopedReadOnlyAdmin):
    list_display = ["name", "version", "study", "status", "decided_by", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["study", "decided_by"]
    search_fields = ["name", "study__name"]


@admin.register(Node)
class NodeAdmin(ScopedReadOnlyAdmin):
    list_display = ["facility", "role", "scenario", "yield_ratio", "capacity_t_per_year"]
    list_filter = ["role"]
    list_select_related = ["facility", "scenario"]


@admin.register(Route)
class RouteAdmin(ScopedReadOnlyAdmin):
    list_display = ["__str__", "scenario", "quantity_t", "mode", "distance_km", "distance_source"]
    list_filter = ["mode"]
    list_select_related = ["scenario", "origin__facility", "destination__facility", "material"]
