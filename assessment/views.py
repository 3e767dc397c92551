"""Pages of the assessment: a scenario's runs and result, a study's factors and overrides, the comparison of a
study's scenarios with its radar charts and downloads, the AHP decision aid (criteria sets, judgements, rankings of
scenarios and of partners) and the step-by-step builder of a scenario (assessment.builder).

House style (scenarios.views): every view starts with one access call, a selector that answers 404 to whoever may not
see the scenario or the study's scenarios (outsiders, and invited partners, who never see the end collector's
scenarios), then a role check that answers 403 to readers who may not write. Writes go through the services: their
refusals become form errors (partners.views.submit) or a message on the page, and nothing changes.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partners import access, maps
from partners import selectors as partner_selectors
from partners.errors import ApplicationError
from partners.figures import number
from partners.models import Criterion, Role
from partners.views import org_context, submit
from scenarios import network
from scenarios import selectors as scenario_selectors
from scenarios.models import Scenario, TransportMode

from . import ahp, builder, compare, decisions, scenario_rank, selectors, services
from .charts import assessment_charts
from .factors import expected_unit
from .forms import (
    GROUPS,
    SAATY_SCALE,
    BuilderChoiceForm,
    BuilderStepForm,
    CriteriaSetForm,
    JudgementForm,
    OverrideForm,
    PartnerChoiceForm,
    PartnerRankForm,
    RankingForm,
    describe,
    nearest_on_scale,
    parse_judgement,
    saaty_text,
)
from .inputs import PARTNER_LABELS, PARTNER_LABELS_BASIS_1
from .models import AssessmentRun, CriteriaSet, PartnerRanking, Ranking

REFUSED = "Only the end collector's editors and admins run assessments and change a study's factors."
PHASES = {"end_of_life": "End of life", "whole_life": "Whole life cycle"}
IN_PROGRESS = (AssessmentRun.Status.PENDING, AssessmentRun.Status.RUNNING)


# ---------------------------------------------------------------- access and figures


def _scenario(request, pk, edit: bool = False):
    scenario = scenario_selectors.scenario_get(user=request.user, pk=pk)
    if edit and not access.can_edit(request.user, scenario.study.end_collector):
        raise PermissionDenied(REFUSED)
    return scenario


def _study(request, pk, edit: bool = False):
    """The study, if the user may see its scenarios: the end collector's members (invited partners get 404 too)."""
    study = scenario_selectors.study_get(user=request.user, pk=pk)
    if not scenario_selectors.can_see_scenarios(request.user, study):
        raise Http404("No such study.")
    if edit and not access.can_edit(request.user, study.end_collector):
        raise PermissionDenied(REFUSED)
    return study


def exact(x) -> str:
    """A factor as typed, up to 10 significant digits, thousands separated (0.10163 / 1,500)."""
    return f"{float(x):,.10g}"


def _indicator_rows(result: dict) -> list[dict]:
    """The indicators for the page, figures left as numbers: the template writes them with the `figures` filters."""
    rows = []
    for row in result["indicators"]:
        shown = {
            **row,
            "phase": PHASES.get(row["phase"], row["phase"]),
            "lca": "per_unit" in row,
            "share": row["unit"] == "share",
        }
        if shown["share"]:
            shown["unit"] = "recycled content"
        rows.append(shown)
    return rows


def _partner_rows(result: dict) -> tuple[list[dict], list[float], list[str]]:
    """Who bears and who earns what; a run of the first basis keeps its own columns (purchasing at every
    transfer)."""
    labels = PARTNER_LABELS if "cost_views" in result else PARTNER_LABELS_BASIS_1
    keys = list(labels)
    rows = [{"partner": p["partner"], "values": [p[k] for k in keys]} for p in result["per_partner"]]
    totals = [sum(p[k] for p in result["per_partner"]) for k in keys]
    return rows, totals, list(labels.values())


# ---------------------------------------------------------------- a scenario's assessment


def _assessment_context(request, scenario) -> dict:
    status = selectors.assessment_status(user=request.user, scenario=scenario)
    latest, good = status.latest, status.good
    in_progress = latest is not None and latest.status in IN_PROGRESS
    ctx = org_context(
        request,
        scenario.study.end_collector,
        scenario=scenario,
        study=scenario.study,
        status=status,
        in_progress=in_progress,
        runs=list(selectors.run_list(user=request.user, scenario=scenario)[:20]),
        failed=latest if latest is not None and latest.status == AssessmentRun.Status.FAILED else None,
        # the banner waits while a run of the current inputs is under way
        stale=status.stale and not (in_progress and latest.inputs_hash == status.current_hash),
    )
    if good is not None:
        ctx["indicators"] = _indicator_rows(good.result)
        ctx["partners"], ctx["partner_totals"], ctx["cost_labels"] = _partner_rows(good.result)
        ctx["cost_views"] = good.result.get("cost_views")
        ctx["charts"] = assessment_charts(good.result, str(scenario))
    return ctx


@login_required
def scenario_assessment(request, pk):
    scenario = _scenario(request, pk)
    ctx = _assessment_context(request, scenario)
    if request.htmx:  # the page polls while a run is under way: only the part that changes
        return render(request, "assessment/_live.html", ctx)
    return render(request, "assessment/scenario_assessment.html", ctx)


@login_required
@require_POST
def scenario_assess(request, pk):
    scenario = _scenario(request, pk, edit=True)
    try:
        run = services.assessment_request(user=request.user, scenario=scenario)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("scenario-assessment", pk=scenario.pk)
    run.refresh_from_db()  # without a broker the run is already computed
    if run.status == AssessmentRun.Status.DONE:
        messages.success(request, f"{scenario} assessed (run {run.pk}).")
    elif run.status == AssessmentRun.Status.FAILED:
        messages.error(request, f"The assessment of {scenario} failed (run {run.pk}); see below.")
    else:
        messages.success(request, f"Assessment of {scenario} requested (run {run.pk}); this page follows it.")
    return redirect("scenario-assessment", pk=scenario.pk)


