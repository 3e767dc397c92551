"""Numbers and text bounded as the model says, with messages in the user's words, for forms and serializers.

A model field already knows its bounds: a DecimalField's digits give its largest value, its validators the least
and the most, a CharField its length. `form_field()` and `serializer_field()` build the input fields from that, so
that every form and every API body refuses what the model would (and text with a NUL character), naming the field
and its unit: "Capacity must be at most 9,999,999,999.99 t/year" rather than "Ensure that there are no more than
10 digits before the decimal point".
"""

import math
import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from rest_framework import serializers

NOT_UNITS = {"output/input"}  # said in brackets after a name, but not a unit to repeat after a figure
_UNIT = re.compile(r"^(?P<label>.*?)\s*\((?P<unit>[^()]*)\)\s*$")


def label_and_unit(field: models.Field, name: str | None = None) -> tuple[str, str]:
    """("Capacity", "t/year") from the verbose name "capacity (t/year)" (or `name`, a form's label); the unit is ""
    when none is given."""
    name = str(name or field.verbose_name)
    match = _UNIT.match(name)
    label, unit = (match["label"], match["unit"]) if match else (name, "")
    if unit in NOT_UNITS:
        unit = ""
    return label[:1].upper() + label[1:], unit


def plain(value) -> str:
    """1234567.5 -> "1,234,567.5"; 0.0001 -> "0.0001" (no exponent, no trailing zeros)."""
    value = Decimal(value)
    text = (
        format(value.normalize(), ",f")
        if value == value.to_integral_value() or abs(value) >= 1
        else format(value.normalize(), "f")
    )
    return text


def limits(field: models.Field) -> tuple[Decimal | None, Decimal | None]:
    """The least and the most value the model accepts: its validators, and for a DecimalField what its digits hold."""
    low = high = None
    for validator in field.validators:
        if isinstance(validator, MinValueValidator) and not callable(validator.limit_value):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        elif isinstance(validator, MaxValueValidator) and not callable(validator.limit_value):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    if isinstance(field, models.DecimalField):
        step = Decimal(1).scaleb(-field.decimal_places)
        most = Decimal(10) ** (field.max_digits - field.decimal_places) - step
        high = most if high is None else min(Decimal(high), most)
        low = -most if low is None else low
    return (None if low is None else Decimal(low), None if high is None else Decimal(high))


def number_messages(field: models.Field, name: str | None = None) -> dict[str, str]:
    """Error messages naming the field (or `name`), its bounds and its unit, keyed as Django's and DRF's number
    fields key them (max_digits and max_whole_digits are 'too large' to people)."""
    label, unit = label_and_unit(field, name)
    unit = f" {unit}" if unit else ""
    low, high = limits(field)
    result = {"invalid": f"{label} must be a number."}
    if high is not None:
        too_large = f"{label} must be at most {plain(high)}{unit}."
        result.update(max_value=too_large, max_digits=too_large, max_whole_digits=too_large)
    if low is not None:
        step = Decimal(1).scaleb(-field.decimal_places) if isinstance(field, models.DecimalField) else None
        if low > 0 and step is not None and low == step:
            result["min_value"] = f"{label} must be above 0{unit}."
        else:
            result["min_value"] = f"{label} must be at least {plain(low)}{unit}."
    if isinstance(field, models.DecimalField):
        places = field.decimal_places
        result["max_decimal_places"] = (
            f"{label} takes at most {places} decimal{'s' if places != 1 else ''}."
            if places
            else f"{label} must be a whole number."
        )
    return result


def form_field(model: type[models.Model], name: str, **kwargs) -> forms.Field:
    """The form field of a model field, with its bounds and messages in the user's words."""
    field = model._meta.get_field(name)
    form = field.formfield(**kwargs)
    humanise_form_field(form, field)
    return form


