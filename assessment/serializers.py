"""Serializers of the assessment API: input serializers check types, output serializers render. No business logic.

A run's result and its input snapshot are stored as JSON (assessment.inputs); the output serializers below document
and render them. Whether a factor code is known, its unit right and its value in range is the services' business
(ApplicationError keyed by field); a comparison's columns come from assessment.selectors and assessment.compare.
"""

from django.urls import reverse
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from scenarios.serializers import FigureField

from .models import AssessmentRun


def ResultField(**kwargs) -> FigureField:
    """A computed figure rendered as it was stored (no rounding: per-unit figures are small); not finite renders
    as null."""
    return FigureField(places=None, **kwargs)


class RunStatusField(serializers.ChoiceField):
    """A run's state. Documented as its own enum component: "status" already names the scenarios' workflow
    states, and two choice sets under one property name would make drf-spectacular warn."""

    def __init__(self, **kwargs):
        super().__init__(choices=AssessmentRun.Status.choices, **kwargs)


class RunStatusFieldExtension(OpenApiSerializerFieldExtension):
    target_class = RunStatusField

    def map_serializer_field(self, auto_schema, direction):
        choices = AssessmentRun.Status.choices
        component = ResolvedComponent(
            name="AssessmentStatusEnum", type=ResolvedComponent.SCHEMA, object="AssessmentStatusEnum",
            schema={"type": "string", "enum": [value for value, _ in choices],
                    "description": "\n".join(f"* `{value}` - {label}" for value, label in choices)},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


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


class FactorOverrideInputSerializer(serializers.Serializer):
    """POST body. Setting a code the study already overrides replaces its figure."""

    code = serializers.CharField(max_length=80, help_text="A factor code of the library, e.g. transport.cost.road")
    value = serializers.FloatField(help_text="0 or more, in the code's unit (a share at most 1)")
    unit = serializers.CharField(max_length=30, allow_blank=True,
                                 help_text="The code's unit exactly as the library gives it, e.g. EUR/tkm")
    source = serializers.CharField(max_length=300, help_text="Where the figure comes from (required)")


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
        return {"self": _link(self.context, "api-scenario-assessment", **kwargs),
                "inputs": _link(self.context, "api-scenario-assessment-inputs", **kwargs)}


class IndicatorSerializer(serializers.Serializer):
    """One indicator of a result. LCA rows (origin "LCA factors") also carry the per-unit figure and the
    comparison with the all-primary baseline."""

    code = serializers.CharField(help_text="e.g. cost.transport_eur, recycling_rate, whole_life.fresh_water_m3")
    label = serializers.CharField()
    value = ResultField(allow_null=True)
    unit = serializers.CharField()
    phase = serializers.CharField(help_text="end_of_life or whole_life")
    origin = serializers.CharField(help_text="logistics model or LCA factors")
    per_unit = ResultField(required=False, allow_null=True, help_text="The value per product unit")
    per_unit_unit = serializers.CharField(required=False)
    baseline = ResultField(required=False, allow_null=True,
                           help_text="The same product made of primary material only")
    difference = ResultField(required=False, allow_null=True, help_text="value - baseline")
    difference_pct = ResultField(required=False, allow_null=True,
                                 help_text="100 x difference / baseline; null when the baseline is 0")

    def to_representation(self, row):
        """The figures a row has: the LCA-only ones are left out of the other rows rather than null."""
        return {key: value for key, value in super().to_representation(row).items() if key in row}


class PartnerCostSerializer(serializers.Serializer):
    partner = serializers.CharField()
    transport_eur = ResultField()
    facilities_eur = ResultField()
    purchasing_eur = ResultField()
    activities_eur = ResultField()
    stock_eur = ResultField()
    total_eur = ResultField()


class ResultSerializer(serializers.Serializer):
    indicators = IndicatorSerializer(many=True)
    per_partner = PartnerCostSerializer(many=True, help_text="Each partner's share of the costs, EUR/year")


class RunDetailOutputSerializer(RunOutputSerializer):
    result = ResultSerializer(allow_null=True, help_text="null until the run is done")


class SnapshotSerializer(serializers.Serializer):
    """Documents the stored input snapshot; the answer is the snapshot exactly as stored, so that its SHA-256
    (keys sorted, no spaces) is the run's inputs_hash."""

    scenario = serializers.DictField(help_text="id, name and version of the scenario")
    study = serializers.DictField(help_text="id, product_mass_kg, units_per_year, product_t, need_t")
    delivered_t = serializers.FloatField()
    partners = serializers.ListField(child=serializers.CharField(), help_text="Partner names, indexed by nodes")
    nodes = serializers.ListField(child=serializers.DictField(), help_text=(
        "id, facility, role, partner (index), throughput_t, fixed_eur, process_eur_per_t, price_eur_per_t, "
        "stock_days, impacts_per_t [kg CO2e, MJ, m3], impact_origin, processes"))
    routes = serializers.ListField(child=serializers.DictField(), help_text=(
        "id, origin and destination (node indexes), material, quantity_t, distance_km, mode, backhaul"))
    factors = serializers.DictField(child=serializers.DictField(), help_text=(
        "code -> value, unit, source, origin (library or study), is_assumption: the factors the run used"))


class AssessmentStatusOutputSerializer(serializers.Serializer):
    stale = serializers.BooleanField(help_text="The scenario, its partners' data or a factor changed since the "
                                               "last good result")
    latest = RunOutputSerializer(allow_null=True, help_text="The newest run, whatever its state")
    last_good_run = serializers.IntegerField(source="good.pk", allow_null=True,
                                             help_text="Id of the newest run that finished")
    current_inputs_hash = serializers.CharField(source="current_hash", allow_null=True,
                                                help_text="What a run now would compute from; null when the "
                                                          "scenario cannot be assessed")
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


class ComparisonOutputSerializer(serializers.Serializer):
    scenarios = serializers.ListField(child=serializers.CharField(), help_text="Column names: name and version")
    indicators = ComparisonRowSerializer(many=True)
    radars = RadarSerializer(many=True)


# ---------------------------------------------------------------- AHP: criteria sets, judgements, rankings

def Matrix(**kwargs) -> serializers.ListField:
    """A square matrix as a list of rows of numbers (its shape is checked by the service)."""
    return serializers.ListField(child=serializers.ListField(child=serializers.FloatField()), **kwargs)


class CriteriaSetInputSerializer(serializers.Serializer):
    """POST body. Whether the kind, the codes and the random-index table are known is checked by the service
    (400 on that field)."""

    name = serializers.CharField(max_length=160)
    kind = serializers.CharField(max_length=10, help_text="scenario (indicator codes) or partner (sheet criteria)")
    criteria = serializers.ListField(child=serializers.CharField(max_length=80), help_text=(
        "2 to 15 codes in the order of the matrix rows: indicator codes for a scenario set (cost.total_eur, "
        "recycling_rate, end_of_life.*, whole_life.*), sheet criterion codes for a partner set"))
    ri_table = serializers.CharField(max_length=20, required=False,
                                     help_text="Random-index table for the consistency ratio; saaty by default")


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
        return {"self": _link(self.context, "api-study-criteria-set", **kwargs),
                "judgement": _link(self.context, "api-study-criteria-set-judgement", **kwargs)}


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


class JudgementInputSerializer(serializers.Serializer):
    """PUT body: the acting member's own matrix, replacing theirs. Its size, positivity and reciprocity are
    checked by the service (400 on matrix)."""

    matrix = Matrix(help_text="n x n pairwise comparisons on Saaty's 1-9 scale: a[i][j] = 1 / a[j][i], a[i][i] = 1")


class RankingInputSerializer(serializers.Serializer):
    """POST body. The set must be a scenario set of the study with at least one judgement; the scenarios must be
    of the study and have a result (400 on that field otherwise)."""

    criteria_set = serializers.IntegerField(help_text="Id of a scenario criteria set of the study")
    scenarios = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of two or more scenarios")
    mode = serializers.CharField(max_length=20, required=False,
                                 help_text="Synthesis: distributive (default) or ideal")
    local_matrices = serializers.DictField(
        child=Matrix(), required=False,
        help_text="Criterion code -> an expert's pairwise matrix of the scenarios under it, replacing the local "
                  "priorities computed from the results")


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
    origins = serializers.ListField(child=serializers.CharField(),
                                    help_text="Per criterion: values (from the results) or judgements (expert)")
    weights = serializers.ListField(child=ResultField(), help_text="The group weights of the criteria")
    consistency = ConsistencySerializer()
    scenarios = serializers.ListField(child=serializers.CharField(), help_text="Names and versions, in order")
    scenario_ids = serializers.ListField(child=serializers.IntegerField())
    local = serializers.ListField(child=serializers.ListField(child=ResultField()),
                                  help_text="One row per scenario, one column per criterion")
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
