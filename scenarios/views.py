"""Pages of studies and scenarios.

Every view starts with one access call: a selector that answers 404 to whoever may not see the study or scenario
(outsiders; partners for scenarios), then a role check that answers 403 to readers who may not write. Writes go
through services: their refusals become form errors (partners.views.submit) or, for the workflow buttons and for
scenarios that are no longer drafts, a message on the scenario page, and nothing changes.
"""

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from partners import access, maps
from partners import selectors as partner_selectors
from partners.errors import ApplicationError
from partners.models import Role
from partners.views import org_context, org_view, submit

from . import checks, materials, network, selectors, services
from .forms import (
    AcknowledgeForm,
    CloneForm,
    DecisionForm,
    EmptyForm,
    NodeEditForm,
    NodeForm,
    RouteEditForm,
    RouteForm,
    ScenarioForm,
    StudyForm,
)
from .models import STAGE, TransportMode

CHECKS = {"edit": access.can_edit, "admin": access.can_admin}
REFUSED = {
    "edit": "Only the end collector's editors and admins change its studies and scenarios.",
    "admin": "Only the end collector's admins approve or reject scenarios.",
}


# ---------------------------------------------------------------- access


def t(x, places: int = 2) -> str:
    """A number for the page: thousands separated, at most `places` decimals, no trailing zeros (1,200 / 62.5)."""
    if x is None or x == "":
        return ""
    text = f"{float(x):,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _study(request, pk, need: str | None = None):
    study = selectors.study_get(user=request.user, pk=pk)
    if need and not CHECKS[need](request.user, study.end_collector):
        raise PermissionDenied(REFUSED[need])
    return study


def _scenario(request, pk, need: str | None = None):
    scenario = selectors.scenario_get(user=request.user, pk=pk)
    if need and not CHECKS[need](request.user, scenario.study.end_collector):
        raise PermissionDenied(REFUSED[need])
    return scenario


def _frozen(request, scenario):
    """A redirect with the reason when the scenario is no longer a draft (the services would answer 409)."""
    if scenario.is_editable:
        return None
    if scenario.is_frozen:
        messages.error(request, "This scenario is approved and frozen; make a new version to change it.")
    else:
        messages.error(
            request,
            f"This scenario is {scenario.get_status_display().lower()}; only drafts change. "
            "Make a new version to change it.",
        )
    return redirect("scenario", pk=scenario.pk)


def _run(request, form, call):
    """submit() for scenario writes: a 409 (the scenario stopped being a draft meanwhile) becomes a message."""

    def guarded():
        try:
            return call()
        except ApplicationError as exc:
            if exc.status != 409:
                raise
            messages.error(request, exc.message)
            return None

    return submit(form, guarded)


def _study_context(request, study, **extra):
    """The end collector's context for its members. For a partner invited into the study, the partner organisation
    the user opened it from (the Studies page's links carry ?org=<slug>), so the page keeps acting for it; without
    that, the first of their invited organisations, and the page says which one when they belong to several."""
    org = study.end_collector
    if not access.is_member(request.user, org):
        mine = [o for o in study.candidates.all() if access.is_member(request.user, o)]
        asked = next((o for o in mine if o.slug == request.GET.get("org")), None)
        org = asked or (mine[0] if mine else org)
        if asked is None and len(mine) > 1:
            others = ", ".join(o.name for o in mine if o != org)
            messages.info(
                request,
                f"You are reading this study as {org.name}; it also invites {others}, "
                "which you belong to. Open it from that organisation's Studies page to act for it.",
            )
    return org_context(request, org, study=study, **extra)


# ---------------------------------------------------------------- studies


@org_view("member")
def study_list(request, org):
    own = selectors.study_list(user=request.user, organization=org).prefetch_related("scenarios")
    invited = selectors.study_invited_list(user=request.user, organization=org)
    return render(request, "scenarios/study_list.html", org_context(request, org, studies=own, invited=invited))


def _study_form_page(request, org, study=None):
    partners = partner_selectors.sharing_partner_list(user=request.user, end_collector=org)
    form = StudyForm(request.POST or None, partners=partners, initial=StudyForm.initial_from(study) if study else {})
    if request.method == "POST" and form.is_valid():
        if study is None:
            saved = submit(
                form, lambda: services.study_create(user=request.user, end_collector=org, **form.cleaned_data)
            )
        else:
            saved = submit(form, lambda: services.study_update(user=request.user, study=study, **form.cleaned_data))
        if saved:
            messages.success(
                request,
                f"Study “{saved.name}” saved: it needs {t(saved.required_t_per_year, 3)} t/year of recycled material.",
            )
            return redirect("study", pk=saved.pk)
    return render(request, "scenarios/study_form.html", org_context(request, org, form=form, study=study))


