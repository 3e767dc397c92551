"""Version 1 of the assessment REST API: runs of a scenario and their state, results and input snapshots; the factor
libraries; a study's factor overrides; the comparison of assessed scenarios as JSON or CSV; AHP: criteria sets,
members' judgements with the group's weights, rankings of scenarios and of candidate partners for a role (heavy
ones computed by a worker, with progress); building a scenario step by step (`assessment.builder`); and optimising
a study's network (`assessment.optimisation`): its candidates, runs solved by a worker, their cost-CO2e front, and
a draft scenario of a solution.

Same rules as the scenarios API, whose base classes these views reuse: the scope is resolved once from the URL
(404 to whoever may not see it), runs, overrides and comparisons are for the members of the study's end
collector (an invited partner reads the study, nothing of this), editors and admins ask for runs and change
overrides, readers get 403 and non-members 404 before a body is read. Factor libraries are reference data every
signed-in user reads. The services check again and log; errors become JSON answers in `partners.api_errors`.
"""

from django.http import Http404
from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from partners import selectors as partner_selectors
from partners.api import ApiView, Create, Destroy, JSONErrors, List
from scenarios import selectors as scenario_selectors
from scenarios import serializers as scenario_serializers
from scenarios.api import ScenarioFlows, ScenarioScope, ScenariosSchema, ScopedView, Show, StudyScope, _one
from scenarios.models import Scenario, Study

from . import builder, compare, decisions, optimisation, selectors, services
from . import serializers as s
from .models import AssessmentRun, CriteriaSet, Factor, FactorOverride, OptimisationRun, PartnerRanking, Ranking

# ---------------------------------------------------------------- runs


class RunsView(ScenarioScope, ScopedView):
    model = AssessmentRun
    tag = "assessments"


class AssessmentList(List, RunsView):
    """The assessment runs of a scenario, newest first; editors and admins ask for a new one (no body). The run
    snapshots the scenario's inputs now and is computed by a worker: follow its `links.self` until its status is
    done or failed. A network that does not bring material to the end collector is refused (400), naming the
    nodes that are not connected."""

    serializer_class = s.RunOutputSerializer
    created = True

    def scoped_queryset(self):
        return selectors.run_list(user=self.request.user, scenario=self.scenario)

    def post(self, request, *args, **kwargs):
        self.refuse_body()
        run = services.assessment_request(user=request.user, scenario=self.scenario)
        run.refresh_from_db()  # a worker running in-process may have finished it already
        return self.render(run, status.HTTP_201_CREATED)


@extend_schema(exclude=True)
class AssessmentListSlash(AssessmentList):
    """The same with a trailing slash (the documented path has none)."""


class AssessmentStatus(RunsView):
    """Whether the scenario's last good result is stale (the scenario, its partners' data or a factor changed
    since), its newest run, and why it cannot be assessed if it cannot."""

    serializer_class = s.AssessmentStatusOutputSerializer

    def get(self, request, *args, **kwargs):
        return self.render(selectors.assessment_status(user=request.user, scenario=self.scenario))


class AssessmentDetail(Show, RunsView):
    """A run: its state, the error of a failed run, and the result of a finished one (indicators with their unit,
    phase and origin; each partner's costs)."""

    serializer_class = s.RunDetailOutputSerializer

    def get_object(self):
        return selectors.run_get(user=self.request.user, scenario=self.scenario, pk=self.kwargs["run_id"])


class AssessmentInputs(RunsView):
    """The input snapshot a run computes from, exactly as stored: its SHA-256 (keys sorted, no spaces) is the
    run's inputs_hash, and computing it again gives the same result."""

    serializer_class = s.SnapshotSerializer

    def get(self, request, *args, **kwargs):
        run = selectors.run_get(user=request.user, scenario=self.scenario, pk=self.kwargs["run_id"])
        return Response(run.inputs)


# ---------------------------------------------------------------- factor libraries