# ---------------------------------------------------------------- a study's factors


def _factor_groups(request, study, overrides) -> list[tuple[str, list[dict]]]:
    library = selectors.library_list(user=request.user).filter(is_default=True).first()
    if library is None:
        return []
    by_code = {o.code: o for o in overrides}
    groups: dict[str, list] = {}
    for f in selectors.factor_list(user=request.user, library=library):
        group, name = describe(f.code)
        override = by_code.get(f.code)
        groups.setdefault(group, []).append(
            {
                "factor": f,
                "name": name,
                "value": exact(f.value),
                "override": override,
                "override_value": exact(override.value) if override else "",
            }
        )
    for rows in groups.values():
        rows.sort(key=lambda r: r["name"])
    return [(g, groups.pop(g)) for g in GROUPS if g in groups] + sorted(groups.items())


@login_required
def study_factors(request, pk):
    study = _study(request, pk, edit=request.method == "POST")
    overrides = list(selectors.override_list(user=request.user, study=study))
    refresh = reverse("study-factors", args=[study.pk])
    if request.method == "POST":
        form = OverrideForm(request.POST, refresh_url=refresh)
        if form.is_valid():
            saved = submit(
                form, lambda: services.factor_override_set(user=request.user, study=study, **form.cleaned_data)
            )
            if saved:
                messages.success(
                    request,
                    f"{saved.code} is {number(saved.value)} {saved.unit} in this study's "
                    "runs from now on; its scenarios' results are out of date until re-run.",
                )
                return redirect("study-factors", pk=study.pk)
    else:
        code = request.GET.get("code", "")
        initial = {}
        if expected_unit(code):
            current = next((o for o in overrides if o.code == code), None)
            initial = {
                "code": code,
                "unit": expected_unit(code),
                "value": current.value if current else None,
                "source": current.source if current else "",
            }
        form = OverrideForm(initial=initial, refresh_url=refresh)
    return render(
        request,
        "assessment/study_factors.html",
        org_context(
            request,
            study.end_collector,
            study=study,
            form=form,
            overrides=[{"override": o, "value": exact(o.value)} for o in overrides],
            groups=_factor_groups(request, study, overrides),
        ),
    )


@login_required
@require_POST
def study_factor_delete(request, pk, override_pk):
    study = _study(request, pk, edit=True)
    override = selectors.override_list(user=request.user, study=study).filter(pk=override_pk).first()
    if override is None:
        raise Http404("No such override.")
    services.factor_override_delete(user=request.user, override=override)
    messages.success(request, f"{override.code} is back to the library's figure in this study's runs.")
    return redirect("study-factors", pk=study.pk)


# ---------------------------------------------------------------- comparison


def _chosen(request) -> tuple[list[int], str]:
    """The scenario ids asked for, in order and once each, and a message for anything that is not an id."""
    ids, bad = [], []
    for raw in request.GET.getlist("scenarios"):
        try:
            pk = int(raw)
        except ValueError:
            bad.append(raw)
            continue
        if pk not in ids:
            ids.append(pk)
    return ids, (f"“{bad[0]}” is not a scenario." if bad else "")


def _radar(columns, phase: str) -> dict:
    """compare.radar plus each scenario's figure on each axis, for the tooltips."""
    data = compare.radar(columns, phase)
    units = {row["code"]: row["unit"] for row in columns[0].result["indicators"]}
    for axis in data["axes"]:
        axis["unit"] = units.get(axis["code"], "")
    for scenario, column in zip(data["scenarios"], columns):
        scenario["values"] = [number(column.value(axis["code"])) for axis in data["axes"]]
    return data


@login_required
def study_compare(request, pk, fmt: str = ""):
    study = _study(request, pk)
    scenarios = list(scenario_selectors.scenario_list(user=request.user, study=study).order_by("name", "version"))
    ids, problem = _chosen(request)
    fmt = fmt or request.GET.get("format", "")
    if fmt not in ("", "csv", "json"):
        raise Http404("No such format.")
    columns = []
    accept_stale = request.GET.get("accept_stale") in ("1", "on", "true")
    if ids or problem:
        try:
            if problem:
                raise ValueError(problem)
            columns = selectors.comparison_columns(
                user=request.user, study=study, scenario_ids=ids, accept_stale=accept_stale
            )
            services.stale_results_used(user=request.user, study=study, columns=columns, where="comparison")
        except ValueError as exc:
            if fmt:  # back to the page, which says why
                query = request.GET.copy()
                query.pop("format", None)
                return redirect(f"{reverse('study-compare', args=[study.pk])}?{query.urlencode()}")
            messages.error(request, str(exc))
    if fmt:
        if not columns:  # nothing chosen
            messages.error(request, "Choose at least two scenarios.")
            return redirect("study-compare", pk=study.pk)
        name = f"comparison-study-{study.pk}.{fmt}"
        if fmt == "csv":
            response = HttpResponse(compare.as_csv(columns), content_type="text/csv; charset=utf-8")
        else:
            response = JsonResponse(compare.as_json(columns), json_dumps_params={"indent": 2})
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    assessed = {
        s.pk
        for s in scenarios
        if selectors.run_list(user=request.user, scenario=s).filter(status=AssessmentRun.Status.DONE).exists()
    }
    ctx = org_context(
        request,
        study.end_collector,
        study=study,
        scenarios=scenarios,
        assessed=assessed,
        chosen=ids,
        columns=columns,
        accept_stale=accept_stale,
    )
    if columns:
        by_pk = {s.pk: s for s in scenarios}
        query = urlencode({"scenarios": ids, **({"accept_stale": 1} if accept_stale else {})}, doseq=True)
        ctx.update(
            compared=[by_pk[pk] for pk in ids],
            markers=[c.marker() for c in columns],
            rows=[
                {**row, "phase": PHASES.get(row["phase"], row["phase"]), "values": [number(v) for v in row["values"]]}
                for row in compare.table(columns)
            ],
            radars=[
                {"phase": phase, "title": PHASES[phase], "data": _radar(columns, phase), "script_id": f"radar-{phase}"}
                for phase in compare.RADARS
            ],
            csv_url=reverse("study-compare-csv", args=[study.pk]) + "?" + query,
            json_url=reverse("study-compare-json", args=[study.pk]) + "?" + query,
        )
    return render(request, "assessment/study_compare.html", ctx)


