"""`manage.py optimize --json` run as its own process: standard output is one JSON document and nothing else.

HiGHS writes its banner ("Running HiGHS ...") from C++ when a solver is made, before any option can silence it; it
used to reach standard output ahead of the report, so `json.loads(stdout)` failed. The command now sends whatever
the solver prints to standard error.

Figures worked by hand (see tests/assessment/test_relog.py): RELOG's storage.json costs 600, 75 and 100 in its three
years, 775 in all.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STORAGE = ROOT / "tests" / "assessment" / "cases" / "relog" / "storage.json"


def _run(tmp_path, *args):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py's own settings, as a user runs it
    return subprocess.run(
        [sys.executable, "manage.py", "optimize", "--relog", str(STORAGE), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_json_stdout_is_one_json_document(tmp_path):
    """The whole of standard output parses as JSON; total 775 = 600 + 75 + 100 (by hand, RELOG's own test)."""
    done = _run(tmp_path, "--json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["status"] == "optimal"
    assert report["total_cost"] == pytest.approx(775, abs=1e-6)
    assert report["cost_per_period"] == pytest.approx([600, 75, 100], abs=1e-6)
    assert "HiGHS" not in done.stdout
