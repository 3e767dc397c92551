"""The factor library: what each factor code means, its unit, and the shipped default values with their sources.

Codes are dotted: `transport.co2e.road`, `process.energy.remelting`, `material.primary.co2e`... `SPECS` names every
code the assessment reads and the one unit its value must be given in; anything else is refused.

Defaults: the cited figures of DOMAIN.md where it has one; everything else is an ASSUMPTION, flagged as such, to be
replaced by a study's own figures (a study overrides any factor) or by the partners' declared activity data (which
always takes precedence over the library and is marked as primary data).
"""

from dataclasses import dataclass

from partners import catalogue

MODES = ("road", "rail", "inland_waterway", "sea")
ROLES = ("collector", "sorter", "recoverer", "end_collector")
IMPACTS = ("co2e", "energy", "water")  # in lca.INDICATORS order
IMPACT_UNITS_PER_T = {"co2e": "kg CO2e/t", "energy": "MJ/t", "water": "m3/t"}
IMPACT_UNITS_PER_TKM = {"co2e": "kg CO2e/tkm", "energy": "MJ/tkm", "water": "m3/tkm"}
IMPACT_UNITS_PER_KG = {"co2e": "kg CO2e/kg", "energy": "MJ/kg", "water": "m3/kg"}

# The shipped processes (partners/catalogue.py); a process staff add later has no library impact until a factor
# for it is added.
PROCESSES = tuple(code for code, *_ in catalogue.PROCESSES)


def _specs() -> dict[str, str]:
    specs = {"backhaul.share": "share", "stock.holding": "EUR/t/year", "allocation.rest_value": "EUR/t"}
    for mode in MODES:
        specs[f"transport.cost.{mode}"] = "EUR/tkm"
        specs[f"transport.co2e_wtt.{mode}"] = "kg CO2e/tkm"
        specs.update({f"transport.{impact}.{mode}": unit for impact, unit in IMPACT_UNITS_PER_TKM.items()})
    for role in ROLES:
        specs[f"stock.days.{role}"] = "days"
    for kind in ("primary", "secondary"):
        specs.update({f"material.{kind}.{impact}": unit for impact, unit in IMPACT_UNITS_PER_KG.items()})
    for process in PROCESSES:
        specs.update({f"process.{impact}.{process}": unit for impact, unit in IMPACT_UNITS_PER_T.items()})
    return specs


SPECS: dict[str, str] = _specs()  # code -> the unit its value is given in


@dataclass(frozen=True)
class Default:
    code: str
    value: float
    region: str
    year: int | None
    source: str
    is_assumption: bool = False


DEFRA = "UK DESNZ/DEFRA greenhouse gas conversion factors 2025, freight, tank-to-wheel"
DEFRA_WTT = "UK DESNZ/DEFRA greenhouse gas conversion factors 2025, well-to-tank (freight)"
IPCC_DIESEL = (
    "derived: the mode's tank-to-wheel kg CO2e/tkm divided by 0.0741 kg CO2 per MJ of diesel (IPCC 2006 "
    "Guidelines, Vol. 2, Table 1.4: 74,100 kg CO2/TJ): the fuel's final energy, standing in for primary "
    "non-renewable energy (the fuel chain's own energy is not counted); assumes diesel traction"
)
ASSUMED = "assumption: no figure in our references; replace with your own"

_CO2E_PER_TKM = {
    "road": (0.10163, "UK", 2025, DEFRA + ": HGV all diesel, average laden"),
    "rail": (0.02779, "UK", 2025, DEFRA + ": freight train"),
    "inland_waterway": (0.0386, "NL", 2014, "KiM / CE Delft, Netherlands 2014"),
    "sea": (0.00353, "global", 2025, DEFRA + ": bulk carrier"),
}
# Well-to-tank (fuel production and supply) per tonne-km; added to the tank-to-wheel rows for well-to-wheel CO2e.
_WTT_PER_TKM = {
    "road": (0.02359, "UK", 2025, DEFRA_WTT + ": HGV all diesel, average laden"),
    "rail": (0.00691, "UK", 2025, DEFRA_WTT + ": freight train"),
    "inland_waterway": (
        0.0,
        "",
        None,
        "assumption: no well-to-tank figure in our references for inland waterways; 0 until the study sets one",
    ),
    "sea": (0.0008, "UK", 2025, DEFRA_WTT + ": bulk carrier"),
}
_COST_PER_TKM = {"road": 0.10, "rail": 0.05, "inland_waterway": 0.035, "sea": 0.015}  # EUR/tkm, assumptions

