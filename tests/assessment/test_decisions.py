"""AHP in the portal: criteria sets, members' judgements and their AIJ aggregate, and ranking scenarios on their
indicators, each figure worked out by hand. The study world is tests/scenarios/conftest.py."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessment import decisions, inputs
from assessment.models import AssessmentRun, CriteriaSet, Judgement, Ranking
from partners.errors import ApplicationError
from partners.models import LogEntry, Membership
from scenarios import services as scenario_services
from tests.conftest import make_user
from tests.scenarios.conftest import build_network

from .test_compare import result

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_assessed(net):
    """Two scenarios with stored results: A costs 200,000 EUR/year for a recycling rate of 0.25, B 400,000 for 0.5
    (the results are given, so that the ranking's arithmetic can be followed by hand)."""
    made = []
    for name, cost, rate in (("A", 200_000, 0.25), ("B", 400_000, 0.5)):
        scenario = build_network(net, name=name)[0]  # assessable, its result current (not stale)
        AssessmentRun.objects.create(
            scenario=scenario,
            inputs={},
            inputs_hash=inputs.digest(inputs.snapshot(scenario)),
            status="done",
            result=result(cost=cost, rate=rate, eol_co2e=1000, whole_co2e=1000),
        )
        made.append(scenario)
    return made


@pytest.fixture
def cost_and_rate(net):
    return decisions.criteria_set_create(
        user=net.ec_editor,
        study=net.study,
        name="Cost vs recycling",
        kind="scenario",
        criteria=["cost.total_eur", "recycling_rate"],
    )


def test_ranking_two_scenarios_on_values(net, two_assessed, cost_and_rate):
    # The editor finds cost 3 times as important as the recycling rate: weights 3/4 and 1/4.
    decisions.judgement_set(user=net.ec_editor, criteria_set=cost_and_rate, matrix=[[1, 3], [1 / 3, 1]])
    a, b = two_assessed
    ranking = decisions.scenario_ranking_create(
        user=net.ec_editor, study=net.study, criteria_set=cost_and_rate, scenario_ids=[a.pk, b.pk]
    )
    r = ranking.result
    assert r["weights"] == pytest.approx([0.75, 0.25])
    # Local priorities from the values: cost, lower is better: (1/200k, 1/400k) normalised = (2/3, 1/3);
    # recycling rate, higher is better: (0.25, 0.5) / 0.75 = (1/3, 2/3).
    assert r["local"] == [pytest.approx([2 / 3, 1 / 3]), pytest.approx([1 / 3, 2 / 3])]
    # Final: A = 0.75 x 2/3 + 0.25 x 1/3 = 7/12; B = 0.75 x 1/3 + 0.25 x 2/3 = 5/12.
    assert r["final"] == pytest.approx([7 / 12, 5 / 12])
    assert r["winner"] == "A v1" and r["origins"] == ["values", "values"]
    # Sensitivity: moving d from cost to recycling, A = 7/12 - d/3 and B = 5/12 + d/3 tie at d = 1/4: the cost
    # weight may fall by 0.25 (to 0.5), the recycling weight rise by 0.25, before B wins.
    cost, rate = r["sensitivity"]
    assert (cost["delta_down"], cost["overtaken_down_by"], cost["delta_up"]) == (pytest.approx(-0.25), "B v1", None)
    assert (rate["delta_up"], rate["overtaken_up_by"], rate["delta_down"]) == (pytest.approx(0.25), "B v1", None)
    assert LogEntry.objects.filter(action="study.ranking.created", target_id=str(ranking.pk)).count() == 1


def test_ideal_mode_and_expert_matrices(net, two_assessed, cost_and_rate):
    decisions.judgement_set(user=net.ec_editor, criteria_set=cost_and_rate, matrix=[[1, 3], [1 / 3, 1]])
    a, b = two_assessed
    # An expert finds B's cost position 4 times better than A's (say, its contracts are cheaper to renegotiate):
    # local cost priorities (1/5, 4/5); the recycling rate still from values (1/3, 2/3).
    ranking = decisions.scenario_ranking_create(
        user=net.ec_editor,
        study=net.study,
        criteria_set=cost_and_rate,
        scenario_ids=[a.pk, b.pk],
        mode="ideal",
        local_matrices={"cost.total_eur": [[1, 1 / 4], [4, 1]]},
    )
    r = ranking.result
    assert r["origins"] == ["judgements", "values"]
    # Ideal: each column divided by its best: cost (1/4, 1), rate (1/2, 1); A = 0.75/4 + 0.25/2 = 0.3125,
    # B = 0.75 + 0.25 = 1; normalised: A = 0.3125 / 1.3125 = 5/21, B = 16/21.
    assert r["final"] == pytest.approx([5 / 21, 16 / 21])
    assert r["winner"] == "B v1"


def test_group_weights_are_the_aij_of_the_members(net, cost_and_rate):
    planner = make_user("planner")
    Membership.objects.create(user=planner, organization=net.ec, role="editor")
    # Three members: cost 3, 1 and 9 times as important. AIJ: (3 x 1 x 9)^(1/3) = 3, so the group weighs 3/4, 1/4.
    for user, judgement in ((net.ec_editor, 3), (net.ec_admin, 5), (planner, 9)):
        decisions.judgement_set(user=user, criteria_set=cost_and_rate, matrix=[[1, judgement], [1 / judgement, 1]])
    decisions.judgement_set(user=net.ec_admin, criteria_set=cost_and_rate, matrix=[[1, 1], [1, 1]])  # replaces 5
    assert Judgement.objects.filter(criteria_set=cost_and_rate).count() == 3
    w = decisions.weights(user=net.ec_auditor, criteria_set=cost_and_rate)
    assert w["group"]["weights"] == pytest.approx([0.75, 0.25])
    assert w["group"]["matrix"][0][1] == pytest.approx(3.0)
    assert sorted((m["judge"], round(m["weights"][0], 4)) for m in w["members"]) == [
        ("ec_editor", 0.75),
        ("planner", 0.9),
        ("shared_member", 0.5),
    ]  # 3/4, 9/10, 1/2
    assert w["labels"] == ["Total RL cost", "Recycling rate"]


def test_an_inconsistent_matrix_names_the_judgement_to_revisit(net):
    criteria = decisions.criteria_set_create(
        user=net.ec_editor,
        study=net.study,
        name="Impacts",
        kind="scenario",
        criteria=["cost.total_eur", "recycling_rate", "whole_life.climate_change_kg_co2e"],
    )
    # cost > rate (3), rate > climate (3), but climate > cost (3): a circle, far from consistent.
    decisions.judgement_set(
        user=net.ec_editor, criteria_set=criteria, matrix=[[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]]
    )
    consistency = decisions.weights(user=net.ec_editor, criteria_set=criteria)["members"][0]["consistency"]
    assert consistency["cr"] > 0.10 and not consistency["acceptable"]
    assert consistency["revise"] is not None and consistency["revise"]["cr_after"] < consistency["cr"]
    assert consistency["ri_table"] == "saaty"


@pytest.mark.parametrize(
    "matrix,message",
    [
        ([[1, 3], [0.5, 1]], "a[1][0] is 0.5 but 1/a[0][1] is 0.333333"),
        ([[1, 3, 1], [1 / 3, 1, 1], [1, 1, 1]], "give a 2 x 2 matrix"),
        ([[1, -3], [-1 / 3, 1]], "a[0][1]"),
    ],
)
def test_bad_matrices_are_refused_and_nothing_is_written(net, cost_and_rate, matrix, message):
    entries = LogEntry.objects.count()
    with pytest.raises(ApplicationError) as info:
        decisions.judgement_set(user=net.ec_editor, criteria_set=cost_and_rate, matrix=matrix)
    assert message in info.value.field_errors["matrix"][0]
    assert not Judgement.objects.exists() and LogEntry.objects.count() == entries


@pytest.mark.parametrize(
    "kind,criteria,field",
    [
        ("scenario", ["cost.total_eur"], "criteria"),
        ("scenario", ["cost.total_eur", "price"], "criteria"),
        ("partner", ["price", "cost.total_eur"], "criteria"),
        ("supplier", ["price", "quality"], "kind"),
    ],
)
def test_bad_criteria_sets_are_refused(net, kind, criteria, field):
    with pytest.raises(ApplicationError) as info:
        decisions.criteria_set_create(user=net.ec_editor, study=net.study, name="X", kind=kind, criteria=criteria)
    assert field in info.value.field_errors
    assert not CriteriaSet.objects.exists()


def test_partner_criteria_come_from_the_sheet_catalogue(net):
    made = decisions.criteria_set_create(
        user=net.ec_editor,
        study=net.study,
        name="Suppliers",
        kind="partner",
        criteria=["price", "quality", "delivery-on-time"],
    )
    assert made.criteria == ["price", "quality", "delivery-on-time"]


def test_ranking_needs_results_and_a_judgement(net, two_assessed, cost_and_rate):
    a, b = two_assessed
    with pytest.raises(ApplicationError, match="Nobody has weighed"):
        decisions.scenario_ranking_create(
            user=net.ec_editor, study=net.study, criteria_set=cost_and_rate, scenario_ids=[a.pk, b.pk]
        )
    decisions.judgement_set(user=net.ec_editor, criteria_set=cost_and_rate, matrix=[[1, 3], [1 / 3, 1]])
    c = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="C")
    with pytest.raises(ApplicationError, match="C v1 has no assessment yet"):
        decisions.scenario_ranking_create(
            user=net.ec_editor, study=net.study, criteria_set=cost_and_rate, scenario_ids=[a.pk, c.pk]
        )
    assert not Ranking.objects.exists()


@pytest.mark.parametrize(
    "who,error",
    [
        ("ec_viewer", PermissionDenied),
        ("ec_auditor", PermissionDenied),
        ("partner_member", Http404),
        ("stranger", Http404),
    ],
)
def test_readers_and_outsiders_cannot_judge(net, cost_and_rate, who, error):
    with pytest.raises(error):
        decisions.judgement_set(user=net.user(who), criteria_set=cost_and_rate, matrix=[[1, 2], [0.5, 1]])
    assert not Judgement.objects.exists()
