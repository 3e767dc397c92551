"""Text another organisation typed never runs as script: markup planted in every free-text field a partner controls
(organisation name, facility name and address, activity data source, sheet summary and constraints, certificate
title and issuer) and in the end collector's text that partners read (its name; the study's name, product and
description, which invited partners see) is shown as literal text on every page of the other tenant, in the map
tooltips and popups and in the chart tooltips.

The demo (partners/demo.py, scenarios/demo.py, assessment/demo.py) with "Ruhr Autoverwertung GmbH" (a partner of the
forge) planting the markup through the services, as its editor and admin would from the forms; the forge's ranking,
assessments, optimisation and a draft to build are made after, so they show the planted names. The end collector's
admin then opens the partners map, the partner's sheet and facility, the "Nearby partners" scenario (the yard is one
of its nodes), its timeline, its assessment, the comparison, the AHP partner ranking and its form, the builder, the
optimise form and the optimisation run, hovers every marker and chart point and opens every popup; the partner's
editor reads the study it is invited into.

Before the fix, hovering the yard's marker on the partners map set window.__xss (Leaflet's tooltips took the
name as HTML).
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment import demo as assessment_demo
from assessment import optimisation
from assessment.models import OptimisationRun
from partners import demo as partners_demo
from partners import services as partner_services
from partners.models import Activity, Material, Membership, Organization
from scenarios import demo
from scenarios import services as scenario_services
from scenarios.models import Scenario
from tests.assessment.conftest import library  # noqa: F401  (the fixture)
from tests.e2e.browser_checks import (
    RECORD_VIOLATIONS,
    hover_chart,
    hover_markers,
    open_popups,
    ran_as_script,
    violations,
)
from tests.e2e.conftest import sign_in
from tests.e2e.test_optimisation_journey import _assess_demo_scenarios
from tests.partners.files import TINY_PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=1</script>"


def planted(text: str) -> str:
    return f"{text} {IMG}{SCRIPT}"


ORGANISATION = planted("Ruhr Autoverwertung")
FACILITY = planted("Yard Dortmund harbour")
ADDRESS = planted("Containerstraße 12")
DATA_SOURCE = planted("Weighbridge records")
SUMMARY = planted("We collect end-of-life vehicles.")
CONSTRAINTS = planted("Lots of 20 t at least.")
CERTIFICATE = planted("Waste permit")
ISSUER = planted("Bezirksregierung Arnsberg")
STUDY = planted("Recycled AA6082")
PRODUCT = planted("Front lower control arm")
STUDY_NOTE = planted("Quotes by March, please.")
END_COLLECTOR = planted("Aluforge Automotive")


@pytest.fixture
def planted_demo(catalogue, library, monkeypatch):  # noqa: F811
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    partners_demo.load_demo()
    study = demo.load_study().study
    ruhr = Organization.objects.get(slug="ruhr-autoverwertung")
    users = get_user_model().objects
    editor = users.get(username="editor")
    ruhr_admin = Membership.objects.get(organization=ruhr, role="admin").user
    admin = users.get(username=demo.ADMIN_PERSONA)

    # The partner plants its markup.
    partner_services.organization_update(user=ruhr_admin, organization=ruhr, name=ORGANISATION)
    yard = ruhr.facilities.get(name="Yard Dortmund harbour")
    partner_services.facility_update(user=editor, facility=yard, name=FACILITY, address=ADDRESS)
    for activity in Activity.objects.filter(facility=yard):
        partner_services.activity_update(user=editor, activity=activity, data_source=DATA_SOURCE)
    partner_services.sheet_update(user=editor, organization=ruhr, summary=SUMMARY, constraints=CONSTRAINTS)
    partner_services.certificate_create(
        user=editor,
        organization=ruhr,
        kind="licence",
        title=CERTIFICATE,
        issuer=ISSUER,
        file=SimpleUploadedFile("permit.pdf", TINY_PDF, content_type="application/pdf"),
    )

    # The study's own text, which invited partners read (before the assessments, whose inputs include it).
    scenario_services.study_update(user=admin, study=study, name=STUDY, product_name=PRODUCT, description=STUDY_NOTE)
    partner_services.organization_update(user=admin, organization=study.end_collector, name=END_COLLECTOR)
    # The end collector's work after it: a ranking, assessments, an optimisation keeping the yard, a draft to build.
    ranking = assessment_demo.load_decisions(study).ranking
    _assess_demo_scenarios(study)
    inputs = optimisation.study_inputs(user=admin, study=study)
    yard_key = next(r["key"] for r in inputs["facilities"] if r["facility"] == FACILITY)
    run = optimisation.optimisation_request(
        user=admin, study=study, constraints={"keep_open": [yard_key]}, pareto_points=3
    )
    run.refresh_from_db()
    if run.status != OptimisationRun.Status.DONE:
        optimisation.optimisation_execute(run_id=run.pk)
        run.refresh_from_db()
    assert run.status == OptimisationRun.Status.DONE, run.error
    nearby = Scenario.objects.get(study=study, name="Nearby partners")
    draft = scenario_services.scenario_clone(user=admin, scenario=nearby, name="Built step by step")
    study.refresh_from_db()
    return {
        "study": study,
        "ruhr": ruhr,
        "yard": yard,
        "ranking": ranking,
        "run": run,
        "nearby": nearby,
        "draft": draft,
        "wider": Scenario.objects.get(study=study, name="Wider network"),
    }


def _open(page, url):
    page.goto(url)
    page.wait_for_load_state("load")  # the maps start on the window's load event
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-leaflet]')].every(el => el.dataset.markers || el.dataset.nodes)"
    )


def _check(page, dialogs, output_dir, name, *, main=(), tooltips=(), popups=(), charts=None):
    """Hover every marker and chart point, open every popup; nothing ran, and the planted texts read literally."""
    charts = charts or {}
    shown = {
        "main": page.inner_text("main"),
        "tooltips": "\n".join(hover_markers(page)),
        "popups": "\n".join(open_popups(page)),
    }
    for canvas in charts:
        page.wait_for_function("id => window.Chart && window.Chart.getChart(document.getElementById(id))", arg=canvas)
        tips = hover_chart(page, canvas)
        assert tips, f"{name}: {canvas} has no point to hover"
        shown[canvas] = "\n".join(tips)
    page.screenshot(path=str(output_dir / f"{name}.png"), full_page=True)
    assert ran_as_script(page, dialogs) == [], name
    assert violations(page) == [], name
    for where, texts in (("main", main), ("tooltips", tooltips), ("popups", popups), *charts.items()):
        for text in texts:
            assert text in shown[where], f"{name}: {text!r} not shown as text in the {where}"
    return shown


def _screenshot_tooltip(page, output_dir, name, text):
    """The marker whose tooltip says `text`, hovered again for the screenshot."""
    # The popups _check left open may lie over the marker and take the pointer: close them first.
    page.evaluate("() => document.querySelectorAll('.leaflet-popup-close-button').forEach(b => b.click())")
    markers = page.locator("path.facility-marker, path.node-marker, path.candidate-marker")
    for i in range(markers.count()):
        markers.nth(i).hover(force=True)
        if any(text in t for t in page.locator(".leaflet-tooltip").all_inner_texts()):
            page.locator(".leaflet-container").first.screenshot(path=str(output_dir / f"{name}.png"))
            return
    raise AssertionError(f"no marker's tooltip says {text!r}")


def test_partner_markup_is_text_on_every_page_of_the_end_collector(page, output_dir, planted_demo):
    p = planted_demo
    study, ruhr, yard, run = p["study"], p["ruhr"], p["yard"], p["run"]
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.context.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, demo.ADMIN_PERSONA, partners_demo.DEFAULT_PASSWORD)
    forge = study.end_collector.slug

    _open(page, f"/o/{forge}/partners/")
    _check(
        page,
        dialogs,
        output_dir,
        "partners",
        main=[ORGANISATION, FACILITY, SUMMARY],
        tooltips=[FACILITY],
        popups=[FACILITY, ORGANISATION],
    )
    _screenshot_tooltip(page, output_dir, "partners-tooltip", FACILITY)

    _open(page, f"/o/{ruhr.slug}/")
    _check(page, dialogs, output_dir, "sheet", main=[ORGANISATION, SUMMARY, CONSTRAINTS, CERTIFICATE, ISSUER])

    _open(page, f"/o/{ruhr.slug}/facilities/")
    _check(page, dialogs, output_dir, "facilities", main=[FACILITY], tooltips=[FACILITY], popups=[FACILITY])

    _open(page, f"/o/{ruhr.slug}/facilities/{yard.pk}/")
    _check(
        page,
        dialogs,
        output_dir,
        "facility",
        main=[FACILITY, ADDRESS, DATA_SOURCE],
        tooltips=[FACILITY],
        popups=[FACILITY, ORGANISATION],
    )

    nearby = p["nearby"]
    _open(page, f"/scenarios/{nearby.pk}/")
    _check(
        page,
        dialogs,
        output_dir,
        "scenario",
        main=[FACILITY, ORGANISATION, STUDY],
        tooltips=[f"Collector: {FACILITY}"],
        popups=[FACILITY, ORGANISATION],
    )
    _screenshot_tooltip(page, output_dir, "scenario-tooltip", FACILITY)

    _open(page, f"/scenarios/{nearby.pk}/history/")
    entry = page.locator("a[href*='?at=']").first.get_attribute("href")
    _check(page, dialogs, output_dir, "timeline")
    _open(page, entry)
    _check(page, dialogs, output_dir, "timeline-past")

    _open(page, f"/scenarios/{nearby.pk}/assessment/")
    _check(page, dialogs, output_dir, "assessment", main=[ORGANISATION])

    _open(page, f"/studies/{study.pk}/compare/?scenarios={nearby.pk}&scenarios={p['wider'].pk}")
    _check(page, dialogs, output_dir, "compare", charts={"canvas-end_of_life": [], "canvas-whole_life": []})

    ranking = p["ranking"]
    _open(page, f"/studies/{study.pk}/partner-rankings/{ranking.pk}/")
    _check(
        page, dialogs, output_dir, "partner-ranking", main=[FACILITY, ORGANISATION], charts={"sensitivity-chart": []}
    )

    parts = Material.objects.get(code=assessment_demo.RANKED_MATERIAL)
    _open(
        page,
        f"/studies/{study.pk}/partners/rank/?criteria_set={ranking.criteria_set_id}&role=collector&material={parts.pk}",
    )
    _check(page, dialogs, output_dir, "partner-rank-form", main=[FACILITY, ORGANISATION])

    _open(page, f"/scenarios/{p['draft'].pk}/build/?direction=forwards&role=collector&ranking={ranking.pk}")
    _check(page, dialogs, output_dir, "builder", main=[FACILITY, ORGANISATION], tooltips=[FACILITY])

    _open(page, f"/studies/{study.pk}/optimise/")
    _check(page, dialogs, output_dir, "optimise", main=[FACILITY])

    _open(page, f"/studies/{study.pk}/optimisations/{run.pk}/")
    # The yard is kept open (its name is on the page, in the constraints), but on the network-cost basis the
    # proposal sends nothing through it, so its marker is not on the map: every tooltip, popup and chart point
    # there is still hovered and opened, and nothing may run.
    _check(page, dialogs, output_dir, "optimisation", main=[FACILITY], charts={"tradeoff-chart": []})

    # The forge's history: the study's and the organisation's changes, old and new values.
    _open(page, f"/o/{forge}/history/")
    _check(page, dialogs, output_dir, "history", main=[STUDY, END_COLLECTOR])


def test_study_text_is_text_for_the_invited_partner(page, output_dir, planted_demo):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.context.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, "editor", partners_demo.DEFAULT_PASSWORD)
    _open(page, f"/studies/{planted_demo['study'].pk}/")
    _check(page, dialogs, output_dir, "study-as-partner", main=[STUDY, PRODUCT, STUDY_NOTE, END_COLLECTOR])
    _open(page, f"/o/{planted_demo['ruhr'].slug}/sharing/")
    _check(page, dialogs, output_dir, "sharing-as-partner", main=[END_COLLECTOR])
