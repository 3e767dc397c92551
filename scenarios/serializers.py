"""Serializers of the scenarios API: input serializers check types, output serializers render. No business logic.

Inputs name related rows by code, slug or id; the views resolve them through the selectors (so that a row the
user may not use is a 400 on the field, never a 500) and the services check everything else. Computed flows come
from `scenarios.network` / `scenarios.quantities`: the views attach them to the objects as `.flow` (a node's or a
route's) or `.flows` (a scenario's summary) before rendering.
"""

import math

from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.bounds import serializer_field
from partners.models import Role
from partners.serializers import CodeField, InputSerializer, LogEntryOutputSerializer, _decimal

from .models import DistanceSource, Node, Route, Scenario, Study, TransportMode


class FigureField(serializers.FloatField):
    """A computed figure (tonnes, shares), rounded to `places` decimals (6; None keeps it as computed); not finite
    (a capacity of 0 receiving material has an infinite use) renders as null."""

    def __init__(self, places: int | None = 6, **kwargs):
        kwargs.setdefault("read_only", True)
        self.places = places
        super().__init__(**kwargs)

    def to_representation(self, value):
        if value is None:
            return None
        value = float(value)
        if not math.isfinite(value):
            return None
        return value if self.places is None else round(value, self.places)


class NodeRoleField(serializers.ChoiceField):
    """A node's role (collector, sorter, recoverer, end_collector). Documented as its own enum component: the field
    name "role" already carries the member roles in the partners API, and two choice sets under one property name
    would make drf-spectacular warn."""

    def __init__(self, **kwargs):
        super().__init__(choices=Role.choices, **kwargs)


class NodeRoleFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NodeRoleField

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name="NodeRoleEnum",
            type=ResolvedComponent.SCHEMA,
            object="NodeRoleEnum",
            schema={
                "type": "string",
                "enum": list(Role.values),
                "description": "\n".join(f"* `{value}` - {label}" for value, label in Role.choices),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


RECYCLED_SHARE_MESSAGE = (
    "The target recycled-content share is a fraction from 0 to 1, not a percentage: send 0.5 for 50 %."
)


def _link(context, name: str, **kwargs) -> str:
    return context["request"].build_absolute_uri(reverse(name, kwargs=kwargs))


# ---------------------------------------------------------------- studies


class StudyInputSerializer(InputSerializer):
    """POST needs the required fields; PATCH takes any subset. Lists replace what was there."""

    name = serializer_field(Study, "name")
    product_name = serializer_field(Study, "product_name")
    product_material = serializers.SlugField(max_length=40, help_text="Material code, see /api/v1/materials/")
    product_alloy = serializer_field(Study, "product_alloy", required=False)
    product_mass_kg = serializer_field(Study, "product_mass_kg", help_text="Mass of one unit in kg")
    units_per_year = serializer_field(Study, "units_per_year")
    need_t_per_year = serializer_field(
        Study,
        "need_t_per_year",
        allow_null=True,
        required=False,
        help_text="Recycled material needed in t/year; null to derive it from the share",
    )
    recycled_share = serializer_field(
        Study,
        "recycled_share",
        allow_null=True,
        required=False,
        help_text="Target recycled-content share as a fraction from 0 to 1, not a percentage (0.3 = 30 %)",
        error_messages={
            "max_value": RECYCLED_SHARE_MESSAGE,
            "max_digits": RECYCLED_SHARE_MESSAGE,
            "max_whole_digits": RECYCLED_SHARE_MESSAGE,
        },
    )
    accepted_materials = serializers.ListField(
        child=serializers.SlugField(max_length=40), required=False, help_text="Material codes of the acceptable returns"
    )
    candidates = serializers.ListField(
        child=serializers.SlugField(max_length=60),
        required=False,
        help_text="Slugs of partner organisations invited into the study; each must share its sheet with you",
    )
    allocation = serializers.ChoiceField(
        choices=Study.Allocation.choices,
        required=False,
        help_text="How a collector's processing cost and impacts are allocated to the network's material (ISO 14044, "
        "4.3.4): mass (its yield, the default) or economic (its value)",
    )
    description = serializer_field(Study, "description", required=False)


class StudyLinksSerializer(serializers.Serializer):
    self = serializers.URLField()
    scenarios = serializers.URLField()


class StudyOutputSerializer(serializers.Serializer):
    """`candidates` is null for readers who are not members of the end collector (invited partners)."""

    id = serializers.IntegerField()
    end_collector = serializers.SlugField(source="end_collector.slug")
    name = serializers.CharField()
    product_name = serializers.CharField()
    product_material = serializers.CharField(source="product_material.code")
    product_alloy = serializers.CharField()
    product_mass_kg = _decimal(10, 3)
    units_per_year = serializers.IntegerField()
    need_t_per_year = _decimal(12, 3, allow_null=True)
    recycled_share = _decimal(5, 4, allow_null=True)
    required_t_per_year = _decimal(24, 10, help_text="The need, typed or derived from the recycled share")
    accepted_materials = CodeField(many=True)
    candidates = serializers.SerializerMethodField()
    allocation = serializers.CharField(help_text="mass or economic: how a collector's burden is allocated")
    description = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    links = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.SlugField(), allow_null=True))
    def get_candidates(self, study):
        if not self.context.get("show_candidates"):
            return None
        return sorted(org.slug for org in study.candidates.all())

    @extend_schema_field(StudyLinksSerializer)
    def get_links(self, study):
        return {
            "self": _link(self.context, "api-study", id=study.pk),
            "scenarios": _link(self.context, "api-study-scenarios", id=study.pk),
        }


