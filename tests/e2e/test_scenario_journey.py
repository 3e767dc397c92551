"""The end collector's editor builds a three-stage scenario on the map page and submits it; the admin approves it.
The scenario is not assessed, so both the submit and the approve buttons show that problem next to them and go on
only with the box ticked and a reason (screenshots at desktop width and at 390 px).

Network (tests/scenarios/conftest.py, need 90 t/year): Stuttgart yard (collector, 0.85) -> Hagen sorter (0.8) ->
Neuss remelter (0.9) -> Forge plant. Worked out by hand: Neuss must deliver 90, so receives 90 / 0.9 = 100; Hagen
delivers 100, so receives 100 / 0.8 = 125, all from Stuttgart, which collects 125 / 0.85 = 147.06 t/year.
"""

import pytest

from partners.models import LogEntry
from scenarios.models import Node, Scenario
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.scenarios.conftest import net  # noqa: F401  (the study world, as a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def route_cells(page, origin: str) -> list[str]:
    """The cells of a route's row: origin -> destination, material, share, recommended, quantity, mode, ..."""
    return page.locator(f"#route-table tbody tr:has-text('{origin} →') td").all_inner_texts()


def test_editor_builds_and_submits_admin_approves(page, output_dir, net):  # noqa: F811
    sign_in(page, "ec_editor", PASSWORD)
    page.click("nav >> text=Studies")
    page.click("#study-table >> text=Control arm")
    page.click("text=New scenario")
    page.fill("#id_name", "Three stages")
    page.click("text=Create scenario")
    page.wait_for_selector("#scenario-map.leaflet-container[data-candidates]")
    scenario = Scenario.objects.get(name="Three stages")
    assert page.url.endswith(f"/scenarios/{scenario.pk}/")
    assert page.get_attribute("#scenario-map", "data-nodes") == "1"  # the end collector's plant, added by itself

    # Add the three partners by clicking their faint markers on the map: the click fills the node form.
    for facility, role in [(net.stuttgart, "collector"), (net.hagen, "sorter"), (net.neuss, "recoverer")]:
        page.wait_for_selector("#scenario-map.leaflet-container[data-candidates]")
        page.click(f"#scenario-map path.candidate-{facility.pk}")
        assert page.input_value("#id_facility") == str(facility.pk)
        assert page.input_value("#id_role") == role
        page.click("#node-form button[type=submit]")
        page.wait_for_selector(f"text={role.capitalize()}: {facility.name} added.")
    nodes = {n.facility.name: n.pk for n in Node.objects.filter(scenario=scenario).select_related("facility")}
    assert len(nodes) == 4

    for origin, destination, material in [
        ("Stuttgart yard", "Hagen sorter", "al-vehicle-parts"),
        ("Hagen sorter", "Neuss remelter", "al-sorted-6xxx"),
        ("Neuss remelter", "Forge plant", "al-secondary-billet"),
    ]:
        page.select_option("#id_origin", str(nodes[origin]))
        page.select_option("#id_destination", str(nodes[destination]))
        page.select_option("#id_material", material)
        page.click("#route-form button[type=submit]")
        page.wait_for_selector("text=drawn.")
    page.wait_for_selector("#scenario-map.leaflet-container[data-routes='3']")
    assert page.locator("#scenario-map path.route-line").count() == 3

    # The hand-worked recommended quantities.
    assert route_cells(page, "Neuss remelter")[3:5] == ["90", "recommended"]
    assert route_cells(page, "Hagen sorter")[3:5] == ["100", "recommended"]
    assert route_cells(page, "Stuttgart yard")[3:5] == ["125", "recommended"]
    assert "147.06" in page.inner_text(f"#node-table tr[data-node='{nodes['Stuttgart yard']}']")
    assert page.locator("#problems").count() == 0

    page.screenshot(path=str(output_dir / "draft.png"), full_page=True)
    # Not assessed: the problem is listed inside the submit form; submitting without the acknowledgement is refused
    # with a message naming it, and the scenario stays a draft.
    assert "It has no assessment result yet." in page.inner_text("#submit-form #review-problems")
    page.click("#submit-scenario")
    page.wait_for_selector("text=This scenario has problems: It has no assessment result yet.")
    assert Scenario.objects.get(pk=scenario.pk).status == "draft"
    page.check("#acknowledge-submit")
    page.fill("#reason-submit", "Assessed after the partners confirm their prices.")
    page.locator("#submit-form").screenshot(path=str(output_dir / "submit-acknowledge.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#submit-form").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "submit-acknowledge-390.png"), full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("#submit-scenario")
    page.wait_for_selector("#status-banner >> text=waiting for an admin")
    page.click("text=Sign out ec_editor")

    sign_in(page, "shared_member", PASSWORD)  # the end collector's admin
    page.goto(f"/scenarios/{scenario.pk}/")
    assert "It has no assessment result yet." in page.inner_text("#decision-form #review-problems")
    page.fill("#decision-comment", "Capacities checked with the partners.")
    page.click("#approve")
    page.wait_for_selector("text=This scenario has problems: It has no assessment result yet.")
    assert Scenario.objects.get(pk=scenario.pk).status == "submitted"
    page.fill("#decision-comment", "Capacities checked with the partners.")
    page.check("#acknowledge-approve")
    page.fill("#reason-approve", "The prices are fixed by contract; the assessment follows.")
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#decision-form").scroll_into_view_if_needed()
    page.screenshot(path=str(output_dir / "approve-acknowledge-390.png"), full_page=False)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.locator("#decision-form").screenshot(path=str(output_dir / "approve-acknowledge.png"))
    page.click("#approve")
    page.wait_for_selector("#status-banner.frozen")
    banner = page.inner_text("#status-banner")
    assert "by shared_member; frozen: make a new version to change it." in banner
    assert "Capacities checked with the partners." in banner
    assert page.locator("#node-form").count() == 0
    page.wait_for_selector("#scenario-map.leaflet-container[data-routes='3']")
    page.screenshot(path=str(output_dir / "scenario.png"), full_page=True)

    # The timeline: the version just after the second route was drawn has two routes on its map.
    page.click("#scenario-actions >> text=Timeline")
    drawn = LogEntry.objects.filter(action="scenario.route.created", parent_id=str(scenario.pk)).order_by("pk")
    second_route = drawn[1]
    page.click(f"#timeline a[href='?at={second_route.pk}#past-version']")
    page.wait_for_selector("#past-map.leaflet-container[data-routes='2']")
    assert "Version as of" in page.inner_text("#past-version h2")
    assert page.locator("#past-route-table tbody tr").count() == 2
    page.screenshot(path=str(output_dir / "timeline.png"), full_page=True)

    scenario.refresh_from_db()
    assert scenario.status == "approved" and scenario.decided_by == net.ec_admin
    assert LogEntry.objects.filter(action="scenario.approved", target_id=str(scenario.pk)).count() == 1
    reasons = LogEntry.objects.filter(action="scenario.problems_acknowledged", target_id=str(scenario.pk))
    assert [e.changes["reason"][1] for e in reasons.order_by("pk")] == [
        "Assessed after the partners confirm their prices.",
        "The prices are fixed by contract; the assessment follows.",
    ]
    assert page.js_errors == []
