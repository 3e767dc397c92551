"""Figures for people, formatted one way on every page: the rules live here and nowhere else, and the templates reach
them through the `figures` template filters (partners/templatetags/figures.py).

- A plain figure (`number`): thousands separated by commas; whole numbers from 1,000 up, two decimals from 1, three
  significant digits below 1; no trailing zeros (14000 -> "14,000", 62.50 -> "62.5", 0.004123 -> "0.00412").
- A share (`percent`): times 100, always one decimal, then " %" (0.3333 -> "33.3 %", 0.5 -> "50.0 %").
- A figure with its unit (`quantity`): the unit's rule, then the unit after a space. Distances are whole kilometres
  (1034.6 -> "1,035 km"); a share is a percentage; "%" keeps one decimal; every other unit (t/year, EUR/year,
  kg CO2e/year, ...) follows the plain rule.
- A missing figure is "—" everywhere.
"""

import math

MISSING = "—"
MINUS = "-"


def _finite(x) -> float | None:
    if x is None or x == "":
        return None
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _strip(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def number(x, signed: bool = False) -> str:
    """A plain figure: whole numbers from 1,000 up, 2 decimals from 1, else 3 significant digits; thousands
    separated, no trailing zeros (14000 -> "14,000", 4660.4 -> "4,660", 62.5 -> "62.5", 0.004123 -> "0.00412")."""
    x = _finite(x)
    if x is None:
        return MISSING
    if x == 0:
        return "0"
    size = abs(x)
    places = 0 if size >= 1000 else 2 if size >= 1 else min(9, 2 - math.floor(math.log10(size)))
    text = _strip(f"{x:{'+' if signed else ''},.{places}f}")
    return "0" if text in ("-0", "+0") else text


def fixed(x, places: int, signed: bool = False) -> str:
    """A figure to a fixed number of decimals, thousands separated (1034.6, 0 -> "1,035")."""
    x = _finite(x)
    if x is None:
        return MISSING
    text = f"{x:{'+' if signed else ''},.{places}f}"
    return text if text.strip("+-0.,") else text.lstrip("+-")  # no "-0.0"


def percent(share, signed: bool = False) -> str:
    """A share as a percentage with one decimal (0.3333 -> "33.3 %", 0.5 -> "50.0 %", -0.348 -> "-34.8 %")."""
    share = _finite(share)
    return MISSING if share is None else f"{fixed(share * 100, 1, signed)} %"


def percent_of(x, signed: bool = False) -> str:
    """A figure that is already a percentage, one decimal (34.81 -> "34.8 %")."""
    x = _finite(x)
    return MISSING if x is None else f"{fixed(x, 1, signed)} %"


# unit -> how its figures are written (every other unit: `number`)
UNIT_RULES = {
    "share": lambda x, signed: percent(x, signed),
    "%": lambda x, signed: percent_of(x, signed),
    "km": lambda x, signed: fixed(x, 0, signed) + " km",
}


def quantity(x, unit: str = "", signed: bool = False) -> str:
    """A figure with its unit, by the unit's rule (14000, "t/year" -> "14,000 t/year"; 0.3333, "share" ->
    "33.3 %"; 1034.6, "km" -> "1,035 km")."""
    if _finite(x) is None:
        return MISSING
    rule = UNIT_RULES.get(unit)
    if rule is not None:
        return rule(x, signed)
    text = number(x, signed)
    return f"{text} {unit}" if unit else text
