"""Writes to studies and scenarios. Each service checks permissions first, validates, writes atomically and logs.

Permissions (end collector = the study's organisation): its editors and admins create and change studies and
draft scenarios and submit them; only its admins approve or reject. Only drafts change: a submitted, approved
or rejected scenario answers 409; "new version" copies it into a draft, "clone" copies any scenario.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from partners import access, audit
from partners.errors import ApplicationError
from partners.models import ROLE_FIELDS, Facility, Material, Organization, Process, Role
from partners.services import assign_fields, save_validated

from . import checks, distances, materials, network, notify
from .models import STAGE, DistanceSource, Node, Route, Scenario, Study, TransportMode

STUDY_FIELDS = [
    "name",
    "product_name",
    "product_material",
    "product_alloy",
    "product_mass_kg",
    "units_per_year",
    "need_t_per_year",
    "recycled_share",
    "allocation",
    "description",
    "accepted_materials",
    "candidates",
]
SCENARIO_FIELDS = ["name", "description", "version", "status", "previous"]
NODE_FIELDS = ["facility", "role", "activity", "yield_ratio", "capacity_t_per_year", "latitude", "longitude"]
ROUTE_FIELDS = [
    "origin",
    "destination",
    "material",
    "quantity_t",
    "share",
    "mode",
    "distance_km",
    "distance_source",
    "circuity",
    "is_backhaul",
]
ROUTE_EDITABLE = ["material", "quantity_t", "share", "mode", "distance_km", "is_backhaul"]

# The process stage a role performs (partners.models.Process.Stage); the end collector performs none.
ROLE_PROCESS_STAGE = {
    Role.COLLECTOR: Process.Stage.COLLECTION,
    Role.SORTER: Process.Stage.SORTING,
    Role.RECOVERER: Process.Stage.RECOVERY,
}


# ---------------------------------------------------------------- helpers


def require_role(check, user, organization: Organization) -> None:
    """Outsiders get 404; members whose role does not allow the change get 403."""
    if not access.is_member(user, organization):
        raise Http404("No such study.")
    if not check(user, organization):
        raise PermissionDenied("Your role in this organisation does not allow this change.")


def _log(user, study: Study, action: str, target, changes: dict, parent=None) -> None:
    audit.log(
        actor=user, organization=study.end_collector, action=action, target=target, changes=changes, parent=parent
    )


def _locked_draft(scenario: Scenario) -> Scenario:
    """The scenario row, locked for this transaction, if it is still a draft; 409 otherwise."""
    scenario = Scenario.objects.select_for_update().select_related("study__end_collector").get(pk=scenario.pk)
    if scenario.status == Scenario.Status.APPROVED:
        raise ApplicationError("This scenario is approved and frozen; make a new version to change it.", status=409)
    if scenario.status != Scenario.Status.DRAFT:
        raise ApplicationError(
            f"This scenario is {scenario.get_status_display().lower()}; only drafts change. "
            "Make a new version to change it.",
            status=409,
        )
    return scenario


def _snapshot_node(node: Node) -> dict:
    return {
        **audit.snapshot(node, NODE_FIELDS),
        "facility_id": node.facility_id,
        "organization": node.facility.organization.name,
    }


def _snapshot_route(route: Route) -> dict:
    return {
        **audit.snapshot(route, ROUTE_FIELDS),
        "origin_node": route.origin_id,
        "destination_node": route.destination_id,
    }


# ---------------------------------------------------------------- studies


def _set_study_relations(study: Study, accepted_materials, candidates) -> None:
    if accepted_materials is not None:
        study.accepted_materials.set(accepted_materials)
    if candidates is not None:
        end_collector = study.end_collector
        sharing = set(
            Organization.objects.filter(shares_given__end_collector=end_collector).values_list("pk", flat=True)
        )
        refused = [c.name for c in candidates if c.pk not in sharing]
        if refused:
            raise ApplicationError(
                "Only partners that share their sheet with you can be invited.",
                {"candidates": f"{', '.join(sorted(refused))} do(es) not share a sheet with {end_collector.name}."},
            )
        study.candidates.set(candidates)


def _check_study_name(study: Study) -> None:
    if Study.objects.filter(end_collector=study.end_collector, name=study.name).exclude(pk=study.pk).exists():
        raise ApplicationError("Choose another name.", {"name": "You already have a study of that name."})


def _check_need(study: Study) -> None:
    if study.need_t_per_year is None and study.recycled_share is None:
        raise ApplicationError(
            "Say how much recycled material the product needs.",
            {
                "need_t_per_year": "Give the need in t/year, or a target recycled share.",
            },
        )


@transaction.atomic
def study_create(*, user, end_collector: Organization, accepted_materials=None, candidates=None, **data) -> Study:
    require_role(access.can_edit, user, end_collector)
    if not end_collector.is_end_collector:
        raise ApplicationError(f"{end_collector.name} is not an end collector; mark it as one in its settings first.")
    study = Study(end_collector=end_collector)
    assign_fields(study, data, STUDY_FIELDS)
    _check_study_name(study)
    _check_need(study)
    save_validated(study)
    _set_study_relations(study, accepted_materials, candidates)
    _log(user, study, "study.created", study, audit.created(audit.snapshot(study, STUDY_FIELDS)))
    return study


@transaction.atomic
def study_update(*, user, study: Study, accepted_materials=None, candidates=None, **data) -> Study:
    require_role(access.can_edit, user, study.end_collector)
    study = Study.objects.select_for_update().get(pk=study.pk)
    before = audit.snapshot(study, STUDY_FIELDS)
    assign_fields(study, data, STUDY_FIELDS)
    _check_study_name(study)
    _check_need(study)
    save_validated(study)
    _set_study_relations(study, accepted_materials, candidates)
    changes = audit.diff(before, audit.snapshot(study, STUDY_FIELDS))
    if changes:
        _log(user, study, "study.changed", study, changes)
    return study


@transaction.atomic
def study_delete(*, user, study: Study) -> None:
    require_role(access.can_edit, user, study.end_collector)
    if study.scenarios.exists():
        raise ApplicationError("This study has scenarios; a study with scenarios is kept for its history.", status=409)
    before = audit.snapshot(study, STUDY_FIELDS)
    _log(user, study, "study.deleted", study, {k: [v, None] for k, v in before.items() if v not in (None, "", [])})
    study.delete()


# ---------------------------------------------------------------- scenarios


def _check_scenario_name(scenario: Scenario) -> None:
    clash = Scenario.objects.filter(study=scenario.study, name=scenario.name).exclude(pk=scenario.pk)
    if clash.exists():
        raise ApplicationError("Choose another name.", {"name": "This study already has a scenario of that name."})


@transaction.atomic
def scenario_create(*, user, study: Study, name: str, description: str = "") -> Scenario:
    """A new draft. When the end collector has exactly one end-collector facility, it is added as the sink node."""
    require_role(access.can_edit, user, study.end_collector)
    scenario = Scenario(study=study, name=name, description=description)
    _check_scenario_name(scenario)
    save_validated(scenario)
    _log(
        user,
        study,
        "scenario.created",
        scenario,
        audit.created(audit.snapshot(scenario, SCENARIO_FIELDS)),
        parent=study,
    )
    sinks = list(Facility.objects.filter(organization=study.end_collector, is_end_collector=True)[:2])
    if len(sinks) == 1:
        _node_add(user, scenario, facility=sinks[0], role=Role.END_COLLECTOR)
    return scenario


@transaction.atomic
def scenario_update(*, user, scenario: Scenario, **data) -> Scenario:
    require_role(access.can_edit, user, scenario.study.end_collector)
    scenario = _locked_draft(scenario)
    before = audit.snapshot(scenario, SCENARIO_FIELDS)
    assign_fields(scenario, data, ["name", "description"])
    if scenario.name != before["name"]:  # versions 1, 2... of a scenario share its name
        _check_scenario_name(scenario)
    save_validated(scenario)
    changes = audit.diff(before, audit.snapshot(scenario, SCENARIO_FIELDS))
    if changes:
        _log(user, scenario.study, "scenario.changed", scenario, changes, parent=scenario.study)
    return scenario


@transaction.atomic
def scenario_delete(*, user, scenario: Scenario) -> None:
    """Drafts only; the log keeps everything that was in them."""
    require_role(access.can_edit, user, scenario.study.end_collector)
    scenario = _locked_draft(scenario)
    for route in scenario.routes.select_related("origin__facility", "destination__facility", "material"):
        _route_delete(user, route)
    for node in scenario.nodes.select_related("facility__organization", "activity__process"):
        _log(
            user,
            scenario.study,
            "scenario.node.deleted",
            node,
            {k: [v, None] for k, v in _snapshot_node(node).items() if v not in (None, "", [])},
            parent=scenario,
        )
        node.delete()
    _log(
        user,
        scenario.study,
        "scenario.deleted",
        scenario,
        {k: [v, None] for k, v in audit.snapshot(scenario, SCENARIO_FIELDS).items() if v not in (None, "")},
        parent=scenario.study,
    )
    scenario.delete()


# ---------------------------------------------------------------- nodes


def _default_yield(facility: Facility, role: str, activity) -> tuple[Decimal, object]:
    """The activity's yield; without one, the product of the yields of every activity the facility declares for the
    role's stage (a remelter that also casts loses material in both); the end collector passes its input on."""
    if activity is not None:
        return activity.yield_ratio, activity
    if role == Role.END_COLLECTOR:
        return Decimal(1), None
    stage_activities = [a for a in facility.activities.all() if a.process.stage == ROLE_PROCESS_STAGE[role]]
    if not stage_activities:
        raise ApplicationError(
            f"{facility.name} declares no {ROLE_PROCESS_STAGE[role].label.lower()} activity; type the yield.",
            {"yield_ratio": "Type the yield (output/input) this facility achieves in this role."},
        )
    result = Decimal(1)
    for a in stage_activities:
        result *= a.yield_ratio
    return result.quantize(Decimal("0.0001")), (stage_activities[0] if len(stage_activities) == 1 else None)


