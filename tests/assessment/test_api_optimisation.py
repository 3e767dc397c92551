"""Optimising a study's network through the REST API, with the figures worked out by hand in test_optimisation.py
(the study world of tests/scenarios/conftest.py, the default factor library): the cost optimum collects at Stuttgart
(125 / 0.85 t, 407.42 km from Hagen), the CO2e optimum at Mannheim; a carbon price above 3.73 EUR/kg turns the
weighted optimum to Mannheim; a need of 1,000 t/year is impossible (Neuss takes in at most 1,000 t). Bad bodies are
400 on their field and write nothing; a draft scenario is made once per solution (409 after, and before the run is
done). The permission table of these endpoints is in test_api_permissions.py."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment import optimisation, services
from assessment.models import OptimisationRun
from partners.models import Facility, LogEntry
from scenarios import services as scenario_services
from scenarios.models import Scenario

from .test_optimisation import HAUL_KM, key

pytestmark = pytest.mark.django_db

TKM_STUTTGART = 125 * HAUL_KM["stuttgart"] + 100 * HAUL_KM["hagen-neuss"] + 90 * HAUL_KM["neuss-forge"]
STUTTGART_EUR_PER_T = 40 * 0.85 + 14 / 365 * 150  # dismantling (mass-allocated) + 14 days in stock at 150 EUR/t/y
PER_T = 50 + 7 / 365 * 150  # Hagen and Neuss: 50 EUR/t + 7 days in stock
COST_OPTIMUM_EUR = 0.10 * TKM_STUTTGART + 125 / 0.85 * STUTTGART_EUR_PER_T + 225 * PER_T
COST_OPTIMUM_CO2E_KG = (0.10163 + 0.02359) * TKM_STUTTGART + 1250 + 34500  # transport well-to-wheel


def u(name, **kwargs):
    return reverse(name, kwargs=kwargs)


def written():
    """What a refused request must leave as it was."""
    return OptimisationRun.objects.count(), LogEntry.objects.count(), Scenario.objects.count()


def post(net, api_for, user=None, body=None):
    return api_for(user or net.ec_editor).post(u("api-study-optimisations", id=net.study.pk), body or {}, format="json")


def solved(net, api_for, capture, body=None):
    """A run asked for through the API and solved by the in-process worker; its detail as a viewer reads it."""
    with capture(execute=True):
        made = post(net, api_for, body=body)
    assert made.status_code == 202, made.json()
    detail = api_for(net.ec_viewer).get(made.json()["links"]["self"])
    assert detail.status_code == 200 and detail.json()["status"] == "done", detail.json()
    return detail.json()


# ---------------------------------------------------------------- candidates


def test_the_candidates_a_client_writes_constraints_with(net, library, api_for):
    response = api_for(net.ec_auditor).get(u("api-study-optimisation-candidates", id=net.study.pk))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["study"], body["need_t"], body["product_t"], body["arcs"]) == (net.study.pk, 90, 250, 4)
    assert body["left_out"] == []
    assert body["links"]["optimisations"].endswith(f"/api/v1/studies/{net.study.pk}/optimisations/")
    rows = {row["key"]: row for row in body["candidates"]}
    assert set(rows) == {
        key("collector", net.stuttgart),
        key("collector", net.mannheim),
        key("sorter", net.hagen),
        key("recoverer", net.neuss),
        key("end_collector", net.forge),
    }
    stuttgart = rows[key("collector", net.stuttgart)]
    assert (stuttgart["facility_id"], stuttgart["facility"], stuttgart["organization"], stuttgart["role"]) == (
        net.stuttgart.pk,
        "Stuttgart yard",
        "Alu Collect",
        "collector",
    )
    assert (stuttgart["capacity_t"], stuttgart["yield"]) == (1200, 0.85)
    assert stuttgart["cost_eur_per_t"] == pytest.approx(STUTTGART_EUR_PER_T)
    assert rows[key("sorter", net.hagen)]["co2e_kg_per_t"] == pytest.approx(10)  # the library's shredding default
    assert rows[key("recoverer", net.neuss)]["co2e_kg_per_t"] == pytest.approx(345)


def test_a_study_without_an_end_collector_site_is_a_400_on_study(net, library, api_for):
    Facility.objects.filter(pk=net.forge.pk).update(is_end_collector=False)
    response = api_for(net.ec_viewer).get(u("api-study-optimisation-candidates", id=net.study.pk))
    assert response.status_code == 400 and "study" in response.json()
    before = written()
    response = post(net, api_for)
    assert response.status_code == 400 and "study" in response.json()
    assert written() == before


# ---------------------------------------------------------------- runs


def test_the_cost_optimum_through_the_api(net, library, api_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post(net, api_for)
    assert response.status_code == 202, response.json()
    made = response.json()
    assert (made["status"], made["progress_done"], made["progress_total"], made["progress_percent"]) == (
        "pending",
        0,
        1,
        0,
    )
    assert (made["objective"], made["carbon_price_eur_per_kg"], made["constraints"], made["pareto_points"]) == (
        "cost",
        0,
        {},
        0,
    )
    assert made["result"] is None and made["summary"] is None and made["error"] == ""
    assert made["created_by"] == "ec_editor" and made["started_at"] is None
    assert made["links"]["self"].endswith(f"/api/v1/studies/{net.study.pk}/optimisations/{made['id']}/")
    assert made["links"]["pareto"] == made["links"]["self"] + "pareto/"
    assert made["links"]["scenarios"] == made["links"]["self"] + "scenarios/"
    assert response["Location"] == made["links"]["self"]
    assert len(callbacks) == 1

    callbacks[0]()  # the worker, in-process
    done = api_for(net.ec_auditor).get(made["links"]["self"]).json()
    assert (done["status"], done["progress_done"], done["progress_percent"]) == ("done", 1, 100)
    assert done["started_at"] and done["finished_at"]
    solution = done["result"]["solution"]
    assert done["result"]["front_points"] == 0
    assert solution["status"] == "optimal" and solution["objective"] == "cost" and solution["explanation"] == []
    assert solution["gap"] == pytest.approx(0, abs=1e-3) and solution["solve_time_s"] >= 0
    assert set(solution["model_size"]) == {"rows", "columns", "integers", "nonzeros"}
    # Transport 0.10 EUR/tkm x (125 t x 407.42 + 100 x 74.17 + 90 x 87.69 km), Stuttgart's 147.06 t at 39.75 EUR/t,
    # Hagen's 125 t and Neuss's 100 t at 52.88 EUR/t (test_optimisation.py).
    assert solution["total_cost_eur"] == pytest.approx(COST_OPTIMUM_EUR)
    assert solution["costs_eur"]["transport"] == pytest.approx(0.10 * TKM_STUTTGART)
    assert solution["co2e_kg"] == pytest.approx(COST_OPTIMUM_CO2E_KG)
    assert solution["co2e_kg_by_source"]["transport"] == pytest.approx((0.10163 + 0.02359) * TKM_STUTTGART)
    opened = {row["facility"]: row for row in solution["open"]}
    assert set(opened) == {"Stuttgart yard", "Hagen sorter", "Neuss remelter", "Forge plant"}
    stuttgart = opened["Stuttgart yard"]
    assert (stuttgart["key"], stuttgart["facility_id"], stuttgart["organization"], stuttgart["role"]) == (
        key("collector", net.stuttgart),
        net.stuttgart.pk,
        "Alu Collect",
        "collector",
    )
    assert stuttgart["processed_t"] == pytest.approx(125 / 0.85) and stuttgart["capacity_t"] == 1200
    flows = {(f["origin_facility"], f["destination_facility"]): f for f in solution["flows"]}
    assert set(flows) == {
        ("Stuttgart yard", "Hagen sorter"),
        ("Hagen sorter", "Neuss remelter"),
        ("Neuss remelter", "Forge plant"),
    }
    haul = flows[("Stuttgart yard", "Hagen sorter")]
    assert (haul["origin"], haul["destination"], haul["material"], haul["mode"], haul["distance_km"]) == (
        key("collector", net.stuttgart),
        key("sorter", net.hagen),
        "al-vehicle-parts",
        "road",
        HAUL_KM["stuttgart"],
    )
    assert haul["flow_t"] == pytest.approx(125)
    assert flows[("Neuss remelter", "Forge plant")]["flow_t"] == pytest.approx(90)
    assert flows[("Neuss remelter", "Forge plant")]["material"] == "al-secondary-billet"

    # The list: the summary, neither the inputs nor the result.
    listed = api_for(net.ec_viewer).get(u("api-study-optimisations", id=net.study.pk)).json()
    assert listed["count"] == 1
    row = listed["results"][0]
    assert "result" not in row and "inputs" not in row
    assert row["summary"] == {
        "status": "optimal",
        "message": solution["message"],
        "total_cost_eur": pytest.approx(COST_OPTIMUM_EUR),
        "co2e_kg": pytest.approx(COST_OPTIMUM_CO2E_KG),
        "open": 4,
        "front_points": 0,
    }
    assert LogEntry.objects.filter(action="study.optimisation.requested", target_id=str(made["id"])).count() == 1


def test_least_co2e_and_side_constraints(net, library, api_for, django_capture_on_commit_callbacks):
    green = solved(net, api_for, django_capture_on_commit_callbacks, {"objective": "co2e"})["result"]["solution"]
    collectors = {o["facility"]: o["processed_t"] for o in green["open"] if o["role"] == "collector"}
    assert collectors == {"Mannheim yard": pytest.approx(250, abs=0.01)}
    tkm = 125 * HAUL_KM["mannheim"] + 100 * HAUL_KM["hagen-neuss"] + 90 * HAUL_KM["neuss-forge"]
    assert green["co2e_kg"] == pytest.approx((0.10163 + 0.02359) * tkm + 35750)

    asked = {"keep_closed": [key("collector", net.stuttgart)], "max_partners": {"sorter": 1, "collector": None}}
    closed = solved(net, api_for, django_capture_on_commit_callbacks, {"constraints": asked})
    assert closed["constraints"] == {"keep_closed": [key("collector", net.stuttgart)], "max_partners": {"sorter": 1}}
    assert [o["facility"] for o in closed["result"]["solution"]["open"] if o["role"] == "collector"] == [
        "Mannheim yard"
    ]


@pytest.mark.django_db(transaction=True)
def test_an_in_process_worker_finishes_before_the_answer(net, library, api_for):
    """Outside a test's transaction the service commits, the eager worker solves at once, and the answer is 201."""
    response = post(net, api_for, body={"objective": "cost"})
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["status"] == "done" and made["progress_percent"] == 100
    assert made["result"]["solution"]["total_cost_eur"] == pytest.approx(COST_OPTIMUM_EUR)
    assert response["Location"] == made["links"]["self"]


