"""Serializers of the assessment API: input serializers check types, output serializers render. No business logic.

A run's result and its input snapshot are stored as JSON (assessment.inputs); the output serializers below document
and render them. Whether a factor code is known, its unit right and its value in range is the services' business
(ApplicationError keyed by field); a comparison's columns come from assessment.selectors and assessment.compare.
A partner ranking's result is the JSON of `decisions._rank_partners`; the builder's state is `builder.state` with
the flows attached to its nodes and routes by the view. An optimisation's result is the JSON of
`optimisation._solution`, which names candidates by key and arcs by index: its serializers join them to the run's
stored inputs (facility and company names, material, distance), as the inputs stood when the run was asked for.
"""

import math

from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.bounds import FiniteFloatField, serializer_field
from partners.serializers import InputSerializer, _decimal
from scenarios.models import Node, TransportMode
from scenarios.serializers import FigureField, NodeRoleField

from .builder import DIRECTIONS
from .models import (
    CARBON_PRICE_MAX_EUR_PER_KG,
    FACTOR_VALUE_MAX,
    AssessmentRun,
    FactorOverride,
    OptimisationRun,
    PartnerRanking,
)


def ResultField(**kwargs) -> FigureField:
    """A computed figure rendered as it was stored (no rounding: per-unit figures are small); not finite renders
    as null."""
    return FigureField(places=None, **kwargs)


class RunStatusField(serializers.ChoiceField):
    """A run's state. Documented as its own enum component: "status" already names the scenarios' workflow
    states, and two choice sets under one property name would make drf-spectacular warn."""

    def __init__(self, **kwargs):
        super().__init__(choices=AssessmentRun.Status.choices, **kwargs)


def _enum_ref(auto_schema, name: str, choices) -> dict:
    component = ResolvedComponent(
        name=name,
        type=ResolvedComponent.SCHEMA,
        object=name,
        schema={
            "type": "string",
            "enum": [value for value, _ in choices],
            "description": "\n".join(f"* `{value}` - {label}" for value, label in choices),
        },
    )
    auto_schema.registry.register_on_missing(component)
    return component.ref


class RunStatusFieldExtension(OpenApiSerializerFieldExtension):
    target_class = RunStatusField

    def map_serializer_field(self, auto_schema, direction):
        return _enum_ref(auto_schema, "AssessmentStatusEnum", AssessmentRun.Status.choices)


class PartnerRankingStatusField(serializers.ChoiceField):
    """A partner ranking's state: its own enum component, for the reason given in RunStatusField."""

    def __init__(self, **kwargs):
        super().__init__(choices=PartnerRanking.Status.choices, **kwargs)


class PartnerRankingStatusFieldExtension(OpenApiSerializerFieldExtension):
    target_class = PartnerRankingStatusField

    def map_serializer_field(self, auto_schema, direction):
        return _enum_ref(auto_schema, "PartnerRankingStatusEnum", PartnerRanking.Status.choices)


def _link(context, name: str, **kwargs) -> str:
    return context["request"].build_absolute_uri(reverse(name, kwargs=kwargs))


# ---------------------------------------------------------------- factor libraries and overrides


class FactorLibraryLinksSerializer(serializers.Serializer):
    factors = serializers.URLField()


class FactorLibraryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    is_default = serializers.BooleanField(help_text="The library every run takes its factors from")
    links = serializers.SerializerMethodField()

    @extend_schema_field(FactorLibraryLinksSerializer)
    def get_links(self, library):
        return {"factors": _link(self.context, "api-factor-library-factors", id=library.pk)}


class FactorOutputSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Dotted code, e.g. transport.co2e.road")
    value = ResultField()
    unit = serializers.CharField()
    region = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()
    is_assumption = serializers.BooleanField(help_text="No cited figure; replace it with your own")


class FactorOverrideInputSerializer(InputSerializer):
    """POST body. Setting a code the study already overrides replaces its figure."""

    code = serializer_field(FactorOverride, "code", help_text="A factor code of the library, e.g. transport.cost.road")
    value = FiniteFloatField(
        min_value=0,
        max_value=FACTOR_VALUE_MAX,
        help_text="0 to 1,000,000,000 in the code's unit (a share at most 1)",
        error_messages={
            "min_value": "A factor is 0 or more, in its unit.",
            "max_value": "A factor is at most 1,000,000,000 in its unit.",
            "invalid": "A factor is a number (not true, false, NaN or infinity).",
        },
    )
    unit = serializer_field(
        FactorOverride,
        "unit",
        allow_blank=True,
        help_text="The code's unit exactly as the library gives it, e.g. EUR/tkm",
    )
    source = serializer_field(FactorOverride, "source", help_text="Where the figure comes from (required)")


class FactorOverrideOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    study = serializers.IntegerField(source="study_id")
    code = serializers.CharField()
    value = ResultField()
    unit = serializers.CharField()
    source = serializers.CharField()
    created_at = serializers.DateTimeField()


# ---------------------------------------------------------------- runs


class RunLinksSerializer(serializers.Serializer):
    self = serializers.URLField()
    inputs = serializers.URLField()


class RunOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    scenario = serializers.IntegerField(source="scenario_id")
    status = RunStatusField()
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    requested_by = serializers.CharField(source="requested_by.username", allow_null=True)
    inputs_hash = serializers.CharField(help_text="SHA-256 of the input snapshot the run computes from")
    error = serializers.CharField(help_text="Why the run failed; empty otherwise")
    links = serializers.SerializerMethodField()

    @extend_schema_field(RunLinksSerializer)
    def get_links(self, run):
        kwargs = {"id": run.scenario_id, "run_id": run.pk}
        return {
            "self": _link(self.context, "api-scenario-assessment", **kwargs),
            "inputs": _link(self.context, "api-scenario-assessment-inputs", **kwargs),
        }


