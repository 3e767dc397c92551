"""Solving: HiGHS runs for one objective (solve, with the lexicographic CO2e step and the warm start), the
Solution read from the column values, and the cost-CO2e front (pareto)."""

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

import highspy
import numpy as np

from .build import _build, _Built, _num, _Prep, _prepare
from .highs import _highs, _run
from .infeasibility import _elastic, _explain
from .model import (
    _INF,
    COST_PARTS,
    OBJECTIVES,
    FacilityResult,
    ModelError,
    ModelSize,
    Network,
    Options,
    ParetoFront,
    SideConstraints,
    Solution,
)


# --------------------------------------------------------------------------------------------------- the result
def _result(
    b: _Built,
    x: np.ndarray,
    status: str,
    message: str,
    objective: str,
    weights: tuple[float, float],
    obj: float | None,
    gap: float | None,
    seconds: float,
    size: ModelSize,
) -> Solution:
    p, idx = b.prep, b.idx
    T, F = p.T, len(p.names)
    A = len(p.a_o)
    blk = lambda name, n: x[idx[name] : idx[name] + n * T].reshape(n, T)  # noqa: E731
    flow = blk("flow", A)
    proc = blk("proc", F)
    S, SD, ST, C = idx["S"], idx["SD"], idx["ST"], idx["C"]
    collect, store, xo = np.zeros((F, T)), np.zeros((F, T)), np.ones((F, T))
    collect[S] = blk("collect", len(S))
    store[ST] = blk("store", len(ST))
    sdisp = np.zeros((F, T))
    sdisp[SD] = blk("sdisp", len(SD))
    xo[C] = np.round(blk("x", len(C)))
    xo[p.closed] = 0.0
    disp = blk("disp", len(p.disp))
    ex = [(i, k, x[s : s + T]) for i, k, s in idx["seg"]]
    clean = lambda a: np.where(np.abs(a) < 1e-9, 0.0, a)  # noqa: E731

    fc = {k: np.zeros((F, T)) for k in COST_PARTS if k != "transport"}
    fc["processing"] = p.proc_cost * proc
    fc["acquisition"] = p.acq * collect
    fc["storage"] = p.store_cost * store
    fc["supply_disposal"] = p.sdisp_cost * sdisp
    for k, (f, _m, cost, _lim) in enumerate(p.disp):
        fc["disposal"][f] += cost * disp[k]
    x_prev = np.concatenate([p.init_open[:, None].astype(float), xo[:, :-1]], axis=1)
    cand = p.cand[:, None]
    fc["opening"] = np.where(cand, p.open1 * (xo - x_prev), 0.0)
    fc["fixed"] = np.where(cand, p.fix1 * xo, 0.0)
    capacity = np.where(cand, p.s1[:, None] * xo, _INF)
    for i, k, e in ex:
        e_prev = np.concatenate([[p.e0[i][k]], e[:-1]])
        fc["expansion"][i] += p.slope_open[i][k] * (e - e_prev)
        fc["fixed"][i] += p.slope_fix[i][k] * e
        capacity[i] += e
    transport = (p.a_eur * p.a_dist[:, None] * flow).sum(axis=0)
    costs = {"transport": transport, **{k: v.sum(axis=0) for k, v in fc.items()}}
    for (_name, fixed, _members), ys in zip(p.sites, idx.get("sites", ())):
        costs["fixed"] = costs["fixed"] + fixed * np.round(x[ys : ys + T])
    per_period = sum(costs.values())
    co2e_tr = (p.a_co2e * p.a_dist[:, None] * flow).sum(axis=0)
    co2e_pr = (p.proc_co2e * proc).sum(axis=0)
    energy = float((p.a_energy * p.a_dist[:, None] * flow).sum() + (p.proc_energy * proc).sum())
    water = float((p.proc_water * proc).sum())

    disp_by_f: list[dict] = [dict() for _ in range(F)]
    for k, (f, m, _c, _l) in enumerate(p.disp):
        disp_by_f[f][p.products[m]] = tuple(clean(disp[k]).tolist())
    facilities = []
    for i in range(F):
        open_t = tuple(bool(v > 0.5) for v in xo[i])
        first = next((t for t, o in enumerate(open_t) if o), None)
        facilities.append(
            FacilityResult(
                name=p.names[i],
                role=p.roles[i],
                open=open_t,
                opened_in=-1 if p.init_open[i] else first,
                capacity_t=tuple(clean(capacity[i]).tolist()),
                processed_t=tuple(clean(proc[i]).tolist()),
                collected_t=tuple(clean(collect[i]).tolist()),
                stored_t=tuple(clean(store[i]).tolist()),
                disposed_t=disp_by_f[i],
                supply_disposed_t=tuple(clean(sdisp[i]).tolist()),
                costs_eur={k: tuple(v[i].tolist()) for k, v in fc.items()},
            )
        )
    flow_all = np.zeros((p.n_arcs_given, T))
    flow_all[p.arc_keep] = clean(flow)
    return Solution(
        status=status,
        message=message,
        objective=objective,
        weights=tuple(weights),
        objective_value=obj,
        gap=gap,
        solve_time_s=seconds,
        total_cost_eur=float(per_period.sum()),
        cost_per_period_eur=tuple(per_period.tolist()),
        costs_eur={k: tuple(v.tolist()) for k, v in costs.items()},
        co2e_kg=float((co2e_tr + co2e_pr).sum()),
        co2e_per_period_kg=tuple((co2e_tr + co2e_pr).tolist()),
        co2e_kg_by_source={"transport": float(co2e_tr.sum()), "processes": float(co2e_pr.sum())},
        energy_mj=energy,
        water_m3=water,
        facilities=tuple(facilities),
        flow_t=flow_all,
        model_size=size,
    )


