"""Network optimisation: which partners to open, at what capacity, and where the flows go. A mixed-integer linear
model solved with HiGHS (highspy). Pure: dataclasses and NumPy arrays in, dataclasses out; no Django import.

Data (all quantities per period; a period is a year unless the caller says otherwise; money in the caller's
currency, named EUR). A network has facilities, arcs between them and `n_periods` periods t = 0..T-1.
- A facility (`Facility`) has a role (collector, sorter, recoverer, end_collector, or plant for RELOG), takes one
  input product and makes outputs: `outputs` maps a product to tonnes made per tonne processed (default: its input
  product at `yield_ratio`; an end collector makes nothing, it uses what it receives). Its `activities` run in
  sequence: the facility's yield is yield_ratio x the product of their yields, and per tonne of facility input the
  i-th activity's cost, energy, CO2e and water count with the yield of the activities before it. A facility may hold
  a supply (t per period collected at it; `supply_mandatory`: all of it must be shipped or disposed, as at a RELOG
  collection centre; else up to it), a demand (t per period it must process), storage (limit, cost per tonne held at
  the end of a period), disposal of its outputs (cost, limit per period) and an acquisition cost per tonne collected.
- Sizes (`Size`, RELOG semantics). A facility with sizes is a candidate: it opens at most once, at the smallest
  size s_1, stays open, and can expand up to the largest size. Opening and fixed operating costs are interpolated
  linearly between consecutive sizes (piecewise with more than two). Variable cost per tonne must be the same for
  all sizes (RELOG refuses it otherwise too). A facility without sizes is always open and has no capacity limit.
- Arcs (`Arc` or `Arcs` arrays) carry one product from an origin to a destination, with distance_km, mode,
  transport cost EUR/(t.km), kg CO2e/(t.km) and MJ/(t.km), per period or constant.

Variables (per period t): flow_at >= 0 on every arc; proc_ft >= 0 processed; collect_ft in [0, supply] taken from
the supply; sdisp_ft >= 0 supply disposed at a mandatory supply (only where the product's `supply_disposal_limit_t`
allows it); store_ft in [0, storage limit] held at the end of t (0 at the last period); disp_fmt in [0, limit]
disposed output m; x_ft binary open (candidates); e_fkt in [0, s_k+1 - s_k] capacity added on the k-th segment
(cumulative, never decreasing); z_fkt binary segment k reached (only with three sizes or more).

Constraints. Input balance: sum of arcs in + collect_ft + store_f,t-1 = proc_ft + store_ft. Output balance for
every output m: ratio_fm proc_ft = sum of arcs out carrying m + disp_fmt. Mandatory supply: collect + sdisp =
supply; per product sum of sdisp <= supply_disposal_limit_t. Demand: proc_ft >= demand_ft. Capacity: proc_ft <=
s_1 x_ft + sum_k e_fkt; e_f0t <= (s_2 - s_1) x_ft; e_fk,t >= e_fk,t-1; with segment binaries e_f,k-1,t >=
len_k-1 z_fkt and e_fkt <= len_k z_fkt. Storage: store_ft <= limit x_ft. Opening: x_ft >= x_f,t-1; x_ft = x_f,t-1
outside the facility's build periods. Initial capacity (RELOG 0.7): x_f,-1 = 1, e_f,-1 = initial - s_1 spread
over the segments in order.

Cost (per period, summed): transport sum eur_at d_a flow_at; processing (variable operating + activity costs)
per tonne processed; acquisition per tonne collected; storage; disposal (negative = revenue); supply disposal;
opening c_open(s_1, t) (x_ft - x_f,t-1); fixed operating c_fix(s_1, t) x_ft + sum_k slope_fix_kt e_fkt; expansion
sum_k slope_open_kt (e_fkt - e_fk,t-1). In the objective the opening and expansion terms are telescoped onto
x_ft and e_fkt (coefficient c_t - c_t+1), which is exact. Climate impact (kg CO2e): transport co2e_at d_a flow_at
plus process co2e per tonne processed. Energy (MJ) and water (m3) are reported, never optimised.

Objectives (`solve`): "cost"; "co2e" (lexicographic: the least CO2e, then the least cost among networks within
that CO2e); "weighted": w_cost cost + w_co2e co2e (with w_cost = 1, w_co2e reads as a carbon price in EUR per kg
CO2e). `pareto` gives the cost-CO2e front by the epsilon-constraint method: both lexicographic endpoints, then
min cost subject to co2e <= eps for eps evenly spaced between them; dominated and repeated networks are dropped,
the points are sorted by CO2e (cost then falls).

Side constraints (`SideConstraints`): keep a facility open (x = 1 in every period) or closed; at least / at most
k open candidates per role (always-open facilities of the role count as open); at most a share of a role's
processed tonnes through any one of its facilities; a maximum distance per arc (longer arcs are dropped); a
minimum recycled share: the end collectors (or one named facility) process at least share x product_t per period.

Solving. The matrix is assembled block by block from NumPy index arrays (COO triplets, no Python call per
nonzero) and passed to HiGHS once, column-wise (Highs.passModel). Options: time limit, relative MIP gap, threads;
HiGHS's presolve is off by default and the objective is scaled by a power of 2 when a cost passes 1e6 (both much
faster on these flow models: benchmarks/optimize.py); strong_linking adds flow_at <= (the origin's largest
output) x_dest,t on arcs into candidates (a tighter bound for more rows); warm_start (by default for models of
several periods and over 20,000 columns; RELOG's "heuristic" in spirit) first solves a one-period compression (the
largest supplies and demands, costs summed over the periods), keeps its open candidates open over the periods,
solves that, and gives HiGHS the network as a start. The time limit covers all of it, per call of `solve` (in
`pareto`, per point). A Solution gives the status, objective,
gap, solve time, model size, costs per part and period, CO2e, energy, water, every facility and every arc flow.

Infeasibility. Before solving, `explain` runs definite checks (each proves that no network exists, and gives the
figures): a demand (or the recycled share) above what can reach it, by cut bounds: the supplies times the best
yield on the way; for each role, its facilities' capacities (the k largest under a partner limit) times the best
yield onward, plus what can bypass the role; the facility's own capacity; a share limit that leaves a needed role
empty. Also: a mandatory supply with no arc left (the maximum distance named), mandatory supplies above the
capacity of the facilities taking them, partner counts no set of candidates can meet, a kept-open facility that
cannot open in the first period, a kept-closed facility that is already built. If HiGHS still finds the model
infeasible, an elastic copy (slacks on demands, mandatory supplies, recycled share and minimum partner counts,
minimised) says which requirement falls short and by how much.

Bad input raises ModelError naming the place, e.g. "facilities[2] (S1).sizes[0].capacity_t: must be > 0, got -5".
"""

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import highspy
import numpy as np
import scipy.sparse as sp

