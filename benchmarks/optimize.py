"""Network optimisation (assessment.optimize) on generated cases: prints model sizes, solve times and gaps.

Three cases, from np.random.default_rng(SEED) (the figures are generated, not measured; only the emission factors
are literature values):
1. demo size: about 20 candidates (DOMAIN.md: "About 20 candidate partners across the three outsourced roles is a
   realistic study"): 8 candidate collectors, 8 sorters, 4 recoverers, one end collector, 3 periods. Target: under
   1 s. Its cost-CO2e front (pareto, 11 epsilon values) is timed too.
2. national: 2,000 collection points (supplies, no opening decision), 60 candidate sorters, 20 candidate recyclers,
   one end collector, one period; every collection point can ship to every sorter (120,000 arcs), every sorter to
   every recycler. Solved to a 1 % gap. Target: under 60 s.
3. the same with 5 periods (supplies and demand growing 4 % a year) and two capacity sizes per facility (the
   larger twice the smaller, opening cost x 1.6, fixed cost x 1.5: economies of scale), within a 300 s limit.

Formulation notes (one 2-thread machine, HiGHS 1.15). With HiGHS's presolve on (its default), case 2 stopped at
its 60 s limit (after 77 s) with a 1.5 % gap, and case 3 stopped at 300 s with a 37 % gap and a poor network.
Strong linking rows (flow_at <= the origin's largest output x open_dest,t: Options(strong_linking=True), 120,000
more rows) tightened case 2's bound (0.24 % gap) but took 95 s. Cutting each collection point's arcs to its 8
nearest sorters (an approximation) took 31 s (presolve on) or 49 s (presolve off) for a network 1.2 % dearer.
Presolve off with the objective scaled (the engine's defaults) reaches 1 % in about 30 s on the full case 2; case
3 still ran to its 300 s limit, at 0.94 % in one run and 37 % in another (HiGHS's heuristics found only the network
with everything open). The warm start (the engine's default for such models: solve a one-period compression, keep
its open set over the periods, start HiGHS from that network) brings case 3 to 1 % in about 70 s.

Geography: a 1,000 km x 1,000 km square; road distance = 1.3 x the straight line (circuity, DOMAIN.md: Newell
1980; O'Sullivan 1996). Emission factors, kg CO2e per tonne-km (UK DEFRA/DESNZ conversion factors 2025, DOMAIN.md):
road, HGV all diesel average laden 0.10163; rail, freight train 0.02779 (sorter -> recycler by rail for a third of
the pairs). Transport prices (EUR per tonne-km: road 0.09, rail 0.05) and facility figures are generated.
"""

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from assessment.optimize import Arcs, Facility, Network, Options, Size, pareto, solve  # noqa: E402

SEED = 20_250_101
ROAD_KG_PER_TKM = 0.10163  # DEFRA/DESNZ 2025, HGV all diesel, average laden (DOMAIN.md)
RAIL_KG_PER_TKM = 0.02779  # DEFRA/DESNZ 2025, freight train (DOMAIN.md)
ROAD_EUR_PER_TKM, RAIL_EUR_PER_TKM = 0.09, 0.05  # generated
CIRCUITY = 1.3  # road / straight-line distance (DOMAIN.md: Newell 1980; O'Sullivan 1996)


def national(rng, *, collectors=2_000, sorters=60, recyclers=20, periods=1, two_sizes=False):
    growth = 1.04 ** np.arange(periods)
    where = lambda n: rng.uniform(0, 1_000, size=(n, 2))  # noqa: E731
    pc, ps, pr, pe = where(collectors), where(sorters), where(recyclers), where(1)
    supply = rng.uniform(100, 600, collectors)
    facilities = [
        Facility(
            f"C{i:04d}",
            "collector",
            yield_ratio=0.85,
            supply_t=(supply[i] * growth).tolist(),
            acquisition_eur_per_t=float(rng.uniform(150, 350)),
            co2e_kg_per_t=5.0,
        )
        for i in range(collectors)
    ]

    def sizes(cap, opening, fixed, var):
        small = Size(cap, opening, fixed, var)
        return [small, Size(2 * cap, 1.6 * opening, 1.5 * fixed, var)] if two_sizes else [small]

    for i in range(sorters):
        cap = float(rng.uniform(15_000, 40_000))
        facilities.append(
            Facility(
                f"S{i:02d}",
                "sorter",
                yield_ratio=0.9,
                cost_eur_per_t=float(rng.uniform(40, 60)),
                co2e_kg_per_t=float(rng.uniform(10, 25)),
                energy_mj_per_t=150.0,
                sizes=sizes(cap, float(rng.uniform(1e6, 3e6)), float(rng.uniform(3e5, 9e5)), 0.0),
            )
        )
    for i in range(recyclers):
        cap = float(rng.uniform(60_000, 150_000))
        facilities.append(
            Facility(
                f"R{i:02d}",
                "recoverer",
                yield_ratio=0.94,
                cost_eur_per_t=float(rng.uniform(250, 350)),
                co2e_kg_per_t=float(rng.uniform(300, 500)),
                energy_mj_per_t=5_000.0,
                sizes=sizes(cap, float(rng.uniform(5e6, 1.5e7)), float(rng.uniform(2e6, 5e6)), 0.0),
            )
        )
    demand = 0.35 * supply.sum() * 0.85 * 0.9 * 0.94 * growth
    facilities.append(Facility("E", "end_collector", demand_t=demand.tolist()))

    dist = lambda a, b: CIRCUITY * np.hypot(*(a[:, None, :] - b[None, :, :]).transpose(2, 0, 1))  # noqa: E731
    o1, d1 = np.divmod(np.arange(collectors * sorters), sorters)
    dist1 = dist(pc, ps)[o1, d1]
    o2, d2 = np.divmod(np.arange(sorters * recyclers), recyclers)
    dist2 = dist(ps, pr)[o2, d2]
    rail = rng.random(len(o2)) < 1 / 3
    dist3 = dist(pr, pe)[:, 0]
    S0, R0, E0 = collectors, collectors + sorters, collectors + sorters + recyclers
    origin = np.concatenate([o1, S0 + o2, R0 + np.arange(recyclers)])
    destination = np.concatenate([S0 + d1, R0 + d2, np.full(recyclers, E0)])
    rail_all = np.concatenate([np.zeros(len(o1), bool), rail, np.zeros(recyclers, bool)])
    arcs = Arcs(
        origin=origin,
        destination=destination,
        distance_km=np.concatenate([dist1, dist2, dist3]),
        eur_per_t_km=np.where(rail_all, RAIL_EUR_PER_TKM, ROAD_EUR_PER_TKM),
        co2e_kg_per_t_km=np.where(rail_all, RAIL_KG_PER_TKM, ROAD_KG_PER_TKM),
    )
    return Network(facilities=facilities, arcs=arcs, n_periods=periods)


