"""AHP in the portal: criteria sets, members' judgements, group weights (AIJ) and rankings of scenarios on their
indicators. Reads take the acting user (404 for who may not see the study); writes check the role first (editors
and admins of the study's end collector), validate through `assessment.ahp`, write atomically and log.

Scenario ranking: the criteria are indicator codes of the assessment results (`cost.total_eur`, `recycling_rate`,
`end_of_life.*`, `whole_life.*`); their weights are the AIJ aggregate of the members' judgements; each scenario's
local priority under a criterion comes from its last good result through `ahp.from_values` (the recycling rate:
higher is better; costs and impacts: lower is better) or from an expert matrix per criterion; then
`ahp.synthesize` and `ahp.sensitivity`.

Partner ranking for a role: the criteria are sheet criteria; the alternatives are the facilities of the invited
candidates offering the role and taking the material in; each one's local priority under a criterion comes from its
company's sheet value (`ahp.from_values` in the criterion's direction) or from the user's pairwise judgements of the
candidates. Rankings with many candidates go to a worker (`tasks.rank_partners`), which saves its progress.
"""

import logging

import numpy as np
from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from partners import access, audit, broker
from partners.errors import ApplicationError
from partners.models import ROLE_FIELDS, Criterion, CriterionValue, Facility, Role
from scenarios import selectors as scenario_selectors
from scenarios.services import require_role

from . import ahp, jobs, selectors
from . import services as assessment_services
from .inputs import COST_LABELS, LCA_LABELS
from .models import CriteriaSet, Judgement, PartnerRanking, Ranking

logger = logging.getLogger(__name__)

SCENARIO_CRITERIA = ["cost.total_eur", "recycling_rate"] + [
    f"{phase}.{key}" for phase in ("end_of_life", "whole_life") for key in LCA_LABELS
]
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


def criterion_unit(code: str) -> str:
    """The unit of an indicator criterion, as the assessment shows it (cost.total_eur -> "EUR/year";
    whole_life.climate_change_kg_co2e -> "kg CO2e/year"; recycling_rate -> "% recycled content")."""
    if code == "recycling_rate":
        return "% recycled content"
    if code.startswith("cost."):
        return "EUR/year"
    key = code.partition(".")[2]
    return f"{LCA_LABELS[key][1]}/year" if key in LCA_LABELS else ""


# ---------------------------------------------------------------- reads


def criteria_set_list(*, user, study):
    if not scenario_selectors.can_see_scenarios(user, study):
        raise Http404("No such study.")
    return CriteriaSet.objects.filter(study=study)


def criteria_set_get(*, user, study, pk) -> CriteriaSet:
    try:
        return criteria_set_list(user=user, study=study).get(pk=pk)
    except (CriteriaSet.DoesNotExist, ValueError, TypeError):
        raise Http404("No such criteria set.") from None


def _consistency_dict(result: ahp.Consistency) -> dict:
    revision = result.revision
    return {
        "lambda_max": result.lambda_max,
        "ci": result.ci,
        "cr": result.cr,
        "ri_table": result.ri_table,
        "acceptable": result.cr <= ahp.CR_LIMIT,
        "revise": None
        if revision is None
        else {
            "row": revision.i,
            "column": revision.j,
            "current": revision.current,
            "suggested": revision.suggested,
            "cr_after": revision.cr_after,
        },
    }


def weights(*, user, criteria_set: CriteriaSet) -> dict:
    """Each judge's priorities and consistency, and the group's (AIJ: geometric mean of the matrices)."""
    judgements = list(criteria_set.judgements.select_related("judge"))
    if not scenario_selectors.can_see_scenarios(user, criteria_set.study):
        raise Http404("No such study.")
    members = [
        {
            "judge": j.judge.get_username(),
            "updated_at": j.updated_at.isoformat(),
            "weights": ahp.priorities(j.matrix).tolist(),
            "consistency": _consistency_dict(ahp.consistency(j.matrix, ri=criteria_set.ri_table)),
        }
        for j in judgements
    ]
    group = None
    if judgements:
        matrix = ahp.aggregate([j.matrix for j in judgements], method="aij")
        group = {
            "weights": ahp.priorities(matrix).tolist(),
            "matrix": np.asarray(matrix).tolist(),
            "consistency": _consistency_dict(ahp.consistency(matrix, ri=criteria_set.ri_table)),
        }
    return {
        "criteria": criteria_set.criteria,
        "labels": [criterion_label(c) for c in criteria_set.criteria],
        "members": members,
        "group": group,
    }


