"""The demo's end collector admin asks the optimiser for the least-cost network of the demo study with the cost-CO2e
trade-off, reads the proposal (figures, map, tables), finds the two hand-made demo scenarios (scenarios/demo.py, both
assessed in the setup) on the trade-off chart (Chart.js), clicks a point of the front and makes its network a draft
scenario.

Tasks run in-process (tests/conftest.py), so pressing Optimise solves the run before the page comes back; the polling
is shown with a run left pending and solved from the test meanwhile.
"""

import pytest

from assessment import optimisation, services, tasks
from assessment.models import AssessmentRun, OptimisationRun
from assessment.views import number
from partners import demo as partners_demo
from partners.models import Membership
from scenarios import demo
from scenarios.models import Scenario
from tests.assessment.conftest import library  # noqa: F401  (the fixture)
from tests.e2e.conftest import sign_in
from tests.e2e.test_assessment_journey import NAMES, demo_study  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAWN = """n => {
    const canvas = document.getElementById("tradeoff-chart");
    const chart = canvas && window.Chart && window.Chart.getChart(canvas);
    if (!chart || chart.data.datasets.length !== n) return false;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;  // something painted
    return false;
}"""
POINT = """i => {
    const canvas = document.getElementById("tradeoff-chart");
    const element = window.Chart.getChart(canvas).getDatasetMeta(0).data[i];
    const box = canvas.getBoundingClientRect();
    return {x: box.left + element.x, y: box.top + element.y};
}"""


def _admin(study):
    return Membership.objects.filter(organization=study.end_collector, role="admin").first().user


def _assess_demo_scenarios(study):
    admin = _admin(study)
    for name in NAMES:
        run = services.assessment_request(user=admin, scenario=Scenario.objects.get(study=study, name=name))
        run.refresh_from_db()
        if run.status != AssessmentRun.Status.DONE:
            services.assessment_execute(run_id=run.pk)
            run.refresh_from_db()
        assert run.status == AssessmentRun.Status.DONE, run.error


