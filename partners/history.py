"""The log as people read it: every action registered once with the sentence that displays it (as pretix does).

The log stores codes (`scenario.route.created`, `destination_node: [None, 39]`, `is_backhaul: [None, False]`), and the
API returns them so. Pages show each entry as a sentence ("Added the route Yard Dortmund -> Shredder Duisburg") and
its changed fields with their verbose names, related objects by name, yes/no for booleans and numbers formatted one
way with their units ("Quantity: 400 t/year", "Share: 33.3 %").

Each app registers its own actions and fields (`partners` here, `scenarios.history`, `assessment.history`, imported
by their AppConfig.ready), so this module imports no higher app. Related objects named by id or code are resolved for
a whole page at once, one query per kind (`describe(entries)`), never one per row: ids of scenario objects from the
log itself (the entry that created them keeps their name, even after they are deleted), catalogue codes from the
catalogue.
"""

from __future__ import annotations

import contextvars
import datetime
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_date, parse_datetime
from django_countries import countries

from .models import Certificate, Criterion, LogEntry, Material, MemberRole

EMPTY = "—"
_PAGE: contextvars.ContextVar[dict | None] = contextvars.ContextVar("history_page", default=None)  # per describe()
NBSP = "\u00a0"


# ---------------------------------------------------------------- numbers, one way


def number(value, places: int | None = 2) -> str:
    """Thousands grouped with a comma, at most `places` decimals, trailing zeros dropped: 1200 -> "1,200",
    64.41 -> "64.41"; places=None keeps six significant digits below 100 (0.10163 -> "0.10163") and two decimals
    above (14000 -> "14,000")."""
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not d.is_finite():
        return str(value)
    if places is None:  # factors and sheet values: small figures keep their digits, large ones are grouped
        if abs(d) >= 100:
            return number(d, 2)
        text = f"{float(d):.6g}"
        return number(d, 8) if "e" in text else text
    try:
        text = f"{d.quantize(Decimal(1).scaleb(-places)):,f}"
    except InvalidOperation:  # more digits than Decimal's precision: far beyond any figure we store
        return f"{d:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def with_unit(text: str, unit: str) -> str:
    if unit == "°":
        return f"{text}°"
    return f"{text}{NBSP}{unit}" if unit else text


# ---------------------------------------------------------------- fields


@dataclass(frozen=True)
class Field:
    """How one changed field reads. kind: text, number, share (a ratio shown in %), bool, choice, list, date, country,
    ref (an id or code named through a resolver), matrix, hidden. `unit` may depend on the entry's changes."""

    label: str
    kind: str = "text"
    unit: str | Callable[[dict], str] = ""
    places: int | None = 2
    choices: dict = field(default_factory=dict)
    ref: str = ""  # resolver name, for kind "ref" (and "list" of refs)
    format: Callable | None = None  # value -> text, for anything else

    def unit_for(self, changes: dict) -> str:
        return self.unit(changes) if callable(self.unit) else self.unit


@dataclass(frozen=True)
class Action:
    sentence: str  # str.format: {target}, {parent}, {old[field]}, {new[field]}, {value[field]} (new, else old)
    fields: dict = field(default_factory=dict)  # action-specific fields, before the target type's
    target: Callable[[str], str] | None = None  # how {target} reads, from the stored repr


ACTIONS: dict[str, Action] = {}
FIELDS: dict[str, dict[str, Field]] = {}  # target type -> field name -> Field
FALLBACK_FIELDS: dict[str, Callable[[str], Field | None]] = {}  # target type -> name -> Field (e.g. criterion:*)
RESOLVERS: dict[str, Callable[[set, set], dict]] = {}  # name -> (keys, organization ids) -> {key: name}


def register(
    action: str, sentence: str, fields: dict | None = None, target: Callable[[str], str] | None = None
) -> None:
    """Declare an action once, with its sentence. Registering the same action twice is a mistake."""
    if action in ACTIONS:
        raise ValueError(f"{action} is registered twice")
    ACTIONS[action] = Action(sentence, fields or {}, target)


