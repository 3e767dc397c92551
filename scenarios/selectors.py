"""Reads of studies and scenarios, scoped to the acting user. What the user may not see raises Http404.

Who reads what:
- members of the end collector (any role) read its studies, scenarios, nodes, routes and their history;
- members of a partner invited into a study read that study (product, need, materials), not its scenarios,
  which show other partners' facilities.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from partners import access
from partners.models import Facility, LogEntry, Organization

from .models import Node, Route, Scenario, Study


def _member_org_ids(user) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(user.memberships.values_list("organization_id", flat=True))


def study_list(*, user, organization: Organization) -> QuerySet[Study]:
    """The studies an organisation runs (as end collector), for its members."""
    if not access.is_member(user, organization):
        raise Http404("No such organisation.")
    return Study.objects.filter(end_collector=organization).select_related("end_collector", "product_material")


def study_invited_list(*, user, organization: Organization) -> QuerySet[Study]:
    """The studies an organisation has been invited into as a candidate partner, for its members."""
    if not access.is_member(user, organization):
        raise Http404("No such organisation.")
    return Study.objects.filter(candidates=organization).select_related("end_collector", "product_material")


def study_readable_list(*, user) -> QuerySet[Study]:
    orgs = _member_org_ids(user)
    return (
        Study.objects.filter(Q(end_collector__in=orgs) | Q(candidates__in=orgs))
        .distinct()
        .select_related("end_collector", "product_material")
    )


def study_get(*, user, pk) -> Study:
    try:
        return study_readable_list(user=user).get(pk=pk)
    except (Study.DoesNotExist, ValueError, TypeError):
        raise Http404("No such study.") from None


def can_see_scenarios(user, study: Study) -> bool:
    return access.is_member(user, study.end_collector)


def scenario_list(*, user, study: Study) -> QuerySet[Scenario]:
    if not can_see_scenarios(user, study):
        raise Http404("No such study.")
    return Scenario.objects.filter(study=study).select_related("study", "decided_by")


def scenario_get(*, user, pk) -> Scenario:
    try:
        scenario = Scenario.objects.select_related(
            "study__end_collector", "study__product_material", "decided_by", "previous"
        ).get(pk=pk)
    except (Scenario.DoesNotExist, ValueError, TypeError):
        raise Http404("No such scenario.") from None
    if not can_see_scenarios(user, scenario.study):
        raise Http404("No such scenario.")
    return scenario


def node_list(*, user, scenario: Scenario) -> QuerySet[Node]:
    if not can_see_scenarios(user, scenario.study):
        raise Http404("No such scenario.")
    return (
        Node.objects.filter(scenario=scenario)
        .select_related("facility__organization", "activity__process")
        .prefetch_related("facility__accepted_materials")
    )


def node_get(*, user, scenario: Scenario, pk) -> Node:
    try:
        return node_list(user=user, scenario=scenario).get(pk=pk)
    except (Node.DoesNotExist, ValueError, TypeError):
        raise Http404("No such node.") from None


def route_list(*, user, scenario: Scenario) -> QuerySet[Route]:
    if not can_see_scenarios(user, scenario.study):
        raise Http404("No such scenario.")
    return Route.objects.filter(scenario=scenario).select_related(
        "origin__facility", "destination__facility", "material"
    )


def route_get(*, user, scenario: Scenario, pk) -> Route:
    try:
        return route_list(user=user, scenario=scenario).get(pk=pk)
    except (Route.DoesNotExist, ValueError, TypeError):
        raise Http404("No such route.") from None


def candidate_facility_list(*, user, study: Study) -> QuerySet[Facility]:
    """Facilities a scenario of this study may use: the end collector's own, and those of invited candidates that
    still share their sheet with it."""
    end_collector = study.end_collector
    if not access.is_member(user, end_collector):
        raise Http404("No such study.")
    return (
        Facility.objects.filter(
            Q(organization=end_collector)
            | Q(organization__in=study.candidates.filter(shares_given__end_collector=end_collector))
        )
        .distinct()
        .select_related("organization")
        .prefetch_related("accepted_materials", "activities__process")
        .order_by("organization__name", "name")
    )


def scenario_history(*, user, scenario: Scenario) -> QuerySet[LogEntry]:
    """Every entry about the scenario, its nodes and routes, oldest first; members of the end collector only."""
    if not can_see_scenarios(user, scenario.study):
        raise Http404("No such scenario.")
    pk = str(scenario.pk)
    return (
        LogEntry.objects.filter(organization=scenario.study.end_collector)
        .filter(Q(target_type="scenario", target_id=pk) | Q(parent_type="scenario", parent_id=pk))
        .select_related("actor")
        .order_by("at", "id")
    )


def study_history(*, user, study: Study) -> QuerySet[LogEntry]:
    """Entries about the study itself (need, product, candidates), oldest first; members of the end collector."""
    if not can_see_scenarios(user, study):
        raise Http404("No such study.")
    return (
        LogEntry.objects.filter(organization=study.end_collector, target_type="study", target_id=str(study.pk))
        .select_related("actor")
        .order_by("at", "id")
    )


# How each model reaches the end collector whose members read it, for scoped listings such as the admin's.
END_COLLECTOR_PATH = {
    Study: "end_collector",
    Scenario: "study__end_collector",
    Node: "scenario__study__end_collector",
    Route: "scenario__study__end_collector",
}


def member_scoped_list(*, user, model) -> QuerySet:
    """Rows of a scenarios model that belong to end collectors the user is a member of."""
    return model.objects.filter(**{f"{END_COLLECTOR_PATH[model]}__in": _member_org_ids(user)})