class IndicatorSerializer(serializers.Serializer):
    """One indicator of a result. LCA rows (origin "LCA factors") also carry the per-unit figure and the
    comparison with the all-primary baseline."""

    code = serializers.CharField(help_text="e.g. cost.transport_eur, recycling_rate, whole_life.fresh_water_m3")
    label = serializers.CharField()
    value = ResultField(allow_null=True)
    unit = serializers.CharField()
    phase = serializers.CharField(help_text="end_of_life or whole_life")
    origin = serializers.CharField(help_text="logistics model or LCA factors")
    # The LCA-only figures are left out of the other rows. Not read-only, so that the schema does not list them
    # as required (drf-spectacular requires every read-only field); this serializer only renders.
    per_unit = ResultField(read_only=False, required=False, allow_null=True, help_text="The value per product unit")
    per_unit_unit = serializers.CharField(required=False)
    baseline = ResultField(
        read_only=False, required=False, allow_null=True, help_text="The same product made of primary material only"
    )
    difference = ResultField(read_only=False, required=False, allow_null=True, help_text="value - baseline")
    difference_pct = ResultField(
        read_only=False,
        required=False,
        allow_null=True,
        help_text="100 x difference / baseline; null when the baseline is 0",
    )

    def to_representation(self, row):
        """The figures a row has: the LCA-only ones are left out of the other rows rather than null."""
        return {key: value for key, value in super().to_representation(row).items() if key in row}


class PartnerCostSerializer(serializers.Serializer):
    partner = serializers.CharField()
    transport_eur = ResultField()
    facilities_eur = ResultField()
    # Fields present on one basis only are not read-only, so that the schema does not list them as required
    # (drf-spectacular requires every read-only field); this serializer only renders.
    purchasing_eur = ResultField(
        read_only=False, required=False, help_text="runs of the first basis only (purchasing at every transfer)"
    )
    activities_eur = ResultField()
    stock_eur = ResultField()
    total_eur = ResultField(help_text="its own costs (the four parts above)")
    purchases_eur = ResultField(
        read_only=False, required=False, help_text="what it pays other partners for material (a transfer)"
    )
    sales_eur = ResultField(read_only=False, required=False, help_text="what other partners pay it (a transfer)")
    net_eur = ResultField(
        read_only=False,
        required=False,
        help_text="own costs + purchases - sales; the partners' add up to the network cost",
    )

    def to_representation(self, row):
        return {key: value for key, value in super().to_representation(row).items() if key in row}


class CostViewsSerializer(serializers.Serializer):
    basis = serializers.IntegerField(help_text="the cost basis version the run was computed on")
    allocation = serializers.CharField(help_text="mass or economic: how a collector's burden is allocated")
    delivered_t = ResultField()
    network_eur = ResultField(help_text="network cost: every cost incurred in the network once, EUR/year")
    end_collector_eur = ResultField(
        allow_null=True,
        help_text="what the end collector pays: material bought, its transport, processing and stock, EUR/year",
    )
    transfers_eur = ResultField(help_text="paid between partners; cancels in the network cost")
    network_eur_per_t = ResultField(allow_null=True, help_text="network cost per tonne delivered")
    end_collector_eur_per_t = ResultField(allow_null=True, help_text="end collector's cost per tonne delivered")
    transport_co2e_kg = serializers.DictField(
        child=ResultField(),
        required=False,
        read_only=False,
        help_text=(
            "transport CO2e per year, tank_to_wheel and well_to_tank apart (their sum is in the climate change rows)"
        ),
    )


class ResultSerializer(serializers.Serializer):
    indicators = IndicatorSerializer(many=True)
    per_partner = PartnerCostSerializer(many=True, help_text="Each partner's share of the costs, EUR/year")
    cost_views = CostViewsSerializer(
        required=False, help_text="the two cost views side by side (absent on runs of the first basis)"
    )

    def to_representation(self, result):
        return {key: value for key, value in super().to_representation(result).items() if key in result}


class RunDetailOutputSerializer(RunOutputSerializer):
    result = ResultSerializer(allow_null=True, help_text="null until the run is done")


class SnapshotSerializer(serializers.Serializer):
    """Documents the stored input snapshot; the answer is the snapshot exactly as stored, so that its SHA-256
    (keys sorted, no spaces) is the run's inputs_hash."""

    scenario = serializers.DictField(help_text="id, name and version of the scenario")
    study = serializers.DictField(help_text="id, product_mass_kg, units_per_year, product_t, need_t")
    delivered_t = serializers.FloatField()
    partners = serializers.ListField(child=serializers.CharField(), help_text="Partner names, indexed by nodes")
    nodes = serializers.ListField(
        child=serializers.DictField(),
        help_text=(
            "id, facility, role, partner (index), throughput_t, fixed_eur, process_eur_per_t, price_eur_per_t, "
            "stock_days, impacts_per_t [kg CO2e, MJ, m3], impact_origin, processes"
        ),
    )
    routes = serializers.ListField(
        child=serializers.DictField(),
        help_text=("id, origin and destination (node indexes), material, quantity_t, distance_km, mode, backhaul"),
    )
    factors = serializers.DictField(
        child=serializers.DictField(),
        help_text=("code -> value, unit, source, origin (library or study), is_assumption: the factors the run used"),
    )


class AssessmentStatusOutputSerializer(serializers.Serializer):
    stale = serializers.BooleanField(
        help_text="The scenario, its partners' data or a factor changed since the last good result"
    )
    latest = RunOutputSerializer(allow_null=True, help_text="The newest run, whatever its state")
    last_good_run = serializers.IntegerField(
        source="good.pk", allow_null=True, help_text="Id of the newest run that finished"
    )
    current_inputs_hash = serializers.CharField(
        source="current_hash",
        allow_null=True,
        help_text="What a run now would compute from; null when the scenario cannot be assessed",
    )
    problem = serializers.CharField(help_text="Why the scenario cannot be assessed; empty when it can")


