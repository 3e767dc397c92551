"""Optimising a study's network: from the study's candidates to the pure engine (`assessment.optimize`) and back to
a draft scenario. Reads take the acting user (404 for who may not see the study's scenarios); writes check the role
(editors and admins of the study's end collector), are atomic and logged.

The model of a study, on the assessment's basis (assessment/basis.py, the same coefficients assessment/inputs.py
gives a scenario's nodes), so that the optimiser's cost, CO2e, energy and water of a network are the assessment's
network cost and end-of-life figures for it (without backhaul, which a proposal does not use):
- a candidate is a facility in one role: the end collector's own sites and those of the invited candidates sharing
  their sheet, for each role the facility offers and performs (a declared activity of the role's stage); its yield
  is the product of those activities' yields (`basis.stage_yield`), its capacity the sheet's (a collector collects
  up to it);
- its cost per tonne taken in: the activities' processing costs (a collector's allocated to the wanted share) and
  holding its stock (days of the role / 365 x holding cost per tonne and year); no sheet price: prices between
  partners are transfers and cancel in the network cost; its CO2e, energy and water per tonne: the declared
  figures, else the library's per-process defaults;
- each site's fixed cost once per year while any of its candidates is open (`optimize.Site`);
- an arc joins candidates of consecutive stages (collector -> sorter -> recoverer -> end collector) when a material
  may run there (`builder.default_material`, on the rule of `scenarios.materials`: the origin sends it, the
  destination and the study accept it); pairs with none are left out, and `left_out` says so per origin; a site in
  two roles is two candidates joined on the site (0 km), so both its processes count; its distance is the WGS-84
  geodesic times the road circuity, 0 on one site; transport cost, CO2e (well-to-wheel) and energy per tonne-km are
  the study's road factors (`basis.transport_per_tkm`);
- the end collector must receive the study's need; one period (a year).
The snapshot of all this is stored with the run, so a proposal can be explained and reproduced whatever changes later.
"""

import logging
import math
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from partners import access, audit, broker
from partners.errors import ApplicationError
from partners.models import CriterionValue, Material, Role
from scenarios import distances
from scenarios import network as scenario_network
from scenarios import selectors as scenario_selectors
from scenarios import services as scenario_services
from scenarios.models import STAGE, Node, Scenario

from . import basis, jobs, optimize, selectors
from .builder import collected_materials, default_material
from .factors import IMPACTS
from .inputs import PRICE_CRITERION, FactorTable
from .models import CARBON_PRICE_MAX_EUR_PER_KG, OptimisationRun

logger = logging.getLogger(__name__)

PARTNER_ROLES = (Role.COLLECTOR, Role.SORTER, Role.RECOVERER)
MODE = "road"  # proposals travel by road; a user changes a route's mode in the draft
FRONT_POINTS = 11
_FLOW_TOL_T = 1e-3  # flows below a kilogram are read as zero


def _key(role: str, facility_id: int) -> str:
    return f"{role}:{facility_id}"


# ---------------------------------------------------------------- the study as a model


def study_inputs(*, user, study) -> dict:
    """The candidates and arcs of the study, JSON-ready (see the module doc)."""
    facilities = list(scenario_selectors.candidate_facility_list(user=user, study=study))
    try:
        return _study_inputs(study, facilities)
    except ValueError as exc:  # a factor missing from the library and the study
        raise ApplicationError(str(exc), {"study": str(exc)}) from exc


