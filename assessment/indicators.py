"""Scenario indicators of a reverse-logistics network: total RL cost per year and recycling rate. Pure: NumPy arrays
in, numbers out; no Django import.

The network comes as flat arrays (`NetworkArrays`): R routes (origin node, destination node, effective quantity in
t/year, distance in km, transport mode, backhaul flag) and N nodes (throughput in t/year, i.e. the input the node
processes, owning partner 0..P-1, and its cost and impact figures). A facility in two roles is two nodes; its fixed
cost is put on one of them by the caller. Everything is computed with whole-array NumPy operations (products,
gathers and `np.bincount`), never a Python loop over routes or nodes, so a network of a million routes takes
milliseconds (see benchmarks/indicators.py).

Costs per year in EUR (the cost basis is assessment/basis.py; DOMAIN.md, "Counting cost and impact once"):

- transport = sum over routes of quantity_t x distance_km x rate_eur_per_tkm[mode] x w, where w = backhaul_share
  for a backhaul route (a truck returning empty anyway carries the returns, so only that share of the full rate is
  charged) and 1 otherwise; borne by the partner of the route's ORIGIN node (the sender ships).
- facilities = sum of node_fixed_eur over the nodes given (every node given is a used facility, its fixed cost on
  one node per site); node's partner.
- activities = sum over nodes of node_throughput_t x node_process_eur_per_t; node's partner.
- stock = sum over nodes of the average inventory node_throughput_t x node_stock_days / 365 (t) x
  holding_eur_per_t_year; node's partner.
- **Network cost** (total_eur) = transport + facilities + activities + stock: every cost incurred in the network
  once. Prices between partners are transfers: per partner, purchases = what it receives from other partners'
  nodes x the sender's price per tonne (node_price_eur_per_t of the origin), sales = the same seen from the seller;
  they cancel in the total (sum of purchases = sum of sales), so they are not part of it. A partner's net cost =
  its own costs + purchases - sales; the partners' net costs add up to the network cost.
- **End collector's cost** (for the partner `end_partner`) = its purchases + the transport it pays + its own
  processing (activities) and stock.

Per partner, route components are first summed per origin node (one `np.bincount` over the routes), then every
component per partner (one `np.bincount` over the nodes), so each route is touched by two passes only.

Recycling rate = share of recycled material in the product made from the recovered reverse flow: the recycled
material delivered to the end collector divided by the mass of product made, capped at 1.

`tonne_km` gives the raw tonne-kilometres of each route; the backhaul weight is applied by the cost (here) and the
impact (assessment/lca.py) computations through `route_weight`.
"""

import math
from dataclasses import dataclass, fields

import numpy as np
from numpy.typing import ArrayLike

MODES = ("road", "rail", "inland_waterway", "sea")  # mode index = position
DAYS_PER_YEAR = 365.0
COST_COMPONENTS = ("transport_eur", "facilities_eur", "activities_eur", "stock_eur")
TRANSFERS = ("purchases_eur", "sales_eur")

_ROUTE_INT = ("route_origin", "route_destination", "route_mode")
_ROUTE_FLOAT = ("route_quantity_t", "route_distance_km")
_ROUTE_BOOL = ("route_backhaul",)
_NODE_INT = ("node_partner",)
_NODE_FLOAT = (
    "node_throughput_t",
    "node_fixed_eur",
    "node_process_eur_per_t",
    "node_price_eur_per_t",
    "node_stock_days",
    "node_co2e_kg_per_t",
    "node_energy_mj_per_t",
    "node_water_m3_per_t",
)


def _first_bad(name: str, bad: np.ndarray, values: np.ndarray, rule: str) -> None:
    """Raise a ValueError naming the array and the first index where `bad` holds, if any."""
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}[{i}] is {values[i].item()!r}; {rule}")


def check_non_negative(name: str, values: np.ndarray) -> None:
    """Every entry finite and >= 0, else a ValueError naming `name` and the first bad index."""
    _first_bad(name, ~(np.isfinite(values) & (values >= 0)), values, "it must be a finite number >= 0")


def check_share(name: str, value: float) -> None:
    """A share is a finite number in [0, 1]."""
    if not (math.isfinite(value) and 0 <= value <= 1):
        raise ValueError(f"{name} is {value!r}; it must be a share between 0 and 1")


def _as_float_vector(name: str, value: ArrayLike, length: int | None = None) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.ndim != 1 or (length is not None and array.shape[0] != length):
        want = "1-D" if length is None else f"of shape ({length},)"
        raise ValueError(f"{name} must be an array {want}, got shape {array.shape}")
    return array


