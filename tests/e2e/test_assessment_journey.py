"""The demo's end collector admin assesses both demo scenarios, watches a run finish on its own, and compares the two
on the radar charts (scenarios/demo.py: "Nearby partners", about 458 t of the 600 t need, and "Wider network", the
full 600 t over longer routes).

Tasks run in-process (tests/conftest.py), so pressing Assess computes the run before the page comes back; the
polling is shown with a run left pending and computed from the test meanwhile.
"""

import csv
import io

import pytest

from assessment import inputs, services
from assessment.models import AssessmentRun
from partners import demo as partners_demo
from scenarios import demo
from scenarios.models import Scenario
from tests.assessment.conftest import library  # noqa: F401  (the fixture)
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ["Nearby partners", "Wider network"]
CANVASES = ["canvas-end_of_life", "canvas-whole_life"]
DRAWN = """ids => ids.every(id => {
    const canvas = document.getElementById(id);
    const chart = canvas && window.Chart && window.Chart.getChart(canvas);
    if (!chart || chart.data.datasets.length !== 2) return false;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;  // something painted
    return false;
})"""


LCA_CANVASES = ["chart-lca-climate_change_kg_co2e", "chart-lca-nonrenewable_energy_mj", "chart-lca-fresh_water_m3"]
DRAWN_ONCE = """ids => ids.every(id => {
    const canvas = document.getElementById(id);
    const chart = canvas && window.Chart && window.Chart.getChart(canvas);
    if (!chart || canvas.width === 0) return false;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;  // something painted
    return false;
})"""
CHART = (
    "id => { const c = Chart.getChart(document.getElementById(id)); return {labels: c.data.labels, "
    "series: c.data.datasets.map(d => d.label), data: c.data.datasets.map(d => d.data)}; }"
)


def check_charts(page, scenario, run):
    """The assessment's charts are drawn from the run's figures: each life-cycle indicator of the scenario against
    its 0 % recycled baseline, end of life and whole life side by side; the cost parts stacked per partner."""
    page.wait_for_function(DRAWN_ONCE, arg=LCA_CANVASES + ["chart-costs"])
    figures = {r["code"]: r for r in run.result["indicators"]}
    climate = page.evaluate(CHART, LCA_CANVASES[0])
    assert climate["labels"] == ["End of life", "Whole life cycle"]
    assert climate["series"] == [str(scenario), "Baseline: 0 % recycled material"]
    eol, whole = figures["end_of_life.climate_change_kg_co2e"], figures["whole_life.climate_change_kg_co2e"]
    assert climate["data"] == [
        [pytest.approx(eol["value"]), pytest.approx(whole["value"])],
        [0, pytest.approx(whole["baseline"])],
    ]
    costs = page.evaluate(CHART, "chart-costs")
    assert [" ".join(label) for label in costs["labels"]] == [p["partner"] for p in run.result["per_partner"]]
    assert costs["series"] == ["Transport", "Facilities (fixed, once per site)", "Activities (processing)", "Stock"]
    assert costs["data"][0] == [pytest.approx(p["transport_eur"]) for p in run.result["per_partner"]]


@pytest.fixture
def demo_study(catalogue, library, monkeypatch):  # noqa: F811
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    partners_demo.load_demo()
    result = demo.load_study()
    assert result.created, result.skipped
    return result.study


def cell(page, code: str, column: int) -> str:
    return page.locator(f"#indicator-table tr[data-code='{code}'] td").nth(column).inner_text().strip()