def _study_inputs(study, facilities) -> dict:
    factors = FactorTable(study)
    transport = basis.transport_per_tkm(factors.get, MODE)
    holding = factors.get("stock.holding")
    allocation = getattr(study, "allocation", "mass")
    rest_value = factors.get("allocation.rest_value") if allocation == "economic" else 0.0
    prices = (
        dict(
            CriterionValue.objects.filter(criterion__code=PRICE_CRITERION)
            .filter(sheet__organization__in={f.organization_id for f in facilities})
            .values_list("sheet__organization_id", "value")
        )
        if allocation == "economic"
        else {}
    )
    collected = collected_materials(study)
    prefetch_related_objects([study], "accepted_materials")  # default_material reads them for every pair

    def library(code: str) -> list[float]:
        return [factors.get(f"process.{impact}.{code}", 0.0) for impact in IMPACTS]

    rows, left_out, objects = [], [], {}
    for f in facilities:
        for role in f.roles:
            where = f"{f.name} ({f.organization.name}) as {Role(role).label.lower()}"
            if role == Role.END_COLLECTOR:
                if f.organization_id != study.end_collector_id:
                    continue
                activities = []
            else:
                stage = scenario_services.ROLE_PROCESS_STAGE[role]
                activities = [a for a in f.activities.all() if a.process.stage == stage]
                if not activities:
                    left_out.append(f"{where}: declares no {stage.label.lower()} activity")
                    continue
            if role != Role.END_COLLECTOR and f.capacity_t_per_year <= 0:
                left_out.append(f"{where}: no capacity")
                continue
            yield_ratio = float(basis.stage_yield(a.yield_ratio for a in activities))
            share = (
                basis.allocation_share(allocation, yield_ratio, float(prices.get(f.organization_id, 0)), rest_value)
                if role == Role.COLLECTOR
                else 1.0
            )
            b = basis.node_basis(
                [
                    basis.Stage(
                        tuple(
                            basis.Process(
                                a.process.code,
                                float(a.cost_eur_per_t),
                                float(a.co2e_kg_per_t),
                                float(a.energy_mj_per_t),
                                float(a.water_m3_per_t),
                            )
                            for a in activities
                        ),
                        yield_ratio,
                        share,
                    )
                ],
                library_impacts=library,
            )
            cost = b.process_eur_per_t + basis.stock_eur_per_t(factors.get(f"stock.days.{role}"), holding)
            key = _key(role, f.pk)
            objects[key] = f
            rows.append(
                {
                    "key": key,
                    "facility_id": f.pk,
                    "facility": f.name,
                    "organization": f.organization.name,
                    "role": role,
                    "latitude": float(f.latitude),
                    "longitude": float(f.longitude),
                    "capacity_t": float(f.capacity_t_per_year),
                    "fixed_eur": float(f.fixed_cost_eur_per_year),
                    "yield": yield_ratio,
                    "allocation_share": share,
                    "cost_eur_per_t": cost,
                    "co2e_kg_per_t": b.impacts_per_t[0],
                    "energy_mj_per_t": b.impacts_per_t[1],
                    "water_m3_per_t": b.impacts_per_t[2],
                }
            )
    sinks = [r for r in rows if r["role"] == Role.END_COLLECTOR]
    if not sinks:
        raise ApplicationError(
            "The study's end collector has no end-collector site to deliver to.",
            {"study": "Add a facility with the end-collector role."},
        )
    for extra in sinks[1:]:  # one site receives the need
        rows.remove(extra)
        left_out.append(
            f"{extra['facility']}: another end-collector site; the need is delivered to {sinks[0]['facility']}"
        )
    arcs, no_material = [], {}
    for o in rows:
        for d in rows:
            if STAGE[d["role"]] != STAGE[o["role"]] + 1:  # each stage's processing counts (see the module doc)
                continue
            origin = Node(facility=objects[o["key"]], role=o["role"])
            destination = Node(facility=objects[d["key"]], role=d["role"])
            if scenario_services.check_downstream(origin, destination) is not None:
                continue
            material = default_material(study, origin, destination, collected)
            if material is None:  # nothing it sends that the destination and the study accept
                no_material.setdefault(o["key"], []).append(f"{d['facility']} ({d['organization']})")
                continue
            same_site = o["facility_id"] == d["facility_id"]
            km = (
                0.0
                if same_site
                else round(
                    distances.transport_km(
                        o["latitude"], o["longitude"], d["latitude"], d["longitude"], settings.CIRCUITY_FACTORS[MODE]
                    ),
                    2,
                )
            )
            arcs.append(
                {
                    "origin": o["key"],
                    "destination": d["key"],
                    "distance_km": km,
                    "material": material.code,
                    "mode": MODE,
                    "eur_per_t_km": transport.eur,
                    "co2e_kg_per_t_km": transport.co2e_kg,
                    "energy_mj_per_t_km": transport.energy_mj,
                }
            )
    by_key = {r["key"]: r for r in rows}
    for key, destinations in no_material.items():
        o = by_key[key]
        left_out.append(
            f"{o['facility']} ({o['organization']}) as {Role(o['role']).label.lower()} to "
            f"{', '.join(destinations)}: no route, no material it sends is accepted there and by the study"
        )
    return {
        "basis": basis.BASIS_VERSION,
        "allocation": allocation,
        "study": study.pk,
        "need_t": float(study.required_t_per_year),
        "product_t": float(study.product_t_per_year),
        "facilities": rows,
        "arcs": arcs,
        "left_out": left_out,
        "factors": dict(sorted(factors.used.items())),
    }


