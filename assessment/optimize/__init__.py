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
- Sites (`Site`): candidates on one site (a facility in two roles) share its fixed cost, paid once per period while
  any of them is open (a binary y_site,t >= x_ft of each member).
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

from .infeasibility import explain
from .model import (
    COST_PARTS,
    OBJECTIVES,
    ROLES,
    Activity,
    Arc,
    Arcs,
    Disposal,
    Facility,
    FacilityResult,
    ModelError,
    ModelSize,
    Network,
    Options,
    ParetoFront,
    SideConstraints,
    Site,
    Size,
    Solution,
)
from .solving import pareto, solve

__all__ = [
    "COST_PARTS",
    "OBJECTIVES",
    "ROLES",
    "Activity",
    "Arc",
    "Arcs",
    "Disposal",
    "Facility",
    "FacilityResult",
    "ModelError",
    "ModelSize",
    "Network",
    "Options",
    "ParetoFront",
    "SideConstraints",
    "Site",
    "Size",
    "Solution",
    "explain",
    "pareto",
    "solve",
]
