"""HTML forms of the assessment: a study's factor override. The form checks types; the service checks the code, the
unit and the range, and its refusals come back onto the named field (partners.views.submit)."""

from django import forms

from partners import catalogue
from scenarios.models import TransportMode

from .factors import SPECS

IMPACT_NAMES = {"co2e": "Climate change", "energy": "Non-renewable energy", "water": "Fresh water", "cost": "Cost"}
PROCESS_NAMES = {code: name for code, name, *_ in catalogue.PROCESSES}
# Groups of the factors page, in page order.
GROUPS = [*(f"Transport: {label.lower()}" for label in TransportMode.labels), "Transport: all modes", "Processes",
          "Materials", "Stock"]


def describe(code: str) -> tuple[str, str]:
    """(group, readable name) of a factor code: `transport.co2e.road` -> ("Transport: road", "Climate change")."""
    parts = code.split(".")
    kind = parts[0]
    if kind == "transport" and len(parts) == 3:
        mode = dict(TransportMode.choices).get(parts[2], parts[2])
        return f"Transport: {mode.lower()}", IMPACT_NAMES.get(parts[1], parts[1])
    if kind == "backhaul":
        return "Transport: all modes", "Backhaul route, share of a full trip"
    if kind == "process" and len(parts) == 3:
        return "Processes", f"{PROCESS_NAMES.get(parts[2], parts[2])} · {IMPACT_NAMES.get(parts[1], parts[1])}"
    if kind == "material" and len(parts) == 3:
        return "Materials", f"{parts[1].capitalize()} aluminium · {IMPACT_NAMES.get(parts[2], parts[2])}"
    if code == "stock.holding":
        return "Stock", "Holding cost"
    if kind == "stock" and len(parts) == 3:
        return "Stock", f"Days in stock · {parts[2].replace('_', ' ')}"
    return "Other", code


def code_choices() -> list:
    """Every code the assessment reads, grouped as on the page."""
    groups: dict[str, list] = {}
    for code in sorted(SPECS):
        group, name = describe(code)
        groups.setdefault(group, []).append((code, f"{name} ({code})"))
    ordered = [(g, groups.pop(g)) for g in GROUPS if g in groups] + list(groups.items())
    return [("", "Choose a factor")] + ordered


class OverrideForm(forms.Form):
    code = forms.ChoiceField(label="Factor")
    value = forms.FloatField(help_text="0 or more, in the unit below.")
    unit = forms.CharField(max_length=30, help_text="Filled in from the factor; it must be the factor's unit.")
    source = forms.CharField(max_length=300, help_text="Where the figure comes from (a contract, a study, a report).")

    def __init__(self, *args, refresh_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = code_choices()
        if refresh_url:  # choosing a factor fetches the form again with its unit filled in (htmx)
            self.fields["code"].widget.attrs.update({
                "hx-get": refresh_url, "hx-trigger": "change", "hx-target": "#field-unit",
                "hx-select": "#field-unit", "hx-swap": "outerHTML"})
