"""Network optimisation (assessment.optimize) on small networks solved by hand.

Network A (one period). A collector C holds 100 t of returns at yield 0.5 (so at most 50 t of scrap) and charges
10 EUR per tonne collected. Two candidate sorters, each 100 t per period, yield 1, processing 20 EUR/t and
5 kg CO2e/t: S1 costs 1,000 EUR a year to run, S2 3,000. The end collector E needs 40 t. Road everywhere at
0.1 EUR and 0.1 kg CO2e per tonne-km; C -> S1 200 km, S1 -> E 100 km; C -> S2 50 km, S2 -> E 50 km.
E's 40 t come through one sorter, which processes 40 t, so C collects 80 t:
  common part: collection 80 t x 10 = 800 EUR; sorting 40 t x 20 = 800 EUR and 40 x 5 = 200 kg CO2e.
  through S1: transport 40 t x 300 km x 0.1 = 1,200 EUR and 1,200 kg; fixed 1,000 -> 3,800 EUR, 1,400 kg.
  through S2: transport 40 t x 100 km x 0.1 = 400 EUR and 400 kg; fixed 3,000 -> 5,000 EUR, 600 kg.
Both open: 4,000 fixed + 1,600 + at least 400 of transport = 6,000 EUR or more: never better.
So the cost objective opens S1 (3,800 EUR, 1,400 kg) and the CO2e objective opens S2 (600 kg, 5,000 EUR).
"""

import numpy as np
import pytest

from assessment.optimize import (
    Activity,
    Arc,
    Arcs,
    Disposal,
    Facility,
    ModelError,
    Network,
    Options,
    SideConstraints,
    Size,
    explain,
    pareto,
    solve,
)


def approx(x):
    return pytest.approx(x, rel=1e-7, abs=1e-6)


def network_a(demand_t=40.0, supply_t=100.0, s1_capacity_t=100.0):
    road = dict(eur_per_t_km=0.1, co2e_kg_per_t_km=0.1)
    return Network(
        facilities=[
            Facility("C", "collector", yield_ratio=0.5, supply_t=supply_t, acquisition_eur_per_t=10.0),
            Facility("S1", "sorter", cost_eur_per_t=20.0, co2e_kg_per_t=5.0, sizes=[Size(s1_capacity_t, 0, 1_000)]),
            Facility("S2", "sorter", cost_eur_per_t=20.0, co2e_kg_per_t=5.0, sizes=[Size(100.0, 0, 3_000)]),
            Facility("E", "end_collector", demand_t=demand_t),
        ],
        arcs=[
            Arc("C", "S1", 200, **road),
            Arc("S1", "E", 100, **road),
            Arc("C", "S2", 50, **road),
            Arc("S2", "E", 50, **road),
        ],
    )


def opened(solution, role="sorter"):
    return sorted(f.name for f in solution.facilities if f.role == role and f.open[0])


# ------------------------------------------------------------------------------------------------ objectives
def test_cost_objective_opens_the_cheap_far_sorter():
    s = solve(network_a())
    assert s.status == "optimal" and s.gap == approx(0.0)
    assert opened(s) == ["S1"]
    assert s.total_cost_eur == approx(3_800) and s.objective_value == approx(3_800)
    assert s.co2e_kg == approx(1_400)
    assert s.co2e_kg_by_source == {"transport": approx(1_200), "processes": approx(200)}
    # flows in the order given: C->S1 40, S1->E 40, C->S2 0, S2->E 0
    assert s.flow_t[:, 0] == approx([40, 40, 0, 0])
    assert s.facility("C").collected_t == approx((80,)) and s.facility("S1").processed_t == approx((40,))
    assert s.costs_eur["transport"] == approx((1_200,)) and s.costs_eur["fixed"] == approx((1_000,))
    assert s.costs_eur["acquisition"] == approx((800,)) and s.costs_eur["processing"] == approx((800,))


def test_co2e_objective_opens_the_near_sorter():
    s = solve(network_a(), objective="co2e")
    assert s.status == "optimal"
    assert opened(s) == ["S2"]
    assert s.co2e_kg == approx(600) and s.objective_value == approx(600)
    assert s.total_cost_eur == approx(5_000)  # the cheapest of the 600 kg networks: S1 stays closed
    assert s.weights == (0.0, 1.0)