# ---------------------------------------------------------------- scenarios and workflow


class ScenarioInputSerializer(InputSerializer):
    name = serializer_field(Scenario, "name")
    description = serializer_field(Scenario, "description", required=False)


class SubmitInputSerializer(InputSerializer):
    acknowledge = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Go on despite the scenario's problems (over capacity, short of the need, no assessment or a stale "
        "one); needs a reason, logged",
    )
    reason = serializers.CharField(
        required=False,
        default="",
        allow_blank=True,
        max_length=2000,
        help_text="Why go on despite the problems (needed with acknowledge)",
    )


class ApproveInputSerializer(SubmitInputSerializer):
    comment = serializer_field(Scenario, "decision_comment", required=False, default="")


class RejectInputSerializer(InputSerializer):
    comment = serializer_field(Scenario, "decision_comment", help_text="Why the scenario is rejected (required)")


class CloneInputSerializer(InputSerializer):
    name = serializer_field(
        Scenario,
        "name",
        allow_blank=True,
        required=False,
        default="",
        help_text='Name of the copy; empty for "<name> (copy)"',
    )


class FlowSummarySerializer(serializers.Serializer):
    need_t = FigureField(help_text="t/year the end collector needs")
    delivered_t = FigureField(help_text="t/year the routes deliver to the end collector")
    problems = serializers.ListField(child=serializers.CharField(), help_text="Why the network cannot be submitted")
    figure_problems = serializers.ListField(
        child=serializers.CharField(),
        help_text="Over capacity, broken mass balance or short of the need: submitting "
        "or approving needs them acknowledged with a reason",
    )
    shortfall_t = FigureField(help_text="t/year delivered below the need (0 when the need is met)")
    can_submit = serializers.BooleanField()


class ScenarioLinksSerializer(serializers.Serializer):
    self = serializers.URLField()
    nodes = serializers.URLField()
    routes = serializers.URLField()
    geojson = serializers.URLField()
    history = serializers.URLField()


class ScenarioOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    study = serializers.IntegerField(source="study_id")
    name = serializers.CharField()
    description = serializers.CharField()
    version = serializers.IntegerField()
    previous = serializers.IntegerField(
        source="previous_id", allow_null=True, help_text="Id of the scenario this one was copied from"
    )
    status = serializers.ChoiceField(choices=Scenario.Status.choices)
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_by = serializers.CharField(source="submitted_by.username", allow_null=True)
    approved_need_t = FigureField(
        allow_null=True,
        help_text="The need it was approved with (t/year); the flows of an approved scenario answer this need",
    )
    approved_delivered_t = FigureField(allow_null=True, help_text="t/year it delivered when approved")
    approved_run = serializers.IntegerField(
        source="approved_run_id", allow_null=True, help_text="Id of its last good assessment run when approved"
    )
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_comment = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    flows = FlowSummarySerializer()
    links = serializers.SerializerMethodField()

    @extend_schema_field(ScenarioLinksSerializer)
    def get_links(self, scenario):
        return {
            name: _link(self.context, f"api-scenario{suffix}", id=scenario.pk)
            for name, suffix in (
                ("self", ""),
                ("nodes", "-nodes"),
                ("routes", "-routes"),
                ("geojson", "-geojson"),
                ("history", "-history"),
            )
        }


# ---------------------------------------------------------------- nodes


class NodeUpdateSerializer(InputSerializer):
    """PATCH body. A node keeps its facility and role (remove it and add another)."""

    activity = serializers.IntegerField(
        allow_null=True, required=False, help_text="Id of an activity of the facility; its yield is copied"
    )
    yield_ratio = serializer_field(
        Node, "yield_ratio", required=False, help_text="Output / input, above 0 and at most 1"
    )
    capacity_t_per_year = serializer_field(Node, "capacity_t_per_year", required=False, help_text="t/year, above 0")


class NodeCreateSerializer(NodeUpdateSerializer):
    facility = serializers.IntegerField(help_text="Id of a facility of the end collector or of an invited partner")
    role = NodeRoleField()
    yield_ratio = serializer_field(
        Node,
        "yield_ratio",
        required=False,
        allow_null=True,
        help_text="Output / input; null or omitted: the facility's activity yield",
    )
    capacity_t_per_year = serializer_field(
        Node,
        "capacity_t_per_year",
        required=False,
        allow_null=True,
        help_text="t/year, above 0; null or omitted: the facility's capacity",
    )


class NodeFlowSerializer(serializers.Serializer):
    recommended_in_t = FigureField(help_text="t/year the node must receive to meet the need")
    recommended_out_t = FigureField(help_text="t/year the node must deliver")
    inflow_t = FigureField(help_text="t/year the routes bring (for a collector: what it must collect)")
    outflow_t = FigureField(help_text="t/year the routes take away")
    capacity_use = FigureField(allow_null=True, help_text="inflow / capacity; null when infinite")
    mass_balance_break = serializers.BooleanField()
    capacity_overrun = serializers.BooleanField()
    recommended_overrun = serializers.BooleanField(help_text="The recommended input exceeds the capacity")
    reaches_end_collector = serializers.BooleanField()
    messages = serializers.ListField(child=serializers.CharField())


class NodeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    scenario = serializers.IntegerField(source="scenario_id")
    facility = serializers.IntegerField(source="facility_id")
    facility_name = serializers.CharField(source="facility.name")
    organization = serializers.SlugField(source="facility.organization.slug")
    role = NodeRoleField()
    activity = serializers.IntegerField(source="activity_id", allow_null=True)
    yield_ratio = _decimal(5, 4)
    capacity_t_per_year = _decimal(12, 2)
    latitude = _decimal(9, 6)
    longitude = _decimal(9, 6)
    flow = NodeFlowSerializer()


# ---------------------------------------------------------------- routes


class RouteUpdateSerializer(InputSerializer):
    """PATCH body. A route keeps its ends (delete it and draw another)."""

    material = serializers.SlugField(max_length=40, required=False, help_text="Material code")
    quantity_t = serializer_field(
        Route, "quantity_t", allow_null=True, required=False, help_text="t/year; null carries the recommended quantity"
    )
    share = serializer_field(
        Route,
        "share",
        required=False,
        help_text="Weight among the routes entering the same destination (1 each by default)",
    )
    mode = serializers.ChoiceField(choices=TransportMode.choices, required=False)
    distance_km = serializer_field(
        Route,
        "distance_km",
        allow_null=True,
        required=False,
        help_text="null: geodesic distance x the mode's circuity factor",
    )
    is_backhaul = serializers.BooleanField(required=False)