# ---------------------------------------------------------------- AHP: criteria sets, judgements, rankings


def _criteria_set(request, study, set_pk):
    return decisions.criteria_set_get(user=request.user, study=study, pk=set_pk)


def _labels(criteria_set) -> list[str]:
    if criteria_set.kind == CriteriaSet.Kind.SCENARIO:
        return [decisions.criterion_label(c) for c in criteria_set.criteria]
    names = dict(Criterion.objects.filter(code__in=criteria_set.criteria).values_list("code", "name"))
    return [names.get(c, c) for c in criteria_set.criteria]


def _consistency_rows(consistency: dict, labels: list[str]) -> dict:
    """A consistency dict of decisions / ahp for the page, with the judgement to revisit in words."""
    shown = {
        "lambda_max": number(consistency["lambda_max"]),
        "ci": number(consistency["ci"]),
        "cr": number(consistency["cr"]),
        "ri_table": consistency["ri_table"],
        "ri_source": ahp.RANDOM_INDEX_SOURCE.get(consistency["ri_table"], consistency["ri_table"]),
        "acceptable": consistency["acceptable"],
        "limit": number(ahp.CR_LIMIT),
        "revise": None,
    }
    revise = consistency.get("revise")
    if revise is not None and not consistency["acceptable"]:
        shown["revise"] = {
            "row": labels[revise["row"]],
            "column": labels[revise["column"]],
            "current": saaty_text(revise["current"]),
            "suggested": f"{revise['suggested']:.2g}",
            "nearest": nearest_on_scale(revise["suggested"]),
            "cr_after": number(revise["cr_after"]),
        }
    return shown


def _preview(matrix, criteria_set, labels) -> dict:
    """Weights and consistency of a matrix, computed without saving (ahp.priorities, ahp.consistency)."""
    result = ahp.consistency(matrix, ri=criteria_set.ri_table)
    consistency = decisions._consistency_dict(result)
    weights = ahp.priorities(matrix).tolist()
    return {
        "weights": [
            {"label": label, "value": number(w), "percent": f"{100 * w:.1f}"} for label, w in zip(labels, weights)
        ],
        "consistency": _consistency_rows(consistency, labels),
    }


def _matrix_rows(form, labels, prefix: str = ""):
    """The matrix for the template: per row its label and cells (diagonal, an input above, a reciprocal below);
    `prefix` tells the reciprocal cells of several matrices on one page apart."""
    n = len(labels)
    values = {}
    for i in range(n):
        for j in range(i + 1, n):
            raw = form[f"a_{i}_{j}"].value()
            try:
                values[(i, j)] = parse_judgement(raw)
            except ValueError:
                values[(i, j)] = None
    rows = []
    for i, label in enumerate(labels):
        cells = []
        for j in range(n):
            if i == j:
                cells.append({"kind": "diagonal"})
            elif i < j:
                cells.append({"kind": "input", "field": form[f"a_{i}_{j}"], "pair": f"{label} against {labels[j]}"})
            else:
                v = values[(j, i)]
                cells.append(
                    {
                        "kind": "reciprocal",
                        "row": i,
                        "column": j,
                        "prefix": prefix,
                        "text": "—" if v is None else saaty_text(1 / v),
                    }
                )
        rows.append({"label": label, "index": i, "cells": cells})
    return rows


def _set_context(request, study, criteria_set, judgement_form=None, rank_form=None, rank_matrices=None) -> dict:
    labels = _labels(criteria_set)
    group = decisions.weights(user=request.user, criteria_set=criteria_set)
    own = criteria_set.judgements.filter(judge=request.user).first()
    if judgement_form is None:
        judgement_form = JudgementForm(n=len(labels), matrix=own.matrix if own else None)
    preview = None
    if judgement_form.is_bound:
        if judgement_form.is_valid():
            preview = _preview(judgement_form.matrix(), criteria_set, labels)
    else:
        preview = _preview(own.matrix if own else [[1.0] * len(labels) for _ in labels], criteria_set, labels)
    scenarios, criteria = [], list(zip(criteria_set.criteria, labels))
    if criteria_set.kind == CriteriaSet.Kind.SCENARIO:
        scenarios = list(scenario_selectors.scenario_list(user=request.user, study=study).order_by("name", "version"))
        if rank_form is None:
            rank_form = RankingForm(scenarios=scenarios, criteria=criteria)
        if rank_matrices is None:
            rank_matrices = scenario_rank.matrices(None, criteria, scenarios)
        names = [str(s) for s in scenarios]
        for m in rank_matrices:  # per criterion: where its local scores come from, and its matrix of the scenarios
            m.update(
                rows=_matrix_rows(m["form"], names, prefix=f"{m['prefix']}-"), origin=rank_form[f"origin_{m['code']}"]
            )
    members = [
        {
            "judge": m["judge"],
            "weights": [number(w) for w in m["weights"]],
            "cr": number(m["consistency"]["cr"]),
            "acceptable": m["consistency"]["acceptable"],
        }
        for m in group["members"]
    ]
    group_rows = None
    if group["group"] is not None:
        group_rows = {
            "weights": [number(w) for w in group["group"]["weights"]],
            "consistency": _consistency_rows(group["group"]["consistency"], labels),
        }
    weight_rows = [
        {
            "label": label,
            "group": group_rows["weights"][k] if group_rows else "—",
            "members": [m["weights"][k] for m in members],
        }
        for k, label in enumerate(labels)
    ]
    return org_context(
        request,
        study.end_collector,
        study=study,
        criteria_set=criteria_set,
        labels=labels,
        criteria=criteria,
        own=own,
        form=judgement_form,
        matrix=_matrix_rows(judgement_form, labels),
        preview=preview,
        members=members,
        group=group_rows,
        weight_rows=weight_rows,
        rank_form=rank_form,
        scenarios=scenarios,
        rank_matrices=rank_matrices or [],
        scenario_names=[str(s) for s in scenarios],
        ri_values=scenario_rank.ri_values(criteria_set.ri_table),
        scale=SAATY_SCALE,
        ri_source=ahp.RANDOM_INDEX_SOURCE.get(criteria_set.ri_table, "a published table"),
        rankings=list(
            Ranking.objects.filter(study=study, criteria_set=criteria_set).select_related("criteria_set")[:10]
        ),
    )


