"""Recommended quantities in a reverse-logistics network, against values worked out by hand."""

import math

import pytest

from scenarios.quantities import NodeIn, RouteIn, compute

approx = pytest.approx

# The small network from the issue:
#   C1 (collector, y 0.25) --share 3--\
#                                      S (sorter, y 0.5) -> R (recycler, y 0.8) -> E (end collector, y 1)
#   C2 (collector, y 0.5)  --share 2--/
C1, C2, S, R, E = 1, 2, 3, 4, 5
C1_S, C2_S, S_R, R_E = 11, 12, 13, 14


def issue_nodes(s_capacity=None, r_capacity=None, c1_capacity=None):
    return [
        NodeIn(C1, "collector", 0.25, c1_capacity, "Collector: Alu Collect"),
        NodeIn(C2, "collector", 0.5, None, "Collector: Metal Pick"),
        NodeIn(S, "sorter", 0.5, s_capacity, "Sorter: Shred AG Hagen"),
        NodeIn(R, "recoverer", 0.8, r_capacity, "Recycler: Alu Smelt"),
        NodeIn(E, "end_collector", 1.0, None, "End collector: Forge Works"),
    ]


def issue_routes(c1_s=None, s_r=None, r_e=None):
    """The four routes, with optional typed quantities on C1_S, S_R and R_E."""
    return [
        RouteIn(C1_S, C1, S, share=3, quantity_t=c1_s),
        RouteIn(C2_S, C2, S, share=2),
        RouteIn(S_R, S, R, quantity_t=s_r),
        RouteIn(R_E, R, E, quantity_t=r_e),
    ]


def test_issue_network_recommended_quantities_follow_backwards_from_the_need():
    flows = compute(issue_nodes(), issue_routes(), need_t=100)
    # By hand, need 100 t/year:
    #   E must receive 100, delivers nothing          -> R_E carries 100 (only route into E: split 1)
    #   R delivers 100, receives 100 / 0.8 = 125      -> S_R carries 125
    #   S delivers 125, receives 125 / 0.5 = 250      -> split 3:2 -> C1_S 250 * 3/5 = 150, C2_S 250 * 2/5 = 100
    #   C1 delivers 150, collects 150 / 0.25 = 600;  C2 delivers 100, collects 100 / 0.5 = 200
    routes = flows.routes
    assert routes[R_E].recommended_t == approx(100)
    assert routes[S_R].recommended_t == approx(125)
    assert routes[C1_S].recommended_t == approx(150)
    assert routes[C2_S].recommended_t == approx(100)
    assert routes[C1_S].split == approx(0.6) and routes[C2_S].split == approx(0.4)
    assert routes[S_R].split == approx(1.0)
    assert all(not r.typed and r.quantity_t == r.recommended_t for r in routes.values())

    expected = {  # node: (recommended in, recommended out); nothing typed, so inflow/outflow are the same
        C1: (600, 150),
        C2: (200, 100),
        S: (250, 125),
        R: (125, 100),
        E: (100, 0),
    }
    for node, (rec_in, rec_out) in expected.items():
        flow = flows.nodes[node]
        assert (flow.recommended_in_t, flow.recommended_out_t) == (approx(rec_in), approx(rec_out)), node
        assert (flow.inflow_t, flow.outflow_t) == (approx(rec_in), approx(rec_out)), node
        # S sends exactly 250 x 0.5 = 125 and R exactly 125 x 0.8 = 100: on the limit, not a break
        assert not flow.mass_balance_break and not flow.capacity_overrun and flow.capacity_use is None, node
        assert flow.reaches_end_collector and flow.messages == (), node
    assert flows.need_t == 100 and flows.delivered_t == approx(100)
    assert flows.problems == () and flows.can_submit