@org_view("edit")
def study_new(request, org):
    return _study_form_page(request, org)


@login_required
def study_edit(request, pk):
    study = _study(request, pk, "edit")
    return _study_form_page(request, study.end_collector, study)


def _figures(study) -> dict:
    return {
        "need": t(study.required_t_per_year, 3),
        "share": t(study.recycled_share, 4),
        "mass": t(study.product_mass_kg, 3),
        "units": t(study.units_per_year, 0),
        "product_t": t(study.product_t_per_year, 3),
    }


@login_required
def study_detail(request, pk):
    study = _study(request, pk)
    if not selectors.can_see_scenarios(request.user, study):  # an invited partner: the figures only
        return render(
            request,
            "scenarios/study_detail.html",
            _study_context(request, study, partner_view=True, figures=_figures(study)),
        )
    rows = [
        (s, t(flows.delivered_t), t(flows.need_t), flows.delivered_t < flows.need_t * (1 - 1e-9))
        for s in selectors.scenario_list(user=request.user, study=study)
        for flows in [network.flows(s)]
    ]
    return render(
        request,
        "scenarios/study_detail.html",
        _study_context(request, study, rows=rows, candidates=study.candidates.all(), figures=_figures(study)),
    )


@login_required
def scenario_new(request, pk):
    study = _study(request, pk, "edit")
    form = ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scenario = submit(form, lambda: services.scenario_create(user=request.user, study=study, **form.cleaned_data))
        if scenario:
            messages.success(request, f"Scenario “{scenario.name}” created. Add nodes, then draw routes.")
            return redirect("scenario", pk=scenario.pk)
    return render(request, "scenarios/scenario_form.html", _study_context(request, study, form=form))


# ---------------------------------------------------------------- the scenario page


def _candidates(facilities) -> dict:
    """The study's candidate facilities as faint markers; a click on one fills the node form."""
    data = maps.facility_collection(facilities)
    for feature, facility in zip(data["features"], facilities):
        feature["properties"]["role_values"] = facility.roles
    return data


def _use(capacity_use) -> str:
    """Inflow over capacity in %; empty when unknown or infinite (a capacity of 0 receiving material, which the
    node's flag names)."""
    return "" if capacity_use is None or not math.isfinite(capacity_use) else t(capacity_use * 100, 1) + " %"


def _network(nodes: list[dict], routes: list[dict], flows) -> dict:
    """Rows for the node and route tables and the map's GeoJSON, from plain dicts (live or replayed)."""
    names = {n["id"]: n["facility"] for n in nodes}
    stage = {n["id"]: STAGE[n["role"]] for n in nodes}  # tables run downstream: collectors first
    nodes = sorted(nodes, key=lambda n: (stage[n["id"]], n["facility"]))
    routes = sorted(
        routes,
        key=lambda r: (
            stage.get(r["origin_node"], 0),
            stage.get(r["destination_node"], 0),
            names.get(r["origin_node"], ""),
        ),
    )
    node_rows, route_rows = [], []
    for n in nodes:
        f = flows.nodes[n["id"]]
        node_rows.append(
            {
                **n,
                "role_label": Role(n["role"]).label,
                "colour": maps.ROLE_COLOURS[n["role"]],
                "flow": f,
                "txt": {
                    "yield": t(n["yield_ratio"], 4),
                    "capacity": t(n["capacity_t_per_year"]),
                    "rec_in": t(f.recommended_in_t),
                    "inflow": t(f.inflow_t),
                    "outflow": t(f.outflow_t),
                    "use": _use(f.capacity_use),
                },
            }
        )
    for r in routes:
        f = flows.routes[r["id"]]
        route_rows.append(
            {
                **r,
                "origin_name": names.get(r["origin_node"], "?"),
                "flow": f,
                "destination_name": names.get(r["destination_node"], "?"),
                "mode_label": TransportMode(r["mode"]).label,
                "txt": {
                    "share_pct": t(f.split * 100, 1),
                    "share": t(r.get("share") or 1, 3),
                    "recommended": t(f.recommended_t),
                    "quantity": t(f.quantity_t),
                    "distance": t(r["distance_km"]),
                    "circuity": t(r.get("circuity")),
                },
            }
        )
    return {
        "flows": flows,
        "geojson": network.geojson(nodes, routes, flows),
        "node_rows": node_rows,
        "route_rows": route_rows,
        "need_txt": t(flows.need_t),
        "delivered_txt": t(flows.delivered_t),
    }


