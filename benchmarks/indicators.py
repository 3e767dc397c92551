"""Scenario indicators on a huge network: prints how long assessment.indicators.costs + assessment.lca.end_of_life
take, next to a bare NumPy pass over the same arrays.

A realistic study has about 20 partners (DOMAIN.md); this builds a random network of 1,000,000 routes between
100,000 nodes of 1,000 partners (np.random.default_rng(0)), far beyond any real scenario, to show the indicators are
vectorised. The bare pass is the least any implementation must do: np.dot(quantity x distance, rate[mode]) +
np.dot(throughput, cost per t). Targets: indicators under 1 s, and within 10x of the bare pass.
"""

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from assessment.indicators import MODES, CostFactors, NetworkArrays, costs  # noqa: E402
from assessment.lca import ImpactFactors, end_of_life  # noqa: E402

ROUTES, NODES, PARTNERS, RUNS = 1_000_000, 100_000, 1_000, 5


def network(rng: np.random.Generator) -> NetworkArrays:
    def per_node(high):
        return rng.uniform(0, high, NODES)

    return NetworkArrays(
        route_origin=rng.integers(0, NODES, ROUTES),
        route_destination=rng.integers(0, NODES, ROUTES),
        route_quantity_t=rng.uniform(0, 500, ROUTES),
        route_distance_km=rng.uniform(1, 1_500, ROUTES),
        route_mode=rng.integers(0, len(MODES), ROUTES),
        route_backhaul=rng.random(ROUTES) < 0.2,
        node_throughput_t=per_node(5_000),
        node_partner=rng.integers(0, PARTNERS, NODES),
        node_fixed_eur=per_node(100_000),
        node_process_eur_per_t=per_node(200),
        node_price_eur_per_t=per_node(1_500),
        node_stock_days=per_node(60),
        node_co2e_kg_per_t=per_node(400),
        node_energy_mj_per_t=per_node(6_000),
        node_water_m3_per_t=per_node(2),
        n_partners=PARTNERS,
    )


def best_of(runs, fn):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    rng = np.random.default_rng(0)
    start = time.perf_counter()
    net = network(rng)
    built = time.perf_counter() - start
    cost_factors = CostFactors(np.array([0.10, 0.04, 0.03, 0.01]), backhaul_share=0.5, holding_eur_per_t_year=100.0)
    impact_factors = ImpactFactors(
        transport_per_tkm=np.array(
            [[0.10163, 1.5, 0.0004], [0.02779, 0.4, 0.0002], [0.0386, 0.5, 0.0002], [0.00353, 0.05, 0.00001]]
        ),
        backhaul_share=0.5,
        primary_per_kg=np.array([7.0, 150.0, 0.05]),
        secondary_per_kg=np.zeros(3),
    )

    indicators_s, (cost, eol) = best_of(RUNS, lambda: (costs(net, cost_factors), end_of_life(net, impact_factors, 1)))
    rate = cost_factors.transport_eur_per_tkm
    bare_s, _ = best_of(
        RUNS,
        lambda: (
            np.dot(net.route_quantity_t * net.route_distance_km, rate[net.route_mode])
            + np.dot(net.node_throughput_t, net.node_process_eur_per_t)
        ),
    )
    validate_s, _ = best_of(RUNS, net.validate)
    ratio = indicators_s / bare_s
    met = indicators_s < 1.0 and ratio <= 10
    print(
        f"indicators: {ROUTES:,} routes, {NODES:,} nodes, {PARTNERS:,} partners "
        f"(built and validated once in {built * 1000:.0f} ms; validate() alone {validate_s * 1000:.1f} ms)"
    )
    print(
        f"  costs + end_of_life: {indicators_s * 1000:.1f} ms (best of {RUNS}); total cost "
        f"{cost.total_eur:,.0f} EUR/year, end of life {eol.values[0]:,.0f} kg CO2e/year"
    )
    print(f"  bare NumPy pass:     {bare_s * 1000:.1f} ms (best of {RUNS}); ratio {ratio:.1f}x")
    print(f"  targets (< 1 s, <= 10x the bare pass): {'target met' if met else 'target NOT met'}")


if __name__ == "__main__":
    main()
