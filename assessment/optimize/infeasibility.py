"""Why no network exists: definite checks before solving (explain, _explain) and, when HiGHS still finds the
model infeasible, an elastic re-solve that says which requirement falls short and by how much (_elastic)."""

import math
from collections.abc import Iterable
from dataclasses import replace

import numpy as np

from .build import _Built, _Prep, _prepare, _topo
from .highs import _highs, _run
from .model import _INF, _TOL, ROLES, Network, Options, SideConstraints


# ------------------------------------------------------------------------------------------------- explanations
def _t(x: float) -> str:
    return "unlimited" if math.isinf(x) else f"{x:,.6g} t"


def _ydown(
    prep: _Prep, order: np.ndarray, group: Iterable[int], skip: Iterable[int] = (), through_closed: bool = False
) -> np.ndarray:
    """Largest yield product from each facility's input to the input of the group (0: no path; 1 in the group),
    through no facility of `skip` and, unless through_closed, no kept-closed facility."""
    y = np.zeros(len(prep.names))
    y[list(group)] = 1.0
    blocked = set(skip) | set(group)
    by_o = np.argsort(prep.a_o, kind="stable")
    starts = np.searchsorted(prep.a_o[by_o], np.arange(len(prep.names) + 1))
    for f in order[::-1]:
        if f in blocked or (prep.closed[f] and not through_closed):
            continue
        js = by_o[starts[f] : starts[f + 1]]
        if len(js):
            y[f] = max(0.0, float(np.max(prep.a_ratio[js] * y[prep.a_d[js]])))
    return y


def explain(network: Network, constraints: SideConstraints | None = None) -> tuple[str, ...]:
    """Requirements no network can meet, each with its figures; empty when none of the checks finds one (the model
    may still be infeasible for a reason the checks do not cover: `solve` then says which requirement falls short)."""
    return _explain(_prepare(network, constraints))


