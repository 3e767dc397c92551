"""One cost and impact basis for the assessment and the optimiser: what a tonne costs and emits at each stage of a
network, and what each site costs once. Pure (no Django import): plain numbers in, coefficients out. The assessment
(`assessment/inputs.py`) builds each node's figures with it, the optimiser (`assessment/optimisation.py`) each
candidate's and arc's, so assessing the optimiser's drafted network gives the optimiser's cost, CO2e, energy and water.

Basis (version `BASIS_VERSION`):

- Stages. A unit of material passes every stage of the chain: collection, sorting, recovery, then the end collector.
  A node processes the stages from the first one its inbound routes skip (a skipped stage is performed by the site
  that receives, else by the site that sends; a route skipping a stage neither end performs is refused by the route
  service) up to its own role's stage. Per tonne of the node's input, each stage's processing counts with the yield
  of the stages before it, and the node's yield is the product of the stages' yields. A site in two consecutive
  roles, whether drawn as one node or as two nodes joined on the site (0 km), is charged both processes.
- Processing cost, stock and impacts are per tonne of a node's input: the activities' processing costs; holding its
  stock (the role's days in stock / 365 x the holding cost per tonne and year); its CO2e, energy and water (declared
  by the facility, else the factor library's per-process figures).
- Allocation (ISO 14044, 4.3.4) at a multi-output stage: a collector takes in whole products (cars, buildings) and
  passes on only the wanted material, its yield. Its processing cost and impacts are shared between the fractions;
  the network carries the wanted fraction's share: by mass, the yield (default); by economic value, the wanted
  fraction's share of the revenue (`allocation_share`).
- Fixed cost: once per site and year, whatever roles it holds in the network.
- Transport per tonne-km, by mode: the freight rate (EUR), CO2e (well-to-wheel: tank-to-wheel plus well-to-tank),
  primary non-renewable energy and water, each from the factor table (`transport_per_tkm`).
- Yields are rounded in one place, `stage_yield` (4 decimals, as a scenario's node stores them).

Two cost views (see README, "Assessment"):

- **Network cost** (the method's total RL cost): every cost incurred in the network once: acquiring the returns at
  the network's entry (the sheets carry no scrap purchase price or gate fee yet, so it is 0), processing at every
  stage a tonne passes, each site's fixed cost once, transport, stock. A price one partner charges another is a
  transfer (a cost for the buyer, a revenue for the seller) and cancels in the network total.
- **End collector's cost**: what the end collector pays for the material it receives from other partners (quantity
  x the sender's sheet price), plus the transport it pays (the sender ships) and its own processing and stock.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

BASIS_VERSION = 2  # 1: purchasing at every transfer, fixed cost per role, transport energy left out by the optimiser
DAYS_PER_YEAR = 365.0
YIELD_PLACES = Decimal("0.0001")
IMPACTS = ("co2e", "energy", "water")
ALLOCATIONS = ("mass", "economic")


def stage_yield(yields: Sequence) -> Decimal:
    """The yield of activities run in sequence: the product of their yields, to 4 decimals (half to even), the one
    rounding every figure uses."""
    result = Decimal(1)
    for y in yields:
        result *= Decimal(str(y))
    return result.quantize(YIELD_PLACES)


@dataclass(frozen=True)
class Process:
    """One activity of a stage: its process code, processing cost and declared impacts per tonne of its input."""

    code: str
    cost_eur_per_t: float
    co2e_kg_per_t: float = 0.0
    energy_mj_per_t: float = 0.0
    water_m3_per_t: float = 0.0


@dataclass(frozen=True)
class Stage:
    """What a node does at one stage: its activities and their yield (output / input of the stage)."""

    processes: tuple[Process, ...]
    yield_ratio: float  # rounded by stage_yield
    allocation: float = 1.0  # the share of the stage's burden the network's material carries


@dataclass(frozen=True)
class NodeBasis:
    """A node's coefficients per tonne of its input."""

    yield_ratio: float  # product of its stages' yields
    process_eur_per_t: float
    impacts_per_t: tuple[float, float, float]  # kg CO2e, MJ, m3
    impact_origin: str  # primary data | library | none
    allocation_share: float  # share of the processing burden the network's material carries
    processes: tuple[str, ...]


