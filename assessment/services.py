"""Writes of the assessment: asking for a run (sent to Celery on commit), executing it (the task), and a study's
factor overrides. Editors and admins of the study's end collector ask for runs and set overrides; its other members
read. Every request and override change is logged in the end collector's history."""

import logging

from django.db import transaction
from django.utils import timezone

from partners import access, audit, broker
from partners.errors import ApplicationError
from scenarios.services import require_role

from . import inputs, jobs
from .factors import expected_unit
from .models import FACTOR_VALUE_MAX, AssessmentRun, FactorOverride

logger = logging.getLogger(__name__)


@transaction.atomic
def assessment_request(*, user, scenario) -> AssessmentRun:
    """Snapshot the scenario's inputs, store a pending run and send it to a worker once the transaction commits.
    With the task queue down, refuses (503) before storing anything; see assessment/jobs.py."""
    end_collector = scenario.study.end_collector
    require_role(access.can_edit, user, end_collector)
    try:
        snapshot = inputs.snapshot(scenario)
    except ValueError as exc:
        raise ApplicationError(str(exc), {"scenario": str(exc)}) from exc
    broker.require_reachable()
    run = AssessmentRun.objects.create(
        scenario=scenario,
        inputs=snapshot,
        inputs_hash=inputs.digest(snapshot),
        basis_version=snapshot["basis"],
        requested_by=user,
    )
    audit.log(
        actor=user,
        organization=end_collector,
        action="scenario.assessment.requested",
        target=run,
        changes={"inputs_hash": [None, run.inputs_hash]},
        parent=scenario,
    )
    jobs.send_on_commit(AssessmentRun, run.pk)
    return run


def assessment_execute(*, run_id: int) -> str:
    """Compute a pending run from its stored snapshot. Idempotent: a run already done or failed is left as it is.
    A failure is stored with its message; earlier good runs are untouched."""
    run, finished = jobs.claim(AssessmentRun, run_id)
    if run is None:
        return finished
    try:
        with jobs.heartbeat(AssessmentRun, run):
            result, error = inputs.compute(run.inputs), ""
    except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
        logger.warning("assessment %s failed: %s", run_id, exc)
        result, error = None, f"{type(exc).__name__}: {exc}"
    with transaction.atomic():
        held, status = jobs.holds(AssessmentRun, run)
        if not held:  # another delivery finished it, or took it over, meanwhile
            return status
        run.result, run.error = result, error
        run.status = AssessmentRun.Status.FAILED if error else AssessmentRun.Status.DONE
        run.finished_at = timezone.now()
        run.save(update_fields=["result", "error", "status", "finished_at"])
    return run.status


def _check_factor(code: str, value, unit: str) -> None:
    expected = expected_unit(code)
    if expected is None:
        raise ApplicationError("Unknown factor.", {"code": f"{code} is not a factor the assessment uses."})
    if unit != expected:
        raise ApplicationError("Wrong unit.", {"unit": f"{code} is given in {expected}, not {unit or 'no unit'}."})
    try:
        if isinstance(value, bool):
            raise TypeError
        number = float(value)
    except (TypeError, ValueError):
        raise ApplicationError("Not a number.", {"value": "Type a number."}) from None
    if not number >= 0 or number == float("inf"):
        raise ApplicationError("Factors are finite and not negative.", {"value": "Type a number of 0 or more."})
    if number > FACTOR_VALUE_MAX:
        raise ApplicationError(
            "Factor too large.", {"value": f"Type a number of at most {FACTOR_VALUE_MAX:,.0f} {expected}."}
        )
    if code == "backhaul.share" and number > 1:
        raise ApplicationError("A share is at most 1.", {"value": "Type a share from 0 to 1."})


@transaction.atomic
def factor_override_set(*, user, study, code: str, value, unit: str, source: str) -> FactorOverride:
    """Replace the library's figure for one code in this study's runs; the source is required."""
    require_role(access.can_edit, user, study.end_collector)
    _check_factor(code, value, unit)
    if not (source or "").strip():
        raise ApplicationError("Say where the figure comes from.", {"source": "A factor needs its source."})
    override = FactorOverride.objects.filter(study=study, code=code).first()
    before = audit.snapshot(override, ["value", "unit", "source"]) if override else {}
    override = override or FactorOverride(study=study, code=code)
    override.value, override.unit, override.source = float(value), unit, source.strip()
    override.save()
    changes = audit.diff(before, audit.snapshot(override, ["value", "unit", "source"]))
    if changes:
        audit.log(
            actor=user,
            organization=study.end_collector,
            action="study.factor.changed",
            target=override,
            changes={"code": [code, code], **changes},
            parent=study,
        )
    return override


@transaction.atomic
def factor_override_delete(*, user, override: FactorOverride) -> None:
    study = override.study
    require_role(access.can_edit, user, study.end_collector)
    audit.log(
        actor=user,
        organization=study.end_collector,
        action="study.factor.deleted",
        target=override,
        changes={"code": [override.code, None], "value": [override.value, None]},
        parent=study,
    )
    override.delete()


STALE_USED = "study.stale_results_used"


def stale_results_used(*, user, study, columns, where: str) -> None:
    """Log that `user` went on with stale results (a comparison or a ranking), naming the scenarios. A read of the
    study's members (auditors included): it records what the decision rested on and changes nothing else."""
    names = [c.name for c in columns if c.stale]
    if names:
        audit.log(
            actor=user,
            organization=study.end_collector,
            action=STALE_USED,
            target=study,
            parent=study,
            changes=audit.created({"scenarios": names, "where": where}),
        )