# ---------------------------------------------------------------- comparison


class ComparisonRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    phase = serializers.CharField()
    origin = serializers.CharField()
    values = serializers.ListField(child=ResultField(allow_null=True), help_text="One per scenario, in order")


class RadarAxisSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    direction = serializers.CharField(help_text="higher is better or lower is better")


class RadarScenarioSerializer(serializers.Serializer):
    name = serializers.CharField()
    scores = serializers.ListField(child=ResultField(), help_text="0 to 1 per axis; 1 is the best scenario")


class RadarSerializer(serializers.Serializer):
    phase = serializers.CharField(help_text="end_of_life or whole_life")
    axes = RadarAxisSerializer(many=True)
    scenarios = RadarScenarioSerializer(many=True)


class ScenarioMarkerSerializer(serializers.Serializer):
    name = serializers.CharField()
    need_t = serializers.FloatField(allow_null=True, help_text="t/year the scenario answers")
    delivered_t = serializers.FloatField(allow_null=True, help_text="t/year it delivers")
    shortfall_t = serializers.FloatField(help_text="t/year delivered below the need (0 when met)")
    stale = serializers.BooleanField(help_text="The scenario changed since this result")


class ComparisonOutputSerializer(serializers.Serializer):
    scenarios = serializers.ListField(child=serializers.CharField(), help_text="Column names: name and version")
    markers = ScenarioMarkerSerializer(many=True, help_text="Per scenario, in column order: shortfall and staleness")
    indicators = ComparisonRowSerializer(many=True)
    radars = RadarSerializer(many=True)


# ---------------------------------------------------------------- AHP: criteria sets, judgements, rankings


def Matrix(**kwargs) -> serializers.ListField:
    """A square matrix as a list of rows of numbers (its shape is checked by the service)."""
    return serializers.ListField(
        child=serializers.ListField(
            child=FiniteFloatField(
                error_messages={"invalid": "Each judgement is a number, e.g. 3 or 0.333 (not true, false or NaN)."}
            )
        ),
        **kwargs,
    )


class CriteriaSetInputSerializer(InputSerializer):
    """POST body. Whether the kind, the codes and the random-index table are known is checked by the service
    (400 on that field)."""

    name = serializers.CharField(max_length=160)
    kind = serializers.CharField(max_length=10, help_text="scenario (indicator codes) or partner (sheet criteria)")
    criteria = serializers.ListField(
        child=serializers.CharField(max_length=80),
        help_text=(
            "2 to 15 codes in the order of the matrix rows: indicator codes for a scenario set (cost.total_eur, "
            "recycling_rate, end_of_life.*, whole_life.*), sheet criterion codes for a partner set"
        ),
    )
    ri_table = serializers.CharField(
        max_length=20, required=False, help_text="Random-index table for the consistency ratio; saaty by default"
    )


class CriteriaSetLinksSerializer(serializers.Serializer):
    self = serializers.URLField()
    judgement = serializers.URLField()


class CriteriaSetOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    study = serializers.IntegerField(source="study_id")
    name = serializers.CharField()
    kind = serializers.CharField(help_text="scenario or partner")
    criteria = serializers.ListField(child=serializers.CharField(), help_text="In the order of the matrix rows")
    ri_table = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True)
    created_at = serializers.DateTimeField()
    links = serializers.SerializerMethodField()

    @extend_schema_field(CriteriaSetLinksSerializer)
    def get_links(self, criteria_set):
        kwargs = {"id": criteria_set.study_id, "set_id": criteria_set.pk}
        return {
            "self": _link(self.context, "api-study-criteria-set", **kwargs),
            "judgement": _link(self.context, "api-study-criteria-set-judgement", **kwargs),
        }


class RevisionSerializer(serializers.Serializer):
    """The judgement whose change improves the consistency most."""

    row = serializers.IntegerField()
    column = serializers.IntegerField()
    current = ResultField()
    suggested = ResultField()
    cr_after = ResultField(help_text="The consistency ratio with the suggested judgement")


class ConsistencySerializer(serializers.Serializer):
    lambda_max = ResultField()
    ci = ResultField(help_text="Consistency index (lambda_max - n) / (n - 1)")
    cr = ResultField(help_text="Consistency ratio CI / RI")
    ri_table = serializers.CharField()
    acceptable = serializers.BooleanField(help_text="CR at most 0.10")
    revise = RevisionSerializer(allow_null=True, help_text="null when nothing needs revising")


class MemberWeightsSerializer(serializers.Serializer):
    judge = serializers.CharField(help_text="Username")
    updated_at = serializers.DateTimeField()
    weights = serializers.ListField(child=ResultField(), help_text="One per criterion, summing to 1")
    consistency = ConsistencySerializer()


class GroupWeightsSerializer(serializers.Serializer):
    weights = serializers.ListField(child=ResultField(), help_text="One per criterion, summing to 1")
    matrix = Matrix(help_text="The aggregate matrix (AIJ: element-wise geometric mean of the members')")
    consistency = ConsistencySerializer()


class WeightsOutputSerializer(serializers.Serializer):
    criteria = serializers.ListField(child=serializers.CharField())
    labels = serializers.ListField(child=serializers.CharField())
    members = MemberWeightsSerializer(many=True)
    group = GroupWeightsSerializer(allow_null=True, help_text="null until someone has entered a judgement")


class CriteriaSetDetailOutputSerializer(CriteriaSetOutputSerializer):
    weights = WeightsOutputSerializer(help_text="Each member's weights and consistency, and the group's")