def _size(b: _Built) -> ModelSize:
    return ModelSize(rows=b.A.shape[0], columns=b.A.shape[1], integers=int(b.integer.sum()), nonzeros=int(b.A.nnz))


def _message(status: str, gap: float | None) -> str:
    return {
        "optimal": "optimal network found",
        "feasible": f"limit reached; best network found (gap {gap:.2%})"
        if gap is not None and math.isfinite(gap)
        else "limit reached; best network found",
        "infeasible": "no network meets every requirement",
        "unbounded": "the cost can fall without limit: a revenue (negative cost) on a quantity with no limit",
        "no_solution": "time limit reached before any network was found",
        "error": "the solver stopped with an error",
    }[status]


def _failed(
    status: str,
    message: str,
    objective: str,
    weights: Sequence[float],
    seconds: float,
    explanation: Iterable[str],
    size: ModelSize | None = None,
) -> Solution:
    return Solution(
        status=status,
        message=message,
        objective=objective,
        weights=tuple(weights),
        objective_value=None,
        gap=None,
        solve_time_s=seconds,
        explanation=tuple(explanation),
        model_size=size,
    )


# ------------------------------------------------------------------------------------------------------ solving
def _slack(bound: float) -> float:
    """Room left on a bound taken from a solved model, so that solution stays feasible within HiGHS's tolerance."""
    return 1e-9 * max(1.0, abs(bound))


def _weights(objective: str, weights: Sequence[float] | None) -> tuple[float, float]:
    if objective not in OBJECTIVES:
        raise ModelError(f"objective: expected one of {', '.join(OBJECTIVES)}, got {objective!r}")
    if objective == "cost":
        return (1.0, 0.0)
    if objective == "co2e":
        return (0.0, 1.0)
    if weights is None or len(weights) != 2:
        raise ModelError("weights: the weighted objective needs (w_cost, w_co2e)")
    w = (_num(weights[0], "weights[0] (cost)", low=0.0), _num(weights[1], "weights[1] (co2e)", low=0.0))
    if w == (0.0, 0.0):
        raise ModelError("weights: at least one weight must be > 0")
    return w


def solve(
    network: Network,
    *,
    objective: str = "cost",
    weights: tuple[float, float] | None = None,
    constraints: SideConstraints | None = None,
    options: Options | None = None,
) -> Solution:
    """The best network for one objective ("cost", "co2e" or "weighted" with weights (w_cost, w_co2e))."""
    options = options or Options()
    w = _weights(objective, weights)
    start = time.perf_counter()
    prep = _prepare(network, constraints)
    found = _explain(prep)
    if found:
        return _failed("infeasible", _message("infeasible", None), objective, w, time.perf_counter() - start, found)
    b = _build(prep, options)
    return _solve_built(b, objective, w, options, start)[0]


