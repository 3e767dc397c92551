"""Building a scenario step by step: role after role, backwards from the end collector or forwards from the
collectors, the user picks a facility (the top-ranked candidate of a partner ranking, or another with a reason) and
the portal adds its node and the routes that join it to the network, carrying the recommended quantity in the chosen
transport mode. Each step goes through the scenario services (permissions, validation, history) in one transaction,
and the choice itself, with its rank and reason, is logged as `scenario.builder.step`.

Which routes a step draws, unless the user names the nodes to join:
- downstream: one route to the nearest node (geodesic distance) of the nearest downstream stage the new node may
  send to (`scenarios.services.check_downstream`);
- upstream: one route from every "open end" of the nearest upstream stage that may send to it, i.e. every node there
  that sends nothing yet.
So building backwards, each new node sends to the stage below it; building forwards, a new stage collects what the
previous stage has not sent anywhere, and a recoverer also feeds the end collector when it is already there.

The material of a route, unless the user chooses it, is one that may run there (`scenarios.materials`: the origin
sends it, the destination and the study accept it; none: no default, the step is refused naming the material): the
study's product material when the destination is the end collector; from a collector, what it collects; after a
collector, one the origin does not take in (what it has made of its input), preferably one no collector takes in (a
processed fraction rather than a raw return).
"""

from django.conf import settings
from django.db import transaction

from partners import access, audit
from partners.errors import ApplicationError
from partners.models import ROLE_FIELDS, Facility, Material, Role
from scenarios import distances, network, quantities
from scenarios import selectors as scenario_selectors
from scenarios import services as scenario_services
from scenarios.materials import route_materials
from scenarios.models import Node, Scenario

from .ahp import competition_ranks
from .models import PartnerRanking

DIRECTIONS = {"backwards": "Backwards from the end collector", "forwards": "Forwards from the collectors"}
ROLE_ORDER = {
    "backwards": [Role.END_COLLECTOR, Role.RECOVERER, Role.SORTER, Role.COLLECTOR],
    "forwards": [Role.COLLECTOR, Role.SORTER, Role.RECOVERER, Role.END_COLLECTOR],
}
STEP_ACTION = "scenario.builder.step"


def _label(facility: Facility) -> str:
    return f"{facility.name} ({facility.organization.name})"


def _check_direction(direction: str) -> None:
    if direction not in DIRECTIONS:
        raise ApplicationError("Unknown direction.", {"direction": f"Choose one of {', '.join(DIRECTIONS)}."})


def next_role(nodes, direction: str) -> str | None:
    """The first role, in the building order, that has no node yet; None when every role has one."""
    present = {n.role for n in nodes}
    return next((role.value for role in ROLE_ORDER[direction] if role not in present), None)


def options(*, user, scenario: Scenario, role: str, ranking: PartnerRanking | None = None) -> list[dict]:
    """The facilities that can take the role in this scenario: the end collector's own sites for its role, the
    available candidates' sites for the others; in the ranking's order when one is given (unranked ones after, by
    name). `top` marks the best-ranked one not yet in the network in that role."""
    study = scenario.study
    if role not in ROLE_FIELDS:
        raise ApplicationError("Unknown role.", {"role": f"Choose one of {', '.join(Role.values)}."})
    facilities = scenario_selectors.candidate_facility_list(user=user, study=study).filter(**{ROLE_FIELDS[role]: True})
    if role == Role.END_COLLECTOR:
        facilities = facilities.filter(organization=study.end_collector)
    taken = set(scenario.nodes.filter(role=role).values_list("facility_id", flat=True))
    by_rank = {}
    if ranking is not None and ranking.result and ranking.role == role:  # another role's ranks do not apply
        candidates = ranking.result["candidates"]
        by_rank = {
            c["facility_id"]: {"score": c["score"], "rank": rank, "tied": tied}  # equal scores share a rank
            for c, (rank, tied) in zip(candidates, competition_ranks([c["score"] for c in candidates]))
        }
    rows = [
        {
            "facility": f,
            "label": _label(f),
            "in_network": f.pk in taken,
            "rank": by_rank.get(f.pk, {}).get("rank"),
            "tied": by_rank.get(f.pk, {}).get("tied", False),
            "score": by_rank.get(f.pk, {}).get("score"),
            "top": False,
        }
        for f in facilities
    ]
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["label"]))
    top = next((r for r in rows if r["rank"] is not None and not r["in_network"]), None)
    if top is not None:
        top["top"] = True
    return rows


def _nearest(node: Node, others: list[Node]) -> Node:
    return min(
        others,
        key=lambda o: (
            distances.geodesic_km(float(node.latitude), float(node.longitude), float(o.latitude), float(o.longitude)),
            o.pk,
        ),
    )


def default_connections(node: Node) -> tuple[list[Node], list[Node]]:
    """(origins, destinations) the new node is joined to by default; see the module doc."""
    others = [n for n in node.scenario.nodes.select_related("facility").exclude(pk=node.pk)]
    sending = set(node.scenario.routes.values_list("origin_id", flat=True))
    return _connections(node, others, sending)