def register_fields(target_type: str, fields: dict, fallback: Callable[[str], Field | None] | None = None) -> None:
    FIELDS.setdefault(target_type, {}).update(fields)
    if fallback is not None:
        FALLBACK_FIELDS[target_type] = fallback


def register_resolver(name: str, resolve: Callable[[set, set], dict]) -> None:
    RESOLVERS[name] = resolve


def logged_names(target_type: str) -> Callable[[set, set], dict]:
    """A resolver naming objects of `target_type` by id from the log: the repr their latest entry recorded, so an
    object deleted since keeps its name."""

    def resolve(keys: set, organizations: set) -> dict:
        rows = (
            LogEntry.objects.filter(
                organization__in=organizations, target_type=target_type, target_id__in=[str(k) for k in keys]
            )
            .order_by("at", "id")
            .values_list("target_id", "target_repr")
        )
        return {target_id: repr_ for target_id, repr_ in rows}

    return resolve


def field_for(entry: LogEntry, name: str) -> Field:
    action = ACTIONS.get(entry.action)
    if action and name in action.fields:
        return action.fields[name]
    known = FIELDS.get(entry.target_type, {})
    if name in known:
        return known[name]
    fallback = FALLBACK_FIELDS.get(entry.target_type)
    found = fallback(name) if fallback else None
    return found or Field(name.replace("_", " ").capitalize())


def _position(entry: LogEntry, name: str) -> tuple:
    """Fields show in the order they were registered (the action's, then the target type's), others after."""
    action = ACTIONS.get(entry.action)
    order = [*(action.fields if action else {}), *FIELDS.get(entry.target_type, {})]
    return (order.index(name), "") if name in order else (len(order), name)


# ---------------------------------------------------------------- values


def _refs(f: Field, value) -> list:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


def show(f: Field, value, changes: dict, names: dict) -> str:
    """One stored value as people read it."""
    if f.format is not None:
        return f.format(value)
    if value is None or value == "" or value == []:
        return EMPTY
    unit = f.unit_for(changes)
    if f.kind == "bool":
        return "yes" if value else "no"
    if f.kind == "number":
        return with_unit(number(value, f.places), unit)
    if f.kind == "share":
        try:
            return with_unit(number(Decimal(str(value)) * 100, 1 if f.places == 2 else f.places), "%")
        except InvalidOperation:
            return str(value)
    if f.kind == "choice":
        return str(f.choices.get(value, value))
    if f.kind == "country":
        return countries.name(value) or str(value)
    if f.kind == "date":
        text = str(value)
        parsed = parse_date(text) if len(text) == 10 else parse_datetime(text)
        if isinstance(parsed, datetime.datetime):
            return f"{parsed:%-d %B %Y, %H:%M}"
        return f"{parsed:%-d %B %Y}" if parsed else text
    if f.kind in ("ref", "reflist"):
        known = names.get(f.ref, {})
        return ", ".join(known.get(k, k) for k in _refs(f, value))
    if f.kind == "matrix":
        return " · ".join(", ".join(_judgement(x) for x in row) for row in value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_pretty_target(str(v)) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, bool):
        return "yes" if value else "no"
    return with_unit(str(value), unit) if unit else str(value)


def _judgement(x) -> str:
    """A Saaty judgement: 2 -> "2", 0.5 -> "1/2", 0.3333 -> "1/3"."""
    x = float(x)
    if x >= 1 or x <= 0:
        return number(x, 2)
    inverse = 1 / x
    return f"1/{number(inverse, 0)}" if abs(inverse - round(inverse)) < 1e-6 else number(x, 3)


# ---------------------------------------------------------------- entries


@dataclass
class Change:
    label: str
    old: str
    new: str
    kind: str  # "created" (only new), "deleted" (only old) or "changed"
    position: tuple = ()


@dataclass
class Described:
    entry: LogEntry
    sentence: str
    changes: list[Change]

    @property
    def at(self):
        return self.entry.at

    @property
    def who(self) -> str:
        actor = self.entry.actor
        if actor is None:
            return "System"
        return actor.get_full_name() or actor.get_username()


class _Values(dict):
    """Field values for a sentence; a field the entry lacks reads as a dash."""

    def __missing__(self, key):
        return EMPTY


