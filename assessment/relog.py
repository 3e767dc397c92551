"""RELOG plant-location files (JSON, versions 0.5 to 0.7) read into the optimisation engine (assessment.optimize).
Pure: a file or a parsed JSON object in, an optimize.Network out; no Django import.

RELOG (Reverse Logistics Optimization, Argonne National Laboratory, github.com/ANL-CEEESA/RELOG, modified BSD
licence) is the open-source reference for this model. Its format ("Input Data Format", docs 0.5 and 0.7) and model
("Optimization Model"; src/model/build.jl, src/instance/parse.jl, src/graph/build.jl and src/graph/dist.jl of
v0.5-v0.7) map onto the engine as follows.

- parameters: "time horizon (years)" -> n_periods; "building period (years)" (1-based, default [1]: plants open in
  the first year only) -> every plant's build_periods; "distance metric" (0.6+): only "Euclidean" is read ("driving"
  needs RELOG's downloaded driving-distance data).
- products: every "initial amounts" entry is a collection centre -> a facility of role collector named
  "center:<product>/<centre>", with a mandatory supply (all of it must be shipped: RELOG's balance sum_p y_lpt =
  m_lt), its product as input and output (ratio 1). 0.7: "acquisition cost ($/tonne)" -> acquisition_eur_per_t on
  the tonnes shipped, "disposal cost ($/tonne)" -> supply_disposal_eur_per_t, "disposal limit (tonne)" (across all
  centres of the product; omitted: 0, everything must be processed) -> Network.supply_disposal_limit_t.
  "transportation cost ($/km/tonne)" -> every arc carrying the product; "transportation energy (J/km/tonne)" ->
  MJ/(t.km) (x 1e-6); "transportation emissions (tonne/km/tonne)" -> kg CO2e/(t.km): each gas x 1000 x its GWP.
- plants: every location of a plant type is a candidate facility of role plant named "plant:<plant>/<location>":
  "input" -> input_product; "outputs (tonne/tonne)" -> outputs (entries <= 0 are dropped, as RELOG does);
  "energy (GJ/tonne)" -> energy_mj_per_t (x 1000); "emissions (tonne/tonne)" -> co2e_kg_per_t (x 1000 x GWP);
  "capacities (tonne)" -> sizes (the key is the capacity; opening cost, fixed operating cost and variable
  operating cost per period; RELOG's min and max sizes with linear interpolation between them, which the engine
  generalises to more sizes); "storage" -> storage_limit_t and storage_eur_per_t (on the stock held at the end of a
  year; none: no storage); "disposal" -> disposal of outputs (cost per period; "limit (tonne)" per period, omitted:
  unlimited); an output without a disposal entry cannot be disposed (RELOG's limit 0); a disposal entry for a
  product the plant does not make has no effect (noted); "initial capacity (tonne)" (0.7) -> initial_capacity_t.
- arcs: RELOG joins every collection centre and every plant making a product to every plant location taking it
  (a plant never to itself), one arc per pair and product. Distance: RELOG's "Euclidean" metric, the straight-line
  chord between the two points on the WGS-84 ellipsoid at height 0 (Geodesy.jl: LLA -> ECEF, then the Euclidean
  norm), in km, rounded to 2 decimals in 0.5 (graph/build.jl, round(distance(x, y) / 1000.0, digits = 2)) and to 3
  from 0.6 (graph/dist.jl, digits = 3). RELOG's tests check 1095.62 km from (7, 7) to (0, 0) (0.5) and 265.818 km
  from Chicago (41.866, -87.656) to Indianapolis (39.764, -86.148) (0.6).

Money passes through unchanged: the engine's *_eur fields hold RELOG's dollars. Gases count in CO2e with the
100-year global warming potentials of IPCC AR6 WG1 (2021), chapter 7, table 7.15: CO2 1, CH4 29.8 (fossil), N2O
273; another gas name is left out of CO2e (noted in RelogCase.notes). RELOG reports emissions by gas and does not
optimise them; the engine can (objective "co2e").

Refused, with RelogError naming the place ("products.P1.initial amounts.C1.amount (tonne): expected 2 values (time
horizon), got 3"; 'plants.F1.input: unknown product "P9"'): a missing key, a value of the wrong type, a time series
of the wrong length, an unknown product, a capacity key that is not a number >= 0 (the largest > 0), two sizes
with different variable operating costs (RELOG refuses them too), a location given as a geographic-database id
("us-state:IL": RELOG's own database is not here), a "driving" distance metric.
"""

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from assessment import optimize as opt

