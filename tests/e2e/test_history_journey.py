"""The auditor reads the history as sentences, on a desktop and on a 390 px phone.

Network (tests/scenarios/conftest.py): Stuttgart yard and Mannheim yard -> Hagen sorter -> Neuss remelter -> Forge
plant, drawn through the services by the end collector's editor, then submitted and approved with a comment.
Screenshots go to test-output/<test name>/.
"""

import pytest

from scenarios import services
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.scenarios.conftest import NOT_ASSESSED, build_network, net  # noqa: F401  (the study world, as a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_auditor_reads_the_history_as_sentences(page, output_dir, net, width):  # noqa: F811
    scenario, _, _ = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    services.scenario_approve(
        user=net.ec_admin, scenario=scenario, comment="Within every capacity.", acknowledge=True, reason=NOT_ASSESSED
    )
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, "ec_auditor", PASSWORD)

    page.goto(f"/o/{net.ec.slug}/history/")
    first = page.locator("table.history tbody tr").first
    assert first.locator("td").nth(1).inner_text().startswith("Approved Nearby v1; it is frozen from now on")
    assert "Comment: Within every capacity." in first.inner_text()
    page.screenshot(path=str(output_dir / f"history-{width}.png"), full_page=True)

    page.goto(f"/o/{net.ec.slug}/")
    recent = page.locator("table.history").inner_text()
    assert "Submitted Nearby v1 for approval" in recent
    page.screenshot(path=str(output_dir / f"home-{width}.png"), full_page=True)

    page.goto(f"/scenarios/{scenario.pk}/history/")
    route = page.locator("#timeline tbody tr", has_text="Added the route Stuttgart yard → Hagen sorter").first
    route.locator("summary").click()  # ten fields fold into a "Details" summary
    details = route.locator("ul.changes").inner_text()
    assert "From: Collector: Stuttgart yard" in details and "Backhaul: no" in details
    assert "Share (weight among the routes into the destination): 3" in details
    text = page.locator("#timeline").inner_text()
    for code in ("scenario.route.created", "destination_node", "is_backhaul", "False"):
        assert code not in text
    page.screenshot(path=str(output_dir / f"timeline-{width}.png"), full_page=True)
    assert page.js_errors == []