def _set_form(request, *args, **kwargs) -> CriteriaSetForm:
    partner = [(c.code, c.name) for c in partner_selectors.criterion_list()]
    return CriteriaSetForm(
        *args,
        scenario_criteria=[(c, decisions.criterion_label(c)) for c in decisions.SCENARIO_CRITERIA],
        partner_criteria=partner,
        ri_tables=list(ahp.RANDOM_INDEX_SOURCE.items()),
        **kwargs,
    )


@login_required
def study_ahp(request, pk):
    """The study's criteria sets and rankings, and a form to create a set."""
    study = _study(request, pk, edit=request.method == "POST")
    if request.method == "POST":
        form = _set_form(request, request.POST)
        if form.is_valid():
            made = submit(
                form,
                lambda: decisions.criteria_set_create(
                    user=request.user,
                    study=study,
                    name=form.cleaned_data["name"],
                    kind=form.cleaned_data["kind"],
                    criteria=form.cleaned_data["criteria"],
                    ri_table=form.cleaned_data["ri_table"],
                ),
            )
            if made:
                messages.success(request, f"Criteria set “{made.name}” created: enter your judgements below.")
                return redirect("study-ahp-set", pk=study.pk, set_pk=made.pk)
    else:
        form = _set_form(request)
    sets = []
    for criteria_set in decisions.criteria_set_list(user=request.user, study=study):
        group = decisions.weights(user=request.user, criteria_set=criteria_set)["group"]
        sets.append(
            {
                "set": criteria_set,
                "labels": _labels(criteria_set),
                "judges": criteria_set.judgements.count(),
                "cr": number(group["consistency"]["cr"]) if group else None,
                "acceptable": group["consistency"]["acceptable"] if group else None,
            }
        )
    units = {c.code: c.unit for c in partner_selectors.criterion_list()}
    return render(
        request,
        "assessment/ahp_sets.html",
        org_context(
            request,
            study.end_collector,
            study=study,
            form=form,
            sets=sets,
            scenario_boxes=[(code, label, decisions.criterion_unit(code)) for code, label in form.scenario_criteria],
            partner_boxes=[(code, label, units.get(code, "")) for code, label in form.partner_criteria],
            chosen=form["criteria"].value() or [],
            rankings=Ranking.objects.filter(study=study).select_related("criteria_set", "created_by"),
            partner_rankings=decisions.partner_ranking_list(user=request.user, study=study)[:30],
        ),
    )


@login_required
def study_ahp_set(request, pk, set_pk):
    """A criteria set: the acting member's matrix (saved on POST), the group's and each member's weights, and the
    form ranking the study's scenarios."""
    study = _study(request, pk, edit=request.method == "POST")
    criteria_set = _criteria_set(request, study, set_pk)
    if request.method == "POST":
        form = JudgementForm(request.POST, n=len(criteria_set.criteria))
        if form.is_valid():
            saved = submit(
                form,
                lambda: decisions.judgement_set(user=request.user, criteria_set=criteria_set, matrix=form.matrix()),
            )
            if saved:
                cr = ahp.consistency(saved.matrix, ri=criteria_set.ri_table).cr
                text = f"Your judgement on “{criteria_set.name}” is saved (CR {number(cr)})."
                if cr > ahp.CR_LIMIT:
                    messages.warning(request, text + " It is inconsistent (CR above 0.1): consider revising it.")
                else:
                    messages.success(request, text)
                return redirect("study-ahp-set", pk=study.pk, set_pk=criteria_set.pk)
        return render(request, "assessment/ahp_set.html", _set_context(request, study, criteria_set, form))
    return render(request, "assessment/ahp_set.html", _set_context(request, study, criteria_set))


@login_required
@require_POST
def study_ahp_preview(request, pk, set_pk):
    """The weights and consistency of the matrix being typed (htmx), computed and never saved."""
    study = _study(request, pk, edit=True)
    criteria_set = _criteria_set(request, study, set_pk)
    labels = _labels(criteria_set)
    form = JudgementForm(request.POST, n=len(labels))
    ctx = {"preview": None, "form": form}
    if form.is_valid():
        try:
            ctx["preview"] = _preview(form.matrix(), criteria_set, labels)
        except ValueError as exc:
            form.add_error(None, str(exc))
    return render(request, "assessment/_ahp_preview.html", ctx)