def _check_node_facility(scenario: Scenario, facility: Facility, role: str, activity) -> None:
    study = scenario.study
    if role not in ROLE_FIELDS:
        raise ApplicationError("Unknown role.", {"role": f"Choose one of {', '.join(Role.values)}."})
    allowed = (
        facility.organization_id == study.end_collector_id
        or study.candidates.filter(
            pk=facility.organization_id, shares_given__end_collector=study.end_collector
        ).exists()
    )
    if not allowed:
        raise ApplicationError(
            "This facility is not available in this study.",
            {"facility": "Choose a facility of your own organisation or of a partner invited into the study."},
        )
    if not getattr(facility, ROLE_FIELDS[role]):
        raise ApplicationError(
            "This facility does not offer that role.",
            {"role": f"{facility.name} offers: {', '.join(facility.role_labels) or 'no role'}."},
        )
    if role == Role.END_COLLECTOR and facility.organization_id != study.end_collector_id:
        raise ApplicationError(
            "The end collector node must be a facility of the study's end collector.",
            {"facility": f"Choose a facility of {study.end_collector.name}."},
        )
    if activity is not None:
        if activity.facility_id != facility.pk:
            raise ApplicationError(
                "This activity belongs to another facility.", {"activity": f"Choose an activity of {facility.name}."}
            )
        if role == Role.END_COLLECTOR or activity.process.stage != ROLE_PROCESS_STAGE[role]:
            raise ApplicationError(
                "This activity is not performed in that role.",
                {"activity": f"Choose a {Role(role).label.lower()} activity."},
            )
    if scenario.nodes.filter(facility=facility, role=role).exists():
        raise ApplicationError(
            "This facility already has that role in the scenario.",
            {"facility": f"{facility.name} is already in this scenario as {Role(role).label.lower()}."},
        )
    if role == Role.END_COLLECTOR and scenario.nodes.filter(role=Role.END_COLLECTOR).exists():
        raise ApplicationError("A scenario has one end collector node.", {"role": "The end collector is already in."})