def _explain(prep: _Prep) -> tuple[str, ...]:
    msgs: list[str] = []
    T, names, roles = prep.T, prep.names, prep.roles
    F = len(names)
    avail = ~prep.closed
    per = (lambda t: f"period {t + 1}") if T > 1 else (lambda t: "the period")  # noqa: E731

    # partners and kept-open facilities
    for role in ROLES:
        members = [i for i in range(F) if roles[i] == role]
        cands = [i for i in members if prep.cand[i] and avail[i]]
        fixed_open = sum(1 for i in members if not prep.cand[i] and avail[i])
        shut = [names[i] for i in members if prep.closed[i]]
        note = f" ({', '.join(shut)} kept closed)" if shut else ""
        if role in prep.min_k and prep.min_k[role] > len(cands) + fixed_open:
            msgs.append(
                f"at least {prep.min_k[role]} {role}s must be open, but there are only "
                f"{len(cands) + fixed_open} {role}s that can open{note}"
            )
        forced = [i for i in members if avail[i] and (prep.keep_open[i] or prep.init_open[i] or not prep.cand[i])]
        if role in prep.max_k and prep.max_k[role] < len(forced):
            msgs.append(
                f"at most {prep.max_k[role]} {role}s may be open, but {len(forced)} are open anyway "
                f"(kept open, already built or always open: {', '.join(names[i] for i in forced)})"
            )
    for i in np.flatnonzero(prep.keep_open & prep.cand & ~prep.init_open & ~prep.build[:, 0]):
        msgs.append(
            f"{names[i]} is kept open, but it can only open in period "
            f"{int(np.flatnonzero(prep.build[i])[0]) + 1 if prep.build[i].any() else 'none'}"
        )

    # mandatory supplies
    for i in np.flatnonzero(prep.mandatory & (prep.supply > _TOL).any(axis=1)):
        need = prep.supply[i]
        can_drop = bool((prep.sdisp_lim[prep.input_m[i]] > 0).any())
        if prep.closed[i] and not can_drop:
            msgs.append(f"{names[i]} is kept closed, but {_t(need.max())} must be shipped from it")
            continue
        mine = set(prep.out_m[prep.out_f == i].tolist())
        if (prep.a_o == i).any() or any(d[0] == i and d[1] in mine for d in prep.disp) or can_drop:
            continue
        dropped = prep.dropped_dist[prep.dropped_o == i]
        why = (
            f": the maximum distance {prep.max_distance_km:g} km removes all its arcs (the shortest is "
            f"{dropped.min():,.6g} km)"
            if len(dropped)
            else ": no arc leaves it"
        )
        msgs.append(
            f"{names[i]} must ship {_t(need.max())} in {per(int(np.argmax(need)))}, but it cannot send it anywhere{why}"
        )
    for m in range(len(prep.products)):
        src = prep.mandatory & (prep.input_m == m)
        if not src.any():
            continue
        takers = np.flatnonzero((prep.input_m == m) & avail & ~src)
        need = np.cumsum(prep.supply[src].sum(axis=0) - np.minimum(prep.sdisp_lim[m], 1e300))
        cum_cap = np.cumsum(np.full(T, prep.cap_max[takers].sum()))
        tt_last = np.arange(T) == T - 1
        most = cum_cap + np.where(tt_last, 0.0, prep.store_lim[takers].sum())
        t_bad = np.flatnonzero(need > most * (1 + 1e-9) + _TOL)
        if len(t_bad):
            t = int(t_bad[0])
            detail = ", ".join(f"{names[i]} {_t(prep.cap_max[i])}" for i in takers) or "none"
            upto = f"up to {per(t)}" if T > 1 else "in the period"
            held = "" if tt_last[t] or not prep.store_lim[takers].any() else " and hold in storage"
            msgs.append(
                f"{need[t]:,.6g} t of {prep.products[m]!r} must be shipped from the supplies {upto}, but "
                f"the facilities taking it can process{held} at most {most[t]:,.6g} t (capacity per period: "
                f"{detail})"
            )
    for i in np.flatnonzero(prep.closed & prep.init_open):
        msgs.append(f"{names[i]} is kept closed, but it already has a capacity (initial capacity) and cannot close")

    # demands (and the recycled share): cut bounds. A tonne of supply at i brings at most y_i to the target (the
    # best yield product on the way); a facility f of a role processes at most its capacity, which brings at most
    # cap_f y_f; what bypasses the role is bounded by the supplies on paths avoiding it.
    order = _topo(prep)
    cap = np.where(avail & prep.cand, prep.cap_max, np.where(avail, _INF, 0.0))
    storage = bool((prep.store_lim > 0).any())
    acc = (lambda a: np.cumsum(a)) if storage else (lambda a: a)
    span = (lambda t: f"up to {per(t)}") if storage and T > 1 else (lambda t: f"in {per(t)}")
    targets = [([int(i)], prep.demand[i], f"{names[i]} needs") for i in np.flatnonzero((prep.demand > _TOL).any(1))]
    if prep.recycled_need is not None and (prep.recycled_need > _TOL).any():
        who = " and ".join(names[i] for i in prep.recycled_f)
        targets.append(
            (
                [int(i) for i in prep.recycled_f],
                prep.recycled_need,
                f"the recycled share {prep.recycled_share:.4g} requires {who} to receive",
            )
        )
    if order is None:
        return tuple(msgs)
    supply = np.where(avail[:, None], prep.supply, 0.0)
    for group, need_t, what in targets:
        need = acc(need_t)

        def short(b: np.ndarray, need: np.ndarray = need) -> int | None:
            bad = np.flatnonzero(b < need * (1 - 1e-9) - _TOL)
            return int(bad[0]) if len(bad) else None

        def head(t: int, what: str = what, need: np.ndarray = need) -> str:
            return f"{what} {need[t]:,.6g} t {span(t)}"

        y = _ydown(prep, order, group)
        reach = acc(y @ supply)
        t = short(reach)
        if t is not None:
            held = acc((y > 0) @ supply)
            if not held[t] > 0:
                dropped = int(sum((prep.dropped_o == i).sum() for i in np.flatnonzero(prep.has_supply)))
                why = f" (the maximum distance {prep.max_distance_km:g} km removes {dropped} arcs)" if dropped else ""
                msgs.append(f"{head(t)}, but no supply can reach it{why}")
            else:
                msgs.append(
                    f"{head(t)}, but at most {reach[t]:,.6g} t can reach it: the supplies that can reach it "
                    f"hold {held[t]:,.6g} t before the yields"
                )
            continue
        y_all = _ydown(prep, order, group, through_closed=True)
        found = False
        for role in ROLES:
            members = [i for i in np.flatnonzero(y > 0) if roles[i] == role and i not in group]
            if not members:
                continue
            bypass = acc(_ydown(prep, order, group, skip=members) @ supply)
            k = prep.max_k.get(role)
            through = sorted((cap[i] * y[i] for i in members), reverse=True)[:k]
            b = bypass + (np.arange(1, T + 1) if storage else np.ones(T)) * sum(through)
            t = short(b)
            if t is None:
                continue
            caps = ", ".join(f"{names[i]} {_t(cap[i])}" for i in members)
            shut = [names[i] for i in range(F) if roles[i] == role and prep.closed[i] and y_all[i] > 0]
            extra = (f"; kept closed: {', '.join(shut)}" if shut else "") + (
                f"; at most {k} may be open" if k is not None else ""
            )
            msgs.append(
                f"{head(t)}, but at most {b[t]:,.6g} t can reach it: the {role}s on the way can process "
                f"{_t(sum(cap[i] for i in members))} per period together ({caps}{extra})"
            )
            found = True
            break
        if found:
            continue
        own = acc(np.full(T, sum(cap[g] for g in group)))
        t = short(own)
        if t is not None:
            shut = " (kept closed)" if any(prep.closed[g] for g in group) else ""
            msgs.append(f"{head(t)}, but its capacity is {_t(own[0])} per period{shut}")
            continue
        for role, s in prep.share.items():
            members = [i for i in np.flatnonzero(y > 0) if roles[i] == role and i not in group]
            if members and s * len(members) < 1 - 1e-9:
                t = short(acc(_ydown(prep, order, group, skip=members) @ supply))
                if t is not None:
                    msgs.append(
                        f"{head(t)}, which must pass through the {role}s, but at most {s:.4g} of their flow "
                        f"may pass through one of them and only {len(members)} can be used: together they "
                        f"could take at most {s * len(members):.4g} of it, so none can be used"
                    )
    return tuple(msgs)


