"""The basis's rules one by one (assessment/basis.py), pure, each figure worked out by hand."""

from decimal import Decimal

import pytest

from assessment import basis


def no_library(code):
    return (0.0, 0.0, 0.0)


def test_yields_are_rounded_in_one_place():
    """0.97 x 0.93 x 0.91 = 0.820911 -> 0.8209; 0.5 x 0.00025 = 0.000125 -> 0.0001 (half to even)."""
    assert basis.stage_yield([Decimal("0.97"), 0.93, "0.91"]) == Decimal("0.8209")
    assert basis.stage_yield([0.5, 0.00025]) == Decimal("0.0001")
    assert basis.stage_yield([]) == Decimal("1.0000")


def test_mass_and_economic_allocation_at_a_collector():
    """Issue 12, item 5. A yard whose cars are 8 % aluminium: by mass the aluminium carries 0.08 of the burden. By
    value, aluminium scrap at 1,700 EUR/t and the rest at 250 EUR/t: 0.08 x 1,700 = 136 against 0.92 x 250 = 230,
    so 136 / 366 = 0.3716. Without a value for the rest the aluminium carries all of it; without any value, its mass
    share."""
    assert basis.allocation_share("mass", 0.08) == 0.08
    assert basis.allocation_share("economic", 0.08, 1700, 250) == pytest.approx(136 / 366)
    assert basis.allocation_share("economic", 0.08, 1700, 0) == 1.0
    assert basis.allocation_share("economic", 0.08, 0, 0) == 0.08
    with pytest.raises(ValueError, match="allocation"):
        basis.allocation_share("volume", 0.08)


def test_a_collectors_processing_is_charged_on_its_wanted_share():
    """Issue 12, item 5: dismantling at 40 EUR/t and 12 kg CO2e/t of whole cars, aluminium share 0.08 by mass:
    3.2 EUR and 0.96 kg CO2e per tonne collected are the network's."""
    yard = basis.node_basis(
        [basis.Stage((basis.Process("dismantling", 40, 12, 100, 0.5),), 0.08, 0.08)], library_impacts=no_library
    )
    assert yard.process_eur_per_t == pytest.approx(3.2)
    assert yard.impacts_per_t == pytest.approx((0.96, 8.0, 0.04))
    assert (yard.yield_ratio, yard.allocation_share, yard.impact_origin) == (0.08, 0.08, "primary data")


def test_a_node_taking_over_a_stage_pays_it_with_the_yields_in_sequence():
    """Issue 12, item 3: a remelter that also sorts, per tonne of its input: shredding 30 EUR/t on the whole tonne,
    then remelting 200 EUR/t on the 0.8 t left after sorting: 30 + 0.8 x 200 = 190 EUR/t; its yield 0.8 x 0.9 =
    0.72; impacts from the library (shredding 10, remelting 345 kg CO2e/t): 10 + 0.8 x 345 = 286 kg CO2e/t."""
    library = {"shredding": (10, 150, 0.05), "remelting": (345, 7500, 1.0)}
    node = basis.node_basis(
        [basis.Stage((basis.Process("shredding", 30),), 0.8), basis.Stage((basis.Process("remelting", 200),), 0.9)],
        library_impacts=library.get,
    )
    assert node.process_eur_per_t == pytest.approx(190)
    assert node.yield_ratio == pytest.approx(0.72)
    assert node.impacts_per_t == pytest.approx((286, 150 + 0.8 * 7500, 0.05 + 0.8 * 1.0))
    assert node.impact_origin == "library" and node.processes == ("shredding", "remelting")


def test_transport_is_well_to_wheel_with_its_parts():
    """Issue 12, item 6: road 0.10163 tank-to-wheel + 0.02359 well-to-tank = 0.12522 kg CO2e/tkm (DESNZ 2025); a
    mode without a well-to-tank row counts 0 for it."""
    table = {
        "transport.cost.road": 0.1,
        "transport.co2e.road": 0.10163,
        "transport.co2e_wtt.road": 0.02359,
        "transport.energy.road": 1.3715,
        "transport.water.road": 0.0,
    }

    def factor(code, default=None):
        return table[code] if code in table or default is None else default

    road = basis.transport_per_tkm(factor, "road")
    assert (road.co2e_ttw_kg, road.co2e_wtt_kg) == (0.10163, 0.02359)
    assert road.co2e_kg == pytest.approx(0.12522)
    del table["transport.co2e_wtt.road"]
    assert basis.transport_per_tkm(factor, "road").co2e_kg == 0.10163