class _Formatter(string.Formatter):
    def get_field(self, field_name, args, kwargs):
        try:
            return super().get_field(field_name, args, kwargs)
        except (KeyError, AttributeError, IndexError):
            return EMPTY, field_name


_FORMATTER = _Formatter()


def _sentence_value(f: Field, value, changes: dict, names: dict) -> str:
    text = show(f, value, changes, names)
    return text.lower() if f.kind == "choice" and text != EMPTY else text


def _pretty_target(text: str) -> str:
    return text.replace(" -> ", " → ")


def describe(entries) -> list[Described]:
    """Every entry as a sentence and its changed fields, naming related objects with one query per kind for the
    whole list."""
    token = _PAGE.set({})
    try:
        return _describe_all(list(entries))
    finally:
        _PAGE.reset(token)


def _describe_all(entries: list) -> list[Described]:
    wanted: dict[str, set] = {}
    organizations = {e.organization_id for e in entries}
    for e in entries:
        for name, pair in (e.changes or {}).items():
            f = field_for(e, name)
            if f.kind in ("ref", "reflist") and isinstance(pair, (list, tuple)) and len(pair) == 2:
                for value in pair:
                    wanted.setdefault(f.ref, set()).update(_refs(f, value))
        if e.parent_type and e.parent_id:
            wanted.setdefault(f"logged:{e.parent_type}", set()).add(e.parent_id)
    names = {}
    for ref, keys in wanted.items():
        keys.discard("None")
        if not keys:
            continue
        if ref.startswith("logged:"):
            names[ref] = logged_names(ref.removeprefix("logged:"))(keys, organizations)
        elif ref in RESOLVERS:
            names[ref] = RESOLVERS[ref](keys, organizations)
    return [_describe(e, names) for e in entries]


def _describe(e: LogEntry, names: dict) -> Described:
    changes = e.changes if isinstance(e.changes, dict) else {}
    old, new, value = _Values(), _Values(), _Values()
    rows = []
    for name, pair in changes.items():
        if not (isinstance(pair, (list, tuple)) and len(pair) == 2):
            pair = [None, pair]
        f = field_for(e, name)
        before, after = pair
        old[name] = _sentence_value(f, before, changes, names)
        new[name] = _sentence_value(f, after, changes, names)
        value[name] = new[name] if after not in (None, "", []) else old[name]
        if f.kind == "hidden" or before == after:
            continue
        kind = "created" if before in (None, "", []) else "deleted" if after in (None, "", []) else "changed"
        rows.append(
            Change(f.label, show(f, before, changes, names), show(f, after, changes, names), kind, _position(e, name))
        )
    rows.sort(key=lambda c: c.position)
    parent = names.get(f"logged:{e.parent_type}", {}).get(e.parent_id, "") if e.parent_type else ""
    action = ACTIONS.get(e.action)
    if action is None:  # an action nobody registered (a test fails for any written in the code): say what we know
        sentence = f"Recorded a change to {_pretty_target(e.target_repr)}"
    else:
        target = action.target(e.target_repr) if action.target else e.target_repr
        sentence = _FORMATTER.format(
            action.sentence,
            target=_pretty_target(target),
            parent=_pretty_target(parent) or EMPTY,
            old=old,
            new=new,
            value=value,
        )
    return Described(entry=e, sentence=sentence, changes=rows)


# ---------------------------------------------------------------- this app's actions

register_resolver(
    "material", lambda keys, orgs: dict(Material.objects.filter(code__in=keys).values_list("code", "name"))
)


def _criterion_field(name: str) -> Field | None:
    """Sheet values are logged as `criterion:<code>`; their label and unit come from the catalogue (cached)."""
    if not name.startswith("criterion:"):
        return None
    code = name.removeprefix("criterion:")
    criterion = _criteria().get(code)
    if criterion is None:
        return Field(code.replace("-", " ").capitalize(), "number", places=None)
    return Field(criterion.name, "number", unit=criterion.unit, places=None)


