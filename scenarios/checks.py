"""What a controller checks before a scenario is submitted or approved, gathered in one list of sentences.

The figures come from `scenarios.quantities` (`NetworkFlows.figure_problems`: a node asked for more than its capacity,
a mass balance broken, the end collector short of its need). Checks that belong to a higher app (the assessment: no
result yet, or a stale one) are registered by that app when it starts (`register`), so the imports keep pointing
one way (assessment -> scenarios). A registered check takes the scenario and answers `Facts`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from . import network


@dataclass(frozen=True)
class Facts:
    problems: tuple[str, ...] = ()
    last_good_run: int | None = None  # the id of the scenario's last good assessment run, when the check knows it


@dataclass(frozen=True)
class Review:
    """The scenario's problems before a transition, and what an approval stores."""

    problems: tuple[str, ...]
    need_t: float
    delivered_t: float
    shortfall_t: float
    last_good_run: int | None = None
    figure_problems: tuple[str, ...] = field(default=())


_CHECKS: list[Callable] = []


def register(check: Callable) -> None:
    if check not in _CHECKS:
        _CHECKS.append(check)


def review(scenario, flows=None) -> Review:
    """Every problem a controller would raise about the scenario now, figures first."""
    flows = network.flows(scenario) if flows is None else flows
    problems = [*flows.problems, *flows.figure_problems]
    last_good_run = None
    for check in _CHECKS:
        facts = check(scenario)
        problems += facts.problems
        last_good_run = facts.last_good_run if facts.last_good_run is not None else last_good_run
    return Review(
        problems=tuple(problems),
        need_t=flows.need_t,
        delivered_t=flows.delivered_t,
        shortfall_t=flows.shortfall_t,
        last_good_run=last_good_run,
        figure_problems=tuple(flows.figure_problems),
    )