def _scenario_page(request, scenario, node_form=None, route_form=None):
    user, study = request.user, scenario.study
    nodes = list(selectors.node_list(user=user, scenario=scenario))
    routes = list(selectors.route_list(user=user, scenario=scenario))
    node_dicts, route_dicts = network.state_from_models(nodes, routes)
    for data, route in zip(route_dicts, routes):
        data["circuity"] = route.circuity
    ctx = org_context(
        request,
        study.end_collector,
        scenario=scenario,
        study=study,
        legend=maps.legend(),
        decision_form=DecisionForm(),
        **_network(node_dicts, route_dicts, network.flows(scenario, nodes, routes)),
    )
    ctx["can_write"] = ctx["can_edit"] and scenario.is_editable
    if scenario.is_editable:  # routes drawn before the material rule, or whose sites changed since: fix them
        ctx["route_problems"] = materials.route_problems(study, routes)
    if scenario.status in (scenario.Status.DRAFT, scenario.Status.SUBMITTED):  # what a controller would raise
        ctx["review"] = checks.review(scenario, ctx["flows"])
        ctx["same_person"] = (
            scenario.status == scenario.Status.SUBMITTED
            and study.end_collector.approver_not_submitter
            and scenario.submitted_by_id == user.pk
        )
    if ctx["can_write"]:
        facilities = list(selectors.candidate_facility_list(user=user, study=study))
        ctx["node_form"] = node_form or NodeForm(facilities=facilities)
        ctx["route_form"] = route_form or RouteForm(nodes=selectors.node_list(user=user, scenario=scenario))
        ctx["candidates"] = _candidates(facilities)
    return render(request, "scenarios/scenario_detail.html", ctx)


@login_required
def scenario_detail(request, pk):
    return _scenario_page(request, _scenario(request, pk))


@login_required
@require_POST
def node_add(request, pk):
    scenario = _scenario(request, pk, "edit")
    if refused := _frozen(request, scenario):
        return refused
    form = NodeForm(request.POST, facilities=selectors.candidate_facility_list(user=request.user, study=scenario.study))
    return _add(
        request,
        scenario,
        form,
        "node_form",
        "{} added.",
        lambda data: services.node_add(user=request.user, scenario=scenario, **data),
    )


def _add(request, scenario, form, form_name: str, done: str, create):
    """Create through `create(cleaned_data)` and go back to the scenario, or show its page with the form's errors."""
    if form.is_valid():
        made = _run(request, form, lambda: create(form.cleaned_data))
        if made or not form.errors:
            if made:
                messages.success(request, done.format(made))
            return redirect("scenario", pk=scenario.pk)
    return _scenario_page(request, scenario, **{form_name: form})


def _remove(request, scenario, delete, done: str):
    """Delete through `delete()`; the outcome, or the service's reason for refusing, as a message."""
    try:
        delete()
        messages.success(request, done)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("scenario", pk=scenario.pk)


@login_required
@require_POST
def node_remove(request, pk, node_pk):
    scenario = _scenario(request, pk, "edit")
    if refused := _frozen(request, scenario):
        return refused
    node = selectors.node_get(user=request.user, scenario=scenario, pk=node_pk)
    return _remove(
        request,
        scenario,
        lambda: services.node_remove(user=request.user, node=node),
        f"{node} removed, with the routes touching it.",
    )


@login_required
def node_edit(request, pk, node_pk):
    scenario = _scenario(request, pk, "edit")
    if refused := _frozen(request, scenario):
        return refused
    node = selectors.node_get(user=request.user, scenario=scenario, pk=node_pk)
    form = NodeEditForm(request.POST or None, initial=NodeEditForm.initial_from(node))
    return _edit_page(
        request,
        scenario,
        form,
        lambda data: services.node_update(user=request.user, node=node, **data),
        "scenarios/node_form.html",
        node=node,
    )


def _edit_page(request, scenario, form, update, template, **extra):
    """Save a valid edit form through `update(cleaned_data)` and go back to the scenario, or show the form."""
    if request.method == "POST" and form.is_valid():
        saved = _run(request, form, lambda: update(form.cleaned_data))
        if saved or not form.errors:
            if saved:
                messages.success(request, f"{saved} saved.")
            return redirect("scenario", pk=scenario.pk)
    return render(
        request, template, org_context(request, scenario.study.end_collector, scenario=scenario, form=form, **extra)
    )


@login_required
@require_POST
def scenario_delete(request, pk):
    scenario = _scenario(request, pk, "edit")
    if refused := _frozen(request, scenario):
        return refused
    study = scenario.study
    try:
        services.scenario_delete(user=request.user, scenario=scenario)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("scenario", pk=scenario.pk)
    messages.success(request, f"Draft {scenario} deleted; its history stays in the log.")
    return redirect("study", pk=study.pk)


