"""Life-cycle (LCA) indicators of a reverse-logistics scenario. Pure: NumPy arrays in, numbers out; no Django import.

Three indicators (DOMAIN.md, "Indicators"), always in this order: climate change (kg CO2e), non-renewable energy
(MJ) and fresh water withdrawal (m3) per year. Each is computed for two phases, against a baseline of 0 % recycled
material:

- End of life: the RL network itself (assessment.indicators.NetworkArrays).
  transport = sum over modes of (backhaul-weighted tonne-km carried by that mode) x impact per tkm of the mode, the
  tonne-km of a backhaul route counting backhaul_share of their full amount (the truck returns anyway; only that
  share of its impact is allocated to the returns). The tonne-km are summed per mode with one `np.bincount`, then a
  (4,) x (4, 3) product gives the three indicators.
  processes = sum over nodes of node_throughput_t x the node's impact per tonne (a (N,) x (N,) dot per indicator).
  Baseline: 0, since without recycled content there is no reverse network; the % difference is therefore NaN.
- Whole life cycle of the product made from the recovered flow, of mass M kg/year with a recycled share r:
  production = M x ((1 - r) x primary_per_kg + r x secondary_per_kg) (the recycled share displaces primary
  material; secondary_per_kg is what making the secondary material costs outside the modelled network, e.g. casting
  the recycled billet, 0 when the network's processes cover it); whole life = production + end of life.
  Baseline: M x primary_per_kg (r = 0, no end-of-life network).

For each phase: values, per unit of product (values / units per year), baseline, difference = values - baseline and
difference in % = 100 x difference / baseline (NaN where the baseline is 0). The two phases can rank scenarios
differently: more recycled content costs more at end of life but displaces primary production (reference figures:
primary aluminium about 6.8-7 kg CO2e/kg in Europe, European Aluminium 2018; recycling needs about 5 % of the energy
of primary production).
"""

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from assessment.indicators import MODES, NetworkArrays, check_share, weighted_tonne_km

INDICATORS = ("climate_change_kg_co2e", "nonrenewable_energy_mj", "fresh_water_m3")


def _factor_array(name: str, value: ArrayLike, shape: tuple[int, ...]) -> np.ndarray:
    """A float array of the given shape with every entry finite and >= 0; the error names the mode and indicator."""
    array = np.asarray(value, dtype=float)
    if array.shape != shape:
        raise ValueError(f"{name} must have shape {shape}, got {array.shape}")
    bad = ~(np.isfinite(array) & (array >= 0))
    if bad.any():
        index = np.unravel_index(int(np.argmax(bad)), shape)
        labels = ", ".join(MODES[i] if len(shape) == 2 and axis == 0 else INDICATORS[i] for axis, i in enumerate(index))
        raise ValueError(f"{name}[{labels}] is {array[index].item()!r}; an impact factor must be a finite number >= 0")
    return array


def _check_units(units_per_year: int) -> None:
    if isinstance(units_per_year, bool) or not isinstance(units_per_year, int | np.integer) or units_per_year <= 0:
        raise ValueError(f"units_per_year is {units_per_year!r}; it must be an integer > 0")


@dataclass(frozen=True)
class ImpactFactors:
    transport_per_tkm: np.ndarray  # (len(MODES), 3): per mode, per indicator (kg CO2e/tkm, MJ/tkm, m3/tkm)
    backhaul_share: float  # share of the transport impact allocated to a backhaul route, 0..1
    primary_per_kg: np.ndarray  # (3,): producing 1 kg of primary material
    secondary_per_kg: np.ndarray  # (3,): producing 1 kg of secondary material outside the modelled network

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "transport_per_tkm",
            _factor_array("transport_per_tkm", self.transport_per_tkm, (len(MODES), len(INDICATORS))),
        )
        check_share("backhaul_share", self.backhaul_share)
        for name in ("primary_per_kg", "secondary_per_kg"):
            object.__setattr__(self, name, _factor_array(name, getattr(self, name), (len(INDICATORS),)))


@dataclass(frozen=True)
class PhaseResult:
    values: np.ndarray  # (3,) per INDICATORS, per year
    per_unit: np.ndarray  # values / units_per_year
    baseline: np.ndarray  # the same phase with 0 % recycled material
    difference: np.ndarray  # values - baseline
    difference_pct: np.ndarray  # 100 x difference / baseline, NaN where baseline == 0
    transport: np.ndarray | None = None  # for end of life: the transport part
    processes: np.ndarray | None = None  # for end of life: the processes part


def _phase(values: np.ndarray, baseline: np.ndarray, units_per_year: int, **parts: np.ndarray) -> PhaseResult:
    difference = values - baseline
    difference_pct = np.full(len(INDICATORS), np.nan)
    np.divide(100.0 * difference, baseline, out=difference_pct, where=baseline != 0)
    return PhaseResult(
        values=values,
        per_unit=values / units_per_year,
        baseline=baseline,
        difference=difference,
        difference_pct=difference_pct,
        **parts,
    )


def end_of_life(net: NetworkArrays, factors: ImpactFactors, units_per_year: int) -> PhaseResult:
    """The RL network's impacts per year: transport (per mode, backhaul-weighted) plus processes (per node)."""
    _check_units(units_per_year)
    tkm_per_mode = np.bincount(
        net.route_mode, weights=weighted_tonne_km(net, factors.backhaul_share), minlength=len(MODES)
    )
    transport = tkm_per_mode @ factors.transport_per_tkm
    throughput_t = net.node_throughput_t
    processes = np.array(
        [
            throughput_t @ net.node_co2e_kg_per_t,
            throughput_t @ net.node_energy_mj_per_t,
            throughput_t @ net.node_water_m3_per_t,
        ]
    )
    return _phase(
        transport + processes, np.zeros(len(INDICATORS)), units_per_year, transport=transport, processes=processes
    )


def whole_life(
    eol: PhaseResult,
    product_mass_kg_per_year: float,
    recycled_share: float,
    factors: ImpactFactors,
    units_per_year: int,
) -> PhaseResult:
    """Production with its recycled share displacing primary material, plus end of life; baseline: all primary."""
    if not (math.isfinite(product_mass_kg_per_year) and product_mass_kg_per_year > 0):
        raise ValueError(f"product_mass_kg_per_year is {product_mass_kg_per_year!r}; it must be a finite number > 0")
    check_share("recycled_share", recycled_share)
    _check_units(units_per_year)
    production = product_mass_kg_per_year * (
        (1 - recycled_share) * factors.primary_per_kg + recycled_share * factors.secondary_per_kg
    )
    return _phase(production + eol.values, product_mass_kg_per_year * factors.primary_per_kg, units_per_year)