def _sensitivity_rows(sens: ahp.Sensitivity, criteria: list[str], names: list[str]) -> list[dict]:
    return [
        {
            "criterion": criteria[c.criterion],
            "delta_up": c.delta_up,
            "delta_down": c.delta_down,
            "overtaken_up_by": None if c.new_top_up is None else names[c.new_top_up],
            "overtaken_down_by": None if c.new_top_down is None else names[c.new_top_down],
        }
        for c in sens.criteria
    ]


# ---------------------------------------------------------------- writes


def _check_criteria(kind: str, criteria) -> list[str]:
    if not isinstance(criteria, list) or not all(isinstance(c, str) for c in criteria):
        raise ApplicationError("Give the criteria as a list of codes.", {"criteria": "A list of codes."})
    if len(set(criteria)) != len(criteria):
        raise ApplicationError("A criterion appears twice.", {"criteria": "Each criterion once."})
    if not 2 <= len(criteria) <= 15:
        raise ApplicationError("Choose 2 to 15 criteria.", {"criteria": "AHP compares 2 to 15 criteria."})
    known = (
        SCENARIO_CRITERIA
        if kind == CriteriaSet.Kind.SCENARIO
        else list(Criterion.objects.values_list("code", flat=True))
    )
    unknown = [c for c in criteria if c not in known]
    if unknown:
        raise ApplicationError("Unknown criteria.", {"criteria": f"Not a {kind} criterion: {', '.join(unknown)}."})
    return criteria


@transaction.atomic
def criteria_set_create(*, user, study, name: str, kind: str, criteria, ri_table: str = ahp.DEFAULT_RI) -> CriteriaSet:
    require_role(access.can_edit, user, study.end_collector)
    if kind not in CriteriaSet.Kind.values:
        raise ApplicationError("Unknown kind.", {"kind": f"Choose one of {', '.join(CriteriaSet.Kind.values)}."})
    if ri_table not in ahp.RANDOM_INDEX:
        raise ApplicationError(
            "Unknown random-index table.", {"ri_table": f"Choose one of {', '.join(ahp.RANDOM_INDEX)}."}
        )
    if not (name or "").strip():
        raise ApplicationError("Name the criteria set.", {"name": "This field is required."})
    if CriteriaSet.objects.filter(study=study, name=name.strip()).exists():
        raise ApplicationError("Choose another name.", {"name": "This study already has a criteria set of that name."})
    criteria = _check_criteria(kind, criteria)
    criteria_set = CriteriaSet.objects.create(
        study=study, name=name.strip(), kind=kind, criteria=criteria, ri_table=ri_table, created_by=user
    )
    audit.log(
        actor=user,
        organization=study.end_collector,
        action="study.criteria.created",
        target=criteria_set,
        changes={
            "name": [None, criteria_set.name],
            "kind": [None, kind],
            "criteria": [None, criteria],
            "ri_table": [None, ri_table],
        },
        parent=study,
    )
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
        audit.log(
            actor=user,
            organization=study.end_collector,
            action="study.judgement.changed",
            target=judgement,
            changes={"matrix": [before, judgement.matrix]},
            parent=study,
        )
    return judgement


def _from_values(values, higher_is_better: bool, names: list[str]):
    """`ahp.from_values`, with its refusal of a 0 where lower is better said with the alternative's name."""
    if not higher_is_better:
        zero = [name for name, value in zip(names, values, strict=True) if value == 0]
        if zero:
            raise ValueError(
                f"{', '.join(zero)} {'has' if len(zero) == 1 else 'have'} 0 here, and lower is better: "
                "compared as ratios, 0 would be infinitely better than any other value and take all "
                "the weight. Judge this criterion pairwise instead."
            )
    return ahp.from_values(values, higher_is_better=higher_is_better)