class JudgementInputSerializer(InputSerializer):
    """PUT body: the acting member's own matrix, replacing theirs. Its size, positivity and reciprocity are
    checked by the service (400 on matrix)."""

    matrix = Matrix(help_text="n x n pairwise comparisons on Saaty's 1-9 scale: a[i][j] = 1 / a[j][i], a[i][i] = 1")


class RankingInputSerializer(InputSerializer):
    """POST body. The set must be a scenario set of the study with at least one judgement; the scenarios must be
    of the study and have a result (400 on that field otherwise)."""

    criteria_set = serializers.IntegerField(help_text="Id of a scenario criteria set of the study")
    scenarios = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of two or more scenarios, each once"
    )
    accept_stale = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Rank scenarios whose result is stale anyway (logged); otherwise 400 under accept_stale naming them",
    )

    def validate_scenarios(self, ids):
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise serializers.ValidationError(
                f"Name each scenario once; {', '.join(map(str, twice))} {'is' if len(twice) == 1 else 'are'} "
                "named more than once."
            )
        return ids

    mode = serializers.CharField(max_length=20, required=False, help_text="Synthesis: distributive (default) or ideal")
    local_matrices = serializers.DictField(
        child=Matrix(),
        required=False,
        help_text="Criterion code -> an expert's pairwise matrix of the scenarios under it, replacing the local "
        "priorities computed from the results",
    )


class SensitivitySerializer(serializers.Serializer):
    criterion = serializers.CharField()
    delta_up = ResultField(allow_null=True, help_text="How far the weight may rise before the winner changes")
    delta_down = ResultField(allow_null=True, help_text="How far it may fall (negative) before the winner changes")
    overtaken_up_by = serializers.CharField(allow_null=True)
    overtaken_down_by = serializers.CharField(allow_null=True)


class RankingResultSerializer(serializers.Serializer):
    mode = serializers.CharField()
    criteria = serializers.ListField(child=serializers.CharField())
    labels = serializers.ListField(child=serializers.CharField())
    directions = serializers.ListField(child=serializers.CharField(), help_text="higher or lower is better")
    origins = serializers.ListField(
        child=serializers.CharField(), help_text="Per criterion: values (from the results) or judgements (expert)"
    )
    local_consistency = serializers.DictField(
        child=ConsistencySerializer(),
        required=False,
        help_text="Per criterion judged pairwise: the consistency of its matrix of the scenarios (absent in "
        "rankings made before it was stored)",
    )
    local_matrices = serializers.DictField(
        child=Matrix(),
        required=False,
        help_text="Per criterion judged pairwise: the matrix of the scenarios given, in the order of `scenarios`",
    )
    weights = serializers.ListField(child=ResultField(), help_text="The group weights of the criteria")
    markers = ScenarioMarkerSerializer(
        many=True,
        required=False,
        help_text="Per scenario when ranked: shortfall and staleness (absent in rankings made before these were kept)",
    )
    consistency = ConsistencySerializer()
    scenarios = serializers.ListField(child=serializers.CharField(), help_text="Names and versions, in order")
    scenario_ids = serializers.ListField(child=serializers.IntegerField())
    local = serializers.ListField(
        child=serializers.ListField(child=ResultField()), help_text="One row per scenario, one column per criterion"
    )
    final = serializers.ListField(child=ResultField(), help_text="One per scenario, summing to 1")
    winner = serializers.CharField()
    sensitivity = SensitivitySerializer(many=True)


class RankingLinksSerializer(serializers.Serializer):
    self = serializers.URLField()


class RankingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    study = serializers.IntegerField(source="study_id")
    criteria_set = serializers.IntegerField(source="criteria_set_id")
    created_by = serializers.CharField(source="created_by.username", allow_null=True)
    created_at = serializers.DateTimeField()
    result = RankingResultSerializer()
    links = serializers.SerializerMethodField()

    @extend_schema_field(RankingLinksSerializer)
    def get_links(self, ranking):
        return {"self": _link(self.context, "api-study-ranking", id=ranking.study_id, ranking_id=ranking.pk)}


# ---------------------------------------------------------------- AHP: ranking partners for a role


class PartnerCandidatesQuerySerializer(serializers.Serializer):
    """Query of the candidates; whether the role is one that is ranked is the service's business."""

    role = serializers.CharField(max_length=20, help_text="collector, sorter or recoverer")
    material = serializers.SlugField(max_length=40, help_text="Code of the material the candidates take in")


class PartnerCandidateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organization = serializers.SlugField(source="organization.slug")
    organization_name = serializers.CharField(source="organization.name")
    latitude = _decimal(9, 6)
    longitude = _decimal(9, 6)
    capacity_t_per_year = _decimal(12, 2)


class PartnerCandidatesOutputSerializer(serializers.Serializer):
    role = serializers.CharField()
    material = serializers.CharField(help_text="Material code")
    candidates = PartnerCandidateSerializer(
        many=True,
        help_text=(
            "The invited candidates' facilities offering the role and taking the material in, by company then "
            "facility name: the order of the rows of any pairwise matrix of them"
        ),
    )


class PartnerRankingInputSerializer(InputSerializer):
    """POST body. The set must be a partner set of the study with at least one judgement, the role one of the
    ranked ones and at least 2 candidates must qualify (400 on that field otherwise)."""

    criteria_set = serializers.IntegerField(help_text="Id of a partner criteria set of the study")
    role = serializers.CharField(max_length=20, help_text="collector, sorter or recoverer")
    material = serializers.SlugField(max_length=40, help_text="Code of the material the candidates take in")
    mode = serializers.CharField(max_length=20, required=False, help_text="Synthesis: distributive (default) or ideal")
    local_matrices = serializers.DictField(
        child=Matrix(),
        required=False,
        help_text="Criterion code -> the user's pairwise matrix of the candidates (in the order of "
        "partner-candidates) under it, replacing the scores from their sheet values",
    )