def test_weighted_sum_switches_at_a_carbon_price_of_1_5_eur_per_kg():
    # cost + p x CO2e: S1 3,800 + 1,400 p, S2 5,000 + 600 p, equal at p = 1,200 / 800 = 1.5 EUR/kg
    low = solve(network_a(), objective="weighted", weights=(1.0, 1.0))
    assert opened(low) == ["S1"] and low.objective_value == approx(3_800 + 1_400)
    high = solve(network_a(), objective="weighted", weights=(1.0, 2.0))
    assert opened(high) == ["S2"] and high.objective_value == approx(5_000 + 2 * 600)
    assert high.weights == (1.0, 2.0) and high.objective == "weighted"


def test_weighted_needs_two_weights_not_both_zero():
    with pytest.raises(ModelError, match="weights"):
        solve(network_a(), objective="weighted")
    with pytest.raises(ModelError, match="at least one weight"):
        solve(network_a(), objective="weighted", weights=(0, 0))
    with pytest.raises(ModelError, match="objective: expected one of"):
        solve(network_a(), objective="speed")


# ------------------------------------------------------------------------------------------------ pareto front
def network_p():
    """C supplies 1,000 t (yield 1); S1 (60 t, 10 EUR/t, 20 kg/t) and S2 (60 t, 30 EUR/t, 5 kg/t), no fixed cost,
    on arcs of 0 km; E needs 100 t. With a tonnes through S1 (40 <= a <= 60, each sorter taking at most 60):
    cost = 10 a + 30 (100 - a) = 3,000 - 20 a, CO2e = 20 a + 5 (100 - a) = 500 + 15 a. Cheapest a = 60: 1,800 EUR,
    1,400 kg; cleanest a = 40: 2,200 EUR, 1,100 kg; in between the front is the line cost = 2,200 - 4/3 (E - 1,100).
    """
    return Network(
        facilities=[
            Facility("C", "collector", supply_t=1_000.0),
            Facility("S1", "sorter", cost_eur_per_t=10, co2e_kg_per_t=20, sizes=[Size(60.0)]),
            Facility("S2", "sorter", cost_eur_per_t=30, co2e_kg_per_t=5, sizes=[Size(60.0)]),
            Facility("E", "end_collector", demand_t=100.0),
        ],
        arcs=[Arc("C", "S1", 0), Arc("C", "S2", 0), Arc("S1", "E", 0), Arc("S2", "E", 0)],
    )


def test_pareto_front_has_eleven_points_on_the_line_between_the_two_optima():
    front = pareto(network_p(), points=11)
    assert front.status == "optimal"
    assert len(front.points) == 11
    co2e = np.array([p.co2e_kg for p in front.points])
    cost = np.array([p.total_cost_eur for p in front.points])
    assert co2e == approx(1_100 + 30 * np.arange(11))  # eps steps of (1,400 - 1,100) / 10 = 30 kg
    assert cost == approx(2_200 - 40 * np.arange(11))  # 30 kg x 4/3 EUR/kg
    assert (np.diff(co2e) > 0).all() and (np.diff(cost) < 0).all()
    # the endpoints are the single-objective optima
    assert front.points[-1].total_cost_eur == approx(solve(network_p()).total_cost_eur) == approx(1_800)
    assert front.points[0].co2e_kg == approx(solve(network_p(), objective="co2e").co2e_kg) == approx(1_100)
    assert all(p.facility("E").processed_t == approx((100,)) for p in front.points)


def test_pareto_front_of_two_networks_has_two_points():
    # network A: S1 (3,800 EUR, 1,400 kg) or S2 (5,000 EUR, 600 kg); every mix costs 6,000 EUR or more
    front = pareto(network_a(), points=11)
    assert [(p.total_cost_eur, p.co2e_kg) for p in front.points] == [approx((5_000, 600)), approx((3_800, 1_400))]
    assert [opened(p) for p in front.points] == [["S2"], ["S1"]]


# ------------------------------------------------------------------------------------------------ side constraints
def test_keep_closed_moves_the_flow_to_the_other_sorter():
    s = solve(network_a(), constraints=SideConstraints(keep_closed=["S1"]))
    assert opened(s) == ["S2"] and s.total_cost_eur == approx(5_000)