ROLES = ("collector", "sorter", "recoverer", "end_collector", "plant")
OBJECTIVES = ("cost", "co2e", "weighted")
COST_PARTS = ("transport", "processing", "acquisition", "opening", "expansion", "fixed", "storage", "disposal",
              "supply_disposal")
_TOL = 1e-6  # tonnes / relative slack used when reading values and checking bounds
_INF = math.inf


class ModelError(ValueError):
    """Bad input to the optimisation model; the message names the place."""


# ---------------------------------------------------------------------------------------------------------- input
@dataclass(frozen=True)
class Size:
    """One capacity size of a candidate facility: capacity (t per period), opening cost (EUR, paid in the period it
    opens), fixed operating cost (EUR per period open), variable operating cost (EUR per t processed). Costs are a
    number or one value per period."""
    capacity_t: float
    opening_eur: float | Sequence[float] = 0.0
    fixed_eur: float | Sequence[float] = 0.0
    variable_eur_per_t: float | Sequence[float] = 0.0


@dataclass(frozen=True)
class Activity:
    """A process a facility runs on its input, in sequence with the others (per tonne of this activity's input)."""
    yield_ratio: float = 1.0
    cost_eur_per_t: float = 0.0
    energy_mj_per_t: float = 0.0
    co2e_kg_per_t: float = 0.0
    water_m3_per_t: float = 0.0


@dataclass(frozen=True)
class Disposal:
    """Disposal of an output at a facility: cost per tonne (negative = revenue), limit per period (None: none)."""
    eur_per_t: float | Sequence[float] = 0.0
    limit_t: float | Sequence[float] | None = None


@dataclass(frozen=True)
class Facility:
    name: str
    role: str
    input_product: str = "material"
    yield_ratio: float = 1.0
    outputs: Mapping[str, float] | None = None
    activities: Sequence[Activity] = ()
    sizes: Sequence[Size] = ()
    cost_eur_per_t: float | Sequence[float] = 0.0
    energy_mj_per_t: float | Sequence[float] = 0.0
    co2e_kg_per_t: float | Sequence[float] = 0.0
    water_m3_per_t: float | Sequence[float] = 0.0
    supply_t: float | Sequence[float] | None = None
    supply_mandatory: bool = False
    acquisition_eur_per_t: float | Sequence[float] = 0.0
    supply_disposal_eur_per_t: float | Sequence[float] = 0.0
    demand_t: float | Sequence[float] | None = None
    storage_limit_t: float = 0.0
    storage_eur_per_t: float | Sequence[float] = 0.0
    disposal: Mapping[str, Disposal] = field(default_factory=dict)
    initial_capacity_t: float = 0.0
    build_periods: Sequence[int] | None = None  # 0-based periods it may open in; None: any


