"""AHP in the portal: criteria sets, members' judgements, group weights (AIJ) and rankings of scenarios on their
indicators. Reads take the acting user (404 for who may not see the study); writes check the role first (editors
and admins of the study's end collector), validate through `assessment.ahp`, write atomically and log.

Scenario ranking: the criteria are indicator codes of the assessment results (`cost.total_eur`, `recycling_rate`,
`end_of_life.*`, `whole_life.*`); their weights are the AIJ aggregate of the members' judgements; each scenario's
local priority under a criterion comes from its last good result through `ahp.from_values` (the recycling rate:
higher is better; costs and impacts: lower is better) or from an expert matrix per criterion; then
`ahp.synthesize` and `ahp.sensitivity`.
"""

import numpy as np
from django.db import transaction
from django.http import Http404

from partners import access, audit
from partners.errors import ApplicationError
from partners.models import Criterion
from scenarios import selectors as scenario_selectors
from scenarios.services import require_role

from . import ahp, selectors
from .inputs import COST_LABELS, LCA_LABELS
from .models import CriteriaSet, Judgement, Ranking

SCENARIO_CRITERIA = (["cost.total_eur", "recycling_rate"]
                     + [f"{phase}.{key}" for phase in ("end_of_life", "whole_life") for key in LCA_LABELS])
HIGHER_IS_BETTER = {"recycling_rate"}


def criterion_label(code: str) -> str:
    if code == "recycling_rate":
        return "Recycling rate"
    if code.startswith("cost."):
        return COST_LABELS[code.removeprefix("cost.")]
    phase, _, key = code.partition(".")
    if key in LCA_LABELS:
        return f"{LCA_LABELS[key][0]} ({'end of life' if phase == 'end_of_life' else 'whole life cycle'})"
    return code


# ---------------------------------------------------------------- reads


def criteria_set_list(*, user, study):
    if not scenario_selectors.can_see_scenarios(user, study):
        raise Http404("No such study.")
    return CriteriaSet.objects.filter(study=study)


def criteria_set_get(*, user, study, pk) -> CriteriaSet:
    try:
        return criteria_set_list(user=user, study=study).get(pk=pk)
    except (CriteriaSet.DoesNotExist, ValueError, TypeError):
        raise Http404("No such criteria set.")


def _consistency_dict(result: ahp.Consistency) -> dict:
    revision = result.revision
    return {"lambda_max": result.lambda_max, "ci": result.ci, "cr": result.cr, "ri_table": result.ri_table,
            "acceptable": result.cr <= ahp.CR_LIMIT,
            "revise": None if revision is None else {"row": revision.i, "column": revision.j,
                                                     "current": revision.current, "suggested": revision.suggested,
                                                     "cr_after": revision.cr_after}}


def weights(*, user, criteria_set: CriteriaSet) -> dict:
    """Each judge's priorities and consistency, and the group's (AIJ: geometric mean of the matrices)."""
    judgements = list(criteria_set.judgements.select_related("judge"))
    if not scenario_selectors.can_see_scenarios(user, criteria_set.study):
        raise Http404("No such study.")
    members = [{"judge": j.judge.get_username(), "updated_at": j.updated_at.isoformat(),
                "weights": ahp.priorities(j.matrix).tolist(),
                "consistency": _consistency_dict(ahp.consistency(j.matrix, ri=criteria_set.ri_table))}
               for j in judgements]
    group = None
    if judgements:
        matrix = ahp.aggregate([j.matrix for j in judgements], method="aij")
        group = {"weights": ahp.priorities(matrix).tolist(), "matrix": np.asarray(matrix).tolist(),
                 "consistency": _consistency_dict(ahp.consistency(matrix, ri=criteria_set.ri_table))}
    return {"criteria": criteria_set.criteria, "labels": [criterion_label(c) for c in criteria_set.criteria],
            "members": members, "group": group}


# ---------------------------------------------------------------- writes


def _check_criteria(kind: str, criteria) -> list[str]:
    if not isinstance(criteria, list) or not all(isinstance(c, str) for c in criteria):
        raise ApplicationError("Give the criteria as a list of codes.", {"criteria": "A list of codes."})
    if len(set(criteria)) != len(criteria):
        raise ApplicationError("A criterion appears twice.", {"criteria": "Each criterion once."})
    if not 2 <= len(criteria) <= 15:
        raise ApplicationError("Choose 2 to 15 criteria.", {"criteria": "AHP compares 2 to 15 criteria."})
    known = (SCENARIO_CRITERIA if kind == CriteriaSet.Kind.SCENARIO
             else list(Criterion.objects.values_list("code", flat=True)))
    unknown = [c for c in criteria if c not in known]
    if unknown:
        raise ApplicationError("Unknown criteria.", {"criteria": f"Not a {kind} criterion: {', '.join(unknown)}."})
    return criteria