def _node_add(
    user,
    scenario: Scenario,
    *,
    facility: Facility,
    role: str,
    activity=None,
    yield_ratio=None,
    capacity_t_per_year=None,
) -> Node:
    _check_node_facility(scenario, facility, role, activity)
    try:
        default_yield, activity = _default_yield(facility, role, activity)
    except ApplicationError:
        if yield_ratio is None:
            raise
        default_yield = None  # a typed yield needs no declared activity
    node = Node(
        scenario=scenario,
        facility=facility,
        role=role,
        activity=activity,
        yield_ratio=yield_ratio if yield_ratio is not None else default_yield,
        capacity_t_per_year=(capacity_t_per_year if capacity_t_per_year is not None else facility.capacity_t_per_year),
        latitude=facility.latitude,
        longitude=facility.longitude,
    )
    save_validated(node)
    _log(user, scenario.study, "scenario.node.created", node, audit.created(_snapshot_node(node)), parent=scenario)
    return node


@transaction.atomic
def node_add(
    *,
    user,
    scenario: Scenario,
    facility: Facility,
    role: str,
    activity=None,
    yield_ratio=None,
    capacity_t_per_year=None,
) -> Node:
    """Add a facility in a role. Yield, capacity and coordinates are copied from the partner's sheet unless typed."""
    require_role(access.can_edit, user, scenario.study.end_collector)
    scenario = _locked_draft(scenario)
    return _node_add(
        user,
        scenario,
        facility=facility,
        role=role,
        activity=activity,
        yield_ratio=yield_ratio,
        capacity_t_per_year=capacity_t_per_year,
    )


