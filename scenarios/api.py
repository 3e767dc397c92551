"""Version 1 of the scenarios REST API: studies, scenarios, their nodes and routes, the workflow, the network as
GeoJSON, and the history of a scenario with the replay of any past version.

Every view resolves its scope once from the URL through `scenarios.selectors` (an organisation's studies, a study,
a scenario), which answers 404 to whoever may not see it: members of the end collector see everything, members of
a partner invited into a study see that study and nothing of its scenarios. Before a write, whoever is not a
member of the end collector gets 404 and a member whose role does not allow the change 403, whatever the body
holds; the services check again, refuse changes to scenarios that are not drafts with 409, and log. Codes, slugs
and ids in a body are resolved through the selectors, so a row the user may not use is a 400 on its field.
Errors become JSON answers in `partners.api_errors`. The base classes are those of `partners.api`.
"""

from django.http import Http404
from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from partners import access
from partners import selectors as partner_selectors
from partners.api import ApiView, Create, Destroy, InputOutputSchema, JSONErrors, List, Update
from partners.errors import ApplicationError
from partners.models import LogEntry, Organization

from . import network, selectors, services
from . import serializers as s
from .models import Node, Route, Scenario, Study

# ---------------------------------------------------------------- foundations


class EndCollectorPermission(BasePermission):
    """Resolves the view's scope (Http404 for who may not see it). On a write, non-members of the study's end
    collector get 404 (an invited partner reads the study but may not learn more) and members the view's
    `write_permission` refuses get 403, before the body is read."""

    message = "Your role in this organisation does not allow this change."

    def has_permission(self, request, view):
        end_collector = view.end_collector
        if request.method in SAFE_METHODS or request.method not in view.allowed_methods:
            return True  # reads are scoped by the selectors; an unknown method gets its 405
        if not access.is_member(request.user, end_collector):
            raise Http404(view.not_found)
        return view.write_permission(request.user, end_collector)


class ScenariosSchema(InputOutputSchema):
    """Tags by the view's `tag`; a write without an input serializer has no request body; transitions that make
    a scenario (`created = True`) answer 201."""

    def get_tags(self):
        return [self.view.tag]

    def get_request_serializer(self):
        if self.method in ("POST", "PUT", "PATCH"):
            return self.view.input_serializers.get(self.method)
        return super().get_request_serializer()

    def get_response_serializers(self):
        serializer = super().get_response_serializers()
        if self.method == "POST" and getattr(self.view, "created", False):
            return {201: serializer}
        return serializer


class ScopedView(ApiView):
    permission_classes = [IsAuthenticated, EndCollectorPermission]
    schema = ScenariosSchema()
    write_permission = staticmethod(access.can_edit)
    not_found = "No such study."
    tag = "scenarios"
    model = None  # for schema generation only, which runs without a user or a URL

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.scoped_queryset()

    def scoped_queryset(self):
        raise NotImplementedError


class OrganizationScope:
    """/organizations/<slug>/...: the organisation, for its members only (404 to sharers and outsiders)."""

    not_found = "No such organisation."

    @cached_property
    def organization(self) -> Organization:
        organization = partner_selectors.organization_get(user=self.request.user, slug=self.kwargs["slug"])
        selectors.study_list(user=self.request.user, organization=organization)  # raises Http404 for non-members
        return organization

    @property
    def end_collector(self) -> Organization:
        return self.organization


class StudyScope:
    """/studies/<id>/...: readable by the end collector's members and by members of invited partners."""

    not_found = "No such study."

    @cached_property
    def study(self) -> Study:
        return selectors.study_get(user=self.request.user, pk=self.kwargs["id"])

    @property
    def end_collector(self) -> Organization:
        return self.study.end_collector


class ScenarioScope:
    """/scenarios/<id>/...: the end collector's members only."""

    not_found = "No such scenario."

    @cached_property
    def scenario(self) -> Scenario:
        return selectors.scenario_get(user=self.request.user, pk=self.kwargs["id"])

    @property
    def end_collector(self) -> Organization:
        return self.scenario.study.end_collector


class Show:
    def get(self, request, *args, **kwargs):
        return self.render(self.get_object())


class WithFlows:
    """Attaches the computed flows (`prepare`) to what a page or an answer renders."""

    def prepare(self, objects: list) -> list:
        raise NotImplementedError

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return page if page is None else self.prepare(list(page))

    def render(self, instance, status_code: int = status.HTTP_200_OK) -> Response:
        return super().render(self.prepare([instance])[0], status_code)


class ScenarioFlows(WithFlows):
    def prepare(self, scenarios):
        for scenario in scenarios:
            scenario.flows = network.flows(scenario)
        return scenarios


