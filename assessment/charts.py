"""The assessment page's charts, as data for static/closeloop/assessment_charts.js (Chart.js): figures as numbers for
the bars and as text written by partners.figures for the tooltips, labels as plain text (Chart.js draws them on a
canvas, never as HTML).

- Life cycle: per indicator (climate change, non-renewable energy, fresh water), the scenario against its baseline of
  0 % recycled material, end of life and whole life cycle side by side, as the method's case study shows them.
- Cost: the annual cost per partner, stacked by part (transport, facilities, purchasing, activities, stock).
"""

from partners.figures import number

from .inputs import COST_LABELS, LCA_LABELS

PHASES = (("end_of_life", "End of life"), ("whole_life", "Whole life cycle"))
BASELINE = "Baseline: 0 % recycled material"
COST_PARTS = [k for k in COST_LABELS if k != "total_eur"]


def assessment_charts(result: dict, scenario_name: str) -> dict:
    """Chart data of a run's result (assessment.indicators / lca rows, and the per-partner costs)."""
    by_code = {row["code"]: row for row in result["indicators"]}
    lca = []
    for key, (label, _unit) in LCA_LABELS.items():
        rows = [by_code.get(f"{phase}.{key}") for phase, _ in PHASES]
        if not all(rows):
            continue
        values = [float(r["value"]) for r in rows]
        baselines = [float(r.get("baseline") or 0.0) for r in rows]
        lca.append(
            {
                "key": key,
                "label": label,
                "unit": rows[0]["unit"],
                "phases": [p for _, p in PHASES],
                "scenario": values,
                "baseline": baselines,
                "scenario_text": [number(v) for v in values],
                "baseline_text": [number(b) for b in baselines],
            }
        )
    partners = result.get("per_partner") or []
    costs = {
        "unit": "EUR/year",
        "partners": [p["partner"] for p in partners],
        "parts": [
            {
                "key": k,
                "label": COST_LABELS[k],
                "values": [float(p[k]) for p in partners],
                "text": [number(p[k]) for p in partners],
            }
            for k in COST_PARTS
        ],
        "totals_text": [number(sum(float(p[k]) for k in COST_PARTS)) for p in partners],
    }
    return {"series": {"scenario": scenario_name, "baseline": BASELINE}, "lca": lca, "costs": costs}