@transaction.atomic
def node_update(*, user, node: Node, **data) -> Node:
    """Change the yield or capacity the scenario assumes for this node, or the activity it performs."""
    scenario = node.scenario
    require_role(access.can_edit, user, scenario.study.end_collector)
    _locked_draft(scenario)
    before = _snapshot_node(node)
    assign_fields(node, data, ["activity", "yield_ratio", "capacity_t_per_year"])
    if "activity" in data and data["activity"] is not None:
        activity = data["activity"]
        if activity.facility_id != node.facility_id or activity.process.stage != ROLE_PROCESS_STAGE.get(node.role):
            raise ApplicationError(
                "This activity is not performed by this node.",
                {"activity": f"Choose a {node.get_role_display().lower()} activity of {node.facility.name}."},
            )
        if "yield_ratio" not in data:
            node.yield_ratio = activity.yield_ratio
    save_validated(node)
    changes = audit.diff(before, _snapshot_node(node))
    if changes:
        _log(user, scenario.study, "scenario.node.changed", node, changes, parent=scenario)
    return node


@transaction.atomic
def node_remove(*, user, node: Node) -> None:
    """Remove a node and the routes touching it."""
    scenario = node.scenario
    require_role(access.can_edit, user, scenario.study.end_collector)
    _locked_draft(scenario)
    touching = scenario.routes.filter(Q(origin=node) | Q(destination=node))
    for route in touching.select_related("origin__facility", "destination__facility", "material"):
        _route_delete(user, route)
    _log(
        user,
        scenario.study,
        "scenario.node.deleted",
        node,
        {k: [v, None] for k, v in _snapshot_node(node).items() if v not in (None, "", [])},
        parent=scenario,
    )
    node.delete()


# ---------------------------------------------------------------- routes


def check_downstream(origin: Node, destination: Node) -> str | None:
    """Why a route from `origin` to `destination` may not run, or None. Material runs collector -> sorter ->
    recoverer -> end collector; a stage may be skipped only when the origin or destination facility performs it."""
    if origin.pk is not None and origin.pk == destination.pk:  # unsaved nodes: a candidate route (optimisation)
        return "A route joins two different nodes."
    if destination.stage <= origin.stage:
        return (
            f"Material runs downstream (collector, sorter, recoverer, end collector): a "
            f"{origin.get_role_display().lower()} cannot send to a {destination.get_role_display().lower()}."
        )
    for role, stage in STAGE.items():
        if origin.stage < stage < destination.stage:
            field = ROLE_FIELDS[role]
            if not (getattr(origin.facility, field) or getattr(destination.facility, field)):
                return (
                    f"This route skips the {role.label.lower()} stage, which neither {origin.facility.name} "
                    f"nor {destination.facility.name} performs."
                )
    return None