def network(inputs: dict) -> optimize.Network:
    """The engine's network; each site's fixed cost is paid once while any of its candidates is open (a snapshot of
    the first basis has no `basis` and kept it on every candidate)."""
    shared = inputs.get("basis", 1) >= 2
    facilities, sites = [], {}
    for r in inputs["facilities"]:
        sink = r["role"] == Role.END_COLLECTOR
        capacity_t = max(r["capacity_t"], inputs["need_t"]) if sink else r["capacity_t"]
        facilities.append(
            optimize.Facility(
                name=r["key"],
                role=r["role"],
                yield_ratio=r["yield"],
                sizes=(optimize.Size(capacity_t=capacity_t, fixed_eur=0.0 if shared else r["fixed_eur"]),),
                cost_eur_per_t=r["cost_eur_per_t"],
                co2e_kg_per_t=r["co2e_kg_per_t"],
                energy_mj_per_t=r["energy_mj_per_t"],
                water_m3_per_t=r["water_m3_per_t"],
                supply_t=r["capacity_t"] if r["role"] == Role.COLLECTOR else None,
                demand_t=inputs["need_t"] if sink else None,
            )
        )
        site = sites.setdefault(r["facility_id"], {"fixed": r["fixed_eur"], "members": []})
        site["members"].append(r["key"])
    arcs = [
        optimize.Arc(
            origin=a["origin"],
            destination=a["destination"],
            distance_km=a["distance_km"],
            eur_per_t_km=a["eur_per_t_km"],
            co2e_kg_per_t_km=a["co2e_kg_per_t_km"],
            energy_mj_per_t_km=a.get("energy_mj_per_t_km", 0.0),
            mode=a["mode"],
        )
        for a in inputs["arcs"]
    ]
    return optimize.Network(
        facilities=facilities,
        arcs=arcs,
        sites=[
            optimize.Site(name=f"site:{pk}", members=s["members"], fixed_eur=s["fixed"])
            for pk, s in sites.items()
            if shared
        ],
    )


# ---------------------------------------------------------------- side constraints