def humanise_form_field(form: forms.Field, field: models.Field, *, lower: bool = True) -> forms.Field:
    """Bounds and messages of a model's number field onto a form field built from it (fields_for_model), named by
    the form's label. `lower=False` leaves the least value to the service (whose message may say more)."""
    if isinstance(form, (forms.DecimalField, forms.IntegerField, forms.FloatField)):
        low, high = limits(field)
        if high is not None and (form.max_value is None or high < form.max_value):
            form.max_value = high
            form.validators.append(MaxValueValidator(high))
            form.widget.attrs["max"] = str(high)
        if lower and low is not None and (form.min_value is None or low > form.min_value):
            form.min_value = low
            form.validators.append(MinValueValidator(low))
            form.widget.attrs["min"] = str(low)
        # Django %-formats the messages of validators (they carry params); "invalid" is shown as it is.
        form.error_messages.update(
            {
                code: message if code == "invalid" else message.replace("%", "%%")
                for code, message in number_messages(field, form.label).items()
            }
        )
    _humanise_text(form, field)
    return form


def _humanise_text(form: forms.Field, field: models.Field) -> None:
    if isinstance(form, forms.CharField) and getattr(field, "max_length", None):
        label, _ = label_and_unit(field, form.label)
        form.error_messages["max_length"] = f"{label} must be at most {field.max_length} characters long.".replace(
            "%", "%%"
        )


def humanise_form(form: forms.Form, model: type[models.Model], names=None, *, lower: bool = True) -> None:
    """humanise_form_field() for each named (default: every) field of the form the model has."""
    for name in names or list(form.fields):
        try:
            field = model._meta.get_field(name)
        except Exception:  # a form field the model does not have (roles, a choice of facility...)
            continue
        if name in form.fields:
            humanise_form_field(form.fields[name], field, lower=lower)


def _drf(messages: dict[str, str]) -> dict[str, str]:
    """DRF hands min, max and length messages to Django's validators, which %-format them; the others it formats
    with str.format, where a % is plain."""
    return {
        code: message.replace("%", "%%") if code in ("min_value", "max_value", "max_length") else message
        for code, message in messages.items()
    }


def serializer_field(model: type[models.Model], name: str, **kwargs) -> serializers.Field:
    """An input field of an API body: the model field's type, bounds and length, messages naming it. Numbers go
    in and out as JSON numbers (a DecimalField is not coerced to a string)."""
    field = model._meta.get_field(name)
    if isinstance(field, models.DecimalField):
        low, high = limits(field)
        kwargs.setdefault("min_value", low)
        kwargs.setdefault("max_value", high)
        kwargs["error_messages"] = _drf({**number_messages(field), **kwargs.get("error_messages", {})})
        return serializers.DecimalField(
            max_digits=field.max_digits, decimal_places=field.decimal_places, coerce_to_string=False, **kwargs
        )
    if isinstance(field, models.IntegerField):
        low, high = limits(field)
        kwargs.setdefault("min_value", None if low is None else int(low))
        kwargs.setdefault("max_value", None if high is None else int(high))
        kwargs["error_messages"] = _drf({**number_messages(field), **kwargs.get("error_messages", {})})
        return serializers.IntegerField(**kwargs)
    if isinstance(field, (models.CharField, models.TextField)):
        if field.max_length:
            kwargs.setdefault("max_length", field.max_length)
        kwargs.setdefault("allow_blank", field.blank)
        label, _ = label_and_unit(field)
        if field.max_length:
            kwargs["error_messages"] = _drf(
                {
                    "max_length": f"{label} must be at most {field.max_length} characters long.",
                    **kwargs.get("error_messages", {}),
                }
            )
        return serializers.CharField(**kwargs)  # DRF refuses NUL characters in every CharField
    raise TypeError(f"serializer_field() does not handle {type(field).__name__} ({model.__name__}.{name})")


class FiniteFloatField(serializers.FloatField):
    """A JSON number: true, false, NaN and infinities are refused (400 on the field), as are numbers beyond
    `min_value` / `max_value` (with the messages given)."""

    default_error_messages = {"invalid": "A finite number is required."}

    def __init__(self, **kwargs):
        if "error_messages" in kwargs:
            kwargs["error_messages"] = _drf(kwargs["error_messages"])
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("invalid")
        value = super().to_internal_value(data)
        if not math.isfinite(value):
            self.fail("invalid")
        return value
