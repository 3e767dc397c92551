"""Scenarios side by side: the indicator table of their last good runs, the radar axes normalised so that outward is
better, and the CSV / JSON exports. Pure: run results (dicts) in, rows out; no Django import.

Radar normalisation, per axis (stated on the chart): for an indicator where lower is better (costs, impacts) a
scenario scores best / value, so the best scenario sits on the rim (1) and one twice as costly at 0.5; where higher
is better (recycling rate) it scores value / best. A value of 0 where lower is better scores 1; when every scenario
has 0 where higher is better, all score 0.
"""

import csv
import io
from dataclasses import dataclass

# (indicator code, higher is better) per radar; the cost axis is the same on both.
RADARS = {
    "end_of_life": [
        ("cost.total_eur", False),
        ("recycling_rate", True),
        ("end_of_life.climate_change_kg_co2e", False),
        ("end_of_life.nonrenewable_energy_mj", False),
        ("end_of_life.fresh_water_m3", False),
    ],
    "whole_life": [
        ("cost.total_eur", False),
        ("recycling_rate", True),
        ("whole_life.climate_change_kg_co2e", False),
        ("whole_life.nonrenewable_energy_mj", False),
        ("whole_life.fresh_water_m3", False),
    ],
}


@dataclass(frozen=True)
class Column:
    """One scenario of the comparison and the result of its last good run."""

    name: str
    result: dict
    need_t: float | None = None  # what the scenario answers (t/year) and what it delivers, for the shortfall marker
    delivered_t: float | None = None
    stale: bool = False  # the scenario changed since this result

    @property
    def shortfall_t(self) -> float:
        """t/year delivered below the need; 0 when met (within a gram in a tonne) or unknown."""
        if self.need_t is None or self.delivered_t is None or self.delivered_t >= self.need_t * (1 - 1e-6):
            return 0.0
        return self.need_t - self.delivered_t

    def marker(self) -> dict:
        return {
            "name": self.name,
            "need_t": self.need_t,
            "delivered_t": self.delivered_t,
            "shortfall_t": self.shortfall_t,
            "stale": self.stale,
        }

    def value(self, code: str) -> float | None:
        """The indicator's value; None when this run has no such row (a run of another cost basis)."""
        return next((row["value"] for row in self.result["indicators"] if row["code"] == code), None)


def table(columns: list[Column]) -> list[dict]:
    """One row per indicator of the first result (all runs share the same list), with each scenario's value."""
    if not columns:
        return []
    rows = []
    for row in columns[0].result["indicators"]:
        rows.append(
            {
                "code": row["code"],
                "label": row["label"],
                "unit": row["unit"],
                "phase": row["phase"],
                "origin": row["origin"],
                "values": [c.value(row["code"]) for c in columns],
            }
        )
    return rows


def _score(values: list[float], higher_is_better: bool) -> list[float]:
    if higher_is_better:
        best = max(values)
        return [v / best if best > 0 else 0.0 for v in values]
    best = min(values)
    return [1.0 if v == 0 else best / v for v in values]


def radar(columns: list[Column], phase: str) -> dict:
    """Axes (label with its direction) and, per scenario, its score on each axis between 0 and 1."""
    labels = {row["code"]: row["label"] for row in columns[0].result["indicators"]} if columns else {}
    axes, scores = [], [[] for _ in columns]
    for code, higher in RADARS[phase]:
        axes.append(
            {
                "code": code,
                "label": labels.get(code, code),
                "direction": "higher is better" if higher else "lower is better",
            }
        )
        for i, s in enumerate(_score([c.value(code) for c in columns], higher)):
            scores[i].append(round(s, 6))
    return {"phase": phase, "axes": axes, "scenarios": [{"name": c.name, "scores": s} for c, s in zip(columns, scores)]}


def as_json(columns: list[Column]) -> dict:
    return {
        "scenarios": [c.name for c in columns],
        "markers": [c.marker() for c in columns],
        "indicators": table(columns),
        "radars": [radar(columns, phase) for phase in RADARS],
    }


def as_csv(columns: list[Column]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "phase", "unit", "origin", *[c.name for c in columns]])
    for row in table(columns):
        writer.writerow([row["label"], row["phase"], row["unit"], row["origin"], *row["values"]])
    return out.getvalue()