@dataclass(frozen=True)
class Arc:
    origin: str
    destination: str
    distance_km: float
    eur_per_t_km: float | Sequence[float] = 0.0
    co2e_kg_per_t_km: float | Sequence[float] = 0.0
    energy_mj_per_t_km: float | Sequence[float] = 0.0
    mode: str = "road"
    product: str | None = None  # default: the destination's input product


@dataclass(frozen=True, eq=False)
class Arcs:
    """Arcs as arrays (for large networks): facility indexes, distances, and per-arc factors of shape (n,) or
    (n, n_periods). product: product names per arc (None: the destination's input product)."""
    origin: np.ndarray
    destination: np.ndarray
    distance_km: np.ndarray
    eur_per_t_km: np.ndarray
    co2e_kg_per_t_km: np.ndarray
    energy_mj_per_t_km: np.ndarray | None = None
    mode: Sequence[str] | None = None
    product: Sequence[str] | None = None


@dataclass(frozen=True, eq=False)
class Network:
    facilities: Sequence[Facility]
    arcs: Sequence[Arc] | Arcs
    n_periods: int = 1
    supply_disposal_limit_t: Mapping[str, float | Sequence[float]] = field(default_factory=dict)


@dataclass(frozen=True)
class SideConstraints:
    keep_open: Sequence[str] = ()
    keep_closed: Sequence[str] = ()
    min_partners: Mapping[str, int] = field(default_factory=dict)  # role -> k
    max_partners: Mapping[str, int] = field(default_factory=dict)
    max_share: Mapping[str, float] = field(default_factory=dict)  # role -> largest share through one facility
    max_distance_km: float | None = None
    recycled_share: float | None = None
    product_t: float | Sequence[float] | None = None  # product made per period, for recycled_share
    recycled_to: str | None = None  # facility; None: every end collector together


@dataclass(frozen=True)
class Options:
    time_limit_s: float = 60.0
    mip_rel_gap: float = 1e-4
    threads: int | None = None
    strong_linking: bool = False  # flow_at <= (origin's most) x_dest,t on arcs into candidates
    presolve: bool = False  # HiGHS presolve; off is faster on these flow models (benchmarks/optimize.py)
    warm_start: bool | None = None  # None: for models of several periods with more than 20,000 columns
    explain: bool = True  # elastic re-solve when HiGHS finds the model infeasible
    log: bool = False


# --------------------------------------------------------------------------------------------------------- output
@dataclass(frozen=True)
class ModelSize:
    rows: int
    columns: int
    integers: int
    nonzeros: int


@dataclass(frozen=True, eq=False)
class FacilityResult:
    name: str
    role: str
    open: tuple[bool, ...]
    opened_in: int | None  # first period open; -1 when open from an initial capacity; None: never open
    capacity_t: tuple[float, ...]  # inf for a facility without sizes
    processed_t: tuple[float, ...]
    collected_t: tuple[float, ...]
    stored_t: tuple[float, ...]
    disposed_t: Mapping[str, tuple[float, ...]]
    supply_disposed_t: tuple[float, ...]
    costs_eur: Mapping[str, tuple[float, ...]]  # every COST_PARTS entry but transport


@dataclass(frozen=True, eq=False)
class Solution:
    status: str  # optimal | feasible (limit reached, network found) | infeasible | unbounded | no_solution | error
    message: str
    objective: str
    weights: tuple[float, float]  # (w_cost, w_co2e) of the objective solved
    objective_value: float | None
    gap: float | None
    solve_time_s: float
    total_cost_eur: float | None = None
    cost_per_period_eur: tuple[float, ...] = ()
    costs_eur: Mapping[str, tuple[float, ...]] = field(default_factory=dict)
    co2e_kg: float | None = None
    co2e_per_period_kg: tuple[float, ...] = ()
    co2e_kg_by_source: Mapping[str, float] = field(default_factory=dict)  # transport, processes
    energy_mj: float | None = None
    water_m3: float | None = None
    facilities: tuple[FacilityResult, ...] = ()
    flow_t: np.ndarray | None = None  # (n_arcs, n_periods), in the order the arcs were given
    explanation: tuple[str, ...] = ()
    model_size: ModelSize | None = None

    @property
    def has_network(self) -> bool:
        return self.status in ("optimal", "feasible")

    def facility(self, name: str) -> FacilityResult:
        for f in self.facilities:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True, eq=False)
class ParetoFront:
    status: str
    points: tuple[Solution, ...]  # sorted by CO2e (ascending), cost descending
    cost_optimum: Solution | None
    co2e_optimum: Solution | None
    explanation: tuple[str, ...] = ()


