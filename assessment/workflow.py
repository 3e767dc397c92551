"""The assessment's part in a scenario's review before it is submitted or approved (registered with
`scenarios.checks` when the app starts): a scenario with no assessment result, or whose last good result no longer
matches its inputs (stale), is a problem to acknowledge. The caller has checked the user's access already."""

from scenarios.checks import Facts

from . import inputs
from .models import AssessmentRun

NOT_ASSESSED = "It has no assessment result yet."
STALE = "Its assessment is stale: the scenario, its partners' data or a factor changed since the last result."


def last_good_run(scenario) -> AssessmentRun | None:
    return (
        AssessmentRun.objects.filter(scenario=scenario, status=AssessmentRun.Status.DONE)
        .order_by("-created_at", "-id")
        .first()
    )


def is_stale(scenario, run: AssessmentRun) -> bool:
    """The scenario's inputs now hash differently from the run's (or it can no longer be assessed)."""
    try:
        return inputs.digest(inputs.snapshot(scenario)) != run.inputs_hash
    except ValueError:
        return True


def facts(scenario) -> Facts:
    run = last_good_run(scenario)
    if run is None:
        return Facts(problems=(NOT_ASSESSED,))
    return Facts(problems=(STALE,) if is_stale(scenario, run) else (), last_good_run=run.pk)