class PartnerRankingCandidateSerializer(serializers.Serializer):
    facility_id = serializers.IntegerField()
    facility = serializers.CharField(help_text="Facility name")
    organization = serializers.CharField(help_text="Company name")
    label = serializers.CharField(help_text="Facility (company)")
    values = serializers.ListField(
        child=ResultField(allow_null=True), help_text="Sheet value per criterion, in its unit; null when missing"
    )
    local = serializers.ListField(child=ResultField(), help_text="Local priority per criterion")
    score = ResultField(help_text="Final score; the scores sum to 1")
    rank = serializers.IntegerField(help_text="1 is the best; equal scores share a rank (1, 2, 2, 4)")


class PartnerRankingResultSerializer(serializers.Serializer):
    role = NodeRoleField()
    material = serializers.CharField(help_text="Material code")
    mode = serializers.CharField()
    criteria = serializers.ListField(child=serializers.CharField())
    labels = serializers.ListField(child=serializers.CharField())
    units = serializers.ListField(child=serializers.CharField())
    directions = serializers.ListField(child=serializers.CharField(), help_text="higher or lower is better")
    origins = serializers.ListField(
        child=serializers.CharField(), help_text="Per criterion: values (from the sheets) or judgements (pairwise)"
    )
    local_consistency = serializers.DictField(
        child=ConsistencySerializer(), help_text="Criterion code -> consistency of its pairwise matrix"
    )
    weights = serializers.ListField(child=ResultField(), help_text="The group weights of the criteria")
    consistency = ConsistencySerializer()
    candidates = PartnerRankingCandidateSerializer(many=True, help_text="In the order of the matrices' rows")
    order = serializers.ListField(child=serializers.IntegerField(), help_text="Facility ids, best first")
    winner = PartnerRankingCandidateSerializer()
    sensitivity = SensitivitySerializer(many=True)


class PartnerRankingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    study = serializers.IntegerField(source="study_id")
    criteria_set = serializers.IntegerField(source="criteria_set_id")
    role = NodeRoleField()
    material = serializers.CharField(source="material.code")
    mode = serializers.CharField()
    status = PartnerRankingStatusField()
    progress_done = serializers.IntegerField()
    progress_total = serializers.IntegerField()
    progress_percent = serializers.IntegerField(help_text="0 to 100")
    error = serializers.CharField(help_text="Why the ranking failed; empty otherwise")
    winner = serializers.CharField(
        source="result.winner.label", allow_null=True, help_text="The best-ranked candidate; null until done"
    )
    created_by = serializers.CharField(source="created_by.username", allow_null=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    links = serializers.SerializerMethodField()

    @extend_schema_field(RankingLinksSerializer)
    def get_links(self, ranking):
        return {"self": _link(self.context, "api-study-partner-ranking", id=ranking.study_id, ranking_id=ranking.pk)}


class PartnerRankingDetailOutputSerializer(PartnerRankingOutputSerializer):
    candidate_ids = serializers.ListField(
        child=serializers.IntegerField(), help_text="Facility ids in the order of the matrices' rows"
    )
    local_matrices = serializers.DictField(child=Matrix(), help_text="The pairwise judgements given, per criterion")
    result = PartnerRankingResultSerializer(allow_null=True, help_text="null until the ranking is done")


# ---------------------------------------------------------------- building a scenario step by step


def DirectionField(**kwargs) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=list(DIRECTIONS.items()), **kwargs)


class BuilderQuerySerializer(serializers.Serializer):
    direction = DirectionField(required=False, default="backwards")
    role = NodeRoleField(required=False, help_text="The role to list options for; the next role by default")
    ranking = serializers.IntegerField(
        required=False, help_text="Id of a partner ranking of the study, to order the options"
    )


class BuilderNodeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = NodeRoleField()
    facility = serializers.IntegerField(source="facility_id")
    facility_name = serializers.CharField(source="facility.name")
    organization = serializers.SlugField(source="facility.organization.slug")
    organization_name = serializers.CharField(source="facility.organization.name")
    recommended_in_t = FigureField(source="flow.recommended_in_t", help_text="t/year it must receive")
    recommended_out_t = FigureField(source="flow.recommended_out_t", help_text="t/year it must deliver")


class BuilderRouteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    origin = serializers.IntegerField(source="origin_id")
    destination = serializers.IntegerField(source="destination_id")
    label = serializers.CharField(source="__str__")
    material = serializers.CharField(source="material.code")
    mode = serializers.ChoiceField(choices=TransportMode.choices)
    distance_km = _decimal(9, 2)
    recommended_t = FigureField(source="flow.recommended_t", help_text="t/year recommended by the need")


class BuilderOptionSerializer(serializers.Serializer):
    facility = serializers.IntegerField(source="facility.pk")
    label = serializers.CharField(help_text="Facility (company)")
    rank = serializers.IntegerField(allow_null=True, help_text="In the ranking; null when unranked or none given")
    score = ResultField(allow_null=True)
    top = serializers.BooleanField(help_text="The best-ranked one not yet in the network in this role")
    in_network = serializers.BooleanField(help_text="Already a node in this role")


BUILDER_LOGGED = ("direction", "role", "facility", "ranking", "rank", "top_ranked", "reason", "routes")