class FactorLibraryList(List, ApiView):
    """The factor libraries (reference data, for every signed-in user); runs use the default one."""

    serializer_class = s.FactorLibraryOutputSerializer
    schema = ScenariosSchema()
    tag = "factors"

    def get_queryset(self):
        return selectors.library_list(user=self.request.user).order_by("-is_default", "name")


class FactorLibraryFactors(List, ApiView):
    """The factors of a library with their unit, region, year and source; assumptions are flagged."""

    serializer_class = s.FactorOutputSerializer
    schema = ScenariosSchema()
    tag = "factors"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Factor.objects.none()
        library = _one(selectors.library_list(user=self.request.user), pk=self.kwargs["id"])
        if library is None:
            raise Http404("No such factor library.")
        return selectors.factor_list(user=self.request.user, library=library)


# ---------------------------------------------------------------- a study's overrides


class StudyFactorList(List, Create, StudyScope, ScopedView):
    """The study's own figures, which replace the library's in every run of the study (members of the end
    collector). Editors and admins set one: a code the study already overrides gets the new figure. An unknown
    code, a unit other than the code's, or a negative value is refused (400 on that field)."""

    serializer_class = s.FactorOverrideOutputSerializer
    input_serializers = {"POST": s.FactorOverrideInputSerializer}
    model = FactorOverride
    tag = "factors"

    def scoped_queryset(self):
        return selectors.override_list(user=self.request.user, study=self.study)

    def perform_create(self, data):
        return services.factor_override_set(user=self.request.user, study=self.study, **data)


class StudyFactorDetail(Show, Destroy, StudyScope, ScopedView):
    """One of the study's overrides; deleting it returns the code to the library's figure."""

    serializer_class = s.FactorOverrideOutputSerializer
    model = FactorOverride
    tag = "factors"

    def get_object(self):
        override = _one(
            selectors.override_list(user=self.request.user, study=self.study), pk=self.kwargs["override_id"]
        )
        if override is None:
            raise Http404("No such factor override.")
        return override

    def perform_destroy(self, override):
        services.factor_override_delete(user=self.request.user, override=override)


# ---------------------------------------------------------------- comparison


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data.encode(self.charset) if isinstance(data, str) else b""


def _ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise exceptions.ValidationError({"scenarios": ["Give scenario ids separated by commas, e.g. 3,4."]}) from None