def _criteria() -> dict:
    """The criterion catalogue, read once per describe() call that shows sheet values."""
    cache = _PAGE.get()
    if cache is None:  # outside describe(): nothing to share the read with
        return {c.code: c for c in Criterion.objects.all()}
    if "criteria" not in cache:
        cache["criteria"] = {c.code: c for c in Criterion.objects.all()}
    return cache["criteria"]


MEMBER_ROLES = dict(MemberRole.choices)


def member_name(target_repr: str) -> str:
    """`lena in Ruhr GmbH (editor)` -> `lena`: the person a membership entry is about."""
    return target_repr.split(" in ", 1)[0]


register_fields(
    "organization",
    {
        "name": Field("Name"),
        "country": Field("Country", "country"),
        "website": Field("Website"),
        "is_end_collector": Field("End collector", "bool"),
        "approver_not_submitter": Field("Approver must not be the submitter", "bool"),
    },
)
register_fields("membership", {"user": Field("Person"), "role": Field("Role", "choice", choices=MEMBER_ROLES)})
register_fields("invitation", {"email": Field("E-mail"), "role": Field("Role", "choice", choices=MEMBER_ROLES)})
register_fields(
    "facility",
    {
        "name": Field("Name"),
        "address": Field("Address"),
        "country": Field("Country", "country"),
        "latitude": Field("Latitude", "number", unit="°", places=4),
        "longitude": Field("Longitude", "number", unit="°", places=4),
        "is_collector": Field("Collector", "bool"),
        "is_sorter": Field("Sorter", "bool"),
        "is_recoverer": Field("Recoverer", "bool"),
        "is_end_collector": Field("End collector", "bool"),
        "capacity_t_per_year": Field("Capacity", "number", unit="t/year"),
        "fixed_cost_eur_per_year": Field("Fixed cost", "number", unit="EUR/year"),
        "accepted_materials": Field("Accepted materials", "list"),
    },
)
register_fields(
    "activity",
    {
        "facility": Field("Facility"),
        "process": Field("Process"),
        "yield_ratio": Field("Yield", "share"),
        "cost_eur_per_t": Field("Processing cost", "number", unit="EUR/t"),
        "energy_mj_per_t": Field("Energy", "number", unit="MJ/t"),
        "co2e_kg_per_t": Field("Climate change", "number", unit="kg CO2e/t"),
        "water_m3_per_t": Field("Fresh water", "number", unit="m³/t", places=None),
        "data_source": Field("Data source"),
    },
)
register_fields(
    "descriptionsheet",
    {
        "summary": Field("Summary"),
        "constraints": Field("Constraints"),
        "contact_email": Field("Contact e-mail"),
    },
    fallback=_criterion_field,
)
register_fields(
    "certificate",
    {
        "kind": Field("Kind", "choice", choices=dict(Certificate.Kind.choices)),
        "title": Field("Title"),
        "issuer": Field("Issuer"),
        "valid_until": Field("Valid until", "date"),
        "file": Field("File", "hidden"),
    },
)
register_fields("sheetshare", {"end_collector": Field("End collector")})

register("organization.created", "Created the organisation {target}")
register("organization.changed", "Changed the details of the organisation {target}")
register("membership.created", "Added {new[user]} to the organisation as {new[role]}")
register("membership.changed", "Changed the role of {target} from {old[role]} to {new[role]}", target=member_name)
register("membership.deleted", "Removed {old[user]} ({old[role]}) from the organisation")
register("invitation.created", "Invited {new[email]} to join as {new[role]}")
register("invitation.deleted", "Withdrew the invitation to {old[email]}")
register("facility.created", "Added the facility {target}")
register("facility.changed", "Changed the facility {target}")
register("facility.deleted", "Deleted the facility {target}")
register("activity.created", "Added the activity {target}")
register("activity.changed", "Changed the activity {target}")
register("activity.deleted", "Deleted the activity {target}")
register("sheet.changed", "Changed the description sheet")
register("certificate.created", "Uploaded the certificate {target}")
register("certificate.changed", "Changed the certificate {target}")
register("certificate.deleted", "Deleted the certificate {target}")
register("share.created", "Shared the description sheet with {new[end_collector]}")
register("share.deleted", "Stopped sharing the description sheet with {old[end_collector]}")