def test_keep_open_pays_the_fixed_cost_and_uses_the_cheaper_route():
    # S2 kept open: its 3,000 are paid anyway; through S2 the 40 t cost 400 of transport, through S1 1,200 + 1,000
    s = solve(network_a(), constraints=SideConstraints(keep_open=["S2"]))
    assert opened(s) == ["S2"] and s.total_cost_eur == approx(5_000)


def test_at_least_two_sorters_opens_both_and_routes_through_the_near_one():
    # both fixed costs 4,000 + collection 800 + sorting 800 + transport through S2 400 = 6,000
    s = solve(network_a(), constraints=SideConstraints(min_partners={"sorter": 2}))
    assert opened(s) == ["S1", "S2"] and s.total_cost_eur == approx(6_000)
    assert s.facility("S2").processed_t == approx((40,))


def network_b():
    """C 200 t at yield 0.5 (100 t), 10 EUR/t; sorters S1, S2, S3 of 30 t each, fixed 1,000, 2,000, 3,000; S4 of
    100 t, fixed 4,000; all process at 20 EUR/t; every arc 50 km at 0.1 EUR/(t.km) (10 EUR per tonne carried from C to
    E); E needs 40 t: collection 800 + sorting 800 + transport 400 = 2,000 EUR plus the fixed costs. One 30 t sorter
    is not enough: S1 + S2 (3,000) beat S4 alone (4,000): 5,000 EUR."""
    sorters = [("S1", 30, 1_000), ("S2", 30, 2_000), ("S3", 30, 3_000), ("S4", 100, 4_000)]
    return Network(
        facilities=[
            Facility("C", "collector", yield_ratio=0.5, supply_t=200.0, acquisition_eur_per_t=10.0),
            *[Facility(n, "sorter", cost_eur_per_t=20.0, sizes=[Size(c, 0, f)]) for n, c, f in sorters],
            Facility("E", "end_collector", demand_t=40.0),
        ],
        arcs=[a for n, _, _ in sorters for a in (Arc("C", n, 50, 0.1), Arc(n, "E", 50, 0.1))],
    )


def test_at_most_one_sorter_takes_the_large_one():
    assert opened(solve(network_b())) == ["S1", "S2"]
    assert solve(network_b()).total_cost_eur == approx(5_000)
    s = solve(network_b(), constraints=SideConstraints(max_partners={"sorter": 1}))
    assert opened(s) == ["S4"] and s.total_cost_eur == approx(6_000)


def test_at_least_three_sorters_takes_the_three_cheapest():
    s = solve(network_b(), constraints=SideConstraints(min_partners={"sorter": 3}))
    assert opened(s) == ["S1", "S2", "S3"] and s.total_cost_eur == approx(2_000 + 6_000)


def test_max_share_through_one_sorter_splits_the_flow():
    # at most 75 % of the 40 t through one sorter: both open; the near S2 (10 EUR/t of transport) takes its 30 t,
    # the far S1 (30 EUR/t) the other 10 t: 4,000 fixed + 800 + 800 + 30 x 10 + 10 x 30 = 6,200
    s = solve(network_a(), constraints=SideConstraints(max_share={"sorter": 0.75}))
    assert opened(s) == ["S1", "S2"]
    assert s.facility("S1").processed_t == approx((10,)) and s.facility("S2").processed_t == approx((30,))
    assert s.total_cost_eur == approx(6_200)


def test_max_distance_drops_the_long_arc():
    # C -> S1 is 200 km: with at most 150 km per arc only S2 is reachable
    s = solve(network_a(), constraints=SideConstraints(max_distance_km=150))
    assert opened(s) == ["S2"] and s.total_cost_eur == approx(5_000)
    assert s.flow_t[:, 0] == approx([0, 0, 40, 40])


def test_min_recycled_share_makes_the_network_deliver():
    # without demand nothing needs to move; a 40 % recycled share of a 100 t product needs 40 t: network A again
    idle = solve(network_a(demand_t=None))
    assert idle.total_cost_eur == approx(0) and opened(idle) == []
    s = solve(network_a(demand_t=None), constraints=SideConstraints(recycled_share=0.4, product_t=100.0))
    assert opened(s) == ["S1"] and s.total_cost_eur == approx(3_800)
    assert s.facility("E").processed_t == approx((40,))


