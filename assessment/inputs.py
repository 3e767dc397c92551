"""From a scenario to the pure modules and back: the input snapshot of a run, its hash, and the result computed from
the snapshot alone (so a stored run can be recomputed and compared).

What a run takes, per node: its planned throughput (scenarios.network.flows, with the yields of the stages the node
takes over from a skipped role), the facility's fixed cost (once per site), the processing cost and the impacts per
tonne of the stages it performs (assessment/basis.py: its own role's activities, the node's activity if chosen, and
those of a stage its routes skip that its site performs; a collector's share allocated to the wanted material), the
price per tonne on its company's sheet (criterion `price`, a transfer between partners) and the days in stock of its
role. A facility's declared impacts are primary data; when it declares none (all zero) the library's per-process
defaults stand in, and the snapshot says which. The snapshot carries the basis version it was computed on.
"""

import gc
import hashlib
import json
import math
from contextlib import contextmanager
from decimal import Decimal
from typing import NamedTuple

import numpy as np

from partners.models import ROLE_FIELDS, Activity, CriterionValue, Role
from scenarios import network
from scenarios.models import STAGE
from scenarios.services import ROLE_PROCESS_STAGE

from . import basis, indicators, lca
from .factors import IMPACTS, MODES
from .models import Factor, FactorOverride

PRICE_CRITERION = "price"
# "Total RL cost" is the method's name of the network cost
COST_LABELS = {
    "transport_eur": "Transport",
    "facilities_eur": "Facilities (fixed, once per site)",
    "activities_eur": "Activities (processing)",
    "stock_eur": "Stock",
    "total_eur": "Total RL cost",
}
VIEW_LABELS = {"end_collector_eur": "End collector's cost"}
PARTNER_LABELS = {
    **COST_LABELS,
    "total_eur": "Own costs",
    "purchases_eur": "Bought from partners",
    "sales_eur": "Sold to partners",
    "net_eur": "Net cost",
}
PARTNER_LABELS_BASIS_1 = {
    "transport_eur": "Transport",
    "facilities_eur": "Facilities",
    "purchasing_eur": "Purchasing",
    "activities_eur": "Activities (processing)",
    "stock_eur": "Stock",
    "total_eur": "Total RL cost",
}
STAGE_ROLE = {stage: role for role, stage in STAGE.items()}
LCA_LABELS = {
    "climate_change_kg_co2e": ("Climate change", "kg CO2e"),
    "nonrenewable_energy_mj": ("Non-renewable energy", "MJ"),
    "fresh_water_m3": ("Fresh water", "m3"),
}


class FactorTable:
    """The study's factors: its overrides first, then the default library."""

    def __init__(self, study):
        self.rows = {
            f.code: {
                "value": f.value,
                "unit": f.unit,
                "source": f.source,
                "origin": "library",
                "is_assumption": f.is_assumption,
            }
            for f in Factor.objects.filter(library__is_default=True)
        }
        for o in FactorOverride.objects.filter(study=study):
            self.rows[o.code] = {
                "value": o.value,
                "unit": o.unit,
                "source": o.source,
                "origin": "study",
                "is_assumption": False,
            }
        self.used: dict[str, dict] = {}

    def get(self, code: str, default: float | None = None) -> float:
        row = self.rows.get(code)
        if row is None:
            if default is None:
                raise ValueError(
                    f"The factor library has no {code}; staff add it in the admin, or the study overrides it."
                )
            return default
        self.used[code] = row
        return row["value"]


# The snapshot reads plain rows (values_list), not model instances: a scenario of 100,000 routes would otherwise build
# some 400,000 instances and clone a queryset per node for its facility's activities (benchmarks/
# assessment_end_to_end.py). The rows keep the attribute names scenarios.network.flows reads from nodes and routes.


class _Facility(NamedTuple):
    name: str


class _Node(NamedTuple):
    pk: int
    role: str
    yield_ratio: Decimal
    capacity_t_per_year: Decimal
    facility_id: int
    facility: _Facility
    fixed_cost_eur_per_year: Decimal
    organization_id: int
    organization: str
    activity_id: int | None
    performs: frozenset  # the roles its facility offers


