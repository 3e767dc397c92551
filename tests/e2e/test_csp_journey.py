"""Every persona's main pages work under the Content-Security-Policy: no console message "Refused to ..." or
"... violates the following Content Security Policy directive", no securitypolicyviolation event and no page error,
with maps started, charts drawn and the interactive parts used (the location picker, the AHP preview htmx swaps in,
assessing, optimising, the confirmation before deleting a draft, the API docs).

Demo data (partners/demo.py, scenarios/demo.py, assessment/demo.py), with both demo scenarios assessed, a ranking of
them on two indicators and an optimisation with its trade-off, so every chart has something to draw.
"""

import re

import pytest
from django.contrib.auth import get_user_model

from assessment import decisions
from assessment import demo as assessment_demo
from assessment.models import OptimisationRun
from partners import demo as partners_demo
from partners.models import Organization
from scenarios import demo
from scenarios import services as scenario_services
from scenarios.models import Scenario
from tests.assessment.conftest import library  # noqa: F401  (the fixture)
from tests.e2e.browser_checks import RECORD_VIOLATIONS, violations
from tests.e2e.conftest import sign_in
from tests.e2e.test_optimisation_journey import _assess_demo_scenarios

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSP_MESSAGE = re.compile(r"Refused to|Content Security Policy")
# Every map started (its ready function marks the container) and every chart drawn (its script marks the canvas).
SETTLED = """() => [...document.querySelectorAll('[data-leaflet]')].every(el =>
        el.dataset.markers || el.dataset.nodes || el.classList.contains('picker')) &&
    [...document.querySelectorAll('canvas[data-radar], canvas[data-tradeoff], canvas[data-sensitivity]')]
        .every(c => c.dataset.drawn)"""


@pytest.fixture
def demo_world(catalogue, library, monkeypatch):  # noqa: F811
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    partners_demo.load_demo()
    study = demo.load_study().study
    ranking = assessment_demo.load_decisions(study).ranking
    _assess_demo_scenarios(study)
    admin = get_user_model().objects.get(username=demo.ADMIN_PERSONA)
    scenarios = {s.name: s for s in Scenario.objects.filter(study=study)}
    indicators = decisions.criteria_set_create(
        user=admin,
        study=study,
        name="Cost and climate",
        kind="scenario",
        criteria=["cost.total_eur", "end_of_life.climate_change_kg_co2e"],
    )
    decisions.judgement_set(user=admin, criteria_set=indicators, matrix=[[1, 2], [1 / 2, 1]])
    scenario_ranking = decisions.scenario_ranking_create(
        user=admin, study=study, criteria_set=indicators, scenario_ids=[s.pk for s in scenarios.values()]
    )
    draft = scenario_services.scenario_clone(user=admin, scenario=scenarios["Nearby partners"], name="To delete")
    return {"study": study, "ranking": ranking, "scenario_ranking": scenario_ranking, "draft": draft, **scenarios}


class Watch:
    """Collects CSP messages of the console; each visit then checks them, the violation events and page errors."""

    def __init__(self, page, output_dir):
        self.page, self.output_dir, self.messages = page, output_dir, []
        page.on("console", lambda m: self.messages.append(m.text) if CSP_MESSAGE.search(m.text) else None)
        page.context.add_init_script(RECORD_VIOLATIONS)

    def check(self, what: str):
        page = self.page
        page.wait_for_function(SETTLED)
        assert self.messages == [], what
        assert violations(page) == [], what
        assert page.js_errors == [], what

    def visit(self, url: str, shot: str | None = None):
        response = self.page.goto(url)
        assert response.status == 200, url
        self.page.wait_for_load_state("load")
        self.check(url)
        if shot:
            self.page.screenshot(path=str(self.output_dir / f"{shot}.png"), full_page=True)