# ------------------------------------------------------------------------------------------------ infeasible cases
def test_demand_above_total_capacity_is_explained_with_the_figures():
    # C can supply 500 t of scrap, but the sorters take 100 + 100 = 200 t: E's 250 t cannot be met
    s = solve(network_a(demand_t=250.0, supply_t=1_000.0))
    assert s.status == "infeasible" and not s.has_network
    assert s.explanation == (
        "E needs 250 t in the period, but at most 200 t can reach it: the sorters on the way can "
        "process 200 t per period together (S1 100 t, S2 100 t)",
    )


def test_demand_above_the_supply_is_explained():
    # C's 100 t at yield 0.5 give 50 t; E needs 60
    (msg,) = solve(network_a(demand_t=60.0)).explanation
    assert msg == (
        "E needs 60 t in the period, but at most 50 t can reach it: the supplies that can reach it hold "
        "100 t before the yields"
    )


def test_kept_closed_sorter_that_is_needed_is_named():
    (msg,) = solve(
        network_a(demand_t=50.0, s1_capacity_t=30.0), constraints=SideConstraints(keep_closed=["S2"])
    ).explanation
    assert msg == (
        "E needs 50 t in the period, but at most 30 t can reach it: the sorters on the way can process "
        "30 t per period together (S1 30 t; kept closed: S2)"
    )


def test_partner_limits_no_network_can_meet():
    (msg,) = explain(network_a(), SideConstraints(min_partners={"sorter": 3}))
    assert msg == "at least 3 sorters must be open, but there are only 2 sorters that can open"
    limits = SideConstraints(max_partners={"sorter": 1}, keep_closed=["S4"])
    (msg,) = solve(network_b(), constraints=limits).explanation
    assert msg == (
        "E needs 40 t in the period, but at most 30 t can reach it: the sorters on the way can process "
        "90 t per period together (S1 30 t, S2 30 t, S3 30 t; kept closed: S4; at most 1 may be open)"
    )


def test_max_distance_leaving_a_mandatory_supply_without_arc():
    net = Network(
        facilities=[
            Facility("C", "collector", supply_t=10.0, supply_mandatory=True),
            Facility("P", "plant", outputs={}, sizes=[Size(100.0)]),
        ],
        arcs=[Arc("C", "P", 120.0)],
    )
    (msg,) = solve(net, constraints=SideConstraints(max_distance_km=100)).explanation
    assert msg == (
        "C must ship 10 t in the period, but it cannot send it anywhere: the maximum distance 100 km "
        "removes all its arcs (the shortest is 120 km)"
    )


def test_share_limit_that_empties_a_needed_role():
    (msg,) = explain(network_a(), SideConstraints(max_share={"sorter": 0.4}))
    assert msg.startswith(
        "E needs 40 t in the period, which must pass through the sorters, but at most 0.4 of "
        "their flow may pass through one of them and only 2 can be used"
    )


def test_infeasibility_the_checks_miss_is_explained_by_the_elastic_model():
    # the plant's output can go nowhere (no arc, no disposal), so it cannot process the 10 t that must be shipped
    net = Network(
        facilities=[
            Facility("C", "collector", supply_t=10.0, supply_mandatory=True),
            Facility("P", "plant", sizes=[Size(100.0)]),
        ],
        arcs=[Arc("C", "P", 10.0)],
    )
    s = solve(net)
    assert s.status == "infeasible"
    assert s.explanation == (
        "C must ship 10 t, but at most 0 t can be met under the other requirements (short by 10 t)",
    )
    # with a disposal for the output the same network solves
    net2 = Network(
        facilities=[
            net.facilities[0],
            Facility("P", "plant", sizes=[Size(100.0)], disposal={"material": Disposal(eur_per_t=5.0)}),
        ],
        arcs=net.arcs,
    )
    assert solve(net2).total_cost_eur == approx(50)


