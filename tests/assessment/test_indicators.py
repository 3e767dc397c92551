"""Total RL cost and recycling rate of the five-node network (tests/assessment/network.py), against values worked
out by hand."""

import dataclasses

import numpy as np
import pytest

from assessment.indicators import COST_COMPONENTS, NetworkArrays, costs, recycling_rate, tonne_km
from tests.assessment.network import ALU_COLLECT, FORGE_WORKS, SHRED_SMELT, cost_factors, five_node_network


def approx(expected):
    return pytest.approx(expected, rel=1e-12, abs=1e-9)


def test_tonne_km_are_raw_quantity_times_distance_without_the_backhaul_weight():
    # C1->S 150 t x 100 km = 15,000; C2->S 100 x 50 = 5,000 (backhaul, still raw); S->R 125 x 400 = 50,000;
    # R->E 100 x 200 = 20,000
    assert tonne_km(five_node_network()) == approx([15_000, 5_000, 50_000, 20_000])


def test_transport_cost_weights_the_backhaul_and_goes_to_the_origin_partner():
    result = costs(five_node_network(), cost_factors())
    # C1->S 15,000 tkm x 0.10 road = 1,500 (Alu Collect); C2->S 5,000 tkm x 0.10 x 0.5 backhaul = 250 (Forge Works,
    # the partner of C2, not of the destination S); S->R 50,000 tkm x 0.04 rail = 2,000 and R->E 20,000 x 0.10 =
    # 2,000 (both Shred & Smelt); total 1,500 + 250 + 2,000 + 2,000 = 5,750 EUR
    assert result.transport_eur == approx(5_750)
    assert result.per_partner["transport_eur"][[ALU_COLLECT, SHRED_SMELT, FORGE_WORKS]] == approx([1_500, 4_000, 250])


def test_facilities_cost_is_the_fixed_cost_of_each_node_of_the_partner():
    result = costs(five_node_network(), cost_factors())
    # C1 10,000 (Alu Collect); S 80,000 + R 0 for the shared site (Shred & Smelt); C2 5,000 + E 0 (Forge Works);
    # total 95,000 EUR
    assert result.facilities_eur == approx(95_000)
    assert result.per_partner["facilities_eur"] == approx([10_000, 80_000, 5_000])


def test_prices_between_partners_are_transfers_outside_the_network_cost():
    """Issue 12, item 1 (purchasing was charged at every transfer). Worked by hand: the receiver buys at the sender's
    price when they are different partners: C1->S 150 t x 200 EUR/t = 30,000 (Alu Collect sells, Shred & Smelt
    buys); C2->S 100 x 100 = 10,000 (Forge Works sells, Shred & Smelt buys); S->R stays inside Shred & Smelt (no
    sale); R->E 100 x 1,500 = 150,000 (Shred & Smelt sells, Forge Works buys). Transfers 190,000 EUR; purchases per
    partner 0 / 40,000 / 150,000, sales 30,000 / 150,000 / 10,000. Raising every price leaves the network cost."""
    net = five_node_network()
    result = costs(net, cost_factors(), end_partner=FORGE_WORKS)
    assert result.transfers_eur == approx(190_000)
    assert result.per_partner["purchases_eur"] == approx([0, 40_000, 150_000])
    assert result.per_partner["sales_eur"] == approx([30_000, 150_000, 10_000])
    dearer = dataclasses.replace(net, node_price_eur_per_t=net.node_price_eur_per_t * 3 + 50)
    assert costs(dearer, cost_factors()).total_eur == approx(result.total_eur)
    assert costs(dearer, cost_factors()).total_eur == approx(168_250)


def test_activities_cost_is_the_throughput_times_the_processing_cost():
    result = costs(five_node_network(), cost_factors())
    # C1 600 t x 20 = 12,000 (Alu Collect); S 250 x 40 = 10,000 + R 125 x 200 = 25,000 (Shred & Smelt: 35,000);
    # C2 200 x 30 = 6,000 + E 100 x 0 (Forge Works: 6,000); total 53,000 EUR
    assert result.activities_eur == approx(53_000)
    assert result.per_partner["activities_eur"] == approx([12_000, 35_000, 6_000])


def test_stock_cost_is_the_average_inventory_times_the_holding_cost():
    result = costs(five_node_network(), cost_factors())
    # average inventory = throughput x days / 365, at 100 EUR per t and year:
    # C1 600 x 36.5 / 365 = 60 t -> 6,000 (Alu Collect); S 250 x 18.25 / 365 = 12.5 t -> 1,250 and
    # R 125 x 36.5 / 365 = 12.5 t -> 1,250 (Shred & Smelt: 2,500); C2 200 x 73 / 365 = 40 t -> 4,000 and
    # E 100 x 73 / 365 = 20 t -> 2,000 (Forge Works: 6,000); total 14,500 EUR
    assert result.stock_eur == approx(14_500)
    assert result.per_partner["stock_eur"] == approx([6_000, 2_500, 6_000])


