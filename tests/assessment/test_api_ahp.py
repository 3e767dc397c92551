"""AHP through the REST API: a criteria set created, judged by two members and read back with the group's weights
and consistency; two scenarios with stored results ranked with the hand-worked figures of test_decisions.py
(weights 3/4 and 1/4, final 7/12 and 5/12, sensitivity 0.25); refused input named by field; and the schema (with
the partner rankings and the builder of test_api_partners_builder.py)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment.models import CriteriaSet, Judgement, Ranking
from partners.models import LogEntry

from .test_decisions import two_assessed  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

COST_AND_RATE = {"name": "Cost vs recycling", "kind": "scenario", "criteria": ["cost.total_eur", "recycling_rate"]}


def u(name, **kwargs):
    return reverse(name, kwargs=kwargs)


def create_set(net, api_for, body=COST_AND_RATE):
    return api_for(net.ec_editor).post(u("api-study-criteria-sets", id=net.study.pk), body, format="json")


def judge(net, api_for, user, set_id, matrix):
    return api_for(user).put(
        u("api-study-criteria-set-judgement", id=net.study.pk, set_id=set_id), {"matrix": matrix}, format="json"
    )


def test_a_set_judged_by_two_members_gives_the_group_weights(net, api_for):
    response = create_set(net, api_for)
    assert response.status_code == 201, response.json()
    made = response.json()
    assert (made["name"], made["kind"], made["criteria"], made["ri_table"], made["created_by"]) == (
        "Cost vs recycling",
        "scenario",
        ["cost.total_eur", "recycling_rate"],
        "saaty",
        "ec_editor",
    )
    assert made["links"]["self"].endswith(f"/api/v1/studies/{net.study.pk}/criteria-sets/{made['id']}/")
    detail = api_for(net.ec_viewer).get(made["links"]["self"]).json()
    assert detail["weights"]["group"] is None and detail["weights"]["members"] == []

    # The editor finds cost 3 times as important as the recycling rate, the admin 3 times too: AIJ 3, 3/4 and 1/4.
    response = judge(net, api_for, net.ec_editor, made["id"], [[1, 3], [1 / 3, 1]])
    assert response.status_code == 200, response.json()
    assert response.json()["group"]["weights"] == pytest.approx([0.75, 0.25])
    response = judge(net, api_for, net.ec_admin, made["id"], [[1, 9], [1 / 9, 1]])
    weights = response.json()
    # AIJ of 3 and 9: sqrt(27) = 5.196; weights 5.196 / 6.196 and 1 / 6.196.
    assert weights["group"]["matrix"][0][1] == pytest.approx(27**0.5)
    assert weights["group"]["weights"] == pytest.approx([27**0.5 / (1 + 27**0.5), 1 / (1 + 27**0.5)])
    judge(net, api_for, net.ec_admin, made["id"], [[1, 3], [1 / 3, 1]])  # the admin changes their mind

    detail = api_for(net.ec_auditor).get(made["links"]["self"]).json()
    w = detail["weights"]
    assert w["criteria"] == ["cost.total_eur", "recycling_rate"] and w["labels"] == ["Total RL cost", "Recycling rate"]
    assert w["group"]["weights"] == pytest.approx([0.75, 0.25])
    # A 2 x 2 reciprocal matrix is always consistent: lambda_max = n = 2, CI = CR = 0, nothing to revise.
    assert w["group"]["consistency"] == {
        "lambda_max": pytest.approx(2),
        "ci": pytest.approx(0, abs=1e-12),
        "cr": pytest.approx(0, abs=1e-12),
        "ri_table": "saaty",
        "acceptable": True,
        "revise": None,
    }
    assert sorted((m["judge"], m["weights"][0]) for m in w["members"]) == [
        ("ec_editor", pytest.approx(0.75)),
        ("shared_member", pytest.approx(0.75)),
    ]
    assert Judgement.objects.count() == 2
    assert LogEntry.objects.filter(action="study.judgement.changed").count() == 3
    listed = api_for(net.ec_viewer).get(u("api-study-criteria-sets", id=net.study.pk)).json()
    assert [row["id"] for row in listed["results"]] == [made["id"]]


def test_an_inconsistent_judgement_reports_its_ratio_and_what_to_revise(net, api_for):
    body = {
        **COST_AND_RATE,
        "name": "Impacts",
        "ri_table": "saaty",
        "criteria": ["cost.total_eur", "recycling_rate", "whole_life.climate_change_kg_co2e"],
    }
    set_id = create_set(net, api_for, body).json()["id"]
    response = judge(net, api_for, net.ec_editor, set_id, [[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]])
    consistency = response.json()["members"][0]["consistency"]
    assert consistency["cr"] > 0.10 and consistency["acceptable"] is False
    assert set(consistency["revise"]) == {"row", "column", "current", "suggested", "cr_after"}
    assert consistency["revise"]["cr_after"] < consistency["cr"]


def test_ranking_two_scenarios(net, api_for, two_assessed):  # noqa: F811
    set_id = create_set(net, api_for).json()["id"]
    judge(net, api_for, net.ec_editor, set_id, [[1, 3], [1 / 3, 1]])
    a, b = two_assessed
    url = u("api-study-rankings", id=net.study.pk)
    response = api_for(net.ec_editor).post(url, {"criteria_set": set_id, "scenarios": [a.pk, b.pk]}, format="json")
    assert response.status_code == 201, response.json()
    ranking = response.json()
    r = ranking["result"]
    assert (ranking["criteria_set"], ranking["study"], ranking["created_by"]) == (set_id, net.study.pk, "ec_editor")
    assert r["mode"] == "distributive" and r["origins"] == ["values", "values"]
    assert r["weights"] == pytest.approx([0.75, 0.25])
    assert r["local"] == [pytest.approx([2 / 3, 1 / 3]), pytest.approx([1 / 3, 2 / 3])]
    assert r["final"] == pytest.approx([7 / 12, 5 / 12])
    assert r["winner"] == "A v1" and r["scenarios"] == ["A v1", "B v1"] and r["scenario_ids"] == [a.pk, b.pk]
    cost, rate = r["sensitivity"]
    assert (cost["criterion"], cost["delta_down"], cost["overtaken_down_by"], cost["delta_up"]) == (
        "cost.total_eur",
        pytest.approx(-0.25),
        "B v1",
        None,
    )
    assert (rate["delta_up"], rate["overtaken_up_by"]) == (pytest.approx(0.25), "B v1")
    assert r["consistency"]["acceptable"] is True

    # Stored: read back by a viewer, alone in the list.
    again = api_for(net.ec_viewer).get(ranking["links"]["self"])
    assert again.status_code == 200 and again.json() == ranking
    listed = api_for(net.ec_viewer).get(url).json()
    assert [row["id"] for row in listed["results"]] == [ranking["id"]]

    # An expert matrix for cost and the ideal mode: B wins with 16/21 (test_decisions.py).
    response = api_for(net.ec_admin).post(
        url,
        {
            "criteria_set": set_id,
            "scenarios": [a.pk, b.pk],
            "mode": "ideal",
            "local_matrices": {"cost.total_eur": [[1, 1 / 4], [4, 1]]},
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["result"]["final"] == pytest.approx([5 / 21, 16 / 21])
    assert response.json()["result"]["winner"] == "B v1"
    assert Ranking.objects.count() == 2


@pytest.mark.parametrize(
    "matrix, message",
    [
        ([[1, 3], [0.5, 1]], "a[1][0] is 0.5 but 1/a[0][1] is 0.333333"),
        ([[1, 3, 1], [1 / 3, 1, 1], [1, 1, 1]], "give a 2 x 2 matrix"),
        ([[1, "much"], [1, 1]], "Each judgement is a number"),
        ("square", "list"),
    ],
)
def test_a_bad_matrix_is_a_400_on_matrix(net, api_for, matrix, message):
    set_id = create_set(net, api_for).json()["id"]
    entries = LogEntry.objects.count()
    response = judge(net, api_for, net.ec_editor, set_id, matrix)
    assert response.status_code == 400
    assert message in str(response.json()["matrix"])
    assert not Judgement.objects.exists() and LogEntry.objects.count() == entries


@pytest.mark.parametrize(
    "body, field",
    [
        ({**COST_AND_RATE, "criteria": ["cost.total_eur", "price"]}, "criteria"),
        ({**COST_AND_RATE, "criteria": ["cost.total_eur"]}, "criteria"),
        ({**COST_AND_RATE, "criteria": "cost.total_eur"}, "criteria"),
        ({**COST_AND_RATE, "kind": "supplier"}, "kind"),
        ({**COST_AND_RATE, "ri_table": "guessed"}, "ri_table"),
        ({**COST_AND_RATE, "name": " "}, "name"),
    ],
)
def test_a_bad_criteria_set_is_a_400_on_its_field(net, api_for, body, field):
    response = create_set(net, api_for, body)
    assert response.status_code == 400
    assert field in response.json()
    assert not CriteriaSet.objects.exists()


def test_unknown_criterion_names_it(net, api_for):
    response = create_set(net, api_for, {**COST_AND_RATE, "criteria": ["cost.total_eur", "price"]})
    assert response.json()["criteria"] == ["Not a scenario criterion: price."]


def test_a_ranking_refused_names_the_field(net, api_for, two_assessed):  # noqa: F811
    set_id = create_set(net, api_for).json()["id"]
    a, b = two_assessed
    url = u("api-study-rankings", id=net.study.pk)
    api = api_for(net.ec_editor)
    # Nobody has judged yet.
    response = api.post(url, {"criteria_set": set_id, "scenarios": [a.pk, b.pk]}, format="json")
    assert response.status_code == 400 and "criteria_set" in response.json()
    judge(net, api_for, net.ec_editor, set_id, [[1, 3], [1 / 3, 1]])
    for body, field in (
        ({"criteria_set": 999_999, "scenarios": [a.pk, b.pk]}, "criteria_set"),
        ({"criteria_set": set_id, "scenarios": [a.pk]}, "scenarios"),
        ({"criteria_set": set_id, "scenarios": [a.pk, b.pk], "mode": "median"}, "mode"),
        (
            {"criteria_set": set_id, "scenarios": [a.pk, b.pk], "local_matrices": {"cost.total_eur": [[1, 2], [2, 1]]}},
            "local_matrices",
        ),
    ):
        response = api.post(url, body, format="json")
        assert response.status_code == 400 and field in response.json(), (body, response.json())
    assert not Ranking.objects.exists()


def test_a_ranking_of_another_study_is_not_found(net, api_for):
    response = api_for(net.ec_admin).get(u("api-study-ranking", id=net.study.pk, ranking_id=999_999))
    assert response.status_code == 404 and response.json()["detail"] == "No such ranking."
    response = api_for(net.ec_admin).get(u("api-study-criteria-set", id=net.study.pk, set_id=999_999))
    assert response.status_code == 404 and response.json()["detail"] == "No such criteria set."


def test_schema_documents_the_ahp_endpoints(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    for path in (
        "/api/v1/studies/{id}/criteria-sets/:",
        "/api/v1/studies/{id}/criteria-sets/{set_id}/:",
        "/api/v1/studies/{id}/criteria-sets/{set_id}/judgement/:",
        "/api/v1/studies/{id}/rankings/:",
        "/api/v1/studies/{id}/rankings/{ranking_id}/:",
        "/api/v1/studies/{id}/partner-candidates/:",
        "/api/v1/studies/{id}/partner-rankings/:",
        "/api/v1/studies/{id}/partner-rankings/{ranking_id}/:",
        "/api/v1/scenarios/{id}/builder/:",
        "/api/v1/scenarios/{id}/builder/steps/:",
    ):
        assert f"  {path}\n" in schema, path
    for component in (
        "CriteriaSetInputRequest:",
        "CriteriaSetDetailOutput:",
        "JudgementInputRequest:",
        "WeightsOutput:",
        "RankingInputRequest:",
        "RankingOutput:",
        "Consistency:",
        "PartnerCandidatesOutput:",
        "PartnerRankingInputRequest:",
        "PartnerRankingOutput:",
        "PartnerRankingDetailOutput:",
        "PartnerRankingStatusEnum:",
        "BuilderStateOutput:",
        "BuilderStepInputRequest:",
        "BuilderStepOutput:",
        "DirectionEnum:",
    ):
        assert f"    {component}\n" in schema, component
    # A heavy partner ranking answers 202 while a worker computes it.
    partner_rankings = schema[schema.index("  /api/v1/studies/{id}/partner-rankings/:\n") :]
    post = partner_rankings[partner_rankings.index("    post:\n") : partner_rankings.index("\n  /api/")]
    assert "'201':" in post and "'202':" in post