class StudyComparison(JSONErrors, StudyScope, ScopedView):
    """Assessed scenarios of the study side by side, from the last good run of each: one row per indicator and the
    radar scores (per axis, the best scenario scores 1; the axes say whether higher or lower is better). CSV with
    `?format=csv` or `Accept: text/csv`. A scenario that is not of the study or has no result yet is a 400 under
    `scenarios`."""

    serializer_class = s.ComparisonOutputSerializer
    renderer_classes = [JSONRenderer, CSVRenderer]
    model = Study  # schema generation only
    tag = "comparison"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "scenarios",
                OpenApiTypes.STR,
                required=True,
                description="Ids of two or more scenarios of the study, comma-separated",
            ),
            OpenApiParameter(
                "accept_stale",
                OpenApiTypes.BOOL,
                required=False,
                description="Compare scenarios whose result is stale anyway (logged); "
                "otherwise 400 under accept_stale naming them",
            ),
        ],
        responses={(200, "application/json"): s.ComparisonOutputSerializer, (200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request, *args, **kwargs):
        scenario_selectors.scenario_list(user=request.user, study=self.study)  # 404 for invited partners
        try:
            columns = selectors.comparison_columns(
                user=request.user,
                study=self.study,
                scenario_ids=_ids(request.query_params.get("scenarios", "")),
                accept_stale=request.query_params.get("accept_stale", "").lower() in ("1", "true", "on"),
            )
        except selectors.StaleResults as exc:
            raise exceptions.ValidationError({"accept_stale": [str(exc)]}) from exc
        except ValueError as exc:
            raise exceptions.ValidationError({"scenarios": [str(exc)]}) from exc
        services.stale_results_used(user=request.user, study=self.study, columns=columns, where="comparison")
        if request.accepted_renderer.format == CSVRenderer.format:
            return Response(
                compare.as_csv(columns),
                headers={"Content-Disposition": f'attachment; filename="study-{self.study.pk}-comparison.csv"'},
            )
        return self.render(compare.as_json(columns))


@extend_schema(exclude=True)
class StudyComparisonSlash(StudyComparison):
    """The same with a trailing slash (the documented path has none)."""


# ---------------------------------------------------------------- AHP: criteria sets, judgements, rankings


class CriteriaSetScope(StudyScope):
    """/studies/<id>/criteria-sets/<set_id>/...: a criteria set of the study (404 for who may not see it)."""

    @cached_property
    def criteria_set(self) -> CriteriaSet:
        return decisions.criteria_set_get(user=self.request.user, study=self.study, pk=self.kwargs["set_id"])

    @property
    def end_collector(self):
        return self.criteria_set.study.end_collector  # 404 for invited partners, whatever the method

    def with_weights(self, criteria_set: CriteriaSet) -> CriteriaSet:
        criteria_set.weights = decisions.weights(user=self.request.user, criteria_set=criteria_set)
        return criteria_set


class StudyCriteriaSetList(List, Create, StudyScope, ScopedView):
    """The study's AHP criteria sets (members of the end collector). Editors and admins create one: a scenario
    set weighs indicator codes of the assessment results, a partner set sheet criteria. An unknown kind,
    criterion or random-index table, a repeated criterion or fewer than 2 (more than 15) criteria are refused
    (400 on that field)."""

    serializer_class = s.CriteriaSetOutputSerializer
    input_serializers = {"POST": s.CriteriaSetInputSerializer}
    model = CriteriaSet
    tag = "ahp"

    def scoped_queryset(self):
        return decisions.criteria_set_list(user=self.request.user, study=self.study).select_related("created_by")

    def perform_create(self, data):
        return decisions.criteria_set_create(user=self.request.user, study=self.study, **data)


class StudyCriteriaSetDetail(Show, CriteriaSetScope, ScopedView):
    """A criteria set with its weights: each member's priorities and consistency (lambda_max, CI, CR, the
    random-index table, whether CR is acceptable and which judgement to revise otherwise), and the group's from
    the AIJ aggregate of the members' matrices (null until someone has judged)."""

    serializer_class = s.CriteriaSetDetailOutputSerializer
    model = CriteriaSet
    tag = "ahp"

    def get_object(self):
        return self.with_weights(self.criteria_set)


class StudyCriteriaSetJudgement(CriteriaSetScope, ScopedView):
    """The acting member's own pairwise matrix for the set, replacing theirs (editors and admins). Answers the
    set's weights after the change. A matrix of the wrong size, with a value that is not positive, or that is
    not reciprocal is refused (400 on matrix)."""

    serializer_class = s.WeightsOutputSerializer
    input_serializers = {"PUT": s.JudgementInputSerializer}
    model = CriteriaSet
    tag = "ahp"

    def put(self, request, *args, **kwargs):
        criteria_set = self.criteria_set
        decisions.judgement_set(user=request.user, criteria_set=criteria_set, **self.validated())
        return self.render(decisions.weights(user=request.user, criteria_set=criteria_set))


class RankingScope(StudyScope):
    """/studies/<id>/rankings/...: the end collector's members only (an invited partner reads the study, not
    this)."""

    @property
    def end_collector(self):
        decisions.criteria_set_list(user=self.request.user, study=self.study)  # 404 for invited partners
        return self.study.end_collector

    def scoped_queryset(self):
        decisions.criteria_set_list(user=self.request.user, study=self.study)
        return Ranking.objects.filter(study=self.study).select_related("created_by")


class StudyRankingList(List, Create, RankingScope, ScopedView):
    """The study's stored AHP rankings of scenarios, newest first. Editors and admins rank scenarios with a
    scenario criteria set: the group weights, local priorities from each scenario's last good result (or from an
    expert matrix per criterion in `local_matrices`), the synthesis (distributive or ideal) and how far each
    weight may move before the winner changes. Refusals are 400 on the field concerned."""

    serializer_class = s.RankingOutputSerializer
    input_serializers = {"POST": s.RankingInputSerializer}
    model = Ranking
    tag = "ahp"

    def perform_create(self, data):
        try:
            criteria_set = decisions.criteria_set_get(
                user=self.request.user, study=self.study, pk=data.pop("criteria_set")
            )
        except Http404:
            raise exceptions.ValidationError({"criteria_set": ["No such criteria set in this study."]}) from None
        return decisions.scenario_ranking_create(
            user=self.request.user,
            study=self.study,
            criteria_set=criteria_set,
            scenario_ids=data.pop("scenarios"),
            **data,
        )


class StudyRankingDetail(Show, RankingScope, ScopedView):
    """A stored ranking, as computed when it was made."""

    serializer_class = s.RankingOutputSerializer
    model = Ranking
    tag = "ahp"

    def get_object(self):
        ranking = _one(self.scoped_queryset(), pk=self.kwargs["ranking_id"])
        if ranking is None:
            raise Http404("No such ranking.")
        return ranking


# ---------------------------------------------------------------- AHP: ranking partners for a role


def _query(serializer_class, request) -> dict:
    """Validated query parameters (400 naming the parameter)."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _material(code: str, errors: dict):
    """The material of that code, or None with a message under `material` in `errors`."""
    material = _one(partner_selectors.material_list(), code=code)
    if material is None:
        errors["material"] = [f"No material has the code {code!r}; see /api/v1/materials/."]
    return material


def _partner_ranking(user, study, pk, errors: dict):
    """A partner ranking of the study named in a body or a query, or None with a message under `ranking`."""
    try:
        return decisions.partner_ranking_get(user=user, study=study, pk=pk)
    except Http404:
        errors["ranking"] = ["No such partner ranking in this study."]
        return None


class PartnerRankingScope(StudyScope):
    """/studies/<id>/partner-(candidates|rankings)/...: the end collector's members only (an invited partner reads
    the study, not the ranking of its rivals)."""

    @property
    def end_collector(self):
        decisions.partner_ranking_list(user=self.request.user, study=self.study)  # 404 for invited partners
        return self.study.end_collector

    def scoped_queryset(self):
        return decisions.partner_ranking_list(user=self.request.user, study=self.study)


class StudyPartnerCandidates(PartnerRankingScope, ScopedView):
    """The facilities that a partner ranking for `role` and `material` would rank: those of the invited candidates
    that share their sheet, offer the role and take the material in, in the order of the rows of any pairwise
    matrix of them (company, then facility name). A missing or unknown role or material is a 400 on it."""

    serializer_class = s.PartnerCandidatesOutputSerializer
    model = PartnerRanking
    tag = "ahp"

    @extend_schema(parameters=[s.PartnerCandidatesQuerySerializer])
    def get(self, request, *args, **kwargs):
        query, errors = _query(s.PartnerCandidatesQuerySerializer, request), {}
        material = _material(query["material"], errors)
        if errors:
            raise exceptions.ValidationError(errors)
        facilities = decisions.partner_candidates(
            user=request.user, study=self.study, role=query["role"], material=material
        )
        return self.render({"role": query["role"], "material": material.code, "candidates": facilities})


class StudyPartnerRankingList(List, PartnerRankingScope, ScopedView):
    """The study's AHP rankings of candidate partners for a role, newest first. Editors and admins ask for one
    with a partner criteria set: each criterion scores the candidates from their sheet values, or from the user's
    pairwise matrix of them in `local_matrices`. A small ranking is computed at once (201); one of many candidates
    goes to a worker (202, status pending): follow its `links.self` (also the Location header) for its progress
    until it is done or failed. Refusals are 400 on the field concerned."""

    serializer_class = s.PartnerRankingOutputSerializer
    input_serializers = {"POST": s.PartnerRankingInputSerializer}
    model = PartnerRanking
    tag = "ahp"

    @extend_schema(responses={201: s.PartnerRankingDetailOutputSerializer, 202: s.PartnerRankingDetailOutputSerializer})
    def post(self, request, *args, **kwargs):
        data, errors = self.validated(), {}
        try:
            criteria_set = decisions.criteria_set_get(user=request.user, study=self.study, pk=data["criteria_set"])
        except Http404:
            errors["criteria_set"] = ["No such criteria set in this study."]
        material = _material(data["material"], errors)
        if errors:
            raise exceptions.ValidationError(errors)
        ranking = decisions.partner_ranking_request(
            user=request.user,
            study=self.study,
            criteria_set=criteria_set,
            role=data["role"],
            material=material,
            mode=data.get("mode", "distributive"),
            local_matrices=data.get("local_matrices"),
        )
        ranking.refresh_from_db()  # a worker running in-process may have finished it already
        body = s.PartnerRankingDetailOutputSerializer(ranking, context=self.get_serializer_context()).data
        if ranking.status == PartnerRanking.Status.DONE:
            return Response(body, status=status.HTTP_201_CREATED)
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["links"]["self"]})


class StudyPartnerRankingDetail(Show, PartnerRankingScope, ScopedView):
    """A partner ranking: its state and progress (`progress_done` of `progress_total` steps), the error of a
    failed one, and the result of a finished one (each candidate's values, local priorities, score and rank; the
    weights, their consistency and how far each may move before the winner changes)."""

    serializer_class = s.PartnerRankingDetailOutputSerializer
    model = PartnerRanking
    tag = "ahp"

    def get_object(self):
        return decisions.partner_ranking_get(user=self.request.user, study=self.study, pk=self.kwargs["ranking_id"])


# ---------------------------------------------------------------- building a scenario step by step


class BuilderView(ScenarioScope, ScopedView):
    model = Scenario
    tag = "builder"

    def state(self, direction: str) -> dict:
        """The builder's state with the flows attached to its nodes and routes."""
        state = builder.state(user=self.request.user, scenario=self.scenario, direction=direction)
        flows = state["flows"]
        for node in state["nodes"]:
            node.flow = flows.nodes[node.pk]
        for route in state["routes"]:
            route.flow = flows.routes[route.pk]
        return {**state, "need_t": flows.need_t, "delivered_t": flows.delivered_t}

    def with_options(self, state: dict, role: str | None, ranking: PartnerRanking | None) -> dict:
        """The state with the facilities that can take `role` (none when there is no role left)."""
        options = (
            []
            if role is None
            else builder.options(user=self.request.user, scenario=self.scenario, role=role, ranking=ranking)
        )
        return {**state, "role": role, "ranking": ranking.pk if ranking else None, "options": options}