def _distance(route: Route, typed) -> None:
    """Fill distance_km and its source: same site 0 km, a typed distance, or geodesic x the mode's circuity."""
    origin, destination = route.origin, route.destination
    if origin.facility_id == destination.facility_id:
        if typed not in (None, "") and Decimal(typed) != 0:
            raise ApplicationError("Both ends are the same site.", {"distance_km": "A route within one site is 0 km."})
        route.distance_km, route.distance_source, route.circuity = Decimal(0), DistanceSource.SAME_SITE, None
        return
    if typed not in (None, ""):
        typed = Decimal(typed)
        if typed <= 0:
            raise ApplicationError("Distances are positive.", {"distance_km": "Type a distance above 0 km."})
        route.distance_km, route.distance_source, route.circuity = typed, DistanceSource.TYPED, None
        return
    circuity = settings.CIRCUITY_FACTORS[route.mode]
    km = distances.transport_km(
        float(origin.latitude),
        float(origin.longitude),
        float(destination.latitude),
        float(destination.longitude),
        circuity,
    )
    route.distance_km = Decimal(str(round(km, 2)))
    route.distance_source, route.circuity = DistanceSource.COMPUTED, Decimal(str(circuity))


def _check_route(route: Route) -> None:
    reason = check_downstream(route.origin, route.destination)
    if reason:
        raise ApplicationError(reason, {"destination": reason})
    if route.mode not in TransportMode.values:
        raise ApplicationError("Unknown transport mode.", {"mode": f"Choose one of {', '.join(TransportMode.values)}."})
    message = materials.problem(route.scenario.study, route.origin, route.destination, route.material)
    if message:  # the origin sends it, the destination and the study accept it (scenarios/materials.py)
        raise ApplicationError(message, {materials.MATERIAL_FIELD: message})
    if route.quantity_t is not None and Decimal(route.quantity_t) <= 0:
        raise ApplicationError(
            "Quantities are positive.",
            {"quantity_t": "Type a quantity above 0 t/year, or leave it empty for the recommended one."},
        )
    if Decimal(route.share) <= 0:
        raise ApplicationError("Shares are positive.", {"share": "Type a share above 0."})
    clash = Route.objects.filter(
        scenario=route.scenario, origin=route.origin, destination=route.destination, material=route.material
    ).exclude(pk=route.pk)
    if clash.exists():
        raise ApplicationError(
            "This route already exists.",
            {"material": "These two nodes already exchange this material; change that route."},
        )


@transaction.atomic
def route_create(
    *,
    user,
    scenario: Scenario,
    origin: Node,
    destination: Node,
    material: Material,
    quantity_t=None,
    share=Decimal(1),
    mode: str | None = None,
    distance_km=None,
    is_backhaul: bool = False,
) -> Route:
    require_role(access.can_edit, user, scenario.study.end_collector)
    scenario = _locked_draft(scenario)
    for field, node in (("origin", origin), ("destination", destination)):
        if node.scenario_id != scenario.pk:
            raise ApplicationError(
                "Both ends must be nodes of this scenario.", {field: "Choose a node of this scenario."}
            )
    route = Route(
        scenario=scenario,
        origin=origin,
        destination=destination,
        material=material,
        quantity_t=quantity_t,
        share=Decimal(1) if share is None else share,
        mode=mode or settings.DEFAULT_TRANSPORT_MODE,
        is_backhaul=is_backhaul,
    )
    _check_route(route)
    _distance(route, distance_km)
    save_validated(route)
    _log(user, scenario.study, "scenario.route.created", route, audit.created(_snapshot_route(route)), parent=scenario)
    return route


@transaction.atomic
def route_update(*, user, route: Route, **data) -> Route:
    """Change a route. Its ends stay (delete it and draw another); `distance_km=None` returns to the computed
    distance; changing the mode recomputes a computed distance with that mode's circuity."""
    scenario = route.scenario
    require_role(access.can_edit, user, scenario.study.end_collector)
    _locked_draft(scenario)
    before = _snapshot_route(route)
    typed = data.pop("distance_km", route.distance_km if route.distance_source == DistanceSource.TYPED else None)
    assign_fields(route, data, ROUTE_EDITABLE)
    if route.share is None:
        route.share = Decimal(1)
    _check_route(route)
    _distance(route, typed)
    save_validated(route)
    changes = audit.diff(before, _snapshot_route(route))
    if changes:
        _log(user, scenario.study, "scenario.route.changed", route, changes, parent=scenario)
    return route


def _route_delete(user, route: Route) -> None:
    _log(
        user,
        route.scenario.study,
        "scenario.route.deleted",
        route,
        {k: [v, None] for k, v in _snapshot_route(route).items() if v not in (None, "", [])},
        parent=route.scenario,
    )
    route.delete()