class NodeFlows(WithFlows):
    def prepare(self, nodes):
        flows = network.flows(self.scenario)
        for node in nodes:
            node.flow = flows.nodes[node.pk]
        return nodes


class RouteFlows(WithFlows):
    def prepare(self, routes):
        flows = network.flows(self.scenario)
        for route in routes:
            route.flow = flows.routes[route.pk]
        return routes


def _pick(queryset, field: str, values: list) -> tuple[list, list]:
    """The rows of `queryset` whose `field` is one of `values` (in the order given), and the values not found."""
    values = list(dict.fromkeys(values))
    found = {getattr(row, field): row for row in queryset.filter(**{f"{field}__in": values})}
    return [found[v] for v in values if v in found], [v for v in values if v not in found]


def _one(queryset, **lookup):
    try:
        return queryset.filter(**lookup).first()
    except (ValueError, TypeError, OverflowError):
        return None


# ---------------------------------------------------------------- studies


class StudyArguments:
    def study_arguments(self, data: dict, end_collector: Organization) -> dict:
        """Material codes and candidate slugs as rows; candidates only among the partners sharing with the end
        collector."""
        errors = {}
        materials = partner_selectors.material_list()
        if "product_material" in data:
            code = data["product_material"]
            data["product_material"] = _one(materials, code=code)
            if data["product_material"] is None:
                errors["product_material"] = [f"No material has the code {code!r}; see /api/v1/materials/."]
        if "accepted_materials" in data:
            data["accepted_materials"], missing = _pick(materials, "code", data["accepted_materials"])
            if missing:
                errors["accepted_materials"] = [f"Unknown material code(s): {', '.join(missing)}."]
        if "candidates" in data:
            sharing = partner_selectors.sharing_partner_list(user=self.request.user, end_collector=end_collector)
            data["candidates"], missing = _pick(sharing, "slug", data["candidates"])
            if missing:
                errors["candidates"] = [
                    f"{', '.join(missing)}: no partner of that slug shares its sheet with "
                    f"{end_collector.name}; only partners that share can be invited."
                ]
        if errors:
            raise exceptions.ValidationError(errors)
        return data


class StudyList(List, Create, StudyArguments, OrganizationScope, ScopedView):
    """The studies an end collector runs, for its members; its editors and admins create them."""

    serializer_class = s.StudyOutputSerializer
    input_serializers = {"POST": s.StudyInputSerializer}
    model = Study
    tag = "studies"

    def scoped_queryset(self):
        return selectors.study_list(user=self.request.user, organization=self.organization).prefetch_related(
            "accepted_materials", "candidates"
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "show_candidates": True}

    def perform_create(self, data):
        return services.study_create(
            user=self.request.user, end_collector=self.organization, **self.study_arguments(data, self.organization)
        )


class StudyDetail(Show, Update, Destroy, StudyArguments, StudyScope, ScopedView):
    """A study. Members of invited partners read it without the list of candidates; a study with scenarios is
    kept (409 on delete)."""

    serializer_class = s.StudyOutputSerializer
    input_serializers = {"PATCH": s.StudyInputSerializer}
    conflict_methods = ("DELETE",)
    model = Study
    tag = "studies"

    def get_object(self):
        return self.study

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if getattr(self, "swagger_fake_view", False):
            return context
        return {**context, "show_candidates": selectors.can_see_scenarios(self.request.user, self.study)}

    def perform_update(self, study, data):
        return services.study_update(
            user=self.request.user, study=study, **self.study_arguments(data, study.end_collector)
        )

    def perform_destroy(self, study):
        services.study_delete(user=self.request.user, study=study)


# ---------------------------------------------------------------- scenarios


class StudyScenarioList(ScenarioFlows, List, Create, StudyScope, ScopedView):
    """The scenarios of a study (members of the end collector); editors and admins create drafts. When the end
    collector has one end-collector facility, a new scenario starts with it as its sink node."""

    serializer_class = s.ScenarioOutputSerializer
    input_serializers = {"POST": s.ScenarioInputSerializer}
    model = Scenario

    def scoped_queryset(self):
        return selectors.scenario_list(user=self.request.user, study=self.study)

    def perform_create(self, data):
        return services.scenario_create(user=self.request.user, study=self.study, **data)


class ScenarioDetail(ScenarioFlows, Show, Update, Destroy, ScenarioScope, ScopedView):
    """A scenario with the summary of its flows. Only drafts change or are deleted (409 otherwise)."""

    serializer_class = s.ScenarioOutputSerializer
    input_serializers = {"PATCH": s.ScenarioInputSerializer}
    conflict_methods = ("PATCH", "DELETE")
    model = Scenario

    def get_object(self):
        return self.scenario

    def perform_update(self, scenario, data):
        return services.scenario_update(user=self.request.user, scenario=scenario, **data)

    def perform_destroy(self, scenario):
        services.scenario_delete(user=self.request.user, scenario=scenario)