class BuilderChoiceSerializer(serializers.Serializer):
    """One step of the builder as logged (`scenario.builder.step`)."""

    id = serializers.IntegerField(help_text="Id of the log entry")
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True)
    node = serializers.IntegerField(help_text="Id of the node the step added")
    direction = serializers.CharField()
    role = serializers.CharField()
    facility = serializers.CharField(help_text="Facility (company)")
    ranking = serializers.IntegerField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True, help_text="The chosen one's rank in that ranking")
    top_ranked = serializers.CharField(allow_null=True, help_text="The top-ranked candidate at the time")
    reason = serializers.CharField(allow_null=True, help_text="Why another than the top-ranked one")
    routes = serializers.ListField(child=serializers.CharField(), help_text="The routes the step drew")

    def to_representation(self, entry):
        new = {key: pair[1] for key, pair in entry.changes.items() if isinstance(pair, list) and len(pair) == 2}
        row = {key: new.get(key) for key in BUILDER_LOGGED}
        row["routes"] = row["routes"] or []
        return super().to_representation(
            {
                **row,
                "id": entry.pk,
                "at": entry.at,
                "node": int(entry.target_id),
                "actor": entry.actor.get_username() if entry.actor else None,
            }
        )


class BuilderStateOutputSerializer(serializers.Serializer):
    direction = DirectionField()
    next_role = NodeRoleField(allow_null=True, help_text="The next role without a node; null when all have one")
    complete = serializers.BooleanField(
        help_text="Collectors exist, bring material to the end collector with every "
        "node joined, and meet the need within every capacity and mass "
        "balance"
    )
    problems = serializers.ListField(child=serializers.CharField(), help_text="What is missing for it to be complete")
    need_t = FigureField(help_text="t/year the end collector needs")
    delivered_t = FigureField(help_text="t/year the routes deliver to the end collector")
    nodes = BuilderNodeSerializer(many=True)
    routes = BuilderRouteSerializer(many=True)
    choices = BuilderChoiceSerializer(many=True, help_text="The builder's steps, oldest first")
    role = NodeRoleField(allow_null=True, help_text="The role of the options")
    ranking = serializers.IntegerField(allow_null=True, help_text="The partner ranking ordering the options")
    options = BuilderOptionSerializer(many=True, help_text="Facilities that can take the role, best-ranked first")


class BuilderStepInputSerializer(InputSerializer):
    """POST body: one step. Facility and ranking are resolved among those of the study (400 on the field)."""

    direction = DirectionField()
    role = NodeRoleField()
    facility = serializers.IntegerField(help_text="Id of a facility of the end collector or an invited partner")
    ranking = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of a done partner ranking of the study for this role"
    )
    reason = serializers.CharField(
        max_length=1000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required when the facility is not the ranking's top one",
    )
    connect = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        allow_empty=True,
        help_text="Ids of the nodes to join; omitted: the default joins",
    )
    mode = serializers.ChoiceField(choices=TransportMode.choices, required=False, help_text="Of the new routes")
    material = serializers.SlugField(
        max_length=40, required=False, help_text="Material code of the new routes; omitted: chosen per route"
    )
    yield_ratio = serializer_field(
        Node,
        "yield_ratio",
        required=False,
        allow_null=True,
        help_text="Output / input of the node, above 0 and at most 1; omitted or null: "
        "the facility's activity yield (needed when it declares none)",
    )


class BuilderStepOutputSerializer(serializers.Serializer):
    node = serializers.IntegerField(help_text="Id of the node added")
    routes = BuilderRouteSerializer(many=True, help_text="The routes drawn")
    state = BuilderStateOutputSerializer()


# ---------------------------------------------------------------- optimisation


class OptimisationStatusField(serializers.ChoiceField):
    """An optimisation's state: its own enum component, for the reason given in RunStatusField."""

    def __init__(self, **kwargs):
        super().__init__(choices=OptimisationRun.Status.choices, **kwargs)


class OptimisationStatusFieldExtension(OpenApiSerializerFieldExtension):
    target_class = OptimisationStatusField

    def map_serializer_field(self, auto_schema, direction):
        return _enum_ref(auto_schema, "OptimisationStatusEnum", OptimisationRun.Status.choices)