def demo(rng):
    """8 candidate collectors, 8 sorters, 4 recoverers (20 candidates), one end collector, 3 periods."""
    net = national(rng, collectors=8, sorters=8, recyclers=4, periods=3, two_sizes=True)
    facilities = list(net.facilities)
    for i in range(8):  # collectors become candidates: a contract with a yard has a fixed cost
        f = facilities[i]
        facilities[i] = Facility(
            f.name,
            "collector",
            yield_ratio=0.85,
            supply_t=f.supply_t,
            acquisition_eur_per_t=f.acquisition_eur_per_t,
            co2e_kg_per_t=5.0,
            sizes=[Size(600.0, 0.0, float(rng.uniform(5e3, 2e4)), 0.0)],
        )
    end = facilities[-1]
    facilities[-1] = Facility("E", "end_collector", demand_t=[0.4 * d for d in end.demand_t])
    scaled = []
    for f in facilities[8:-1]:  # sorters and recoverers sized for a regional case
        scaled.append(
            Facility(
                f.name,
                f.role,
                yield_ratio=f.yield_ratio,
                cost_eur_per_t=f.cost_eur_per_t,
                co2e_kg_per_t=f.co2e_kg_per_t,
                energy_mj_per_t=f.energy_mj_per_t,
                sizes=[Size(s.capacity_t / 20, s.opening_eur / 20, s.fixed_eur / 20, 0.0) for s in f.sizes],
            )
        )
    return Network(facilities=facilities[:8] + scaled + [facilities[-1]], arcs=net.arcs, n_periods=3)


def show(label, network, options):
    start = time.perf_counter()
    s = solve(network, options=options)
    total = time.perf_counter() - start
    m = s.model_size
    size = f"{m.rows:,} rows, {m.columns:,} columns, {m.integers:,} integers, {m.nonzeros:,} nonzeros" if m else ""
    opened = sum(1 for f in s.facilities if f.role in ("sorter", "recoverer") and f.open[-1])
    gap = f"{s.gap:.3%}" if s.gap is not None else "-"
    cost = f"{s.total_cost_eur:,.0f}" if s.total_cost_eur is not None else "-"
    print(
        f"{label}: {size}\n    {s.status}, gap {gap}, solver {s.solve_time_s:.2f} s, total {total:.2f} s "
        f"(build and read included); cost {cost} EUR, {opened} sorters/recyclers open at the end"
    )
    return s


def main():
    rng = np.random.default_rng(SEED)
    case = demo(rng)
    show("demo size (20 candidates, 3 periods; target < 1 s)", case, Options(mip_rel_gap=1e-4))
    start = time.perf_counter()
    front = pareto(case, points=11)
    print(
        f"demo size, cost-CO2e front (11 epsilon values): {len(front.points)} networks in "
        f"{time.perf_counter() - start:.2f} s; cost {front.points[-1].total_cost_eur:,.0f} to "
        f"{front.points[0].total_cost_eur:,.0f} EUR, CO2e {front.points[-1].co2e_kg / 1e3:,.0f} to "
        f"{front.points[0].co2e_kg / 1e3:,.0f} t"
    )
    show(
        "national, 1 period (target: 1 % gap in under 60 s)",
        national(np.random.default_rng(SEED)),
        Options(time_limit_s=60, mip_rel_gap=0.01),
    )
    show(
        "national, 5 periods, 2 sizes (limit 300 s)",
        national(np.random.default_rng(SEED), periods=5, two_sizes=True),
        Options(time_limit_s=300, mip_rel_gap=0.01),
    )


if __name__ == "__main__":
    main()
