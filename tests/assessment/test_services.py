"""Assessment runs through the services and the task: the snapshot of the three-stage network of
tests/scenarios/conftest.py worked out by hand, staleness, failures, idempotency, overrides and bad input."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from assessment import inputs, selectors, services
from assessment.models import AssessmentRun, FactorOverride
from partners.errors import ApplicationError
from partners.models import Criterion, CriterionValue, LogEntry
from scenarios import services as scenario_services
from tests.scenarios.conftest import build_network

pytestmark = pytest.mark.django_db

# Typed distances, so that every figure is round: Stuttgart -> Hagen 300 km, Mannheim -> Hagen 200 km,
# Hagen -> Neuss 60 km, Neuss -> forge 90 km (all road). Quantities (conftest): 75, 50, 100, 90 t/year.
DISTANCES_KM = {"stuttgart": 300, "mannheim": 200, "hagen": 60, "neuss": 90}


@pytest.fixture
def assessed(net, library, django_capture_on_commit_callbacks):
    scenario, nodes, routes = build_network(net)
    for key, km in DISTANCES_KM.items():
        scenario_services.route_update(user=net.ec_editor, route=routes[key], distance_km=Decimal(km))
    net.hagen.fixed_cost_eur_per_year = Decimal("10000")
    net.hagen.save()
    price = Criterion.objects.get(code="price")
    CriterionValue.objects.create(sheet=net.world.partner.sheet, criterion=price, value=Decimal("200"))
    with django_capture_on_commit_callbacks(execute=True):
        run = services.assessment_request(user=net.ec_editor, scenario=scenario)
    run.refresh_from_db()
    return scenario, nodes, routes, run


def indicator(run, code):
    return next(row for row in run.result["indicators"] if row["code"] == code)


def test_costs_of_the_three_stage_network(assessed):
    scenario, nodes, routes, run = assessed
    assert run.status == "done", run.error
    # Transport, road 0.10 EUR/tkm (library): 75 x 300 + 50 x 200 + 100 x 60 + 90 x 90 = 46,600 tkm -> 4,660 EUR.
    assert indicator(run, "cost.transport_eur")["value"] == pytest.approx(4660)
    # Facilities: Hagen's 10,000 EUR/year; the others declare none.
    assert indicator(run, "cost.facilities_eur")["value"] == pytest.approx(10000)
    # No purchasing in the network cost: Alu Collect's sheet price 200 EUR/t x what its two yards send (75 + 50 t)
    # = 25,000 EUR is a transfer (bought by Hagen's company, sold by Alu Collect).
    assert "cost.purchasing_eur" not in {row["code"] for row in run.result["indicators"]}
    # Activities x throughput: Stuttgart's dismantling 40 EUR/t (tests/conftest.py) x 75 / 0.85 collected, mass-
    # allocated to the aluminium share 0.85 (= 40 x 75); 50 EUR/t (tests/scenarios/conftest.py) at Mannheim (100 t,
    # allocated to its share 0.5), Hagen (125 t) and Neuss (100 t); the forge processes nothing.
    activities = 40 * 75 + 50 * (100 * 0.5 + 125 + 100)
    assert indicator(run, "cost.activities_eur")["value"] == pytest.approx(activities)
    # Stock, 150 EUR/t/year over the days of each role (collector 14, sorter 7, recoverer 7, end collector 0).
    stock = 150 * ((75 / 0.85) * 14 + 100 * 14 + 125 * 7 + 100 * 7) / 365
    assert indicator(run, "cost.stock_eur")["value"] == pytest.approx(stock)
    total = 4660 + 10000 + activities + stock
    assert indicator(run, "cost.total_eur")["value"] == pytest.approx(total)
    partners = {row["partner"]: row for row in run.result["per_partner"]}
    # Alu Collect: its yards' transport (75 x 300 + 50 x 200) x 0.10 = 3,250, sales 25,000 (its buyer's purchases),
    # activities and stock of the two yards.
    alu = partners["Alu Collect"]
    assert alu["transport_eur"] == pytest.approx(3250) and alu["sales_eur"] == pytest.approx(25000)
    assert alu["stock_eur"] == pytest.approx(150 * ((75 / 0.85) * 14 + 100 * 14) / 365)
    assert sum(p["total_eur"] for p in partners.values()) == pytest.approx(total)
    assert sum(p["purchases_eur"] for p in partners.values()) == pytest.approx(25000)
    assert sum(p["net_eur"] for p in partners.values()) == pytest.approx(total)  # transfers cancel


def test_recycling_rate_and_life_cycle_of_the_three_stage_network(assessed):
    scenario, nodes, routes, run = assessed
    # 90 t delivered for 2.5 kg x 100,000 units = 250 t of product.
    assert indicator(run, "recycling_rate")["value"] == pytest.approx(0.36)
    # End of life, CO2e: road 0.10163 + 0.02359 well-to-tank kg/tkm (DESNZ 2025) x 46,600 tkm, plus the library's
    # process defaults for the activities that declare no impact: shredding 10 kg/t x 125 t at Hagen, remelting
    # 345 kg/t x 100 t at Neuss.
    eol = (0.10163 + 0.02359) * 46600 + 10 * 125 + 345 * 100
    row = indicator(run, "end_of_life.climate_change_kg_co2e")
    assert row["value"] == pytest.approx(eol)
    assert row["per_unit"] == pytest.approx(eol / 100_000)
    assert (row["baseline"], row["difference_pct"]) == (0, None)
    # Energy: 46,600 tkm x 1.3715 MJ/tkm (0.10163 / 0.0741, rounded) + 150 MJ/t x 125 + 7,500 MJ/t x 100.
    energy = indicator(run, "end_of_life.nonrenewable_energy_mj")
    assert energy["value"] == pytest.approx(46600 * 1.3715 + 150 * 125 + 7500 * 100)
    # Whole life: 250,000 kg x (0.64 x 6.9 primary + 0.36 x 0 secondary) + end of life, against 250,000 x 6.9.
    whole = indicator(run, "whole_life.climate_change_kg_co2e")
    assert whole["value"] == pytest.approx(250_000 * 0.64 * 6.9 + eol)
    assert whole["baseline"] == pytest.approx(250_000 * 6.9)
    assert whole["difference"] == pytest.approx(250_000 * 0.64 * 6.9 + eol - 250_000 * 6.9)
    assert whole["difference_pct"] == pytest.approx(100 * (0.64 * 6.9 * 250_000 + eol - 1_725_000) / 1_725_000)


def test_the_snapshot_says_where_each_figure_comes_from(assessed):
    scenario, nodes, routes, run = assessed
    by_facility = {n["facility"]: n for n in run.inputs["nodes"]}
    assert by_facility["Hagen sorter"]["impact_origin"] == "library"
    assert by_facility["Hagen sorter"]["processes"] == ["shredding"]
    assert run.inputs["factors"]["transport.co2e.road"]["source"].startswith("UK DESNZ/DEFRA")
    # A partner's declared figures take precedence and are marked as primary data.
    activity = nodes["neuss"].facility.activities.get()
    activity.co2e_kg_per_t = Decimal("300")
    activity.save()
    snapshot = inputs.snapshot(scenario)
    neuss = next(n for n in snapshot["nodes"] if n["facility"] == "Neuss remelter")
    assert (neuss["impact_origin"], neuss["impacts_per_t"][0]) == ("primary data", 300.0)


def test_a_change_makes_the_result_stale(assessed, net):
    scenario, nodes, routes, run = assessed
    status = selectors.assessment_status(user=net.ec_viewer, scenario=scenario)
    assert status.good == run and not status.stale
    scenario_services.route_update(user=net.ec_editor, route=routes["hagen"], distance_km=Decimal(70))
    assert selectors.assessment_status(user=net.ec_viewer, scenario=scenario).stale
    # A factor override of the study makes it stale too, and a new run takes it.
    scenario_services.route_update(user=net.ec_editor, route=routes["hagen"], distance_km=Decimal(60))
    assert not selectors.assessment_status(user=net.ec_viewer, scenario=scenario).stale
    services.factor_override_set(
        user=net.ec_editor,
        study=net.study,
        code="transport.cost.road",
        value=0.2,
        unit="EUR/tkm",
        source="Our carrier's 2026 contract",
    )
    assert selectors.assessment_status(user=net.ec_viewer, scenario=scenario).stale


def test_a_failed_run_keeps_the_last_good_result(assessed, net):
    scenario, nodes, routes, run = assessed
    broken = AssessmentRun.objects.create(scenario=scenario, inputs={"nodes": []}, inputs_hash="x")
    assert services.assessment_execute(run_id=broken.pk) == "failed"
    broken.refresh_from_db()
    assert broken.error.startswith("KeyError") and broken.result is None
    status = selectors.assessment_status(user=net.ec_auditor, scenario=scenario)
    assert (status.latest, status.good) == (broken, run)


def test_a_run_delivered_twice_is_computed_once(assessed):
    scenario, nodes, routes, run = assessed
    finished = run.finished_at
    assert services.assessment_execute(run_id=run.pk) == "done"
    run.refresh_from_db()
    assert run.finished_at == finished and AssessmentRun.objects.count() == 1


def test_a_network_that_does_not_reach_the_end_collector_is_refused(net, library):
    scenario, nodes, routes = build_network(net)
    scenario_services.route_delete(user=net.ec_editor, route=routes["neuss"])
    with pytest.raises(ApplicationError, match="cannot be assessed: .*Recoverer: Neuss remelter is not connected"):
        services.assessment_request(user=net.ec_editor, scenario=scenario)
    assert not AssessmentRun.objects.exists()


@pytest.mark.parametrize(
    "code,value,unit,field",
    [
        ("transport.cost.road", -0.1, "EUR/tkm", "value"),
        ("transport.cost.road", 0.1, "EUR/km", "unit"),
        ("transport.cost.air", 0.1, "EUR/tkm", "code"),
        ("backhaul.share", 1.5, "share", "value"),
        ("material.primary.co2e", "lots", "kg CO2e/kg", "value"),
    ],
)
def test_bad_factor_overrides_are_refused_with_the_field_named(net, library, code, value, unit, field):
    entries = LogEntry.objects.count()
    with pytest.raises(ApplicationError) as info:
        services.factor_override_set(
            user=net.ec_editor, study=net.study, code=code, value=value, unit=unit, source="test"
        )
    assert field in info.value.field_errors
    assert not FactorOverride.objects.exists() and LogEntry.objects.count() == entries


@pytest.mark.parametrize("who", ["ec_viewer", "ec_auditor"])
def test_readers_cannot_ask_for_runs(net, library, who):
    scenario, _, _ = build_network(net)
    with pytest.raises(PermissionDenied):
        services.assessment_request(user=net.user(who), scenario=scenario)
    assert not AssessmentRun.objects.exists()


def test_a_factor_missing_from_the_library_is_a_clear_refusal(net, library):
    scenario, _, _ = build_network(net)
    library.factors.filter(code="stock.holding").delete()
    with pytest.raises(ApplicationError, match="The factor library has no stock.holding"):
        services.assessment_request(user=net.ec_editor, scenario=scenario)
    assert not AssessmentRun.objects.exists()
