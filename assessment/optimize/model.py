"""Input and output of the network optimisation model (see the package docstring): the dataclasses, ModelError
and the constants."""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

ROLES = ("collector", "sorter", "recoverer", "end_collector", "plant")
OBJECTIVES = ("cost", "co2e", "weighted")
COST_PARTS = (
    "transport",
    "processing",
    "acquisition",
    "opening",
    "expansion",
    "fixed",
    "storage",
    "disposal",
    "supply_disposal",
)
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


@dataclass(frozen=True)
class Site:
    """Candidates (facilities with sizes) that share one site: its fixed cost (EUR per period) is paid once in each
    period any of them is open, on top of their own sizes' costs."""

    name: str
    members: Sequence[str]
    fixed_eur: float | Sequence[float] = 0.0


@dataclass(frozen=True, eq=False)
class Network:
    facilities: Sequence[Facility]
    arcs: Sequence[Arc] | Arcs
    n_periods: int = 1
    supply_disposal_limit_t: Mapping[str, float | Sequence[float]] = field(default_factory=dict)
    sites: Sequence[Site] = ()


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
