"""RELOG files (tests/assessment/cases/relog, see its README) through assessment.relog and assessment.optimize.

storage.json (RELOG's test fixture): one location, 3 years, 100 t of batteries in year 1 only, a 100 t plant with
variable operating costs 10, 5, 2 $/t and storage costing 2, 1.5, 1 $/t a year, at most 50 t. RELOG's test
(test/model/solve_test.jl, "solve (with storage)") asserts: processed 50, 0, 50 t; stored 50, 50, 0 t; variable
operating cost 500, 0, 100; storage cost 100, 75, 0; total cost per year 600, 75, 100 (775). By hand: all 100 t
processed in year 1 cost 1,000; storing 50 t to year 3 costs 2 + 1.5 = 3.5 $/t and saves 10 - 2 = 8 $/t, and only
50 t fit in storage: 50 x 10 + 50 x 2 + 50 x (2 + 1.5) = 775.
"""

import copy
import io
import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from assessment import optimize, relog

CASES = Path(__file__).parent / "cases" / "relog"
STORAGE, S1 = CASES / "storage.json", CASES / "s1.json"


def approx(x):
    return pytest.approx(x, rel=1e-9, abs=1e-9)


# ------------------------------------------------------------------------------------------------ storage.json
def test_storage_json_gives_relogs_figures():
    case = relog.load(STORAGE)
    s = optimize.solve(case.network)
    assert s.status == "optimal"
    plant = s.facility(case.plant_facility("mega plant", "Chicago"))
    assert plant.processed_t == approx((50, 0, 50))
    assert plant.stored_t == approx((50, 50, 0))
    assert plant.costs_eur["processing"] == approx((500, 0, 100))  # RELOG's "variable operating cost"
    assert plant.costs_eur["storage"] == approx((100, 75, 0))
    assert s.cost_per_period_eur == approx((600, 75, 100))
    assert s.total_cost_eur == approx(775)


def test_storage_json_through_the_command():
    out = io.StringIO()
    call_command("optimize", "--relog", str(STORAGE), "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["status"] == "optimal"
    assert report["total_cost"] == approx(775)
    assert report["cost_per_period"] == approx([600, 75, 100])
    chicago = report["plants"]["mega plant"]["Chicago"]
    assert chicago["open"] == [True, True, True] and chicago["opened_in_year"] == 1
    assert chicago["capacity_t"] == approx([100, 100, 100])
    assert chicago["processed_t"] == approx([50, 0, 50]) and chicago["stored_t"] == approx([50, 50, 0])
    assert chicago["costs"] == {"processing": approx([500, 0, 100]), "storage": approx([100, 75, 0])}
    assert report["centers"]["battery"]["Chicago"]["shipped_t"] == approx([100, 0, 0])


def test_the_command_prints_a_summary_without_json():
    out = io.StringIO()
    call_command("optimize", "--relog", str(STORAGE), stdout=out)
    text = out.getvalue()
    assert "total cost: 775.00 (per period: 600.00, 75.00, 100.00)" in text
    assert "mega plant at Chicago: opens in year 1, capacity 100 t, processed 50, 0, 50 t" in text


def test_the_command_stops_on_a_missing_or_malformed_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("optimize", "--relog", str(tmp_path / "nope.json"), "--json")
    bad = tmp_path / "bad.json"
    data = json.loads(STORAGE.read_text())
    data["plants"]["mega plant"]["input"] = "P9"
    bad.write_text(json.dumps(data))
    with pytest.raises(CommandError, match='^plants.mega plant.input: unknown product "P9"$'):
        call_command("optimize", "--relog", str(bad), "--json")


def test_the_command_exits_non_zero_with_the_explanation_when_no_network_exists(tmp_path):
    # 1,000 t must be processed in year 1 by a 100 t plant that stores at most 50 t (and must end empty)
    data = json.loads(STORAGE.read_text())
    data["products"]["battery"]["initial amounts"]["Chicago"]["amount (tonne)"] = [1000.0, 0.0, 0.0]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(data))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1,000 t of 'battery' must be shipped from the supplies up to period 1"):
        call_command("optimize", "--relog", str(path), "--json", stdout=out)
    assert json.loads(out.getvalue())["status"] == "infeasible"


