"""Pages optimising a study's network (assessment.optimisation): the form asking for a proposal, with the study's
candidates and earlier runs; a run's page, polled while a worker solves it, then the proposed network (figures,
tables, map), the cost-CO2e trade-off (chart and table) and the buttons making a network a draft scenario.

Same house style as assessment.views: one access call first (`_study`: 404 to outsiders and invited partners, 403 to
readers who post), reads through assessment.optimisation's selectors, writes through its services, refusals as form
errors or a message, nothing written.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from partners import maps
from partners import selectors as partner_selectors
from partners.errors import ApplicationError
from partners.figures import number, percent
from partners.models import Role
from partners.views import org_context
from scenarios.models import STAGE

from . import optimisation
from .basis import BASIS_VERSION
from .forms import OptimisationForm, ScenarioFromRunForm
from .models import OptimisationRun
from .views import _study

IN_PROGRESS = (OptimisationRun.Status.PENDING, OptimisationRun.Status.RUNNING)
COST_PARTS = {
    "transport": "Transport",
    "processing": "Processing, purchase and stock",
    "fixed": "Fixed costs of the sites used",
    "acquisition": "Acquisition",
    "opening": "Opening",
    "expansion": "Expansion",
    "storage": "Storage",
    "disposal": "Disposal",
    "supply_disposal": "Disposal at collection",
}
CO2E_SOURCES = {"transport": "Transport", "processes": "Processes"}
ROLE_PLURALS = {"collector": "collectors", "sorter": "sorters", "recoverer": "recoverers"}


# ---------------------------------------------------------------- the study's candidates


def _label(row: dict) -> str:
    return f"{row['facility']} ({row['organization']}) as {Role(row['role']).label.lower()}"


def _candidates(inputs: dict) -> list[dict]:
    """The candidates of study_inputs for the page, upstream first: label and figures."""
    rows = sorted(inputs["facilities"], key=lambda r: (STAGE[r["role"]], r["facility"], r["organization"]))
    return [
        {
            **r,
            "label": _label(r),
            "role_label": Role(r["role"]).label,
            "capacity_txt": number(r["capacity_t"]),
            "yield_txt": number(r["yield"]),
            "cost_txt": number(r["cost_eur_per_t"]),
            "fixed_txt": number(r["fixed_eur"]),
            "co2e_txt": number(r["co2e_kg_per_t"]),
        }
        for r in rows
    ]


def _constraint_lines(constraints: dict, inputs: dict | None) -> list[str]:
    """A run's side constraints in words (the candidates named from the run's inputs, when given)."""
    labels = {r["key"]: _label(r) for r in inputs["facilities"]} if inputs else {}
    lines = []
    for name, text in (("keep_open", "Kept open"), ("keep_closed", "Kept closed")):
        if constraints.get(name):
            lines.append(f"{text}: " + "; ".join(labels.get(k, k) for k in constraints[name]))
    for role, k in constraints.get("min_partners", {}).items():
        lines.append(f"At least {k} {ROLE_PLURALS.get(role, role)}")
    for role, k in constraints.get("max_partners", {}).items():
        lines.append(f"At most {k} {ROLE_PLURALS.get(role, role)}")
    for role, share in constraints.get("max_share", {}).items():
        lines.append(f"At most {percent(share)} of the {ROLE_PLURALS.get(role, role)}' tonnes taken in through one")
    if constraints.get("max_distance_km") is not None:
        lines.append(f"Routes up to {number(constraints['max_distance_km'])} km")
    if constraints.get("recycled_share") is not None:
        lines.append(f"Recycled share of the product at least {percent(constraints['recycled_share'])}")
    return lines


def _run_summary(run: OptimisationRun) -> dict:
    """A run for the list of runs: the objective in words and its proposal's totals."""
    solution = (run.result or {}).get("solution") or {}
    objective = run.get_objective_display()
    if run.objective == OptimisationRun.Objective.WEIGHTED:
        objective += f" ({number(run.carbon_price_eur_per_kg * 1000)} EUR/t CO2e)"
    return {
        "run": run,
        "objective": objective,
        "constraints": len(_constraint_lines(run.constraints, None)),
        "cost": number(solution.get("total_cost_eur")) if "flows" in solution else "—",
        "co2e": number(solution.get("co2e_kg")) if "flows" in solution else "—",
        "outcome": solution.get("status", ""),
    }