# -------------------------------------------------------------------------------------------------- preparation
def _num(value, where: str, *, low: float = -_INF, low_open: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ModelError(f"{where}: expected a number, got {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise ModelError(f"{where}: must be finite, got {v}")
    if v < low or (low_open and v == low):
        raise ModelError(f"{where}: must be {'>' if low_open else '>='} {low:g}, got {v:g}")
    return v


def _series(value, n: int, where: str, *, low: float = -_INF, allow_inf: bool = False) -> np.ndarray:
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


def _arc_factor(value, n_arcs: int, n: int, where: str, *, low: float = -_INF) -> np.ndarray:
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

    def prod(name, where):
        if not isinstance(name, str) or not name:
            raise ModelError(f"{where}: expected a product name, got {name!r}")
        return products.setdefault(name, len(products))

    z = np.zeros((F, T))
    p = dict(input_m=np.zeros(F, int), cand=np.zeros(F, bool), s1=np.zeros(F), cap_max=np.full(F, _INF),
             open1=z.copy(), fix1=z.copy(), proc_cost=z.copy(), proc_co2e=z.copy(), proc_energy=z.copy(),
             proc_water=z.copy(), supply=z.copy(), has_supply=np.zeros(F, bool), mandatory=np.zeros(F, bool),
             acq=z.copy(), sdisp_cost=z.copy(), demand=z.copy(), store_lim=np.zeros(F), store_cost=z.copy(),
             init_open=np.zeros(F, bool), build=np.ones((F, T), bool))
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
            disp.append((i, products[m], _series(d.eur_per_t, T, f"{wd}.eur_per_t"),
                         _series(d.limit_t, T, f"{wd}.limit_t", low=0.0, allow_inf=True)))
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
        slope_open.append(np.array([(opening[k + 1] - opening[k]) / lens[k] for k in range(len(lens))]).reshape(
            len(lens), T))
        slope_fix.append(np.array([(fixed[k + 1] - fixed[k]) / lens[k] for k in range(len(lens))]).reshape(
            len(lens), T))
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
        a_energy = (np.zeros((n, T)) if arcs.energy_mj_per_t_km is None
                    else _arc_factor(arcs.energy_mj_per_t_km, n, T, "arcs.energy_mj_per_t_km"))
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

    # side constraints
    def fac(name, where):
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
    min_k, max_k, share = {}, {}, {}
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

    return _Prep(
        T=T, names=[f.name for f in facs], roles=roles, index=index, products=pname,
        out_f=np.array(out_f, int), out_m=np.array(out_m, int), out_r=np.array(out_r, float), closed=closed,
        keep_open=keep, seg_len=seg_len, slope_open=slope_open, slope_fix=slope_fix, e0=e0, disp=disp,
        sdisp_lim=sdisp_lim, n_arcs_given=n, arc_keep=keep_arc, a_o=a_o[keep_arc], a_d=a_d[keep_arc],
        a_m=a_m[keep_arc], a_dist=a_dist[keep_arc], a_eur=a_eur[keep_arc], a_co2e=a_co2e[keep_arc],
        a_energy=a_energy[keep_arc], a_ratio=a_ratio[keep_arc], dropped_o=a_o[drop], dropped_dist=a_dist[drop],
        min_k=min_k, max_k=max_k, share=share, recycled_f=rec_f, recycled_need=rec_need,
        recycled_share=side.recycled_share, max_distance_km=max_d, **p)


# ------------------------------------------------------------------------------------------------- explanations
def _t(x: float) -> str:
    return "unlimited" if math.isinf(x) else f"{x:,.6g} t"


def _topo(prep: _Prep) -> np.ndarray | None:
    """Facilities in an order where every arc runs forward; None when the arcs make a cycle."""
    F = len(prep.names)
    pairs = np.unique(np.stack([prep.a_o, prep.a_d], axis=1), axis=0) if len(prep.a_o) else np.zeros((0, 2), int)
    indeg = np.bincount(pairs[:, 1], minlength=F)
    succ = [[] for _ in range(F)]
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
        js = by_o[starts[f]:starts[f + 1]]
        if len(js):
            through = np.minimum(inb[f], thr[f])
            np.add.at(inb, prep.a_d[js], prep.a_ratio[js, None] * through[None, :])
    return inb


def _ydown(prep: _Prep, order: np.ndarray, group, skip=(), through_closed: bool = False) -> np.ndarray:
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
        js = by_o[starts[f]:starts[f + 1]]
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
            msgs.append(f"at least {prep.min_k[role]} {role}s must be open, but there are only "
                        f"{len(cands) + fixed_open} {role}s that can open{note}")
        forced = [i for i in members if avail[i] and (prep.keep_open[i] or prep.init_open[i] or not prep.cand[i])]
        if role in prep.max_k and prep.max_k[role] < len(forced):
            msgs.append(f"at most {prep.max_k[role]} {role}s may be open, but {len(forced)} are open anyway "
                        f"(kept open, already built or always open: {', '.join(names[i] for i in forced)})")
    for i in np.flatnonzero(prep.keep_open & prep.cand & ~prep.init_open & ~prep.build[:, 0]):
        msgs.append(f"{names[i]} is kept open, but it can only open in period "
                    f"{int(np.flatnonzero(prep.build[i])[0]) + 1 if prep.build[i].any() else 'none'}")

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
        why = (f": the maximum distance {prep.max_distance_km:g} km removes all its arcs (the shortest is "
               f"{dropped.min():,.6g} km)" if len(dropped) else ": no arc leaves it")
        msgs.append(f"{names[i]} must ship {_t(need.max())} in {per(int(np.argmax(need)))}, but it cannot send it "
                    f"anywhere{why}")
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
            msgs.append(f"{need[t]:,.6g} t of {prep.products[m]!r} must be shipped from the supplies {upto}, but "
                        f"the facilities taking it can process{held} at most {most[t]:,.6g} t (capacity per period: "
                        f"{detail})")
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
        targets.append(([int(i) for i in prep.recycled_f], prep.recycled_need,
                        f"the recycled share {prep.recycled_share:.4g} requires {who} to receive"))
    if order is None:
        return tuple(msgs)
    supply = np.where(avail[:, None], prep.supply, 0.0)
    for group, need_t, what in targets:
        need = acc(need_t)

        def short(b):
            bad = np.flatnonzero(b < need * (1 - 1e-9) - _TOL)
            return int(bad[0]) if len(bad) else None

        head = lambda t: f"{what} {need[t]:,.6g} t {span(t)}"  # noqa: E731
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
                msgs.append(f"{head(t)}, but at most {reach[t]:,.6g} t can reach it: the supplies that can reach it "
                            f"hold {held[t]:,.6g} t before the yields")
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
                f"; at most {k} may be open" if k is not None else "")
            msgs.append(f"{head(t)}, but at most {b[t]:,.6g} t can reach it: the {role}s on the way can process "
                        f"{_t(sum(cap[i] for i in members))} per period together ({caps}{extra})")
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
                    msgs.append(f"{head(t)}, which must pass through the {role}s, but at most {s:.4g} of their flow "
                                f"may pass through one of them and only {len(members)} can be used: together they "
                                f"could take at most {s * len(members):.4g} of it, so none can be used")
    return tuple(msgs)


# ---------------------------------------------------------------------------------------------------- the model
class _Model:
    """Columns and rows in sparse form, built block by block with NumPy."""

    def __init__(self):
        self.n, self.m = 0, 0
        self.lb, self.ub, self.cost, self.co2e, self.integer = [], [], [], [], []
        self.rlo, self.rhi = [], []
        self.ri, self.ci, self.v = [], [], []
        self.cost_offset = 0.0

    def cols(self, k, lb=0.0, ub=_INF, cost=0.0, co2e=0.0, integer=False):
        s = self.n
        self.n += k
        for lst, val in ((self.lb, lb), (self.ub, ub), (self.cost, cost), (self.co2e, co2e)):
            lst.append(np.broadcast_to(np.asarray(val, float).ravel() if np.ndim(val) else val, (k,)).astype(float))
        self.integer.append(np.full(k, bool(integer)))
        return s

    def rows(self, k, lo, hi):
        s = self.m
        self.m += k
        self.rlo.append(np.broadcast_to(np.asarray(lo, float).ravel() if np.ndim(lo) else lo, (k,)).astype(float))
        self.rhi.append(np.broadcast_to(np.asarray(hi, float).ravel() if np.ndim(hi) else hi, (k,)).astype(float))
        return s

    def add(self, r, c, v):
        r, c = np.asarray(r, np.int64).ravel(), np.asarray(c, np.int64).ravel()
        self.ri.append(r)
        self.ci.append(c)
        self.v.append(np.broadcast_to(np.asarray(v, float).ravel() if np.ndim(v) else v, r.shape).astype(float))

    def arrays(self):
        cat = (lambda x, dt=float: np.concatenate(x).astype(dt) if x else np.zeros(0, dt))
        A = sp.coo_matrix((cat(self.v), (cat(self.ri, np.int64), cat(self.ci, np.int64))),
                          shape=(self.m, self.n)).tocsc()
        A.sum_duplicates()
        return (A, cat(self.lb), cat(self.ub), cat(self.cost), cat(self.co2e), cat(self.integer, bool),
                cat(self.rlo), cat(self.rhi))


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
    idx["disp"] = M.cols(len(D) * T, ub=np.array([d[3] for d in D]) if D else 0.0,
                         cost=np.array([d[2] for d in D]) if D else 0.0)
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
            start = M.cols(T, lb=np.minimum(prep.e0[i][k], ln), ub=0.0 if prep.closed[i] else ln,
                           cost=prep.slope_fix[i][k] + so - so_next)
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
        soft += [(r + k * T + t, f"{prep.names[i]} must ship", t, prep.supply[i, t], True)
                 for k, i in enumerate(MS) for t in range(T)]
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
        soft += [(r + k * T + t, f"{prep.names[i]} needs", t, prep.demand[i, t], True)
                 for k, i in enumerate(DF) for t in range(T)]
    # capacity: proc - s1 x - sum e <= 0; storage: store - limit x <= 0
    if len(C):
        r = M.rows(len(C) * T, -_INF, 0.0)
        M.add(ft(r, np.arange(len(C))), ft(idx["proc"], C), 1.0)
        M.add(ft(r, np.arange(len(C))), ft(idx["x"], np.arange(len(C))), -np.repeat(prep.s1[C], T))
        for i, k, start in seg:
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
    Am, lb, ub, cost, co2e, integer, rlo, rhi = M.arrays()
    return _Built(prep, Am, lb, ub, cost, co2e, integer, rlo, rhi, M.cost_offset, idx, soft)


def _highs(b: _Built, c: np.ndarray, offset: float, options: Options, extra_rows=(), slack=None) -> highspy.Highs:
    """A HiGHS instance holding the model with objective c (+ offset); extra_rows: (coefficients, lo, hi) dense
    rows over the columns; slack: (rows, signs) adds one elastic column per row with cost 1 (c is then ignored)."""
    A, lb, ub, integer, rlo, rhi = b.A, b.lb, b.ub, b.integer, b.rlo, b.rhi
    if extra_rows:
        coef = sp.csr_matrix(np.vstack([r[0] for r in extra_rows]))
        A = sp.vstack([A.tocsr(), coef]).tocsc()
        rlo = np.concatenate([rlo, [r[1] for r in extra_rows]])
        rhi = np.concatenate([rhi, [r[2] for r in extra_rows]])
    if slack is not None:
        rows, signs = slack
        k = len(rows)
        S = sp.csc_matrix((signs, (rows, np.arange(k))), shape=(A.shape[0], k))
        A = sp.hstack([A, S]).tocsc()
        c = np.concatenate([np.zeros(A.shape[1] - k), np.ones(k)])
        lb, ub = np.concatenate([lb, np.zeros(k)]), np.concatenate([ub, np.full(k, _INF)])
        integer = np.concatenate([integer, np.zeros(k, bool)])
        offset = 0.0
    h = highspy.Highs()
    h.setOptionValue("output_flag", bool(options.log))
    h.setOptionValue("time_limit", float(options.time_limit_s))
    h.setOptionValue("mip_rel_gap", float(options.mip_rel_gap))
    if options.threads:
        h.setOptionValue("threads", int(options.threads))
    h.setOptionValue("presolve", "on" if options.presolve else "off")
    largest = float(np.max(np.abs(c))) if len(c) else 0.0
    if largest > 1e6:  # HiGHS warns above about 1e6 and suggests scaling the objective by a power of 2
        h.setOptionValue("user_objective_scale", -int(math.ceil(math.log2(largest / 1e6))))
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = A.shape[1], A.shape[0]
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = c.astype(float), lb, ub
    lp.row_lower_, lp.row_upper_ = rlo, rhi
    lp.offset_ = float(offset)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = A.shape[1], A.shape[0]
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
    if integer.any():
        lp.integrality_ = np.where(integer, highspy.HighsVarType.kInteger, highspy.HighsVarType.kContinuous).tolist()
    if h.passModel(lp) == highspy.HighsStatus.kError:
        raise RuntimeError("HiGHS refused the model")
    return h


def _run(h: highspy.Highs, b: _Built):
    """Run HiGHS; returns (status, values or None, objective, gap, seconds)."""
    start = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - start
    ms = h.getModelStatus()
    info = h.getInfo()
    has = info.primal_solution_status == 2
    x = np.asarray(h.getSolution().col_value) if has else None
    obj = info.objective_function_value if has else None
    gap = (0.0 if not b.integer.any() else float(info.mip_gap)) if has else None
    S = highspy.HighsModelStatus
    if ms == S.kOptimal:
        status = "optimal"
    elif ms == S.kInfeasible:
        status = "infeasible"
    elif ms in (S.kUnbounded, S.kUnboundedOrInfeasible):
        status = "unbounded"
    elif ms in (S.kTimeLimit, S.kIterationLimit, S.kSolutionLimit, S.kInterrupt, S.kObjectiveBound,
                S.kObjectiveTarget, S.kHighsInterrupt):
        status = "feasible" if has else "no_solution"
    else:
        status = "error"
    if status == "optimal" and gap is not None and not math.isfinite(gap):
        gap = 0.0
    return status, x, obj, gap, seconds


# --------------------------------------------------------------------------------------------------- the result
def _result(b: _Built, x: np.ndarray, status: str, message: str, objective: str, weights, obj, gap, seconds,
            size: ModelSize) -> Solution:
    p, idx = b.prep, b.idx
    T, F = p.T, len(p.names)
    A = len(p.a_o)
    blk = lambda name, n: x[idx[name]:idx[name] + n * T].reshape(n, T)  # noqa: E731
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
    ex = [(i, k, x[s:s + T]) for i, k, s in idx["seg"]]
    clean = lambda a: np.where(np.abs(a) < 1e-9, 0.0, a)  # noqa: E731

    fc = {k: np.zeros((F, T)) for k in COST_PARTS if k != "transport"}
    fc["processing"] = p.proc_cost * proc
    fc["acquisition"] = p.acq * collect
    fc["storage"] = p.store_cost * store
    fc["supply_disposal"] = p.sdisp_cost * sdisp
    for k, (f, m, cost, _lim) in enumerate(p.disp):
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
        facilities.append(FacilityResult(
            name=p.names[i], role=p.roles[i], open=open_t,
            opened_in=-1 if p.init_open[i] else first,
            capacity_t=tuple(clean(capacity[i]).tolist()), processed_t=tuple(clean(proc[i]).tolist()),
            collected_t=tuple(clean(collect[i]).tolist()), stored_t=tuple(clean(store[i]).tolist()),
            disposed_t=disp_by_f[i], supply_disposed_t=tuple(clean(sdisp[i]).tolist()),
            costs_eur={k: tuple(v[i].tolist()) for k, v in fc.items()}))
    flow_all = np.zeros((p.n_arcs_given, T))
    flow_all[p.arc_keep] = clean(flow)
    return Solution(
        status=status, message=message, objective=objective, weights=tuple(weights), objective_value=obj, gap=gap,
        solve_time_s=seconds, total_cost_eur=float(per_period.sum()), cost_per_period_eur=tuple(per_period.tolist()),
        costs_eur={k: tuple(v.tolist()) for k, v in costs.items()}, co2e_kg=float((co2e_tr + co2e_pr).sum()),
        co2e_per_period_kg=tuple((co2e_tr + co2e_pr).tolist()),
        co2e_kg_by_source={"transport": float(co2e_tr.sum()), "processes": float(co2e_pr.sum())},
        energy_mj=energy, water_m3=water, facilities=tuple(facilities), flow_t=flow_all, model_size=size)


def _size(b: _Built) -> ModelSize:
    return ModelSize(rows=b.A.shape[0], columns=b.A.shape[1], integers=int(b.integer.sum()), nonzeros=int(b.A.nnz))


def _message(status: str, gap) -> str:
    return {"optimal": "optimal network found",
            "feasible": f"limit reached; best network found (gap {gap:.2%})" if gap is not None and math.isfinite(
                gap) else "limit reached; best network found",
            "infeasible": "no network meets every requirement",
            "unbounded": "the cost can fall without limit: a revenue (negative cost) on a quantity with no limit",
            "no_solution": "time limit reached before any network was found",
            "error": "the solver stopped with an error"}[status]


def _elastic(b: _Built, options: Options) -> tuple[str, ...]:
    """Which soft requirement falls short, from a copy where each may be relaxed at a cost of 1 per unit short."""
    if not b.soft:
        return ()
    rows = np.array([s[0] for s in b.soft])
    h = _highs(b, b.cost, 0.0, replace(options, time_limit_s=min(options.time_limit_s, 30.0)),
               slack=(rows, np.ones(len(rows))))
    _status, x, *_ = _run(h, b)
    if x is None:
        return ("the side constraints contradict each other (even with every demand and supply relaxed no network "
                "exists): check the kept-open and kept-closed facilities and the partner limits",)
    per = (lambda t: f" in period {t + 1}") if b.prep.T > 1 else (lambda t: "")
    out = []
    for (_row, label, t, need, tonnes), short in zip(b.soft, x[b.A.shape[1]:]):
        if short > _TOL:
            unit = " t" if tonnes else ""
            out.append(f"{label} {need:,.6g}{unit}{per(t)}, but at most {max(need - short, 0.0):,.6g}{unit} can be "
                       f"met under the other requirements (short by {short:,.6g}{unit})")
    return tuple(out[:20]) + ((f"... and {len(out) - 20} more",) if len(out) > 20 else ())


def _failed(status, message, objective, weights, seconds, explanation, size=None) -> Solution:
    return Solution(status=status, message=message, objective=objective, weights=tuple(weights), objective_value=None,
                    gap=None, solve_time_s=seconds, explanation=tuple(explanation), model_size=size)


# ------------------------------------------------------------------------------------------------------ solving
def _slack(bound: float) -> float:
    """Room left on a bound taken from a solved model, so that solution stays feasible within HiGHS's tolerance."""
    return 1e-9 * max(1.0, abs(bound))


def _weights(objective: str, weights) -> tuple[float, float]:
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


def solve(network: Network, *, objective: str = "cost", weights: tuple[float, float] | None = None,
          constraints: SideConstraints | None = None, options: Options | None = None) -> Solution:
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
        p, T=1, open1=p.open1[:, :1], fix1=total(p.fix1), proc_cost=total(p.proc_cost), proc_co2e=total(p.proc_co2e),
        proc_energy=total(p.proc_energy), proc_water=total(p.proc_water), supply=most(p.supply), acq=total(p.acq),
        sdisp_cost=total(p.sdisp_cost), demand=most(p.demand), store_cost=total(p.store_cost),
        build=p.build.any(axis=1, keepdims=True), sdisp_lim=most(p.sdisp_lim), a_eur=total(p.a_eur),
        a_co2e=total(p.a_co2e), a_energy=total(p.a_energy), slope_open=[a[:, :1] for a in p.slope_open],
        slope_fix=[total(a) for a in p.slope_fix], disp=[(f, m, total(c), most(lim)) for f, m, c, lim in p.disp],
        recycled_need=None if p.recycled_need is None else most(p.recycled_need))