@transaction.atomic
def route_delete(*, user, route: Route) -> None:
    require_role(access.can_edit, user, route.scenario.study.end_collector)
    _locked_draft(route.scenario)
    _route_delete(user, route)


# ---------------------------------------------------------------- workflow


TRANSITION_FIELDS = SCENARIO_FIELDS + ["decision_comment", "approved_need_t", "approved_delivered_t"]


def _transition(user, scenario: Scenario, action: str, **fields) -> Scenario:
    before = audit.snapshot(scenario, TRANSITION_FIELDS)
    for key, value in fields.items():
        setattr(scenario, key, value)
    save_validated(scenario)
    changes = audit.diff(before, audit.snapshot(scenario, TRANSITION_FIELDS))
    _log(user, scenario.study, action, scenario, changes, parent=scenario.study)
    return scenario


ACKNOWLEDGED = "scenario.problems_acknowledged"
TRANSITION_VERBS = {"submit": "submitted", "approve": "approved"}


def _acknowledge(user, scenario: Scenario, review, transition: str, acknowledge: bool, reason: str) -> None:
    """A scenario with problems (checks.review) goes on only when the user acknowledges them with a reason; the
    acknowledgement, the problems and the reason are logged. Refused otherwise, naming the problems."""
    if not review.problems:
        return
    reason = (reason or "").strip()
    if acknowledge and reason:
        _log(
            user,
            scenario.study,
            ACKNOWLEDGED,
            scenario,
            audit.created({"transition": transition, "problems": list(review.problems), "reason": reason}),
            parent=scenario.study,
        )
        return
    named = "; ".join(p.rstrip(".") for p in review.problems) + "."
    fields = {}
    if not acknowledge:
        fields["acknowledge"] = f"Acknowledge the problems to {transition} it anyway."
    if not reason:
        fields["reason"] = f"Say why it should be {TRANSITION_VERBS[transition]} despite its problems."
    raise ApplicationError(
        f"This scenario has problems: {named} To {transition} it anyway, acknowledge them and give a reason.",
        {**fields, "problems": list(review.problems)},
    )


@transaction.atomic
def scenario_submit(*, user, scenario: Scenario, acknowledge: bool = False, reason: str = "") -> Scenario:
    """Send a draft for approval. A network that does not bring material to the end collector is refused, with why.
    A network with problems (checks.review: over capacity, short of the need, no assessment or a stale one) goes
    only with `acknowledge` and a `reason`, logged; the organisation's admins are e-mailed (tasks, on commit)."""
    require_role(access.can_edit, user, scenario.study.end_collector)
    scenario = _locked_draft(scenario)
    flows = network.flows(scenario)
    if flows.problems:
        raise ApplicationError(
            "This network cannot be submitted: " + " ".join(flows.problems), {"network": list(flows.problems)}
        )
    _acknowledge(user, scenario, checks.review(scenario, flows), "submit", acknowledge, reason)
    scenario = _transition(
        user,
        scenario,
        "scenario.submitted",
        status=Scenario.Status.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=user,
    )
    notify.on_commit(notify.SUBMITTED, scenario.pk)
    return scenario


def _locked_submitted(user, scenario: Scenario) -> Scenario:
    require_role(access.can_admin, user, scenario.study.end_collector)
    scenario = Scenario.objects.select_for_update().select_related("study__end_collector").get(pk=scenario.pk)
    if scenario.status != Scenario.Status.SUBMITTED:
        raise ApplicationError(
            f"Only submitted scenarios are decided; this one is {scenario.get_status_display().lower()}.", status=409
        )
    return scenario


SAME_PERSON = (
    "{org} requires that a scenario is approved by someone other than the person who submitted it; "
    "another admin approves it."
)


