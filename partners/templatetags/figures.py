"""Template filters for figures (partners.figures holds the rules): `{{ x|figure }}` a plain figure,
`{{ x|figure:"t/year" }}` with its unit, `{{ x|percent }}` a share as a percentage, `{{ x|signed }}` with its sign."""

from django import template

from partners import figures

register = template.Library()


@register.filter
def figure(value, unit: str = "") -> str:
    return figures.quantity(value, unit) if unit else figures.number(value)


@register.filter
def percent(value) -> str:
    return figures.percent(value)


@register.filter
def signed(value, unit: str = "") -> str:
    return figures.quantity(value, unit, signed=True) if unit else figures.number(value, signed=True)
