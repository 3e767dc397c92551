"""Ranking partners and building a scenario step by step through the REST API.

Partner rankings use the `collectors` fixture (tests/assessment/conftest.py) and the figures worked out by hand in
test_partner_ranking.py: candidates Mannheim, Stuttgart (Alu Collect: 300 EUR/t, quality 90 %) and Köln (Rhine
Collect: 200 EUR/t, quality 60 %), weights 3/4 for price and 1/4 for quality; Köln wins with 0.3839286, the Alu
Collect sites score 0.3080357, and the quality weight may rise by 17/60 before Mannheim overtakes.

The builder builds the network of tests/scenarios/conftest.py backwards (test_builder.py): the end collector node
Forge plant comes with the scenario; then Neuss (recoverer, 0.9), Hagen (sorter, 0.8), Stuttgart (0.85) and Mannheim
(0.5). The study needs 90 t/year: Neuss must receive 100, Hagen 125, split equally, 62.5 from each collector.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment import builder, decisions
from assessment.models import PartnerRanking
from partners.models import CriterionValue, Facility, LogEntry
from scenarios import services as scenario_services
from scenarios.models import Node, Route
from tests.scenarios.conftest import NOT_ASSESSED, build_network

pytestmark = pytest.mark.django_db

KOELN, ALU = 0.75 * 3 / 7 + 0.25 * 0.25, 0.75 * 2 / 7 + 0.25 * 0.375  # 0.3839286, 0.3080357


def u(name, **kwargs):
    return reverse(name, kwargs=kwargs)


def rank(net, api_for, user=None, **body):
    body = {"criteria_set": net.partner_set.pk, "role": "collector", "material": "al-vehicle-parts", **body}
    return api_for(user or net.ec_editor).post(u("api-study-partner-rankings", id=net.study.pk), body, format="json")


def written():
    """What a refused request must leave as it was."""
    return (PartnerRanking.objects.count(), LogEntry.objects.count(), Node.objects.count(), Route.objects.count())


# ---------------------------------------------------------------- candidates


def test_candidates_in_matrix_order(collectors, api_for):
    net = collectors
    response = api_for(net.ec_viewer).get(
        u("api-study-partner-candidates", id=net.study.pk), {"role": "collector", "material": "al-vehicle-parts"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["role"], body["material"]) == ("collector", "al-vehicle-parts")
    assert [(c["id"], c["name"], c["organization"], c["organization_name"]) for c in body["candidates"]] == [
        (net.mannheim.pk, "Mannheim yard", "alu-collect", "Alu Collect"),
        (net.stuttgart.pk, "Stuttgart yard", "alu-collect", "Alu Collect"),
        (net.koeln.pk, "Köln yard", "rhine-collect", "Rhine Collect"),
    ]
    koeln = body["candidates"][2]
    assert (koeln["latitude"], koeln["longitude"], koeln["capacity_t_per_year"]) == (50.9375, 6.9603, 800)
    # Nobody collects sorted scrap: an empty list, not an error.
    response = api_for(net.ec_viewer).get(
        u("api-study-partner-candidates", id=net.study.pk), {"role": "collector", "material": "al-sorted-6xxx"}
    )
    assert response.status_code == 200 and response.json()["candidates"] == []


@pytest.mark.parametrize(
    "query, field, message",
    [
        ({}, "role", "This field is required."),
        ({"role": "collector"}, "material", "This field is required."),
        ({"material": "al-vehicle-parts"}, "role", "This field is required."),
        (
            {"role": "end_collector", "material": "al-vehicle-parts"},
            "role",
            "Choose one of collector, sorter, recoverer",
        ),
        ({"role": "shipper", "material": "al-vehicle-parts"}, "role", "Choose one of collector, sorter, recoverer"),
        ({"role": "collector", "material": "unobtainium"}, "material", "No material has the code 'unobtainium'"),
    ],
)
def test_a_bad_candidates_query_is_a_400_on_its_field(collectors, api_for, query, field, message):
    response = api_for(collectors.ec_viewer).get(u("api-study-partner-candidates", id=collectors.study.pk), query)
    assert response.status_code == 400
    assert message in str(response.json()[field])


# ---------------------------------------------------------------- rankings


def test_a_small_ranking_is_computed_at_once(collectors, api_for):
    net = collectors
    response = rank(net, api_for)
    assert response.status_code == 201, response.json()
    made = response.json()
    assert (made["status"], made["progress_done"], made["progress_total"], made["progress_percent"]) == (
        "done",
        3 + 2 + 1,
        6,
        100,
    )
    assert (made["role"], made["material"], made["mode"], made["criteria_set"], made["created_by"]) == (
        "collector",
        "al-vehicle-parts",
        "distributive",
        net.partner_set.pk,
        "ec_editor",
    )
    assert made["error"] == "" and made["started_at"] and made["finished_at"]
    assert made["candidate_ids"] == [net.mannheim.pk, net.stuttgart.pk, net.koeln.pk]
    assert made["winner"] == "Köln yard (Rhine Collect)"
    assert made["links"]["self"].endswith(f"/api/v1/studies/{net.study.pk}/partner-rankings/{made['id']}/")
    r = made["result"]
    assert r["weights"] == pytest.approx([0.75, 0.25]) and r["origins"] == ["values", "values"]
    assert r["units"] == ["EUR/t", "%"] and r["labels"] == ["Price", "Quality"]
    mannheim, stuttgart, koeln = r["candidates"]
    assert koeln["local"] == pytest.approx([3 / 7, 0.25]) and stuttgart["local"] == pytest.approx([2 / 7, 0.375])
    assert koeln["score"] == pytest.approx(0.3839286) == pytest.approx(KOELN)
    assert mannheim["score"] == pytest.approx(0.3080357) == pytest.approx(ALU)
    assert (koeln["rank"], mannheim["rank"], stuttgart["rank"]) == (1, 2, 2)  # equal scores share a rank
    assert koeln["values"] == [200.0, 60.0] and koeln["label"] == "Köln yard (Rhine Collect)"
    assert r["order"] == [net.koeln.pk, net.mannheim.pk, net.stuttgart.pk]
    assert r["winner"]["facility_id"] == net.koeln.pk
    price, quality = r["sensitivity"]
    assert (quality["delta_up"], quality["overtaken_up_by"]) == (pytest.approx(17 / 60), "Mannheim yard (Alu Collect)")
    assert price["delta_down"] == pytest.approx(-17 / 60) and price["delta_up"] is None

    # Stored: read back by an auditor; the list (newest first) leaves the result out but names the winner.
    again = api_for(net.ec_auditor).get(made["links"]["self"])
    assert again.status_code == 200 and again.json() == made
    listed = api_for(net.ec_viewer).get(u("api-study-partner-rankings", id=net.study.pk)).json()
    assert [(row["id"], row["winner"], row["status"]) for row in listed["results"]] == [
        (made["id"], "Köln yard (Rhine Collect)", "done")
    ]
    assert "result" not in listed["results"][0]
    assert list(
        LogEntry.objects.filter(target_type="partnerranking").order_by("id").values_list("action", flat=True)
    ) == ["study.partner_ranking.requested", "study.partner_ranking.done"]


def test_pairwise_judgements_and_the_ideal_mode(collectors, api_for):
    net = collectors
    # Quality judged pairwise: the two Alu Collect sites equal, each twice Köln: priorities (0.4, 0.4, 0.2).
    matrix = [[1, 1, 2], [1, 1, 2], [0.5, 0.5, 1]]
    response = rank(net, api_for, local_matrices={"quality": matrix})
    assert response.status_code == 201, response.json()
    r = response.json()["result"]
    assert r["origins"] == ["values", "judgements"] and r["local_consistency"]["quality"]["cr"] == pytest.approx(0)
    assert [c["score"] for c in r["candidates"]] == pytest.approx([0.3142857, 0.3142857, 0.3714286])
    assert response.json()["local_matrices"] == {"quality": matrix}
    # Ideal: 9/29 for the Alu Collect sites and 11/29 for Köln.
    response = rank(net, api_for, user=net.ec_admin, mode="ideal")
    assert response.status_code == 201 and response.json()["mode"] == "ideal"
    assert [c["score"] for c in response.json()["result"]["candidates"]] == pytest.approx([9 / 29, 9 / 29, 11 / 29])
    assert PartnerRanking.objects.count() == 2


def test_many_candidates_go_to_a_worker_and_report_progress(
    collectors, api_for, settings, django_capture_on_commit_callbacks
):
    net = collectors
    settings.AHP_TASK_MIN_CANDIDATES = 3
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = rank(net, api_for)
    assert response.status_code == 202, response.json()
    made = response.json()
    assert (made["status"], made["progress_done"], made["progress_total"], made["progress_percent"]) == (
        "pending",
        0,
        6,
        0,
    )
    assert made["result"] is None and made["winner"] is None and made["started_at"] is None
    assert response["Location"] == made["links"]["self"]
    assert len(callbacks) == 1

    api = api_for(net.ec_viewer)
    PartnerRanking.objects.filter(pk=made["id"]).update(status="running", progress_done=3)  # half way
    halfway = api.get(made["links"]["self"]).json()
    assert (halfway["status"], halfway["progress_done"], halfway["progress_percent"]) == ("running", 3, 50)
    PartnerRanking.objects.filter(pk=made["id"]).update(status="pending", progress_done=0)

    callbacks[0]()  # the task, in-process
    done = api.get(made["links"]["self"]).json()
    assert (done["status"], done["progress_done"], done["progress_percent"], done["error"]) == ("done", 6, 100, "")
    assert done["started_at"] and done["finished_at"]
    assert done["result"]["winner"]["score"] == pytest.approx(KOELN)
    assert done["result"]["sensitivity"][1]["delta_up"] == pytest.approx(17 / 60)


def test_a_worker_failure_is_reported_with_its_message(
    collectors, api_for, settings, django_capture_on_commit_callbacks
):
    net = collectors
    settings.AHP_TASK_MIN_CANDIDATES = 3
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        made = rank(net, api_for).json()
    CriterionValue.objects.filter(sheet__organization=net.rhine, criterion__code="price").delete()
    callbacks[0]()
    failed = api_for(net.ec_viewer).get(made["links"]["self"]).json()
    assert failed["status"] == "failed" and failed["result"] is None and failed["winner"] is None
    assert failed["error"].startswith("Price: no value on the sheet of Köln yard (Rhine Collect)")


def _scenario_set(net):
    return decisions.criteria_set_create(
        user=net.ec_editor,
        study=net.study,
        name="Indicators",
        kind="scenario",
        criteria=["cost.total_eur", "recycling_rate"],
    )


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"criteria_set": 999_999}, "criteria_set", "No such criteria set in this study."),
        ({"criteria_set": "scenario set"}, "criteria_set", "Not usable here."),
        ({"criteria_set": None}, "criteria_set", "This field may not be null."),
        ({"material": "unobtainium"}, "material", "No material has the code 'unobtainium'"),
        ({"material": "al-sorted-6xxx"}, "role", "No invited candidate facility offers the collector role"),
        ({"role": "end_collector"}, "role", "Choose one of collector, sorter, recoverer"),
        ({"role": "sorter"}, "role", "nothing to rank"),
        ({"mode": "best"}, "mode", "Choose one of distributive, ideal"),
        ({"local_matrices": {"quality": [[1, 2], [0.5, 1]]}}, "local_matrices", "give a 3 x 3 matrix"),
        ({"local_matrices": {"flexibility": [[1]]}}, "local_matrices", "flexibility is not a criterion of the set"),
        ({"local_matrices": {"quality": [[1, 2, 1], [2, 1, 1], [1, 1, 1]]}}, "local_matrices", "quality: "),
        ({"local_matrices": "square"}, "local_matrices", "Expected a dictionary"),
        ({"missing value": True}, "criteria_set", "Quality: no value on the sheet of Köln yard (Rhine Collect)"),
    ],
)
def test_a_bad_ranking_request_is_a_400_on_its_field(collectors, api_for, body, field, message):
    net = collectors
    if body.get("criteria_set") == "scenario set":
        body["criteria_set"] = _scenario_set(net).pk
    if body.pop("missing value", False):
        CriterionValue.objects.filter(sheet__organization=net.rhine, criterion__code="quality").delete()
    before = written()
    response = rank(net, api_for, **body)
    assert response.status_code == 400, response.json()
    assert message in str(response.json()[field])
    assert written() == before and not PartnerRanking.objects.exists()


def test_an_unjudged_set_is_refused(collectors, api_for):
    net = collectors
    unjudged = decisions.criteria_set_create(
        user=net.ec_editor, study=net.study, name="Unjudged", kind="partner", criteria=["price", "quality"]
    )
    response = rank(net, api_for, criteria_set=unjudged.pk)
    assert response.status_code == 400 and response.json()["criteria_set"] == ["Enter a judgement first."]


def test_a_ranking_is_found_through_its_own_study_only(collectors, api_for):
    net = collectors
    made = rank(net, api_for).json()
    other = scenario_services.study_create(
        user=net.ec_editor,
        end_collector=net.ec,
        name="Door hinge",
        product_name="Door hinge",
        product_material=net.material("al-secondary-billet"),
        product_mass_kg=1,
        units_per_year=10_000,
        need_t_per_year=5,
    )
    api = api_for(net.ec_admin)
    response = api.get(u("api-study-partner-ranking", id=other.pk, ranking_id=made["id"]))
    assert response.status_code == 404 and response.json()["detail"] == "No such ranking."
    assert api.get(u("api-study-partner-ranking", id=net.study.pk, ranking_id=999_999)).status_code == 404
    # Nor can another study's criteria set rank here.
    foreign = decisions.criteria_set_create(
        user=net.ec_editor, study=other, name="Elsewhere", kind="partner", criteria=["price", "quality"]
    )
    response = rank(net, api_for, criteria_set=foreign.pk)
    assert response.status_code == 400 and response.json()["criteria_set"] == ["No such criteria set in this study."]


# ---------------------------------------------------------------- builder


def step(net, api_for, scenario, user=None, **body):
    body = {"direction": "backwards", **body}
    return api_for(user or net.ec_editor).post(u("api-scenario-builder-steps", id=scenario.pk), body, format="json")


def state(net, api_for, scenario, user=None, **query):
    return api_for(user or net.ec_viewer).get(u("api-scenario-builder", id=scenario.pk), query)


def test_building_backwards_through_the_api(net, api_for):
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Step by step")
    forge = scenario.nodes.get(role="end_collector")
    start = state(net, api_for, scenario)
    assert start.status_code == 200, start.json()
    s = start.json()
    assert (s["direction"], s["next_role"], s["complete"], s["role"], s["ranking"]) == (
        "backwards",
        "recoverer",
        False,
        "recoverer",
        None,
    )
    assert s["problems"] and s["routes"] == [] and s["choices"] == []
    assert [(n["id"], n["role"], n["facility"], n["facility_name"], n["organization"]) for n in s["nodes"]] == [
        (forge.pk, "end_collector", net.forge.pk, "Forge plant", "forge-works")
    ]
    assert s["nodes"][0]["recommended_in_t"] == pytest.approx(90) and s["need_t"] == pytest.approx(90)
    assert [(o["facility"], o["label"], o["rank"], o["score"], o["top"], o["in_network"]) for o in s["options"]] == [
        (net.neuss.pk, "Neuss remelter (Sort & Melt)", None, None, False, False)
    ]

    drawn = {}
    for facility, role, next_role in (
        (net.neuss, "recoverer", "sorter"),
        (net.hagen, "sorter", "collector"),
        (net.stuttgart, "collector", None),
        (net.mannheim, "collector", None),
    ):
        response = step(net, api_for, scenario, role=role, facility=facility.pk, mode="road")
        assert response.status_code == 201, response.json()
        made = response.json()
        assert Node.objects.get(pk=made["node"]).facility == facility
        assert made["state"]["next_role"] == next_role
        drawn[facility.name] = made["routes"]
    final = made["state"]
    assert final["complete"] is True and final["problems"] == []

    # Each step drew one route downstream, with the material the destination takes and the mode chosen.
    assert {name: [(r["material"], r["mode"]) for r in routes] for name, routes in drawn.items()} == {
        "Neuss remelter": [("al-secondary-billet", "road")],
        "Hagen sorter": [("al-sorted-6xxx", "road")],
        "Stuttgart yard": [("al-vehicle-parts", "road")],
        "Mannheim yard": [("al-vehicle-parts", "road")],
    }
    nodes = {n["facility_name"]: n for n in final["nodes"]}
    assert drawn["Neuss remelter"][0]["destination"] == forge.pk
    assert drawn["Mannheim yard"][0]["origin"] == nodes["Mannheim yard"]["id"]
    assert drawn["Mannheim yard"][0]["destination"] == nodes["Hagen sorter"]["id"]
    assert all(r["distance_km"] > 0 for routes in drawn.values() for r in routes)

    # By hand: Neuss receives 90 / 0.9 = 100 and Hagen 100 / 0.8 = 125, split equally: 62.5 from each collector,
    # which collect 62.5 / 0.85 (Stuttgart) and 62.5 / 0.5 = 125 (Mannheim).
    assert nodes["Neuss remelter"]["recommended_in_t"] == pytest.approx(100)
    assert nodes["Neuss remelter"]["recommended_out_t"] == pytest.approx(90)
    assert nodes["Hagen sorter"]["recommended_in_t"] == pytest.approx(125)
    assert nodes["Stuttgart yard"]["recommended_in_t"] == pytest.approx(62.5 / 0.85, abs=1e-6)
    assert nodes["Mannheim yard"]["recommended_in_t"] == pytest.approx(125)
    routes = {(r["origin"], r["destination"]): r["recommended_t"] for r in final["routes"]}
    ids = {name: node["id"] for name, node in nodes.items()}
    assert routes == {
        (ids["Neuss remelter"], forge.pk): pytest.approx(90),
        (ids["Hagen sorter"], ids["Neuss remelter"]): pytest.approx(100),
        (ids["Stuttgart yard"], ids["Hagen sorter"]): pytest.approx(62.5),
        (ids["Mannheim yard"], ids["Hagen sorter"]): pytest.approx(62.5),
    }
    assert final["delivered_t"] == pytest.approx(90)

    # The choices, read back by an auditor.
    again = state(net, api_for, scenario, user=net.ec_auditor).json()
    assert again["complete"] is True and again["next_role"] is None and again["options"] == []
    assert [
        (c["actor"], c["direction"], c["role"], c["facility"], c["ranking"], c["rank"], c["reason"])
        for c in again["choices"]
    ] == [
        ("ec_editor", "backwards", "recoverer", "Neuss remelter (Sort & Melt)", None, None, None),
        ("ec_editor", "backwards", "sorter", "Hagen sorter (Sort & Melt)", None, None, None),
        ("ec_editor", "backwards", "collector", "Stuttgart yard (Alu Collect)", None, None, None),
        ("ec_editor", "backwards", "collector", "Mannheim yard (Alu Collect)", None, None, None),
    ]
    assert [c["node"] for c in again["choices"]] == [
        nodes[name]["id"] for name in ("Neuss remelter", "Hagen sorter", "Stuttgart yard", "Mannheim yard")
    ]
    assert again["choices"][3]["routes"] == ["Mannheim yard -> Hagen sorter (Aluminium parts from dismantled vehicles)"]
    # Forwards, the next role of the same network is the end collector's, which is there: none left.
    assert state(net, api_for, scenario, direction="forwards").json()["next_role"] is None


def test_building_with_a_partner_ranking(collectors, api_for):
    net = collectors
    ranking = rank(net, api_for).json()
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Ranked")
    for facility, role in ((net.neuss, "recoverer"), (net.hagen, "sorter")):
        assert step(net, api_for, scenario, role=role, facility=facility.pk).status_code == 201
    response = state(net, api_for, scenario, role="collector", ranking=ranking["id"])
    assert response.status_code == 200, response.json()
    options = response.json()["options"]
    assert [(o["label"], o["rank"], o["top"], o["in_network"]) for o in options] == [
        ("Köln yard (Rhine Collect)", 1, True, False),
        ("Mannheim yard (Alu Collect)", 2, False, False),
        ("Stuttgart yard (Alu Collect)", 2, False, False),
    ]  # tied with Mannheim
    assert options[0]["score"] == pytest.approx(KOELN) and options[1]["score"] == pytest.approx(ALU)
    assert response.json()["ranking"] == ranking["id"]

    # Not the top-ranked one without a reason: 400 on reason, nothing written.
    before = written()
    response = step(net, api_for, scenario, role="collector", facility=net.stuttgart.pk, ranking=ranking["id"])
    assert response.status_code == 400
    assert response.json()["reason"] == [
        "Say why you choose Stuttgart yard (Alu Collect) rather than the top-ranked Köln yard (Rhine Collect)."
    ]
    assert written() == before

    response = step(net, api_for, scenario, role="collector", facility=net.koeln.pk, ranking=ranking["id"])
    assert response.status_code == 201, response.json()
    after = response.json()["state"]
    # Every role has a node: the options stay on collectors, in the ranking's order; Mannheim is the top one left.
    assert (after["next_role"], after["role"], after["ranking"]) == (None, "collector", ranking["id"])
    assert [(o["label"], o["top"], o["in_network"]) for o in after["options"]] == [
        ("Köln yard (Rhine Collect)", False, True),
        ("Mannheim yard (Alu Collect)", True, False),
        ("Stuttgart yard (Alu Collect)", False, False),
    ]
    response = step(
        net,
        api_for,
        scenario,
        role="collector",
        facility=net.stuttgart.pk,
        ranking=ranking["id"],
        reason="Already under contract for wheels.",
    )
    assert response.status_code == 201, response.json()
    choices = response.json()["state"]["choices"]
    assert [(c["facility"], c["ranking"], c["rank"], c["top_ranked"], c["reason"]) for c in choices[2:]] == [
        ("Köln yard (Rhine Collect)", ranking["id"], 1, "Köln yard (Rhine Collect)", None),
        (
            "Stuttgart yard (Alu Collect)",
            ranking["id"],
            2,
            "Mannheim yard (Alu Collect)",
            "Already under contract for wheels.",
        ),
    ]
    assert response.json()["state"]["complete"] is True


def _outsider_facility(net):
    return Facility.objects.create(
        organization=net.world.other,
        name="Elsewhere yard",
        country="DE",
        latitude=Decimal("50"),
        longitude=Decimal("8"),
        is_recoverer=True,
        capacity_t_per_year=Decimal("500"),
    )


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"facility": 999_999}, "facility", "Choose a facility of your own organisation or of a partner invited"),
        ({"facility": "outsider"}, "facility", "Choose a facility of your own organisation or of a partner invited"),
        ({"facility": None}, "facility", "This field may not be null."),
        ({"ranking": 999_999}, "ranking", "No such partner ranking in this study."),
        ({"material": "unobtainium"}, "material", "No material has the code 'unobtainium'"),
        ({"direction": "sideways"}, "direction", "is not a valid choice"),
        ({"role": "shipper"}, "role", "is not a valid choice"),
        ({"role": "collector"}, "role", "Neuss remelter offers: Recoverer."),
        ({"mode": "teleport"}, "mode", "is not a valid choice"),
        ({"connect": [10**9]}, "connect", "is not a node of this scenario"),
        ({"connect": ["Forge"]}, "connect", "A valid integer is required."),
    ],
)
def test_a_bad_step_is_a_400_on_its_field(net, api_for, body, field, message):
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Bad steps")
    body = {"role": "recoverer", "facility": net.neuss.pk, **body}
    if body["facility"] == "outsider":
        body["facility"] = _outsider_facility(net).pk
    before = written()
    response = step(net, api_for, scenario, **body)
    assert response.status_code == 400, response.json()
    assert message in str(response.json()[field])
    assert written() == before


def test_a_ranking_not_done_or_of_another_role_is_refused(
    collectors, api_for, settings, django_capture_on_commit_callbacks
):
    net = collectors
    settings.AHP_TASK_MIN_CANDIDATES = 3
    with django_capture_on_commit_callbacks(execute=False):
        pending = rank(net, api_for).json()
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Waiting")
    for facility, role in ((net.neuss, "recoverer"), (net.hagen, "sorter")):
        step(net, api_for, scenario, role=role, facility=facility.pk)
    before = written()
    response = step(net, api_for, scenario, role="collector", facility=net.koeln.pk, ranking=pending["id"])
    assert response.status_code == 400 and response.json()["ranking"] == ["Wait for it or choose another."]
    PartnerRanking.objects.filter(pk=pending["id"]).update(status="done")
    response = step(net, api_for, scenario, role="sorter", facility=net.hagen.pk, ranking=pending["id"])
    assert response.status_code == 400 and "Choose a ranking of sorters" in response.json()["ranking"][0]
    assert written() == before


def test_a_step_on_a_scenario_that_is_not_a_draft_is_a_409(net, api_for):
    scenario, _, _ = build_network(net)
    scenario_services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    before = written()
    response = step(net, api_for, scenario, role="collector", facility=net.stuttgart.pk)
    assert response.status_code == 409
    assert "only drafts change" in response.json()["detail"]
    assert written() == before


@pytest.mark.parametrize(
    "query, field",
    [
        ({"direction": "sideways"}, "direction"),
        ({"role": "shipper"}, "role"),
        ({"ranking": 999_999}, "ranking"),
        ({"ranking": "best"}, "ranking"),
    ],
)
def test_a_bad_builder_query_is_a_400_on_its_field(net, api_for, query, field):
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Queries")
    response = state(net, api_for, scenario, **query)
    assert response.status_code == 400 and field in response.json(), response.json()


def test_the_step_log_is_the_services(net, api_for):
    """The API adds nothing to the log beyond what the services write: the node, its routes and the choice."""
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Logged")
    before = LogEntry.objects.count()
    step(net, api_for, scenario, role="recoverer", facility=net.neuss.pk)
    actions = list(LogEntry.objects.order_by("id").values_list("action", flat=True)[before:])
    assert actions[-1] == builder.STEP_ACTION and len(actions) == 3