def _compress(p: _Prep) -> _Prep:
    """One period standing for all of them: the largest supplies and demands, per-tonne and fixed costs summed over
    the periods, opening and expansion paid once at the first period's price, every build period allowed."""
    total = lambda a: a.sum(axis=-1, keepdims=True)  # noqa: E731
    most = lambda a: a.max(axis=-1, keepdims=True)  # noqa: E731
    return replace(
        p,
        T=1,
        open1=p.open1[:, :1],
        fix1=total(p.fix1),
        proc_cost=total(p.proc_cost),
        proc_co2e=total(p.proc_co2e),
        proc_energy=total(p.proc_energy),
        proc_water=total(p.proc_water),
        supply=most(p.supply),
        acq=total(p.acq),
        sdisp_cost=total(p.sdisp_cost),
        demand=most(p.demand),
        store_cost=total(p.store_cost),
        build=p.build.any(axis=1, keepdims=True),
        sdisp_lim=most(p.sdisp_lim),
        a_eur=total(p.a_eur),
        a_co2e=total(p.a_co2e),
        a_energy=total(p.a_energy),
        slope_open=[a[:, :1] for a in p.slope_open],
        slope_fix=[total(a) for a in p.slope_fix],
        disp=[(f, m, total(c), most(lim)) for f, m, c, lim in p.disp],
        recycled_need=None if p.recycled_need is None else most(p.recycled_need),
        sites=[(name, total(fixed), members) for name, fixed, members in p.sites],
    )


def _warm_start(
    b: _Built, c: np.ndarray, w: tuple[float, float], options: Options, deadline: float
) -> np.ndarray | None:
    """A network to start from (RELOG's heuristic in spirit): solve the one-period compression (_compress), keep
    its open candidates open from the first period they may open in, and solve the model with those choices."""
    p, T = b.prep, b.prep.T
    small = _build(_compress(p), options)

    def budget(share: float) -> Options:
        return replace(
            options,
            time_limit_s=max(1.0, share * (deadline - time.perf_counter())),
            mip_rel_gap=max(options.mip_rel_gap, 0.02),
        )

    h = _highs(small, w[0] * small.cost + w[1] * small.co2e, 0.0, budget(0.25))
    _, x1, *_ = _run(h, small)
    if x1 is None:
        return None
    C, xs = b.idx["C"], b.idx["x"]
    chosen = x1[small.idx["x"] : small.idx["x"] + len(C)] > 0.5
    may = np.maximum.accumulate(p.build[C] | p.init_open[C, None], axis=1)
    lb, ub = b.lb.copy(), b.ub.copy()
    block = slice(xs, xs + len(C) * T)
    fixed = np.clip((chosen[:, None] & may).astype(float).ravel(), lb[block], ub[block])
    lb[block] = ub[block] = fixed
    fixed_b = replace(b, lb=lb, ub=ub)
    _, x2, *_ = _run(_highs(fixed_b, c, 0.0, budget(0.3)), fixed_b)
    return x2


def _solve_built(
    b: _Built,
    objective: str,
    w: tuple[float, float],
    options: Options,
    start: float,
    extra: tuple[tuple[np.ndarray, float, float], ...] = (),
    start_x: np.ndarray | None = None,
) -> tuple[Solution, np.ndarray | None]:
    """Solve the built model for weights w (and extra rows); returns (Solution, column values or None)."""
    deadline = start + options.time_limit_s
    left = lambda: replace(options, time_limit_s=max(1.0, deadline - time.perf_counter()))  # noqa: E731
    c = w[0] * b.cost + w[1] * b.co2e
    warm = options.warm_start
    if warm is None:
        warm = b.prep.T > 1 and bool(b.integer.any()) and b.A.shape[1] > 20_000
    if start_x is None and warm and not extra:
        start_x = _warm_start(b, c, w, options, deadline)
    h = _highs(b, c, w[0] * b.cost_offset, left(), extra_rows=extra)
    if start_x is not None:
        h.setSolution(_as_solution(start_x))
    status, x, obj, gap, _ = _run(h, b)
    if status == "optimal" and objective == "co2e":  # the cheapest among the least-CO2e networks
        e_min = float(b.co2e @ x)
        row = (b.co2e, -_INF, e_min + _slack(e_min))
        h2 = _highs(b, b.cost, b.cost_offset, left(), extra_rows=(*extra, row))
        h2.setSolution(h.getSolution())
        s2, x2, _, g2, _ = _run(h2, b)
        if x2 is not None:
            x, gap = x2, max(gap or 0.0, g2 or 0.0)
            obj = float(b.co2e @ x)
            status = "optimal" if s2 == "optimal" else "feasible"
    seconds = time.perf_counter() - start
    if x is None:
        why = _elastic(b, options) if status == "infeasible" and options.explain else ()
        if status == "infeasible" and not why:
            why = (
                "no network meets every requirement together (each demand and supply can be met alone): "
                "relax the side constraints one at a time to find the one that binds",
            )
        return _failed(status, _message(status, gap), objective, w, seconds, why, _size(b)), None
    return _result(b, x, status, _message(status, gap), objective, w, obj, gap, seconds, _size(b)), x


