"""The assessment pages with the hand-worked network of tests/assessment/test_services.py: the figures on the page,
staleness, a failed run, the polling while a run is under way, the factor override form and the comparison.

Distances (test_services.DISTANCES_KM): Stuttgart -> Hagen 300 km, Mannheim -> Hagen 200, Hagen -> Neuss 60,
Neuss -> forge 90, all road, carrying 75, 50, 100 and 90 t/year: 46,600 tkm. The second scenario of the comparison
("Far") is the same network with every distance doubled: 93,200 tkm, everything else equal.
"""

import csv
import io
import json
import re
from decimal import Decimal
from html import unescape

import pytest

from assessment import inputs, services
from assessment.models import AssessmentRun, FactorOverride
from partners.models import LogEntry
from scenarios import services as scenario_services
from tests.assessment.test_services import DISTANCES_KM, assessed  # noqa: F401  (the fixture)
from tests.scenarios.conftest import build_network

pytestmark = pytest.mark.django_db

# Figures of test_services.py, worked out by hand.
ACTIVITIES = 40 * 75 + 50 * (100 * 0.5 + 125 + 100)
STOCK = 150 * ((75 / 0.85) * 14 + 100 * 14 + 125 * 7 + 100 * 7) / 365
TOTAL = 4660 + 10000 + ACTIVITIES + STOCK
PROCESS_CO2E = 10 * 125 + 345 * 100  # shredding at Hagen, remelting at Neuss (library defaults)
PROCESS_MJ = 150 * 125 + 7500 * 100
ROAD_CO2E, ROAD_MJ = 0.10163 + 0.02359, 1.3715  # per tkm (well-to-wheel CO2e)
PRIMARY_CO2E = 250_000 * 0.64 * 6.9  # the product's primary share
PRIMARY_MJ = 250_000 * 0.64 * 150


def cells(page: str, code: str, attr: str = "data-code") -> list[str]:
    """The texts of the cells of the row `<tr {attr}="{code}">` (first such row)."""
    row = re.search(rf'<tr {attr}="{re.escape(code)}"[^>]*>(.*?)</tr>', page, re.S)
    assert row, f"no row {code}"
    return [
        " ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split())
        for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row.group(1), re.S)
    ]


def messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def page_of(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def assess(user, scenario, capture):
    with capture(execute=True):
        run = services.assessment_request(user=user, scenario=scenario)
    run.refresh_from_db()
    return run


# ---------------------------------------------------------------- the assessment page


def test_the_page_shows_the_hand_worked_figures(assessed, net, client_for):  # noqa: F811
    scenario, nodes, routes, run = assessed
    page = page_of(client_for(net.ec_viewer), f"/scenarios/{scenario.pk}/assessment/")
    # Costs: 46,600 tkm x 0.10 EUR = 4,660; Hagen's fixed 10,000; Alu Collect's price 200 x 125 t = 25,000 is a
    # transfer, outside the network cost. Activities: 40 x 75 (Stuttgart, allocated) + 50 x (50 + 125 + 100).
    assert cells(page, "cost.transport_eur") == [
        "Transport",
        "4,660",
        "EUR/year",
        "End of life",
        "logistics model",
        "",
        "",
        "",
        "",
    ]
    assert cells(page, "cost.facilities_eur")[1] == "10,000"
    assert 'data-code="cost.purchasing_eur"' not in page
    assert cells(page, "cost.activities_eur")[1] == f"{ACTIVITIES:,.0f}" == "16,750"
    assert cells(page, "cost.total_eur")[1] == f"{TOTAL:,.0f}"
    # 90 t delivered of 250 t of product.
    assert cells(page, "recycling_rate")[:4] == ["Recycling rate", "36.0 %", "recycled content", "Whole life cycle"]
    # End of life CO2e: (0.10163 + 0.02359) x 46,600 + 35,750 = 41,585.252 kg; per arm / 100,000; no baseline, so no %.
    eol = ROAD_CO2E * 46600 + PROCESS_CO2E
    assert cells(page, "end_of_life.climate_change_kg_co2e") == [
        "Climate change",
        "41,585",
        "kg CO2e/year",
        "End of life",
        "LCA factors",
        "0.416 kg CO2e/unit",
        "0",
        "+41,585",
        "—",
    ]
    # Whole life: 1,104,000 + 41,585.252 against 1,725,000 all primary: -579,414.748 kg, -33.6 %.
    assert eol == pytest.approx(41585.252)
    assert cells(page, "whole_life.climate_change_kg_co2e")[1:] == [
        "1,145,585",
        "kg CO2e/year",
        "Whole life cycle",
        "LCA factors",
        "11.46 kg CO2e/unit",
        "1,725,000",
        "-579,415",
        "-33.6 %",
    ]
    # Per partner: Alu Collect's yards' transport (75 x 300 + 50 x 200) x 0.10 = 3,250, no fixed cost, processing
    # 40 x 75 + 50 x 0.5 x 100 = 5,500; it sells 200 x 125 t = 25,000 (the column "Sold to partners").
    alu = cells(page, "Alu Collect", attr="data-partner")
    assert alu[:4] == ["Alu Collect", "3,250", "0", "5,500"] and alu[7] == "25,000"
    assert cells(page, "all", attr="data-partner")[-1] == f"{TOTAL:,.0f}"
    assert 'id="stale-banner"' not in page and 'id="run-failed"' not in page and "hx-trigger" not in page
    assert cells(page, str(run.pk), attr="data-run")[3] == "Done"
    assert 'id="assess"' not in page  # a viewer reads
    assert 'id="assess"' in page_of(client_for(net.ec_editor), f"/scenarios/{scenario.pk}/assessment/")


def test_the_scenario_and_study_pages_link_to_the_assessment(net, client_for):
    scenario, _, _ = build_network(net)
    client = client_for(net.ec_viewer)
    assert f'href="/scenarios/{scenario.pk}/assessment/"' in page_of(client, f"/scenarios/{scenario.pk}/")
    study = page_of(client, f"/studies/{net.study.pk}/")
    assert f'href="/studies/{net.study.pk}/compare/"' in study and f'href="/studies/{net.study.pk}/factors/"' in study
    partner = page_of(client_for(net.world.editor), f"/studies/{net.study.pk}/")  # an invited partner: neither
    assert "/compare/" not in partner and "/factors/" not in partner


def test_a_route_change_shows_the_stale_banner_and_a_re_run_clears_it(
    assessed,  # noqa: F811  (the fixture imported above)
    net,
    client_for,
    django_capture_on_commit_callbacks,
):
    scenario, nodes, routes, run = assessed
    scenario_services.route_update(user=net.ec_editor, route=routes["hagen"], distance_km=Decimal(70))
    client = client_for(net.ec_editor)
    page = page_of(client, f"/scenarios/{scenario.pk}/assessment/")
    assert "the scenario, a partner's data or a factor changed since this result; re-run." in page
    assert 'id="rerun"' in page
    assert cells(page, "cost.transport_eur")[1] == "4,660"  # the last good result stays until re-run
    assert "An editor of Forge Works can re-run it." in page_of(
        client_for(net.ec_viewer), f"/scenarios/{scenario.pk}/assessment/"
    )
    client = client_for(net.ec_editor)
    with django_capture_on_commit_callbacks(execute=True):  # the task is sent when the request's transaction commits
        response = client.post(f"/scenarios/{scenario.pk}/assess/")
    assert response["Location"] == f"/scenarios/{scenario.pk}/assessment/"
    assert AssessmentRun.objects.first().status == "done"
    page = page_of(client, f"/scenarios/{scenario.pk}/assessment/")
    assert 'id="stale-banner"' not in page
    assert cells(page, "cost.transport_eur")[1] == "4,760"  # 100 t x 10 km more at 0.10 EUR/tkm


def test_a_failed_run_shows_its_error_above_the_last_good_result(assessed, net, client_for):  # noqa: F811
    scenario, nodes, routes, run = assessed
    broken = AssessmentRun.objects.create(scenario=scenario, inputs={"nodes": []}, inputs_hash="x")
    services.assessment_execute(run_id=broken.pk)
    page = page_of(client_for(net.ec_auditor), f"/scenarios/{scenario.pk}/assessment/")
    failed = page.index('id="run-failed"')
    assert f"Run {broken.pk} failed" in page and "KeyError" in page
    assert f"The result below is the last good one, run {run.pk}." in page
    assert failed < page.index('id="indicator-table"')
    assert cells(page, "cost.transport_eur")[1] == "4,660"
    assert cells(page, str(broken.pk), attr="data-run")[3] == "Failed"


def test_the_page_polls_while_a_run_is_under_way(assessed, net, client_for):  # noqa: F811
    scenario, nodes, routes, run = assessed
    snapshot = inputs.snapshot(scenario)
    pending = AssessmentRun.objects.create(
        scenario=scenario, inputs=snapshot, inputs_hash=inputs.digest(snapshot), requested_by=net.ec_editor
    )
    client = client_for(net.ec_editor)
    page = page_of(client, f"/scenarios/{scenario.pk}/assessment/")
    assert f'hx-get="/scenarios/{scenario.pk}/assessment/" hx-trigger="every 1s"' in page
    assert f"Run {pending.pk} is pending" in page and "htmx.min.js" in page
    assert re.search(r'<button type="submit" id="assess" disabled', page)
    # The polled answer is the live part only; once the run is done it carries no trigger and shows the result.
    part = client.get(f"/scenarios/{scenario.pk}/assessment/", HTTP_HX_REQUEST="true").content.decode()
    assert part.lstrip().startswith('<div id="assessment-live"') and "<html" not in part and "hx-trigger" in part
    services.assessment_execute(run_id=pending.pk)
    part = client.get(f"/scenarios/{scenario.pk}/assessment/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in part and "is pending" not in part
    assert f"run {pending.pk}, computed" in part


def test_a_network_without_a_path_is_refused_with_a_message(net, library, client_for):
    scenario, nodes, routes = build_network(net)
    scenario_services.route_delete(user=net.ec_editor, route=routes["neuss"])
    client = client_for(net.ec_editor)
    response = client.post(f"/scenarios/{scenario.pk}/assess/", follow=True)
    assert response.redirect_chain == [(f"/scenarios/{scenario.pk}/assessment/", 302)]
    [message] = messages(response)
    assert message.startswith("This network cannot be assessed: ") and "Neuss remelter is not connected" in message
    assert not AssessmentRun.objects.exists()
    assert "Not assessed yet." in response.content.decode()


# ---------------------------------------------------------------- the factors page


def test_the_factors_page_groups_the_library_and_flags_assumptions(net, library, client_for):
    page = page_of(client_for(net.ec_viewer), f"/studies/{net.study.pk}/factors/")
    groups = re.findall(r"<h3>([^<]+)</h3>", page)
    assert groups == [
        "Transport: road",
        "Transport: rail",
        "Transport: inland waterway",
        "Transport: sea",
        "Transport: all modes",
        "Processes",
        "Materials",
        "Stock",
        "Allocation",
    ]
    road = cells(page, "transport.co2e.road")
    assert road[:5] == ["Climate change transport.co2e.road", "0.10163", "kg CO2e/tkm", "UK", "2025"]
    assert road[5].startswith("UK DESNZ/DEFRA") and "assumption" not in road[5]
    assert cells(page, "transport.cost.road")[5].endswith("assumption")
    assert cells(page, "stock.holding")[1:3] == ["150", "EUR/t/year"]
    assert "Override" not in page and 'id="override-form"' not in page  # a viewer reads


def test_an_override_is_set_from_the_form_and_deleted(assessed, net, client_for):  # noqa: F811
    scenario, nodes, routes, run = assessed
    client = client_for(net.ec_editor)
    # The factor's link prefills the form: the code chosen and its unit.
    page = page_of(client, f"/studies/{net.study.pk}/factors/?code=transport.cost.road")
    assert '<option value="transport.cost.road" selected>' in page
    assert re.search(r'name="unit" value="EUR/tkm"', page)
    response = client.post(
        f"/studies/{net.study.pk}/factors/",
        {"code": "transport.cost.road", "value": "0.2", "unit": "EUR/tkm", "source": "Our carrier's 2026 contract"},
        follow=True,
    )
    assert response.redirect_chain == [(f"/studies/{net.study.pk}/factors/", 302)]
    page = response.content.decode()
    assert cells(page, "transport.cost.road") == [
        "transport.cost.road",
        "0.2",
        "EUR/tkm",
        "Our carrier's 2026 contract",
        cells(page, "transport.cost.road")[4],
        "Change Delete",
    ]
    assert "study: 0.2" in page
    assert LogEntry.objects.filter(action="study.factor.changed").count() == 1
    # The scenario's result is now out of date.
    assert 'id="stale-banner"' in page_of(client, f"/scenarios/{scenario.pk}/assessment/")
    override = FactorOverride.objects.get()
    response = client.post(f"/studies/{net.study.pk}/factors/{override.pk}/delete/", follow=True)
    assert not FactorOverride.objects.exists()
    assert "None: every run of this study takes the library's figures." in response.content.decode()
    assert 'id="stale-banner"' not in page_of(client, f"/scenarios/{scenario.pk}/assessment/")


@pytest.mark.parametrize(
    "data,field,error",
    [
        ({"value": "-0.1"}, "value", "A factor is 0 or more, in its unit."),
        ({"value": "1e10"}, "value", "A factor is at most 1,000,000,000 in its unit."),
        ({"unit": "EUR/km"}, "unit", "transport.cost.road is given in EUR/tkm, not EUR/km."),
        ({"value": "lots"}, "value", "Enter a number."),
        ({"source": "  "}, "source", "This field is required."),
        ({"code": "transport.cost.air"}, "code", "Select a valid choice."),
        ({"code": "backhaul.share", "unit": "share", "value": "1.5"}, "value", "Type a share from 0 to 1."),
    ],
)
def test_bad_override_input_shows_the_field_error_and_writes_nothing(net, library, client_for, data, field, error):
    good = {"code": "transport.cost.road", "value": "0.2", "unit": "EUR/tkm", "source": "Our carrier"}
    log = LogEntry.objects.count()
    response = client_for(net.ec_editor).post(f"/studies/{net.study.pk}/factors/", {**good, **data})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field] and error in errors[field][0]
    page = response.content.decode()
    field_html = page[page.index(f'id="field-{field}"') :]
    assert error.replace("'", "&#x27;") in field_html[: field_html.index("</div>")]
    assert not FactorOverride.objects.exists() and LogEntry.objects.count() == log


# ---------------------------------------------------------------- the comparison


@pytest.fixture
def compared(assessed, net, django_capture_on_commit_callbacks):  # noqa: F811
    """ "Nearby" (assessed) and "Far": the same network with every distance doubled, assessed too."""
    nearby, _, _, _ = assessed
    far, _, routes = build_network(net, name="Far")
    for key, km in DISTANCES_KM.items():
        scenario_services.route_update(user=net.ec_editor, route=routes[key], distance_km=Decimal(2 * km))
    run = assess(net.ec_editor, far, django_capture_on_commit_callbacks)
    assert run.status == "done", run.error
    return nearby, far


def radar_json(page: str, phase: str) -> dict:
    found = re.search(rf'<script id="radar-{phase}" type="application/json">(.*?)</script>', page, re.S)
    assert found, f"no radar data for {phase}"
    return json.loads(found.group(1))


def test_compare_shows_both_columns_and_the_radar_scores(compared, net, client_for):
    nearby, far = compared
    page = page_of(
        client_for(net.ec_viewer), f"/studies/{net.study.pk}/compare/?scenarios={nearby.pk}&scenarios={far.pk}"
    )
    header = re.search(r'<table id="compare-table">\s*<thead>(.*?)</thead>', page, re.S).group(1)
    assert "Nearby v1" in header and "Far v1" in header and header.index("Nearby v1") < header.index("Far v1")
    assert cells(page, "cost.transport_eur") == [
        "Transport",
        "EUR/year",
        "End of life",
        "logistics model",
        "4,660",
        "9,320",
    ]
    assert cells(page, "recycling_rate")[4:] == ["0.36", "0.36"]

    eol_nearby, eol_far = ROAD_CO2E * 46600 + PROCESS_CO2E, ROAD_CO2E * 93200 + PROCESS_CO2E
    mj_nearby, mj_far = ROAD_MJ * 46600 + PROCESS_MJ, ROAD_MJ * 93200 + PROCESS_MJ
    eol = radar_json(page, "end_of_life")
    assert [f"{a['label']} ({a['direction']})" for a in eol["axes"]] == [
        "Total RL cost (lower is better)",
        "Recycling rate (higher is better)",
        "Climate change (lower is better)",
        "Non-renewable energy (lower is better)",
        "Fresh water (lower is better)",
    ]
    # Nearby is best on every axis where they differ (1); Far scores best / its value. Both deliver 90 t (rate 1,
    # 1) and use the same water (transport takes none): 0.05 x 125 + 1.0 x 100 m3 each.
    assert eol["scenarios"][0] == {"name": "Nearby v1", "scores": [1.0] * 5, "values": eol["scenarios"][0]["values"]}
    assert eol["scenarios"][1]["scores"] == pytest.approx(
        [TOTAL / (TOTAL + 4660), 1.0, eol_nearby / eol_far, mj_nearby / mj_far, 1.0], abs=1e-6
    )
    assert eol["scenarios"][1]["values"][0] == f"{TOTAL + 4660:,.0f}"
    whole = radar_json(page, "whole_life")
    assert whole["scenarios"][1]["scores"] == pytest.approx(
        [
            TOTAL / (TOTAL + 4660),
            1.0,
            (PRIMARY_CO2E + eol_nearby) / (PRIMARY_CO2E + eol_far),
            (PRIMARY_MJ + mj_nearby) / (PRIMARY_MJ + mj_far),
            1.0,
        ],
        abs=1e-6,
    )
    assert "Outward is better" in page and "chart.umd.min.js" in page and "closeloop/radar.js" in page
    assert f'href="/studies/{net.study.pk}/compare.csv?scenarios={nearby.pk}&amp;scenarios={far.pk}"' in page


def test_csv_and_json_downloads(compared, net, client_for):
    nearby, far = compared
    client = client_for(net.ec_auditor)
    query = f"scenarios={nearby.pk}&scenarios={far.pk}"
    response = client.get(f"/studies/{net.study.pk}/compare.csv?{query}")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="comparison-study-{net.study.pk}.csv"'
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0] == ["indicator", "phase", "unit", "origin", "Nearby v1", "Far v1"]
    transport = lines[1]
    assert transport[:4] == ["Transport", "end_of_life", "EUR/year", "logistics model"]
    assert [float(v) for v in transport[4:]] == pytest.approx([4660, 9320])
    rate = next(line for line in lines if line[0] == "Recycling rate")
    assert [float(v) for v in rate[4:]] == pytest.approx([0.36, 0.36])
    assert len(lines) == 1 + 13  # six costs, the rate, three LCA indicators per phase
    assert client.get(f"/studies/{net.study.pk}/compare/?format=csv&{query}").content == response.content

    response = client.get(f"/studies/{net.study.pk}/compare.json?{query}")
    assert response["Content-Disposition"] == f'attachment; filename="comparison-study-{net.study.pk}.json"'
    data = json.loads(response.content)
    assert data["scenarios"] == ["Nearby v1", "Far v1"]
    assert [r["phase"] for r in data["radars"]] == ["end_of_life", "whole_life"]