@transaction.atomic
def scenario_ranking_create(
    *,
    user,
    study,
    criteria_set: CriteriaSet,
    scenario_ids,
    mode: str = "distributive",
    local_matrices: dict | None = None,
    accept_stale: bool = False,
) -> Ranking:
    """Rank scenarios: group weights of the set, local priorities from the last good results (or from the expert
    matrices given per criterion), synthesis and sensitivity; stored and logged. Stale results are refused unless
    `accept_stale` (logged); each scenario's shortfall and staleness are stored with the result (`markers`)."""
    require_role(access.can_edit, user, study.end_collector)
    if criteria_set.study_id != study.pk or criteria_set.kind != CriteriaSet.Kind.SCENARIO:
        raise ApplicationError("Choose a scenario criteria set of this study.", {"criteria_set": "Not usable here."})
    if mode not in ahp.SYNTHESIS_MODES:
        raise ApplicationError("Unknown mode.", {"mode": f"Choose one of {', '.join(ahp.SYNTHESIS_MODES)}."})
    group = weights(user=user, criteria_set=criteria_set)["group"]
    if group is None:
        raise ApplicationError("Nobody has weighed these criteria yet.", {"criteria_set": "Enter a judgement first."})
    if len(set(scenario_ids)) != len(scenario_ids):
        raise ApplicationError("Name each scenario once.", {"scenarios": "Name each scenario once."})
    try:
        columns = selectors.comparison_columns(
            user=user, study=study, scenario_ids=scenario_ids, accept_stale=accept_stale
        )
    except selectors.StaleResults as exc:
        raise ApplicationError(str(exc), {"accept_stale": str(exc)}) from exc
    except ValueError as exc:
        raise ApplicationError(str(exc), {"scenarios": str(exc)}) from exc
    checked = _check_local_matrices(
        local_matrices, criteria_set.criteria, len(columns), criteria_set.ri_table, what="scenarios"
    )
    local, origins, local_consistency = [], [], {}
    for code in criteria_set.criteria:
        matrix = checked.get(code)
        try:
            if matrix is not None:
                local.append(ahp.priorities(matrix))
                origins.append("judgements")
                local_consistency[code] = _consistency_dict(ahp.consistency(matrix, ri=criteria_set.ri_table))
            else:
                local.append(
                    _from_values([c.value(code) for c in columns], code in HIGHER_IS_BETTER, [c.name for c in columns])
                )
                origins.append("values")
        except ValueError as exc:
            raise ApplicationError(f"{criterion_label(code)}: {exc}", {"local_matrices": str(exc)}) from exc
    local_array = np.column_stack(local)
    w = np.asarray(group["weights"])
    final = ahp.synthesize(w, local_array, mode=mode)
    sens = ahp.sensitivity(w, local_array, mode=mode)
    result = {
        "mode": mode,
        "criteria": criteria_set.criteria,
        "labels": [criterion_label(c) for c in criteria_set.criteria],
        "directions": [
            "higher is better" if c in HIGHER_IS_BETTER else "lower is better" for c in criteria_set.criteria
        ],
        "origins": origins,
        "local_consistency": local_consistency,
        "local_matrices": checked,
        "weights": w.tolist(),
        "consistency": group["consistency"],
        "scenarios": [c.name for c in columns],
        "scenario_ids": list(scenario_ids),
        "markers": [c.marker() for c in columns],
        "local": local_array.tolist(),
        "final": np.asarray(final).tolist(),
        "winner": columns[int(np.argmax(final))].name,
        "sensitivity": _sensitivity_rows(sens, criteria_set.criteria, [c.name for c in columns]),
    }
    ranking = Ranking.objects.create(study=study, criteria_set=criteria_set, result=result, created_by=user)
    audit.log(
        actor=user,
        organization=study.end_collector,
        action="study.ranking.created",
        target=ranking,
        changes={"winner": [None, result["winner"]], "scenarios": [None, result["scenarios"]]},
        parent=study,
    )
    assessment_services.stale_results_used(user=user, study=study, columns=columns, where="ranking")
    return ranking