class ScenarioBuilder(BuilderView):
    """Where building the scenario step by step stands (members of the end collector): its nodes with their
    recommended quantities, its routes, the next role to fill in the `direction` (backwards from the end collector
    by default, or forwards from the collectors), whether the network is complete, the choices made so far, and
    the facilities that can take `role` (the next role by default), in the order of the partner ranking
    `ranking` when one is given."""

    serializer_class = s.BuilderStateOutputSerializer

    @extend_schema(parameters=[s.BuilderQuerySerializer])
    def get(self, request, *args, **kwargs):
        query, errors = _query(s.BuilderQuerySerializer, request), {}
        ranking = None
        if query.get("ranking") is not None:
            ranking = _partner_ranking(request.user, self.scenario.study, query["ranking"], errors)
        if errors:
            raise exceptions.ValidationError(errors)
        state = self.state(query["direction"])
        return self.render(self.with_options(state, query.get("role") or state["next_role"], ranking))


class ScenarioBuilderSteps(BuilderView):
    """One step (editors and admins; drafts only, 409 otherwise): add `facility` in `role` and the routes that
    join it, carrying the recommended quantities in `mode`. Choosing another facility than the top-ranked one of
    `ranking` needs a `reason` (400 on reason). `connect` names the nodes to join instead of the default ones;
    `material` the routes' material instead of the one chosen per route. Answers the node, the routes drawn and
    the new state."""

    serializer_class = s.BuilderStepOutputSerializer
    input_serializers = {"POST": s.BuilderStepInputSerializer}
    conflict_methods = ("POST",)
    created = True

    def post(self, request, *args, **kwargs):
        data, errors = self.validated(), {}
        study = self.scenario.study
        usable = scenario_selectors.candidate_facility_list(user=request.user, study=study)
        facility = _one(usable, pk=data["facility"])
        if facility is None:
            errors["facility"] = ["Choose a facility of your own organisation or of a partner invited into the study."]
        ranking = None
        if data.get("ranking") is not None:
            ranking = _partner_ranking(request.user, study, data["ranking"], errors)
        material = _material(data["material"], errors) if "material" in data else None
        if errors:
            raise exceptions.ValidationError(errors)
        node, routes = builder.step(
            user=request.user,
            scenario=self.scenario,
            direction=data["direction"],
            role=data["role"],
            facility=facility,
            ranking=ranking,
            reason=data["reason"],
            connect=data.get("connect"),
            mode=data.get("mode"),
            material=material,
            yield_ratio=data.get("yield_ratio"),
        )
        state = self.state(data["direction"])
        role = state["next_role"] or data["role"]  # every role filled: the last one may take more facilities
        state = self.with_options(state, role, ranking if ranking is not None and ranking.role == role else None)
        drawn = {route.pk: route for route in state["routes"]}
        return self.render(
            {"node": node.pk, "routes": [drawn[route.pk] for route in routes], "state": state}, status.HTTP_201_CREATED
        )