class _Route(NamedTuple):
    pk: int
    origin_id: int
    destination_id: int
    share: Decimal
    quantity_t: Decimal | None
    material: str
    distance_km: Decimal
    mode: str
    is_backhaul: bool


class _Activity(NamedTuple):
    """An activity's figures as floats, converted once."""

    pk: int
    facility_id: int
    process: str
    stage: str
    cost_eur_per_t: float
    co2e_kg_per_t: float
    energy_mj_per_t: float
    water_m3_per_t: float
    yield_ratio: float


_ACTIVITY_FIELDS = (
    "pk",
    "facility_id",
    "process__code",
    "process__stage",
    "cost_eur_per_t",
    "co2e_kg_per_t",
    "energy_mj_per_t",
    "water_m3_per_t",
    "yield_ratio",
)
_ROLE_FLAGS = tuple(ROLE_FIELDS.items())


def _activity(row) -> _Activity:
    pk, facility_id, process, stage, *figures = row
    return _Activity(pk, facility_id, process, stage, *map(float, figures))


def _nodes(scenario) -> list[_Node]:
    rows = scenario.nodes.order_by("pk").values_list(
        "pk",
        "role",
        "yield_ratio",
        "capacity_t_per_year",
        "facility_id",
        "facility__name",
        "facility__fixed_cost_eur_per_year",
        "facility__organization_id",
        "facility__organization__name",
        "activity_id",
        *(f"facility__{field}" for _, field in _ROLE_FLAGS),
    )
    return [
        _Node(
            pk,
            role,
            y,
            capacity,
            facility_id,
            _Facility(name),
            fixed,
            org_id,
            org,
            activity_id,
            frozenset(r for (r, _), on in zip(_ROLE_FLAGS, flags) if on),
        )
        for pk, role, y, capacity, facility_id, name, fixed, org_id, org, activity_id, *flags in rows
    ]


def _routes(scenario) -> list[_Route]:
    return [
        _Route._make(row)
        for row in scenario.routes.order_by("pk").values_list(
            "pk",
            "origin_id",
            "destination_id",
            "share",
            "quantity_t",
            "material__code",
            "distance_km",
            "mode",
            "is_backhaul",
        )
    ]


def _activities(scenario, nodes: list[_Node]) -> tuple[dict[int, list[_Activity]], dict[int, _Activity]]:
    """The activities of the scenario's facilities, per facility in the model's order (stage, then process name),
    and by id, including any node's chosen activity of another facility."""
    per_facility: dict[int, list[_Activity]] = {}
    by_id: dict[int, _Activity] = {}
    rows = (
        Activity.objects.filter(facility_id__in=scenario.nodes.values("facility_id"))
        .order_by("facility_id", "process__stage", "process__name", "pk")
        .values_list(*_ACTIVITY_FIELDS)
    )
    for row in rows:
        activity = _activity(row)
        per_facility.setdefault(activity.facility_id, []).append(activity)
        by_id[activity.pk] = activity
    missing = {n.activity_id for n in nodes if n.activity_id and n.activity_id not in by_id}
    if missing:
        by_id.update(
            (row[0], _activity(row)) for row in Activity.objects.filter(pk__in=missing).values_list(*_ACTIVITY_FIELDS)
        )
    return per_facility, by_id


def _stage_activities(node: _Node, per_facility: dict, by_id: dict) -> list[_Activity]:
    if node.role == Role.END_COLLECTOR:
        return []
    if node.activity_id:
        return [by_id[node.activity_id]]
    stage = ROLE_PROCESS_STAGE[node.role]
    return [a for a in per_facility.get(node.facility_id, ()) if a.stage == stage]