@login_required
@require_POST
def study_ahp_rank(request, pk, set_pk):
    study = _study(request, pk, edit=True)
    criteria_set = _criteria_set(request, study, set_pk)
    if criteria_set.kind != CriteriaSet.Kind.SCENARIO:
        messages.error(request, "Only a scenario criteria set ranks scenarios.")
        return redirect("study-ahp-set", pk=study.pk, set_pk=criteria_set.pk)
    scenarios = list(scenario_selectors.scenario_list(user=request.user, study=study).order_by("name", "version"))
    criteria = list(zip(criteria_set.criteria, _labels(criteria_set)))
    form = RankingForm(request.POST, scenarios=scenarios, criteria=criteria)
    matrices = scenario_rank.matrices(request.POST, criteria, scenarios)
    local = scenario_rank.local_matrices(form, matrices) if form.is_valid() else None
    if local is not None:
        try:
            ranking = decisions.scenario_ranking_create(
                user=request.user,
                study=study,
                criteria_set=criteria_set,
                scenario_ids=form.chosen(),
                mode=form.cleaned_data["mode"],
                local_matrices=local,
                accept_stale=form.cleaned_data["accept_stale"],
            )
        except ApplicationError as exc:
            scenario_rank.refusal(form, exc, matrices)
        else:
            r = ranking.result
            messages.success(request, _first_text(r["scenarios"], r["final"]))
            return redirect("study-ranking", pk=study.pk, ranking_pk=ranking.pk)
    return render(
        request,
        "assessment/ahp_set.html",
        _set_context(request, study, criteria_set, rank_form=form, rank_matrices=matrices),
    )


def _first_text(labels: list[str], scores: list[float]) -> str:
    """Who comes first, in words; equal best scores tie ("Ranked: A and B tie for first place.")."""
    first = [label for label, (rank, _) in zip(labels, ahp.competition_ranks(scores)) if rank == 1]
    if len(first) == 1:
        return f"Ranked: {first[0]} comes first."
    return f"Ranked: {', '.join(first[:-1])} and {first[-1]} tie for first place."


def _signed(x) -> str:
    return "no change" if x is None else number(x, signed=True).replace("-", "−")


def _sensitivity(r: dict, winner: str) -> tuple[list[dict], dict]:
    """The sensitivity rows of a ranking's result (scenarios or partners) for the table, and the chart's data."""
    total = sum(r["weights"]) or 1.0
    sensitivity = []
    for k, s in enumerate(r["sensitivity"]):
        w = r["weights"][k] / total
        sensitivity.append(
            {
                "label": r["labels"][k],
                "weight": number(w),
                "down": _signed(s["delta_down"]),
                "up": _signed(s["delta_up"]),
                "down_to": None if s["delta_down"] is None else number(w + s["delta_down"]),
                "up_to": None if s["delta_up"] is None else number(w + s["delta_up"]),
                "down_by": s["overtaken_down_by"],
                "up_by": s["overtaken_up_by"],
            }
        )
    chart = {
        "labels": r["labels"],
        "winner": winner,
        "weights": [w / total for w in r["weights"]],
        "down": [s["delta_down"] for s in r["sensitivity"]],
        "up": [s["delta_up"] for s in r["sensitivity"]],
        "down_by": [s["overtaken_down_by"] for s in r["sensitivity"]],
        "up_by": [s["overtaken_up_by"] for s in r["sensitivity"]],
    }
    return sensitivity, chart


def _origin_text(r: dict, k: int) -> str:
    """Where a criterion's local scores came from, in words; a pairwise matrix with its CR when it was stored."""
    if r["origins"][k] != "judgements":
        return "indicator values"
    consistency = (r.get("local_consistency") or {}).get(r["criteria"][k])
    if consistency is None:
        return "pairwise judgements"
    flag = "" if consistency["acceptable"] else ", inconsistent"
    return f"pairwise judgements (CR {number(consistency['cr'])}{flag})"


@login_required
def study_ranking(request, pk, ranking_pk):
    study = _study(request, pk)
    ranking = Ranking.objects.filter(study=study, pk=ranking_pk).select_related("criteria_set", "created_by").first()
    if ranking is None:
        raise Http404("No such ranking.")
    r = ranking.result
    n = len(r["scenarios"])
    winner = r["scenarios"].index(r["winner"]) if r["winner"] in r["scenarios"] else None
    rows = [
        {
            "label": label,
            "direction": r["directions"][k],
            "origin": _origin_text(r, k),
            "weight": number(r["weights"][k]),
            "local": [number(r["local"][s][k]) for s in range(n)],
        }
        for k, label in enumerate(r["labels"])
    ]
    sensitivity, chart = _sensitivity(r, r["winner"])
    ranks = ahp.competition_ranks(r["final"])  # equal final scores share a rank
    ranked = sorted(range(n), key=lambda s: (ranks[s][0], s))
    first = [r["scenarios"][s] for s in ranked if ranks[s][0] == 1]
    return render(
        request,
        "assessment/ranking.html",
        org_context(
            request,
            study.end_collector,
            study=study,
            ranking=ranking,
            result=r,
            rows=rows,
            winner=winner,
            final=[number(f) for f in r["final"]],
            first=first,
            order=[
                {"name": r["scenarios"][s], "score": number(r["final"][s]), "rank": ranks[s][0], "tied": ranks[s][1]}
                for s in ranked
            ],
            consistency=_consistency_rows(r["consistency"], r["labels"]),
            sensitivity=sensitivity,
            chart=chart,
            chart_height=90 + 44 * len(sensitivity),
            mode=r["mode"],
        ),
    )


# ---------------------------------------------------------------- ranking partners for a role


def _partner_sets(request, study):
    return decisions.criteria_set_list(user=request.user, study=study).filter(kind=CriteriaSet.Kind.PARTNER)