# ---------------------------------------------------------------- optimising the study's network


class OptimisationScope(StudyScope):
    """/studies/<id>/optimisation(s|-candidates)/...: the end collector's members only (an invited partner reads the
    study, not its rivals' figures)."""

    model = OptimisationRun
    tag = "optimisation"

    @property
    def end_collector(self):
        optimisation.run_list(user=self.request.user, study=self.study)  # 404 for invited partners
        return self.study.end_collector

    def scoped_queryset(self):
        return optimisation.run_list(user=self.request.user, study=self.study).defer("inputs")

    @cached_property
    def run(self) -> OptimisationRun:
        return optimisation.run_get(user=self.request.user, study=self.study, pk=self.kwargs["run_id"])


class StudyOptimisationCandidates(OptimisationScope, ScopedView):
    """What an optimisation of the study would model now: each candidate (a facility in one role: the end
    collector's sites and those of the invited candidates sharing their sheet, where they declare an activity of
    the role) with its key for side constraints, capacity, yield, cost and CO2e per tonne; how many arcs join them;
    and the facilities left out, with why. A study whose end collector has no end-collector site is a 400 on
    study."""

    serializer_class = s.OptimisationCandidatesOutputSerializer

    def get(self, request, *args, **kwargs):
        inputs = optimisation.study_inputs(user=request.user, study=self.study)
        return self.render(
            {
                "study": self.study.pk,
                "need_t": inputs["need_t"],
                "product_t": inputs["product_t"],
                "candidates": inputs["facilities"],
                "arcs": len(inputs["arcs"]),
                "left_out": inputs["left_out"],
            }
        )