# ---------------------------------------------------------------- ranking partners for a role

RANKED_ROLES = (Role.COLLECTOR, Role.SORTER, Role.RECOVERER)  # the end collector is the study's own


def partner_candidates(*, user, study, role: str, material) -> list[Facility]:
    """The facilities of the study's invited candidates (sharing their sheet with the end collector) that offer
    the role and take the material in, by company then facility name: the order of any judgement matrix."""
    available = scenario_selectors.candidate_facility_list(user=user, study=study)  # 404 first for outsiders
    if role not in RANKED_ROLES:
        raise ApplicationError(
            "Choose a partner role.", {"role": f"Choose one of {', '.join(r.value for r in RANKED_ROLES)}."}
        )
    facilities = available.exclude(organization=study.end_collector).filter(
        **{ROLE_FIELDS[role]: True}, accepted_materials=material
    )
    return list(facilities)


def partner_ranking_list(*, user, study):
    if not scenario_selectors.can_see_scenarios(user, study):
        raise Http404("No such study.")
    return PartnerRanking.objects.filter(study=study).select_related("criteria_set", "material", "created_by")


def partner_ranking_get(*, user, study, pk) -> PartnerRanking:
    try:
        return partner_ranking_list(user=user, study=study).get(pk=pk)
    except (PartnerRanking.DoesNotExist, ValueError, TypeError):
        raise Http404("No such ranking.") from None


def _facility_label(facility: Facility) -> str:
    return f"{facility.name} ({facility.organization.name})"


def _check_local_matrices(local_matrices, criteria: list[str], n: int, ri_table: str, what: str = "candidates") -> dict:
    """The pairwise matrices of the alternatives given per criterion code, checked (positive, reciprocal, n x n,
    within the random-index table); a refusal names the criterion."""
    local_matrices = local_matrices or {}
    if not isinstance(local_matrices, dict):
        raise ApplicationError("Give the judgements per criterion code.", {"local_matrices": "An object."})
    checked = {}
    for code, matrix in local_matrices.items():
        if code not in criteria:
            raise ApplicationError("Unknown criterion.", {"local_matrices": f"{code} is not a criterion of the set."})
        try:
            a = ahp.check_matrix(matrix)
            if a.shape != (n, n):
                raise ValueError(f"there are {n} {what}: give a {n} x {n} matrix")
            ahp.consistency(a, ri=ri_table)  # a matrix larger than the random-index table is refused here
        except (ValueError, TypeError) as exc:
            message = f"{code}: {exc}"
            raise ApplicationError(message, {"local_matrices": message}) from exc
        checked[code] = a.tolist()
    return checked