# Process impacts per tonne of input, used only when a facility declares none for its activity (all assumptions,
# except remelting's energy: recycling needs about 5 % of the energy of primary production, DOMAIN.md, applied
# to the assumed primary figure below).
_PROCESS = {  # process: (kg CO2e/t, MJ/t, m3/t)
    "shredding": (10, 150, 0.05),
    "magnetic-separation": (2, 30, 0),
    "eddy-current-separation": (3, 50, 0),
    "sink-float-separation": (3, 50, 0.5),
    "colour-sorting": (3, 50, 0.1),
    "refining": (60, 1000, 0.5),
    "remelting": (345, 7500, 1.0),
    "casting": (90, 1500, 1.0),
    "extrusion": (90, 1500, 0.5),
}
PRIMARY_ENERGY_MJ_PER_KG = 150.0  # assumption: order of magnitude of primary aluminium's cradle-to-gate energy


def defaults() -> list[Default]:
    rows = [
        Default(
            "backhaul.share",
            0.5,
            "",
            None,
            "assumption: a backhaul route is charged, and allocated, half of a full trip (the truck returns anyway)",
            True,
        ),
        Default(
            "stock.holding", 150, "EU", None, "assumption: about 10 % a year of a scrap value of 1,500 EUR/t", True
        ),
        Default(
            "material.primary.co2e",
            6.9,
            "EU",
            2018,
            "European Aluminium 2018: primary aluminium produced in Europe, about 6.8-7 kg CO2e/kg",
        ),
        Default(
            "allocation.rest_value",
            0,
            "",
            None,
            "assumption: what the rest of a collector's intake (other than the network's material) sells for, "
            "used by economic allocation; 0 puts a collector's whole burden on the wanted material",
            True,
        ),
        Default("material.primary.energy", PRIMARY_ENERGY_MJ_PER_KG, "EU", None, ASSUMED, True),
        Default("material.primary.water", 0.03, "EU", None, ASSUMED, True),
    ]
    for impact in IMPACTS:
        rows.append(
            Default(
                f"material.secondary.{impact}",
                0,
                "",
                None,
                "assumption: 0, the network's own processes (remelting, casting) carry the recycling "
                "burden; set it when they are not modelled",
                True,
            )
        )
    for role, days in zip(ROLES, (14, 7, 7, 0)):
        rows.append(
            Default(f"stock.days.{role}", days, "", None, "assumption: typical days a tonne waits at this stage", True)
        )
    for mode in MODES:
        value, region, year, source = _CO2E_PER_TKM[mode]
        rows.append(Default(f"transport.co2e.{mode}", value, region, year, source))
        wtt, wtt_region, wtt_year, wtt_source = _WTT_PER_TKM[mode]
        rows.append(
            Default(
                f"transport.co2e_wtt.{mode}", wtt, wtt_region, wtt_year, wtt_source, wtt_source.startswith("assumption")
            )
        )
        rows.append(Default(f"transport.energy.{mode}", round(value / 0.0741, 4), region, year, IPCC_DIESEL, True))
        rows.append(
            Default(
                f"transport.water.{mode}",
                0,
                "",
                None,
                "assumption: 0, no direct fresh-water withdrawal by freight transport",
                True,
            )
        )
        rows.append(
            Default(
                f"transport.cost.{mode}",
                _COST_PER_TKM[mode],
                "EU",
                None,
                "assumption: order of magnitude of European freight rates; use your carriers' rates",
                True,
            )
        )
    for process in PROCESSES:
        co2e, energy, water = _PROCESS.get(process, (0, 0, 0))
        source = (
            ASSUMED
            if process not in ("remelting",)
            else "energy: 5 % of the assumed primary 150 MJ/kg (recycling is commonly put at about 5 % of the "
            "energy of primary production); CO2e and water: assumptions"
        )
        for impact, value in zip(IMPACTS, (co2e, energy, water)):
            rows.append(Default(f"process.{impact}.{process}", value, "EU", None, source, True))
    return rows


def load_default(FactorLibrary, Factor) -> None:
    """Create or refresh the shipped default library (used by the data migration and by tests)."""
    library, _ = FactorLibrary.objects.get_or_create(
        is_default=True,
        defaults={
            "name": "Closeloop defaults",
            "description": "Cited figures of the domain notes; the rest are assumptions.",
        },
    )
    for row in defaults():
        Factor.objects.update_or_create(
            library=library,
            code=row.code,
            defaults={
                "value": row.value,
                "unit": SPECS[row.code],
                "region": row.region,
                "year": row.year,
                "source": row.source,
                "is_assumption": row.is_assumption,
            },
        )


def expected_unit(code: str) -> str | None:
    """The unit a factor code must be given in, or None for a code the assessment does not know. Process codes
    follow the catalogue, so `process.co2e.<any process code>` is known."""
    if code in SPECS:
        return SPECS[code]
    parts = code.split(".")
    if len(parts) == 3 and parts[0] == "process" and parts[1] in IMPACT_UNITS_PER_T and parts[2]:
        return IMPACT_UNITS_PER_T[parts[1]]
    return None