def _as_solution(x: np.ndarray) -> highspy.HighsSolution:
    sol = highspy.HighsSolution()
    sol.col_value = np.asarray(x, float).tolist()
    sol.value_valid = True
    return sol


def pareto(
    network: Network,
    *,
    points: int = 11,
    constraints: SideConstraints | None = None,
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ParetoFront:
    """Cost versus CO2e front by the epsilon-constraint method (see the module notes); `points` grid values.
    `progress(done, total)`, when given, is called after each of the points + 1 solves."""
    options = options or Options()
    solved = 0

    def advance() -> None:
        nonlocal solved
        solved += 1
        if progress is not None:
            progress(solved, points + 1)

    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise ModelError(f"points: expected a whole number >= 2, got {points!r}")
    start = time.perf_counter()
    prep = _prepare(network, constraints)
    found = _explain(prep)
    if found:
        return ParetoFront("infeasible", (), None, None, found)
    b = _build(prep, options)
    cost_opt, _ = _solve_built(b, "cost", (1.0, 0.0), options, start)
    advance()
    if not cost_opt.has_network:
        return ParetoFront(cost_opt.status, (), None, None, cost_opt.explanation or (cost_opt.message,))
    co2e_opt, x_lo = _solve_built(b, "co2e", (0.0, 1.0), options, time.perf_counter())
    advance()
    if not co2e_opt.has_network:  # only when the time limit stops it: the cost optimum is a network
        return ParetoFront("feasible", (cost_opt,), cost_opt, None, (co2e_opt.message,))
    # the least CO2e among the cheapest networks
    c_max = cost_opt.total_cost_eur - b.cost_offset
    row = (b.cost, -_INF, c_max + _slack(c_max))
    cheap, _ = _solve_built(b, "co2e", (0.0, 1.0), options, time.perf_counter(), extra=(row,))
    advance()
    if cheap.has_network and cheap.co2e_kg <= cost_opt.co2e_kg:
        cost_opt = replace(cheap, objective="cost", weights=(1.0, 0.0), objective_value=cheap.total_cost_eur)
    e_lo, e_hi = co2e_opt.co2e_kg, cost_opt.co2e_kg
    sols = [co2e_opt, cost_opt]
    for eps in np.linspace(e_lo, e_hi, points)[1:-1]:  # rising eps: the previous network stays feasible
        row = (b.co2e, -_INF, eps + _slack(eps))
        s, x = _solve_built(b, "cost", (1.0, 0.0), options, time.perf_counter(), extra=(row,), start_x=x_lo)
        advance()
        if s.has_network:
            sols.append(replace(s, objective=f"cost with co2e <= {eps:.6g} kg"))
            x_lo = x
    sols.sort(key=lambda s: (s.co2e_kg, s.total_cost_eur))
    front: list[Solution] = []
    for s in sols:  # keep the non-dominated, distinct networks
        if front and s.total_cost_eur >= front[-1].total_cost_eur - 1e-6 * max(1.0, abs(s.total_cost_eur)):
            continue
        front.append(s)
    status = "optimal" if all(s.status == "optimal" for s in front) else "feasible"
    return ParetoFront(status, tuple(front), cost_opt, co2e_opt)