def test_capacity_overrun_is_flagged_with_both_numbers():
    flows = compute(issue_nodes(s_capacity=200, r_capacity=125, c1_capacity=600), issue_routes(), need_t=100)
    # S must receive 250 (see above) but holds 200: use 250 / 200 = 1.25.
    s = flows.nodes[S]
    assert s.capacity_overrun and s.capacity_use == approx(1.25)
    assert s.messages == ("needs 250 t/year but its capacity is 200 t/year",)
    # R receives 125 with capacity 125 and C1 collects 600 with capacity 600: use 1.0, exactly full, not overrun.
    for node in (R, C1):
        assert not flows.nodes[node].capacity_overrun and flows.nodes[node].capacity_use == approx(1.0)
        assert flows.nodes[node].messages == ()
    assert not any(flows.nodes[n].capacity_overrun for n in (C2, E))
    assert flows.can_submit  # an overrun is a message, not a reason to refuse the network


def test_capacity_message_separates_thousands_and_zero_capacity_is_infinite_use():
    nodes = [NodeIn(1, "collector", 1.0, 1000), NodeIn(2, "end_collector", 1.0, 0)]
    flows = compute(nodes, [RouteIn(10, 1, 2)], need_t=1200)
    # C delivers 1,200 with yield 1 -> collects 1,200 > 1,000: use 1.2. E receives 1,200 with capacity 0: infinite.
    assert flows.nodes[1].capacity_use == approx(1.2)
    assert flows.nodes[1].messages == ("needs 1,200 t/year but its capacity is 1,000 t/year",)
    assert flows.nodes[2].capacity_use == math.inf and flows.nodes[2].capacity_overrun


def test_typed_quantities_break_the_mass_balance_and_leave_the_end_collector_short():
    flows = compute(issue_nodes(), issue_routes(c1_s=160, s_r=140, r_e=90), need_t=100)
    # Recommendations do not move with typed quantities: S_R still recommends 125, R_E 100, C1_S 150.
    assert flows.routes[S_R].recommended_t == approx(125) and flows.routes[S_R].quantity_t == 140
    assert flows.routes[S_R].typed and not flows.routes[C2_S].typed
    assert flows.routes[C2_S].quantity_t == approx(100)  # recommended, 250 * 2/5
    # S receives 160 (typed) + 100 (recommended) = 260, can deliver 260 x 0.5 = 130, sends 140 -> break.
    s = flows.nodes[S]
    assert (s.inflow_t, s.outflow_t) == (approx(260), approx(140))
    assert s.mass_balance_break
    assert s.messages == ("sends 140 t/year but can deliver at most 130 t/year (inflow 260 t/year x yield 0.5)",)
    # C1 sends 160 (typed) with yield 0.25 -> must collect 160 / 0.25 = 640; no entering route, so no break.
    assert flows.nodes[C1].inflow_t == approx(640) and not flows.nodes[C1].mass_balance_break
    # R receives 140, can deliver 140 x 0.8 = 112, sends 90: fine.
    assert (flows.nodes[R].inflow_t, flows.nodes[R].outflow_t) == (approx(140), approx(90))
    assert not flows.nodes[R].mass_balance_break
    # E needs 100 and receives 90 (typed): a shortfall message on E, not a problem.
    assert flows.delivered_t == approx(90) and flows.nodes[E].inflow_t == approx(90)
    assert flows.nodes[E].messages == ("needs 100 t/year but the routes deliver only 90 t/year",)
    assert flows.problems == () and flows.can_submit


def test_a_sorter_without_a_way_to_the_recycler_is_a_problem_named_by_label():
    nodes = issue_nodes() + [NodeIn(6, "sorter", 0.5, None, "Sorter: Dead End GmbH"), NodeIn(7, "sorter", 0.5, None)]
    routes = issue_routes() + [RouteIn(15, C2, 6), RouteIn(16, C2, 7)]
    flows = compute(nodes, routes, need_t=100)
    # Sorters 6 and 7 lead nowhere: recommended 0, so C2 still delivers 100 + 0 + 0 and collects 200.
    assert flows.routes[15].recommended_t == 0 and flows.routes[16].recommended_t == 0
    assert flows.nodes[6].recommended_in_t == 0 and flows.nodes[C2].recommended_in_t == approx(200)
    assert not flows.nodes[6].reaches_end_collector and flows.nodes[C2].reaches_end_collector
    assert flows.nodes[6].messages == ("is not connected to the end collector",)
    assert flows.problems == (
        "Sorter: Dead End GmbH is not connected to the end collector.",
        "Node 7 is not connected to the end collector.",
    )
    assert not flows.can_submit


