"""The comparison table, radar normalisation and exports, on two made-up results worked by hand."""

import csv
import io

import pytest

from assessment.compare import Column, as_csv, as_json, radar, table


def result(cost, rate, eol_co2e, whole_co2e):
    codes = {
        "cost.total_eur": ("Total RL cost", "EUR/year", cost),
        "recycling_rate": ("Recycling rate", "share", rate),
        "end_of_life.climate_change_kg_co2e": ("Climate change", "kg CO2e/year", eol_co2e),
        "end_of_life.nonrenewable_energy_mj": ("Non-renewable energy", "MJ/year", 100.0),
        "end_of_life.fresh_water_m3": ("Fresh water", "m3/year", 0.0),
        "whole_life.climate_change_kg_co2e": ("Climate change", "kg CO2e/year", whole_co2e),
        "whole_life.nonrenewable_energy_mj": ("Non-renewable energy", "MJ/year", 1000.0),
        "whole_life.fresh_water_m3": ("Fresh water", "m3/year", 10.0),
    }
    return {
        "indicators": [
            {"code": c, "label": label, "unit": unit, "value": v, "phase": c.split(".")[0], "origin": "test"}
            for c, (label, unit, v) in codes.items()
        ]
    }


NEARBY = Column("Nearby v1", result(cost=200_000, rate=0.25, eol_co2e=40_000, whole_co2e=2_000_000))
WIDER = Column("Wider v1", result(cost=400_000, rate=0.5, eol_co2e=80_000, whole_co2e=1_600_000))


def test_radar_puts_the_better_scenario_on_the_rim_per_axis():
    eol = radar([NEARBY, WIDER], "end_of_life")
    assert [a["direction"] for a in eol["axes"]] == [
        "lower is better",
        "higher is better",
        "lower is better",
        "lower is better",
        "lower is better",
    ]
    # cost: 200k is best (1), 400k scores 200/400 = 0.5; rate: 0.5 is best, 0.25 scores 0.5; CO2e 40k vs 80k;
    # energy equal (1, 1); water 0 for both scores 1.
    assert eol["scenarios"] == [
        {"name": "Nearby v1", "scores": [1.0, 0.5, 1.0, 1.0, 1.0]},
        {"name": "Wider v1", "scores": [0.5, 1.0, 0.5, 1.0, 1.0]},
    ]
    # Whole life: 1.6 M is best; 2.0 M scores 1.6 / 2.0 = 0.8.
    whole = radar([NEARBY, WIDER], "whole_life")
    assert [s["scores"][2] for s in whole["scenarios"]] == [0.8, 1.0]


def test_table_and_exports_list_each_scenario_value():
    rows = table([NEARBY, WIDER])
    assert rows[0] == {
        "code": "cost.total_eur",
        "label": "Total RL cost",
        "unit": "EUR/year",
        "phase": "cost",
        "origin": "test",
        "values": [200_000, 400_000],
    }
    lines = list(csv.reader(io.StringIO(as_csv([NEARBY, WIDER]))))
    assert lines[0] == ["indicator", "phase", "unit", "origin", "Nearby v1", "Wider v1"]
    assert lines[2] == ["Recycling rate", "recycling_rate", "share", "test", "0.25", "0.5"]
    assert as_json([NEARBY, WIDER])["scenarios"] == ["Nearby v1", "Wider v1"]


@pytest.mark.parametrize("values,higher,expected", [([0.0, 0.0], True, [0.0, 0.0]), ([0.0, 5.0], False, [1.0, 0.0])])
def test_zeros_on_an_axis(values, higher, expected):
    from assessment.compare import _score

    # lower is better with 0 best: 0 scores 1, 5 scores best / 5 = 0 / 5 = 0.
    assert _score(values, higher) == expected