def _finite(value) -> bool:
    """Whether every number in a JSON value is finite (1e999 parses as infinity)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


class PerRoleCountSerializer(InputSerializer):
    collector = serializers.IntegerField(required=False, min_value=0)
    sorter = serializers.IntegerField(required=False, min_value=0)
    recoverer = serializers.IntegerField(required=False, min_value=0)


class PerRoleShareSerializer(InputSerializer):
    collector = serializers.FloatField(required=False, help_text="Above 0, at most 1")
    sorter = serializers.FloatField(required=False, help_text="Above 0, at most 1")
    recoverer = serializers.FloatField(required=False, help_text="Above 0, at most 1")


class OptimisationConstraintsSerializer(InputSerializer):
    """Documents the side constraints; the service checks them (an unknown key, candidate or role, or a figure out
    of range is a 400 naming the constraint)."""

    keep_open = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Candidate keys (role:facility id, see optimisation-candidates) that must be used",
    )
    keep_closed = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Candidate keys that must not be used (never the end collector's)",
    )
    min_partners = PerRoleCountSerializer(required=False, help_text="Role -> at least this many candidates used")
    max_partners = PerRoleCountSerializer(required=False, help_text="Role -> at most this many candidates used")
    max_share = PerRoleShareSerializer(
        required=False, help_text="Role -> at most this share of the role's throughput in one site"
    )
    max_distance_km = serializers.FloatField(required=False, help_text="No arc longer than this (above 0)")
    recycled_share = serializers.FloatField(
        required=False, help_text="At least this share of the product's mass delivered (above 0, at most 1)"
    )


@extend_schema_field(OptimisationConstraintsSerializer)
class ConstraintsField(serializers.JSONField):
    """The side constraints as given: the service refuses unknown keys rather than dropping them, so they reach it
    untouched; only numbers that are not finite are refused here."""

    default_error_messages = {"not_finite": "Numbers must be finite."}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if not _finite(value):
            self.fail("not_finite")
        return value


class OptimisationInputSerializer(InputSerializer):
    """POST body; every field may be left out. Ranges and constraints are checked by the service (400 on the field:
    carbon_price_eur_per_kg, pareto_points, or the constraint concerned, e.g. keep_open)."""

    objective = serializers.ChoiceField(
        choices=OptimisationRun.Objective.choices,
        required=False,
        help_text="cost (default), co2e or weighted (cost + carbon price x CO2e)",
    )
    carbon_price_eur_per_kg = FiniteFloatField(
        required=False,
        min_value=0,
        max_value=CARBON_PRICE_MAX_EUR_PER_KG,
        error_messages={
            "min_value": "The carbon price is 0 or more EUR per kg CO2e.",
            "max_value": "The carbon price is at most 100 EUR per kg CO2e (100,000 EUR per tonne).",
            "invalid": "The carbon price is a number of EUR per kg CO2e.",
        },
        help_text="EUR per kg CO2e, 0 to 100; above 0 for the weighted objective (0.1 = 100 EUR per tonne)",
    )
    constraints = ConstraintsField(required=False, allow_null=True)
    pareto_points = serializers.IntegerField(
        required=False, help_text="Points of the cost-CO2e front to compute: 0 (default, none) or 2 to 30"
    )


class OptimisationCandidatesLinksSerializer(serializers.Serializer):
    optimisations = serializers.URLField()


# Built with type(): one of its fields is named `yield`, a Python keyword, like the key of the stored inputs.
OptimisationCandidateSerializer = type(
    "OptimisationCandidateSerializer",
    (serializers.Serializer,),
    {
        "__doc__": "A facility in one role, as the optimiser models it.",
        "__module__": __name__,
        "key": serializers.CharField(help_text="role:facility id; the name side constraints use"),
        "facility_id": serializers.IntegerField(),
        "facility": serializers.CharField(help_text="Facility name"),
        "organization": serializers.CharField(help_text="Company name"),
        "role": NodeRoleField(),
        "latitude": ResultField(),
        "longitude": ResultField(),
        "capacity_t": ResultField(help_text="t/year taken in at most (a collector collects up to it)"),
        "fixed_eur": ResultField(help_text="EUR/year when used"),
        "yield": ResultField(help_text="Output / input"),
        "cost_eur_per_t": ResultField(help_text="Per tonne taken in: processing, the sheet's price x yield, stock"),
        "co2e_kg_per_t": ResultField(help_text="Per tonne taken in: declared, else the library's process defaults"),
        "energy_mj_per_t": ResultField(),
        "water_m3_per_t": ResultField(),
    },
)


class OptimisationCandidatesOutputSerializer(serializers.Serializer):
    study = serializers.IntegerField()
    need_t = ResultField(help_text="t/year the end collector must receive")
    product_t = ResultField(help_text="t/year of product, the basis of recycled_share")
    candidates = OptimisationCandidateSerializer(many=True)
    arcs = serializers.IntegerField(help_text="How many arcs join the candidates (downstream, accepted material)")
    left_out = serializers.ListField(child=serializers.CharField(), help_text="Facilities not modelled, and why")
    links = serializers.SerializerMethodField()

    @extend_schema_field(OptimisationCandidatesLinksSerializer)
    def get_links(self, data):
        return {"optimisations": _link(self.context, "api-study-optimisations", id=data["study"])}


def _rows(inputs: dict) -> dict:
    return {row["key"]: row for row in inputs.get("facilities", ())}


def _named_open(solution: dict, rows: dict) -> list[dict]:
    """The used candidates of a stored solution with their facility, company and role."""
    names = ("facility_id", "facility", "organization", "role")
    return [{**used, **{name: rows[used["key"]][name] for name in names}} for used in solution.get("open", ())]


def _named_flows(solution: dict, inputs: dict, rows: dict) -> list[dict]:
    """The flows of a stored solution (arc index, tonnes) with the arc's ends, material, mode and distance."""
    named = []
    for index, flow_t in solution.get("flows", ()):
        arc = inputs["arcs"][index]
        named.append(
            {
                "arc": index,
                "origin": arc["origin"],
                "origin_facility": rows[arc["origin"]]["facility"],
                "destination": arc["destination"],
                "destination_facility": rows[arc["destination"]]["facility"],
                "material": arc["material"],
                "mode": arc["mode"],
                "distance_km": arc["distance_km"],
                "flow_t": flow_t,
            }
        )
    return named


class ModelSizeSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    columns = serializers.IntegerField()
    integers = serializers.IntegerField()
    nonzeros = serializers.IntegerField()


class OptimisationOpenSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="role:facility id")
    facility_id = serializers.IntegerField()
    facility = serializers.CharField(help_text="Facility name")
    organization = serializers.CharField(help_text="Company name")
    role = NodeRoleField()
    processed_t = ResultField(help_text="t/year taken in")
    capacity_t = ResultField(allow_null=True)


class OptimisationFlowSerializer(serializers.Serializer):
    arc = serializers.IntegerField(help_text="Index of the arc in the run's inputs")
    origin = serializers.CharField(help_text="Candidate key")
    origin_facility = serializers.CharField()
    destination = serializers.CharField(help_text="Candidate key")
    destination_facility = serializers.CharField()
    material = serializers.CharField(help_text="Material code")
    mode = serializers.ChoiceField(choices=TransportMode.choices)
    distance_km = ResultField()
    flow_t = ResultField(help_text="t/year carried")