def allocation_share(
    method: str, yield_ratio: float, wanted_eur_per_t: float = 0.0, rest_eur_per_t: float = 0.0
) -> float:
    """The wanted fraction's share of a multi-output stage's burden. Mass: its mass share, the yield. Economic: its
    share of the value of the outputs, y x p_wanted / (y x p_wanted + (1 - y) x p_rest); the mass share when the
    outputs have no value."""
    if method not in ALLOCATIONS:
        raise ValueError(f"allocation is {method!r}; it must be one of {', '.join(ALLOCATIONS)}")
    if method == "mass":
        return yield_ratio
    wanted = yield_ratio * wanted_eur_per_t
    total = wanted + (1 - yield_ratio) * rest_eur_per_t
    return wanted / total if total > 0 else yield_ratio


def node_basis(stages: Sequence[Stage], *, library_impacts: Callable[[str], Sequence[float]]) -> NodeBasis:
    """A node's coefficients from its stages in flow order (the stages it takes over from skipped roles first, its
    own role's last). Per tonne of input each stage counts with the yield of the stages before it. Impacts are the
    declared ones when the node's activities declare any, else `library_impacts(process code)` per activity.
    A stage's `allocation` multiplies its processing cost and impacts (a collector's wanted share)."""
    before, cost = 1.0, 0.0
    declared = [0.0, 0.0, 0.0]
    library = [0.0, 0.0, 0.0]
    codes = []
    share = 1.0
    for stage in stages:
        weight = before * stage.allocation
        if stage.allocation != 1.0:
            share = stage.allocation
        for p in stage.processes:
            cost += weight * p.cost_eur_per_t
            for i, value in enumerate((p.co2e_kg_per_t, p.energy_mj_per_t, p.water_m3_per_t)):
                declared[i] += weight * value
            for i, value in enumerate(library_impacts(p.code)):
                library[i] += weight * value
            codes.append(p.code)
        before *= stage.yield_ratio
    if any(declared):
        impacts, origin = declared, "primary data"
    elif codes:
        impacts, origin = library, "library"
    else:
        impacts, origin = [0.0, 0.0, 0.0], "none"
    return NodeBasis(
        yield_ratio=before,
        process_eur_per_t=cost,
        impacts_per_t=tuple(impacts),
        impact_origin=origin,
        allocation_share=share,
        processes=tuple(codes),
    )


def stock_eur_per_t(stock_days: float, holding_eur_per_t_year: float) -> float:
    """Holding a tonne of a node's input for its days in stock."""
    return stock_days / DAYS_PER_YEAR * holding_eur_per_t_year


@dataclass(frozen=True)
class TransportBasis:
    """Per tonne-km on one mode."""

    eur: float
    co2e_kg: float  # well-to-wheel: tank-to-wheel + well-to-tank
    co2e_ttw_kg: float
    co2e_wtt_kg: float
    energy_mj: float
    water_m3: float


def transport_per_tkm(factor: Callable[..., float], mode: str) -> TransportBasis:
    """The mode's factors from the factor table (`factor(code, default)`): the freight rate, CO2e tank-to-wheel plus
    well-to-tank (0 where the library has no well-to-tank row), energy and water."""
    ttw = factor(f"transport.co2e.{mode}")
    wtt = factor(f"transport.co2e_wtt.{mode}", 0.0)
    return TransportBasis(
        eur=factor(f"transport.cost.{mode}"),
        co2e_kg=ttw + wtt,
        co2e_ttw_kg=ttw,
        co2e_wtt_kg=wtt,
        energy_mj=factor(f"transport.energy.{mode}"),
        water_m3=factor(f"transport.water.{mode}"),
    )


def skipped_stages(origin_stage: int, destination_stage: int) -> range:
    """The stages a route from a node of `origin_stage` to one of `destination_stage` skips."""
    return range(origin_stage + 1, destination_stage)