def test_partner_editor_pages_work_under_the_policy(page, output_dir, demo_world):
    watch = Watch(page, output_dir)
    watch.visit("/accounts/login/", "login")
    sign_in(page, "editor", partners_demo.DEFAULT_PASSWORD)
    ruhr = Organization.objects.get(slug="ruhr-autoverwertung")
    yard = ruhr.facilities.get(name="Yard Dortmund harbour")
    for url in [
        "/",
        f"/o/{ruhr.slug}/",
        f"/o/{ruhr.slug}/sheet/edit/",
        f"/o/{ruhr.slug}/certificates/new/",
        f"/o/{ruhr.slug}/facilities/",
        f"/o/{ruhr.slug}/facilities/{yard.pk}/",
        f"/o/{ruhr.slug}/facilities/{yard.pk}/activities/new/",
        f"/o/{ruhr.slug}/sharing/",
        f"/o/{ruhr.slug}/members/",
        f"/o/{ruhr.slug}/history/",
        "/o/duisburger-shredderwerk/",
        "/organizations/new/",
        f"/studies/{demo_world['study'].pk}/",
        f"/api/v1/organizations/{ruhr.slug}/facilities/",
    ]:
        watch.visit(url)

    # The location picker: a click on the map fills the coordinates (maps.js, started by map_init.js).
    watch.visit(f"/o/{ruhr.slug}/facilities/{yard.pk}/edit/")
    before = page.input_value("#id_latitude")
    box = page.locator("#location-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.25)
    assert page.input_value("#id_latitude") not in ("", before)
    watch.check("location picker")
    page.screenshot(path=str(output_dir / "facility-edit.png"), full_page=True)

    # The API docs: Swagger UI starts from its script URL and lists the API.
    watch.visit("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock-tag")
    page.locator(".swagger-ui .opblock-summary").first.click()  # an operation opens with its parameters
    page.wait_for_selector(".swagger-ui .opblock.is-open .opblock-body")
    watch.check("API docs")
    page.screenshot(path=str(output_dir / "api-docs.png"))


def test_end_collector_admin_pages_work_under_the_policy(page, output_dir, demo_world):
    w = demo_world
    study, nearby, wider = w["study"], w["Nearby partners"], w["Wider network"]
    watch = Watch(page, output_dir)
    sign_in(page, demo.ADMIN_PERSONA, partners_demo.DEFAULT_PASSWORD)
    forge = study.end_collector.slug
    for url, shot in [
        ("/", None),
        (f"/o/{forge}/partners/", "partners"),
        (f"/o/{forge}/studies/", None),
        (f"/o/{forge}/studies/new/", None),
        (f"/studies/{study.pk}/", None),
        (f"/studies/{study.pk}/edit/", None),
        (f"/studies/{study.pk}/scenarios/new/", None),
        (f"/scenarios/{nearby.pk}/", "scenario"),
        (f"/scenarios/{wider.pk}/", None),
        (f"/scenarios/{w['draft'].pk}/", "draft"),
        (f"/scenarios/{nearby.pk}/history/", None),
        (f"/scenarios/{nearby.pk}/assessment/", "assessment"),
        (f"/studies/{study.pk}/factors/", None),
        (f"/studies/{study.pk}/compare/?scenarios={nearby.pk}&scenarios={wider.pk}", "compare"),
        (f"/studies/{study.pk}/ahp/", None),
        (f"/studies/{study.pk}/rankings/{w['scenario_ranking'].pk}/", "ranking"),
        (f"/studies/{study.pk}/partners/rank/", None),
        (f"/studies/{study.pk}/partner-rankings/{w['ranking'].pk}/", "partner-ranking"),
        (f"/scenarios/{w['draft'].pk}/build/", "builder"),
        (f"/o/{forge}/members/", None),
        (f"/o/{forge}/sharing/", None),
        (f"/o/{forge}/history/", None),
    ]:
        watch.visit(url, shot)

    # A past version on the timeline, with its map.
    watch.visit(f"/scenarios/{nearby.pk}/history/")
    with page.expect_navigation():
        page.locator("a[href*='?at=']").first.click()
    watch.check("timeline, past version")

    # The AHP judgement: changing one swaps the preview in through htmx, with its weight bars (meters).
    watch.visit(f"/studies/{study.pk}/ahp/{w['ranking'].criteria_set_id}/")
    with page.expect_response(lambda r: "/preview/" in r.url):
        page.select_option("select[name=a_0_1]", "5")
    page.wait_for_function("() => document.querySelectorAll('#preview-weights meter.bar').length === 4")
    watch.check("AHP preview")
    page.screenshot(path=str(output_dir / "ahp-set.png"), full_page=True)

    # Assess again from the page, then optimise with the trade-off from the form.
    watch.visit(f"/scenarios/{nearby.pk}/assessment/")
    with page.expect_navigation():
        page.click("#assess")
    watch.check("assessment re-run")
    watch.visit(f"/studies/{study.pk}/optimise/")
    with page.expect_navigation():
        page.click("#optimise-button")
    run = OptimisationRun.objects.get(study=study)
    assert run.status == OptimisationRun.Status.DONE, run.error
    watch.check("optimisation run")
    page.screenshot(path=str(output_dir / "optimisation.png"), full_page=True)

    # Deleting a draft asks first (confirm.js instead of an inline handler): dismissed, nothing happens; accepted,
    # the draft is gone.
    answers = iter([False, True])
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept() if next(answers) else dialog.dismiss()

    page.on("dialog", answer)
    watch.visit(f"/scenarios/{w['draft'].pk}/")
    page.click("text=Delete draft")
    assert Scenario.objects.filter(pk=w["draft"].pk).exists()
    with page.expect_navigation():
        page.click("text=Delete draft")
    assert questions == ["Delete this draft? Its history stays in the log."] * 2
    assert not Scenario.objects.filter(pk=w["draft"].pk).exists()
    watch.check("draft deleted")


def test_auditor_pages_work_under_the_policy(page, output_dir, demo_world):
    w = demo_world
    study, nearby = w["study"], w["Nearby partners"]
    watch = Watch(page, output_dir)
    sign_in(page, "auditor", partners_demo.DEFAULT_PASSWORD)
    forge = study.end_collector.slug
    for url in [
        "/",
        f"/o/{forge}/",
        f"/o/{forge}/facilities/",
        f"/o/{forge}/partners/",
        f"/o/{forge}/history/",
        f"/studies/{study.pk}/",
        f"/scenarios/{nearby.pk}/",
        f"/scenarios/{nearby.pk}/history/",
        f"/scenarios/{nearby.pk}/assessment/",
        f"/studies/{study.pk}/ahp/",
        f"/studies/{study.pk}/partner-rankings/{w['ranking'].pk}/",
        f"/studies/{study.pk}/rankings/{w['scenario_ranking'].pk}/",
    ]:
        watch.visit(url)
    page.screenshot(path=str(output_dir / "auditor-ranking.png"), full_page=True)


def test_staff_admin_pages_work_under_the_policy(page, output_dir, demo_world):
    get_user_model().objects.create_superuser("staff", "staff@closeloop.test", "staff-password-for-the-test")
    watch = Watch(page, output_dir)
    page.goto("/admin/login/")
    page.fill("input[name=username]", "staff")
    page.fill("input[name=password]", "staff-password-for-the-test")
    with page.expect_navigation():
        page.click("input[type=submit]")
    for url in [
        "/admin/",
        "/admin/partners/material/",
        "/admin/partners/process/",
        "/admin/auth/user/",
        "/admin/partners/facility/",
        "/admin/partners/material/add/",
    ]:
        watch.visit(url)
    page.screenshot(path=str(output_dir / "admin-add-material.png"), full_page=True)
