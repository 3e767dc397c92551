"""The assessment REST API, version 1: a run of the three-stage network asked for and read back through the API with
the hand-worked figures of tests/assessment/test_services.py, staleness, refused input, factor libraries and
overrides, the comparison of two assessed scenarios as JSON and CSV, and the schema.

The network (tests/scenarios/conftest.py): Stuttgart (75 t/year) and Mannheim (50) -> Hagen (receives 125, delivers
100) -> Neuss (delivers 90) -> Forge plant, with the typed road distances of test_services.py: 300, 200, 60 and
90 km, i.e. 75 x 300 + 50 x 200 + 100 x 60 + 90 x 90 = 46,600 tkm. Hagen's fixed cost is 10,000 EUR/year and Alu
Collect's sheet price 200 EUR/t. Runs are computed in-process once the request's transaction commits.
"""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessment import inputs, services
from assessment.models import AssessmentRun, Factor, FactorOverride
from partners.models import Criterion, CriterionValue, LogEntry
from scenarios import services as scenario_services
from tests.assessment.test_services import DISTANCES_KM
from tests.scenarios.conftest import build_network

pytestmark = pytest.mark.django_db


def u(name, **kwargs):
    return reverse(name, kwargs=kwargs)


def draw(net, name="Nearby", **distances):
    """The three-stage network with the typed distances of test_services.py, some replaced by `distances`."""
    scenario, nodes, routes = build_network(net, name=name)
    for key, km in {**DISTANCES_KM, **distances}.items():
        scenario_services.route_update(user=net.ec_editor, route=routes[key], distance_km=Decimal(km))
    return scenario, nodes, routes


@pytest.fixture
def costs(net, library):
    """Hagen's fixed cost and Alu Collect's sheet price, as in test_services.py's `assessed`."""
    net.hagen.fixed_cost_eur_per_year = Decimal("10000")
    net.hagen.save()
    CriterionValue.objects.create(
        sheet=net.world.partner.sheet, criterion=Criterion.objects.get(code="price"), value=Decimal("200")
    )
    return net


@pytest.fixture
def ask(api_for, django_capture_on_commit_callbacks):
    """ask(user, scenario) -> the answer to POST /assessments; the run is computed when the request commits."""

    def post(user, scenario, url_name="api-scenario-assessments"):
        with django_capture_on_commit_callbacks(execute=True):
            return api_for(user).post(u(url_name, id=scenario.pk), format="json")

    return post


def indicator(result, code):
    return next(row for row in result["indicators"] if row["code"] == code)


# Hand-worked figures of the network above (test_services.py).
ACTIVITIES = 40 * 75 + 50 * (100 * 0.5 + 125 + 100)  # collectors' costs mass-allocated (x 0.85, x 0.5)
STOCK = 150 * ((75 / 0.85) * 14 + 100 * 14 + 125 * 7 + 100 * 7) / 365  # 150 EUR/t/year over each role's days
TOTAL = 4660 + 10000 + ACTIVITIES + STOCK  # network cost: transport, Hagen, activities, stock
EOL_CO2E = (
    (0.10163 + 0.02359) * 46600 + 10 * 125 + 345 * 100
)  # road tkm, shredding 125 t at Hagen, remelting 100 t at Neuss


# ---------------------------------------------------------------- a run through the API


