"""The study form takes the target recycled share in %: typing 30 with 2.5 kg a unit and 100,000 units a year shows
at once the tonnage it gives, 0.30 x 2.5 kg x 100,000 / 1000 = 75 t/year, and saving stores the fraction 0.3."""

from decimal import Decimal

import pytest

from scenarios.models import Study
from tests.conftest import PASSWORD
from tests.e2e.conftest import sign_in
from tests.scenarios.conftest import net  # noqa: F401  (the study world, as a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_share_typed_in_percent_gives_the_tonnage(page, output_dir, net):  # noqa: F811
    sign_in(page, "ec_editor", PASSWORD)
    page.goto("/o/forge-works/studies/new/")
    page.fill("#id_name", "Knuckle")
    page.fill("#id_product_name", "Steering knuckle")
    page.select_option("#id_product_material", "al-secondary-billet")
    page.fill("#id_product_mass_kg", "2.5")
    page.fill("#id_units_per_year", "100000")
    page.fill("#id_recycled_share_pct", "30")
    assert page.inner_text("#derived-need") == "The share gives 75 t/year of recycled material."
    page.screenshot(path=str(output_dir / "study-share-percent.png"), full_page=True)
    page.click("text=Save study")
    page.wait_for_url("**/studies/*/")
    assert Study.objects.get(name="Knuckle").recycled_share == Decimal("0.3")