@transaction.atomic
def partner_ranking_request(
    *,
    user,
    study,
    criteria_set: CriteriaSet,
    role: str,
    material,
    mode: str = "distributive",
    local_matrices: dict | None = None,
) -> PartnerRanking:
    """Rank the candidates for a role. Each criterion scores them from their sheet values (`ahp.from_values`, in
    the criterion's direction) unless `local_matrices` gives the user's pairwise judgements of the candidates for
    it. With fewer than AHP_TASK_MIN_CANDIDATES candidates the ranking is computed now (a bad input raises and
    nothing is stored); otherwise it is stored pending and a worker computes it once this transaction commits."""
    require_role(access.can_edit, user, study.end_collector)
    if criteria_set.study_id != study.pk or criteria_set.kind != CriteriaSet.Kind.PARTNER:
        raise ApplicationError("Choose a partner criteria set of this study.", {"criteria_set": "Not usable here."})
    if mode not in ahp.SYNTHESIS_MODES:
        raise ApplicationError("Unknown mode.", {"mode": f"Choose one of {', '.join(ahp.SYNTHESIS_MODES)}."})
    if not criteria_set.judgements.exists():
        raise ApplicationError("Nobody has weighed these criteria yet.", {"criteria_set": "Enter a judgement first."})
    candidates = partner_candidates(user=user, study=study, role=role, material=material)
    if len(candidates) < 2:
        message = (
            f"{len(candidates) or 'No'} invited candidate facility offers the "
            f"{Role(role).label.lower()} role and takes {material.name}: there is nothing to rank."
        )
        raise ApplicationError(message, {"role": message})
    if len(candidates) >= settings.AHP_TASK_MIN_CANDIDATES:
        broker.require_reachable()  # a worker computes it: refuse (503) before storing anything when the queue is down
    ranking = PartnerRanking.objects.create(
        study=study,
        criteria_set=criteria_set,
        role=role,
        material=material,
        mode=mode,
        candidate_ids=[f.pk for f in candidates],
        local_matrices=_check_local_matrices(
            local_matrices, criteria_set.criteria, len(candidates), criteria_set.ri_table
        ),
        progress_total=len(candidates) + len(criteria_set.criteria) + 1,
        created_by=user,
    )
    audit.log(
        actor=user,
        organization=study.end_collector,
        action="study.partner_ranking.requested",
        target=ranking,
        changes={
            "role": [None, role],
            "material": [None, material.code],
            "criteria_set": [None, criteria_set.name],
            "mode": [None, mode],
            "candidates": [None, len(candidates)],
        },
        parent=study,
    )
    if len(candidates) >= settings.AHP_TASK_MIN_CANDIDATES:
        jobs.send_on_commit(PartnerRanking, ranking.pk)
        return ranking
    try:
        result = _rank_partners(ranking)
    except ValueError as exc:
        raise ApplicationError(str(exc), {"criteria_set": str(exc)}) from exc
    _finish(ranking, result, "", started_at=timezone.now())
    return ranking


def _finish(ranking: PartnerRanking, result, error: str, started_at=None) -> None:
    ranking.result, ranking.error = result, error
    ranking.status = PartnerRanking.Status.FAILED if error else PartnerRanking.Status.DONE
    ranking.started_at = started_at or ranking.started_at
    ranking.finished_at = timezone.now()
    if not error:
        ranking.progress_done = ranking.progress_total
    ranking.save(update_fields=["result", "error", "status", "started_at", "finished_at", "progress_done"])
    if not error:
        audit.log(
            actor=ranking.created_by,
            organization=ranking.study.end_collector,
            action="study.partner_ranking.done",
            target=ranking,
            changes={"winner": [None, result["winner"]["label"]]},
            parent=ranking.study,
        )


def partner_ranking_execute(*, ranking_id: int) -> str:
    """The worker's side: compute a pending ranking, saving progress as it goes. Idempotent like an assessment run;
    a failure is stored with its message."""
    ranking, finished = jobs.claim(PartnerRanking, ranking_id)
    if ranking is None:
        return finished
    try:
        with jobs.heartbeat(PartnerRanking, ranking):
            result, error = _rank_partners(ranking, report=True), ""
    except (ValueError, ArithmeticError) as exc:
        logger.warning("partner ranking %s failed: %s", ranking_id, exc)
        result, error = None, str(exc)
    except Exception as exc:  # anything else is stored too, so the ranking never stays "running"
        logger.exception("partner ranking %s failed", ranking_id)
        result, error = None, f"Unexpected error ({type(exc).__name__}); the administrators have the details."
    with transaction.atomic():
        held, status = jobs.holds(PartnerRanking, ranking)
        if not held:  # another delivery finished it, or took it over, meanwhile
            return status
        current = PartnerRanking.objects.get(pk=ranking_id)
        _finish(current, result, error)
    return current.status


