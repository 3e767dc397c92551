"""From a Network to the matrices of the model: validation and preparation (_prepare), bounds on the arc graph
(_topo, _reach) and the sparse model assembled block by block (_build)."""

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, DTypeLike

from .model import _INF, _TOL, ROLES, Arcs, ModelError, Network, Options, SideConstraints


# -------------------------------------------------------------------------------------------------- preparation
def _num(value: Any, where: str, *, low: float = -_INF, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ModelError(f"{where}: expected a number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ModelError(f"{where}: must be finite, got {v}")
    if v < low or (low_open and v == low):
        raise ModelError(f"{where}: must be {'>' if low_open else '>='} {low:g}, got {v:g}")
    return v


def _series(value: Any, n: int, where: str, *, low: float = -_INF, allow_inf: bool = False) -> np.ndarray:
    if value is None and allow_inf:
        return np.full(n, _INF)
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return np.full(n, _num(value, where, low=low))
    try:
        if isinstance(value, (str, bytes, Mapping)):
            raise TypeError
        arr = [*value]
    except TypeError:
        raise ModelError(f"{where}: expected a number or {n} values (one per period), got {value!r}") from None
    if len(arr) != n:
        raise ModelError(f"{where}: expected {n} values (one per period), got {len(arr)}")
    return np.array([_num(v, f"{where}[{i}]", low=low) for i, v in enumerate(arr)], dtype=float)


def _arc_factor(value: ArrayLike, n_arcs: int, n: int, where: str, *, low: float = -_INF) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 1 and arr.shape[0] == n_arcs:
        arr = np.repeat(arr[:, None], n, axis=1)
    if arr.shape != (n_arcs, n):
        raise ModelError(f"{where}: expected shape ({n_arcs},) or ({n_arcs}, {n}), got {arr.shape}")
    if not np.isfinite(arr).all() or (arr < low).any():
        bad = int(np.argwhere(~np.isfinite(arr) | (arr < low))[0][0])
        raise ModelError(f"{where}[{bad}]: must be finite and >= {low:g}")
    return arr


@dataclass(eq=False)
class _Prep:
    """The network as arrays, validated, with the side constraints resolved."""

    T: int
    names: list
    roles: list
    index: dict
    products: list
    input_m: np.ndarray
    out_f: np.ndarray  # output pairs (facility, product, ratio)
    out_m: np.ndarray
    out_r: np.ndarray
    cand: np.ndarray
    closed: np.ndarray
    keep_open: np.ndarray
    s1: np.ndarray
    cap_max: np.ndarray
    seg_len: list  # per facility: array of segment lengths (empty for one size)
    slope_open: list  # per facility: (K-1, T)
    slope_fix: list
    e0: list  # per facility: initial expansion per segment
    open1: np.ndarray  # (F, T) opening cost at s_1
    fix1: np.ndarray
    proc_cost: np.ndarray  # (F, T) variable operating + activity cost per t
    proc_co2e: np.ndarray
    proc_energy: np.ndarray
    proc_water: np.ndarray
    supply: np.ndarray  # (F, T)
    has_supply: np.ndarray
    mandatory: np.ndarray
    acq: np.ndarray
    sdisp_cost: np.ndarray
    demand: np.ndarray  # (F, T), 0 when none
    store_lim: np.ndarray
    store_cost: np.ndarray
    disp: list  # (f, m, cost (T), limit (T))
    init_open: np.ndarray
    build: np.ndarray  # (F, T) bool
    sdisp_lim: np.ndarray  # (P, T)
    n_arcs_given: int
    arc_keep: np.ndarray  # indexes of the arcs kept (max distance)
    a_o: np.ndarray
    a_d: np.ndarray
    a_m: np.ndarray
    a_dist: np.ndarray
    a_eur: np.ndarray  # (A, T)
    a_co2e: np.ndarray
    a_energy: np.ndarray
    a_ratio: np.ndarray  # ratio of the arc's product at its origin
    dropped_o: np.ndarray  # origin and distance of dropped arcs (for explanations)
    dropped_dist: np.ndarray
    min_k: dict
    max_k: dict
    share: dict
    recycled_f: np.ndarray
    recycled_need: np.ndarray | None
    recycled_share: float | None
    max_distance_km: float | None
    sites: list = ()  # (name, fixed cost (T,), member indexes): one fixed cost while any member is open


def _prepare(network: Network, side: SideConstraints | None) -> _Prep:
    side = side or SideConstraints()
    T = network.n_periods
    if isinstance(T, bool) or not isinstance(T, (int, np.integer)) or T < 1:
        raise ModelError(f"n_periods: must be a whole number >= 1, got {T!r}")
    facs = list(network.facilities)
    if not facs:
        raise ModelError("facilities: the network has no facility")
    F = len(facs)
    index: dict[str, int] = {}
    products: dict[str, int] = {}

    def prod(name: object, where: str) -> int:
        if not isinstance(name, str) or not name:
            raise ModelError(f"{where}: expected a product name, got {name!r}")
        return products.setdefault(name, len(products))

    z = np.zeros((F, T))
    p = dict(
        input_m=np.zeros(F, int),
        cand=np.zeros(F, bool),
        s1=np.zeros(F),
        cap_max=np.full(F, _INF),
        open1=z.copy(),
        fix1=z.copy(),
        proc_cost=z.copy(),
        proc_co2e=z.copy(),
        proc_energy=z.copy(),
        proc_water=z.copy(),
        supply=z.copy(),
        has_supply=np.zeros(F, bool),
        mandatory=np.zeros(F, bool),
        acq=z.copy(),
        sdisp_cost=z.copy(),
        demand=z.copy(),
        store_lim=np.zeros(F),
        store_cost=z.copy(),
        init_open=np.zeros(F, bool),
        build=np.ones((F, T), bool),
    )
    seg_len, slope_open, slope_fix, e0, disp = [], [], [], [], []
    out_f, out_m, out_r, roles = [], [], [], []
    for i, f in enumerate(facs):
        w = f"facilities[{i}] ({getattr(f, 'name', '?')})"
        if not isinstance(f.name, str) or not f.name:
            raise ModelError(f"facilities[{i}].name: expected a non-empty name, got {f.name!r}")
        if f.name in index:
            raise ModelError(f"{w}.name: {f.name!r} is already the name of facilities[{index[f.name]}]")
        index[f.name] = i
        if f.role not in ROLES:
            raise ModelError(f"{w}.role: expected one of {', '.join(ROLES)}, got {f.role!r}")
        roles.append(f.role)
        p["input_m"][i] = prod(f.input_product, f"{w}.input_product")
        y = _num(f.yield_ratio, f"{w}.yield_ratio", low=0.0, low_open=True)
        if y > 1:
            raise ModelError(f"{w}.yield_ratio: must be <= 1, got {y:g}")
        before = 1.0  # yield of the activities before the current one
        for k, a in enumerate(f.activities):
            wa = f"{w}.activities[{k}]"
            ya = _num(a.yield_ratio, f"{wa}.yield_ratio", low=0.0, low_open=True)
            if ya > 1:
                raise ModelError(f"{wa}.yield_ratio: must be <= 1, got {ya:g}")
            p["proc_cost"][i] += before * _num(a.cost_eur_per_t, f"{wa}.cost_eur_per_t")
            p["proc_energy"][i] += before * _num(a.energy_mj_per_t, f"{wa}.energy_mj_per_t")
            p["proc_co2e"][i] += before * _num(a.co2e_kg_per_t, f"{wa}.co2e_kg_per_t")
            p["proc_water"][i] += before * _num(a.water_m3_per_t, f"{wa}.water_m3_per_t", low=0.0)
            before *= ya
        if f.outputs is None:
            outs = {} if f.role == "end_collector" else {f.input_product: y * before}
        else:
            if not isinstance(f.outputs, Mapping):
                raise ModelError(f"{w}.outputs: expected a mapping product -> t per t, got {f.outputs!r}")
            outs = {m: _num(r, f"{w}.outputs[{m!r}]", low=0.0) * before for m, r in f.outputs.items()}
        for m, r in outs.items():
            out_f.append(i)
            out_m.append(prod(m, f"{w}.outputs"))
            out_r.append(r)
        p["proc_cost"][i] += _series(f.cost_eur_per_t, T, f"{w}.cost_eur_per_t")
        p["proc_energy"][i] += _series(f.energy_mj_per_t, T, f"{w}.energy_mj_per_t")
        p["proc_co2e"][i] += _series(f.co2e_kg_per_t, T, f"{w}.co2e_kg_per_t")
        p["proc_water"][i] += _series(f.water_m3_per_t, T, f"{w}.water_m3_per_t", low=0.0)
        if f.supply_t is not None:
            p["supply"][i] = _series(f.supply_t, T, f"{w}.supply_t", low=0.0)
            p["has_supply"][i] = True
            p["mandatory"][i] = bool(f.supply_mandatory)
        elif f.supply_mandatory:
            raise ModelError(f"{w}.supply_mandatory: set without a supply_t")
        p["acq"][i] = _series(f.acquisition_eur_per_t, T, f"{w}.acquisition_eur_per_t")
        p["sdisp_cost"][i] = _series(f.supply_disposal_eur_per_t, T, f"{w}.supply_disposal_eur_per_t")
        if f.demand_t is not None:
            p["demand"][i] = _series(f.demand_t, T, f"{w}.demand_t", low=0.0)
        p["store_lim"][i] = _num(f.storage_limit_t, f"{w}.storage_limit_t", low=0.0)
        p["store_cost"][i] = _series(f.storage_eur_per_t, T, f"{w}.storage_eur_per_t")
        if not isinstance(f.disposal, Mapping):
            raise ModelError(f"{w}.disposal: expected a mapping product -> Disposal, got {f.disposal!r}")
        for m, d in f.disposal.items():
            wd = f"{w}.disposal[{m!r}]"
            if m not in outs:
                raise ModelError(f"{wd}: {m!r} is not an output of this facility")
            disp.append(
                (
                    i,
                    products[m],
                    _series(d.eur_per_t, T, f"{wd}.eur_per_t"),
                    _series(d.limit_t, T, f"{wd}.limit_t", low=0.0, allow_inf=True),
                )
            )
        init = _num(f.initial_capacity_t, f"{w}.initial_capacity_t", low=0.0)
        if f.build_periods is not None:
            p["build"][i] = False
            for k, t in enumerate(f.build_periods):
                if isinstance(t, bool) or not isinstance(t, (int, np.integer)) or not 0 <= t < T:
                    raise ModelError(f"{w}.build_periods[{k}]: expected a period 0..{T - 1}, got {t!r}")
                p["build"][i, t] = True
        sizes = list(f.sizes)
        for k, s in enumerate(sizes):  # the smallest size may be 0 (RELOG: open first, expand later)
            _num(s.capacity_t, f"{w}.sizes[{k}].capacity_t", low=0.0, low_open=len(sizes) == 1)
        order = sorted(range(len(sizes)), key=lambda k: sizes[k].capacity_t)
        caps = [float(sizes[k].capacity_t) for k in order]
        if any(b <= a for a, b in zip(caps, caps[1:])):
            raise ModelError(f"{w}.sizes: two sizes have the same capacity ({caps})")
        opening = [_series(sizes[k].opening_eur, T, f"{w}.sizes[{k}].opening_eur") for k in order]
        fixed = [_series(sizes[k].fixed_eur, T, f"{w}.sizes[{k}].fixed_eur") for k in order]
        var = [_series(sizes[k].variable_eur_per_t, T, f"{w}.sizes[{k}].variable_eur_per_t") for k in order]
        if any(not np.array_equal(v, var[0]) for v in var[1:]):
            raise ModelError(f"{w}.sizes: the variable cost per tonne must be the same for every size")
        lens = np.diff(caps) if caps else np.zeros(0)
        seg_len.append(lens)
        slope_open.append(
            np.array([(opening[k + 1] - opening[k]) / lens[k] for k in range(len(lens))]).reshape(len(lens), T)
        )
        slope_fix.append(
            np.array([(fixed[k + 1] - fixed[k]) / lens[k] for k in range(len(lens))]).reshape(len(lens), T)
        )
        if sizes:
            p["cand"][i] = True
            p["s1"][i], p["cap_max"][i] = caps[0], caps[-1]
            p["open1"][i], p["fix1"][i] = opening[0], fixed[0]
            p["proc_cost"][i] += var[0]
            extra = max(0.0, min(init, caps[-1]) - caps[0])
            e0.append(np.array([min(max(extra - (c - caps[0]), 0.0), ln) for c, ln in zip(caps, lens)]))
            if init > caps[-1] + _TOL:
                raise ModelError(f"{w}.initial_capacity_t: {init:g} t is above its largest size {caps[-1]:g} t")
            p["init_open"][i] = init > 0
        else:
            e0.append(np.zeros(0))
            if init > 0:
                raise ModelError(f"{w}.initial_capacity_t: a facility without sizes has no capacity to start from")
    P = len(products)

    sdisp_lim = np.zeros((P, T))
    for m, lim in network.supply_disposal_limit_t.items():
        if m not in products:
            raise ModelError(f"supply_disposal_limit_t[{m!r}]: unknown product")
        sdisp_lim[products[m]] = _series(lim, T, f"supply_disposal_limit_t[{m!r}]", low=0.0, allow_inf=True)

    # arcs
    arcs = network.arcs
    if isinstance(arcs, Arcs):
        n = len(np.asarray(arcs.origin))
        a_o = np.asarray(arcs.origin, dtype=np.int64)
        a_d = np.asarray(arcs.destination, dtype=np.int64)
        for nm, arr in (("origin", a_o), ("destination", a_d)):
            if arr.shape != (n,) or (n and (arr.min() < 0 or arr.max() >= F)):
                raise ModelError(f"arcs.{nm}: expected {n} facility indexes 0..{F - 1}")
        a_dist = _arc_factor(arcs.distance_km, n, 1, "arcs.distance_km", low=0.0)[:, 0]
        a_eur = _arc_factor(arcs.eur_per_t_km, n, T, "arcs.eur_per_t_km")
        a_co2e = _arc_factor(arcs.co2e_kg_per_t_km, n, T, "arcs.co2e_kg_per_t_km")
        a_energy = (
            np.zeros((n, T))
            if arcs.energy_mj_per_t_km is None
            else _arc_factor(arcs.energy_mj_per_t_km, n, T, "arcs.energy_mj_per_t_km")
        )
        a_m = p["input_m"][a_d].copy()
        if arcs.product is not None:
            for j, m in enumerate(arcs.product):
                if m is not None:
                    if m not in products:
                        raise ModelError(f"arcs.product[{j}]: unknown product {m!r}")
                    a_m[j] = products[m]
    else:
        arcs = list(arcs)
        n = len(arcs)
        a_o, a_d, a_m = np.zeros(n, np.int64), np.zeros(n, np.int64), np.zeros(n, np.int64)
        a_dist = np.zeros(n)
        a_eur, a_co2e, a_energy = np.zeros((n, T)), np.zeros((n, T)), np.zeros((n, T))
        for j, a in enumerate(arcs):
            w = f"arcs[{j}] ({a.origin} -> {a.destination})"
            for nm in ("origin", "destination"):
                if getattr(a, nm) not in index:
                    raise ModelError(f"{w}.{nm}: unknown facility {getattr(a, nm)!r}")
            a_o[j], a_d[j] = index[a.origin], index[a.destination]
            a_dist[j] = _num(a.distance_km, f"{w}.distance_km", low=0.0)
            a_eur[j] = _series(a.eur_per_t_km, T, f"{w}.eur_per_t_km")
            a_co2e[j] = _series(a.co2e_kg_per_t_km, T, f"{w}.co2e_kg_per_t_km")
            a_energy[j] = _series(a.energy_mj_per_t_km, T, f"{w}.energy_mj_per_t_km")
            if a.product is None:
                a_m[j] = p["input_m"][a_d[j]]
            elif a.product not in products:
                raise ModelError(f"{w}.product: unknown product {a.product!r}")
            else:
                a_m[j] = products[a.product]
    pname = list(products)
    ratio = {(int(f), int(m)): r for f, m, r in zip(out_f, out_m, out_r)}
    a_ratio = np.zeros(n)
    for j in range(n):
        o, d, m = int(a_o[j]), int(a_d[j]), int(a_m[j])
        w = f"arcs[{j}] ({facs[o].name} -> {facs[d].name})"
        if o == d:
            raise ModelError(f"{w}: an arc must join two different facilities")
        if (o, m) not in ratio:
            raise ModelError(f"{w}: {facs[o].name} does not make {pname[m]!r}")
        if p["input_m"][d] != m:
            raise ModelError(f"{w}: {facs[d].name} takes {pname[p['input_m'][d]]!r}, not {pname[m]!r}")
        a_ratio[j] = ratio[o, m]

    names_of = [f.name for f in facs]

    # side constraints
    def fac(name: str, where: str) -> int:
        if name not in index:
            raise ModelError(f"{where}: unknown facility {name!r}")
        return index[name]

    closed, keep = np.zeros(F, bool), np.zeros(F, bool)
    for k, nm in enumerate(side.keep_closed):
        closed[fac(nm, f"keep_closed[{k}]")] = True
    for k, nm in enumerate(side.keep_open):
        i = fac(nm, f"keep_open[{k}]")
        if closed[i]:
            raise ModelError(f"keep_open[{k}]: {nm!r} is also kept closed")
        keep[i] = True
    min_k: dict[str, int] = {}
    max_k: dict[str, int] = {}
    share = {}
    for label, src, dst in (("min_partners", side.min_partners, min_k), ("max_partners", side.max_partners, max_k)):
        for role, k in src.items():
            if role not in ROLES:
                raise ModelError(f"{label}[{role!r}]: unknown role (expected one of {', '.join(ROLES)})")
            if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 0:
                raise ModelError(f"{label}[{role!r}]: expected a whole number >= 0, got {k!r}")
            dst[role] = int(k)
    for role, s in side.max_share.items():
        if role not in ROLES:
            raise ModelError(f"max_share[{role!r}]: unknown role (expected one of {', '.join(ROLES)})")
        s = _num(s, f"max_share[{role!r}]", low=0.0, low_open=True)
        if s > 1:
            raise ModelError(f"max_share[{role!r}]: a share is at most 1, got {s:g}")
        share[role] = s
    max_d = None
    if side.max_distance_km is not None:
        max_d = _num(side.max_distance_km, "max_distance_km", low=0.0)
    keep_arc = np.arange(n) if max_d is None else np.flatnonzero(a_dist <= max_d + 1e-9)
    drop = np.setdiff1d(np.arange(n), keep_arc)
    rec_f, rec_need = np.zeros(0, int), None
    if side.recycled_share is not None:
        s = _num(side.recycled_share, "recycled_share", low=0.0)
        if s > 1:
            raise ModelError(f"recycled_share: a share is at most 1, got {s:g}")
        if side.product_t is None:
            raise ModelError("product_t: needed with recycled_share (t of product made per period)")
        rec_need = s * _series(side.product_t, T, "product_t", low=0.0)
        if side.recycled_to is not None:
            rec_f = np.array([fac(side.recycled_to, "recycled_to")])
        else:
            rec_f = np.array([i for i, r in enumerate(roles) if r == "end_collector"], dtype=int)
            if not len(rec_f):
                raise ModelError("recycled_share: the network has no end collector (name one in recycled_to)")

    sites = []
    for k, site in enumerate(network.sites):
        w = f"sites[{k}] ({getattr(site, 'name', '?')})"
        members = [fac(nm, f"{w}.members") for nm in site.members]
        if not members:
            raise ModelError(f"{w}.members: a site has at least one candidate")
        for i in members:
            if not p["cand"][i]:
                raise ModelError(f"{w}.members: {names_of[i]!r} has no sizes (it is not a candidate)")
        sites.append((site.name, _series(site.fixed_eur, T, f"{w}.fixed_eur", low=0.0), np.array(members, int)))

    return _Prep(
        sites=sites,
        T=T,
        names=[f.name for f in facs],
        roles=roles,
        index=index,
        products=pname,
        out_f=np.array(out_f, int),
        out_m=np.array(out_m, int),
        out_r=np.array(out_r, float),
        closed=closed,
        keep_open=keep,
        seg_len=seg_len,
        slope_open=slope_open,
        slope_fix=slope_fix,
        e0=e0,
        disp=disp,
        sdisp_lim=sdisp_lim,
        n_arcs_given=n,
        arc_keep=keep_arc,
        a_o=a_o[keep_arc],
        a_d=a_d[keep_arc],
        a_m=a_m[keep_arc],
        a_dist=a_dist[keep_arc],
        a_eur=a_eur[keep_arc],
        a_co2e=a_co2e[keep_arc],
        a_energy=a_energy[keep_arc],
        a_ratio=a_ratio[keep_arc],
        dropped_o=a_o[drop],
        dropped_dist=a_dist[drop],
        min_k=min_k,
        max_k=max_k,
        share=share,
        recycled_f=rec_f,
        recycled_need=rec_need,
        recycled_share=side.recycled_share,
        max_distance_km=max_d,
        **p,
    )


# ------------------------------------------------------------------------------------------------ the arc graph
def _topo(prep: _Prep) -> np.ndarray | None:
    """Facilities in an order where every arc runs forward; None when the arcs make a cycle."""
    F = len(prep.names)
    pairs = np.unique(np.stack([prep.a_o, prep.a_d], axis=1), axis=0) if len(prep.a_o) else np.zeros((0, 2), int)
    indeg = np.bincount(pairs[:, 1], minlength=F)
    succ: list[list[int]] = [[] for _ in range(F)]
    for o, d in pairs:
        succ[o].append(d)
    order, ready = [], [i for i in range(F) if indeg[i] == 0]
    while ready:
        i = ready.pop()
        order.append(i)
        for d in succ[i]:
            indeg[d] -= 1
            if indeg[d] == 0:
                ready.append(d)
    return np.array(order) if len(order) == F else None


def _reach(prep: _Prep, order: np.ndarray, thr: np.ndarray) -> np.ndarray:
    """Upper bound of the tonnes that can enter each facility (F, T), given throughput bounds thr (F, T)."""
    inb = np.where(prep.closed[:, None], 0.0, prep.supply.copy())
    by_o = np.argsort(prep.a_o, kind="stable")
    starts = np.searchsorted(prep.a_o[by_o], np.arange(len(prep.names) + 1))
    for f in order:
        js = by_o[starts[f] : starts[f + 1]]
        if len(js):
            through = np.minimum(inb[f], thr[f])
            np.add.at(inb, prep.a_d[js], prep.a_ratio[js, None] * through[None, :])
    return inb


# ---------------------------------------------------------------------------------------------------- the model
class _Model:
    """Columns and rows in sparse form, built block by block with NumPy."""

    def __init__(self) -> None:
        self.n, self.m = 0, 0
        self.lb: list[np.ndarray] = []
        self.ub: list[np.ndarray] = []
        self.cost: list[np.ndarray] = []
        self.co2e: list[np.ndarray] = []
        self.integer: list[np.ndarray] = []
        self.rlo: list[np.ndarray] = []
        self.rhi: list[np.ndarray] = []
        self.ri: list[np.ndarray] = []
        self.ci: list[np.ndarray] = []
        self.v: list[np.ndarray] = []
        self.cost_offset = 0.0

    def cols(
        self,
        k: int,
        lb: ArrayLike = 0.0,
        ub: ArrayLike = _INF,
        cost: ArrayLike = 0.0,
        co2e: ArrayLike = 0.0,
        integer: bool = False,
    ) -> int:
        s = self.n
        self.n += k
        for lst, val in ((self.lb, lb), (self.ub, ub), (self.cost, cost), (self.co2e, co2e)):
            lst.append(np.broadcast_to(np.asarray(val, float).ravel() if np.ndim(val) else val, (k,)).astype(float))
        self.integer.append(np.full(k, bool(integer)))
        return s

    def rows(self, k: int, lo: ArrayLike, hi: ArrayLike) -> int:
        s = self.m
        self.m += k
        self.rlo.append(np.broadcast_to(np.asarray(lo, float).ravel() if np.ndim(lo) else lo, (k,)).astype(float))
        self.rhi.append(np.broadcast_to(np.asarray(hi, float).ravel() if np.ndim(hi) else hi, (k,)).astype(float))
        return s

    def add(self, r: ArrayLike, c: ArrayLike, v: ArrayLike) -> None:
        r, c = np.asarray(r, np.int64).ravel(), np.asarray(c, np.int64).ravel()
        self.ri.append(r)
        self.ci.append(c)
        self.v.append(np.broadcast_to(np.asarray(v, float).ravel() if np.ndim(v) else v, r.shape).astype(float))

    def arrays(self) -> tuple[sp.csc_matrix, *tuple[np.ndarray, ...]]:
        def cat(x: list[np.ndarray], dt: DTypeLike = float) -> np.ndarray:
            return np.concatenate(x).astype(dt) if x else np.zeros(0, dt)

        A = sp.coo_matrix(
            (cat(self.v), (cat(self.ri, np.int64), cat(self.ci, np.int64))), shape=(self.m, self.n)
        ).tocsc()
        A.sum_duplicates()
        return (
            A,
            cat(self.lb),
            cat(self.ub),
            cat(self.cost),
            cat(self.co2e),
            cat(self.integer, bool),
            cat(self.rlo),
            cat(self.rhi),
        )


@dataclass(eq=False)
class _Built:
    prep: _Prep
    A: sp.csc_matrix
    lb: np.ndarray
    ub: np.ndarray
    cost: np.ndarray
    co2e: np.ndarray
    integer: np.ndarray
    rlo: np.ndarray
    rhi: np.ndarray
    cost_offset: float
    idx: dict  # block name -> start (and layout helpers)
    soft: list  # rows an elastic copy may relax: (row, label, period, amount needed, in tonnes?)


def _build(prep: _Prep, options: Options) -> _Built:
    T, F = prep.T, len(prep.names)
    A = len(prep.a_o)
    M = _Model()
    tt = np.arange(T)
    ft = lambda start, fs: start + np.asarray(fs)[:, None] * T + tt[None, :]  # noqa: E731
    idx, soft = {}, []

    # columns
    idx["flow"] = M.cols(A * T, cost=prep.a_eur * prep.a_dist[:, None], co2e=prep.a_co2e * prep.a_dist[:, None])
    proc_ub = np.where(prep.closed, 0.0, np.where(prep.cand, prep.cap_max, _INF))
    idx["proc"] = M.cols(F * T, ub=np.repeat(proc_ub, T), cost=prep.proc_cost, co2e=prep.proc_co2e)
    S = np.flatnonzero(prep.has_supply)
    idx["S"] = S
    idx["collect"] = M.cols(len(S) * T, ub=np.where(prep.closed[S, None], 0.0, prep.supply[S]), cost=prep.acq[S])
    SD = np.array([i for i in S if prep.mandatory[i] and (prep.sdisp_lim[prep.input_m[i]] > 0).any()], dtype=int)
    idx["SD"] = SD
    idx["sdisp"] = M.cols(len(SD) * T, ub=prep.supply[SD] if len(SD) else 0.0, cost=prep.sdisp_cost[SD])
    ST = np.flatnonzero(prep.store_lim > 0)
    idx["ST"] = ST
    st_ub = np.repeat(prep.store_lim[ST, None], T, axis=1)
    st_ub[:, -1] = 0.0
    idx["store"] = M.cols(len(ST) * T, ub=st_ub, cost=prep.store_cost[ST])
    D = prep.disp
    idx["disp"] = M.cols(
        len(D) * T, ub=np.array([d[3] for d in D]) if D else 0.0, cost=np.array([d[2] for d in D]) if D else 0.0
    )
    C = np.flatnonzero(prep.cand)
    idx["C"] = C
    open_next = np.concatenate([prep.open1[:, 1:], np.zeros((F, 1))], axis=1)
    x_cost = prep.fix1 + np.where(prep.init_open[:, None], 0.0, prep.open1 - open_next)
    x_lb = np.where((prep.keep_open | prep.init_open)[C, None], 1.0, 0.0) * np.ones((len(C), T))
    x_ub = np.where(prep.closed[C, None], 0.0, 1.0) * np.ones((len(C), T))
    x_ub[:, 0] = np.where(prep.build[C, 0] | prep.init_open[C], x_ub[:, 0], 0.0)
    idx["x"] = M.cols(len(C) * T, lb=x_lb, ub=x_ub, cost=x_cost[C], integer=True)
    seg, zseg = [], []  # (facility, k, start column)
    for i in C:
        for k, ln in enumerate(prep.seg_len[i]):
            so = prep.slope_open[i][k]
            so_next = np.concatenate([so[1:], [0.0]])
            start = M.cols(
                T,
                lb=np.minimum(prep.e0[i][k], ln),
                ub=0.0 if prep.closed[i] else ln,
                cost=prep.slope_fix[i][k] + so - so_next,
            )
            M.cost_offset -= so[0] * prep.e0[i][k]
            seg.append((i, k, start))
            if k >= 1:
                zseg.append((i, k, M.cols(T, ub=0.0 if prep.closed[i] else 1.0, integer=True)))
    idx["seg"], idx["zseg"] = seg, zseg

    col_collect = np.full(F, -1)
    col_collect[S] = np.arange(len(S))
    col_store = np.full(F, -1)
    col_store[ST] = np.arange(len(ST))
    col_x = np.full(F, -1)
    col_x[C] = np.arange(len(C))
    idx.update(col_collect=col_collect, col_store=col_store, col_x=col_x)

    # input balance: arcs in + collect + store(t-1) - proc - store(t) = 0
    r_in = M.rows(F * T, 0.0, 0.0)
    flows = idx["flow"] + np.arange(A)[:, None] * T + tt[None, :]
    M.add(r_in + prep.a_d[:, None] * T + tt[None, :], flows, 1.0)
    M.add(ft(r_in, np.arange(F)), ft(idx["proc"], np.arange(F)), -1.0)
    if len(S):
        M.add(ft(r_in, S), ft(idx["collect"], np.arange(len(S))), 1.0)
    if len(ST):
        M.add(ft(r_in, ST), ft(idx["store"], np.arange(len(ST))), -1.0)
        if T > 1:
            M.add(ft(r_in, ST)[:, 1:], ft(idx["store"], np.arange(len(ST)))[:, :-1], 1.0)
    # output balance: ratio proc - arcs out - disp = 0
    n_out = len(prep.out_f)
    pair = {(int(f), int(m)): k for k, (f, m) in enumerate(zip(prep.out_f, prep.out_m))}
    r_out = M.rows(n_out * T, 0.0, 0.0)
    if n_out:
        M.add(ft(r_out, np.arange(n_out)), ft(idx["proc"], prep.out_f), np.repeat(prep.out_r, T))
    if A:
        arc_pair = np.array([pair[int(o), int(m)] for o, m in zip(prep.a_o, prep.a_m)])
        M.add(r_out + arc_pair[:, None] * T + tt[None, :], flows, -1.0)
    if D:
        dp = np.array([pair[d[0], d[1]] for d in D])
        M.add(ft(r_out, dp), ft(idx["disp"], np.arange(len(D))), -1.0)
    # mandatory supplies: collect + sdisp = supply (soft); per product sum sdisp <= limit
    MS = np.flatnonzero(prep.mandatory)
    if len(MS):
        r = M.rows(len(MS) * T, prep.supply[MS], prep.supply[MS])
        M.add(ft(r, np.arange(len(MS))), ft(idx["collect"], col_collect[MS]), 1.0)
        sd_pos = {int(i): k for k, i in enumerate(SD)}
        has_sd = np.array([k for k, i in enumerate(MS) if int(i) in sd_pos], dtype=int)
        if len(has_sd):
            M.add(ft(r, has_sd), ft(idx["sdisp"], [sd_pos[int(MS[k])] for k in has_sd]), 1.0)
        soft += [
            (r + k * T + t, f"{prep.names[i]} must ship", t, prep.supply[i, t], True)
            for k, i in enumerate(MS)
            for t in range(T)
        ]
        for m in np.unique(prep.input_m[SD]) if len(SD) else []:
            ks = [k for k, i in enumerate(SD) if prep.input_m[i] == m]
            lim = prep.sdisp_lim[m]
            r = M.rows(T, -_INF, lim)
            M.add(np.repeat(r + tt[None, :], len(ks), 0), ft(idx["sdisp"], ks), 1.0)
    # demand: proc >= demand (soft)
    DF = np.flatnonzero((prep.demand > 0).any(axis=1))
    if len(DF):
        r = M.rows(len(DF) * T, prep.demand[DF], _INF)
        M.add(ft(r, np.arange(len(DF))), ft(idx["proc"], DF), 1.0)
        soft += [
            (r + k * T + t, f"{prep.names[i]} needs", t, prep.demand[i, t], True)
            for k, i in enumerate(DF)
            for t in range(T)
        ]
    # capacity: proc - s1 x - sum e <= 0; storage: store - limit x <= 0
    if len(C):
        r = M.rows(len(C) * T, -_INF, 0.0)
        M.add(ft(r, np.arange(len(C))), ft(idx["proc"], C), 1.0)
        M.add(ft(r, np.arange(len(C))), ft(idx["x"], np.arange(len(C))), -np.repeat(prep.s1[C], T))
        for i, _k, start in seg:
            M.add(r + col_x[i] * T + tt, start + tt, -1.0)
        SC = np.array([i for i in ST if prep.cand[i]], dtype=int)
        if len(SC):
            r = M.rows(len(SC) * T, -_INF, 0.0)
            M.add(ft(r, np.arange(len(SC))), ft(idx["store"], col_store[SC]), 1.0)
            M.add(ft(r, np.arange(len(SC))), ft(idx["x"], col_x[SC]), -np.repeat(prep.store_lim[SC], T))
        if T > 1:  # x_t - x_t-1 in [0, inf), or = 0 outside the build periods
            hi = np.where(prep.build[C][:, 1:], _INF, 0.0)
            r = M.rows(len(C) * (T - 1), 0.0, hi)
            rr = r + np.arange(len(C))[:, None] * (T - 1) + np.arange(T - 1)[None, :]
            xs = ft(idx["x"], np.arange(len(C)))
            M.add(rr, xs[:, 1:], 1.0)
            M.add(rr, xs[:, :-1], -1.0)
        zpos = {(i, k): s for i, k, s in zseg}
        spos = {(i, k): s for i, k, s in seg}
        for i, k, start in seg:
            ln = prep.seg_len[i][k]
            if T > 1:
                r = M.rows(T - 1, 0.0, _INF)
                M.add(r + tt[:-1], start + tt[1:], 1.0)
                M.add(r + tt[:-1], start + tt[:-1], -1.0)
            r = M.rows(T, -_INF, 0.0)
            M.add(r + tt, start + tt, 1.0)
            if k == 0:
                M.add(r + tt, idx["x"] + col_x[i] * T + tt, -ln)
            else:
                M.add(r + tt, zpos[i, k] + tt, -ln)
                r2 = M.rows(T, 0.0, _INF)
                M.add(r2 + tt, spos[i, k - 1] + tt, 1.0)
                M.add(r2 + tt, zpos[i, k] + tt, -prep.seg_len[i][k - 1])
    # side constraints: partners per role, share through one facility, recycled share
    for role in ROLES:
        members = [i for i in range(F) if prep.roles[i] == role]
        kmin, kmax = prep.min_k.get(role), prep.max_k.get(role)
        if kmin is None and kmax is None or not members:
            continue
        fixed_open = sum(1 for i in members if not prep.cand[i] and not prep.closed[i])
        cm = [col_x[i] for i in members if prep.cand[i]]
        lo = -_INF if kmin is None else kmin - fixed_open
        hi = _INF if kmax is None else kmax - fixed_open
        r = M.rows(T, lo, hi)
        if cm:
            M.add(np.repeat(r + tt[None, :], len(cm), 0), ft(idx["x"], cm), 1.0)
        if kmin is not None:
            soft += [(r + t, f"{role}s that must be open: at least", t, kmin, False) for t in range(T)]
    for role, s in prep.share.items():
        members = [i for i in range(F) if prep.roles[i] == role]
        if not members:
            continue
        tot = M.cols(T)
        r = M.rows(T, 0.0, 0.0)
        M.add(r + tt, tot + tt, 1.0)
        M.add(np.repeat(r + tt[None, :], len(members), 0), ft(idx["proc"], members), -1.0)
        r = M.rows(len(members) * T, -_INF, 0.0)
        M.add(ft(r, np.arange(len(members))), ft(idx["proc"], members), 1.0)
        M.add(ft(r, np.arange(len(members))), np.repeat((tot + tt)[None, :], len(members), 0), -s)
    if prep.recycled_need is not None:
        r = M.rows(T, prep.recycled_need, _INF)
        M.add(np.repeat(r + tt[None, :], len(prep.recycled_f), 0), ft(idx["proc"], prep.recycled_f), 1.0)
        soft += [(r + t, "the recycled share needs", t, prep.recycled_need[t], True) for t in range(T)]
    if options.strong_linking and A:
        order = _topo(prep)
        if order is not None:
            thr = np.repeat(np.where(prep.closed, 0.0, np.where(prep.cand, prep.cap_max, _INF))[:, None], T, 1)
            inb = _reach(prep, order, thr)
            most = prep.a_ratio[:, None] * np.minimum(inb[prep.a_o], thr[prep.a_o])
            js = np.flatnonzero(prep.cand[prep.a_d])
            js = js[(most[js] < prep.cap_max[prep.a_d[js], None] * (1 - 1e-9)).all(axis=1)]
            if len(js):
                r = M.rows(len(js) * T, -_INF, 0.0)
                rr = r + np.arange(len(js))[:, None] * T + tt[None, :]
                M.add(rr, flows[js], 1.0)
                M.add(rr, idx["x"] + col_x[prep.a_d[js]][:, None] * T + tt[None, :], -most[js])
    # shared sites: y_site,t >= x_member,t; the site's fixed cost on y
    site_cols = []
    for _name, fixed, members in prep.sites:
        ys = M.cols(T, ub=1.0, cost=fixed, integer=True)
        site_cols.append(ys)
        r = M.rows(len(members) * T, -_INF, 0.0)
        rr = r + np.arange(len(members))[:, None] * T + tt[None, :]
        M.add(rr, ft(idx["x"], col_x[members]), 1.0)
        M.add(rr, np.repeat((ys + tt)[None, :], len(members), 0), -1.0)
    idx["sites"] = site_cols
    Am, lb, ub, cost, co2e, integer, rlo, rhi = M.arrays()
    return _Built(prep, Am, lb, ub, cost, co2e, integer, rlo, rhi, M.cost_offset, idx, soft)