class StudyOptimisationList(List, OptimisationScope, ScopedView):
    """The study's optimisations, newest first, with their state and a summary of the solution. Editors and admins
    ask for one: the objective (least cost, least CO2e, or cost plus a carbon price), side constraints on the
    candidates of optimisation-candidates, and optionally the cost-CO2e front. The candidates are snapshotted now
    and a worker solves the model: the answer is 202 (status pending; follow `links.self`, also the Location
    header, for the progress until it is done or failed), or 201 when the worker has already finished. Refusals
    are 400 on the field concerned (a side constraint is named by its key, e.g. keep_open); nothing is stored."""

    serializer_class = s.OptimisationRunOutputSerializer
    input_serializers = {"POST": s.OptimisationInputSerializer}

    @extend_schema(
        responses={201: s.OptimisationRunDetailOutputSerializer, 202: s.OptimisationRunDetailOutputSerializer}
    )
    def post(self, request, *args, **kwargs):
        run = optimisation.optimisation_request(user=request.user, study=self.study, **self.validated())
        run.refresh_from_db()  # a worker running in-process may have finished it already
        body = s.OptimisationRunDetailOutputSerializer(run, context=self.get_serializer_context()).data
        finished = run.status in (OptimisationRun.Status.DONE, OptimisationRun.Status.FAILED)
        return Response(
            body,
            status=status.HTTP_201_CREATED if finished else status.HTTP_202_ACCEPTED,
            headers={"Location": body["links"]["self"]},
        )