@contextmanager
def _cyclic_gc_paused():
    """Pause CPython's cyclic garbage collector while a snapshot is built. A 100,000-route scenario allocates about
    a million objects that all live until the snapshot is returned, and the collector's repeated full passes over
    them cost as much as the build itself (benchmarks/assessment_end_to_end.py: load about 2.5 s, 1.5 s paused).
    Reference counting still frees everything; any cycle is collected once the collector resumes as it was."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _basis_process(a: _Activity) -> basis.Process:
    return basis.Process(a.process, a.cost_eur_per_t, a.co2e_kg_per_t, a.energy_mj_per_t, a.water_m3_per_t)


def taken_over(nodes: list[_Node], routes: list[_Route]) -> dict[int, dict[str, list[str]]]:
    """Per node, the roles whose stage its routes skip and its site performs: "before" its own (taken over from the
    sender's side, the receiving site performs it) and "after" (the sending site performs it, the receiver does
    not). The route service refuses a route skipping a stage neither end performs."""
    by_pk = {n.pk: n for n in nodes}
    extra: dict[int, dict[str, list[str]]] = {n.pk: {"before": [], "after": []} for n in nodes}
    for r in routes:
        o, d = by_pk[r.origin_id], by_pk[r.destination_id]
        for stage in basis.skipped_stages(STAGE[o.role], STAGE[d.role]):
            role = STAGE_ROLE[stage]
            side, node = ("before", d) if role in d.performs else ("after", o)
            if role not in extra[node.pk][side]:
                extra[node.pk][side].append(role)
    for sides in extra.values():
        for roles in sides.values():
            roles.sort(key=STAGE.get)
    return extra


def _stage(
    role: str,
    activities: list[_Activity],
    yield_ratio: float,
    allocation: str,
    prices: tuple[float, float] = (0.0, 0.0),
) -> basis.Stage:
    """A stage of a node; a collector's burden is allocated to the wanted material (by mass, or by value with its
    price and the rest's)."""
    share = basis.allocation_share(allocation, yield_ratio, *prices) if role == Role.COLLECTOR else 1.0
    return basis.Stage(tuple(_basis_process(a) for a in activities), yield_ratio, share)


@_cyclic_gc_paused()
def snapshot(scenario) -> dict:
    """Everything a run of this scenario computes from, JSON-ready. Raises ValueError when the network cannot be
    assessed (it does not reach the end collector)."""
    nodes = _nodes(scenario)
    routes = _routes(scenario)
    study = scenario.study
    allocation = getattr(study, "allocation", "mass")
    factors = FactorTable(study)
    per_facility, activities_by_id = _activities(scenario, nodes)
    extra = taken_over(nodes, routes)
    prices = dict(
        CriterionValue.objects.filter(criterion__code=PRICE_CRITERION)
        .filter(sheet__organization__in={n.organization_id for n in nodes})
        .values_list("sheet__organization_id", "value")
    )
    rest_value = factors.get("allocation.rest_value") if allocation == "economic" else 0.0

    def library(code: str) -> list[float]:
        return [factors.get(f"process.{impact}.{code}", 0.0) for impact in IMPACTS]

    node_basis = {}
    for n in nodes:
        stages = []
        for role in extra[n.pk]["before"]:
            acts = [a for a in per_facility.get(n.facility_id, ()) if a.stage == ROLE_PROCESS_STAGE[role]]
            stages.append(_stage(role, acts, float(basis.stage_yield(a.yield_ratio for a in acts)), allocation))
        stages.append(
            _stage(
                n.role,
                _stage_activities(n, per_facility, activities_by_id),
                float(n.yield_ratio),
                allocation,
                (float(prices.get(n.organization_id, 0)), rest_value),
            )
        )
        for role in extra[n.pk]["after"]:
            acts = [a for a in per_facility.get(n.facility_id, ()) if a.stage == ROLE_PROCESS_STAGE[role]]
            stages.append(_stage(role, acts, float(basis.stage_yield(a.yield_ratio for a in acts)), allocation))
        node_basis[n.pk] = basis.node_basis(stages, library_impacts=library)
    # the quantities follow the yields of every stage a node performs
    flows = network.flows(scenario, [n._replace(yield_ratio=node_basis[n.pk].yield_ratio) for n in nodes], routes)
    if flows.problems:
        raise ValueError("This network cannot be assessed: " + " ".join(flows.problems))
    partners: dict[str, int] = {}  # name -> position, in order of first appearance
    index = {n.pk: i for i, n in enumerate(nodes)}
    seen_facilities: set[int] = set()
    node_rows = []
    end_partner = None
    for n in nodes:
        partner = partners.setdefault(n.organization, len(partners))
        if n.role == Role.END_COLLECTOR:
            end_partner = partner
        b = node_basis[n.pk]
        node_rows.append(
            {
                "id": n.pk,
                "facility": n.facility.name,
                "role": n.role,
                "partner": partner,
                "throughput_t": flows.nodes[n.pk].inflow_t,
                "fixed_eur": 0.0 if n.facility_id in seen_facilities else float(n.fixed_cost_eur_per_year),
                "process_eur_per_t": b.process_eur_per_t,
                "price_eur_per_t": float(prices.get(n.organization_id, 0)),
                "stock_days": factors.get(f"stock.days.{n.role}"),
                "impacts_per_t": list(b.impacts_per_t),
                "impact_origin": b.impact_origin,
                "processes": list(b.processes),
                "yield": b.yield_ratio,
                "allocation_share": b.allocation_share,
                "also_performs": extra[n.pk]["before"] + extra[n.pk]["after"],
            }
        )
        seen_facilities.add(n.facility_id)
    for code in ["backhaul.share", "stock.holding"] + [
        f"material.{k}.{i}" for k in ("primary", "secondary") for i in IMPACTS
    ]:
        factors.get(code)
    for mode in {r.mode for r in routes}:
        basis.transport_per_tkm(factors.get, mode)
    return {
        "basis": basis.BASIS_VERSION,
        "allocation": allocation,
        "end_partner": end_partner,
        "scenario": {"id": scenario.pk, "name": scenario.name, "version": scenario.version},
        "study": {
            "id": study.pk,
            "product_mass_kg": float(study.product_mass_kg),
            "units_per_year": study.units_per_year,
            "product_t": float(study.product_t_per_year),
            "need_t": float(study.required_t_per_year),
        },
        "delivered_t": flows.delivered_t,
        "partners": list(partners),
        "nodes": node_rows,
        "routes": [
            {
                "id": r.pk,
                "origin": index[r.origin_id],
                "destination": index[r.destination_id],
                "material": r.material,
                "quantity_t": flows.routes[r.pk].quantity_t,
                "distance_km": float(r.distance_km),
                "mode": r.mode,
                "backhaul": r.is_backhaul,
            }
            for r in routes
        ],
        "factors": dict(sorted(factors.used.items())),
    }