class Transition(ScenarioFlows, ScenarioScope, ScopedView):
    serializer_class = s.ScenarioOutputSerializer
    model = Scenario
    service = None  # a scenarios.services function taking (user=, scenario=, **body)
    created = False  # True: the answer is a new scenario (201)
    conflict_methods = ("POST",)  # a transition the scenario's state does not allow

    def post(self, request, *args, **kwargs):
        if "POST" in self.input_serializers:
            data = self.validated()
        else:
            self.refuse_body()
            data = {}
        scenario = self.service(user=request.user, scenario=self.scenario, **data)
        return self.render(scenario, status.HTTP_201_CREATED if self.created else status.HTTP_200_OK)


class ScenarioSubmit(Transition):
    """Send a draft for approval. A network that does not bring material to the end collector is refused (400),
    naming the nodes that are not connected."""

    service = staticmethod(services.scenario_submit)
    input_serializers = {"POST": s.SubmitInputSerializer}


class ScenarioApprove(Transition):
    """Approve a submitted scenario (admins of the end collector); it is frozen from now on."""

    service = staticmethod(services.scenario_approve)
    write_permission = staticmethod(access.can_admin)
    input_serializers = {"POST": s.ApproveInputSerializer}


class ScenarioReject(Transition):
    """Reject a submitted scenario, saying why (admins of the end collector)."""

    service = staticmethod(services.scenario_reject)
    write_permission = staticmethod(access.can_admin)
    input_serializers = {"POST": s.RejectInputSerializer}


class ScenarioNewVersion(Transition):
    """Copy a submitted, approved or rejected scenario into a draft with the next version number."""

    service = staticmethod(services.scenario_new_version)
    created = True


class ScenarioClone(Transition):
    """Copy any scenario into a new draft of its own name."""

    service = staticmethod(services.scenario_clone)
    created = True
    conflict_methods = ()  # any scenario may be copied
    input_serializers = {"POST": s.CloneInputSerializer}


# ---------------------------------------------------------------- nodes


def _activity(facility, pk):
    """One of the facility's activities, or a 400 on the field."""
    activity = next((a for a in facility.activities.all() if a.pk == pk), None)
    if activity is None:
        raise exceptions.ValidationError({"activity": [f"Choose an activity of {facility.name}."]})
    return activity


class NodeList(NodeFlows, List, Create, ScenarioScope, ScopedView):
    """The nodes of a scenario with their flows. A new node copies yield, capacity and coordinates from the
    partner's sheet unless typed; its facility must be the end collector's own or an invited partner's."""

    serializer_class = s.NodeOutputSerializer
    input_serializers = {"POST": s.NodeCreateSerializer}
    conflict_methods = ("POST",)
    model = Node
    tag = "nodes"

    def scoped_queryset(self):
        return selectors.node_list(user=self.request.user, scenario=self.scenario)

    def perform_create(self, data):
        usable = selectors.candidate_facility_list(user=self.request.user, study=self.scenario.study)
        facility = _one(usable, pk=data.pop("facility"))
        if facility is None:
            raise exceptions.ValidationError(
                {"facility": ["Choose a facility of your own organisation or of a partner invited into the study."]}
            )
        if data.get("activity") is not None:
            data["activity"] = _activity(facility, data["activity"])
        return services.node_add(user=self.request.user, scenario=self.scenario, facility=facility, **data)


class NodeDetail(NodeFlows, Show, Update, Destroy, ScenarioScope, ScopedView):
    """A node. Removing it removes the routes touching it."""

    serializer_class = s.NodeOutputSerializer
    input_serializers = {"PATCH": s.NodeUpdateSerializer}
    conflict_methods = ("PATCH", "DELETE")
    model = Node
    tag = "nodes"

    def get_object(self):
        return selectors.node_get(user=self.request.user, scenario=self.scenario, pk=self.kwargs["node_id"])

    def perform_update(self, node, data):
        if data.get("activity") is not None:
            data["activity"] = _activity(node.facility, data["activity"])
        return services.node_update(user=self.request.user, node=node, **data)

    def perform_destroy(self, node):
        services.node_remove(user=self.request.user, node=node)


# ---------------------------------------------------------------- routes


