"""Recommended quantities on a large network: prints how long scenarios.quantities.compute takes.

A realistic study has about 20 partners (DOMAIN.md); this builds a network a hundred times larger (2,000
collectors, 100 sorters, 20 recoverers, one end collector, every collector sending to 2 sorters, every sorter to 3
recoverers) to show the page stays quick. Target: well under 0.1 s per computation.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from scenarios.quantities import NodeIn, RouteIn, compute  # noqa: E402


def network(collectors=2000, sorters=100, recoverers=20):
    nodes = [NodeIn(0, "end_collector", 1.0, None, "forge")]
    routes = []
    ids = iter(range(1, 10**9))
    recs = [NodeIn(next(ids), "recoverer", 0.9, 10_000.0) for _ in range(recoverers)]
    sors = [NodeIn(next(ids), "sorter", 0.8, 5_000.0) for _ in range(sorters)]
    cols = [NodeIn(next(ids), "collector", 0.5, 500.0) for _ in range(collectors)]
    nodes += recs + sors + cols
    rid = iter(range(1, 10**9))
    routes += [RouteIn(next(rid), r.id, 0, share=1 + i % 3) for i, r in enumerate(recs)]
    for i, s in enumerate(sors):
        routes += [RouteIn(next(rid), s.id, recs[(i + k) % recoverers].id) for k in range(3)]
    for i, c in enumerate(cols):
        routes += [RouteIn(next(rid), c.id, sors[(i + k) % sorters].id, share=1 + k) for k in range(2)]
    return nodes, routes


def main():
    nodes, routes = network()
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        result = compute(nodes, routes, need_t=50_000.0)
    elapsed = (time.perf_counter() - start) / runs
    print(
        f"quantities.compute: {len(nodes)} nodes, {len(routes)} routes: {elapsed * 1000:.1f} ms per run "
        f"(mean of {runs}); delivered {result.delivered_t:,.0f} t/year, problems: {len(result.problems)}"
    )


if __name__ == "__main__":
    main()