# ------------------------------------------------------------------------------------------------ periods, sizes
def test_two_sizes_open_small_then_expand():
    """Sizes 100 t (opening 1,000, fixed 100) and 200 t (opening 1,600, fixed 150): expanding costs (1,600 - 1,000)
    / 100 = 6 EUR per t of capacity once, and (150 - 100) / 100 = 0.5 EUR per t a period. Demand 80 t then 150 t:
    open at 100 t in period 1 (1,000 + 100), add 50 t in period 2 (300 of expansion, fixed 100 + 25) = 1,525.
    Opening at 150 t at once would cost 25 more (the fixed cost of the extra 50 t in period 1)."""
    sizes = [Size(100, 1_000, 100), Size(200, 1_600, 150)]
    net = Network(
        facilities=[
            Facility("C", "collector", supply_t=1_000.0),
            Facility("R", "recoverer", demand_t=[80.0, 150.0], outputs={}, sizes=sizes),
        ],
        arcs=[Arc("C", "R", 0)],
        n_periods=2,
    )
    s = solve(net)
    r = s.facility("R")
    assert r.open == (True, True) and r.opened_in == 0
    assert r.capacity_t == approx((100, 150))
    assert r.costs_eur["opening"] == approx((1_000, 0)) and r.costs_eur["expansion"] == approx((0, 300))
    assert r.costs_eur["fixed"] == approx((100, 125))
    assert s.cost_per_period_eur == approx((1_100, 425)) and s.total_cost_eur == approx(1_525)
    # the warm start (one-period compression, then its open set fixed) reaches the same network
    warm = solve(net, options=Options(warm_start=True))
    assert warm.total_cost_eur == approx(1_525) and warm.facility("R").capacity_t == approx((100, 150))


def test_three_sizes_fill_their_segments_in_order():
    """Sizes 100 t (opening 1,000), 200 t (1,800) and 300 t (2,000): 8 EUR per t of capacity from 100 to 200 t, then
    2 EUR from 200 to 300 t (economies of scale). 250 t need 1,000 + 100 x 8 + 50 x 2 = 1,900 EUR; taking the cheap
    second segment first (1,000 + 100 x 2 + 50 x 8 = 1,600) is not allowed."""
    net = Network(
        facilities=[
            Facility("C", "collector", supply_t=1_000.0),
            Facility(
                "R",
                "recoverer",
                demand_t=250.0,
                outputs={},
                sizes=[Size(100, 1_000), Size(200, 1_800), Size(300, 2_000)],
            ),
        ],
        arcs=[Arc("C", "R", 0)],
    )
    s = solve(net)
    assert s.facility("R").capacity_t == approx((250,))
    assert s.costs_eur["opening"] == approx((1_000,)) and s.costs_eur["expansion"] == approx((900,))
    assert s.total_cost_eur == approx(1_900)


def test_initial_capacity_is_open_already_and_paid_for():
    # RELOG 0.7: a site with 150 t already built (sizes 100 t and 200 t as above): no opening or expansion cost for
    # those 150 t; fixed cost 100 + 0.5 x 50 = 125 a period; it cannot be kept closed
    sizes = [Size(100, 1_000, 100), Size(200, 1_600, 150)]
    net = Network(
        facilities=[
            Facility("C", "collector", supply_t=1_000.0),
            Facility("R", "recoverer", demand_t=[150.0, 150.0], outputs={}, sizes=sizes, initial_capacity_t=150.0),
        ],
        arcs=[Arc("C", "R", 0)],
        n_periods=2,
    )
    s = solve(net)
    r = s.facility("R")
    assert r.opened_in == -1 and r.capacity_t == approx((150, 150))
    assert s.cost_per_period_eur == approx((125, 125))
    why = solve(net, constraints=SideConstraints(keep_closed=["R"])).explanation
    assert why == (
        "R is kept closed, but it already has a capacity (initial capacity) and cannot close",
        "R needs 150 t in period 1, but its capacity is 0 t per period (kept closed)",
    )


def test_a_facility_opens_only_in_its_build_periods():
    # demand only in period 2 and the recoverer may only open in period 2: opening 1,000 + fixed 100 once
    net = Network(
        facilities=[
            Facility("C", "collector", supply_t=1_000.0),
            Facility(
                "R", "recoverer", demand_t=[0.0, 50.0], outputs={}, build_periods=[1], sizes=[Size(100, 1_000, 100)]
            ),
        ],
        arcs=[Arc("C", "R", 0)],
        n_periods=2,
    )
    r = solve(net).facility("R")
    assert r.open == (False, True) and r.opened_in == 1 and r.costs_eur["fixed"] == approx((0, 100))