# ------------------------------------------------------------------------------------------------------ s1.json
def test_s1_reads_like_relogs_own_parse_and_graph_tests():
    # RELOG test/instance/parse_test.jl and test/graph/build_test.jl (v0.5): 10 centres, 6 plant locations,
    # C1 at (7, 7) with 934.56 t a year; L1 sizes 250 t (500, 30, 30) and 1,000 t (1,250, 30, 30); outputs P2 0.2 and
    # P3 0.5 with disposal limits 1 t at -10 $/t; 38 arcs of which 8 run inside plants (process -> shipping node):
    # 30 transport arcs; the arc C1 -> L1 is 1,095.62 km
    case = relog.load(S1, version="0.5")
    net = case.network
    assert len(case.centers) == 10 and len(case.plants) == 6
    names = [f.name for f in net.facilities]
    c1 = net.facilities[names.index("center:P1/C1")]
    assert c1.supply_t == [934.56, 934.56] and c1.supply_mandatory
    l1 = net.facilities[names.index("plant:F1/L1")]
    assert [(s.capacity_t, s.opening_eur, s.fixed_eur, s.variable_eur_per_t) for s in l1.sizes] == [
        (250.0, [500.0, 500.0], [30.0, 30.0], [30.0, 30.0]),
        (1000.0, [1250.0, 1250.0], [30.0, 30.0], [30.0, 30.0]),
    ]
    assert l1.outputs == {"P2": 0.2, "P3": 0.5}
    assert {m: (d.eur_per_t, d.limit_t) for m, d in l1.disposal.items()} == {
        "P2": ([-10.0, -10.0], [1.0, 1.0]),
        "P3": ([-10.0, -10.0], [1.0, 1.0]),
    }
    l3 = net.facilities[names.index("plant:F2/L3")]
    assert set(l3.disposal) == {"P3"} and l3.disposal["P3"].limit_t is None  # P4 cannot be disposed (limit 0)
    assert len(net.arcs.origin) == 30
    arc = np.flatnonzero(
        (net.arcs.origin == names.index("center:P1/C1")) & (net.arcs.destination == names.index("plant:F1/L1"))
    )
    assert net.arcs.distance_km[arc] == approx([1095.62])
    assert net.arcs.eur_per_t_km[arc][0] == approx([0.015, 0.015])


def test_s1_solves_and_its_flows_follow_the_mass_balance():
    """RELOG publishes no objective for s1; checks that follow from the model: every tonne of P1 (4,738.64 t a
    year over the 10 centres) must be processed, and only F1 takes P1; F1 makes 0.2 t of P2 and 0.5 t of P3 per
    tonne and L1 may dispose 1 t of each at -10 $/t (a revenue, and it saves the onward transport and F2's 50 $/t),
    so F2 gets 947.728 - 1 = 946.728 t, F3 gets P4 0.8 x 946.728 = 757.3824 t, F4 gets P3 2,369.32 - 1 + 0.05 x
    946.728 = 2,415.6564 t (F2's P3 stays in the chain: disposing it costs 100 $/t)."""
    case = relog.load(S1, version="0.5")
    s = optimize.solve(case.network)
    assert s.status == "optimal" and s.gap <= 1e-4
    proc = {(p, loc): s.facility(case.plant_facility(p, loc)).processed_t for p, loc in case.plants}
    f1 = np.add(proc["F1", "L1"], proc["F1", "L2"])
    assert f1 == approx([4738.64, 4738.64])
    assert np.add(proc["F2", "L3"], proc["F2", "L4"]) == pytest.approx([946.728] * 2, rel=1e-9)
    assert proc["F3", "L5"] == pytest.approx([757.3824] * 2, rel=1e-9)
    assert proc["F4", "L6"] == pytest.approx([2415.6564] * 2, rel=1e-9)
    l1 = s.facility("plant:F1/L1")
    assert l1.disposed_t == {"P2": approx((1, 1)), "P3": approx((1, 1))}
    supply = {f.name: f.supply_t for f in case.network.facilities if f.role == "collector"}
    assert all(s.facility(name).collected_t == approx(tuple(t)) for name, t in supply.items())  # all shipped
    assert sum(s.cost_per_period_eur) == pytest.approx(s.total_cost_eur, rel=1e-12)
    assert s.total_cost_eur == pytest.approx(s.objective_value, rel=1e-9)
    # each plant that processes is open in both years (plants open in year 1 only: building period [1])
    for (p, loc), amounts in proc.items():
        f = s.facility(case.plant_facility(p, loc))
        assert f.open == ((True, True) if amounts[0] > 0 else (False, False))


def test_s1_distances_round_to_3_decimals_from_version_0_6():
    names = [f.name for f in relog.load(S1).network.facilities]
    arcs = relog.load(S1, version="0.7").network.arcs
    arc = np.flatnonzero(
        (arcs.origin == names.index("center:P1/C1")) & (arcs.destination == names.index("plant:F1/L1"))
    )
    assert arcs.distance_km[arc] == approx([1095.621])


# ------------------------------------------------------------------------------------------------------ distance
def test_distance_is_the_wgs84_chord():
    # on the equator 90 degrees apart: chord = sqrt(2) a = 1.41421356 x 6,378.137 km = 9,020.0478 km;
    # pole to pole: 2 b = 2 a (1 - f) = 2 x 6,356.752314 km = 12,713.504628 km
    assert relog.distance_km(0, 0, 0, 90, decimals=None) == pytest.approx(9020.0478, abs=1e-4)
    assert relog.distance_km(0, 0, 0, 90) == 9020.048
    assert relog.distance_km(90, 0, -90, 0) == 12713.505
    # RELOG's own tests: (7, 7) -> (0, 0) 1,095.62 km in 0.5; Chicago -> Indianapolis 265.818 km from 0.6
    assert relog.distance_km(7, 7, 0, 0, decimals=2) == 1095.62
    assert relog.distance_km(41.866, -87.656, 39.764, -86.148) == 265.818


