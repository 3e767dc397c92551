"""`manage.py optimize --relog` on files that used to print a traceback or solve nonsense: a time horizon or a
building period of NaN or Infinity (Python's json reads those words), a capacity key of 1e300, a file nested
thousands of levels deep, a latitude of 1e308 (RELOG's own s1.json has a latitude of 100, so coordinates are held
to one turn, -360 to 360 degrees, not to -90..90). Each stops with a CommandError naming the place in the file, and
prints nothing on standard output.

The files are RELOG's storage.json test case (tests/assessment/cases/relog) with one value changed.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .test_relog import STORAGE

LOCATION = ["plants", "mega plant", "locations", "Chicago"]


def _with(path, value):
    data = json.loads(STORAGE.read_text())
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return data


def _capacity_key(key):
    data = json.loads(STORAGE.read_text())
    caps = data["plants"]["mega plant"]["locations"]["Chicago"]["capacities (tonne)"]
    caps[key] = caps.pop("100")
    return data


def _run(tmp_path, text: str):
    path = tmp_path / "case.json"
    path.write_text(text)
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("optimize", "--relog", str(path), "--json", stdout=out)
    assert out.getvalue() == ""
    return str(caught.value)


@pytest.mark.parametrize(
    "text, message",
    [
        # json.dumps writes NaN and Infinity as the bare words, which Python's json (and so RELOG files) read back.
        (
            json.dumps(_with(["parameters", "time horizon (years)"], float("nan"))),
            "parameters.time horizon (years): expected a whole number from 1 to 1000, got NaN",
        ),
        (
            json.dumps(_with(["parameters", "time horizon (years)"], float("inf"))),
            "parameters.time horizon (years): expected a whole number from 1 to 1000, got Infinity",
        ),
        (
            json.dumps(_with(["parameters", "building period (years)"], [float("nan")])),
            "parameters.building period (years)[0]: expected a year 1..3, got NaN",
        ),
        (
            json.dumps(_with(["parameters", "building period (years)"], [float("-inf")])),
            "parameters.building period (years)[0]: expected a year 1..3, got -Infinity",
        ),
        (
            json.dumps(_capacity_key("1e300")),
            "plants.mega plant.locations.Chicago.capacities (tonne).1e300: the capacity must be a number from 0 to "
            '1e+12 t, got "1e300"',
        ),
        (
            json.dumps(_with(LOCATION + ["latitude (deg)"], 1e308)),
            "plants.mega plant.locations.Chicago.latitude (deg): expected a number of at most 1e+15, got 1e+308",
        ),
        (
            json.dumps(_with(LOCATION + ["latitude (deg)"], 361)),
            "plants.mega plant.locations.Chicago.latitude (deg): expected degrees from -360 to 360, got 361",
        ),
        (
            json.dumps(_with(LOCATION + ["longitude (deg)"], -1000)),
            "plants.mega plant.locations.Chicago.longitude (deg): expected degrees from -360 to 360, got -1000",
        ),
        (
            json.dumps(_with(["products", "battery", "initial amounts", "Chicago", "amount (tonne)"], [1e300, 0, 0])),
            "products.battery.initial amounts.Chicago.amount (tonne)[0]: expected a number of at most 1e+15, "
            "got 1e+300",
        ),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ],
)
def test_the_command_refuses_naming_the_place(tmp_path, text, message):
    assert message in _run(tmp_path, text)
