"""A partner editor signs in, adds a facility by clicking the map, and sees it listed and on the map."""

from decimal import Decimal

import pytest

from partners.models import Facility, LogEntry
from tests.conftest import PASSWORD, make_org, make_user
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_adds_facility_by_clicking_the_map(page, output_dir, settings, catalogue):
    org = make_org("Alu Collect", "alu-collect")
    editor = make_user("editor")
    org.memberships.create(user=editor, role="editor")

    sign_in(page, "editor", PASSWORD)
    assert page.url.endswith("/o/alu-collect/")  # a single organisation: straight to its sheet

    page.click("text=Facilities")
    page.click("text=Add facility")
    page.wait_for_selector("#location-map.leaflet-container")

    # The map opens on LEAFLET_CONFIG's DEFAULT_CENTER (50.0 N, 8.0 E) at zoom 4, where one pixel spans
    # 360 / (256 * 2**4) = 0.088 degrees of longitude; a click at the exact centre must give that point.
    center_lat, center_lon = settings.LEAFLET_CONFIG["DEFAULT_CENTER"]
    box = page.locator("#location-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    latitude = float(page.input_value("#id_latitude"))
    longitude = float(page.input_value("#id_longitude"))
    assert abs(latitude - center_lat) < 0.2
    assert abs(longitude - center_lon) < 0.2
    assert page.locator("#location-map .leaflet-marker-icon").count() == 1

    page.fill("#id_name", "Mainz dismantling yard")
    page.fill("#id_address", "Industriestrasse 1, Mainz")
    page.select_option("#id_country", "DE")
    page.fill("#id_capacity_t_per_year", "2500")
    page.check("input[name=roles][value=collector]")
    page.check("input[name=accepted_materials][value=al-vehicle-parts]")
    page.click("text=Save facility")
    page.wait_for_selector("text=saved")

    facility = Facility.objects.get(organization=org)
    assert facility.name == "Mainz dismantling yard"
    assert facility.capacity_t_per_year == Decimal("2500")
    assert facility.roles == ["collector"]
    assert abs(float(facility.latitude) - latitude) < 1e-6
    assert LogEntry.objects.filter(organization=org, action="facility.created").count() == 1

    page.click("nav >> text=Facilities")
    page.wait_for_selector("#facilities-map.leaflet-container")
    assert page.locator("#facility-table tbody tr").count() == 1
    assert "Mainz dismantling yard" in page.inner_text("#facility-table")
    assert page.locator("#facilities-map path.facility-marker").count() == 1
    assert page.get_attribute("#facilities-map", "data-markers") == "1"
    page.screenshot(path=str(output_dir / "facilities.png"), full_page=True)
    assert page.js_errors == []