class StudyOptimisationDetail(Show, OptimisationScope, ScopedView):
    """An optimisation: its state and progress (`progress_done` of `progress_total` solves), the error of a failed
    one, what was asked, and the solution of a finished one: its status and message (why no network, when none),
    gap, solve time and model size, total cost and its parts, CO2e by source, the candidates used and the flows
    with their ends, material and distance as the study stood when it was asked for."""

    serializer_class = s.OptimisationRunDetailOutputSerializer

    def get_object(self):
        return self.run


def _tradeoff(user, run: OptimisationRun) -> dict:
    """`optimisation.tradeoff` with the run's state, its own solution and each point's candidates."""
    trade = optimisation.tradeoff(user=user, run=run)
    result = run.result or {}
    solution, front = result.get("solution") or {}, result.get("pareto") or []
    rows = s._rows(run.inputs)
    return {
        "run": run.pk,
        "status": run.status,
        "scenarios": trade["scenarios"],
        "solution": (
            {"cost_eur": solution["total_cost_eur"], "co2e_kg": solution["co2e_kg"]} if "flows" in solution else None
        ),
        "front": [{**point, "open": s._named_open(front[point["point"]], rows)} for point in trade["front"]],
    }


class StudyOptimisationPareto(OptimisationScope, ScopedView):
    """The cost-CO2e trade-off of an optimisation: the points of its front (least CO2e first; empty until it is
    done, or when no front was asked for) with the candidates each uses, its own solution, and the study's assessed
    scenarios on the same axes (total cost per year, end-of-life kg CO2e per year) from their last good result."""

    serializer_class = s.OptimisationTradeoffOutputSerializer

    def get(self, request, *args, **kwargs):
        return self.render(_tradeoff(request.user, self.run))


class StudyOptimisationScenarios(ScenarioFlows, OptimisationScope, ScopedView):
    """Make a draft scenario of the optimisation's solution, or of a point of its front (`point`, an index of the
    pareto endpoint's front): a node per candidate used and a route per arc carrying material, by road. Editors and
    admins; 409 until the optimisation is done and when that network is already a scenario; 400 on point for a
    point the front does not have, on run when no network was found. Answers the new scenario (201)."""

    serializer_class = scenario_serializers.ScenarioOutputSerializer
    input_serializers = {"POST": s.OptimisationScenarioInputSerializer}
    created = True

    def post(self, request, *args, **kwargs):
        run = self.run
        scenario = optimisation.scenario_from_run(user=request.user, run=run, **self.validated())
        response = self.render(scenario, status.HTTP_201_CREATED)
        response["Location"] = response.data["links"]["self"]
        return response