def test_network_cost_is_the_sum_of_the_four_components_and_of_the_partners_net_costs():
    """Worked by hand: network cost = transport 5,750 + facilities 95,000 + activities 53,000 + stock 14,500 =
    168,250 EUR. Own costs: Alu Collect 1,500 + 10,000 + 12,000 + 6,000 = 29,500; Shred & Smelt 4,000 + 80,000 +
    35,000 + 2,500 = 121,500; Forge Works 250 + 5,000 + 6,000 + 6,000 = 17,250. Net (own + purchases - sales):
    29,500 - 30,000 = -500; 121,500 + 40,000 - 150,000 = 11,500; 17,250 + 150,000 - 10,000 = 157,250; sum 168,250.
    The end collector's cost (Forge Works): purchases 150,000 + the transport it pays 250 + its processing 6,000 +
    its stock 6,000 = 162,250 EUR."""
    result = costs(five_node_network(), cost_factors(), end_partner=FORGE_WORKS)
    assert result.total_eur == approx(168_250)
    assert result.per_partner["total_eur"] == approx([29_500, 121_500, 17_250])
    assert result.per_partner["net_eur"] == approx([-500, 11_500, 157_250])
    assert result.end_collector_eur == approx(162_250)
    assert set(result.per_partner) == {*COST_COMPONENTS, "total_eur", "purchases_eur", "sales_eur", "net_eur"}


def test_a_backhaul_share_of_one_charges_the_full_rate():
    factors = dataclasses.replace(cost_factors(), backhaul_share=1.0)
    # C2->S now 5,000 tkm x 0.10 = 500 instead of 250: 5,750 + 250 = 6,000 EUR
    assert costs(five_node_network(), factors).transport_eur == approx(6_000)


def test_an_empty_network_costs_nothing():
    empty = np.array([], dtype=int)
    none = np.array([], dtype=float)
    net = NetworkArrays(
        empty,
        empty,
        none,
        none,
        empty,
        np.array([], dtype=bool),
        none,
        empty,
        none,
        none,
        none,
        none,
        none,
        none,
        none,
        n_partners=2,
    )
    result = costs(net, cost_factors())
    assert result.total_eur == 0
    assert result.per_partner["total_eur"] == approx([0, 0])


def test_recycling_rate_is_the_delivered_share_of_the_product_capped_at_one():
    # the forge receives 100 t of recycled aluminium for 400 t of control arms: 100 / 400 = 0.25
    assert recycling_rate(100.0, 400.0) == approx(0.25)
    # 500 t delivered for 400 t of product: 1.25, capped at 1
    assert recycling_rate(500.0, 400.0) == 1.0
    assert recycling_rate(0.0, 400.0) == 0.0


@pytest.mark.parametrize(
    "field, values, message",
    [
        ("route_quantity_t", [150.0, 100.0, -5.0, 100.0], r"route_quantity_t\[2\] is -5.0"),
        ("route_distance_km", [100.0, np.nan, 400.0, 200.0], r"route_distance_km\[1\] is nan"),
        ("route_mode", [0, 1, 4, 0], r"route_mode\[2\] is 4; a mode index must be in 0..3"),
        ("route_destination", [2, 2, 3, 5], r"route_destination\[3\] is 5; a node index must be in 0..4"),
        ("route_origin", [0, -1, 2, 3], r"route_origin\[1\] is -1; a node index must be in 0..4"),
        ("node_partner", [0, 3, 1, 1, 2], r"node_partner\[1\] is 3; a partner index must be in 0..2"),
        ("node_price_eur_per_t", [200.0, 100.0, 400.0, -1.0, 0.0], r"node_price_eur_per_t\[3\] is -1.0"),
        ("node_stock_days", [36.5, 73.0, 18.25], r"node_stock_days has shape \(3,\)"),
        ("route_mode", [0.0, 0.0, 1.0, 0.0], r"route_mode must hold integer indexes"),
    ],
)
def test_bad_network_arrays_are_refused_naming_the_array_and_index(field, values, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(five_node_network(), **{field: np.array(values)})


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"transport_eur_per_tkm": [0.10, -0.04, 0.03, 0.01]}, r"transport_eur_per_tkm\[rail\] is -0.04"),
        ({"transport_eur_per_tkm": [0.10, 0.04]}, r"transport_eur_per_tkm must be an array of shape \(4,\)"),
        ({"backhaul_share": 1.5}, r"backhaul_share is 1.5"),
        ({"holding_eur_per_t_year": -100.0}, r"holding_eur_per_t_year is -100.0"),
    ],
)
def test_bad_cost_factors_are_refused_naming_the_factor(changes, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(cost_factors(), **changes)


@pytest.mark.parametrize(
    "delivered_t, product_t, message",
    [
        (100.0, 0.0, "product_t is 0.0"),
        (-1.0, 400.0, "delivered_t is -1.0"),
    ],
)
def test_bad_recycling_rate_inputs_are_refused(delivered_t, product_t, message):
    with pytest.raises(ValueError, match=message):
        recycling_rate(delivered_t, product_t)


def test_each_route_is_charged_the_rate_of_its_own_mode():
    # all on rail at 0.04: (15,000 + 5,000 x 0.5 + 50,000 + 20,000) tkm x 0.04 = 87,500 x 0.04 = 3,500 EUR
    net = dataclasses.replace(five_node_network(), route_mode=np.array([1, 1, 1, 1]))
    assert costs(net, cost_factors()).transport_eur == approx(3_500)
