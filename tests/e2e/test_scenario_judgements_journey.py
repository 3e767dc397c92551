"""The demo's end collector admin ranks the two demo scenarios on the aluminium case study's published judgements,
entered per criterion on the ranking form of the criteria set's page, and reads the published final scores.

Scenario 1 is "Nearby partners", scenario 2 "Wider network" (the form lists them by name: the order of the
matrices' rows). Both are assessed in the setup through the assessment services; their indicator values are not
used, every criterion being judged pairwise.

Weights: criteria non-renewable energy, climate change, fresh water, recycling rate, total RL cost weighted
w = 0.316 / 0.286 / 0.185 / 0.094 / 0.119. A criteria set takes only pairwise matrices (no weights), and Saaty's
whole-number scale cannot give these weights, so the setup stores through the service the consistent matrix
a_ij = w_i / w_j: A w = n w, so its principal eigenvector is w itself, exactly (0.316 / 0.286 / 0.185 / 0.094 /
0.119 to 3 decimals and beyond), CR 0. One such set per phase (end-of-life and whole-life indicators).

For two alternatives with judgement a (scenario 1 against 2), the local priorities are a / (1 + a) and 1 / (1 + a).
End of life, a = 5, 3, 3, 1/5, 7: scenario 1's locals 5/6, 3/4, 3/4, 1/6, 7/8;
  0.316 x 5/6 + 0.286 x 3/4 + 0.185 x 3/4 + 0.094 x 1/6 + 0.119 x 7/8
  = 0.26333 + 0.21450 + 0.13875 + 0.01567 + 0.10413 = 0.73637 -> 0.736, scenario 2: 0.26363 -> 0.264.
Whole life, a = 1/3, 1/3, 1/5, 1/5, 7: scenario 1's locals 1/4, 1/4, 1/6, 1/6, 7/8;
  0.316 x 1/4 + 0.286 x 1/4 + 0.185 x 1/6 + 0.094 x 1/6 + 0.119 x 7/8
  = 0.07900 + 0.07150 + 0.03083 + 0.01567 + 0.10413 = 0.30113 -> 0.301, scenario 2: 0.69887 -> 0.699.
A 2 x 2 reciprocal matrix is always consistent: each matrix shows CR 0.

The end-of-life ranking is entered at desktop width, the whole-life one at 390 px (a phone).

A third scenario of the study, "Zero-waste draft" (listed last), is in every matrix. Ticked, and the first
criterion judged in a circle (Nearby 3 x Wider, Wider 3 x Zero-waste, Zero-waste 3 x Nearby), the matrix
[[1, 3, 1/3], [1/3, 1, 3], [3, 1/3, 1]] is circulant: lambda_max = 1 + 3 + 1/3 = 4.333, CI = (4.333 - 3) / 2 =
0.6667, CR = 0.6667 / 0.58 = 1.149, shown "1.15" and flagged inconsistent. Unticked, its row and column hide and
the 2 x 2 matrix left has CR 0; the ranking leaves it out.
"""

import pytest

from assessment import decisions
from assessment.models import Ranking
from partners import demo as partners_demo
from scenarios import demo
from scenarios import services as scenario_services
from tests.assessment.conftest import library  # noqa: F401  (the fixture)
from tests.e2e.browser_checks import RECORD_VIOLATIONS
from tests.e2e.conftest import sign_in
from tests.e2e.test_assessment_journey import NAMES, demo_study  # noqa: F401  (the fixture)
from tests.e2e.test_optimisation_journey import _admin, _assess_demo_scenarios

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

W = [0.316, 0.286, 0.185, 0.094, 0.119]
PHASES = {
    "end_of_life": (
        "Case study, end of life",
        ["5", "3", "3", "1/5", "7"],
        ["1/5", "1/3", "1/3", "5", "1/7"],
        ["0.736", "0.264"],
        {"width": 1280, "height": 1000},
    ),
    "whole_life": (
        "Case study, whole life",
        ["1/3", "1/3", "1/5", "1/5", "7"],
        ["3", "3", "5", "5", "1/7"],
        ["0.301", "0.699"],
        {"width": 390, "height": 844},
    ),
}


def _criteria(phase: str) -> list[str]:
    return [
        f"{phase}.nonrenewable_energy_mj",
        f"{phase}.climate_change_kg_co2e",
        f"{phase}.fresh_water_m3",
        "recycling_rate",
        "cost.total_eur",
    ]