def test_admin_optimises_the_demo_study_and_drafts_a_point_of_the_tradeoff(page, output_dir, demo_study):  # noqa: F811
    _assess_demo_scenarios(demo_study)
    sign_in(page, demo.ADMIN_PERSONA, partners_demo.DEFAULT_PASSWORD)
    page.goto(f"/studies/{demo_study.pk}/")
    with page.expect_navigation():
        page.click("#optimise-link")
    inputs = optimisation.study_inputs(user=_admin(demo_study), study=demo_study)
    assert page.locator("#candidate-table tbody tr").count() == len(inputs["facilities"])
    assert page.is_checked("#id_tradeoff") and page.is_checked("input[name=objective][value=cost]")
    page.screenshot(path=str(output_dir / "optimise-form.png"), full_page=True)

    # A carbon price objective without a price, and a collector kept both open and closed: form errors, no run.
    page.check("input[name=objective][value=weighted]")
    page.click("#side-constraints summary")
    lille = next(r["key"] for r in inputs["facilities"] if r["facility"] == "Centre VHU Lille")
    page.select_option("#id_keep_open", [lille])
    page.select_option("#id_keep_closed", [lille])
    page.fill("#id_share_collector", "150")
    with page.expect_navigation():
        page.click("#optimise-button")
    assert "needs a price above 0" in page.inner_text("#field-carbon_price .errorlist")
    assert "Kept open as well: Centre VHU Lille" in page.inner_text("#field-keep_closed .errorlist")
    assert "less than or equal to 100" in page.inner_text("#field-share_collector .errorlist")
    assert not OptimisationRun.objects.exists()
    page.locator("#side-constraints").screenshot(path=str(output_dir / "optimise-errors.png"))

    page.check("input[name=objective][value=cost]")
    page.select_option("#id_keep_open", [])
    page.select_option("#id_keep_closed", [])
    page.fill("#id_share_collector", "")
    with page.expect_navigation():
        page.click("#optimise-button")

    run = OptimisationRun.objects.get(study=demo_study)
    assert run.status == "done", run.error
    solution, front = run.result["solution"], run.result["pareto"]
    # On the network-cost basis the demo's front holds its two ends (least CO2e, least cost), or more.
    assert solution["status"] == "optimal" and len(front) >= 2
    assert f"Optimisation {run.pk} done." in page.inner_text("main")
    assert "Optimal: optimal network found." in page.inner_text("#solution-status")
    assert page.inner_text("#total-cost") == number(solution["total_cost_eur"])
    assert page.inner_text("#total-co2e") == number(solution["co2e_kg"])
    assert page.locator("#used-table tbody tr").count() == len(solution["open"])
    assert page.locator("#flow-table tbody tr").count() == len(solution["flows"])
    page.wait_for_function(
        f"() => document.getElementById('optimisation-map').dataset.routes === '{len(solution['flows'])}'"
    )

    # The trade-off: the front joined by a line, the two demo scenarios with their names, the proposal.
    page.wait_for_function(DRAWN, arg=3)
    datasets = page.evaluate(
        "() => Chart.getChart(document.getElementById('tradeoff-chart')).data.datasets"
        ".map(d => ({label: d.label, n: d.data.length, line: !!d.showLine}))"
    )
    assert datasets == [
        {"label": "Trade-off front", "n": len(front), "line": True},
        {"label": "Assessed scenarios", "n": 2, "line": False},
        {"label": "Proposal (least total cost)", "n": 1, "line": False},
    ]
    names = page.evaluate(
        "() => Chart.getChart(document.getElementById('tradeoff-chart')).data.datasets[1].data.map(d => d.name)"
    )
    assert sorted(names) == sorted(f"{n} v1" for n in NAMES)
    # "Nearby partners" delivers about 458 of the 600 t/year: cheaper and greener than the front, and said so.
    nearby = page.locator("#assessed-table tr", has_text="Nearby partners v1").inner_text()
    assert "457.77 / 600 short" in nearby.replace("\t", " ") and page.locator("#short-note").count() == 1
    assert page.locator("#point-table tbody tr").count() == len(front)
    assert page.is_disabled("#create-point-draft")
    page.locator("#tradeoff").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "optimisation.png"), full_page=True)

    # Click the front's middle point (the second of two): it is chosen, its row marked, the button enabled.
    chosen = len(front) // 2
    where = page.evaluate(POINT, chosen)
    page.mouse.click(where["x"], where["y"])
    page.wait_for_function(f"() => document.getElementById('chosen-point').value === '{chosen}'")
    assert page.is_enabled("#create-point-draft")
    assert f"Point {chosen + 1} chosen: {number(front[chosen]['total_cost_eur'])} EUR/year" in page.inner_text(
        "#chosen-text"
    )
    assert page.get_attribute(f"#point-table tr[data-point='{chosen}']", "class") == "chosen"
    page.locator("figure.tradeoff").screenshot(path=str(output_dir / "tradeoff-chosen.png"))
    page.locator("#tradeoff").screenshot(path=str(output_dir / "tradeoff-section.png"))

    with page.expect_navigation():
        page.click("#create-point-draft")
    scenario = Scenario.objects.get(
        study=demo_study, name=f"Optimised {run.pk}: trade-off point {chosen + 1} of {len(front)}"
    )
    assert page.url.endswith(f"/scenarios/{scenario.pk}/")
    assert f"Draft scenario “{scenario}” created from optimisation {run.pk}" in page.inner_text("main")
    used = {o["key"] for o in front[chosen]["open"]}
    assert scenario.nodes.count() == len(used) and scenario.routes.count() == len(front[chosen]["flows"])
    page.wait_for_function(f"() => document.getElementById('scenario-map').dataset.nodes === '{len(used)}'")
    page.screenshot(path=str(output_dir / "scenario.png"), full_page=True)

    # Back on the run page the point names its draft instead of offering a button.
    page.goto(f"/studies/{demo_study.pk}/optimisations/{run.pk}/")
    assert page.locator(f"#point-table tr[data-point='{chosen}'] a").inner_text() == str(scenario)
    assert page.locator(f"#create-point-{chosen}").count() == 0
    assert page.js_errors == []


def test_the_run_page_follows_a_worker_until_it_is_done(page, output_dir, demo_study, monkeypatch):  # noqa: F811
    monkeypatch.setattr(tasks.optimise_study, "delay", lambda pk: None)  # no worker picks it up by itself
    run = optimisation.optimisation_request(user=_admin(demo_study), study=demo_study, pareto_points=5)
    sign_in(page, demo.ADMIN_PERSONA, partners_demo.DEFAULT_PASSWORD)
    page.goto(f"/studies/{demo_study.pk}/optimisations/{run.pk}/")
    page.wait_for_selector(f"#optimisation-progress >> text=Optimisation {run.pk} is pending")
    # The proposal, then the front's 5 + 1 solves.
    assert page.inner_text("#optimisation-progress-text") == "0 of 7 steps (0 %)"
    page.screenshot(path=str(output_dir / "pending.png"))
    page.wait_for_timeout(1500)  # a poll or two while it waits
    assert optimisation.optimisation_execute(run_id=run.pk) == "done"  # what a worker would do
    page.wait_for_selector("#total-cost", timeout=5000)  # the page reloads itself
    page.wait_for_function(DRAWN, arg=2)  # the front and the proposal (no scenario assessed)
    assert page.locator("#optimisation-progress").count() == 0
    assert page.js_errors == []
