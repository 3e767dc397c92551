"""Life-cycle indicators of the five-node network (tests/assessment/network.py), against values worked out by hand.

Weighted tonne-km per mode (the backhaul C2->S counts half): road 15,000 (C1->S) + 5,000 x 0.5 (C2->S) + 20,000
(R->E) = 37,500 tkm; rail 50,000 tkm (S->R). Indicators in the order climate change (kg CO2e), non-renewable
energy (MJ), fresh water (m3), per year.
"""

import dataclasses
import math

import numpy as np
import pytest

from assessment.indicators import recycling_rate
from assessment.lca import INDICATORS, end_of_life, whole_life
from tests.assessment.network import (
    PRODUCT_MASS_KG_PER_YEAR,
    UNITS_PER_YEAR,
    E,
    R,
    five_node_network,
    impact_factors,
)


def approx(expected):
    return pytest.approx(expected, rel=1e-12, abs=1e-12)


def eol(scale=1.0):
    return end_of_life(five_node_network(scale), impact_factors(), UNITS_PER_YEAR)


def test_indicators_are_in_the_documented_order():
    assert INDICATORS == ("climate_change_kg_co2e", "nonrenewable_energy_mj", "fresh_water_m3")


def test_end_of_life_transport_is_the_weighted_tonne_km_per_mode_times_the_mode_factors():
    # road 37,500 tkm x (0.1, 1.6, 0.0004) = (3,750, 60,000, 15); rail 50,000 x (0.03, 0.4, 0.0002) =
    # (1,500, 20,000, 10); sum (5,250 kg CO2e, 80,000 MJ, 25 m3)
    assert eol().transport == approx([5_250, 80_000, 25])


def test_end_of_life_processes_are_the_throughput_times_the_node_factors():
    # kg CO2e: C1 600 t x 10 + C2 200 x 10 + S 250 x 40 + R 125 x 400 + E 100 x 0 = 6,000 + 2,000 + 10,000 + 50,000
    #   = 68,000
    # MJ: 600 x 100 + 200 x 100 + 250 x 400 + 125 x 6,000 = 60,000 + 20,000 + 100,000 + 750,000 = 930,000
    # m3: 600 x 0.01 + 200 x 0.01 + 250 x 0.2 + 125 x 1.6 = 6 + 2 + 50 + 200 = 258
    assert eol().processes == approx([68_000, 930_000, 258])


def test_end_of_life_values_per_unit_and_baseline():
    result = eol()
    # transport + processes: 5,250 + 68,000 = 73,250 kg CO2e; 80,000 + 930,000 = 1,010,000 MJ; 25 + 258 = 283 m3
    assert result.values == approx([73_250, 1_010_000, 283])
    # per control arm, 100,000 a year: 0.7325 kg CO2e, 10.1 MJ, 0.00283 m3
    assert result.per_unit == approx([0.7325, 10.1, 0.00283])
    # no reverse network without recycled content: baseline 0, difference = the values, % undefined
    assert result.baseline == approx([0, 0, 0])
    assert result.difference == approx([73_250, 1_010_000, 283])
    assert np.isnan(result.difference_pct).all()


def test_a_backhaul_share_of_one_allocates_the_full_transport_impact():
    factors = dataclasses.replace(impact_factors(), backhaul_share=1.0)
    # C2->S now 5,000 tkm of road instead of 2,500: + 2,500 x (0.1, 1.6, 0.0004) = (250, 4,000, 1)
    result = end_of_life(five_node_network(), factors, UNITS_PER_YEAR)
    assert result.transport == approx([5_500, 84_000, 26])


def test_whole_life_cycle_against_the_all_primary_baseline():
    # the forge receives 100 t (R->E) for 400 t of product: recycled share 0.25
    share = recycling_rate(five_node_network().route_quantity_t[3], PRODUCT_MASS_KG_PER_YEAR / 1000)
    assert share == approx(0.25)
    result = whole_life(eol(), PRODUCT_MASS_KG_PER_YEAR, share, impact_factors(), UNITS_PER_YEAR)
    # production = 400,000 kg x (0.75 x primary + 0.25 x secondary):
    #   kg CO2e 400,000 x (5.25 + 0.05) = 2,120,000; + end of life 73,250 = 2,193,250
    #   MJ 400,000 x (112.5 + 1.5) = 45,600,000; + 1,010,000 = 46,610,000
    #   m3 400,000 x (0.0375 + 0.0005) = 15,200; + 283 = 15,483
    assert result.values == approx([2_193_250, 46_610_000, 15_483])
    # per control arm (/ 100,000): 21.9325 kg CO2e, 466.1 MJ, 0.15483 m3
    assert result.per_unit == approx([21.9325, 466.1, 0.15483])
    # baseline: all primary, 400,000 kg x (7, 150, 0.05) = (2,800,000, 60,000,000, 20,000)
    assert result.baseline == approx([2_800_000, 60_000_000, 20_000])
    # difference: 2,193,250 - 2,800,000 = -606,750; 46,610,000 - 60,000,000 = -13,390,000; 15,483 - 20,000 = -4,517
    assert result.difference == approx([-606_750, -13_390_000, -4_517])
    # %: -606,750 / 28,000 = -21.6696428571...; -13,390,000 / 600,000 = -22.3166...; -4,517 / 200 = -22.585
    assert result.difference_pct == approx([-21.669642857142857, -22.316666666666666, -22.585])
    assert result.transport is None and result.processes is None


