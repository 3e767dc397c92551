"""From a scenario to the pure modules and back: the input snapshot of a run, its hash, and the result computed from
the snapshot alone (so a stored run can be recomputed and compared).

What a run takes, per node: its planned throughput (scenarios.network.flows), the facility's fixed cost (once per
facility), the processing cost and the impacts per tonne of the activities it performs (the node's activity, else
all the facility's activities of the role's stage), the price per tonne on the sender's sheet (criterion `price`),
and the days in stock of its role. A facility's declared impacts are primary data; when it declares none (all zero)
the library's per-process defaults stand in, and the snapshot says which.
"""

import gc
import hashlib
import json
import math
from contextlib import contextmanager
from decimal import Decimal
from typing import NamedTuple

import numpy as np

from partners.models import Activity, CriterionValue, Role
from scenarios import network
from scenarios.services import ROLE_PROCESS_STAGE

from . import indicators, lca
from .factors import IMPACTS, MODES
from .models import Factor, FactorOverride

PRICE_CRITERION = "price"
COST_LABELS = {"transport_eur": "Transport", "facilities_eur": "Facilities", "purchasing_eur": "Purchasing",
               "activities_eur": "Activities (processing)", "stock_eur": "Stock", "total_eur": "Total RL cost"}
LCA_LABELS = {"climate_change_kg_co2e": ("Climate change", "kg CO2e"),
              "nonrenewable_energy_mj": ("Non-renewable energy", "MJ"),
              "fresh_water_m3": ("Fresh water", "m3")}


class FactorTable:
    """The study's factors: its overrides first, then the default library."""

    def __init__(self, study):
        self.rows = {f.code: {"value": f.value, "unit": f.unit, "source": f.source, "origin": "library",
                              "is_assumption": f.is_assumption}
                     for f in Factor.objects.filter(library__is_default=True)}
        for o in FactorOverride.objects.filter(study=study):
            self.rows[o.code] = {"value": o.value, "unit": o.unit, "source": o.source, "origin": "study",
                                 "is_assumption": False}
        self.used: dict[str, dict] = {}

    def get(self, code: str, default: float | None = None) -> float:
        row = self.rows.get(code)
        if row is None:
            if default is None:
                raise ValueError(f"The factor library has no {code}; staff add it in the admin, "
                                 "or the study overrides it.")
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


_ACTIVITY_FIELDS = ("pk", "facility_id", "process__code", "process__stage", "cost_eur_per_t", "co2e_kg_per_t",
                    "energy_mj_per_t", "water_m3_per_t")


def _activity(row) -> _Activity:
    pk, facility_id, process, stage, *figures = row
    return _Activity(pk, facility_id, process, stage, *map(float, figures))


def _nodes(scenario) -> list[_Node]:
    rows = scenario.nodes.order_by("pk").values_list(
        "pk", "role", "yield_ratio", "capacity_t_per_year", "facility_id", "facility__name",
        "facility__fixed_cost_eur_per_year", "facility__organization_id", "facility__organization__name",
        "activity_id")
    return [_Node(pk, role, y, capacity, facility_id, _Facility(name), fixed, org_id, org, activity_id)
            for pk, role, y, capacity, facility_id, name, fixed, org_id, org, activity_id in rows]


def _routes(scenario) -> list[_Route]:
    return [_Route._make(row) for row in scenario.routes.order_by("pk").values_list(
        "pk", "origin_id", "destination_id", "share", "quantity_t", "material__code", "distance_km", "mode",
        "is_backhaul")]


def _activities(scenario, nodes: list[_Node]) -> tuple[dict[int, list[_Activity]], dict[int, _Activity]]:
    """The activities of the scenario's facilities, per facility in the model's order (stage, then process name),
    and by id, including any node's chosen activity of another facility."""
    per_facility: dict[int, list[_Activity]] = {}
    by_id: dict[int, _Activity] = {}
    rows = (Activity.objects.filter(facility_id__in=scenario.nodes.values("facility_id"))
            .order_by("facility_id", "process__stage", "process__name", "pk").values_list(*_ACTIVITY_FIELDS))
    for row in rows:
        activity = _activity(row)
        per_facility.setdefault(activity.facility_id, []).append(activity)
        by_id[activity.pk] = activity
    missing = {n.activity_id for n in nodes if n.activity_id and n.activity_id not in by_id}
    if missing:
        by_id.update((row[0], _activity(row)) for row in
                     Activity.objects.filter(pk__in=missing).values_list(*_ACTIVITY_FIELDS))
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