def test_admin_assesses_both_demo_scenarios_and_compares_them(page, output_dir, demo_study):
    sign_in(page, demo.ADMIN_PERSONA, partners_demo.DEFAULT_PASSWORD)
    page.goto(f"/studies/{demo_study.pk}/")
    for name in NAMES:
        page.click(f"#scenario-table >> text={name}")
        page.click("#scenario-actions >> text=Assessment")
        page.wait_for_selector("#no-result")
        page.click("#assess")
        page.wait_for_selector("#indicator-table")
        scenario = Scenario.objects.get(study=demo_study, name=name)
        run = AssessmentRun.objects.get(scenario=scenario)
        assert run.status == "done", run.error
        assert f"{scenario} assessed (run {run.pk})." in page.inner_text("main")
        assert cell(page, "cost.transport_eur", 0) == "Transport"
        assert cell(page, "whole_life.climate_change_kg_co2e", 3) == "Whole life cycle"
        assert page.locator("#partner-table tbody tr").count() == len(run.result["per_partner"])
        assert page.locator("#stale-banner").count() == 0
        check_charts(page, scenario, run)
        if name == NAMES[0]:
            page.screenshot(path=str(output_dir / "assessment.png"), full_page=True)
            page.set_viewport_size({"width": 390, "height": 900})
            page.wait_for_function(DRAWN_ONCE, arg=LCA_CANVASES + ["chart-costs"])
            page.locator("#charts").screenshot(path=str(output_dir / "assessment-charts-390.png"))
            assert page.evaluate("document.getElementById('chart-costs').getBoundingClientRect().width") <= 390
            page.locator("#cost-views").screenshot(path=str(output_dir / "assessment-cost-views-390.png"))
            assert page.evaluate("document.getElementById('cost-views').getBoundingClientRect().right") <= 390
            page.set_viewport_size({"width": 1280, "height": 1000})
        page.click("text=Back to the scenario")
        page.click("h1 small >> a")  # the study
    # Nearby delivers 457.772 t of 1,200 t of product: a recycled share of 0.38; Wider 600 t: 0.5.
    rates = {
        n: next(
            r["value"]
            for r in AssessmentRun.objects.get(scenario__name=n).result["indicators"]
            if r["code"] == "recycling_rate"
        )
        for n in NAMES
    }
    assert rates == {NAMES[0]: pytest.approx(457.772 / 1200), NAMES[1]: pytest.approx(0.5)}

    page.click("#compare-link")
    for name in NAMES:
        page.check(f"#compare-form label:has-text('{name}') input")
    page.click("#compare-button")
    page.wait_for_selector("#compare-table")
    page.wait_for_function(DRAWN, arg=CANVASES)
    header = page.locator("#compare-table thead th").all_inner_texts()
    assert header[-2:] == ["Nearby partners v1", "Wider network v1"]
    labels = page.evaluate("id => Chart.getChart(document.getElementById(id)).data.labels", CANVASES[0])
    assert labels[0] == ["Total RL cost", "(lower is better)"]
    assert labels[1] == ["Recycling rate", "(higher is better)"]
    scores = page.evaluate(
        "id => Chart.getChart(document.getElementById(id)).data.datasets.map(d => d.data)", CANVASES[1]
    )
    assert scores[1][1] == 1.0 and scores[0][1] == pytest.approx(457.772 / 600, abs=1e-6)  # rate: value / best
    assert page.evaluate("id => Chart.getChart(document.getElementById(id)).options.scales.r.max", CANVASES[0]) == 1
    assert "Outward is better" in page.inner_text("#figure-end_of_life")
    # Each scenario's shortfall is marked: Nearby delivers 457.772 of 600 t/year, short by 142.228 (shown 142.23).
    markers = [" ".join(t.split()) for t in page.locator("#scenario-markers li").all_inner_texts()]
    assert markers == [
        "Nearby partners v1: delivers 457.77 of 600 t/year short by 142.23 t/year",
        "Wider network v1: delivers 600 of 600 t/year",
    ]
    page.screenshot(path=str(output_dir / "compare.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#scenario-markers").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "compare-markers-390.png"))
    page.set_viewport_size({"width": 1280, "height": 1000})

    with page.expect_download() as download:
        page.click("#download-csv")
    lines = list(csv.reader(io.StringIO(open(download.value.path(), encoding="utf-8").read())))
    assert download.value.suggested_filename == f"comparison-study-{demo_study.pk}.csv"
    assert lines[0][-2:] == ["Nearby partners v1", "Wider network v1"]

    # The study's factors: the default library, an "Override" link filling in the form, the unit following the code.
    with page.expect_navigation():
        page.click("#compare-form >> text=Factors")
    with page.expect_navigation():  # the link reloads the page with the form filled in; wait for it
        page.click("tr[data-code='transport.cost.road'] >> text=Override")
    page.wait_for_load_state("load")  # htmx (deferred) has processed the form
    assert page.input_value("#id_unit") == "EUR/tkm"
    page.select_option("#id_code", "transport.co2e.rail")
    page.wait_for_function("() => document.getElementById('id_unit').value === 'kg CO2e/tkm'")
    page.fill("#id_value", "0.025")
    page.fill("#id_source", "Our rail carrier's 2026 declaration")
    page.click("#override-form button[type=submit]")
    page.wait_for_selector("#override-table tr[data-code='transport.co2e.rail']")
    page.screenshot(path=str(output_dir / "factors.png"), full_page=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(output_dir / "factors-top.png"))
    page.locator("#library h3").first.scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "factors-library.png"))
    page.goto(f"/scenarios/{Scenario.objects.get(name=NAMES[1]).pk}/assessment/")
    assert page.locator("#stale-banner").count() == 1  # Wider uses rail; Nearby does not
    assert page.js_errors == []


def test_the_page_follows_a_run_until_it_is_done(page, demo_study):
    scenario = Scenario.objects.get(study=demo_study, name=NAMES[1])
    snapshot = inputs.snapshot(scenario)
    run = AssessmentRun.objects.create(scenario=scenario, inputs=snapshot, inputs_hash=inputs.digest(snapshot))
    sign_in(page, demo.ADMIN_PERSONA, partners_demo.DEFAULT_PASSWORD)
    page.goto(f"/scenarios/{scenario.pk}/assessment/")
    page.wait_for_selector(f"#run-progress >> text=Run {run.pk} is pending")
    assert page.is_disabled("#assess")
    page.wait_for_timeout(1500)  # a poll or two while it waits
    assert services.assessment_execute(run_id=run.pk) == "done"  # what a worker would do
    page.wait_for_selector("#indicator-table", timeout=5000)
    assert page.locator("#run-progress").count() == 0 and page.is_enabled("#assess")
    assert f"run {run.pk}, computed" in page.inner_text("#result h2")
    run.refresh_from_db()
    check_charts(page, scenario, run)  # drawn after htmx swapped the result in, without a reload
    assert page.js_errors == []
