"""The assessment page's charts (assessment/charts.py, drawn by static/closeloop/assessment_charts.js): the data the
page hands to Chart.js, worked out by hand for the network of tests/assessment/test_pages.py; the browser journey
(tests/e2e/test_assessment_journey.py) checks that they are drawn.

Climate change: end of life (0.10163 + 0.02359) x 46,600 tkm + 35,750 kg of processes = 41,585.252 kg against a baseline
of 0; whole life 1,145,585.252 kg against 1,725,000 kg all primary. Costs of Alu Collect: transport
(75 x 300 + 50 x 200) x 0.10 = 3,250 EUR and processing 40 x 75 + 50 x 0.5 x 100 = 5,500 EUR (collection
mass-allocated).
"""

import json
import re
from html import unescape

import pytest

from tests.assessment.test_services import assessed  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def chart_data(html: str) -> dict:
    found = re.search(r'<script id="assessment-charts" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no chart data on the page"
    return json.loads(unescape(found.group(1)))


def test_the_page_hands_the_charts_their_figures(assessed, net, client_for):  # noqa: F811
    scenario = assessed[0]
    html = client_for(net.ec_viewer).get(f"/scenarios/{scenario.pk}/assessment/").content.decode()
    data = chart_data(html)
    assert data["series"] == {"scenario": str(scenario), "baseline": "Baseline: 0 % recycled material"}
    assert [c["label"] for c in data["lca"]] == ["Climate change", "Non-renewable energy", "Fresh water"]
    climate = data["lca"][0]
    assert climate["phases"] == ["End of life", "Whole life cycle"] and climate["unit"] == "kg CO2e/year"
    assert climate["scenario"] == pytest.approx([41585.252, 1145585.252])
    assert climate["baseline"] == pytest.approx([0, 1725000])
    assert climate["scenario_text"] == ["41,585", "1,145,585"] and climate["baseline_text"] == ["0", "1,725,000"]
    costs = data["costs"]
    assert [p["label"] for p in costs["parts"]] == [
        "Transport",
        "Facilities (fixed, once per site)",
        "Activities (processing)",
        "Stock",
    ]
    alu = costs["partners"].index("Alu Collect")
    assert costs["parts"][0]["values"][alu] == pytest.approx(3250) and costs["parts"][2]["text"][alu] == "5,500"
    for key in ("climate_change_kg_co2e", "nonrenewable_energy_mj", "fresh_water_m3"):
        assert f'<canvas id="chart-lca-{key}"' in html
    assert '<canvas id="chart-costs" data-costs' in html
    # Chart.js and the page's own script come as files; the figures only as JSON.
    assert "closeloop/assessment_charts.js" in html and "chartjs-4.6.1/chart.umd.min.js" in html
    assert not re.search(r"<script(?![^>]*(?:src=|application/json))[^>]*>", html)


def test_a_name_typed_with_markup_stays_text_in_the_chart_data(assessed, net, client_for):  # noqa: F811
    """A partner named "<b>Alu</b>" reaches the chart as the JSON string, escaped by json_script."""
    scenario = assessed[0]
    run = scenario.assessment_runs.get()
    run.result["per_partner"][0]["partner"] = "<b>Alu</b> & Co"
    run.save(update_fields=["result"])
    html = client_for(net.ec_viewer).get(f"/scenarios/{scenario.pk}/assessment/").content.decode()
    assert "<b>Alu</b>" not in html.split('id="assessment-charts"')[1].split("</script>")[0]
    assert chart_data(html)["costs"]["partners"][0] == "<b>Alu</b> & Co"