@_cyclic_gc_paused()
def snapshot(scenario) -> dict:
    """Everything a run of this scenario computes from, JSON-ready. Raises ValueError when the network cannot be
    assessed (it does not reach the end collector)."""
    nodes = _nodes(scenario)
    routes = _routes(scenario)
    flows = network.flows(scenario, nodes, routes)
    if flows.problems:
        raise ValueError("This network cannot be assessed: " + " ".join(flows.problems))
    study = scenario.study
    factors = FactorTable(study)
    prices = dict(CriterionValue.objects.filter(criterion__code=PRICE_CRITERION)
                  .filter(sheet__organization__in={n.organization_id for n in nodes})
                  .values_list("sheet__organization_id", "value"))
    per_facility, activities_by_id = _activities(scenario, nodes)
    partners: dict[str, int] = {}  # name -> position, in order of first appearance
    index = {n.pk: i for i, n in enumerate(nodes)}
    seen_facilities: set[int] = set()
    node_rows = []
    for n in nodes:
        partner = partners.setdefault(n.organization, len(partners))
        activities = _stage_activities(n, per_facility, activities_by_id)
        declared = [sum(a.co2e_kg_per_t for a in activities), sum(a.energy_mj_per_t for a in activities),
                    sum(a.water_m3_per_t for a in activities)]
        if any(declared):
            impacts, origin = declared, "primary data"
        elif activities:
            impacts = [sum(factors.get(f"process.{impact}.{a.process}", 0.0) for a in activities)
                       for impact in IMPACTS]
            origin = "library"
        else:
            impacts, origin = [0.0, 0.0, 0.0], "none"
        node_rows.append({
            "id": n.pk, "facility": n.facility.name, "role": n.role, "partner": partner,
            "throughput_t": flows.nodes[n.pk].inflow_t,
            "fixed_eur": 0.0 if n.facility_id in seen_facilities else float(n.fixed_cost_eur_per_year),
            "process_eur_per_t": sum(a.cost_eur_per_t for a in activities),
            "price_eur_per_t": float(prices.get(n.organization_id, 0)),
            "stock_days": factors.get(f"stock.days.{n.role}"),
            "impacts_per_t": impacts, "impact_origin": origin,
            "processes": [a.process for a in activities],
        })
        seen_facilities.add(n.facility_id)
    for code in ["backhaul.share", "stock.holding"] + [f"material.{k}.{i}" for k in ("primary", "secondary")
                                                       for i in IMPACTS]:
        factors.get(code)
    for mode in {r.mode for r in routes}:
        for kind in ("cost",) + IMPACTS:
            factors.get(f"transport.{kind}.{mode}")
    return {
        "scenario": {"id": scenario.pk, "name": scenario.name, "version": scenario.version},
        "study": {"id": study.pk, "product_mass_kg": float(study.product_mass_kg),
                  "units_per_year": study.units_per_year, "product_t": float(study.product_t_per_year),
                  "need_t": float(study.required_t_per_year)},
        "delivered_t": flows.delivered_t,
        "partners": list(partners),
        "nodes": node_rows,
        "routes": [{"id": r.pk, "origin": index[r.origin_id], "destination": index[r.destination_id],
                    "material": r.material, "quantity_t": flows.routes[r.pk].quantity_t,
                    "distance_km": float(r.distance_km), "mode": r.mode, "backhaul": r.is_backhaul}
                   for r in routes],
        "factors": dict(sorted(factors.used.items())),
    }


def digest(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _mode_vector(factors: dict, kind: str) -> np.ndarray:
    """One value per mode; a mode no route uses is not in the snapshot and gets 0 (it carries nothing)."""
    return np.array([factors.get(f"transport.{kind}.{mode}", {"value": 0.0})["value"] for mode in MODES])


def arrays(inputs: dict) -> indicators.NetworkArrays:
    nodes, routes = inputs["nodes"], inputs["routes"]

    def col(rows, key, dtype=float):
        return np.array([row[key] for row in rows], dtype=dtype)

    return indicators.NetworkArrays(
        route_origin=col(routes, "origin", int), route_destination=col(routes, "destination", int),
        route_quantity_t=col(routes, "quantity_t"), route_distance_km=col(routes, "distance_km"),
        route_mode=np.array([MODES.index(r["mode"]) for r in routes], dtype=int),
        route_backhaul=col(routes, "backhaul", bool),
        node_throughput_t=col(nodes, "throughput_t"), node_partner=col(nodes, "partner", int),
        node_fixed_eur=col(nodes, "fixed_eur"), node_process_eur_per_t=col(nodes, "process_eur_per_t"),
        node_price_eur_per_t=col(nodes, "price_eur_per_t"), node_stock_days=col(nodes, "stock_days"),
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
    cost = indicators.costs(net, indicators.CostFactors(
        transport_eur_per_tkm=_mode_vector(f, "cost"), backhaul_share=value["backhaul.share"],
        holding_eur_per_t_year=value["stock.holding"]))
    study = inputs["study"]
    rate = indicators.recycling_rate(inputs["delivered_t"], study["product_t"])
    impact = lca.ImpactFactors(
        transport_per_tkm=np.stack([_mode_vector(f, k) for k in IMPACTS], axis=1),
        backhaul_share=value["backhaul.share"],
        primary_per_kg=np.array([value[f"material.primary.{i}"] for i in IMPACTS]),
        secondary_per_kg=np.array([value[f"material.secondary.{i}"] for i in IMPACTS]))
    units = study["units_per_year"]
    eol = lca.end_of_life(net, impact, units)
    whole = lca.whole_life(eol, study["product_mass_kg"] * units, rate, impact, units)
    rows = [{"code": f"cost.{key}", "label": label, "value": float(getattr(cost, key)), "unit": "EUR/year",
             "phase": "end_of_life", "origin": "logistics model"} for key, label in COST_LABELS.items()]
    rows.append({"code": "recycling_rate", "label": "Recycling rate", "value": rate, "unit": "share",
                 "phase": "whole_life", "origin": "logistics model"})
    for phase, result in (("end_of_life", eol), ("whole_life", whole)):
        for i, key in enumerate(lca.INDICATORS):
            label, unit = LCA_LABELS[key]
            rows.append({"code": f"{phase}.{key}", "label": label, "value": float(result.values[i]),
                         "unit": f"{unit}/year", "phase": phase, "origin": "LCA factors",
                         "per_unit": float(result.per_unit[i]), "per_unit_unit": f"{unit}/unit",
                         "baseline": float(result.baseline[i]), "difference": float(result.difference[i]),
                         "difference_pct": _number(result.difference_pct[i])})
    per_partner = [{"partner": name, **{key: float(cost.per_partner[key][i]) for key in COST_LABELS}}
                   for i, name in enumerate(inputs["partners"])]
    return {"indicators": rows, "per_partner": per_partner}