class OptimisationSolutionSerializer(serializers.Serializer):
    """The solution found. The network's figures are null when none was found (status infeasible, unbounded,
    no_solution or error): the explanation says why."""

    status = serializers.CharField(
        help_text="optimal, feasible (limit reached), infeasible, unbounded, no_solution or error"
    )
    message = serializers.CharField()
    objective = serializers.CharField(help_text="What was minimised")
    weights = serializers.ListField(child=ResultField(), help_text="Weights of cost (EUR) and CO2e (kg)")
    explanation = serializers.ListField(child=serializers.CharField(), help_text="Why no network, when none")
    gap = ResultField(allow_null=True, help_text="Relative MIP gap; null when unknown")
    solve_time_s = ResultField()
    model_size = ModelSizeSerializer(allow_null=True)
    total_cost_eur = ResultField(allow_null=True, help_text="EUR/year")
    costs_eur = serializers.DictField(child=ResultField(), allow_null=True, help_text="Part -> EUR/year")
    co2e_kg = ResultField(allow_null=True, help_text="kg CO2e/year at end of life (transport and processes)")
    co2e_kg_by_source = serializers.DictField(
        child=ResultField(), allow_null=True, help_text="transport, processes -> kg CO2e/year"
    )
    energy_mj = ResultField(allow_null=True)
    water_m3 = ResultField(allow_null=True)
    open = OptimisationOpenSerializer(many=True, help_text="The candidates used")
    flows = OptimisationFlowSerializer(many=True, help_text="The arcs carrying material")


def named_solution(solution: dict, inputs: dict) -> dict:
    rows = _rows(inputs)
    return {**solution, "open": _named_open(solution, rows), "flows": _named_flows(solution, inputs, rows)}


class OptimisationResultSerializer(serializers.Serializer):
    solution = OptimisationSolutionSerializer()
    front_points = serializers.IntegerField(help_text="Points of the cost-CO2e front found; see links.pareto")


class OptimisationSummarySerializer(serializers.Serializer):
    status = serializers.CharField(help_text="The solution's status: optimal, feasible, infeasible...")
    message = serializers.CharField()
    total_cost_eur = ResultField(allow_null=True)
    co2e_kg = ResultField(allow_null=True)
    open = serializers.IntegerField(help_text="How many candidates are used")
    front_points = serializers.IntegerField()


class OptimisationLinksSerializer(serializers.Serializer):
    self = serializers.URLField()
    pareto = serializers.URLField()
    scenarios = serializers.URLField(help_text="POST here to make a draft scenario of the solution or a point")


class OptimisationRunOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    study = serializers.IntegerField(source="study_id")
    objective = serializers.ChoiceField(choices=OptimisationRun.Objective.choices)
    carbon_price_eur_per_kg = ResultField()
    constraints = ConstraintsField(help_text="The side constraints, as checked")
    pareto_points = serializers.IntegerField()
    status = OptimisationStatusField()
    progress_done = serializers.IntegerField()
    progress_total = serializers.IntegerField()
    progress_percent = serializers.IntegerField(help_text="0 to 100")
    error = serializers.CharField(help_text="Why the run failed; empty otherwise")
    summary = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", allow_null=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    links = serializers.SerializerMethodField()

    @extend_schema_field(OptimisationSummarySerializer(allow_null=True, help_text="null until done"))
    def get_summary(self, run):
        if not run.result:
            return None
        solution = run.result["solution"]
        return OptimisationSummarySerializer(
            {
                **solution,
                "total_cost_eur": solution.get("total_cost_eur"),
                "co2e_kg": solution.get("co2e_kg"),
                "open": len(solution.get("open", ())),
                "front_points": len(run.result.get("pareto") or ()),
            }
        ).data

    @extend_schema_field(OptimisationLinksSerializer)
    def get_links(self, run):
        kwargs = {"id": run.study_id, "run_id": run.pk}
        return {
            "self": _link(self.context, "api-study-optimisation", **kwargs),
            "pareto": _link(self.context, "api-study-optimisation-pareto", **kwargs),
            "scenarios": _link(self.context, "api-study-optimisation-scenarios", **kwargs),
        }


class OptimisationRunDetailOutputSerializer(OptimisationRunOutputSerializer):
    result = serializers.SerializerMethodField()

    @extend_schema_field(OptimisationResultSerializer(allow_null=True, help_text="null until done"))
    def get_result(self, run):
        if not run.result:
            return None
        return OptimisationResultSerializer(
            {
                "solution": named_solution(run.result["solution"], run.inputs),
                "front_points": len(run.result.get("pareto") or ()),
            }
        ).data


class TradeoffPointSerializer(serializers.Serializer):
    point = serializers.IntegerField(help_text='Its index: POST {"point": index} to the run\'s scenarios')
    cost_eur = ResultField(help_text="Total cost, EUR/year")
    co2e_kg = ResultField(help_text="kg CO2e/year at end of life")
    open = OptimisationOpenSerializer(many=True, help_text="The candidates the point uses")


class TradeoffOptimumSerializer(serializers.Serializer):
    cost_eur = ResultField()
    co2e_kg = ResultField()


class TradeoffScenarioSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="Name and version")
    status = serializers.CharField(help_text="The scenario's workflow state")
    stale = serializers.BooleanField(help_text="Its last good result is older than its inputs")
    cost_eur = ResultField()
    co2e_kg = ResultField()


class OptimisationTradeoffOutputSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    status = OptimisationStatusField()
    solution = TradeoffOptimumSerializer(allow_null=True, help_text="The run's own solution; null without a network")
    front = TradeoffPointSerializer(many=True, help_text="Least CO2e first; empty until done or without a front")
    scenarios = TradeoffScenarioSerializer(
        many=True, help_text="The study's assessed scenarios, from their last good result"
    )


class OptimisationScenarioInputSerializer(InputSerializer):
    """POST body. Whether the point exists is the service's business (400 on point)."""

    point = serializers.IntegerField(
        required=False, allow_null=True, help_text="Index of a point of the front; omitted or null: the run's solution"
    )