@login_required
def study_optimise(request, pk):
    """The optimisation form (editors and admins post it), the candidates the model would use, and earlier runs."""
    posted = request.method == "POST"
    study = _study(request, pk, edit=posted)
    ctx = org_context(
        request,
        study.end_collector,
        study=study,
        runs=[_run_summary(r) for r in optimisation.run_list(user=request.user, study=study).defer("inputs")[:30]],
    )
    try:
        inputs = optimisation.study_inputs(user=request.user, study=study)
    except ApplicationError as exc:  # no end-collector site to deliver to
        ctx["problem"] = " ".join([exc.message, *(m for msgs in exc.field_errors.values() for m in msgs)])
        return render(request, "assessment/optimise.html", ctx)
    except ValueError as exc:  # a factor missing from the library
        ctx["problem"] = str(exc)
        return render(request, "assessment/optimise.html", ctx)
    candidates = _candidates(inputs)
    form = OptimisationForm(request.POST if posted else None, candidates=candidates)
    if posted and form.is_valid():
        try:
            run = optimisation.optimisation_request(user=request.user, study=study, **form.service_kwargs())
        except ApplicationError as exc:
            form.apply_refusal(exc)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            run.refresh_from_db()  # without a broker the run is already solved
            if run.status == OptimisationRun.Status.DONE and "flows" in run.result["solution"]:
                messages.success(request, f"Optimisation {run.pk} done.")
            elif run.status == OptimisationRun.Status.DONE:
                messages.warning(request, f"Optimisation {run.pk} done, without a network; see why below.")
            elif run.status == OptimisationRun.Status.FAILED:
                messages.error(request, f"Optimisation {run.pk} failed; see below.")
            else:
                messages.success(request, f"Optimisation {run.pk} asked for; this page follows it.")
            return redirect("study-optimisation", pk=study.pk, run_pk=run.pk)
    ctx.update(
        form=form,
        candidates=candidates,
        left_out=inputs["left_out"],
        need_txt=number(inputs["need_t"]),
        product_txt=number(inputs["product_t"]),
        arcs=len(inputs["arcs"]),
        role_rows=form.role_rows(),
    )
    return render(request, "assessment/optimise.html", ctx)


# ---------------------------------------------------------------- a run and its proposal


def _network(solution: dict, inputs: dict, materials: dict) -> dict:
    """The proposed network for the page: the candidates used, the flows, and the map's GeoJSON (drawn by
    static/closeloop/scenario_map.js, as a scenario's)."""
    rows = {r["key"]: r for r in inputs["facilities"]}
    flows = []
    out_t: dict[str, float] = {}
    for index, t in solution["flows"]:
        arc = inputs["arcs"][index]
        out_t[arc["origin"]] = out_t.get(arc["origin"], 0.0) + t
        flows.append(
            {
                "arc": arc,
                "t": t,
                "origin": rows[arc["origin"]],
                "destination": rows[arc["destination"]],
                "material": materials.get(arc["material"], arc["material"]),
            }
        )
    flows.sort(key=lambda f: (STAGE[f["origin"]["role"]], -f["t"]))
    used = []
    for o in sorted(solution["open"], key=lambda o: (STAGE[rows[o["key"]]["role"]], -o["processed_t"])):
        row = rows[o["key"]]
        use = o["processed_t"] / o["capacity_t"] if o["capacity_t"] else None
        used.append(
            {
                "row": row,
                "role_label": Role(row["role"]).label,
                "colour": maps.ROLE_COLOURS[row["role"]],
                "processed": number(o["processed_t"]),
                "capacity": number(o["capacity_t"]),
                "use": None if use is None else percent(use),
                "full": use is not None and use > 0.999,
                "processed_t": o["processed_t"],
                "capacity_t": o["capacity_t"],
                "out_t": out_t.get(o["key"], 0.0),
            }
        )
    largest = max((f["t"] for f in flows), default=0)
    features = []
    for u in used:
        r = u["row"]
        point = {"type": "Point", "coordinates": [r["longitude"], r["latitude"]]}
        features.append(
            {
                "type": "Feature",
                "geometry": point,
                "properties": {
                    "kind": "node",
                    "id": r["key"],
                    "name": r["facility"],
                    "role": r["role"],
                    "role_label": u["role_label"],
                    "organization": r["organization"],
                    "colour": maps.ROLE_COLOURS[r["role"]],
                    "inflow_t": round(u["processed_t"], 3),
                    "outflow_t": round(u["out_t"], 3),
                    "capacity_use": round(u["processed_t"] / u["capacity_t"], 4) if u["capacity_t"] else None,
                    "flags": [],
                },
            }
        )
    for f in flows:
        o, d = f["origin"], f["destination"]
        same = o["facility_id"] == d["facility_id"]
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[o["longitude"], o["latitude"]], [d["longitude"], d["latitude"]]],
                },
                "properties": {
                    "kind": "route",
                    "id": f"{o['key']}>{d['key']}",
                    "material": f["material"],
                    "quantity_t": round(f["t"], 3),
                    "recommended_t": round(f["t"], 3),
                    "typed": False,
                    "mode": f["arc"]["mode"],
                    "distance_km": f["arc"]["distance_km"],
                    "distance_source": "same_site" if same else "computed",
                    "is_backhaul": False,
                    "width": round(2 + 10 * (f["t"] / largest if largest else 0), 1),
                },
            }
        )
    return {
        "used": used,
        "geojson": {"type": "FeatureCollection", "features": features},
        "flows": [
            {
                "origin": _label(f["origin"]),
                "destination": _label(f["destination"]),
                "origin_name": f["origin"]["facility"],
                "destination_name": f["destination"]["facility"],
                "material": f["material"],
                "t": number(f["t"]),
                "km": number(f["arc"]["distance_km"]),
                "tkm": number(f["t"] * f["arc"]["distance_km"]),
            }
            for f in flows
        ],
    }