@dataclass(frozen=True)
class NetworkArrays:
    """The network as arrays; validated (and coerced to float / intp / bool arrays) at construction.

    The arrays are not copied when they already have the right dtype: do not change them afterwards.
    """

    # routes, length R
    route_origin: np.ndarray  # int node index
    route_destination: np.ndarray  # int node index
    route_quantity_t: np.ndarray  # t/year carried (effective quantity), >= 0
    route_distance_km: np.ndarray  # >= 0
    route_mode: np.ndarray  # int index into MODES
    route_backhaul: np.ndarray  # bool
    # nodes, length N
    node_throughput_t: np.ndarray  # t/year the node processes (its input), >= 0
    node_partner: np.ndarray  # int partner index 0..n_partners-1
    node_fixed_eur: np.ndarray  # fixed cost per year of the facility (on one node per facility)
    node_process_eur_per_t: np.ndarray  # processing cost per tonne of throughput
    node_price_eur_per_t: np.ndarray  # price per tonne the node charges another partner for the flow it sends
    node_stock_days: np.ndarray  # average days the throughput waits in stock at the node
    node_co2e_kg_per_t: np.ndarray  # process impacts per tonne of throughput
    node_energy_mj_per_t: np.ndarray
    node_water_m3_per_t: np.ndarray
    n_partners: int

    def __post_init__(self) -> None:
        for f in fields(self):
            if f.name == "n_partners":
                continue
            array = np.asarray(getattr(self, f.name))
            if f.name in _ROUTE_INT + _NODE_INT:
                if array.size and array.dtype.kind not in "iu":
                    raise ValueError(f"{f.name} must hold integer indexes, got dtype {array.dtype}")
                array = array.astype(np.intp, copy=False)
            elif f.name in _ROUTE_BOOL:
                if array.size and array.dtype.kind not in "biu":
                    raise ValueError(f"{f.name} must hold booleans, got dtype {array.dtype}")
                if array.dtype.kind != "b":
                    _first_bad(f.name, (array != 0) & (array != 1), array, "a backhaul flag is 0 or 1")
                    array = array.astype(bool)
            else:
                array = array.astype(float, copy=False)
            object.__setattr__(self, f.name, array)
        self.validate()

    @property
    def n_routes(self) -> int:
        return int(self.route_origin.shape[0])

    @property
    def n_nodes(self) -> int:
        return int(self.node_throughput_t.shape[0])

    def validate(self) -> None:
        """Raise a ValueError naming the array and the first bad index: shapes, NaN or negative values, node,
        partner or mode indexes out of range."""
        if (
            isinstance(self.n_partners, bool)
            or not isinstance(self.n_partners, int | np.integer)
            or self.n_partners < 0
        ):
            raise ValueError(f"n_partners is {self.n_partners!r}; it must be an integer >= 0")
        for group, first in (
            (_ROUTE_INT + _ROUTE_FLOAT + _ROUTE_BOOL, "route_origin"),
            (_NODE_INT + _NODE_FLOAT, "node_throughput_t"),
        ):
            length = getattr(self, first).shape[0] if getattr(self, first).ndim == 1 else None
            for name in group:
                array = getattr(self, name)
                if array.ndim != 1 or array.shape[0] != length:
                    raise ValueError(f"{name} has shape {array.shape}; it must be 1-D and as long as {first}")
        for name in _ROUTE_FLOAT + _NODE_FLOAT:
            check_non_negative(name, getattr(self, name))
        for name, upper, what in (
            ("route_origin", self.n_nodes, "node"),
            ("route_destination", self.n_nodes, "node"),
            ("route_mode", len(MODES), "mode"),
            ("node_partner", self.n_partners, "partner"),
        ):
            array = getattr(self, name)
            if array.size and (array.min() < 0 or array.max() >= upper):
                _first_bad(
                    name,
                    (array < 0) | (array >= upper),
                    array,
                    f"a {what} index must be in 0..{upper - 1}" if upper else f"there is no {what}",
                )


def _check_modes_vector(name: str, value: ArrayLike) -> np.ndarray:
    array = _as_float_vector(name, value, len(MODES))
    bad = ~(np.isfinite(array) & (array >= 0))
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"{name}[{MODES[i]}] is {array[i].item()!r}; it must be a finite number >= 0")
    return array