def test_a_run_asked_for_through_the_api_gives_the_hand_worked_figures(costs, ask, api_for):
    net = costs
    scenario, _, _ = draw(net)
    response = ask(net.ec_editor, scenario)
    assert response.status_code == 201, response.json()
    asked = response.json()
    # The answer leaves before the transaction commits: the run is pending, its inputs already fixed.
    assert (asked["status"], asked["requested_by"], asked["error"]) == ("pending", "ec_editor", "")
    assert len(asked["inputs_hash"]) == 64 and asked["scenario"] == scenario.pk
    assert asked["links"]["self"] == (f"http://testserver/api/v1/scenarios/{scenario.pk}/assessments/{asked['id']}/")
    entry = LogEntry.objects.get(action="scenario.assessment.requested")
    assert (entry.actor, entry.target_id, entry.organization) == (net.ec_editor, str(asked["id"]), net.ec)

    api = api_for(net.ec_viewer)
    listed = api.get(u("api-scenario-assessments", id=scenario.pk)).json()
    assert listed["count"] == 1 and listed["results"][0]["status"] == "done"
    assert listed["results"][0]["finished_at"] is not None

    run = api.get(asked["links"]["self"]).json()
    assert (run["status"], run["error"], run["inputs_hash"]) == ("done", "", asked["inputs_hash"])
    result = run["result"]
    # Transport, road 0.10 EUR/tkm: 46,600 tkm -> 4,660 EUR; Hagen's 10,000; purchasing 200 EUR/t x 125 t is a transfer.
    assert indicator(result, "cost.transport_eur")["value"] == pytest.approx(4660)
    assert indicator(result, "cost.facilities_eur")["value"] == pytest.approx(10000)
    assert "cost.purchasing_eur" not in {row["code"] for row in result["indicators"]}  # a transfer
    total = indicator(result, "cost.total_eur")
    assert total["value"] == pytest.approx(TOTAL)
    assert (total["unit"], total["phase"], total["origin"]) == ("EUR/year", "end_of_life", "logistics model")
    assert "per_unit" not in total  # only LCA rows carry the per-unit and baseline figures
    # 90 t delivered for 2.5 kg x 100,000 units = 250 t of product.
    assert indicator(result, "recycling_rate")["value"] == pytest.approx(0.36)
    eol = indicator(result, "end_of_life.climate_change_kg_co2e")
    assert eol["value"] == pytest.approx(EOL_CO2E)
    assert (eol["per_unit"], eol["per_unit_unit"]) == (pytest.approx(EOL_CO2E / 100_000), "kg CO2e/unit")
    assert (eol["baseline"], eol["difference_pct"]) == (0, None)
    # Whole life: 250,000 kg x 0.64 primary x 6.9 kg CO2e/kg + end of life, against 250,000 x 6.9 all primary.
    whole = indicator(result, "whole_life.climate_change_kg_co2e")
    assert whole["value"] == pytest.approx(250_000 * 0.64 * 6.9 + EOL_CO2E)
    assert whole["baseline"] == pytest.approx(1_725_000)
    # Alu Collect: its yards' transport (75 x 300 + 50 x 200) x 0.10 = 3,250 and its sales 200 x 125 t.
    alu = next(p for p in result["per_partner"] if p["partner"] == "Alu Collect")
    assert (alu["transport_eur"], alu["sales_eur"]) == (pytest.approx(3250), pytest.approx(25000))
    assert result["cost_views"]["network_eur"] == pytest.approx(TOTAL)
    assert sum(p["total_eur"] for p in result["per_partner"]) == pytest.approx(TOTAL)

    # The snapshot comes back exactly as stored: it hashes to the run's inputs_hash and recomputes the result.
    snapshot = api.get(run["links"]["inputs"]).json()
    assert inputs.digest(snapshot) == run["inputs_hash"]
    assert inputs.compute(snapshot) == AssessmentRun.objects.get(pk=run["id"]).result
    assert [r["distance_km"] for r in snapshot["routes"]] == [300, 200, 60, 90]
    assert snapshot["factors"]["transport.cost.road"]["origin"] == "library"


def test_the_path_with_a_trailing_slash_answers_the_same(costs, ask, api_for):
    scenario, _, _ = draw(costs)
    response = ask(costs.ec_admin, scenario, "api-scenario-assessments-slash")
    assert response.status_code == 201
    listed = api_for(costs.ec_auditor).get(u("api-scenario-assessments-slash", id=scenario.pk)).json()
    assert [r["id"] for r in listed["results"]] == [response.json()["id"]]