def _figures(solution: dict) -> dict:
    """A solution's totals for the page."""
    costs = [
        {"key": k, "label": COST_PARTS.get(k, k), "value": number(v)}
        for k, v in solution["costs_eur"].items()
        if abs(v) > 1e-9
    ]
    co2e = [
        {"key": k, "label": CO2E_SOURCES.get(k, k), "value": number(v)}
        for k, v in solution["co2e_kg_by_source"].items()
    ]
    return {
        "total_cost": number(solution["total_cost_eur"]),
        "costs": costs,
        "co2e": number(solution["co2e_kg"]),
        "co2e_parts": co2e,
        "energy": number(solution.get("energy_mj")),
        "water": number(solution.get("water_m3")),
    }


def _partners_used(solution: dict, inputs: dict) -> str:
    rows = {r["key"]: r for r in inputs["facilities"]}
    used = sorted(
        (rows[o["key"]] for o in solution.get("open", ()) if rows[o["key"]]["role"] != "end_collector"),
        key=lambda r: (STAGE[r["role"]], r["facility"]),
    )
    return "; ".join(r["facility"] for r in used)


def _tradeoff(request, run, drafts: dict) -> dict:
    trade = optimisation.tradeoff(user=request.user, run=run)
    front = run.result.get("pareto") or []
    points = []
    for p in trade["front"]:
        i = p["point"]
        draft = drafts.get(i)
        points.append(
            {
                "index": i,
                "number": i + 1,
                "cost": number(p["cost_eur"]),
                "co2e": number(p["co2e_kg"]),
                "partners": _partners_used(front[i], run.inputs),
                "draft": draft,
            }
        )
    scenarios = [
        {
            **s,
            "cost": number(s["cost_eur"]),
            "co2e": number(s["co2e_kg"]),
            "delivered": number(s["delivered_t"]),
            "need": number(s["need_t"]),
            "short": s["delivered_t"] < s["need_t"] * (1 - 1e-9),
        }
        for s in trade["scenarios"]
    ]
    chart = {
        "front": [
            {
                "x": p["co2e_kg"],
                "y": p["cost_eur"],
                "point": p["point"],
                "label": f"Point {p['point'] + 1}",
                "partners": points[k]["partners"],
            }
            for k, p in enumerate(trade["front"])
        ],
        "scenarios": [
            {
                "x": s["co2e_kg"],
                "y": s["cost_eur"],
                "name": s["name"],
                "stale": s["stale"],
                "short": s["short"],
                "delivered": s["delivered"],
                "need": s["need"],
            }
            for s in scenarios
        ],
    }
    solution = run.result["solution"]
    if "flows" in solution:
        chart["proposal"] = {
            "x": solution["co2e_kg"],
            "y": solution["total_cost_eur"],
            "label": f"Proposal ({run.get_objective_display().lower()})",
        }
    return {"points": points, "chart": chart, "assessed": scenarios, "short": any(s["short"] for s in scenarios)}


_KEY = re.compile(r"\b(?:collector|sorter|recoverer|end_collector):\d+\b")
_ALL_ARCS = re.compile(r"the maximum distance ([\d.,]+) km removes all its arcs \(the shortest is ([\d.,]+) km\)")
_ARCS = re.compile(r"the maximum distance ([\d.,]+) km removes (\d+) arcs")
_TONNES = re.compile(r"(?<![\w.,])(\d[\d,]*(?:\.\d+)?) t\b")
_PRODUCT = re.compile(r"'([\w.-]+)'")


def _km(text: str) -> str:
    return number(float(text.replace(",", "")))


