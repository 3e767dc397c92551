"""How the assessment's log entries read: factor overrides, AHP judgements and rankings, the step-by-step builder,
optimisations. Registered with partners.history (imported by AssessmentConfig.ready)."""

from partners.history import EMPTY, Field, logged_names, number, register, register_fields, register_resolver, with_unit
from partners.models import Criterion, Role

from . import ahp
from .factors import expected_unit
from .forms import describe as describe_factor
from .inputs import COST_LABELS, LCA_LABELS
from .models import CriteriaSet, OptimisationRun

ROLES = dict(Role.choices)


def factor_name(code) -> str:
    """`transport.co2e.road` -> "Transport: road · Climate change"."""
    if code is None:
        return EMPTY
    group, name = describe_factor(str(code))
    return name if group == "Other" else f"{group} · {name}"


def factor_unit(changes: dict) -> str:
    code = changes.get("code") or [None, None]
    return expected_unit(str(code[0] or code[1] or "")) or ""


def _criteria_names(keys: set, organizations: set) -> dict:
    """Criterion codes of a criteria set: sheet criteria from the catalogue (one query), indicators by their label."""
    names = dict(Criterion.objects.filter(code__in=keys).values_list("code", "name"))
    for code in keys - set(names):
        if code == "recycling_rate":
            names[code] = "Recycling rate"
        elif code.startswith("cost.") and code.removeprefix("cost.") in COST_LABELS:
            names[code] = COST_LABELS[code.removeprefix("cost.")]
        else:
            phase, _, key = code.partition(".")
            if key in LCA_LABELS:
                names[code] = f"{LCA_LABELS[key][0]} ({'end of life' if phase == 'end_of_life' else 'whole life'})"
    return names


def carbon_price(value) -> str:
    """Stored in EUR per kg CO2e; read in EUR per tonne, as people quote it."""
    if value is None:
        return EMPTY
    return with_unit(number(float(value) * 1000, 2), "EUR/t CO2e")


def constraints(value) -> str:
    """The optimisation's side constraints in words; candidates are counted, not listed by their keys."""
    if value is None:
        return EMPTY
    if not isinstance(value, dict) or not value:
        return "none"
    parts = []
    for key, label in (("keep_open", "kept open"), ("keep_closed", "kept closed")):
        if value.get(key):
            parts.append(f"{len(value[key])} candidate{'s' if len(value[key]) != 1 else ''} {label}")
    for key, label in (("min_partners", "at least"), ("max_partners", "at most")):
        for role, count in (value.get(key) or {}).items():
            parts.append(f"{label} {count} {ROLES.get(role, role).lower()}{'s' if count != 1 else ''}")
    for role, share in (value.get("max_share") or {}).items():
        parts.append(
            f"at most {number(float(share) * 100, 1)}{chr(160)}% of the {ROLES.get(role, role).lower()}s' "
            f"intake through one partner"
        )
    if value.get("max_distance_km") is not None:
        parts.append(f"routes of at most {number(value['max_distance_km'], 2)}{chr(160)}km")
    if value.get("recycled_share") is not None:
        parts.append(f"at least {number(float(value['recycled_share']) * 100, 1)}{chr(160)}% recycled content")
    return "; ".join(parts)


def front_point(value) -> str:
    return "the proposal" if value is None else f"point {int(value) + 1} of the cost-CO2e front"


SOLVER_STATUS = {
    "optimal": "optimal network found",
    "feasible": "limit reached; best network found",
    "infeasible": "no network meets every requirement",
    "unbounded": "unbounded",
    "no_solution": "no network found in time",
    "error": "the solver stopped with an error",
}

register_resolver("criterion", _criteria_names)
register_resolver("partnerranking", logged_names("partnerranking"))

register_fields("assessmentrun", {"inputs_hash": Field("Inputs fingerprint", "hidden")})
register_fields(
    "factoroverride",
    {
        "code": Field("Factor", format=factor_name),
        "value": Field("Value", "number", unit=factor_unit, places=None),
        "unit": Field("Unit"),
        "source": Field("Source"),
    },
)
register_fields(
    "criteriaset",
    {
        "name": Field("Name"),
        "kind": Field("Kind", "choice", choices=dict(CriteriaSet.Kind.choices)),
        "criteria": Field("Criteria", "reflist", ref="criterion"),
        "ri_table": Field("Random index", "choice", choices=ahp.RANDOM_INDEX_SOURCE),
    },
)
register_fields("judgement", {"matrix": Field("Pairwise judgements (row by row)", "matrix")})
register_fields("ranking", {"winner": Field("First"), "scenarios": Field("Scenarios", "list")})
register_fields(
    "partnerranking",
    {
        "role": Field("Role", "choice", choices=ROLES),
        "material": Field("Material taken in", "ref", ref="material"),
        "criteria_set": Field("Criteria set"),
        "mode": Field("Synthesis", "choice", choices={"distributive": "Distributive", "ideal": "Ideal"}),
        "candidates": Field("Candidates", "number", places=0),
        "winner": Field("First"),
    },
)
register_fields(
    "optimisationrun",
    {
        "objective": Field("Objective", "choice", choices=dict(OptimisationRun.Objective.choices)),
        "carbon_price_eur_per_kg": Field("Carbon price", format=carbon_price),
        "constraints": Field("Side constraints", format=constraints),
        "pareto_points": Field("Points of the cost-CO2e front", "number", places=0),
        "candidates": Field("Candidate facilities", "number", places=0),
        "arcs": Field("Possible routes", "number", places=0),
        "status": Field("Result", "choice", choices=SOLVER_STATUS),
        "scenario": Field("Scenario"),
        "point": Field("Drafted from", format=front_point),
    },
)

register("scenario.assessment.requested", "Asked for an assessment of {parent}")
register(
    "study.factor.changed",
    "Set the study's own value of the factor {value[code]}",
    fields={"code": Field("Factor", "hidden", format=factor_name)},
)
register("study.factor.deleted", "Removed the study's own value of the factor {old[code]}; the library's applies again")
register("study.stale_results_used", "Went on with stale assessment results of {new[scenarios]} in a {new[where]}")
register_fields("study", {"scenarios": Field("Scenarios", "list"), "where": Field("In")})
register("study.criteria.created", "Created the criteria set {target} for {parent}")
register("study.judgement.changed", "Changed the pairwise judgements of {target}")
register("study.ranking.created", "Ranked scenarios of {parent}: {new[winner]} comes first")
register(
    "study.partner_ranking.requested",
    "Asked to rank {new[candidates]} candidate {new[role]}s taking in "
    "{new[material]} with the criteria set {new[criteria_set]}",
)
register("study.partner_ranking.done", "Ranked candidate partners: {new[winner]} comes first")
register("study.optimisation.requested", "Asked for an optimisation of {parent}: {new[objective]}")
register("study.optimisation.done", "An optimisation of {parent} finished: {new[status]}")
register(
    "study.optimisation.scenario_created", "Drafted the scenario {new[scenario]} from {new[point]} of an optimisation"
)
register(
    "scenario.builder.step",
    "Chose {new[facility]} as {new[role]} in the step-by-step builder",
    fields={
        "direction": Field(
            "Direction",
            "choice",
            choices={"backwards": "Backwards from the end collector", "forwards": "Forwards from the collectors"},
        ),
        "role": Field("Role", "choice", choices=ROLES),
        "facility": Field("Facility"),
        "ranking": Field("Ranking", "ref", ref="partnerranking"),
        "rank": Field("Rank", "number", places=0),
        "top_ranked": Field("Top-ranked"),
        "reason": Field("Reason"),
        "routes": Field("Routes added", "list"),
    },
)