def test_activities_chain_their_yields_and_impacts():
    # shredding (yield 0.8, 10 EUR/t, 2 kg/t) then melting (yield 0.5, 100 EUR/t, 40 kg/t): per tonne in
    # 10 + 0.8 x 100 = 90 EUR and 2 + 0.8 x 40 = 34 kg, yield 0.4; E needs 20 t, so 50 t are processed
    net = Network(
        facilities=[
            Facility("C", "collector", supply_t=1_000.0),
            Facility("R", "recoverer", activities=[Activity(0.8, 10, 0, 2), Activity(0.5, 100, 0, 40)]),
            Facility("E", "end_collector", demand_t=20.0),
        ],
        arcs=[Arc("C", "R", 0), Arc("R", "E", 0)],
    )
    s = solve(net)
    assert s.facility("R").processed_t == approx((50,))
    assert s.total_cost_eur == approx(4_500) and s.co2e_kg == approx(1_700)


def test_arcs_as_arrays_give_the_same_answer():
    a = network_a()
    arrays = Arcs(
        origin=np.array([0, 1, 0, 2]),
        destination=np.array([1, 3, 2, 3]),
        distance_km=np.array([200.0, 100, 50, 50]),
        eur_per_t_km=np.full(4, 0.1),
        co2e_kg_per_t_km=np.full(4, 0.1),
    )
    s = solve(Network(facilities=a.facilities, arcs=arrays), options=Options(strong_linking=True))
    assert opened(s) == ["S1"] and s.total_cost_eur == approx(3_800)


# ------------------------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "change, message",
    [
        (
            dict(facilities=[Facility("C", "collector"), Facility("C", "sorter")], arcs=[]),
            "facilities[1] (C).name: 'C' is already the name of facilities[0]",
        ),
        (dict(facilities=[Facility("C", "boss")], arcs=[]), "facilities[0] (C).role: expected one of"),
        (
            dict(facilities=[Facility("C", "sorter", sizes=[Size(-5)])], arcs=[]),
            "facilities[0] (C).sizes[0].capacity_t: must be > 0, got -5",
        ),
        (
            dict(facilities=[Facility("C", "sorter", supply_t=[1, 2])], arcs=[]),
            "facilities[0] (C).supply_t: expected 1 values (one per period), got 2",
        ),
        (
            dict(facilities=[Facility("C", "sorter", cost_eur_per_t="cheap")], arcs=[]),
            "facilities[0] (C).cost_eur_per_t: expected a number or 1 values",
        ),
        (
            dict(facilities=[Facility("C", "collector")], arcs=[Arc("C", "X", 1)]),
            "arcs[0] (C -> X).destination: unknown facility 'X'",
        ),
        (
            dict(
                facilities=[Facility("C", "collector", input_product="a"), Facility("D", "sorter", input_product="b")],
                arcs=[Arc("C", "D", 1)],
            ),
            "arcs[0] (C -> D): C does not make 'b'",
        ),
        (
            dict(facilities=[Facility("C", "sorter", yield_ratio=1.5)], arcs=[]),
            "facilities[0] (C).yield_ratio: must be <= 1, got 1.5",
        ),
    ],
)
def test_bad_input_names_the_place(change, message):
    with pytest.raises(ModelError) as err:
        solve(Network(**change))
    assert str(err.value).startswith(message)


def test_bad_side_constraints_name_the_place():
    with pytest.raises(ModelError, match=r"keep_open\[0\]: unknown facility 'S9'"):
        solve(network_a(), constraints=SideConstraints(keep_open=["S9"]))
    with pytest.raises(ModelError, match=r"max_share\['sorter'\]: a share is at most 1"):
        solve(network_a(), constraints=SideConstraints(max_share={"sorter": 1.5}))
    with pytest.raises(ModelError, match="product_t: needed with recycled_share"):
        solve(network_a(), constraints=SideConstraints(recycled_share=0.3))


def test_pareto_reports_its_progress_after_each_solve():
    # points + 1 solves: the least cost, the least CO2e, the least CO2e among the cheapest, then points - 2 values.
    seen = []
    pareto(network_p(), points=4, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
