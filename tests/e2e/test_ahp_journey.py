"""The demo's end collector admin weighs five indicators with AHP and ranks the two demo scenarios (scenarios/demo.py:
"Nearby partners" and "Wider network"), both assessed in the setup through the assessment services.

On the criteria set's page the admin chooses the upper triangle of the 5 x 5 pairwise matrix; the lower triangle
fills in with the reciprocals as they choose (static/closeloop/ahp.js) and the weights and CR follow from the
server's preview (htmx) without saving; Save stores the judgement; Rank gives the result table and the sensitivity
chart (Chart.js).
"""

import pytest

from assessment import ahp
from assessment.models import CriteriaSet, Judgement, Ranking
from assessment.views import number
from partners import demo as partners_demo
from scenarios import demo
from tests.assessment.conftest import library  # noqa: F401  (the fixture)
from tests.e2e.conftest import sign_in
from tests.e2e.test_assessment_journey import NAMES, demo_study  # noqa: F401  (the fixture)
from tests.e2e.test_optimisation_journey import _assess_demo_scenarios

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERIA = [
    "cost.total_eur",
    "recycling_rate",
    "whole_life.climate_change_kg_co2e",
    "whole_life.nonrenewable_energy_mj",
    "whole_life.fresh_water_m3",
]
# The upper triangle as the admin chooses it: cost over the rest, then the recycling rate, then climate change.
UPPER = {
    (0, 1): "2",
    (0, 2): "3",
    (0, 3): "4",
    (0, 4): "5",
    (1, 2): "2",
    (1, 3): "3",
    (1, 4): "3",
    (2, 3): "2",
    (2, 4): "2",
    (3, 4): "1",
}
RECIPROCALS = {(1, 0): "1/2", (2, 0): "1/3", (4, 0): "1/5", (3, 1): "1/3", (4, 3): "1"}
DRAWN = """id => {
    const canvas = document.getElementById(id);
    const chart = canvas && window.Chart && window.Chart.getChart(canvas);
    if (!chart || chart.data.datasets.length !== 2) return false;
    const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
    return false;
}"""


def _value(text: str) -> float:
    top, _, bottom = text.partition("/")
    return float(top) / float(bottom or 1)


def test_admin_weighs_five_indicators_and_ranks_the_demo_scenarios(page, output_dir, demo_study):  # noqa: F811
    _assess_demo_scenarios(demo_study)

    sign_in(page, demo.ADMIN_PERSONA, partners_demo.DEFAULT_PASSWORD)
    page.goto(f"/studies/{demo_study.pk}/")
    with page.expect_navigation():
        page.click("#ahp-link")
    page.wait_for_load_state("load")  # ahp.js (deferred) has run
    # The scenario kind is chosen: indicators only (waits for the script, which hides the sheet criteria).
    page.wait_for_selector("fieldset[data-kind=partner]", state="hidden", timeout=5000)
    page.fill("#id_name", "Five indicators")
    for code in CRITERIA:
        page.check(f"#set-form input[name=criteria][value='{code}']")
    with page.expect_navigation():
        page.click("#create-set")
    criteria_set = CriteriaSet.objects.get(study=demo_study, name="Five indicators")
    assert criteria_set.criteria == CRITERIA
    assert "Criteria set “Five indicators” created" in page.inner_text("main")
    page.wait_for_load_state("load")  # htmx (deferred) has processed the form

    # Start with a circle (cost < recycling rate < climate < cost): the page flags it and names what to revisit.
    page.select_option("select[name=a_0_1]", "1/3")
    page.select_option("select[name=a_1_2]", "1/3")
    page.select_option("select[name=a_0_2]", "3")
    page.wait_for_selector("#revisit")
    assert "Revisit" in page.inner_text("#revisit") and "consistent would be ~" in page.inner_text("#revisit")
    assert "inconsistent" in page.inner_text("#preview-consistency")

    for (i, j), value in UPPER.items():
        page.select_option(f"select[name=a_{i}_{j}]", value)
    for (i, j), text in RECIPROCALS.items():
        assert page.inner_text(f"#reciprocal-{i}-{j}") == text
    matrix = [[1.0] * 5 for _ in range(5)]
    for (i, j), value in UPPER.items():
        matrix[i][j], matrix[j][i] = _value(value), 1 / _value(value)
    expected = ahp.consistency(matrix)
    assert expected.cr <= ahp.CR_LIMIT
    page.wait_for_function(
        "cr => document.getElementById('cr') && document.getElementById('cr').textContent === cr",
        arg=number(expected.cr),
    )
    assert page.locator("#revisit").count() == 0
    assert page.inner_text("#lambda-max") == number(expected.lambda_max)
    weights = page.locator("#preview-weights tbody td.num").all_inner_texts()
    assert weights == [number(w) for w in ahp.priorities(matrix)]
    assert not Judgement.objects.exists()  # the preview saves nothing
    page.wait_for_timeout(1100)  # the reciprocals' highlight fades
    page.screenshot(path=str(output_dir / "ahp.png"), full_page=True)

    with page.expect_navigation():
        page.click("#save-judgement")
    judgement = Judgement.objects.get(criteria_set=criteria_set)
    assert [pytest.approx(row) for row in matrix] == judgement.matrix
    assert "is saved (CR" in page.inner_text("main")
    assert page.locator("#weights-table tbody tr").count() == 6  # five criteria and the CR

    for name in NAMES:
        page.check(f"#rank-form label:has-text('{name}') input")
    with page.expect_navigation():
        page.click("#rank-button")
    page.wait_for_selector("#ranking-result")
    ranking = Ranking.objects.get(criteria_set=criteria_set)
    r = ranking.result
    assert page.url.endswith(f"/studies/{demo_study.pk}/rankings/{ranking.pk}/")
    assert r["scenarios"] == [f"{n} v1" for n in NAMES]
    assert page.inner_text("#winner strong") == r["winner"]
    header = page.locator("#ranking-result thead th").all_inner_texts()
    assert header[-2:] == r["scenarios"]
    assert page.locator("#ranking-result tbody tr").count() == 5
    final = page.locator("#final-row td").all_inner_texts()
    assert final == [number(f) for f in r["final"]]
    page.wait_for_function(DRAWN, arg="sensitivity-chart")
    labels = page.evaluate("() => Chart.getChart(document.getElementById('sensitivity-chart')).data.labels")
    assert labels == r["labels"]
    legend = page.evaluate(
        "() => Chart.getChart(document.getElementById('sensitivity-chart')).legend.legendItems.map(i => i.text)"
    )
    assert legend[:2] == ["May fall by", "May rise by"]
    assert "no change" in page.inner_text("#sensitivity-table") or all(
        s["delta_up"] is not None and s["delta_down"] is not None for s in r["sensitivity"]
    )
    page.screenshot(path=str(output_dir / "ranking.png"), full_page=True)
    assert page.js_errors == []