@transaction.atomic
def criteria_set_create(*, user, study, name: str, kind: str, criteria,
                        ri_table: str = ahp.DEFAULT_RI) -> CriteriaSet:
    require_role(access.can_edit, user, study.end_collector)
    if kind not in CriteriaSet.Kind.values:
        raise ApplicationError("Unknown kind.", {"kind": f"Choose one of {', '.join(CriteriaSet.Kind.values)}."})
    if ri_table not in ahp.RANDOM_INDEX:
        raise ApplicationError("Unknown random-index table.",
                               {"ri_table": f"Choose one of {', '.join(ahp.RANDOM_INDEX)}."})
    if not (name or "").strip():
        raise ApplicationError("Name the criteria set.", {"name": "This field is required."})
    if CriteriaSet.objects.filter(study=study, name=name.strip()).exists():
        raise ApplicationError("Choose another name.",
                               {"name": "This study already has a criteria set of that name."})
    criteria = _check_criteria(kind, criteria)
    criteria_set = CriteriaSet.objects.create(study=study, name=name.strip(), kind=kind, criteria=criteria,
                                              ri_table=ri_table, created_by=user)
    audit.log(actor=user, organization=study.end_collector, action="study.criteria.created", target=criteria_set,
              changes={"name": [None, criteria_set.name], "kind": [None, kind], "criteria": [None, criteria],
                       "ri_table": [None, ri_table]}, parent=study)
    return criteria_set


@transaction.atomic
def judgement_set(*, user, criteria_set: CriteriaSet, matrix) -> Judgement:
    """Store the acting member's own pairwise matrix for the set (replacing their previous one)."""
    study = criteria_set.study
    require_role(access.can_edit, user, study.end_collector)
    n = len(criteria_set.criteria)
    try:
        checked = ahp.check_matrix(matrix)
    except (ValueError, TypeError) as exc:
        raise ApplicationError(str(exc), {"matrix": str(exc)}) from exc
    if checked.shape != (n, n):
        raise ApplicationError("Wrong size.", {"matrix": f"The set has {n} criteria: give a {n} x {n} matrix."})
    judgement = Judgement.objects.filter(criteria_set=criteria_set, judge=user).first()
    before = judgement.matrix if judgement else None
    judgement = judgement or Judgement(criteria_set=criteria_set, judge=user)
    judgement.matrix = checked.tolist()
    judgement.save()
    if before != judgement.matrix:
        audit.log(actor=user, organization=study.end_collector, action="study.judgement.changed", target=judgement,
                  changes={"matrix": [before, judgement.matrix]}, parent=study)
    return judgement


@transaction.atomic
def scenario_ranking_create(*, user, study, criteria_set: CriteriaSet, scenario_ids, mode: str = "distributive",
                            local_matrices: dict | None = None) -> Ranking:
    """Rank scenarios: group weights of the set, local priorities from the last good results (or from the expert
    matrices given per criterion), synthesis and sensitivity; stored and logged."""
    require_role(access.can_edit, user, study.end_collector)
    if criteria_set.study_id != study.pk or criteria_set.kind != CriteriaSet.Kind.SCENARIO:
        raise ApplicationError("Choose a scenario criteria set of this study.", {"criteria_set": "Not usable here."})
    if mode not in ahp.SYNTHESIS_MODES:
        raise ApplicationError("Unknown mode.", {"mode": f"Choose one of {', '.join(ahp.SYNTHESIS_MODES)}."})
    group = weights(user=user, criteria_set=criteria_set)["group"]
    if group is None:
        raise ApplicationError("Nobody has weighed these criteria yet.", {"criteria_set": "Enter a judgement first."})
    try:
        columns = selectors.comparison_columns(user=user, study=study, scenario_ids=scenario_ids)
    except ValueError as exc:
        raise ApplicationError(str(exc), {"scenarios": str(exc)}) from exc
    local, origins = [], []
    for code in criteria_set.criteria:
        matrix = (local_matrices or {}).get(code)
        try:
            if matrix is not None:
                ahp.check_matrix(matrix)
                if len(matrix) != len(columns):
                    raise ValueError(f"give a {len(columns)} x {len(columns)} matrix for {code}")
                local.append(ahp.priorities(matrix))
                origins.append("judgements")
            else:
                local.append(ahp.from_values([c.value(code) for c in columns],
                                             higher_is_better=code in HIGHER_IS_BETTER))
                origins.append("values")
        except ValueError as exc:
            raise ApplicationError(f"{criterion_label(code)}: {exc}", {"local_matrices": str(exc)}) from exc
    local_array = np.column_stack(local)
    w = np.asarray(group["weights"])
    final = ahp.synthesize(w, local_array, mode=mode)
    sens = ahp.sensitivity(w, local_array, mode=mode)
    result = {
        "mode": mode, "criteria": criteria_set.criteria,
        "labels": [criterion_label(c) for c in criteria_set.criteria],
        "directions": ["higher is better" if c in HIGHER_IS_BETTER else "lower is better"
                       for c in criteria_set.criteria],
        "origins": origins, "weights": w.tolist(), "consistency": group["consistency"],
        "scenarios": [c.name for c in columns], "scenario_ids": list(scenario_ids),
        "local": local_array.tolist(), "final": np.asarray(final).tolist(),
        "winner": columns[int(np.argmax(final))].name,
        "sensitivity": [{"criterion": criteria_set.criteria[s.criterion],
                         "delta_up": s.delta_up, "delta_down": s.delta_down,
                         "overtaken_up_by": None if s.new_top_up is None else columns[s.new_top_up].name,
                         "overtaken_down_by": None if s.new_top_down is None else columns[s.new_top_down].name}
                        for s in sens.criteria],
    }
    ranking = Ranking.objects.create(study=study, criteria_set=criteria_set, result=result, created_by=user)
    audit.log(actor=user, organization=study.end_collector, action="study.ranking.created", target=ranking,
              changes={"winner": [None, result["winner"]], "scenarios": [None, result["scenarios"]]}, parent=study)
    return ranking