def test_the_status_turns_stale_after_a_route_change(costs, ask, api_for):
    net = costs
    scenario, _, routes = draw(net)
    api = api_for(net.ec_viewer)
    url = u("api-scenario-assessment-status", id=scenario.pk)
    before = api.get(url).json()
    assert before["stale"] is False and (before["latest"], before["last_good_run"], before["problem"]) == (
        None,
        None,
        "",
    )
    run = ask(net.ec_editor, scenario).json()
    status = api.get(url).json()
    assert (status["stale"], status["last_good_run"], status["latest"]["id"]) == (False, run["id"], run["id"])
    assert status["latest"]["status"] == "done" and status["current_inputs_hash"] == run["inputs_hash"]

    changed = api_for(net.ec_editor).patch(
        u("api-scenario-route", id=scenario.pk, route_id=routes["hagen"].pk), {"distance_km": 70}, format="json"
    )
    assert changed.status_code == 200
    status = api.get(url).json()
    assert status["stale"] is True and status["current_inputs_hash"] != run["inputs_hash"]
    # A new run takes the change: 10 km more for 100 t, 100 EUR more transport, and the result is current again.
    again = ask(net.ec_editor, scenario).json()
    assert api.get(url).json() | {"latest": None} == {
        "stale": False,
        "latest": None,
        "last_good_run": again["id"],
        "current_inputs_hash": again["inputs_hash"],
        "problem": "",
    }
    result = api.get(u("api-scenario-assessment", id=scenario.pk, run_id=again["id"])).json()["result"]
    assert indicator(result, "cost.transport_eur")["value"] == pytest.approx(4760)


def test_a_failed_run_shows_its_error_and_the_last_good_result_stays(costs, ask, api_for):
    net = costs
    scenario, _, _ = draw(net)
    good = ask(net.ec_editor, scenario).json()
    broken = AssessmentRun.objects.create(scenario=scenario, inputs={"nodes": []}, inputs_hash="x")
    services.assessment_execute(run_id=broken.pk)
    api = api_for(net.ec_auditor)
    failed = api.get(u("api-scenario-assessment", id=scenario.pk, run_id=broken.pk)).json()
    assert failed["status"] == "failed" and failed["error"].startswith("KeyError") and failed["result"] is None
    status = api.get(u("api-scenario-assessment-status", id=scenario.pk)).json()
    assert (status["latest"]["id"], status["latest"]["status"], status["last_good_run"]) == (
        broken.pk,
        "failed",
        good["id"],
    )


def test_a_network_without_a_path_to_the_end_collector_is_refused(costs, ask, api_for):
    net = costs
    scenario, _, routes = draw(net)
    scenario_services.route_delete(user=net.ec_editor, route=routes["neuss"])
    entries = LogEntry.objects.count()
    response = ask(net.ec_editor, scenario)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("This network cannot be assessed: ")
    assert "Recoverer: Neuss remelter is not connected" in body["detail"]
    assert body["scenario"] == [body["detail"]]
    assert not AssessmentRun.objects.exists() and LogEntry.objects.count() == entries
    status = api_for(net.ec_viewer).get(u("api-scenario-assessment-status", id=scenario.pk)).json()
    assert status["current_inputs_hash"] is None and "Neuss remelter is not connected" in status["problem"]


# ---------------------------------------------------------------- factor libraries and overrides


def test_factor_libraries_and_their_factors(library, net, api_for):
    api = api_for(net.world.stranger)  # reference data: any signed-in user
    libraries = api.get(u("api-factor-libraries")).json()
    assert [(lib["name"], lib["is_default"]) for lib in libraries["results"]] == [("Closeloop defaults", True)]
    factors = api.get(libraries["results"][0]["links"]["factors"]).json()
    assert factors["count"] == Factor.objects.filter(library=library).count()
    page, rows = factors, {}
    while True:
        rows.update({f["code"]: f for f in page["results"]})
        if not page["next"]:
            break
        page = api.get(page["next"]).json()
    assert len(rows) == factors["count"]
    assert rows["transport.co2e.road"] | {"source": ""} == {
        "code": "transport.co2e.road",
        "value": 0.10163,
        "unit": "kg CO2e/tkm",
        "region": "UK",
        "year": 2025,
        "source": "",
        "is_assumption": False,
    }
    assert rows["transport.co2e.road"]["source"].startswith("UK DESNZ/DEFRA")
    assert rows["transport.cost.road"]["is_assumption"] is True