# --------------------------------------------------------------------------------------------- elastic re-solve
def _elastic(b: _Built, options: Options) -> tuple[str, ...]:
    """Which soft requirement falls short, from a copy where each may be relaxed at a cost of 1 per unit short."""
    if not b.soft:
        return ()
    rows = np.array([s[0] for s in b.soft])
    h = _highs(
        b, b.cost, 0.0, replace(options, time_limit_s=min(options.time_limit_s, 30.0)), slack=(rows, np.ones(len(rows)))
    )
    _status, x, *_ = _run(h, b)
    if x is None:
        return (
            "the side constraints contradict each other (even with every demand and supply relaxed no network "
            "exists): check the kept-open and kept-closed facilities and the partner limits",
        )
    per = (lambda t: f" in period {t + 1}") if b.prep.T > 1 else (lambda t: "")
    out = []
    for (_row, label, t, need, tonnes), short in zip(b.soft, x[b.A.shape[1] :]):
        if short > _TOL:
            unit = " t" if tonnes else ""
            out.append(
                f"{label} {need:,.6g}{unit}{per(t)}, but at most {max(need - short, 0.0):,.6g}{unit} can be "
                f"met under the other requirements (short by {short:,.6g}{unit})"
            )
    return tuple(out[:20]) + ((f"... and {len(out) - 20} more",) if len(out) > 20 else ())