@login_required
@require_POST
def route_add(request, pk):
    scenario = _scenario(request, pk, "edit")
    if refused := _frozen(request, scenario):
        return refused
    form = RouteForm(request.POST, nodes=selectors.node_list(user=request.user, scenario=scenario))
    return _add(
        request,
        scenario,
        form,
        "route_form",
        "Route {} drawn.",
        lambda data: services.route_create(user=request.user, scenario=scenario, **data),
    )


@login_required
def route_edit(request, pk, route_pk):
    scenario = _scenario(request, pk, "edit")
    if refused := _frozen(request, scenario):
        return refused
    route = selectors.route_get(user=request.user, scenario=scenario, pk=route_pk)
    form = RouteEditForm(request.POST or None, initial=RouteEditForm.initial_from(route))
    return _edit_page(
        request,
        scenario,
        form,
        lambda data: services.route_update(user=request.user, route=route, **data),
        "scenarios/route_form.html",
        route=route,
    )


@login_required
@require_POST
def route_delete(request, pk, route_pk):
    scenario = _scenario(request, pk, "edit")
    if refused := _frozen(request, scenario):
        return refused
    route = selectors.route_get(user=request.user, scenario=scenario, pk=route_pk)
    return _remove(
        request, scenario, lambda: services.route_delete(user=request.user, route=route), f"Route {route} deleted."
    )


# ---------------------------------------------------------------- workflow

TRANSITIONS = {
    # action: (who may, form of the posted fields, service call, message)
    "submit": (
        "edit",
        AcknowledgeForm,
        lambda user, s, data: services.scenario_submit(
            user=user, scenario=s, acknowledge=data["acknowledge"], reason=data["reason"]
        ),
        "{s} submitted for approval.",
    ),
    "approve": (
        "admin",
        DecisionForm,
        lambda user, s, data: services.scenario_approve(
            user=user, scenario=s, comment=data["comment"], acknowledge=data["acknowledge"], reason=data["reason"]
        ),
        "{s} approved; it is frozen from now on.",
    ),
    "reject": (
        "admin",
        DecisionForm,
        lambda user, s, data: services.scenario_reject(user=user, scenario=s, comment=data["comment"]),
        "{s} rejected.",
    ),
    "new-version": (
        "edit",
        EmptyForm,
        lambda user, s, data: services.scenario_new_version(user=user, scenario=s),
        "New draft {s} made; change it here.",
    ),
    "clone": (
        "edit",
        CloneForm,
        lambda user, s, data: services.scenario_clone(user=user, scenario=s, name=data["name"]),
        "Cloned into the new draft {s}.",
    ),
}


def _refusal(form) -> str:
    """The form's errors as one sentence naming the field ("Comment: ..." unless the message names it already)."""
    said = []
    for name, errors in form.errors.items():
        for error in errors:
            label = form[name].label if name in form.fields else ""
            said.append(f"{label}: {error}" if label and not error.startswith(label) else error)
    return " ".join(said)


@login_required
@require_POST
def scenario_transition(request, pk, action):
    need, form_class, call, done = TRANSITIONS[action]
    scenario = _scenario(request, pk, need)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _refusal(form))
        return redirect("scenario", pk=scenario.pk)
    try:
        result = call(request.user, scenario, form.cleaned_data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("scenario", pk=scenario.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("scenario", pk=scenario.pk)
    messages.success(request, done.format(s=result))
    return redirect("scenario", pk=result.pk)


# ---------------------------------------------------------------- timeline and past versions


def _past_version(request, scenario, entries, at):
    """The network as it stood just after entry `at` (network.replay), ready for the page."""
    ids = [e.pk for e in entries]
    try:
        position = ids.index(int(at))
    except ValueError:
        raise Http404("No such entry in this scenario's history.") from None
    study_entries = list(selectors.study_history(user=request.user, study=scenario.study))
    past = network.replay(entries, study_entries, ids[position])
    return {
        "past": past,
        "entry": entries[position],
        "position": position + 1,
        **_network(past.node_list(), past.route_list(), past.flows()),
    }


@login_required
def scenario_history(request, pk):
    scenario = _scenario(request, pk)
    entries = list(selectors.scenario_history(user=request.user, scenario=scenario))
    ctx = org_context(
        request,
        scenario.study.end_collector,
        scenario=scenario,
        study=scenario.study,
        entries=entries,
        legend=maps.legend(),
    )
    if request.GET.get("at"):
        ctx.update(_past_version(request, scenario, entries, request.GET["at"]))
    return render(request, "scenarios/history.html", ctx)