def _warm_start(b: _Built, c: np.ndarray, w, options: Options, deadline: float) -> np.ndarray | None:
    """A network to start from (RELOG's heuristic in spirit): solve the one-period compression (_compress), keep
    its open candidates open from the first period they may open in, and solve the model with those choices."""
    p, T = b.prep, b.prep.T
    small = _build(_compress(p), options)
    budget = lambda share: replace(options, time_limit_s=max(1.0, share * (deadline - time.perf_counter())),  # noqa
                                   mip_rel_gap=max(options.mip_rel_gap, 0.02))
    h = _highs(small, w[0] * small.cost + w[1] * small.co2e, 0.0, budget(0.25))
    _, x1, *_ = _run(h, small)
    if x1 is None:
        return None
    C, xs = b.idx["C"], b.idx["x"]
    chosen = x1[small.idx["x"]:small.idx["x"] + len(C)] > 0.5
    may = np.maximum.accumulate(p.build[C] | p.init_open[C, None], axis=1)
    lb, ub = b.lb.copy(), b.ub.copy()
    block = slice(xs, xs + len(C) * T)
    fixed = np.clip((chosen[:, None] & may).astype(float).ravel(), lb[block], ub[block])
    lb[block] = ub[block] = fixed
    fixed_b = replace(b, lb=lb, ub=ub)
    _, x2, *_ = _run(_highs(fixed_b, c, 0.0, budget(0.3)), fixed_b)
    return x2