def test_an_empty_network_has_no_end_collector():
    flows = compute([], [], need_t=0)
    assert flows.problems == ("The scenario has no end collector node.",)
    assert flows.nodes == {} and flows.routes == {} and flows.delivered_t == 0 and not flows.can_submit


def test_an_end_collector_without_routes():
    flows = compute([NodeIn(1, "collector", 0.5, None), NodeIn(2, "end_collector", 1.0, None)], [], need_t=100)
    # E needs 100 but nothing enters: delivered 0; the collector is recommended nothing.
    assert flows.problems == (
        "No route reaches the end collector.",
        "No collector feeds the end collector.",
        "Node 1 is not connected to the end collector.",
    )
    assert flows.nodes[2].recommended_in_t == 100 and flows.nodes[2].inflow_t == 0 and flows.delivered_t == 0
    assert flows.nodes[2].messages == ("needs 100 t/year but the routes deliver only 0 t/year",)
    assert flows.nodes[1].recommended_in_t == 0 and flows.nodes[2].reaches_end_collector


def test_a_sorter_alone_does_not_make_a_collector():
    flows = compute(
        [NodeIn(1, "sorter", 0.5, None), NodeIn(2, "end_collector", 1.0, None)], [RouteIn(10, 1, 2)], need_t=10
    )
    # S delivers 10, receives 10 / 0.5 = 20 (from nowhere: its inflow is what it must gather).
    assert flows.nodes[1].inflow_t == approx(20)
    assert flows.problems == ("No collector feeds the end collector.",)


def test_default_equal_shares_split_the_input_evenly():
    nodes = [
        NodeIn(1, "sorter", 0.5, None),
        NodeIn(2, "sorter", 0.5, None),
        NodeIn(3, "recoverer", 0.8, None),
        NodeIn(4, "end_collector", 1.0, None),
        NodeIn(5, "collector", 1.0, None),
    ]
    routes = [RouteIn(10, 1, 3), RouteIn(11, 2, 3), RouteIn(12, 3, 4), RouteIn(13, 5, 1), RouteIn(14, 5, 2)]
    flows = compute(nodes, routes, need_t=100)
    # R receives 100 / 0.8 = 125; share 1 and 1 -> 1/2 each: 62.5 from each sorter.
    # Each sorter receives 62.5 / 0.5 = 125; the collector (y 1) sends 125 + 125 = 250 and collects 250.
    assert flows.routes[10].split == approx(0.5) and flows.routes[11].split == approx(0.5)
    assert flows.routes[10].recommended_t == approx(62.5) and flows.routes[11].recommended_t == approx(62.5)
    assert flows.nodes[1].recommended_in_t == approx(125) and flows.nodes[2].recommended_in_t == approx(125)
    assert flows.nodes[5].recommended_out_t == approx(250) and flows.nodes[5].recommended_in_t == approx(250)
    assert flows.can_submit


def test_a_facility_in_two_roles_is_two_nodes_and_a_stage_may_be_skipped():
    # Shred AG Hagen sorts (node 3) and recovers (node 4); C1 delivers straight to the recoverer, skipping sorting.
    nodes = [
        NodeIn(1, "collector", 0.25, None, "Collector: Alu Collect"),
        NodeIn(2, "collector", 0.5, None, "Collector: Metal Pick"),
        NodeIn(3, "sorter", 0.5, None, "Sorter: Shred AG Hagen"),
        NodeIn(4, "recoverer", 0.8, None, "Recycler: Shred AG Hagen"),
        NodeIn(5, "end_collector", 1.0, None),
    ]
    routes = [RouteIn(10, 1, 4), RouteIn(11, 2, 3), RouteIn(12, 3, 4), RouteIn(13, 4, 5)]
    flows = compute(nodes, routes, need_t=100)
    # R receives 100 / 0.8 = 125, half from C1 directly (62.5) and half from S (62.5).
    # C1 collects 62.5 / 0.25 = 250. S receives 62.5 / 0.5 = 125 from C2, which collects 125 / 0.5 = 250.
    assert flows.routes[10].recommended_t == approx(62.5) and flows.routes[12].recommended_t == approx(62.5)
    assert flows.nodes[1].recommended_in_t == approx(250)
    assert flows.routes[11].recommended_t == approx(125) and flows.nodes[2].recommended_in_t == approx(250)
    assert flows.nodes[4].inflow_t == approx(125) and flows.delivered_t == approx(100)
    assert flows.problems == ()