def _int(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ApplicationError("Give a whole number.", {field: f"A whole number >= 0, not {value!r}."})
    return value


def _share(value, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
        raise ApplicationError("Give a share.", {field: f"A share above 0 and at most 1, not {value!r}."})
    return float(value)


def check_constraints(constraints, inputs: dict) -> dict:
    """The side constraints as asked, checked: unknown keys, facilities or roles and out-of-range numbers are
    refused with the field."""
    constraints = constraints or {}
    if not isinstance(constraints, dict):
        raise ApplicationError("Give the side constraints as an object.", {"constraints": "An object."})
    allowed = {
        "keep_open",
        "keep_closed",
        "min_partners",
        "max_partners",
        "max_share",
        "max_distance_km",
        "recycled_share",
    }
    unknown = sorted(set(constraints) - allowed)
    if unknown:
        raise ApplicationError("Unknown side constraint.", {"constraints": f"Unknown: {', '.join(unknown)}."})
    keys = {r["key"] for r in inputs["facilities"]}
    checked = {}
    for name in ("keep_open", "keep_closed"):
        chosen = constraints.get(name) or []
        if not isinstance(chosen, list) or not all(isinstance(k, str) for k in chosen):
            raise ApplicationError("Name the candidates.", {name: "A list of candidate keys (role:facility id)."})
        strange = [k for k in chosen if k not in keys]
        if strange:
            raise ApplicationError(
                "Unknown candidate.", {name: f"Not a candidate of this study: {', '.join(strange)}."}
            )
        if chosen:
            checked[name] = chosen
    sinks = {r["key"] for r in inputs["facilities"] if r["role"] == Role.END_COLLECTOR}
    if sinks & set(checked.get("keep_closed", ())):
        raise ApplicationError("The end collector's site is always open.", {"keep_closed": "It receives the need."})
    both = set(checked.get("keep_open", ())) & set(checked.get("keep_closed", ()))
    if both:
        raise ApplicationError(
            "A candidate cannot be kept open and closed.",
            {"keep_closed": f"Also kept open: {', '.join(sorted(both))}."},
        )
    for name, parse in (("min_partners", _int), ("max_partners", _int), ("max_share", _share)):
        per_role = constraints.get(name) or {}
        if not isinstance(per_role, dict) or not set(per_role) <= {r.value for r in PARTNER_ROLES}:
            raise ApplicationError(
                "Give one figure per partner role.", {name: "An object: collector, sorter or recoverer -> figure."}
            )
        per_role = {role: parse(value, name) for role, value in per_role.items() if value is not None}
        if per_role:
            checked[name] = per_role
    for role in checked.get("min_partners", {}):
        if role in checked.get("max_partners", {}) and checked["min_partners"][role] > checked["max_partners"][role]:
            raise ApplicationError("At least more than at most.", {"min_partners": f"{role}: above the most allowed."})
    distance = constraints.get("max_distance_km")
    if distance is not None:
        if (
            isinstance(distance, bool)
            or not isinstance(distance, (int, float))
            or not math.isfinite(distance)
            or distance <= 0
        ):
            raise ApplicationError("Give a distance.", {"max_distance_km": "A distance above 0 km."})
        checked["max_distance_km"] = float(distance)
    if constraints.get("recycled_share") is not None:
        checked["recycled_share"] = _share(constraints["recycled_share"], "recycled_share")
    return checked


def side_constraints(constraints: dict, inputs: dict) -> optimize.SideConstraints:
    """The engine's side constraints; the end collector's site is always open (its fixed cost counts, as in an
    assessment)."""
    sinks = [r["key"] for r in inputs["facilities"] if r["role"] == Role.END_COLLECTOR]
    return optimize.SideConstraints(
        keep_open=[*sinks, *constraints.get("keep_open", ())],
        keep_closed=constraints.get("keep_closed", ()),
        min_partners=constraints.get("min_partners", {}),
        max_partners=constraints.get("max_partners", {}),
        max_share=constraints.get("max_share", {}),
        max_distance_km=constraints.get("max_distance_km"),
        recycled_share=constraints.get("recycled_share"),
        product_t=inputs["product_t"],
    )


# ---------------------------------------------------------------- reads


def run_list(*, user, study):
    if not scenario_selectors.can_see_scenarios(user, study):
        raise Http404("No such study.")
    return OptimisationRun.objects.filter(study=study).select_related("created_by")


def run_get(*, user, study, pk) -> OptimisationRun:
    try:
        return run_list(user=user, study=study).get(pk=pk)
    except (OptimisationRun.DoesNotExist, ValueError, TypeError):
        raise Http404("No such optimisation.") from None


def tradeoff(*, user, run: OptimisationRun) -> dict:
    """The front's points and the study's assessed scenarios on the same axes: total cost per year and end-of-life
    climate change (kg CO2e per year, the network's transport and processes), with what each scenario delivers now
    against the need (one short of it can lie below the front: it does less)."""
    scenarios = []
    for scenario in scenario_selectors.scenario_list(user=user, study=run.study):
        status = selectors.assessment_status(user=user, scenario=scenario)
        if status.good is None:
            continue
        values = {row["code"]: row["value"] for row in status.good.result["indicators"]}
        flows = scenario_network.flows(scenario)
        scenarios.append(
            {
                "id": scenario.pk,
                "name": str(scenario),
                "status": scenario.status,
                "stale": status.stale,
                "cost_eur": values["cost.total_eur"],
                "co2e_kg": values["end_of_life.climate_change_kg_co2e"],
                "delivered_t": flows.delivered_t,
                "need_t": flows.need_t,
            }
        )
    front = (run.result or {}).get("pareto") or []
    return {
        "front": [{"point": i, "cost_eur": p["total_cost_eur"], "co2e_kg": p["co2e_kg"]} for i, p in enumerate(front)],
        "scenarios": scenarios,
    }


def draft_name(run: OptimisationRun, point: int | None = None) -> str:
    """The name `scenario_from_run` gives the draft of the proposal (point None) or of a point of the front."""
    if point is None:
        label = dict(OptimisationRun.Objective.choices)[run.objective].lower()
    else:
        label = f"trade-off point {point + 1} of {len((run.result or {}).get('pareto') or [])}"
    return f"Optimised {run.pk}: {label}"


def run_drafts(*, user, run: OptimisationRun) -> dict:
    """The drafts already made from this run: point (None for the proposal) -> scenario."""
    points = {draft_name(run, p): p for p in [None, *range(len((run.result or {}).get("pareto") or []))]}
    return {
        points[s.name]: s
        for s in scenario_selectors.scenario_list(user=user, study=run.study)
        .filter(name__in=points)
        .order_by("version")
    }


# ---------------------------------------------------------------- writes


@transaction.atomic
def optimisation_request(
    *,
    user,
    study,
    objective: str = "cost",
    carbon_price_eur_per_kg: float = 0.0,
    constraints: dict | None = None,
    pareto_points: int = 0,
) -> OptimisationRun:
    """Snapshot the study's candidates, store a pending run and send it to a worker once the transaction commits."""
    scenario_services.require_role(access.can_edit, user, study.end_collector)
    if objective not in OptimisationRun.Objective.values:
        raise ApplicationError(
            "Unknown objective.", {"objective": f"Choose one of {', '.join(OptimisationRun.Objective.values)}."}
        )
    if (
        isinstance(carbon_price_eur_per_kg, bool)
        or not isinstance(carbon_price_eur_per_kg, (int, float))
        or not math.isfinite(carbon_price_eur_per_kg)
        or carbon_price_eur_per_kg < 0
    ):
        raise ApplicationError("Give a carbon price.", {"carbon_price_eur_per_kg": "A price >= 0 EUR per kg."})
    if carbon_price_eur_per_kg > CARBON_PRICE_MAX_EUR_PER_KG:
        raise ApplicationError(
            "The carbon price is too high.",
            {
                "carbon_price_eur_per_kg": (
                    f"The carbon price is at most {CARBON_PRICE_MAX_EUR_PER_KG:g} EUR per kg CO2e "
                    "(100,000 EUR per tonne)."
                )
            },
        )
    if objective == OptimisationRun.Objective.WEIGHTED and carbon_price_eur_per_kg == 0:
        raise ApplicationError(
            "Give a carbon price.",
            {
                "carbon_price_eur_per_kg": "The weighted objective adds a "
                "price per kg CO2e to the cost: give one above 0."
            },
        )
    if (
        isinstance(pareto_points, bool)
        or not isinstance(pareto_points, int)
        or not (pareto_points == 0 or 2 <= pareto_points <= 30)
    ):
        raise ApplicationError("Choose how many points.", {"pareto_points": "0 (no front) or 2 to 30."})
    inputs = study_inputs(user=user, study=study)
    checked = check_constraints(constraints, inputs)
    broker.require_reachable()  # refuse (503) before storing anything when the task queue is down
    run = OptimisationRun.objects.create(
        study=study,
        objective=objective,
        carbon_price_eur_per_kg=float(carbon_price_eur_per_kg),
        constraints=checked,
        pareto_points=pareto_points,
        inputs=inputs,
        basis_version=inputs["basis"],
        progress_total=1 + (pareto_points + 1 if pareto_points else 0),
        created_by=user,
    )
    audit.log(
        actor=user,
        organization=study.end_collector,
        action="study.optimisation.requested",
        target=run,
        changes=audit.created(
            {
                "objective": objective,
                "carbon_price_eur_per_kg": run.carbon_price_eur_per_kg,
                "constraints": checked,
                "pareto_points": pareto_points,
                "candidates": len(inputs["facilities"]),
                "arcs": len(inputs["arcs"]),
            }
        ),
        parent=study,
    )
    jobs.send_on_commit(OptimisationRun, run.pk)
    return run


def _finite(x: float | None) -> float | None:
    """JSON (and PostgreSQL) hold no infinity: an unknown gap is None."""
    return None if x is None or not math.isfinite(x) else float(x)


def _solution(s: optimize.Solution, inputs: dict) -> dict:
    result = {
        "status": s.status,
        "message": s.message,
        "objective": s.objective,
        "weights": list(s.weights),
        "gap": _finite(s.gap),
        "solve_time_s": s.solve_time_s,
        "explanation": list(s.explanation),
        "model_size": None if s.model_size is None else vars(s.model_size),
    }
    if not s.has_network:
        return result
    flows = [[i, float(s.flow_t[i, 0])] for i in range(len(inputs["arcs"])) if s.flow_t[i, 0] > _FLOW_TOL_T]
    used = {inputs["arcs"][i][end] for i, _ in flows for end in ("origin", "destination")}
    return {
        **result,
        "total_cost_eur": s.total_cost_eur,
        "costs_eur": {k: v[0] for k, v in s.costs_eur.items()},
        "co2e_kg": s.co2e_kg,
        "co2e_kg_by_source": dict(s.co2e_kg_by_source),
        "energy_mj": s.energy_mj,
        "water_m3": s.water_m3,
        "open": [
            {"key": f.name, "processed_t": f.processed_t[0], "capacity_t": _finite(f.capacity_t[0])}
            for f in s.facilities
            if f.name in used
        ],
        "flows": flows,
    }


def optimisation_execute(*, run_id: int) -> str:
    """The worker's side: solve the stored model (and its front), saving progress. Idempotent; a failure is stored
    with its message."""
    run, finished = jobs.claim(OptimisationRun, run_id)
    if run is None:
        return finished
    options = optimize.Options(time_limit_s=settings.OPTIMISE_TIME_LIMIT_S, mip_rel_gap=1e-4)
    try:
        with jobs.heartbeat(OptimisationRun, run):
            result, error = _solve(run, options)
    except optimize.ModelError as exc:
        result, error = None, str(exc)
    except Exception as exc:  # stored, so a run never stays "running"
        logger.exception("optimisation %s failed", run_id)
        result, error = None, f"Unexpected error ({type(exc).__name__}); the administrators have the details."
    with transaction.atomic():
        held, status = jobs.holds(OptimisationRun, run)
        if not held:  # another delivery finished it, or took it over, meanwhile
            return status
        run = OptimisationRun.objects.defer("inputs").get(pk=run_id)
        run.result, run.error = result, error
        run.status = OptimisationRun.Status.FAILED if error else OptimisationRun.Status.DONE
        run.finished_at = timezone.now()
        if not error:
            run.progress_done = run.progress_total
        run.save(update_fields=["result", "error", "status", "finished_at", "progress_done"])
        if not error:
            audit.log(
                actor=run.created_by,
                organization=run.study.end_collector,
                action="study.optimisation.done",
                target=run,
                changes={"status": [None, result["solution"]["status"]]},
                parent=run.study,
            )
    return run.status


def _solve(run: OptimisationRun, options: optimize.Options) -> tuple[dict, str]:
    """The proposal and, when asked, its front, saving progress on the run."""
    run_id = run.pk
    net, constraints = network(run.inputs), side_constraints(run.constraints, run.inputs)
    weights = (1.0, run.carbon_price_eur_per_kg) if run.objective == OptimisationRun.Objective.WEIGHTED else None
    best = optimize.solve(net, objective=run.objective, weights=weights, constraints=constraints, options=options)
    OptimisationRun.objects.filter(pk=run_id).update(progress_done=1)
    result = {"solution": _solution(best, run.inputs), "pareto": []}
    if run.pareto_points and best.has_network:

        def progress(done, total):  # the proposal was step 1; the front's solves follow
            OptimisationRun.objects.filter(pk=run_id).update(progress_done=1 + done, progress_total=1 + total)

        try:
            front = optimize.pareto(
                net, points=run.pareto_points, constraints=constraints, options=options, progress=progress
            )
            result["pareto"] = [_solution(p, run.inputs) for p in front.points]
        except Exception:  # the main solution stands; the front is reported missing
            logger.exception("optimisation %s: the trade-off front failed", run_id)
            result["pareto_error"] = "The trade-off front could not be computed; the proposal above stands."
    return result, ""


@transaction.atomic
def scenario_from_run(*, user, run: OptimisationRun, point: int | None = None) -> Scenario:
    """A draft scenario of the proposed network (or of the front's point): a node per candidate used, a route per
    arc carrying material, by road, its share in proportion to the optimal flow, so the recommended quantities are
    the optimal ones."""
    study = run.study
    scenario_services.require_role(access.can_edit, user, study.end_collector)
    if run.status != OptimisationRun.Status.DONE:
        raise ApplicationError("This optimisation has no result yet.", {"run": "Wait until it is done."}, status=409)
    front = run.result.get("pareto") or []
    if point is None:
        solution = run.result["solution"]
    elif isinstance(point, int) and not isinstance(point, bool) and 0 <= point < len(front):
        solution = front[point]
    elif not front:
        raise ApplicationError("This optimisation has no trade-off front.", {"point": "Leave it empty."})
    else:
        raise ApplicationError("No such point.", {"point": f"Choose a point from 0 to {len(front) - 1}."})
    if "flows" not in solution:
        raise ApplicationError("This optimisation found no network.", {"run": solution["message"]})
    name = draft_name(run, point)
    label = name.partition(": ")[2]
    if Scenario.objects.filter(study=study, name=name).exists():
        raise ApplicationError(
            "This network is already a scenario.", {"point": f'See the scenario "{name}".'}, status=409
        )
    scenario = scenario_services.scenario_create(
        user=user,
        study=study,
        name=name,
        description=(
            f"Proposed by optimisation {run.pk} ({label}): {solution['total_cost_eur']:,.0f} EUR/year, "
            f"{solution['co2e_kg']:,.0f} kg CO2e/year at end of life, as the study stood on "
            f"{run.created_at:%d %b %Y}."
        ),
    )
    rows = {r["key"]: r for r in run.inputs["facilities"]}
    facilities = {f.pk: f for f in scenario_selectors.candidate_facility_list(user=user, study=study)}
    nodes = {_key(n.role, n.facility_id): n for n in scenario.nodes.all()}
    largest_in = {}  # shares are weights among the routes into one node: scaled so 3 decimals lose < 1e-6
    for index, flow_t in solution["flows"]:
        destination = run.inputs["arcs"][index]["destination"]
        largest_in[destination] = max(largest_in.get(destination, 0.0), flow_t)
    for index, flow_t in solution["flows"]:
        arc = run.inputs["arcs"][index]
        share = max(Decimal("0.001"), Decimal(str(round(1000 * flow_t / largest_in[arc["destination"]], 3))))
        for end in (arc["origin"], arc["destination"]):
            if end not in nodes:
                row = rows[end]
                facility = facilities.get(row["facility_id"])
                if facility is None:
                    raise ApplicationError(
                        f"{row['facility']} is no longer available in this study; optimise again.",
                        {"run": "A candidate left the study since."},
                    )
                nodes[end] = scenario_services.node_add(
                    user=user, scenario=scenario, facility=facility, role=row["role"]
                )
        scenario_services.route_create(
            user=user,
            scenario=scenario,
            origin=nodes[arc["origin"]],
            destination=nodes[arc["destination"]],
            material=Material.objects.get(code=arc["material"]),
            share=share,
            mode=arc["mode"],
        )
    audit.log(
        actor=user,
        organization=study.end_collector,
        action="study.optimisation.scenario_created",
        target=run,
        changes={"scenario": [None, str(scenario)], "point": [None, point]},
        parent=study,
    )
    return scenario