# ------------------------------------------------------------------------------------------------ malformed files
def storage():
    return json.loads(STORAGE.read_text())


def _set(path, value):
    def change(d):
        *head, last = path
        for key in head:
            d = d[key]
        if value is KeyError:
            del d[last]
        else:
            d[last] = value

    return change


LOC = ["plants", "mega plant", "locations", "Chicago"]
CAP = LOC + ["capacities (tonne)", "100"]


@pytest.mark.parametrize(
    "change, message",
    [
        (
            _set(["products", "battery", "initial amounts", "Chicago", "amount (tonne)"], [1.0, 2.0]),
            "products.battery.initial amounts.Chicago.amount (tonne): expected 3 values (time horizon), got 2",
        ),
        (_set(["plants", "mega plant", "input"], "P9"), 'plants.mega plant.input: unknown product "P9"'),
        (
            _set(LOC + ["capacities (tonne)"], KeyError),
            'plants.mega plant.locations.Chicago: missing key "capacities (tonne)"',
        ),
        (
            _set(LOC + ["storage", "limit (tonne)"], "fifty"),
            'plants.mega plant.locations.Chicago.storage.limit (tonne): expected a number, got the text "fifty"',
        ),
        (
            _set(CAP + ["variable operating cost ($/tonne)"], [10.0, "x", 2.0]),
            "plants.mega plant.locations.Chicago.capacities (tonne).100.variable operating cost ($/tonne)[1]: "
            'expected a number, got the text "x"',
        ),
        (
            _set(CAP + ["opening cost ($)"], 5),
            "plants.mega plant.locations.Chicago.capacities (tonne).100.opening cost "
            "($): expected a list of 3 values (time horizon), got 5",
        ),
        (
            _set(LOC + ["capacities (tonne)", "big"], {}),
            "plants.mega plant.locations.Chicago.capacities (tonne).big: the key must be the capacity in tonnes, "
            'got "big"',
        ),
        (
            _set(["plants", "mega plant", "outputs (tonne/tonne)"], {"cobalt": 0.1}),
            'plants.mega plant.outputs (tonne/tonne).cobalt: unknown product "cobalt"',
        ),
        (
            _set(["parameters", "time horizon (years)"], 0),
            "parameters.time horizon (years): expected a whole number from 1 to 1000, got 0",
        ),
        (_set(["products"], KeyError), '(file): missing key "products"'),
        (
            _set(
                ["products", "battery", "initial amounts", "Chicago"],
                {"location": "us-state:IL", "amount (tonne)": [1.0, 0.0, 0.0]},
            ),
            'products.battery.initial amounts.Chicago.location: geographic-database locations ("us-state:IL") are not '
            "supported",
        ),
        (_set(["parameters", "distance metric"], "driving"), 'parameters.distance metric: "driving" needs RELOG'),
        (
            _set(["parameters", "building period (years)"], [4]),
            "parameters.building period (years)[0]: expected a year 1..3, got 4",
        ),
    ],
)
def test_malformed_files_are_refused_naming_the_place(change, message):
    data = storage()
    change(data)
    with pytest.raises(relog.RelogError) as err:
        relog.parse(data)
    assert str(err.value).startswith(message)


def test_two_sizes_with_different_variable_costs_are_refused():
    data = storage()
    sizes = data["plants"]["mega plant"]["locations"]["Chicago"]["capacities (tonne)"]
    sizes["200"] = copy.deepcopy(sizes["100"]) | {"variable operating cost ($/tonne)": [1.0, 1.0, 1.0]}
    with pytest.raises(relog.RelogError, match=r"capacities \(tonne\): variable operating costs must be the same"):
        relog.parse(data)


def test_files_that_are_not_json_or_not_there(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"parameters": ')
    with pytest.raises(relog.RelogError, match=r"broken.json: not JSON \(line 1, column 16"):
        relog.load(broken)
    with pytest.raises(relog.RelogError, match="missing.json: no such file"):
        relog.load(tmp_path / "missing.json")
    with pytest.raises(relog.RelogError, match=r"^\(file\): expected an object, got a list of 0$"):
        relog.parse([])


def test_unknown_gases_are_left_out_of_co2e_with_a_note():
    data = storage()
    data["plants"]["mega plant"]["emissions (tonne/tonne)"] = {
        "CO2": [0.1, 0.1, 0.1],
        "SF6": [0.0, 0.0, 0.0],
        "CH4": [0.001, 0.001, 0.001],
    }
    case = relog.parse(data)
    plant = case.network.facilities[-1]
    # 0.1 t CO2 + 0.001 t CH4 x 29.8 (IPCC AR6 GWP-100) = 129.8 kg CO2e per tonne processed
    assert np.asarray(plant.co2e_kg_per_t) == approx([129.8] * 3)
    assert case.notes == (
        "plants.mega plant.emissions (tonne/tonne).SF6: no global warming potential known for "
        "this gas; left out of CO2e",
    )