def _partner_choice_kwargs(request, study) -> dict:
    """The choices of the partner ranking forms: the study's partner sets, the ranked roles, and the materials the
    study accepts back (the whole catalogue when it names none)."""
    materials = study.accepted_materials.all()
    return {
        "sets": _partner_sets(request, study),
        "roles": [(r.value, r.label) for r in decisions.RANKED_ROLES],
        "materials": materials if materials.exists() else partner_selectors.material_list(),
    }


def _facility_label(facility) -> str:
    return f"{facility.name} ({facility.organization.name})"


def _apply_refusal(form, exc: ApplicationError, matrices) -> None:
    """A service refusal onto the form: a field's message on the field, the rest above the form; a message about
    one criterion's pairwise judgements also next to that matrix."""
    if not exc.field_errors:
        form.add_error(None, exc.message)
    for field, msgs in exc.field_errors.items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)
            for m in matrices:
                if field == "local_matrices" and msg.startswith(f"{m['code']}:"):
                    m["form"].add_error(None, msg)


def _partner_rank_submit(request, study, form, matrices, candidates):
    """Validate the posted ranking and ask for it; None (and the errors on the forms) when anything is refused."""
    if not form.is_valid():
        return None
    local = {}
    for m in matrices:
        if form.origins()[m["code"]] != "judgements":
            continue
        if m["form"].is_valid():
            local[m["code"]] = m["form"].matrix()
        else:
            form.add_error(None, f"{m['label']}: correct the pairwise judgements below.")
    if local and form.candidate_ids() != [f.pk for f in candidates]:
        form.add_error(None, "The candidates changed since the page was shown: check the judgements, then rank.")
    if form.errors:
        return None
    data = form.cleaned_data
    try:
        return decisions.partner_ranking_request(
            user=request.user,
            study=study,
            criteria_set=data["criteria_set"],
            role=data["role"],
            material=data["material"],
            mode=data["mode"],
            local_matrices=local,
        )
    except ApplicationError as exc:
        _apply_refusal(form, exc, matrices)
        return None


@login_required
def study_partner_rank(request, pk):
    """Rank the study's candidates for a role: choose a partner criteria set, a role and a material (GET) to see the
    candidates; per criterion, score them from their sheet values or judge them pairwise; rank (POST)."""
    study = _study(request, pk, edit=request.method == "POST")
    posted = request.method == "POST"
    kwargs = _partner_choice_kwargs(request, study)
    source = request.POST if posted else request.GET
    bound = posted or "role" in source or "material" in source
    if bound and not posted and "criteria_set" not in source and kwargs["sets"].exists():
        source = source.copy()
        source["criteria_set"] = str(kwargs["sets"].first().pk)
    choice = PartnerChoiceForm(source if bound else None, initial={"criteria_set": kwargs["sets"].first()}, **kwargs)
    ctx = org_context(request, study.end_collector, study=study, choice=choice, has_sets=kwargs["sets"].exists())
    if bound and choice.is_valid():
        criteria_set, role, material = (choice.cleaned_data[k] for k in ("criteria_set", "role", "material"))
        candidates = decisions.partner_candidates(user=request.user, study=study, role=role, material=material)
        names = [_facility_label(f) for f in candidates]
        criteria = list(zip(criteria_set.criteria, _labels(criteria_set)))
        # Pairwise judgements of the candidates: up to the size of the set's random-index table (CR is undefined
        # beyond it, and the service refuses such a matrix).
        max_pairwise = len(ahp.RANDOM_INDEX.get(criteria_set.ri_table, ()))
        pairwise = len(candidates) <= max_pairwise
        form = PartnerRankForm(
            request.POST if posted else None,
            criteria=criteria,
            pairwise=pairwise,
            initial={
                **choice.cleaned_data,
                "mode": "distributive",
                "candidates": ",".join(str(f.pk) for f in candidates),
            },
            **kwargs,
        )
        sent = {k.split("-a_")[0] for k in request.POST} if posted else set()
        matrices = [
            {
                "code": code,
                "label": label,  # a matrix the browser did not send (not judged) stays unbound
                "form": JudgementForm(
                    request.POST if f"m-{code}" in sent else None, n=len(candidates), prefix=f"m-{code}", labels=names
                )
                if pairwise
                else None,
            }
            for code, label in criteria
        ]
        if posted:
            ranking = _partner_rank_submit(request, study, form, matrices, candidates)
            if ranking:
                ranking.refresh_from_db()  # without a broker a worker's ranking is already computed
                if ranking.status == PartnerRanking.Status.DONE:
                    candidates = ranking.result["candidates"]
                    messages.success(
                        request, _first_text([c["label"] for c in candidates], [c["score"] for c in candidates])
                    )
                else:
                    messages.success(
                        request,
                        f"{ranking.title} of {len(ranking.candidate_ids)} candidates asked for; this page follows it.",
                    )
                return redirect("study-partner-ranking", pk=study.pk, ranking_pk=ranking.pk)
        units = {c.code: c.unit for c in Criterion.objects.filter(code__in=criteria_set.criteria)}
        for m in matrices:
            m.update(
                rows=_matrix_rows(m["form"], names, prefix=f"m-{m['code']}-") if pairwise else [],
                origin=form[f"origin_{m['code']}"],
                unit=units.get(m["code"], ""),
            )
        values = _sheet_values(request, criteria_set, candidates)
        ctx.update(
            criteria_set=criteria_set,
            role_label=Role(role).label,
            material=material,
            form=form,
            pairwise=pairwise,
            max_pairwise=max_pairwise,
            matrices=matrices,
            judged=criteria_set.judgements.exists(),
            short_names=[f.name for f in candidates],
            candidates=[{"facility": f, "label": names[i], "values": values[i]} for i, f in enumerate(candidates)],
            hidden_errors=[
                (form[name].label, e)
                for name in ("criteria_set", "role", "material", "candidates")
                for e in form[name].errors
            ],
        )
    return render(request, "assessment/partner_rank.html", ctx)


