"""`{% history_rows entries as rows %}`: log entries as sentences (partners.history), named in one query per kind."""

from django import template

from partners.history import describe

register = template.Library()


@register.simple_tag
def history_rows(entries):
    return describe(entries)
