"""A scenario as a network: its flows (through the pure `quantities` module), its GeoJSON, and its past versions
rebuilt from the append-only log.

Replay works because every node and route entry in the log carries the full set of tracked fields on creation and
the changed fields afterwards (`services.NODE_FIELDS`, `services.ROUTE_FIELDS`), and study entries carry the need.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal

from partners.maps import ROLE_COLOURS
from partners.models import Role

from . import quantities
from .models import Node, Route, Scenario


def _float(value) -> float | None:
    return None if value in (None, "") else float(value)


def _label(role: str, facility: str) -> str:
    return f"{Role(role).label}: {facility}"


def flows(scenario: Scenario, nodes=None, routes=None) -> quantities.NetworkFlows:
    """The scenario's recommended and planned quantities, per node and per route."""
    nodes = list(scenario.nodes.select_related("facility") if nodes is None else nodes)
    routes = list(scenario.routes.all() if routes is None else routes)
    return quantities.compute(
        [
            quantities.NodeIn(
                n.pk, n.role, float(n.yield_ratio), float(n.capacity_t_per_year), _label(n.role, n.facility.name)
            )
            for n in nodes
        ],
        [quantities.RouteIn(r.pk, r.origin_id, r.destination_id, float(r.share), _float(r.quantity_t)) for r in routes],
        float(scenario.need_t_per_year),  # an approved scenario keeps the need it was approved with
    )


# ---------------------------------------------------------------- GeoJSON


def _width(quantity_t: float, largest_t: float) -> float:
    """Line width in pixels: 2 px for nothing, up to 12 px for the largest flow of the scenario."""
    return round(2 + 10 * (quantity_t / largest_t if largest_t > 0 else 0), 1)


def _use(capacity_use: float | None) -> float | None:
    """Inflow over capacity, rounded; null when unknown or infinite (material sent to a capacity of 0), which
    JSON cannot carry: the node's flags say it."""
    return round(capacity_use, 4) if capacity_use is not None and math.isfinite(capacity_use) else None