def _sheet_values(request, criteria_set, candidates) -> list[list[str]]:
    """Each candidate's sheet value per criterion of the set, for the page ("—" where the sheet has none). The
    candidates share their sheets with the study's end collector, which is why they are candidates."""
    codes = criteria_set.criteria
    by_org = {}
    for f in candidates:
        if f.organization_id not in by_org:
            by_org[f.organization_id] = {
                v.criterion.code: v.value
                for v in partner_selectors.criterion_value_list(user=request.user, organization=f.organization).filter(
                    criterion__code__in=codes
                )
            }
    return [[number(by_org[f.organization_id].get(code)) for code in codes] for f in candidates]


def _partner_result(r: dict) -> dict:
    """A done partner ranking's result for the page: candidates by rank with each criterion's value and local
    score, the criteria with weights, and the sensitivity."""
    criteria = [
        {
            "label": label,
            "unit": r["units"][k],
            "direction": r["directions"][k],
            "origin": r["origins"][k],
            "weight": number(r["weights"][k]),
            "cr": number(r["local_consistency"][code]["cr"]) if code in r.get("local_consistency", {}) else None,
        }
        for k, (code, label) in enumerate(zip(r["criteria"], r["labels"]))
    ]
    ranks = ahp.competition_ranks([c["score"] for c in r["candidates"]])  # equal scores share a rank
    rows = [
        {
            "rank": rank,
            "tied": tied,
            "label": c["label"],
            "facility": c["facility"],
            "organization": c["organization"],
            "facility_id": c["facility_id"],
            "score": number(c["score"]),
            "winner": rank == 1,
            "cells": [{"value": number(c["values"][k]), "local": number(c["local"][k])} for k in range(len(criteria))],
        }
        for c, (rank, tied) in sorted(zip(r["candidates"], ranks), key=lambda p: (p[1][0], p[0]["rank"]))
    ]
    sensitivity, chart = _sensitivity(r, r["winner"]["label"])
    return {
        "criteria": criteria,
        "rows": rows,
        "first": [row for row in rows if row["winner"]],
        "consistency": _consistency_rows(r["consistency"], r["labels"]),
        "sensitivity": sensitivity,
        "chart": chart,
        "chart_height": 90 + 44 * len(sensitivity),
    }


@login_required
def study_partner_ranking(request, pk, ranking_pk):
    """A partner ranking: its progress while a worker computes it (the page polls the live part with htmx), then
    the candidates by rank, the weights, the sensitivity, and the way to build a scenario with it."""
    study = _study(request, pk)
    ranking = decisions.partner_ranking_get(user=request.user, study=study, pk=ranking_pk)
    ctx = org_context(
        request,
        study.end_collector,
        study=study,
        ranking=ranking,
        in_progress=ranking.status in (PartnerRanking.Status.PENDING, PartnerRanking.Status.RUNNING),
        done=ranking.status == PartnerRanking.Status.DONE and bool(ranking.result),
        drafts=scenario_selectors.scenario_list(user=request.user, study=study)
        .filter(status=Scenario.Status.DRAFT)
        .order_by("name", "version"),
        directions=builder.DIRECTIONS,
    )
    if ctx["done"]:
        ctx.update(_partner_result(ranking.result))
    if request.htmx:
        return render(request, "assessment/_partner_ranking_live.html", ctx)
    return render(request, "assessment/partner_ranking.html", ctx)


@login_required
def study_partner_ranking_build(request, pk, ranking_pk):
    """The ranking page's "Build a scenario with this ranking": to the builder of the chosen draft, with the
    ranking's role and the ranking chosen."""
    study = _study(request, pk)
    ranking = decisions.partner_ranking_get(user=request.user, study=study, pk=ranking_pk)
    raw = request.GET.get("scenario", "")
    scenario = None
    if raw.isdigit():
        scenario = (
            scenario_selectors.scenario_list(user=request.user, study=study)
            .filter(pk=int(raw), status=Scenario.Status.DRAFT)
            .first()
        )
    if scenario is None:
        messages.error(request, "Choose a draft scenario of this study to build.")
        return redirect("study-partner-ranking", pk=study.pk, ranking_pk=ranking.pk)
    direction = request.GET.get("direction", "")
    query = urlencode(
        {
            "direction": direction if direction in builder.DIRECTIONS else "backwards",
            "role": ranking.role,
            "ranking": ranking.pk,
        }
    )
    return redirect(f"{reverse('scenario-build', args=[scenario.pk])}?{query}")


# ---------------------------------------------------------------- building a scenario step by step


def _builder_url(scenario, direction: str) -> str:
    return f"{reverse('scenario-build', args=[scenario.pk])}?{urlencode({'direction': direction})}"


def _network_rows(state: dict, direction: str) -> dict:
    """The network so far for the page: nodes per role in the building order, routes, the map's GeoJSON."""
    flows = state["flows"]
    groups = []
    for role in builder.ROLE_ORDER[direction]:
        nodes = [
            {
                "node": n,
                "colour": maps.ROLE_COLOURS[n.role],
                "rec_in": number(flows.nodes[n.pk].recommended_in_t),
                "rec_out": number(flows.nodes[n.pk].recommended_out_t),
                "messages": flows.nodes[n.pk].messages,
            }
            for n in state["nodes"]
            if n.role == role
        ]
        groups.append({"role": role.value, "label": role.label, "nodes": nodes})
    routes = [
        {
            "route": r,
            "recommended": number(flows.routes[r.pk].recommended_t),
            "quantity": number(flows.routes[r.pk].quantity_t),
            "typed": flows.routes[r.pk].typed,
            "mode": TransportMode(r.mode).label,
            "distance": number(r.distance_km),
        }
        for r in state["routes"]
    ]
    node_dicts, route_dicts = network.state_from_models(state["nodes"], state["routes"])
    return {
        "groups": groups,
        "routes": routes,
        "geojson": network.geojson(node_dicts, route_dicts, flows),
        "legend": maps.legend(),
        "need_txt": number(flows.need_t),
        "delivered_txt": number(flows.delivered_t),
    }