def _connections(node: Node, others: list[Node], sending: set[int]) -> tuple[list[Node], list[Node]]:
    below = [o for o in others if o.stage > node.stage and scenario_services.check_downstream(node, o) is None]
    above = [o for o in others if o.stage < node.stage and scenario_services.check_downstream(o, node) is None]
    destinations = []
    if below:
        stage = min(o.stage for o in below)
        destinations = [_nearest(node, [o for o in below if o.stage == stage])]
    origins = []
    if above:
        stage = max(o.stage for o in above)
        origins = sorted((o for o in above if o.stage == stage and o.pk not in sending), key=lambda o: o.pk)
    return origins, destinations


def preview(options: list[dict], state: dict, role: str, mode: str) -> None:
    """What each option would mean if added now (the step's default routes, in `mode`), set on each option: `joins`
    the node it would send to (or, building forwards, the nearest it would take from), `distance_km` that route's
    distance; `capacity_t` its capacity per year and `asked_t` the recommended input it would be asked for, worked
    out as the step would (scenarios.quantities on the network with the option joined); `over` when asked > capacity.

    Worked example (tests/assessment/test_builder.py): a recoverer joined to the forge that needs 90 t/year of
    billet, with a yield of 0.9, is asked for 100 t/year."""
    nodes, routes = state["nodes"], state["routes"]
    sending = {r.origin_id for r in routes}
    need_t = state["flows"].need_t
    circuity = settings.CIRCUITY_FACTORS[mode]
    base_nodes = [quantities.NodeIn(n.pk, n.role, float(n.yield_ratio), float(n.capacity_t_per_year)) for n in nodes]
    base_routes = [
        quantities.RouteIn(
            r.pk, r.origin_id, r.destination_id, float(r.share), None if r.quantity_t is None else float(r.quantity_t)
        )
        for r in routes
    ]
    for option in options:
        facility = option["facility"]
        option.update(
            joins=None, distance_km=None, capacity_t=float(facility.capacity_t_per_year), asked_t=None, over=False
        )
        if option["in_network"]:
            continue
        node = Node(facility=facility, role=role, latitude=facility.latitude, longitude=facility.longitude)
        origins, destinations = _connections(node, nodes, sending)
        joined = destinations[0] if destinations else (_nearest(node, origins) if origins else None)
        if joined is None:  # nothing to join yet: no route, nothing asked
            continue
        if joined is not None:
            option["joins"] = joined
            option["distance_km"] = (
                0.0
                if joined.facility_id == facility.pk
                else distances.transport_km(
                    float(facility.latitude),
                    float(facility.longitude),
                    float(joined.latitude),
                    float(joined.longitude),
                    circuity,
                )
            )
        try:
            yield_ratio = float(scenario_services._default_yield(facility, role, None)[0])  # as node_add copies it
        except ApplicationError:  # declares no activity for the role: the step asks for a yield
            continue
        new = quantities.NodeIn(-1, role, yield_ratio, float(facility.capacity_t_per_year))
        extra = [quantities.RouteIn(-1 - k, o.pk, -1) for k, o in enumerate(origins)] + [
            quantities.RouteIn(-100 - k, -1, d.pk) for k, d in enumerate(destinations)
        ]
        try:
            flows = quantities.compute(base_nodes + [new], base_routes + extra, need_t)
        except ValueError:
            continue
        option["asked_t"] = flows.nodes[-1].recommended_in_t
        option["over"] = option["asked_t"] > option["capacity_t"] * (1 + 1e-9)


def collected_materials(study) -> set[int]:
    """Materials some collector of the study takes in (returns as collected, not yet processed)."""
    orgs = [*study.candidates.values_list("pk", flat=True), study.end_collector_id]
    return set(
        Material.objects.filter(facilities__is_collector=True, facilities__organization__in=orgs).values_list(
            "pk", flat=True
        )
    )


def default_material(study, origin: Node, destination: Node, collected: set[int] | None = None) -> Material | None:
    """The material a route carries by default (see the module doc); `collected`: `collected_materials(study)`,
    when the caller has it already."""
    allowed = route_materials(study, origin, destination)  # the one rule routes follow (scenarios.materials)
    if destination.role == Role.END_COLLECTOR and study.product_material_id in {m.pk for m in allowed}:
        return study.product_material
    if origin.role == Role.COLLECTOR:  # it sends what it collects
        return next(iter(allowed), None)
    taken_in = {m.pk for m in origin.facility.accepted_materials.all()}
    collected = collected_materials(study) if collected is None else collected
    made = [m for m in allowed if m.pk not in taken_in]
    preferred = [m for m in made if m.pk not in collected] + made  # a processed fraction before a raw return
    return next(iter(preferred + allowed), None)


def _connect_nodes(scenario: Scenario, connect) -> list[Node]:
    nodes = []
    for pk in connect:
        node = scenario.nodes.select_related("facility").filter(pk=pk).first() if str(pk).isdigit() else None
        if node is None:
            raise ApplicationError(
                "Join the new node to nodes of this scenario.", {"connect": f"{pk} is not a node of this scenario."}
            )
        nodes.append(node)
    return nodes