def test_admin_ranks_the_demo_scenarios_on_the_case_judgements(page, output_dir, demo_study):  # noqa: F811
    admin = _admin(demo_study)
    _assess_demo_scenarios(demo_study)
    sets = {}
    for phase, (set_name, *_rest) in PHASES.items():
        sets[phase] = decisions.criteria_set_create(
            user=admin, study=demo_study, name=set_name, kind="scenario", criteria=_criteria(phase)
        )
        decisions.judgement_set(user=admin, criteria_set=sets[phase], matrix=[[wi / wj for wj in W] for wi in W])
        weights = decisions.weights(user=admin, criteria_set=sets[phase])["group"]["weights"]
        assert [round(w, 3) for w in weights] == W

    scenario_services.scenario_create(user=admin, study=demo_study, name="Zero-waste draft")

    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, demo.ADMIN_PERSONA, partners_demo.DEFAULT_PASSWORD)
    for phase, (set_name, judgements, reciprocals, final, viewport) in PHASES.items():
        page.set_viewport_size(viewport)
        page.goto(f"/studies/{demo_study.pk}/ahp/")
        with page.expect_navigation():
            page.click(f"#set-table >> text={set_name}")
        page.wait_for_load_state("load")  # ahp.js (deferred) has run
        # Before choosing, every criterion is scored from the indicator values: no matrix shows.
        assert page.locator("#rank-form .pairwise:visible").count() == 0
        for name in NAMES:
            page.check(f"#rank-form label:has-text('{name}') input")
        third = page.locator("#rank-form label:has-text('Zero-waste draft') input")
        if phase == "end_of_life":
            third.check()
            page.check("#rank-origin-0 input[value=judgements]")
            for cell, value in (("a_0_1", "3"), ("a_1_2", "3"), ("a_0_2", "1/3")):
                page.select_option(f"select[name='rank0-{cell}']", value)
            assert page.inner_text("#rank-cr-0") == "1.15"
            assert page.inner_text("#rank-cr-verdict-0").startswith("inconsistent (CR above 0.1)")
            assert page.locator("#rank-matrix-0 tbody tr:visible").count() == 3
            page.locator("#rank-pairwise-0").screenshot(path=str(output_dir / "three-scenarios-circle.png"))
            third.uncheck()
            assert page.locator("#rank-matrix-0 tbody tr:visible").count() == 2
            heads = page.locator("#rank-matrix-0 thead th:visible").all_inner_texts()
            assert heads == ["", *(f"{n} v1" for n in NAMES)]
            assert page.inner_text("#rank-cr-0") == "0"
        assert not third.is_checked()
        legends = page.locator("#rank-form fieldset.criterion-origin legend").all_inner_texts()
        assert legends[3:] == ["Recycling rate", "Total RL cost"]
        assert legends[0].startswith("Non-renewable energy") and legends[2].startswith("Fresh water")
        for k, (a, inverse) in enumerate(zip(judgements, reciprocals)):
            page.check(f"#rank-origin-{k} input[value=judgements]")
            assert page.locator(f"#rank-pairwise-{k}").is_visible()
            page.select_option(f"select[name='rank{k}-a_0_1']", a)
            assert page.inner_text(f"#rank{k}-reciprocal-1-0") == inverse
            assert page.inner_text(f"#rank-cr-{k}") == "0"
            assert page.inner_text(f"#rank-cr-verdict-{k}") == "consistent (CR ≤ 0.1)"
        page.wait_for_timeout(1100)  # the reciprocals' highlight fades
        page.screenshot(path=str(output_dir / f"{phase}-form.png"), full_page=True)
        page.locator("#rank").screenshot(path=str(output_dir / f"{phase}-rank-form.png"))
        with page.expect_navigation():
            page.click("#rank-button")
        page.wait_for_selector("#ranking-result")
        ranking = Ranking.objects.get(criteria_set=sets[phase])
        assert ranking.result["scenarios"] == [f"{n} v1" for n in NAMES]
        assert page.locator("#final-row td").all_inner_texts() == final
        origins = page.locator("#ranking-result tbody tr td:nth-child(2)").all_inner_texts()
        assert origins == ["pairwise judgements (CR 0)"] * 5
        weights = page.locator("#ranking-result tbody tr td:nth-child(3)").all_inner_texts()
        assert weights == ["0.316", "0.286", "0.185", "0.094", "0.119"]
        page.screenshot(path=str(output_dir / f"{phase}-ranking.png"), full_page=True)
        page.locator("#ranking-result").screenshot(path=str(output_dir / f"{phase}-ranking-table.png"))
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page is {overflow} px wider than the screen"
    assert page.evaluate("() => window.__cspViolations") == []
    assert page.js_errors == []