def digest(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _transport(factors: dict) -> dict[str, basis.TransportBasis]:
    """Per mode, the snapshot's transport factors through the basis; a mode no route uses is not in the snapshot and
    gets 0 (it carries nothing)."""

    def get(code: str, default: float | None = None) -> float:
        row = factors.get(code)
        return row["value"] if row is not None else (0.0 if default is None else default)

    return {mode: basis.transport_per_tkm(get, mode) for mode in MODES}


def _mode_vector(transport: dict, attribute: str) -> np.ndarray:
    return np.array([getattr(transport[mode], attribute) for mode in MODES])


def arrays(inputs: dict) -> indicators.NetworkArrays:
    nodes, routes = inputs["nodes"], inputs["routes"]

    def col(rows, key, dtype=float):
        return np.array([row[key] for row in rows], dtype=dtype)

    return indicators.NetworkArrays(
        route_origin=col(routes, "origin", int),
        route_destination=col(routes, "destination", int),
        route_quantity_t=col(routes, "quantity_t"),
        route_distance_km=col(routes, "distance_km"),
        route_mode=np.array([MODES.index(r["mode"]) for r in routes], dtype=int),
        route_backhaul=col(routes, "backhaul", bool),
        node_throughput_t=col(nodes, "throughput_t"),
        node_partner=col(nodes, "partner", int),
        node_fixed_eur=col(nodes, "fixed_eur"),
        node_process_eur_per_t=col(nodes, "process_eur_per_t"),
        node_price_eur_per_t=col(nodes, "price_eur_per_t"),
        node_stock_days=col(nodes, "stock_days"),
        node_co2e_kg_per_t=np.array([n["impacts_per_t"][0] for n in nodes], dtype=float),
        node_energy_mj_per_t=np.array([n["impacts_per_t"][1] for n in nodes], dtype=float),
        node_water_m3_per_t=np.array([n["impacts_per_t"][2] for n in nodes], dtype=float),
        n_partners=len(inputs["partners"]),
    )


def _number(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def compute(inputs: dict) -> dict:
    """The run's result from its snapshot alone: indicator rows and the cost of each partner."""
    f = inputs["factors"]
    value = {code: row["value"] for code, row in f.items()}
    net = arrays(inputs)
    transport = _transport(f)
    cost = indicators.costs(
        net,
        indicators.CostFactors(
            transport_eur_per_tkm=_mode_vector(transport, "eur"),
            backhaul_share=value["backhaul.share"],
            holding_eur_per_t_year=value["stock.holding"],
        ),
        end_partner=inputs.get("end_partner"),
    )
    study = inputs["study"]
    rate = indicators.recycling_rate(inputs["delivered_t"], study["product_t"])
    impact = lca.ImpactFactors(
        transport_per_tkm=np.stack([_mode_vector(transport, k) for k in ("co2e_kg", "energy_mj", "water_m3")], axis=1),
        backhaul_share=value["backhaul.share"],
        primary_per_kg=np.array([value[f"material.primary.{i}"] for i in IMPACTS]),
        secondary_per_kg=np.array([value[f"material.secondary.{i}"] for i in IMPACTS]),
    )
    units = study["units_per_year"]
    eol = lca.end_of_life(net, impact, units)
    whole = lca.whole_life(eol, study["product_mass_kg"] * units, rate, impact, units)
    rows = [
        {
            "code": f"cost.{key}",
            "label": label,
            "value": float(getattr(cost, key)),
            "unit": "EUR/year",
            "phase": "end_of_life",
            "origin": "logistics model",
        }
        for key, label in COST_LABELS.items()
    ]
    if cost.end_collector_eur is not None:
        rows.append(
            {
                "code": "cost.end_collector_eur",
                "label": VIEW_LABELS["end_collector_eur"],
                "value": cost.end_collector_eur,
                "unit": "EUR/year",
                "phase": "end_of_life",
                "origin": "logistics model",
            }
        )
    rows.append(
        {
            "code": "recycling_rate",
            "label": "Recycling rate",
            "value": rate,
            "unit": "share",
            "phase": "whole_life",
            "origin": "logistics model",
        }
    )
    for phase, result in (("end_of_life", eol), ("whole_life", whole)):
        for i, key in enumerate(lca.INDICATORS):
            label, unit = LCA_LABELS[key]
            rows.append(
                {
                    "code": f"{phase}.{key}",
                    "label": label,
                    "value": float(result.values[i]),
                    "unit": f"{unit}/year",
                    "phase": phase,
                    "origin": "LCA factors",
                    "per_unit": float(result.per_unit[i]),
                    "per_unit_unit": f"{unit}/unit",
                    "baseline": float(result.baseline[i]),
                    "difference": float(result.difference[i]),
                    "difference_pct": _number(result.difference_pct[i]),
                }
            )
    per_partner = [
        {"partner": name, **{key: float(cost.per_partner[key][i]) for key in PARTNER_LABELS}}
        for i, name in enumerate(inputs["partners"])
    ]
    delivered = inputs["delivered_t"]
    views = {
        "basis": inputs.get("basis", 1),
        "allocation": inputs.get("allocation", "none"),
        "delivered_t": delivered,
        "network_eur": cost.total_eur,
        "end_collector_eur": cost.end_collector_eur,
        "transfers_eur": cost.transfers_eur,
        "network_eur_per_t": cost.total_eur / delivered if delivered > 0 else None,
        "end_collector_eur_per_t": (
            cost.end_collector_eur / delivered if delivered > 0 and cost.end_collector_eur is not None else None
        ),
    }
    tkm_per_mode = np.bincount(
        net.route_mode, weights=indicators.weighted_tonne_km(net, value["backhaul.share"]), minlength=len(MODES)
    )
    views["transport_co2e_kg"] = {
        "tank_to_wheel": float(tkm_per_mode @ _mode_vector(transport, "co2e_ttw_kg")),
        "well_to_tank": float(tkm_per_mode @ _mode_vector(transport, "co2e_wtt_kg")),
    }
    return {"indicators": rows, "per_partner": per_partner, "cost_views": views}