@dataclass(frozen=True)
class CostFactors:
    transport_eur_per_tkm: np.ndarray  # one per mode (MODES order), >= 0
    backhaul_share: float  # share of the full transport rate charged for a backhaul route, 0..1
    holding_eur_per_t_year: float  # cost of holding one tonne in stock for a year, >= 0

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "transport_eur_per_tkm", _check_modes_vector("transport_eur_per_tkm", self.transport_eur_per_tkm)
        )
        check_share("backhaul_share", self.backhaul_share)
        if not (math.isfinite(self.holding_eur_per_t_year) and self.holding_eur_per_t_year >= 0):
            raise ValueError(
                f"holding_eur_per_t_year is {self.holding_eur_per_t_year!r}; it must be a finite number >= 0"
            )


@dataclass(frozen=True)
class Costs:
    transport_eur: float
    facilities_eur: float
    activities_eur: float
    stock_eur: float
    total_eur: float  # the network cost
    transfers_eur: float  # paid between partners (cancels in the network cost)
    end_collector_eur: float | None  # None when no end partner is given
    # COST_COMPONENTS, "total_eur" (own costs), TRANSFERS and "net_eur", each an array of length n_partners
    per_partner: dict[str, np.ndarray]


def tonne_km(net: NetworkArrays) -> np.ndarray:
    """Raw tonne-kilometres of each route: quantity_t x distance_km (no backhaul weight)."""
    return net.route_quantity_t * net.route_distance_km


def route_weight(net: NetworkArrays, backhaul_share: float) -> np.ndarray:
    """Per route, the share of the full transport rate or impact it is charged: backhaul_share or 1."""
    return np.where(net.route_backhaul, backhaul_share, 1.0)


def weighted_tonne_km(net: NetworkArrays, backhaul_share: float) -> np.ndarray:
    """tonne_km x route_weight, in one pass when there is no backhaul discount."""
    tkm = tonne_km(net)
    if backhaul_share != 1.0:
        tkm *= route_weight(net, backhaul_share)
    return tkm


def costs(net: NetworkArrays, factors: CostFactors, end_partner: int | None = None) -> Costs:
    """The network cost, its four components, the transfers between partners and the end collector's cost, in total
    and per partner, as defined in the module docstring."""
    n, p = net.n_nodes, net.n_partners
    transport_route_eur = weighted_tonne_km(net, factors.backhaul_share)
    transport_route_eur *= factors.transport_eur_per_tkm[net.route_mode]
    transport_node_eur = np.bincount(net.route_origin, weights=transport_route_eur, minlength=n)
    node_eur = {
        "transport_eur": transport_node_eur,
        "facilities_eur": net.node_fixed_eur,
        "activities_eur": net.node_throughput_t * net.node_process_eur_per_t,
        "stock_eur": net.node_throughput_t * net.node_stock_days * (factors.holding_eur_per_t_year / DAYS_PER_YEAR),
    }
    per_partner: dict[str, np.ndarray] = {
        name: np.bincount(net.node_partner, weights=values, minlength=p) for name, values in node_eur.items()
    }
    per_partner["total_eur"] = sum((per_partner[name] for name in COST_COMPONENTS), np.zeros(p))
    seller = net.node_partner[net.route_origin]
    buyer = net.node_partner[net.route_destination]
    traded_eur = np.where(seller != buyer, net.route_quantity_t * net.node_price_eur_per_t[net.route_origin], 0.0)
    per_partner["purchases_eur"] = np.bincount(buyer, weights=traded_eur, minlength=p)
    per_partner["sales_eur"] = np.bincount(seller, weights=traded_eur, minlength=p)
    per_partner["net_eur"] = per_partner["total_eur"] + per_partner["purchases_eur"] - per_partner["sales_eur"]
    totals = {name: float(per_partner[name].sum()) for name in COST_COMPONENTS}
    end_eur = None
    if end_partner is not None:
        end_eur = float(
            sum(per_partner[k][end_partner] for k in ("purchases_eur", "transport_eur", "activities_eur", "stock_eur"))
        )
    return Costs(
        **totals,
        total_eur=float(sum(totals.values())),
        transfers_eur=float(traded_eur.sum()),
        end_collector_eur=end_eur,
        per_partner=per_partner,
    )


def recycling_rate(delivered_t: float, product_t: float) -> float:
    """Share of recycled material in the product: recycled material delivered / product made, capped at 1."""
    if not (math.isfinite(product_t) and product_t > 0):
        raise ValueError(f"product_t is {product_t!r}; the product mass must be a finite number > 0")
    if not (math.isfinite(delivered_t) and delivered_t >= 0):
        raise ValueError(f"delivered_t is {delivered_t!r}; it must be a finite number >= 0")
    return min(delivered_t / product_t, 1.0)
