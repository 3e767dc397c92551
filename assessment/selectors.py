"""Reads of factor libraries, overrides and assessment runs, scoped to the acting user (404 for what they may not
see). Runs and overrides belong to a study's end collector: its members read them, as they read its scenarios."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from scenarios import selectors as scenario_selectors

from . import inputs
from .models import AssessmentRun, Factor, FactorLibrary, FactorOverride


def library_list(*, user) -> QuerySet[FactorLibrary]:
    """Factor libraries are reference data: every signed-in user reads them."""
    if not getattr(user, "is_authenticated", False):
        return FactorLibrary.objects.none()
    return FactorLibrary.objects.all()


def factor_list(*, user, library: FactorLibrary) -> QuerySet[Factor]:
    return Factor.objects.filter(library=library)


def override_list(*, user, study) -> QuerySet[FactorOverride]:
    if not scenario_selectors.can_see_scenarios(user, study):
        raise Http404("No such study.")
    return FactorOverride.objects.filter(study=study)


def run_list(*, user, scenario) -> QuerySet[AssessmentRun]:
    if not scenario_selectors.can_see_scenarios(user, scenario.study):
        raise Http404("No such scenario.")
    return AssessmentRun.objects.filter(scenario=scenario).select_related("requested_by")


def run_get(*, user, scenario, pk) -> AssessmentRun:
    try:
        return run_list(user=user, scenario=scenario).get(pk=pk)
    except (AssessmentRun.DoesNotExist, ValueError, TypeError):
        raise Http404("No such assessment.") from None


@dataclass
class Status:
    latest: AssessmentRun | None  # the newest run, whatever its state
    good: AssessmentRun | None  # the newest run that finished
    current_hash: str | None  # what a run now would compute from; None when the scenario cannot be assessed
    problem: str = ""

    @property
    def stale(self) -> bool:
        """The scenario, its partners' data or a factor changed since the last good result."""
        return self.good is not None and self.current_hash != self.good.inputs_hash


def assessment_status(*, user, scenario) -> Status:
    runs = run_list(user=user, scenario=scenario)
    latest = runs.first()
    good = runs.filter(status=AssessmentRun.Status.DONE).first()
    try:
        current, problem = inputs.digest(inputs.snapshot(scenario)), ""
    except ValueError as exc:
        current, problem = None, str(exc)
    return Status(latest=latest, good=good, current_hash=current, problem=problem)


class StaleResults(ValueError):
    """Some chosen scenarios changed since their last good result; `names` says which."""

    def __init__(self, names: list[str]):
        self.names = names
        super().__init__(
            f"{', '.join(names)} changed since {'its' if len(names) == 1 else 'their'} last assessment "
            "(stale result): assess again, or tick “Use stale results” to go on with "
            f"{'it' if len(names) == 1 else 'them'} (kept in the history)."
        )


def comparison_columns(*, user, study, scenario_ids, accept_stale: bool = False) -> list:
    """The chosen scenarios of the study, in the order given, each with the result of its last good run, the need
    it answers, what it delivers and whether the result is stale. Raises ValueError naming a scenario that is not
    of the study or has no result yet, and StaleResults naming the stale ones unless `accept_stale`."""
    from scenarios import network

    from .compare import Column
    from .workflow import is_stale

    scenarios = {s.pk: s for s in scenario_selectors.scenario_list(user=user, study=study)}
    columns = []
    for pk in scenario_ids:
        scenario = scenarios.get(pk)
        if scenario is None:
            raise ValueError(f"Scenario {pk} is not a scenario of this study.")
        good = (
            AssessmentRun.objects.filter(scenario=scenario, status=AssessmentRun.Status.DONE)
            .order_by("-created_at", "-id")
            .first()
        )
        if good is None:
            raise ValueError(f"{scenario} has no assessment yet; assess it first.")
        flows = network.flows(scenario)
        columns.append(
            Column(
                name=str(scenario),
                result=good.result,
                need_t=flows.need_t,
                delivered_t=flows.delivered_t,
                stale=is_stale(scenario, good),
            )
        )
    if len(columns) < 2:
        raise ValueError("Choose at least two scenarios.")
    stale = [c.name for c in columns if c.stale]
    if stale and not accept_stale:
        raise StaleResults(stale)
    return columns


# How each tenant model reaches the end collector whose members read it, for scoped listings such as the admin's.
END_COLLECTOR_PATH = {FactorOverride: "study__end_collector", AssessmentRun: "scenario__study__end_collector"}


def member_scoped_list(*, user, model) -> QuerySet:
    orgs = list(user.memberships.values_list("organization_id", flat=True)) if user.is_authenticated else []
    return model.objects.filter(**{f"{END_COLLECTOR_PATH[model]}__in": orgs})