def test_a_carbon_price_the_front_and_a_point_as_a_scenario(net, library, api_for, django_capture_on_commit_callbacks):
    cheap = solved(net, api_for, django_capture_on_commit_callbacks)["result"]["solution"]
    run = solved(
        net,
        api_for,
        django_capture_on_commit_callbacks,
        {"objective": "weighted", "carbon_price_eur_per_kg": 4.0, "pareto_points": 5},
    )
    # Above 3.73 EUR/kg Mannheim's 1,527.9 kg CO2e saved are worth its 5,706.5 EUR more (test_optimisation.py).
    assert (run["objective"], run["carbon_price_eur_per_kg"], run["pareto_points"]) == ("weighted", 4.0, 5)
    # One solve for the proposal, then 5 + 1 for the front (least cost, least CO2e, the cheapest of those, 3 values)
    assert (run["progress_done"], run["progress_total"]) == (7, 7)
    assert run["result"]["solution"]["weights"] == [1.0, 4.0]
    assert [o["facility"] for o in run["result"]["solution"]["open"] if o["role"] == "collector"] == ["Mannheim yard"]
    assert run["result"]["front_points"] == 5

    trade = api_for(net.ec_auditor).get(run["links"]["pareto"])
    assert trade.status_code == 200, trade.json()
    trade = trade.json()
    assert (trade["run"], trade["status"], trade["scenarios"]) == (run["id"], "done", [])
    assert trade["solution"] == {
        "cost_eur": pytest.approx(run["result"]["solution"]["total_cost_eur"]),
        "co2e_kg": pytest.approx(run["result"]["solution"]["co2e_kg"]),
    }
    front = trade["front"]
    assert [p["point"] for p in front] == [0, 1, 2, 3, 4]
    # Least CO2e first, each point cheaper than the one before; the ends are the two optima.
    assert [round(p["co2e_kg"], 3) for p in front] == sorted(round(p["co2e_kg"], 3) for p in front)
    assert [p["cost_eur"] for p in front] == sorted((p["cost_eur"] for p in front), reverse=True)
    assert front[-1]["cost_eur"] == pytest.approx(cheap["total_cost_eur"])
    assert [o["facility"] for o in front[0]["open"] if o["role"] == "collector"] == ["Mannheim yard"]
    assert [o["facility"] for o in front[-1]["open"] if o["role"] == "collector"] == ["Stuttgart yard"]
    assert {o["facility"] for o in front[2]["open"] if o["role"] == "collector"} == {"Mannheim yard", "Stuttgart yard"}

    before = written()
    response = api_for(net.ec_admin).post(run["links"]["scenarios"], {"point": 4}, format="json")
    assert response.status_code == 201, response.json()
    made = response.json()
    assert (made["name"], made["status"], made["version"]) == (
        f"Optimised {run['id']}: trade-off point 5 of 5",
        "draft",
        1,
    )
    assert made["links"]["self"].endswith(f"/api/v1/scenarios/{made['id']}/")
    assert response["Location"] == made["links"]["self"]
    assert made["flows"]["can_submit"] is True and made["flows"]["delivered_t"] == pytest.approx(90)
    assert Scenario.objects.count() == before[2] + 1

    # The same point again: 409; a point the front does not have or no number: 400 on point. Nothing written.
    before = written()
    for body, code in (
        ({"point": 4}, 409),
        ({"point": 5}, 400),
        ({"point": -1}, 400),
        ({"point": "last"}, 400),
        ({"point": True}, 400),
        ({"point": 1.5}, 400),
    ):
        response = api_for(net.ec_editor).post(run["links"]["scenarios"], body, format="json")
        assert response.status_code == code and "point" in response.json(), (body, response.json())
        assert written() == before