@transaction.atomic
def scenario_approve(
    *, user, scenario: Scenario, comment: str = "", acknowledge: bool = False, reason: str = ""
) -> Scenario:
    """Approve a submitted scenario (the end collector's admins only); it is frozen from now on, with the need, the
    delivered tonnes and the last good assessment run of this moment stored. Problems need `acknowledge` and a
    `reason` (logged); an organisation that requires it refuses the submitter as approver (403)."""
    scenario = _locked_submitted(user, scenario)
    org = scenario.study.end_collector
    if org.approver_not_submitter and scenario.submitted_by_id == user.pk:
        raise ApplicationError(SAME_PERSON.format(org=org.name), status=403)
    review = checks.review(scenario)
    _acknowledge(user, scenario, review, "approve", acknowledge, reason)
    scenario = _transition(
        user,
        scenario,
        "scenario.approved",
        status=Scenario.Status.APPROVED,
        decision_comment=comment,
        decided_by=user,
        decided_at=timezone.now(),
        approved_need_t=Decimal(str(round(review.need_t, 3))),
        approved_delivered_t=Decimal(str(round(review.delivered_t, 3))),
        approved_run_id=review.last_good_run,
    )
    notify.on_commit(notify.DECIDED, scenario.pk)
    return scenario


@transaction.atomic
def scenario_reject(*, user, scenario: Scenario, comment: str) -> Scenario:
    scenario = _locked_submitted(user, scenario)
    if not (comment or "").strip():
        raise ApplicationError("Say why the scenario is rejected.", {"comment": "A rejection needs a comment."})
    scenario = _transition(
        user,
        scenario,
        "scenario.rejected",
        status=Scenario.Status.REJECTED,
        decision_comment=comment.strip(),
        decided_by=user,
        decided_at=timezone.now(),
    )
    notify.on_commit(notify.DECIDED, scenario.pk)
    return scenario


def _copy(user, source: Scenario, *, name: str, version: int, action: str) -> Scenario:
    copy = Scenario(study=source.study, name=name, version=version, previous=source, description=source.description)
    save_validated(copy)
    _log(user, source.study, action, copy, audit.created(audit.snapshot(copy, SCENARIO_FIELDS)), parent=source.study)
    new_nodes = {}
    for node in source.nodes.select_related("facility__organization", "activity__process"):
        old_pk = node.pk
        node.pk = node.id = None
        node.scenario = copy
        node.save()
        new_nodes[old_pk] = node
        _log(user, source.study, "scenario.node.created", node, audit.created(_snapshot_node(node)), parent=copy)
    for route in source.routes.select_related("material").order_by("pk"):
        route.pk = route.id = None
        route.scenario = copy
        route.origin = new_nodes[route.origin_id]
        route.destination = new_nodes[route.destination_id]
        route.save()
        _log(user, source.study, "scenario.route.created", route, audit.created(_snapshot_route(route)), parent=copy)
    return copy


@transaction.atomic
def scenario_new_version(*, user, scenario: Scenario) -> Scenario:
    """Copy a submitted, approved or rejected scenario into a draft with the next version number."""
    require_role(access.can_edit, user, scenario.study.end_collector)
    if scenario.status == Scenario.Status.DRAFT:
        raise ApplicationError("This scenario is still a draft; change it directly.", status=409)
    latest = (
        Scenario.objects.select_for_update()
        .filter(study=scenario.study, name=scenario.name)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return _copy(user, scenario, name=scenario.name, version=latest + 1, action="scenario.versioned")


def _copy_name(name: str, suffix: str) -> str:
    """ "<name> (copy)", the name shortened (with an ellipsis) so that the whole fits the name's 160 characters."""
    limit = Scenario._meta.get_field("name").max_length - len(suffix) - 1
    if len(name) > limit:
        name = name[: limit - 1].rstrip() + "…"
    return f"{name} {suffix}"


@transaction.atomic
def scenario_clone(*, user, scenario: Scenario, name: str = "") -> Scenario:
    """Copy any scenario into a new draft of its own name (default "<name> (copy)", then "(copy 2)"...)."""
    require_role(access.can_edit, user, scenario.study.end_collector)
    name = (name or "").strip()
    if not name:
        n, name = 1, _copy_name(scenario.name, "(copy)")
        while Scenario.objects.filter(study=scenario.study, name=name).exists():
            n += 1
            name = _copy_name(scenario.name, f"(copy {n})")
    elif Scenario.objects.filter(study=scenario.study, name=name).exists():
        raise ApplicationError("Choose another name.", {"name": "This study already has a scenario of that name."})
    return _copy(user, scenario, name=name, version=1, action="scenario.cloned")