@transaction.atomic
def step(
    *,
    user,
    scenario: Scenario,
    direction: str,
    role: str,
    facility: Facility,
    ranking: PartnerRanking | None = None,
    reason: str = "",
    connect=None,
    mode: str | None = None,
    material: Material | None = None,
    yield_ratio=None,
) -> tuple[Node, list]:
    """Add `facility` in `role` and the routes that join it (see the module doc; `connect` names the nodes to
    join instead), with recommended quantities (no typed quantity) and `mode`. Choosing another facility than the
    ranking's top one needs a reason; `yield_ratio` is for a facility that declares no activity for the role.
    All or nothing."""
    study = scenario.study
    scenario_services.require_role(access.can_edit, user, study.end_collector)
    _check_direction(direction)
    if role not in ROLE_FIELDS:
        raise ApplicationError("Unknown role.", {"role": f"Choose one of {', '.join(Role.values)}."})
    reason = (reason or "").strip()
    if ranking is not None:
        if ranking.study_id != study.pk or ranking.role != role:
            raise ApplicationError(
                "This ranking is not about this role in this study.",
                {"ranking": f"Choose a ranking of {Role(role).label.lower()}s of {study.name}."},
            )
        if ranking.status != PartnerRanking.Status.DONE:
            raise ApplicationError("This ranking is not done yet.", {"ranking": "Wait for it or choose another."})
        rows = options(user=user, scenario=scenario, role=role, ranking=ranking)
        top = next((r for r in rows if r["top"]), None)
        chosen = next((r for r in rows if r["facility"].pk == facility.pk), None)
        if top is not None and (chosen is None or chosen["rank"] != top["rank"]) and not reason:  # a tie needs none
            message = f"Say why you choose {_label(facility)} rather than the top-ranked {top['label']}."
            raise ApplicationError(message, {"reason": message})
    else:
        top = chosen = None
    node = scenario_services.node_add(
        user=user, scenario=scenario, facility=facility, role=role, yield_ratio=yield_ratio
    )
    if connect:
        joined = _connect_nodes(scenario, connect)
        origins = [n for n in joined if n.stage < node.stage]
        destinations = [n for n in joined if n.stage >= node.stage]
    else:
        origins, destinations = default_connections(node)
    routes = []
    for origin, destination in [(o, node) for o in origins] + [(node, d) for d in destinations]:
        chosen_material = material or default_material(study, origin, destination)
        if chosen_material is None:
            message = (
                f"No material may run from {origin.facility.name} to {destination.facility.name}: none that "
                f"{origin.facility.name} sends is accepted by {destination.facility.name} and by the study."
            )
            raise ApplicationError(message, {"material": message})
        routes.append(
            scenario_services.route_create(
                user=user,
                scenario=scenario,
                origin=origin,
                destination=destination,
                material=chosen_material,
                mode=mode,
            )
        )
    audit.log(
        actor=user,
        organization=study.end_collector,
        action=STEP_ACTION,
        target=node,
        parent=scenario,
        changes=audit.created(
            {
                "direction": direction,
                "role": role,
                "facility": _label(facility),
                "ranking": ranking.pk if ranking else None,
                "rank": chosen["rank"] if chosen else None,
                "top_ranked": top["label"] if top else None,
                "reason": reason,
                "routes": [str(r) for r in routes],
            }
        ),
    )
    return node, routes


def choices(*, user, scenario: Scenario):
    """The builder's steps on this scenario, oldest first, with who chose what and why."""
    return scenario_selectors.scenario_history(user=user, scenario=scenario).filter(action=STEP_ACTION)


NO_COLLECTOR = "No collector yet: add the collectors that gather the returns."


def state(*, user, scenario: Scenario, direction: str = "backwards") -> dict:
    """Where the building stands: the nodes per role, the role to add next, whether the network is complete, what
    is missing when it is not, the nodes whose recommended share exceeds their capacity and the choices so far.

    Complete means what a controller would sign: collectors exist, material flows from them to the end collector
    with every node joined, and the need is met within every capacity and mass balance (`scenarios.quantities`:
    no problem and no figure problem). `problems` lists what is missing otherwise."""
    _check_direction(direction)
    nodes = list(scenario_selectors.node_list(user=user, scenario=scenario))
    routes = list(scenario_selectors.route_list(user=user, scenario=scenario))
    flows = network.flows(scenario, nodes, routes)
    over_capacity = [
        f"{n.get_role_display()} {n.facility.name} {message}"
        for n in nodes
        for message in flows.nodes[n.pk].messages
        if flows.nodes[n.pk].recommended_overrun
    ]
    missing = [] if any(n.role == Role.COLLECTOR for n in nodes) else [NO_COLLECTOR]
    missing += [p for p in flows.problems if not (missing and p.startswith("No collector"))]
    missing += [p for p in flows.figure_problems]
    return {
        "direction": direction,
        "nodes": nodes,
        "routes": routes,
        "flows": flows,
        "next_role": next_role(nodes, direction),
        "complete": not missing,
        "problems": missing,
        "over_capacity": over_capacity,
        "choices": list(choices(user=user, scenario=scenario)),
    }
