"""Assessment tests reuse the study world of tests/scenarios/conftest.py and the default factor library."""

import pytest

from tests.scenarios.conftest import net  # noqa: F401  (the fixture)


@pytest.fixture
def library(db):
    """The shipped factor library. Migration 0002 loads it, but transactional tests flush every table after
    themselves, so tests that need it ask for it; the loader is the migration's."""
    from assessment.factors import load_default
    from assessment.models import Factor, FactorLibrary

    load_default(FactorLibrary, Factor)
    return FactorLibrary.objects.get(is_default=True)


@pytest.fixture
def collectors(net):  # noqa: F811  (the fixture imported above)
    """Three collector facilities taking vehicle parts, for ranking partners (worked out by hand in
    tests/assessment/test_partner_ranking.py):
    - Alu Collect's "Mannheim yard" and "Stuttgart yard" (one sheet: price 300 EUR/t, quality 90 %);
    - Rhine Collect's "Köln yard" (price 200 EUR/t, quality 60 %), a third candidate invited into the study.
    The criteria set "Price and quality" holds the end collector editor's judgement: price 3 times as important
    as quality, so weights 3/4 and 1/4. Candidates are ordered by company then facility: Mannheim, Stuttgart, Köln.
    """
    from decimal import Decimal

    from assessment import decisions
    from partners.models import (
        Activity,
        Criterion,
        CriterionValue,
        DescriptionSheet,
        Facility,
        Material,
        Process,
        SheetShare,
    )
    from scenarios import services as scenario_services
    from tests.conftest import make_org

    parts = Material.objects.get(code="al-vehicle-parts")
    rhine = make_org("Rhine Collect", "rhine-collect")
    SheetShare.objects.create(organization=rhine, end_collector=net.ec)
    koeln = Facility.objects.create(
        organization=rhine,
        name="Köln yard",
        country="DE",
        latitude=Decimal("50.9375"),
        longitude=Decimal("6.9603"),
        is_collector=True,
        capacity_t_per_year=Decimal("800"),
    )
    Activity.objects.create(
        facility=koeln,
        process=Process.objects.get(code="collection"),
        yield_ratio=Decimal("0.5"),
        cost_eur_per_t=Decimal("30"),
    )
    for facility in (net.stuttgart, net.mannheim, koeln):
        facility.accepted_materials.add(parts)
    scenario_services.study_update(
        user=net.ec_editor, study=net.study, candidates=[net.world.partner, net.sort_melt, rhine]
    )
    for org, price, quality in ((net.world.partner, 300, 90), (rhine, 200, 60)):
        sheet, _ = DescriptionSheet.objects.get_or_create(organization=org)
        for code, value in (("price", price), ("quality", quality)):
            CriterionValue.objects.update_or_create(
                sheet=sheet, criterion=Criterion.objects.get(code=code), defaults={"value": Decimal(value)}
            )
    criteria_set = decisions.criteria_set_create(
        user=net.ec_editor, study=net.study, name="Price and quality", kind="partner", criteria=["price", "quality"]
    )
    decisions.judgement_set(user=net.ec_editor, criteria_set=criteria_set, matrix=[[1, 3], [1 / 3, 1]])
    net.koeln, net.rhine, net.parts, net.partner_set = koeln, rhine, parts, criteria_set
    return net
