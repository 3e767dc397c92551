"""Writing the append-only log: snapshots of tracked fields and their differences."""

import datetime
from decimal import Decimal

from django.db import models

from .models import LogEntry


def _plain(value):
    if isinstance(value, Decimal):
        # One spelling per number: a stored 0.8500 and a typed 0.85 must not look like a change.
        return format(value.normalize(), "f")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    if isinstance(value, (list, tuple, set)):
        return sorted(_plain(v) for v in value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def snapshot(obj: models.Model, fields: list[str]) -> dict:
    """JSON-ready values of the named fields; many-to-many fields become sorted lists of their str()."""
    result = {}
    for name in fields:
        field = obj._meta.get_field(name)
        if field.many_to_many:
            result[name] = sorted(str(o) for o in getattr(obj, name).all()) if obj.pk else []
        else:
            result[name] = _plain(getattr(obj, name))
    return result


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for every field whose value differs; a field missing on one side counts as None."""
    return {k: [before.get(k), after.get(k)] for k in sorted({*before, *after}) if before.get(k) != after.get(k)}


def created(after: dict) -> dict:
    """{field: [None, new]} for a new object, leaving out fields that start empty (as deletions leave them out)."""
    return {k: [None, v] for k, v in sorted(after.items()) if v not in (None, "", [])}


def log(
    *, actor, organization, action: str, target: models.Model, changes: dict, parent: models.Model | None = None
) -> LogEntry:
    """Append one entry. `parent` is what the target belongs to (a route's scenario), so that the whole history of
    the parent can be read back in one query."""
    return LogEntry.objects.create(
        organization=organization,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.model_name,
        target_id=str(target.pk),
        target_repr=str(target)[:255],
        changes=changes,
        parent_type=parent._meta.model_name if parent is not None else "",
        parent_id=str(parent.pk) if parent is not None else "",
    )