EC = NodeIn(9, "end_collector", 1.0, None)


@pytest.mark.parametrize(
    "nodes,routes,need,message",
    [
        ([NodeIn(1, "collector", 0, None), EC], [], 1, r"node 1 has a yield 0 outside \(0, 1\]"),
        ([NodeIn(2, "sorter", 1.2, None), EC], [], 1, r"node 2 has a yield 1.2 outside \(0, 1\]"),
        ([NodeIn(3, "sorter", 0.5, -1), EC], [], 1, "node 3 has a capacity -1 below 0"),
        ([NodeIn(4, "dismantler", 0.5, None), EC], [], 1, "node 4 has an unknown role 'dismantler'"),
        ([NodeIn(1, "collector", 1, None), EC], [RouteIn(20, 1, 9, share=0)], 1, "route 20 has a share 0"),
        (
            [NodeIn(1, "collector", 1, None), EC],
            [RouteIn(21, 1, 9, quantity_t=0)],
            1,
            "route 21 has a typed quantity 0",
        ),
        ([NodeIn(1, "collector", 1, None), EC], [RouteIn(22, 1, 8)], 1, "route 22 refers to an unknown node 8"),
        ([NodeIn(1, "collector", 1, None), EC], [], -5, "need must be a finite number >= 0"),
        ([EC, NodeIn(10, "end_collector", 1, None)], [], 1, "more than one end collector node: 9, 10"),
        (
            [NodeIn(1, "sorter", 1, None), NodeIn(2, "sorter", 1, None), EC],
            [RouteIn(30, 1, 2), RouteIn(31, 2, 1), RouteIn(32, 2, 9)],
            1,
            "the routes form a cycle through nodes 1, 2$",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_offender(nodes, routes, need, message):
    with pytest.raises(ValueError, match=message):
        compute(nodes, routes, need)


def test_recommended_quantities_never_flag_themselves_through_rounding():
    nodes = [NodeIn(1, "collector", 1.0, None), NodeIn(2, "recoverer", 0.7, None), NodeIn(3, "end_collector", 1, None)]
    flows = compute(nodes, [RouteIn(10, 1, 2), RouteIn(11, 2, 3)], need_t=3)
    # R receives 3 / 0.7 = 4.2857... and sends 3; in floating point 4.2857... x 0.7 = 2.9999999999999996 < 3,
    # which only the relative tolerance keeps from being a mass-balance break.
    assert flows.nodes[2].recommended_in_t == approx(3 / 0.7) and flows.nodes[2].outflow_t == approx(3)
    assert not flows.nodes[2].mass_balance_break and flows.nodes[2].messages == ()


def test_a_recommended_share_above_capacity_is_flagged_even_when_typed_quantities_fit():
    # C1 (yield 0.25) must send 150 for its 3/5 share, so collect 150 / 0.25 = 600; its capacity is 500.
    # The user typed 100 on C1 -> S: C1 then collects 100 / 0.25 = 400 (within 500), so no planned overrun,
    # but the recommended 600 does not fit: a message says so.
    flows = compute(issue_nodes(c1_capacity=500), issue_routes(c1_s=100), need_t=100)
    c1 = flows.nodes[C1]
    assert (c1.recommended_in_t, c1.inflow_t) == (approx(600), approx(400))
    assert c1.recommended_overrun and not c1.capacity_overrun
    assert c1.messages == ("would need 600 t/year to take its recommended share, above its capacity of 500 t/year",)
    # Without typed quantities the planned inflow is the recommended one: a plain overrun, one message.
    plain = compute(issue_nodes(c1_capacity=500), issue_routes(), need_t=100).nodes[C1]
    assert plain.capacity_overrun and plain.recommended_overrun
    assert plain.messages == ("needs 600 t/year but its capacity is 500 t/year",)