def _choice_rows(entries, rankings) -> list[dict]:
    """The builder's logged choices; a ranking named by its title (a ranking deleted since: "a ranking")."""
    titles = {r.pk: r.title for r in rankings}
    rows = []
    for e in entries:
        c = {k: v[1] for k, v in e.changes.items() if isinstance(v, list) and len(v) == 2}
        role = c.get("role")
        rows.append(
            {
                "at": e.at,
                "actor": e.actor.get_username() if e.actor else "—",
                "role": Role(role).label if role in Role.values else role,
                "facility": c.get("facility", ""),
                "ranking": c.get("ranking"),
                "rank": c.get("rank"),
                "ranking_title": titles.get(c.get("ranking"), "a ranking"),
                "top_ranked": c.get("top_ranked"),
                "reason": c.get("reason", ""),
            }
        )
    return rows


def _step_choice(request, source, state, direction, rankings):
    """The role and ranking of the next step: as asked, else the next role of the direction and the latest done
    ranking of that role. A ranking of another role is refused on the ranking field."""
    order = builder.ROLE_ORDER[direction]
    role = source.get("role") or state["next_role"] or order[-1].value
    if "ranking" in source:
        ranking = source.get("ranking", "")
    else:
        latest = rankings.filter(role=role).first()
        ranking = str(latest.pk) if latest else ""
    choice = BuilderChoiceForm(
        {"role": role, "ranking": ranking}, roles=[(r.value, r.label) for r in order], rankings=rankings
    )
    if choice.is_valid():
        chosen = choice.cleaned_data["ranking"]
        if chosen is not None and chosen.role != choice.cleaned_data["role"]:
            choice.add_error(
                "ranking",
                f"{chosen.title} ranks {chosen.get_role_display().lower()}s; choose a "
                f"ranking of {Role(role).label.lower()}s, or none.",
            )
    return choice


@login_required
def scenario_build(request, pk):
    """Build a scenario role after role (assessment.builder): the network so far, the choices made, and the next
    step, whose options follow a partner ranking when one is chosen. Drafts only change; readers see it all."""
    posted = request.method == "POST"
    scenario = _scenario(request, pk, edit=posted)
    study = scenario.study
    source = request.POST if posted else request.GET
    direction = source.get("direction") or "backwards"
    if direction not in builder.DIRECTIONS:
        messages.error(request, f"“{direction}” is not a direction: building backwards from the end collector.")
        return redirect(_builder_url(scenario, "backwards"))
    if posted and not scenario.is_editable:
        messages.error(
            request,
            f"This scenario is {scenario.get_status_display().lower()}; only drafts are built. "
            "Make a new version to change it.",
        )
        return redirect(_builder_url(scenario, direction))
    state = builder.state(user=request.user, scenario=scenario, direction=direction)
    rankings = decisions.partner_ranking_list(user=request.user, study=study).filter(status=PartnerRanking.Status.DONE)
    choice = _step_choice(request, source, state, direction, rankings)
    ctx = org_context(
        request,
        study.end_collector,
        scenario=scenario,
        study=study,
        state=state,
        direction=direction,
        directions=builder.DIRECTIONS,
        choice=choice,
        choices=_choice_rows(state["choices"], rankings),
        **_network_rows(state, direction),
    )
    ctx["can_write"] = ctx["can_edit"] and scenario.is_editable
    ctx["next_role_label"] = Role(state["next_role"]).label if state["next_role"] else ""
    if ctx["can_write"] and not choice.errors:
        role, ranking = choice.cleaned_data["role"], choice.cleaned_data["ranking"]
        options = builder.options(user=request.user, scenario=scenario, role=role, ranking=ranking)
        for o in options:
            o["score_txt"] = number(o["score"])
        builder.preview(options, state, role, settings.DEFAULT_TRANSPORT_MODE)
        free = [o for o in options if not o["in_network"]]
        preselected = next((o for o in free if o["top"]), free[0] if len(free) == 1 else None)
        form = BuilderStepForm(
            request.POST if posted else None,
            options=options,
            materials=partner_selectors.material_list(),
            roles=choice.fields["role"].choices,
            rankings=rankings,
            initial={
                "direction": direction,
                "role": role,
                "ranking": ranking,
                "facility": preselected["facility"].pk if preselected else None,
                "mode": settings.DEFAULT_TRANSPORT_MODE,
            },
        )
        if posted and form.is_valid():
            data = form.cleaned_data
            facility = next(o["facility"] for o in options if o["facility"].pk == data["facility"])
            made = submit(
                form,
                lambda: builder.step(
                    user=request.user,
                    scenario=scenario,
                    direction=direction,
                    role=data["role"],
                    facility=facility,
                    ranking=data["ranking"],
                    reason=data["reason"],
                    mode=data["mode"],
                    material=data["material"],
                ),
            )
            if made:
                node, routes = made
                messages.success(
                    request,
                    f"{node.get_role_display()} {_facility_label(facility)} added, joined by "
                    f"{len(routes)} route{'' if len(routes) == 1 else 's'}.",
                )
                return redirect(_builder_url(scenario, direction))
        ctx.update(
            form=form,
            options=options,
            role_label=Role(role).label,
            ranking=ranking,
            default_mode_label=TransportMode(settings.DEFAULT_TRANSPORT_MODE).label,
            hidden_errors=[
                (form[name].label, e) for name in ("direction", "role", "ranking") for e in form[name].errors
            ],
        )
    return render(request, "assessment/builder.html", ctx)
