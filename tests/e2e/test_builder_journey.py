"""The demo's end collector admin ranks the collectors of aluminium vehicle parts with AHP, then builds a new scenario
step by step backwards from the forge: a recoverer, a sorter, and the collector the ranking puts first.

The partner criteria set is created through the pages (so the journey does not depend on the demo holding one):
price, delivery on time, quality and green processes, weighed by the admin. On the ranking form one criterion is
judged pairwise (static/closeloop/ahp.js shows its candidates x candidates matrix and fills the reciprocals); the
others are scored from the candidates' sheet values. The builder preselects the ranking's top candidate.
"""

import pytest

from assessment import decisions
from assessment.models import CriteriaSet, Judgement, PartnerRanking
from assessment.views import number
from partners import demo as partners_demo
from partners.models import Facility, LogEntry, Material, Membership
from scenarios import demo
from scenarios.models import Node, Scenario
from tests.assessment.conftest import library  # noqa: F401  (the fixture)
from tests.e2e.conftest import sign_in
from tests.e2e.test_ahp_journey import DRAWN
from tests.e2e.test_assessment_journey import demo_study  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CRITERIA = ["price", "delivery-on-time", "quality", "green-processes"]  # in the form's (the catalogue's) order
# Price matters most, then delivery on time and quality alike; green processes least.
UPPER = {(0, 1): "2", (0, 2): "2", (0, 3): "4", (1, 2): "1", (1, 3): "2", (2, 3): "2"}
JUDGED = "green-processes"
# (role, facility name) picked without a ranking; the collector comes from the ranking.
PICKS = [("recoverer", "Remelt plant Neuss"), ("sorter", "Shredder plant Duisburg-Ruhrort")]