def test_the_solution_as_a_draft_whose_assessment_joins_the_tradeoff(
    net, library, api_for, django_capture_on_commit_callbacks
):
    run = solved(net, api_for, django_capture_on_commit_callbacks)
    response = api_for(net.ec_editor).post(run["links"]["scenarios"], {}, format="json")
    assert response.status_code == 201, response.json()
    made = response.json()
    assert made["name"] == f"Optimised {run['id']}: least total cost"
    scenario = Scenario.objects.get(pk=made["id"])
    assert sorted(n.facility.name for n in scenario.nodes.all()) == [
        "Forge plant",
        "Hagen sorter",
        "Neuss remelter",
        "Stuttgart yard",
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_request(user=net.ec_editor, scenario=scenario)
    trade = api_for(net.ec_viewer).get(run["links"]["pareto"]).json()
    assert trade["front"] == []  # no front was asked for
    assert trade["scenarios"] == [
        {
            "id": scenario.pk,
            "name": str(scenario),
            "status": "draft",
            "stale": False,
            "cost_eur": pytest.approx(COST_OPTIMUM_EUR),
            "co2e_kg": pytest.approx(COST_OPTIMUM_CO2E_KG),
        }
    ]
    # null point: the solution again, already a scenario.
    before = written()
    response = api_for(net.ec_editor).post(run["links"]["scenarios"], {"point": None}, format="json")
    assert response.status_code == 409 and "already a scenario" in response.json()["detail"]
    assert written() == before


def test_a_run_not_done_makes_no_scenario(net, library, api_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        made = post(net, api_for).json()
    before = written()
    response = api_for(net.ec_editor).post(made["links"]["scenarios"], {}, format="json")
    assert response.status_code == 409 and response.json()["run"] == ["Wait until it is done."]
    assert written() == before
    trade = api_for(net.ec_viewer).get(made["links"]["pareto"]).json()
    assert (trade["status"], trade["solution"], trade["front"]) == ("pending", None, [])


def test_an_impossible_study_is_explained(net, library, api_for, django_capture_on_commit_callbacks):
    scenario_services.study_update(user=net.ec_editor, study=net.study, need_t_per_year=1000)
    run = solved(net, api_for, django_capture_on_commit_callbacks, {"pareto_points": 3})
    solution = run["result"]["solution"]
    assert solution["status"] == "infeasible" and solution["explanation"]
    assert (solution["total_cost_eur"], solution["co2e_kg"], solution["costs_eur"]) == (None, None, None)
    assert (solution["open"], solution["flows"], run["result"]["front_points"]) == ([], [], 0)
    assert run["summary"]["status"] == "infeasible" and run["summary"]["total_cost_eur"] is None
    trade = api_for(net.ec_viewer).get(run["links"]["pareto"]).json()
    assert (trade["solution"], trade["front"]) == (None, [])
    before = written()
    response = api_for(net.ec_editor).post(run["links"]["scenarios"], {}, format="json")
    assert response.status_code == 400 and "run" in response.json()
    assert "found no network" in response.json()["detail"]
    assert written() == before


def test_a_failed_run_reports_its_error(net, library, api_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        made = post(net, api_for).json()
    run = OptimisationRun.objects.get(pk=made["id"])
    run.inputs["arcs"][0]["distance_km"] = "far"  # a snapshot the engine refuses
    run.save(update_fields=["inputs"])
    callbacks[0]()
    failed = api_for(net.ec_viewer).get(made["links"]["self"]).json()
    assert failed["status"] == "failed" and failed["error"] and failed["result"] is None
    assert failed["summary"] is None


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "body, field",
    [
        ({"objective": "fast"}, "objective"),
        ({"objective": None}, "objective"),
        ({"objective": "weighted"}, "carbon_price_eur_per_kg"),
        ({"objective": "weighted", "carbon_price_eur_per_kg": 0}, "carbon_price_eur_per_kg"),
        ({"carbon_price_eur_per_kg": -1}, "carbon_price_eur_per_kg"),
        ({"carbon_price_eur_per_kg": "lots"}, "carbon_price_eur_per_kg"),
        ({"carbon_price_eur_per_kg": "nan"}, "carbon_price_eur_per_kg"),
        ({"carbon_price_eur_per_kg": "Infinity"}, "carbon_price_eur_per_kg"),
        ({"carbon_price_eur_per_kg": True}, "carbon_price_eur_per_kg"),
        ({"pareto_points": 1}, "pareto_points"),
        ({"pareto_points": 31}, "pareto_points"),
        ({"pareto_points": -2}, "pareto_points"),
        ({"pareto_points": 2.5}, "pareto_points"),
        ({"pareto_points": "many"}, "pareto_points"),
        ({"constraints": "all"}, "constraints"),
        ({"constraints": [1]}, "constraints"),
        ({"constraints": {"speed": 1}}, "constraints"),
        ({"constraints": {"keep_open": ["sorter:999999"]}}, "keep_open"),
        ({"constraints": {"keep_open": "sorter"}}, "keep_open"),
        ({"constraints": {"keep_closed": ["end_collector"]}}, "keep_closed"),
        ({"constraints": {"min_partners": {"collector": -1}}}, "min_partners"),
        ({"constraints": {"min_partners": {"shipper": 1}}}, "min_partners"),
        ({"constraints": {"min_partners": {"collector": 3}, "max_partners": {"collector": 1}}}, "min_partners"),
        ({"constraints": {"max_partners": {"sorter": 1.5}}}, "max_partners"),
        ({"constraints": {"max_share": {"sorter": 1.5}}}, "max_share"),
        ({"constraints": {"max_distance_km": 0}}, "max_distance_km"),
        ({"constraints": {"max_distance_km": "far"}}, "max_distance_km"),
        ({"constraints": {"recycled_share": 0}}, "recycled_share"),
        ('{"constraints": {"max_distance_km": 1e999}}', "constraints"),  # JSON that parses to infinity
        ('{"carbon_price_eur_per_kg": 1e999}', "carbon_price_eur_per_kg"),
    ],
)
def test_a_bad_request_is_a_400_on_its_field_and_writes_nothing(net, library, api_for, body, field):
    if isinstance(body, dict) and body.get("constraints", {}) == {"keep_closed": ["end_collector"]}:
        body = {"constraints": {"keep_closed": [key("end_collector", net.forge)]}}
    before = written()
    url = u("api-study-optimisations", id=net.study.pk)
    if isinstance(body, str):
        response = api_for(net.ec_editor).post(url, body, content_type="application/json")
    else:
        response = api_for(net.ec_editor).post(url, body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json(), response.json()
    assert written() == before and not OptimisationRun.objects.exists()


def test_a_reader_is_refused_before_the_body_is_read(net, library, api_for, django_capture_on_commit_callbacks):
    run = solved(net, api_for, django_capture_on_commit_callbacks)
    before = written()
    for who in ("ec_viewer", "ec_auditor"):
        api = api_for(net.user(who))
        response = api.post(run["links"]["scenarios"], {"point": "nonsense"}, format="json")
        assert response.status_code == 403, response.json()
        response = post(net, api_for, net.user(who), {"objective": [], "constraints": 7})
        assert response.status_code == 403, response.json()
    assert written() == before


def test_a_run_is_found_through_its_own_study_only(net, library, api_for, django_capture_on_commit_callbacks):
    run = solved(net, api_for, django_capture_on_commit_callbacks)
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
    before = written()
    for name in ("api-study-optimisation", "api-study-optimisation-pareto"):
        response = api.get(u(name, id=other.pk, run_id=run["id"]))
        assert response.status_code == 404 and response.json()["detail"] == "No such optimisation."
        assert api.get(u(name, id=net.study.pk, run_id=999_999)).status_code == 404
    response = api.post(u("api-study-optimisation-scenarios", id=other.pk, run_id=run["id"]), {}, format="json")
    assert response.status_code == 404 and response.json()["detail"] == "No such optimisation."
    assert api.get(u("api-study-optimisations", id=other.pk)).json()["results"] == []
    assert written() == before


def test_the_service_and_the_api_agree(net, library, api_for, django_capture_on_commit_callbacks):
    """The API adds names to the stored solution, nothing else: its figures are the service's."""
    run = solved(net, api_for, django_capture_on_commit_callbacks)
    stored = optimisation.run_get(user=net.ec_viewer, study=net.study, pk=run["id"]).result["solution"]
    shown = run["result"]["solution"]
    for name in (
        "status",
        "message",
        "objective",
        "explanation",
        "total_cost_eur",
        "co2e_kg",
        "costs_eur",
        "co2e_kg_by_source",
        "energy_mj",
        "water_m3",
        "model_size",
    ):
        assert shown[name] == stored[name], name
    assert [[f["arc"], f["flow_t"]] for f in shown["flows"]] == stored["flows"]
    assert [(o["key"], o["processed_t"]) for o in shown["open"]] == [
        (o["key"], o["processed_t"]) for o in stored["open"]
    ]


# ---------------------------------------------------------------- schema


def test_schema_documents_the_optimisation_endpoints(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    runs = "/api/v1/studies/{id}/optimisations/"
    for path in (
        "/api/v1/studies/{id}/optimisation-candidates/:",
        f"{runs}:",
        f"{runs}{{run_id}}/:",
        f"{runs}{{run_id}}/pareto/:",
        f"{runs}{{run_id}}/scenarios/:",
    ):
        assert f"  {path}\n" in schema, path
        section = schema[schema.index(f"  {path}\n") + 1 :]
        section = section[: section.index("\n  /")]
        assert "      - optimisation\n" in section, path
    for component in (
        "OptimisationCandidatesOutput:",
        "OptimisationInputRequest:",
        "OptimisationRunOutput:",
        "OptimisationRunDetailOutput:",
        "OptimisationSolution:",
        "OptimisationTradeoffOutput:",
        "OptimisationScenarioInputRequest:",
        "OptimisationStatusEnum:",
        "OptimisationConstraints:",
    ):
        assert f"    {component}\n" in schema, component
    listed = schema[schema.index(f"  {runs}:\n") :]
    post_section = listed[listed.index("    post:\n") : listed.index("\n  /api/")]
    assert "'201':" in post_section and "'202':" in post_section
    scenarios = schema[schema.index("  /api/v1/studies/{id}/optimisations/{run_id}/scenarios/:\n") :]
    assert "'201':" in scenarios[: scenarios.index("\n  /api/")] and "ScenarioOutput" in scenarios