def _rank_partners(ranking: PartnerRanking, report: bool = False) -> dict:
    """Read the candidates' sheet values, derive local priorities per criterion, synthesise and test the
    sensitivity. Raises ValueError naming the candidate and criterion when a value the ranking needs is missing."""
    total, done = ranking.progress_total, 0
    step = max(1, total // 20)  # at most about 20 progress writes

    def advance():
        nonlocal done
        done += 1
        if report and (done % step == 0 or done == total):
            PartnerRanking.objects.filter(pk=ranking.pk).update(progress_done=done)

    criteria_set, codes = ranking.criteria_set, ranking.criteria_set.criteria
    by_id = Facility.objects.select_related("organization").in_bulk(ranking.candidate_ids)
    missing = [pk for pk in ranking.candidate_ids if pk not in by_id]
    if missing:
        raise ValueError("A candidate facility was deleted since the ranking was asked for; ask again.")
    facilities = [by_id[pk] for pk in ranking.candidate_ids]
    catalogue = {c.code: c for c in Criterion.objects.filter(code__in=codes)}
    sheet_values: dict[int, dict[str, float]] = {f.organization_id: {} for f in facilities}
    for org_id, code, value in CriterionValue.objects.filter(  # one query for every candidate's sheet
        sheet__organization_id__in=sheet_values, criterion__code__in=codes
    ).values_list("sheet__organization_id", "criterion__code", "value"):
        sheet_values[org_id][code] = float(value)
    for _ in facilities:
        advance()
    values = [[sheet_values[f.organization_id].get(code) for code in codes] for f in facilities]
    local, origins, local_consistency = [], [], {}
    for k, code in enumerate(codes):
        matrix = ranking.local_matrices.get(code)
        if matrix is not None:
            local.append(ahp.priorities(matrix))
            origins.append("judgements")
            local_consistency[code] = _consistency_dict(ahp.consistency(matrix, ri=criteria_set.ri_table))
        else:
            column = [row[k] for row in values]
            lacking = [_facility_label(f) for f, v in zip(facilities, column, strict=True) if v is None]
            if lacking:
                raise ValueError(
                    f"{catalogue[code].name}: no value on the sheet of {', '.join(lacking)}; ask them "
                    "to fill it in, or judge this criterion pairwise."
                )
            try:
                local.append(
                    _from_values(column, catalogue[code].higher_is_better, [_facility_label(f) for f in facilities])
                )
            except ValueError as exc:
                raise ValueError(f"{catalogue[code].name}: {exc}") from exc
            origins.append("values")
        advance()
    group = ahp.aggregate([j.matrix for j in criteria_set.judgements.all()], method="aij")
    w = ahp.priorities(group)
    local_array = np.column_stack(local)
    final = ahp.synthesize(w, local_array, mode=ranking.mode)
    sens = ahp.sensitivity(w, local_array, mode=ranking.mode)
    advance()
    labels = [_facility_label(f) for f in facilities]
    order = sorted(range(len(facilities)), key=lambda i: (-final[i], i))
    rank = {i: r for i, (r, _tied) in enumerate(ahp.competition_ranks(final))}  # equal scores share a rank
    candidates = [
        {
            "facility_id": f.pk,
            "facility": f.name,
            "organization": f.organization.name,
            "label": labels[i],
            "values": values[i],
            "local": local_array[i].tolist(),
            "score": float(final[i]),
            "rank": rank[i],
        }
        for i, f in enumerate(facilities)
    ]
    return {
        "role": ranking.role,
        "material": ranking.material.code,
        "mode": ranking.mode,
        "criteria": codes,
        "labels": [catalogue[c].name for c in codes],
        "units": [catalogue[c].unit for c in codes],
        "directions": ["higher is better" if catalogue[c].higher_is_better else "lower is better" for c in codes],
        "origins": origins,
        "local_consistency": local_consistency,
        "weights": w.tolist(),
        "consistency": _consistency_dict(ahp.consistency(group, ri=criteria_set.ri_table)),
        "candidates": candidates,
        "order": [candidates[i]["facility_id"] for i in order],
        "winner": candidates[order[0]],
        "sensitivity": _sensitivity_rows(sens, codes, labels),
    }