def test_comparison_errors_are_messages(compared, net, client_for):
    nearby, far = compared
    fresh, _, _ = build_network(net, name="Fresh")
    client = client_for(net.ec_viewer)
    base = f"/studies/{net.study.pk}/compare/"
    for query, message in [
        (f"scenarios={nearby.pk}", "Choose at least two scenarios."),
        (f"scenarios={nearby.pk}&scenarios={fresh.pk}", "Fresh v1 has no assessment yet; assess it first."),
        (f"scenarios={nearby.pk}&scenarios=999999", "Scenario 999999 is not a scenario of this study."),
        (f"scenarios={nearby.pk}&scenarios=abc", "“abc” is not a scenario."),
    ]:
        response = client.get(f"{base}?{query}")
        assert response.status_code == 200 and messages(response) == [message], query
        assert 'id="compare-table"' not in response.content.decode()
    # The checkboxes mark the scenario without a result.
    page = page_of(client, base)
    assert "no result yet" in page.split(f'value="{fresh.pk}"')[1].split("</label>")[0]
    assert "no result yet" not in page.split(f'value="{far.pk}"')[1].split("</label>")[0]
    assert messages(client.get(base)) == []  # nothing asked yet: no error
    assert client.get(f"{base}?format=xml&scenarios={nearby.pk}&scenarios={far.pk}").status_code == 404
    # A download that cannot be made goes back to the page with the reason.
    response = client.get(
        f"/studies/{net.study.pk}/compare.csv?scenarios={nearby.pk}&scenarios={fresh.pk}", follow=True
    )
    assert response.redirect_chain == [(f"{base}?scenarios={nearby.pk}&scenarios={fresh.pk}", 302)]
    assert messages(response) == ["Fresh v1 has no assessment yet; assess it first."]