def in_words(line: str, inputs: dict, materials: dict) -> str:
    """A line of the optimiser's explanation for people: candidates by facility, company and role instead of their
    keys, routes instead of arcs, material names instead of codes, tonnes written like every figure.

    Worked example: "end_collector:1 needs 600 t in the period, but no supply can reach it (the maximum distance
    20 km removes 61 arcs)" -> "Forge (Aluforge) as end collector needs 600 t in the period, but no supply can reach
    it (routes longer than the maximum distance of 20 km are left out: 61 of the routes from collectors)"."""
    labels = {r["key"]: _label(r) for r in inputs["facilities"]}
    line = _KEY.sub(lambda m: labels.get(m.group(0), "a candidate no longer in the study"), line)
    line = _ALL_ARCS.sub(
        lambda m: (
            f"every route from it is longer than the maximum distance of {_km(m.group(1))} "
            f"km (the shortest is {_km(m.group(2))} km)"
        ),
        line,
    )
    line = _ARCS.sub(
        lambda m: (
            f"routes longer than the maximum distance of {_km(m.group(1))} km are left out: "
            f"{m.group(2)} of the routes from collectors"
        ),
        line,
    )
    line = line.replace("no arc leaves it", "no route leaves it")
    line = _PRODUCT.sub(lambda m: f"“{materials[m.group(1)]}”" if m.group(1) in materials else m.group(0), line)
    return _TONNES.sub(lambda m: f"{number(float(m.group(1).replace(',', '')))} t", line)


def _run_context(request, study, run) -> dict:
    ctx = {
        "in_progress": run.status in IN_PROGRESS,
        "constraint_lines": _constraint_lines(run.constraints, run.inputs),
        "carbon_price_txt": number(run.carbon_price_eur_per_kg * 1000),
        "candidates_count": len(run.inputs["facilities"]),
        "arcs_count": len(run.inputs["arcs"]),
    }
    if run.status != OptimisationRun.Status.DONE or not run.result:
        return ctx
    solution = run.result["solution"]
    drafts = optimisation.run_drafts(user=request.user, run=run)
    materials = dict(partner_selectors.material_list().values_list("code", "name"))
    ctx.update(
        done=True,
        solution=solution,
        has_network="flows" in solution,
        gap=None if solution.get("gap") is None else percent(solution["gap"]),
        solve_time=number(solution.get("solve_time_s")),
        size=solution.get("model_size"),
        draft=drafts.get(None),
        explanation=[in_words(line, run.inputs, materials) for line in solution.get("explanation") or ()],
    )
    if ctx["has_network"]:
        ctx.update(_figures(solution), **_network(solution, run.inputs, materials), legend=maps.legend())
    if run.result.get("pareto"):
        ctx.update(tradeoff=_tradeoff(request, run, drafts))
    return ctx


@login_required
def study_optimisation(request, pk, run_pk):
    """A run: its progress while a worker solves it (the page polls the live part with htmx), then its proposal."""
    study = _study(request, pk)
    run = optimisation.run_get(user=request.user, study=study, pk=run_pk)
    ctx = org_context(
        request,
        study.end_collector,
        study=study,
        run=run,
        basis_version=BASIS_VERSION,
        **_run_context(request, study, run),
    )
    if request.htmx:
        response = render(request, "assessment/_optimisation_live.html", ctx)
        if not ctx["in_progress"]:  # done: the whole page again, so the map and the chart draw
            response["HX-Refresh"] = "true"
        return response
    return render(request, "assessment/optimisation.html", ctx)


def _refusal(exc: ApplicationError) -> str:
    details = [m for msgs in exc.field_errors.values() for m in msgs]
    return " ".join([exc.message, *details])


@login_required
@require_POST
def study_optimisation_scenario(request, pk, run_pk):
    """Make the proposal (no point) or a point of the trade-off a draft scenario, then show it."""
    study = _study(request, pk, edit=True)
    run = optimisation.run_get(user=request.user, study=study, pk=run_pk)
    form = ScenarioFromRunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a point of the trade-off: " + " ".join(form.errors.get("point", [])))
        return redirect("study-optimisation", pk=study.pk, run_pk=run.pk)
    try:
        scenario = optimisation.scenario_from_run(user=request.user, run=run, point=form.cleaned_data["point"])
    except ApplicationError as exc:
        messages.error(request, _refusal(exc))
        return redirect("study-optimisation", pk=study.pk, run_pk=run.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("study-optimisation", pk=study.pk, run_pk=run.pk)
    messages.success(
        request,
        f"Draft scenario “{scenario}” created from optimisation {run.pk}: "
        f"{scenario.nodes.count()} nodes, {scenario.routes.count()} routes.",
    )
    return redirect("scenario", pk=scenario.pk)