class RouteArguments:
    def route_arguments(self, data: dict) -> dict:
        """Node ids as nodes of this scenario, the material code as the material."""
        errors = {}
        if "material" in data:
            code = data["material"]
            data["material"] = _one(partner_selectors.material_list(), code=code)
            if data["material"] is None:
                errors["material"] = [f"No material has the code {code!r}; see /api/v1/materials/."]
        nodes = selectors.node_list(user=self.request.user, scenario=self.scenario)
        for end in ("origin", "destination"):
            if end in data:
                data[end] = _one(nodes, pk=data[end])
                if data[end] is None:
                    errors[end] = ["Choose a node of this scenario."]
        if errors:
            raise exceptions.ValidationError(errors)
        return data


class RouteList(RouteFlows, List, Create, RouteArguments, ScenarioScope, ScopedView):
    """The routes of a scenario with their recommended and planned quantities. Material runs downstream
    (collector, sorter, recoverer, end collector); a distance left empty is the geodesic distance times the
    mode's circuity factor."""

    serializer_class = s.RouteOutputSerializer
    input_serializers = {"POST": s.RouteCreateSerializer}
    conflict_methods = ("POST",)
    model = Route
    tag = "routes"

    def scoped_queryset(self):
        return selectors.route_list(user=self.request.user, scenario=self.scenario)

    def perform_create(self, data):
        return services.route_create(user=self.request.user, scenario=self.scenario, **self.route_arguments(data))


class RouteDetail(RouteFlows, Show, Update, Destroy, RouteArguments, ScenarioScope, ScopedView):
    """A route. `distance_km: null` returns to the computed distance."""

    serializer_class = s.RouteOutputSerializer
    input_serializers = {"PATCH": s.RouteUpdateSerializer}
    conflict_methods = ("PATCH", "DELETE")
    model = Route
    tag = "routes"

    def get_object(self):
        return selectors.route_get(user=self.request.user, scenario=self.scenario, pk=self.kwargs["route_id"])

    def perform_update(self, route, data):
        return services.route_update(user=self.request.user, route=route, **self.route_arguments(data))

    def perform_destroy(self, route):
        services.route_delete(user=self.request.user, route=route)


# ---------------------------------------------------------------- map


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class ScenarioGeoJSON(JSONErrors, ScenarioScope, ScopedView):
    """The network as a GeoJSON FeatureCollection: nodes as points coloured by role, routes as lines whose width
    grows with the planned quantity, with the popup data (material, quantity, mode, distance)."""

    renderer_classes = [GeoJSONRenderer, JSONRenderer]
    model = Scenario

    @extend_schema(responses=s.NetworkGeoJSONSerializer)
    def get(self, request, *args, **kwargs):
        nodes = list(selectors.node_list(user=request.user, scenario=self.scenario))
        routes = list(selectors.route_list(user=request.user, scenario=self.scenario))
        return Response(
            network.geojson(*network.state_from_models(nodes, routes), network.flows(self.scenario, nodes, routes))
        )


@extend_schema(exclude=True)
class ScenarioGeoJSONSlash(ScenarioGeoJSON):
    """The same with a trailing slash (the documented path has none)."""


# ---------------------------------------------------------------- history


class ScenarioHistory(List, ScenarioScope, ScopedView):
    """Every change to the scenario, its nodes and routes, oldest first (members of the end collector)."""

    serializer_class = s.LogEntryOutputSerializer
    model = LogEntry
    tag = "history"

    def scoped_queryset(self):
        return selectors.scenario_history(user=self.request.user, scenario=self.scenario)


class ScenarioReplay(ScenarioScope, ScopedView):
    """The scenario as it stood just after one entry of its history, rebuilt from the log, with its quantities
    recomputed under the study's need in force at that time."""

    serializer_class = s.ReplayOutputSerializer
    conflict_methods = ("GET",)  # a past version that cannot be recomputed
    model = LogEntry
    tag = "history"

    def get(self, request, *args, **kwargs):
        entries = list(selectors.scenario_history(user=request.user, scenario=self.scenario))
        study_entries = list(selectors.study_history(user=request.user, study=self.scenario.study))
        entry_id = self.kwargs["entry_id"]
        try:
            version = network.replay(entries, study_entries, entry_id)
        except KeyError:
            raise Http404("No such entry in this scenario's history.") from None
        try:
            flows = version.flows()
        except ValueError as exc:
            raise ApplicationError(f"This past version cannot be recomputed: {exc}.", status=409) from exc
        return self.render(
            {
                "entry": next(e for e in entries if e.pk == entry_id),
                "scenario": version.scenario,
                "need_t": version.need_t,
                "delivered_t": flows.delivered_t,
                "problems": list(flows.problems),
                "nodes": [{**node, "flow": flows.nodes[node["id"]]} for node in version.node_list()],
                "routes": [{**route, "flow": flows.routes[route["id"]]} for route in version.route_list()],
            }
        )