def test_admin_ranks_collectors_and_builds_a_scenario_backwards(page, output_dir, demo_study):  # noqa: F811
    study = demo_study
    admin = Membership.objects.filter(organization=study.end_collector, role="admin").first().user
    parts = Material.objects.get(code="al-vehicle-parts")
    sign_in(page, demo.ADMIN_PERSONA, partners_demo.DEFAULT_PASSWORD)

    # A partner criteria set, made and weighed on the decision-aid pages.
    page.goto(f"/studies/{study.pk}/")
    with page.expect_navigation():
        page.click("#ahp-link")
    page.wait_for_load_state("load")
    page.check("#set-form input[name=kind][value=partner]")
    page.fill("#id_name", "Collector selection (journey)")
    for code in CRITERIA:
        page.check(f"#set-form input[name=criteria][value='{code}']")
    with page.expect_navigation():
        page.click("#create-set")
    criteria_set = CriteriaSet.objects.get(study=study, name="Collector selection (journey)")
    assert criteria_set.kind == "partner" and criteria_set.criteria == CRITERIA
    page.wait_for_load_state("load")
    for (i, j), value in UPPER.items():
        page.select_option(f"select[name=a_{i}_{j}]", value)
    with page.expect_navigation():
        page.click("#save-judgement")
    assert Judgement.objects.filter(criteria_set=criteria_set, judge=admin).exists()

    # Rank the collectors taking vehicle parts.
    page.click("#ahp-back")
    with page.expect_navigation():
        page.click("#rank-partners-link")
    page.wait_for_load_state("load")
    page.select_option("#id_criteria_set", str(criteria_set.pk))
    page.select_option("#id_role", "collector")
    page.select_option("#id_material", str(parts.pk))
    with page.expect_navigation():
        page.click("#show-candidates")
    page.wait_for_load_state("load")  # ahp.js (deferred) has hidden the matrices of the criteria scored from values
    candidates = decisions.partner_candidates(user=admin, study=study, role="collector", material=parts)
    assert len(candidates) >= 3
    rows = page.locator("#candidate-table tbody tr")
    assert rows.count() == len(candidates)
    assert rows.nth(0).locator("td").nth(1).inner_text() == candidates[0].name
    page.wait_for_selector(f"#pairwise-{JUDGED}", state="hidden")
    page.check(f"#origin-{JUDGED} input[value=judgements]")
    page.wait_for_selector(f"#pairwise-{JUDGED}", state="visible")
    # The first candidate's processes are moderately greener than the second's: the reciprocal follows.
    page.select_option(f"select[name='m-{JUDGED}-a_0_1']", "3")
    assert page.inner_text(f"#m-{JUDGED}-reciprocal-1-0") == "1/3"
    assert page.inner_text(f"#m-{JUDGED}-reciprocal-2-0") == "1"
    page.wait_for_timeout(1100)  # the reciprocal's highlight fades
    page.screenshot(path=str(output_dir / "rank_partners.png"), full_page=True)
    with page.expect_navigation():
        page.click("#rank-partners")
    page.wait_for_selector("#partner-ranking-result")

    ranking = PartnerRanking.objects.get(criteria_set=criteria_set)
    r = ranking.result
    assert ranking.status == "done" and page.url.endswith(f"/studies/{study.pk}/partner-rankings/{ranking.pk}/")
    assert r["origins"] == ["values", "values", "values", "judgements"]
    assert ranking.local_matrices[JUDGED][0][1] == 3
    assert page.inner_text("#winner strong") == r["winner"]["label"]
    assert f"Ranked: {r['winner']['label']} comes first." in page.inner_text("main")
    ranked = sorted(r["candidates"], key=lambda c: c["rank"])
    scores = page.locator("#partner-ranking-result tbody td.score").all_inner_texts()
    assert scores == [number(c["score"]) for c in ranked]
    page.wait_for_function(DRAWN, arg="sensitivity-chart")
    labels = page.evaluate("() => Chart.getChart(document.getElementById('sensitivity-chart')).data.labels")
    assert labels == r["labels"]
    page.screenshot(path=str(output_dir / "partner_ranking.png"), full_page=True)

    # The decision-aid page lists it.
    with page.expect_navigation():
        page.click("#ahp-back")
    row = page.locator(f"#partner-ranking-table tr[data-ranking='{ranking.pk}']")
    assert "Collector" in row.inner_text() and r["winner"]["label"] in row.inner_text()
    page.locator("#partner-rankings").screenshot(path=str(output_dir / "ahp_partner_rankings.png"))

    # A new scenario, built step by step backwards from the forge.
    page.click("h1 small >> a")  # the study
    page.click("text=New scenario")
    page.fill("#id_name", "Built step by step")
    with page.expect_navigation():
        page.click("text=Create scenario")
    scenario = Scenario.objects.get(study=study, name="Built step by step")
    with page.expect_navigation():
        page.click("#build-link")
    assert page.url.endswith(f"/scenarios/{scenario.pk}/build/")
    for role, name in PICKS:
        assert page.input_value("#id_role") == role  # the next role backwards, chosen by itself
        facility = Facility.objects.get(name=name)
        page.check(f"#option-{facility.pk}")
        with page.expect_navigation():
            page.click("#add-step")
        assert f"{name} (" in page.inner_text("main") and "added, joined by 1 route" in page.inner_text("main")
        assert page.locator(f"#builder-nodes tr[data-role='{role}']:has-text('{name}')").count() == 1
        if role == "recoverer":
            page.wait_for_selector("#builder-map.leaflet-container[data-routes='1']")
            page.screenshot(path=str(output_dir / "builder_first_step.png"), full_page=True)

    # The collectors: the ranking just made is chosen by itself, its winner preselected.
    assert page.input_value("#id_role") == "collector"
    assert page.input_value("#id_ranking") == str(ranking.pk)
    winner = r["winner"]["facility_id"]
    assert page.is_checked(f"#option-{winner}")
    assert page.locator("#options-table tbody tr").first.get_attribute("data-facility") == str(winner)
    with page.expect_navigation():
        page.click("#add-step")
    # One collector cannot supply the forge's 600 t/year: the network is joined end to end but not complete, and
    # the page names the collector asked for more than its capacity (it was called complete before).
    page.wait_for_selector("#builder-problems")
    assert page.locator("#network-complete").count() == 0
    problems = page.inner_text("#builder-problems")
    winner_name = Facility.objects.get(pk=r["winner"]["facility_id"]).name
    assert f"Collector: {winner_name}" in problems and "but its capacity is" in problems
    page.wait_for_selector("#builder-map.leaflet-container[data-routes='3']")
    nodes = Node.objects.filter(scenario=scenario)
    assert sorted(nodes.values_list("role", flat=True)) == ["collector", "end_collector", "recoverer", "sorter"]
    assert nodes.get(role="collector").facility_id == winner
    assert page.locator("#choice-table tbody tr").count() == 3
    last = page.locator("#choice-table tbody tr").nth(2).inner_text()
    assert r["winner"]["label"] in last and "admin" in last
    steps = LogEntry.objects.filter(action="scenario.builder.step", parent_id=str(scenario.pk)).order_by("pk")
    assert [e.changes["role"][1] for e in steps] == ["recoverer", "sorter", "collector"]
    assert steps.last().changes["rank"] == [None, 1]
    page.screenshot(path=str(output_dir / "builder_complete.png"), full_page=True)

    with page.expect_navigation():
        page.click("#scenario-back")
    assert page.locator("#problems").count() == 0  # nothing structural: it may be submitted, acknowledging these
    assert not page.is_disabled("#submit-scenario")
    assert f"Collector: {winner_name}" in page.inner_text("#submit-form #review-problems")
    assert page.js_errors == []