class RouteCreateSerializer(RouteUpdateSerializer):
    origin = serializers.IntegerField(help_text="Id of a node of this scenario")
    destination = serializers.IntegerField(help_text="Id of a node of this scenario, downstream of the origin")
    material = serializers.SlugField(max_length=40, help_text="Material code")


class RouteOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    scenario = serializers.IntegerField(source="scenario_id")
    origin = serializers.IntegerField(source="origin_id")
    destination = serializers.IntegerField(source="destination_id")
    origin_label = serializers.CharField(source="origin")
    destination_label = serializers.CharField(source="destination")
    material = serializers.CharField(source="material.code")
    quantity_t = _decimal(12, 3, allow_null=True, help_text="Typed quantity; null carries the recommended one")
    share = _decimal(8, 3)
    mode = serializers.ChoiceField(choices=TransportMode.choices)
    distance_km = _decimal(9, 2)
    distance_source = serializers.ChoiceField(choices=DistanceSource.choices)
    circuity = _decimal(4, 2, allow_null=True)
    is_backhaul = serializers.BooleanField()
    recommended_t = FigureField(source="flow.recommended_t", help_text="t/year recommended by the need")
    effective_t = FigureField(source="flow.quantity_t", help_text="t/year planned: typed, else recommended")
    typed = serializers.BooleanField(source="flow.typed")
    split = FigureField(source="flow.split", help_text="Share of the destination's input on this route, 0 to 1")


# ---------------------------------------------------------------- GeoJSON (documentation of the answer)


class GeoJSONGeometrySerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Point (a node) or LineString (a route)")
    coordinates = serializers.JSONField(help_text="[longitude, latitude], or a list of them for a line")


class GeoJSONFeatureSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Feature")
    geometry = GeoJSONGeometrySerializer()
    properties = serializers.DictField(
        help_text="node: kind, id, name, role, role_label, organization, colour, yield_ratio, inflow_t, outflow_t, "
        "capacity_use, flags; route: kind, id, material, quantity_t, recommended_t, typed, mode, "
        "distance_km, distance_source, is_backhaul, width (pixels, grows with the quantity)"
    )


class NetworkGeoJSONSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="FeatureCollection")
    features = GeoJSONFeatureSerializer(many=True)


# ---------------------------------------------------------------- history and replay


class ReplayNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    facility = serializers.CharField(help_text="Facility name at the time")
    organization = serializers.CharField(required=False)
    role = NodeRoleField()
    yield_ratio = FigureField()
    capacity_t_per_year = FigureField(allow_null=True)
    latitude = FigureField()
    longitude = FigureField()
    flow = NodeFlowSerializer()


class ReplayRouteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    origin = serializers.IntegerField(source="origin_node")
    destination = serializers.IntegerField(source="destination_node")
    material = serializers.CharField(help_text="Material name at the time")
    quantity_t = FigureField(allow_null=True, help_text="Typed quantity; null carried the recommended one")
    share = FigureField()
    mode = serializers.ChoiceField(choices=TransportMode.choices)
    distance_km = FigureField()
    distance_source = serializers.ChoiceField(choices=DistanceSource.choices)
    is_backhaul = serializers.BooleanField()
    recommended_t = FigureField(source="flow.recommended_t")
    effective_t = FigureField(source="flow.quantity_t")
    split = FigureField(source="flow.split")


class ReplayOutputSerializer(serializers.Serializer):
    """The scenario as it stood just after one entry of its history, with the quantities recomputed."""

    entry = LogEntryOutputSerializer()
    scenario = serializers.DictField(help_text="The scenario's tracked fields at the time (name, status, version)")
    need_t = FigureField(allow_null=True, help_text="The study's need in force at the time, t/year")
    delivered_t = FigureField()
    problems = serializers.ListField(child=serializers.CharField())
    nodes = ReplayNodeSerializer(many=True)
    routes = ReplayRouteSerializer(many=True)