VERSIONS = ("0.5", "0.6", "0.7")
# WGS-84 (NIMA TR8350.2): semi-major axis a (m) and flattening f; Geodesy.jl's wgs84 datum.
WGS84_A_M = 6_378_137.0
WGS84_F = 1 / 298.257223563
# 100-year global warming potentials, IPCC AR6 WG1 (2021), chapter 7, table 7.15 (CH4: fossil origin).
GWP100 = {"CO2": 1.0, "CH4": 29.8, "N2O": 273.0}


class RelogError(ValueError):
    """A RELOG file the importer cannot read; the message names the place."""


@dataclass(frozen=True, eq=False)
class RelogCase:
    network: opt.Network
    version: str
    n_periods: int
    plants: tuple[tuple[str, str], ...]  # (plant, location), in the order of the network's plant facilities
    centers: tuple[tuple[str, str], ...]  # (product, centre), in the order of the network's collector facilities
    notes: tuple[str, ...] = ()

    def plant_facility(self, plant: str, location: str) -> str:
        return f"plant:{plant}/{location}"


def distance_km(lat1, lon1, lat2, lon2, *, decimals: int | None = 3):
    """RELOG's "Euclidean" distance (km): the chord between two points on the WGS-84 ellipsoid (height 0), rounded
    to `decimals` (2 in RELOG 0.5, 3 from 0.6; None: not rounded). Works on NumPy arrays too."""
    e2 = WGS84_F * (2 - WGS84_F)

    def ecef(lat, lon):
        la, lo = np.radians(np.asarray(lat, float)), np.radians(np.asarray(lon, float))
        n = WGS84_A_M / np.sqrt(1 - e2 * np.sin(la) ** 2)
        return n * np.cos(la) * np.cos(lo), n * np.cos(la) * np.sin(lo), n * (1 - e2) * np.sin(la)

    (x1, y1, z1), (x2, y2, z2) = ecef(lat1, lon1), ecef(lat2, lon2)
    d = np.sqrt((x1 - x2) ** 2 + (y1 - y2) ** 2 + (z1 - z2) ** 2) / 1000.0
    d = d if decimals is None else np.round(d, decimals)
    return float(d) if np.ndim(d) == 0 else d


# ------------------------------------------------------------------------------------------------------ reading
# Bounds on what a file may say, far beyond any real case and far below what overflows the solver: amounts, costs
# and other figures at most 1e15 in size, a plant size at most 1e12 t, at most 1,000 periods.
NUMBER_MAX = 1e15
CAPACITY_MAX = 1e12
HORIZON_MAX = 1000
# Coordinates: RELOG computes its chords from any number of degrees, and its own test case s1.json has a latitude
# of 100, so they are not held to -90..90; beyond a full turn, a coordinate is a mistake.
DEGREES_MAX = 360


def _q(key) -> str:
    return json.dumps(key, ensure_ascii=False)


def _obj(value, path: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise RelogError(f"{path}: expected an object, got {_kind(value)}")
    return value


def _kind(value) -> str:
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, str):
        return f"the text {_q(value)}"
    if value is None:
        return "null"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps(value)  # NaN, Infinity, -Infinity: the words the file holds
    return repr(value)


def _get(d: Mapping, key: str, path: str):
    if key not in d:
        raise RelogError(f"{path}: missing key {_q(key)}")
    return d[key]