def test_end_of_life_and_whole_life_can_rank_two_scenarios_the_other_way_round():
    # A: the network as it is, 100 t delivered for 400 t of product (recycled share 0.25).
    # B: the same partners and routes with every quantity doubled, 200 t delivered (recycled share 0.5).
    a, b = eol(1.0), eol(2.0)
    share_a = recycling_rate(100.0, 400.0)
    share_b = recycling_rate(five_node_network(2.0).route_quantity_t[3], 400.0)
    assert (share_a, share_b) == (0.25, 0.5)
    # end of life, kg CO2e: A 73,250; B twice as much, 146,500: A ranks better
    assert (a.values[0], b.values[0]) == (approx(73_250), approx(146_500))
    assert a.values[0] < b.values[0]
    whole_a = whole_life(a, PRODUCT_MASS_KG_PER_YEAR, share_a, impact_factors(), UNITS_PER_YEAR)
    whole_b = whole_life(b, PRODUCT_MASS_KG_PER_YEAR, share_b, impact_factors(), UNITS_PER_YEAR)
    # whole life, kg CO2e: A 2,193,250 (above); B 400,000 x (0.5 x 7 + 0.5 x 0.2) = 1,440,000 + 146,500 = 1,586,500:
    # the 100 t more of recycled content displace 100,000 kg x (7 - 0.2) = 680,000 kg CO2e of primary production,
    # far more than B's 73,250 kg extra at end of life. B ranks better.
    assert (whole_a.values[0], whole_b.values[0]) == (approx(2_193_250), approx(1_586_500))
    assert whole_b.values[0] < whole_a.values[0]
    # B against the same baseline of 2,800,000: -1,213,500, i.e. -1,213,500 / 28,000 = -43.3392857142...%
    assert whole_b.difference_pct[0] == approx(-43.33928571428571)


def test_nodes_without_impact_factors_add_nothing():
    # E has zero factors: changing its throughput changes nothing
    net = five_node_network()
    throughput = net.node_throughput_t.copy()
    throughput[E] = 1_000_000
    result = end_of_life(dataclasses.replace(net, node_throughput_t=throughput), impact_factors(), UNITS_PER_YEAR)
    assert result.processes == approx([68_000, 930_000, 258])
    # while R's factors count: + 1 t at R adds (400, 6,000, 1.6)
    throughput[R] += 1
    result = end_of_life(dataclasses.replace(net, node_throughput_t=throughput), impact_factors(), UNITS_PER_YEAR)
    assert result.processes == approx([68_400, 936_000, 259.6])


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"transport_per_tkm": [[0.1, 1.6, 0.0004], [0.03, -0.4, 0.0002], [0, 0, 0], [0, 0, 0]]},
            r"transport_per_tkm\[rail, nonrenewable_energy_mj\] is -0.4",
        ),
        ({"primary_per_kg": [7.0, 150.0, -0.05]}, r"primary_per_kg\[fresh_water_m3\] is -0.05"),
        ({"secondary_per_kg": [math.nan, 6.0, 0.002]}, r"secondary_per_kg\[climate_change_kg_co2e\] is nan"),
        ({"primary_per_kg": [7.0, 150.0]}, r"primary_per_kg must have shape \(3,\)"),
        ({"backhaul_share": -0.1}, r"backhaul_share is -0.1"),
    ],
)
def test_bad_impact_factors_are_refused_naming_the_factor(changes, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(impact_factors(), **changes)


@pytest.mark.parametrize(
    "mass_kg, share, units, message",
    [
        (400_000.0, 1.5, UNITS_PER_YEAR, "recycled_share is 1.5"),
        (400_000.0, -0.1, UNITS_PER_YEAR, "recycled_share is -0.1"),
        (0.0, 0.25, UNITS_PER_YEAR, "product_mass_kg_per_year is 0.0"),
        (400_000.0, 0.25, 0, "units_per_year is 0"),
    ],
)
def test_bad_whole_life_inputs_are_refused(mass_kg, share, units, message):
    with pytest.raises(ValueError, match=message):
        whole_life(eol(), mass_kg, share, impact_factors(), units)


def test_end_of_life_refuses_a_non_positive_number_of_units():
    with pytest.raises(ValueError, match="units_per_year is -5"):
        end_of_life(five_node_network(), impact_factors(), -5)