def test_the_ranking_page_follows_a_worker_until_it_is_done(
    page,
    output_dir,
    demo_study,  # noqa: F811  (the fixture imported above)
    settings,
    monkeypatch,
):
    """A ranking of many candidates goes to a worker: the page shows its progress (htmx polls the live part) and
    the result with its chart once the worker is done. The worker is played by the test."""
    from assessment import tasks

    study = demo_study
    admin = Membership.objects.filter(organization=study.end_collector, role="admin").first().user
    criteria_set = decisions.criteria_set_create(
        user=admin, study=study, name="Price and quality (worker)", kind="partner", criteria=["price", "quality"]
    )
    decisions.judgement_set(user=admin, criteria_set=criteria_set, matrix=[[1, 3], [1 / 3, 1]])
    settings.AHP_TASK_MIN_CANDIDATES = 3
    monkeypatch.setattr(tasks.rank_partners, "delay", lambda pk: None)  # no worker picks it up by itself
    parts = Material.objects.get(code="al-vehicle-parts")
    ranking = decisions.partner_ranking_request(
        user=admin, study=study, criteria_set=criteria_set, role="collector", material=parts
    )
    assert ranking.status == "pending"

    sign_in(page, demo.ADMIN_PERSONA, partners_demo.DEFAULT_PASSWORD)
    page.goto(f"/studies/{study.pk}/partner-rankings/{ranking.pk}/")
    page.wait_for_selector("#ranking-progress >> text=The ranking is pending")
    PartnerRanking.objects.filter(pk=ranking.pk).update(status="running", progress_done=4)
    total = ranking.progress_total
    page.wait_for_selector(f"#ranking-progress-text >> text=4 of {total} steps", timeout=5000)
    assert page.get_attribute("#ranking-progress-bar", "value") == "4"
    page.screenshot(path=str(output_dir / "ranking_progress.png"), full_page=True)
    PartnerRanking.objects.filter(pk=ranking.pk).update(status="pending", progress_done=0)
    assert decisions.partner_ranking_execute(ranking_id=ranking.pk) == "done"  # what a worker would do
    page.wait_for_selector("#partner-ranking-result", timeout=5000)
    assert page.locator("#ranking-progress").count() == 0
    ranking.refresh_from_db()
    assert page.inner_text("#winner strong") == ranking.result["winner"]["label"]
    page.wait_for_function(DRAWN, arg="sensitivity-chart")  # drawn after the swap
    assert page.js_errors == []