def _number(value, path: str, *, low: float | None = None, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RelogError(f"{path}: expected a number, got {_kind(value)}")
    try:
        v = float(value)
    except OverflowError:  # an integer with hundreds of digits
        raise RelogError(f"{path}: expected a number of at most {NUMBER_MAX:g}, got {_kind(value)[:40]}") from None
    if not math.isfinite(v):
        raise RelogError(f"{path}: expected a finite number, got {_kind(v)}")
    if abs(v) > NUMBER_MAX:
        raise RelogError(f"{path}: expected a number of at most {NUMBER_MAX:g}, got {v:g}")
    if positive and v <= 0:
        raise RelogError(f"{path}: expected a number > 0, got {v:g}")
    if low is not None and v < low:
        raise RelogError(f"{path}: expected a number >= {low:g}, got {v:g}")
    return v


def _series(value, T: int, path: str, *, low: float | None = None) -> list[float]:
    if not isinstance(value, list):
        raise RelogError(f"{path}: expected a list of {T} values (time horizon), got {_kind(value)}")
    if len(value) != T:
        raise RelogError(f"{path}: expected {T} values (time horizon), got {len(value)}")
    return [_number(v, f"{path}[{i}]", low=low) for i, v in enumerate(value)]


def _point(d: Mapping, path: str) -> tuple[float, float]:
    if "location" in d:
        raise RelogError(
            f"{path}.location: geographic-database locations ({_q(d['location'])}) are not supported; "
            'give "latitude (deg)" and "longitude (deg)"'
        )
    lat = _number(_get(d, "latitude (deg)", path), f"{path}.latitude (deg)")
    lon = _number(_get(d, "longitude (deg)", path), f"{path}.longitude (deg)")
    for name, value in (("latitude", lat), ("longitude", lon)):
        if not -DEGREES_MAX <= value <= DEGREES_MAX:
            raise RelogError(
                f"{path}.{name} (deg): expected degrees from -{DEGREES_MAX:g} to {DEGREES_MAX:g}, got {value:g}"
            )
    return lat, lon


def _co2e(gases, T: int, path: str, notes: list) -> np.ndarray:
    """kg CO2e per unit from a RELOG gas dictionary in tonnes per unit."""
    total = np.zeros(T)
    for gas, values in _obj(gases, path).items():
        series = np.array(_series(values, T, f"{path}.{gas}"))
        gwp = GWP100.get(str(gas).upper())
        if gwp is None:
            notes.append(f"{path}.{gas}: no global warming potential known for this gas; left out of CO2e")
            continue
        total += 1000.0 * gwp * series
    return total


def load(path, *, version: str = "0.7") -> RelogCase:
    """Read a RELOG input file. A missing or unreadable file, or one that is not JSON, raises RelogError."""
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except FileNotFoundError:
        raise RelogError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RelogError(f"{path}: cannot be read ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RelogError(f"{path}: not JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise RelogError(f"{path}: lists and objects are nested too deeply to read") from None
    return parse(data, version=version)


def parse(data, *, version: str = "0.7") -> RelogCase:
    """Map a parsed RELOG input (see the module notes) onto an optimize.Network."""
    if version not in VERSIONS:
        raise RelogError(f"version: expected one of {', '.join(VERSIONS)}, got {_q(version)}")
    decimals = 2 if version == "0.5" else 3
    notes: list[str] = []
    root = _obj(data, "(file)")
    params = _obj(_get(root, "parameters", "(file)"), "parameters")
    T = _get(params, "time horizon (years)", "parameters")
    if (
        isinstance(T, bool)
        or not isinstance(T, (int, float))
        or not math.isfinite(T)
        or T != int(T)
        or T < 1
        or T > HORIZON_MAX
    ):
        raise RelogError(
            f"parameters.time horizon (years): expected a whole number from 1 to {HORIZON_MAX}, got {_kind(T)}"
        )
    T = int(T)
    build = [0]
    if "building period (years)" in params:
        years = params["building period (years)"]
        where = "parameters.building period (years)"
        if not isinstance(years, list):
            raise RelogError(f"{where}: expected a list of years, got {_kind(years)}")
        build = []
        for i, y in enumerate(years):
            if (
                isinstance(y, bool)
                or not isinstance(y, (int, float))
                or not math.isfinite(y)
                or y != int(y)
                or not 1 <= y <= T
            ):
                raise RelogError(f"{where}[{i}]: expected a year 1..{T}, got {_kind(y)}")
            build.append(int(y) - 1)
    metric = params.get("distance metric", "Euclidean")
    if not isinstance(metric, str) or metric.lower() not in ("euclidean", "driving"):
        raise RelogError(f'parameters.distance metric: expected "Euclidean" or "driving", got {_kind(metric)}')
    if metric.lower() == "driving":
        raise RelogError(
            'parameters.distance metric: "driving" needs RELOG\'s driving-distance data, which this '
            'importer does not have; use "Euclidean"'
        )

    products = _obj(_get(root, "products", "(file)"), "products")
    plants = _obj(_get(root, "plants", "(file)"), "plants")
    if not products:
        raise RelogError("products: no product")
    facilities: list[opt.Facility] = []
    points: list[tuple[float, float]] = []
    centers: list[tuple[str, str]] = []
    tr: dict[str, tuple] = {}
    sdisp_limit: dict[str, list[float]] = {}
    for pname, pdict in products.items():
        path = f"products.{pname}"
        pdict = _obj(pdict, path)
        cost = _series(
            _get(pdict, "transportation cost ($/km/tonne)", path), T, f"{path}.transportation cost ($/km/tonne)"
        )
        energy = np.zeros(T)
        if "transportation energy (J/km/tonne)" in pdict:
            energy = 1e-6 * np.array(
                _series(pdict["transportation energy (J/km/tonne)"], T, f"{path}.transportation energy (J/km/tonne)")
            )
        co2e = np.zeros(T)
        if "transportation emissions (tonne/km/tonne)" in pdict:
            co2e = _co2e(
                pdict["transportation emissions (tonne/km/tonne)"],
                T,
                f"{path}.transportation emissions (tonne/km/tonne)",
                notes,
            )
        tr[pname] = (np.array(cost), co2e, energy)
        acq = (
            _series(pdict["acquisition cost ($/tonne)"], T, f"{path}.acquisition cost ($/tonne)")
            if "acquisition cost ($/tonne)" in pdict
            else 0.0
        )
        dcost = (
            _series(pdict["disposal cost ($/tonne)"], T, f"{path}.disposal cost ($/tonne)")
            if "disposal cost ($/tonne)" in pdict
            else 0.0
        )
        if "disposal limit (tonne)" in pdict:
            sdisp_limit[pname] = _series(pdict["disposal limit (tonne)"], T, f"{path}.disposal limit (tonne)", low=0.0)
        for cname, cdict in _obj(pdict.get("initial amounts", {}), f"{path}.initial amounts").items():
            cpath = f"{path}.initial amounts.{cname}"
            cdict = _obj(cdict, cpath)
            points.append(_point(cdict, cpath))
            amount = _series(_get(cdict, "amount (tonne)", cpath), T, f"{cpath}.amount (tonne)", low=0.0)
            facilities.append(
                opt.Facility(
                    name=f"center:{pname}/{cname}",
                    role="collector",
                    input_product=pname,
                    outputs={pname: 1.0},
                    supply_t=amount,
                    supply_mandatory=True,
                    acquisition_eur_per_t=acq,
                    supply_disposal_eur_per_t=dcost,
                )
            )
            centers.append((pname, cname))

    plant_ids: list[tuple[str, str]] = []
    for plname, pldict in plants.items():
        path = f"plants.{plname}"
        pldict = _obj(pldict, path)
        inp = _get(pldict, "input", path)
        if not isinstance(inp, str) or inp not in products:
            raise RelogError(f"{path}.input: unknown product {_q(inp)}")
        outputs = {}
        for m, r in _obj(pldict.get("outputs (tonne/tonne)", {}), f"{path}.outputs (tonne/tonne)").items():
            if m not in products:
                raise RelogError(f"{path}.outputs (tonne/tonne).{m}: unknown product {_q(m)}")
            r = _number(r, f"{path}.outputs (tonne/tonne).{m}")
            if r > 0:
                outputs[m] = r
        energy = (
            1000.0 * np.array(_series(pldict["energy (GJ/tonne)"], T, f"{path}.energy (GJ/tonne)"))
            if "energy (GJ/tonne)" in pldict
            else 0.0
        )
        co2e = (
            _co2e(pldict["emissions (tonne/tonne)"], T, f"{path}.emissions (tonne/tonne)", notes)
            if "emissions (tonne/tonne)" in pldict
            else 0.0
        )
        locations = _obj(_get(pldict, "locations", path), f"{path}.locations")
        for lname, ldict in locations.items():
            lpath = f"{path}.locations.{lname}"
            ldict = _obj(ldict, lpath)
            points.append(_point(ldict, lpath))
            sizes = []
            caps = _obj(_get(ldict, "capacities (tonne)", lpath), f"{lpath}.capacities (tonne)")
            if not caps:
                raise RelogError(f"{lpath}.capacities (tonne): at least one size is needed")
            for key, cdict in caps.items():
                cpath = f"{lpath}.capacities (tonne).{key}"
                try:
                    capacity = float(key)
                except ValueError:
                    raise RelogError(f"{cpath}: the key must be the capacity in tonnes, got {_q(key)}") from None
                if not math.isfinite(capacity) or not 0 <= capacity <= CAPACITY_MAX:
                    raise RelogError(
                        f"{cpath}: the capacity must be a number from 0 to {CAPACITY_MAX:g} t, got {_q(key)}"
                    )
                cdict = _obj(cdict, cpath)
                sizes.append(
                    opt.Size(
                        capacity_t=capacity,
                        opening_eur=_series(_get(cdict, "opening cost ($)", cpath), T, f"{cpath}.opening cost ($)"),
                        fixed_eur=_series(
                            _get(cdict, "fixed operating cost ($)", cpath), T, f"{cpath}.fixed operating cost ($)"
                        ),
                        variable_eur_per_t=_series(
                            _get(cdict, "variable operating cost ($/tonne)", cpath),
                            T,
                            f"{cpath}.variable operating cost ($/tonne)",
                        ),
                    )
                )
            if any(s.variable_eur_per_t != sizes[0].variable_eur_per_t for s in sizes):
                raise RelogError(
                    f"{lpath}.capacities (tonne): variable operating costs must be the same for all sizes (as in RELOG)"
                )
            if len({s.capacity_t for s in sizes}) != len(sizes):
                raise RelogError(f"{lpath}.capacities (tonne): two keys give the same capacity")
            if max(s.capacity_t for s in sizes) <= 0:
                raise RelogError(f"{lpath}.capacities (tonne): the largest capacity must be > 0")
            storage_limit, storage_cost = 0.0, 0.0
            if "storage" in ldict:
                spath = f"{lpath}.storage"
                sdict = _obj(ldict["storage"], spath)
                storage_limit = _number(_get(sdict, "limit (tonne)", spath), f"{spath}.limit (tonne)", low=0.0)
                storage_cost = _series(_get(sdict, "cost ($/tonne)", spath), T, f"{spath}.cost ($/tonne)")
            disposal = {}
            for m, ddict in _obj(ldict.get("disposal", {}), f"{lpath}.disposal").items():
                dpath = f"{lpath}.disposal.{m}"
                if m not in products:
                    raise RelogError(f"{dpath}: unknown product {_q(m)}")
                ddict = _obj(ddict, dpath)
                dcost = _series(_get(ddict, "cost ($/tonne)", dpath), T, f"{dpath}.cost ($/tonne)")
                limit = (
                    _series(ddict["limit (tonne)"], T, f"{dpath}.limit (tonne)", low=0.0)
                    if "limit (tonne)" in ddict
                    else None
                )
                if m not in outputs:
                    notes.append(f"{dpath}: {plname} does not make {m}; the entry has no effect")
                    continue
                disposal[m] = opt.Disposal(eur_per_t=dcost, limit_t=limit)
            initial = 0.0
            if "initial capacity (tonne)" in ldict:
                initial = _number(ldict["initial capacity (tonne)"], f"{lpath}.initial capacity (tonne)", low=0.0)
                if initial > max(s.capacity_t for s in sizes):
                    raise RelogError(f"{lpath}.initial capacity (tonne): {initial:g} t is above the largest size")
            facilities.append(
                opt.Facility(
                    name=f"plant:{plname}/{lname}",
                    role="plant",
                    input_product=inp,
                    outputs=outputs,
                    sizes=sizes,
                    energy_mj_per_t=energy,
                    co2e_kg_per_t=co2e,
                    storage_limit_t=storage_limit,
                    storage_eur_per_t=storage_cost,
                    disposal=disposal,
                    initial_capacity_t=initial,
                    build_periods=build,
                )
            )
            plant_ids.append((plname, lname))

    # arcs: every centre or plant making a product -> every other plant location taking it
    takes: dict[str, list[int]] = {}
    for i, f in enumerate(facilities):
        if f.role == "plant":
            takes.setdefault(f.input_product, []).append(i)
    origin, dest, prod = [], [], []
    for i, f in enumerate(facilities):
        for m in f.outputs:
            for j in takes.get(m, ()):
                if j != i:
                    origin.append(i)
                    dest.append(j)
                    prod.append(m)
    origin, dest = np.array(origin, dtype=np.int64), np.array(dest, dtype=np.int64)
    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    dist = (
        distance_km(lat[origin], lon[origin], lat[dest], lon[dest], decimals=decimals) if len(origin) else np.zeros(0)
    )
    factor = lambda k: np.array([tr[m][k] for m in prod]).reshape(len(prod), T)  # noqa: E731
    arcs = opt.Arcs(
        origin=origin,
        destination=dest,
        distance_km=np.asarray(dist, float),
        eur_per_t_km=factor(0),
        co2e_kg_per_t_km=factor(1),
        energy_mj_per_t_km=factor(2),
        mode=["relog"] * len(prod),
        product=prod,
    )
    network = opt.Network(facilities=facilities, arcs=arcs, n_periods=T, supply_disposal_limit_t=sdisp_limit)
    return RelogCase(
        network=network,
        version=version,
        n_periods=T,
        plants=tuple(plant_ids),
        centers=tuple(centers),
        notes=tuple(notes),
    )


# ----------------------------------------------------------------------------------------------------- the report
def _r(v: float) -> float:
    v = round(float(v), 6)
    return 0.0 if v == 0 else v


def _list(values) -> list[float]:
    return [_r(v) for v in values]


def report(case: RelogCase, solution: opt.Solution) -> dict:
    """The solution as a JSON-ready dict, plants and centres under their RELOG names. Money in the file's unit."""
    out = {
        "status": solution.status,
        "message": solution.message,
        "objective": solution.objective,
        "weights": {"cost": solution.weights[0], "co2e": solution.weights[1]},
        "objective_value": None if solution.objective_value is None else _r(solution.objective_value),
        "gap": solution.gap if solution.gap is not None and math.isfinite(solution.gap) else None,
        "solve_time_s": round(solution.solve_time_s, 3),
        "explanation": list(solution.explanation),
        "notes": list(case.notes),
        "model_size": None if solution.model_size is None else vars(solution.model_size),
    }
    if not solution.has_network:
        return out
    by_name = {f.name: f for f in solution.facilities}
    plants: dict = {}
    for plant, location in case.plants:
        f = by_name[case.plant_facility(plant, location)]
        plants.setdefault(plant, {})[location] = {
            "open": list(f.open),
            "opened_in_year": None if f.opened_in is None else f.opened_in + 1,
            "capacity_t": _list(f.capacity_t),
            "processed_t": _list(f.processed_t),
            "stored_t": _list(f.stored_t),
            "disposed_t": {m: _list(v) for m, v in f.disposed_t.items()},
            "costs": {k: _list(v) for k, v in f.costs_eur.items() if any(abs(x) > 1e-9 for x in v)},
        }
    centers: dict = {}
    for product, center in case.centers:
        f = by_name[f"center:{product}/{center}"]
        centers.setdefault(product, {})[center] = {
            "shipped_t": _list(f.collected_t),
            "disposed_t": _list(f.supply_disposed_t),
        }
    out.update(
        {
            "total_cost": _r(solution.total_cost_eur),
            "cost_per_period": _list(solution.cost_per_period_eur),
            "costs": {k: _list(v) for k, v in solution.costs_eur.items()},
            "co2e_kg": _r(solution.co2e_kg),
            "co2e_per_period_kg": _list(solution.co2e_per_period_kg),
            "energy_mj": _r(solution.energy_mj),
            "plants": plants,
            "centers": centers,
        }
    )
    return out