def _solve_built(b: _Built, objective: str, w, options: Options, start: float, extra=(), start_x=None):
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
            why = ("no network meets every requirement together (each demand and supply can be met alone): "
                   "relax the side constraints one at a time to find the one that binds",)
        return _failed(status, _message(status, gap), objective, w, seconds, why, _size(b)), None
    return _result(b, x, status, _message(status, gap), objective, w, obj, gap, seconds, _size(b)), x


def _as_solution(x: np.ndarray) -> highspy.HighsSolution:
    sol = highspy.HighsSolution()
    sol.col_value = np.asarray(x, float).tolist()
    sol.value_valid = True
    return sol


def pareto(network: Network, *, points: int = 11, constraints: SideConstraints | None = None,
           options: Options | None = None) -> ParetoFront:
    """Cost versus CO2e front by the epsilon-constraint method (see the module notes); `points` grid values."""
    options = options or Options()
    if isinstance(points, bool) or not isinstance(points, int) or points < 2:
        raise ModelError(f"points: expected a whole number >= 2, got {points!r}")
    start = time.perf_counter()
    prep = _prepare(network, constraints)
    found = _explain(prep)
    if found:
        return ParetoFront("infeasible", (), None, None, found)
    b = _build(prep, options)
    cost_opt, _ = _solve_built(b, "cost", (1.0, 0.0), options, start)
    if not cost_opt.has_network:
        return ParetoFront(cost_opt.status, (), None, None, cost_opt.explanation or (cost_opt.message,))
    co2e_opt, x_lo = _solve_built(b, "co2e", (0.0, 1.0), options, time.perf_counter())
    if not co2e_opt.has_network:  # only when the time limit stops it: the cost optimum is a network
        return ParetoFront("feasible", (cost_opt,), cost_opt, None, (co2e_opt.message,))
    # the least CO2e among the cheapest networks
    c_max = cost_opt.total_cost_eur - b.cost_offset
    row = (b.cost, -_INF, c_max + _slack(c_max))
    cheap, _ = _solve_built(b, "co2e", (0.0, 1.0), options, time.perf_counter(), extra=(row,))
    if cheap.has_network and cheap.co2e_kg <= cost_opt.co2e_kg:
        cost_opt = replace(cheap, objective="cost", weights=(1.0, 0.0), objective_value=cheap.total_cost_eur)
    e_lo, e_hi = co2e_opt.co2e_kg, cost_opt.co2e_kg
    sols = [co2e_opt, cost_opt]
    for eps in np.linspace(e_lo, e_hi, points)[1:-1]:  # rising eps: the previous network stays feasible
        row = (b.co2e, -_INF, eps + _slack(eps))
        s, x = _solve_built(b, "cost", (1.0, 0.0), options, time.perf_counter(), extra=(row,), start_x=x_lo)
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