def geojson(nodes: list[dict], routes: list[dict], result: quantities.NetworkFlows) -> dict:
    """Nodes as points coloured by role, routes as lines whose width follows the planned quantity.

    `nodes` and `routes` are plain dicts (see `state_from_models`), so a replayed past version draws the same way.
    """
    features = []
    where = {}
    for node in nodes:
        flow = result.nodes[node["id"]]
        where[node["id"]] = [float(node["longitude"]), float(node["latitude"])]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": where[node["id"]]},
                "properties": {
                    "kind": "node",
                    "id": node["id"],
                    "name": node["facility"],
                    "role": node["role"],
                    "role_label": Role(node["role"]).label,
                    "organization": node.get("organization", ""),
                    "colour": ROLE_COLOURS[node["role"]],
                    "yield_ratio": float(node["yield_ratio"]),
                    "inflow_t": round(flow.inflow_t, 3),
                    "outflow_t": round(flow.outflow_t, 3),
                    "capacity_use": _use(flow.capacity_use),
                    "flags": list(flow.messages),
                },
            }
        )
    largest = max((result.routes[r["id"]].quantity_t for r in routes), default=0)
    for route in routes:
        flow = result.routes[route["id"]]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [where[route["origin_node"]], where[route["destination_node"]]],
                },
                "properties": {
                    "kind": "route",
                    "id": route["id"],
                    "material": route["material"],
                    "quantity_t": round(flow.quantity_t, 3),
                    "recommended_t": round(flow.recommended_t, 3),
                    "typed": flow.typed,
                    "mode": route["mode"],
                    "distance_km": float(route["distance_km"]),
                    "distance_source": route["distance_source"],
                    "is_backhaul": bool(route["is_backhaul"]),
                    "width": _width(flow.quantity_t, largest),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def state_from_models(nodes: list[Node], routes: list[Route]) -> tuple[list[dict], list[dict]]:
    """The live network in the same plain form a replay gives."""
    node_dicts = [
        {
            "id": n.pk,
            "facility": n.facility.name,
            "organization": n.facility.organization.name,
            "role": n.role,
            "yield_ratio": n.yield_ratio,
            "capacity_t_per_year": n.capacity_t_per_year,
            "latitude": n.latitude,
            "longitude": n.longitude,
        }
        for n in nodes
    ]
    route_dicts = [
        {
            "id": r.pk,
            "origin_node": r.origin_id,
            "destination_node": r.destination_id,
            "material": r.material.name,
            "quantity_t": r.quantity_t,
            "share": r.share,
            "mode": r.mode,
            "distance_km": r.distance_km,
            "distance_source": r.distance_source,
            "is_backhaul": r.is_backhaul,
        }
        for r in routes
    ]
    return node_dicts, route_dicts


# ---------------------------------------------------------------- replay


@dataclass
class PastVersion:
    """The scenario as it stood just after one log entry."""

    entry_id: int
    scenario: dict = field(default_factory=dict)
    need_t: float | None = None
    nodes: dict[int, dict] = field(default_factory=dict)
    routes: dict[int, dict] = field(default_factory=dict)

    def flows(self) -> quantities.NetworkFlows:
        return quantities.compute(
            [
                quantities.NodeIn(
                    pk,
                    n["role"],
                    float(n["yield_ratio"]),
                    _float(n["capacity_t_per_year"]),
                    _label(n["role"], n["facility"]),
                )
                for pk, n in self.nodes.items()
            ],
            [
                quantities.RouteIn(
                    pk, r["origin_node"], r["destination_node"], float(r.get("share") or 1), _float(r.get("quantity_t"))
                )
                for pk, r in self.routes.items()
            ],
            self.need_t or 0.0,
        )

    def node_list(self) -> list[dict]:
        return [{"id": pk, **n} for pk, n in sorted(self.nodes.items())]

    def route_list(self) -> list[dict]:
        return [{"id": pk, **r} for pk, r in sorted(self.routes.items())]


_KINDS = {"scenario.node": "nodes", "scenario.route": "routes"}


def _need(study_values: dict) -> float | None:
    """The study's need from replayed study fields: the typed need, or share x mass x units / 1000."""
    if study_values.get("need_t_per_year") not in (None, ""):
        return float(Decimal(study_values["need_t_per_year"]))
    try:
        share, mass, units = (Decimal(study_values[k]) for k in ("recycled_share", "product_mass_kg", "units_per_year"))
    except (KeyError, TypeError, ArithmeticError):
        return None
    return float(share * mass * units / 1000)


def replay(scenario_entries, study_entries, upto_entry_id: int) -> PastVersion:
    """Apply the log, oldest first, up to and including `upto_entry_id`. Study entries set the need in force;
    entries dated after the chosen one are ignored, whichever list they come from."""
    chosen = next((e for e in scenario_entries if e.pk == upto_entry_id), None)
    if chosen is None:
        raise KeyError(upto_entry_id)
    version = PastVersion(entry_id=upto_entry_id)
    study_values: dict = {}
    merged = sorted([*scenario_entries, *study_entries], key=lambda e: (e.at, e.pk))
    for entry in merged:
        if (entry.at, entry.pk) > (chosen.at, chosen.pk):
            break
        if entry.target_type == "study":
            study_values.update({k: new for k, (old, new) in entry.changes.items()})
            continue
        prefix, _, verb = entry.action.rpartition(".")
        new_values = {k: new for k, (old, new) in entry.changes.items()}
        if prefix in _KINDS:
            bucket = getattr(version, _KINDS[prefix])
            pk = int(entry.target_id)
            if verb == "deleted":
                bucket.pop(pk, None)
            else:
                bucket.setdefault(pk, {}).update(new_values)
        elif entry.target_type == "scenario":  # the scenario itself: created, changed, submitted, approved...
            version.scenario.update(new_values)
        # other entries about the scenario (assessment runs, step-by-step choices) change none of its fields
    version.need_t = _need(study_values)
    return version