def test_an_override_set_through_the_api_is_used_by_the_next_run(costs, ask, api_for):
    net = costs
    api = api_for(net.ec_editor)
    url = u("api-study-factors", id=net.study.pk)
    body = {"code": "transport.cost.road", "value": 0.2, "unit": "EUR/tkm", "source": "Our carrier's 2026 contract"}
    response = api.post(url, body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert {k: created[k] for k in body} == body and created["study"] == net.study.pk
    # Setting the same code again replaces the figure.
    replaced = api.post(url, {**body, "value": 0.15}, format="json")
    assert replaced.status_code == 201 and replaced.json()["id"] == created["id"]
    listed = api_for(net.ec_viewer).get(url).json()
    assert [(o["code"], o["value"]) for o in listed["results"]] == [("transport.cost.road", 0.15)]
    changes = LogEntry.objects.filter(action="study.factor.changed").order_by("pk")
    assert [entry.changes["value"] for entry in changes] == [[None, 0.2], [0.2, 0.15]]

    # 46,600 tkm at the study's 0.15 EUR/tkm instead of the library's 0.10: 6,990 EUR.
    scenario, _, _ = draw(net)
    run = ask(net.ec_editor, scenario).json()
    detail = api.get(run["links"]["self"]).json()
    assert indicator(detail["result"], "cost.transport_eur")["value"] == pytest.approx(6990)
    snapshot = api.get(run["links"]["inputs"]).json()
    assert snapshot["factors"]["transport.cost.road"] == {
        "value": 0.15,
        "unit": "EUR/tkm",
        "source": "Our carrier's 2026 contract",
        "origin": "study",
        "is_assumption": False,
    }

    # Deleting it returns the code to the library's figure; the result is stale from then on.
    deleted = api.delete(u("api-study-factor", id=net.study.pk, override_id=created["id"]))
    assert deleted.status_code == 204
    assert not FactorOverride.objects.exists()
    assert LogEntry.objects.filter(action="study.factor.deleted", target_id=str(created["id"])).exists()
    assert api.get(u("api-scenario-assessment-status", id=scenario.pk)).json()["stale"] is True


@pytest.mark.parametrize(
    "change, field",
    [
        ({"value": -0.1}, "value"),
        ({"unit": "EUR/km"}, "unit"),
        ({"unit": ""}, "unit"),
        ({"code": "transport.cost.air"}, "code"),
        ({"code": "backhaul.share", "unit": "share", "value": 1.5}, "value"),
        ({"value": "lots"}, "value"),
        ({"source": "  "}, "source"),
    ],
)
def test_bad_overrides_are_refused_with_the_field_named(library, net, api_for, change, field):
    entries = LogEntry.objects.count()
    body = {"code": "transport.cost.road", "value": 0.2, "unit": "EUR/tkm", "source": "Carrier", **change}
    response = api_for(net.ec_editor).post(u("api-study-factors", id=net.study.pk), body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not FactorOverride.objects.exists() and LogEntry.objects.count() == entries


# ---------------------------------------------------------------- comparison


@pytest.fixture
def two_assessed(costs, ask):
    """ "Nearby" as above and "Far", the same network with Hagen -> Neuss typed at 160 km instead of 60."""
    nearby, _, _ = draw(costs, "Nearby")
    far, _, _ = draw(costs, "Far", hagen=160)
    for scenario in (nearby, far):
        assert ask(costs.ec_editor, scenario).status_code == 201
    return nearby, far


# "Far" carries 100 t 100 km further: 56,600 tkm, 1,000 EUR more transport and 0.12522 x 10,000 = 1,252.2 kg CO2e
# more; everything else (facilities, purchasing, activities, stock, processes, recycling rate) is the same.
FAR_TOTAL = TOTAL + 1000
FAR_EOL_CO2E = EOL_CO2E + (0.10163 + 0.02359) * 10_000
EOL_ENERGY = 46_600 * 1.3715 + 150 * 125 + 7_500 * 100  # road MJ/tkm, shredding and remelting MJ/t
FAR_EOL_ENERGY = EOL_ENERGY + 10_000 * 1.3715
PRIMARY = 250_000 * 0.64  # kg of primary aluminium still needed (64 % of 250 t of product)


def test_comparison_of_two_assessed_scenarios_as_json(two_assessed, api_for, net):
    nearby, far = two_assessed
    response = api_for(net.ec_viewer).get(
        u("api-study-comparison", id=net.study.pk), {"scenarios": f"{nearby.pk},{far.pk}"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["scenarios"] == ["Nearby v1", "Far v1"]
    rows = {row["code"]: row for row in body["indicators"]}
    assert rows["cost.transport_eur"]["values"] == [pytest.approx(4660), pytest.approx(5660)]
    assert rows["cost.total_eur"]["values"] == [pytest.approx(TOTAL), pytest.approx(FAR_TOTAL)]
    assert rows["recycling_rate"]["values"] == [pytest.approx(0.36), pytest.approx(0.36)]
    assert rows["end_of_life.climate_change_kg_co2e"]["values"] == [
        pytest.approx(EOL_CO2E),
        pytest.approx(FAR_EOL_CO2E),
    ]
    radars = {radar["phase"]: radar for radar in body["radars"]}
    eol = radars["end_of_life"]
    assert [axis["code"] for axis in eol["axes"]] == [
        "cost.total_eur",
        "recycling_rate",
        "end_of_life.climate_change_kg_co2e",
        "end_of_life.nonrenewable_energy_mj",
        "end_of_life.fresh_water_m3",
    ]
    # Lower is better except the recycling rate: "Nearby" is best on every axis (1); "Far" scores best / its own
    # value: network cost 33,140.26 / 34,140.26 = 0.97071, the rate the same (1), CO2e 40,485.96 / 41,502.26 = 0.97551,
    # energy 832,661.9 / 846,376.9 = 0.98380, water the same (shredding 0.05 x 125 + remelting 1.0 x 100 m3 in both).
    assert eol["scenarios"][0] == {"name": "Nearby v1", "scores": [1.0, 1.0, 1.0, 1.0, 1.0]}
    assert eol["scenarios"][1]["scores"] == pytest.approx(
        [TOTAL / FAR_TOTAL, 1.0, EOL_CO2E / FAR_EOL_CO2E, EOL_ENERGY / FAR_EOL_ENERGY, 1.0], abs=1e-6
    )
    assert eol["scenarios"][1]["scores"][0] == pytest.approx(0.970709, abs=1e-5)
    # Whole life adds the primary aluminium, the same in both: 160,000 kg x 6.9 kg CO2e and x 150 MJ.
    whole = radars["whole_life"]
    assert whole["scenarios"][1]["scores"] == pytest.approx(
        [
            TOTAL / FAR_TOTAL,
            1.0,
            (PRIMARY * 6.9 + EOL_CO2E) / (PRIMARY * 6.9 + FAR_EOL_CO2E),
            (PRIMARY * 150 + EOL_ENERGY) / (PRIMARY * 150 + FAR_EOL_ENERGY),
            1.0,
        ],
        abs=1e-6,
    )
    assert [a["direction"] for a in whole["axes"]][:2] == ["lower is better", "higher is better"]


@pytest.mark.parametrize("how", ["query", "accept"])
def test_comparison_as_csv(two_assessed, api_for, net, how):
    nearby, far = two_assessed
    api = api_for(net.ec_admin)
    url = u("api-study-comparison", id=net.study.pk)
    query = {"scenarios": f"{far.pk},{nearby.pk}"}
    if how == "query":
        response = api.get(url, {**query, "format": "csv"})
    else:
        response = api.get(url, query, HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="study-{net.study.pk}-comparison.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["indicator", "phase", "unit", "origin", "Far v1", "Nearby v1"]  # in the order asked
    by_label = {(line[0], line[1]): line for line in lines[1:]}
    transport = by_label[("Transport", "end_of_life")]
    assert transport[2:4] == ["EUR/year", "logistics model"]
    assert [float(v) for v in transport[4:]] == [pytest.approx(5660), pytest.approx(4660)]
    total = by_label[("Total RL cost", "end_of_life")]
    assert [float(v) for v in total[4:]] == [pytest.approx(FAR_TOTAL), pytest.approx(TOTAL)]
    assert len(lines) == 1 + 6 + 1 + 6  # header, six costs, the recycling rate, three LCA rows per phase


def test_comparison_with_a_scenario_not_assessed_is_refused(two_assessed, api_for, net):
    nearby, far = two_assessed
    fresh, _, _ = draw(net, "Fresh")
    api = api_for(net.ec_editor)
    url = u("api-study-comparison", id=net.study.pk)
    response = api.get(url, {"scenarios": f"{nearby.pk},{fresh.pk}"})
    assert response.status_code == 400
    assert response.json() == {"scenarios": ["Fresh v1 has no assessment yet; assess it first."]}
    # Asked as CSV, the refusal still answers in JSON.
    response = api.get(url, {"scenarios": f"{nearby.pk},{fresh.pk}", "format": "csv"})
    assert (response.status_code, response["Content-Type"]) == (400, "application/json")
    assert response.json()["scenarios"] == ["Fresh v1 has no assessment yet; assess it first."]


@pytest.mark.parametrize(
    "scenarios, message",
    [
        ("", "Choose at least two scenarios."),
        ("ONE", "Give scenario ids separated by commas, e.g. 3,4."),
        ("1,two", "Give scenario ids separated by commas, e.g. 3,4."),
        ("999999,{nearby}", "Scenario 999999 is not a scenario of this study."),
        ("{nearby}", "Choose at least two scenarios."),
    ],
)
def test_comparison_needs_two_scenarios_of_the_study(two_assessed, api_for, net, scenarios, message):
    nearby, far = two_assessed
    response = api_for(net.ec_viewer).get(
        u("api-study-comparison-slash", id=net.study.pk), {"scenarios": scenarios.format(nearby=nearby.pk)}
    )
    assert response.status_code == 400
    assert response.json() == {"scenarios": [message]}


# ---------------------------------------------------------------- schema


def test_schema_generates_without_warnings_and_documents_the_assessment_api(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    assert "  /api/v1/scenarios/{id}/assessments:\n" in schema
    assert "/api/v1/scenarios/{id}/assessments/:" not in schema  # the slash variant is not documented twice
    for path in (
        "/api/v1/scenarios/{id}/assessments/{run_id}/:",
        "/api/v1/scenarios/{id}/assessments/{run_id}/inputs/:",
        "/api/v1/scenarios/{id}/assessment-status/:",
        "/api/v1/factor-libraries/:",
        "/api/v1/factor-libraries/{id}/factors/:",
        "/api/v1/studies/{id}/factors/:",
        "/api/v1/studies/{id}/factors/{override_id}/:",
        "/api/v1/studies/{id}/comparison:",
    ):
        assert path in schema
    for operation in (
        "scenarios_assessments_create",
        "scenarios_assessments_list",
        "studies_factors_create",
        "studies_factors_destroy",
        "studies_comparison_retrieve",
    ):
        assert f"operationId: {operation}" in schema
    for component in ("AssessmentStatusEnum", "FactorOverrideInputRequest", "RunDetailOutput", "ComparisonOutput"):
        assert f"    {component}:" in schema
    assert "text/csv" in schema
