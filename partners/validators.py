"""Validation shared by forms, the API, the admin and services."""

from django.conf import settings
from django.core.exceptions import ValidationError

from .certificates import detect as sniff_certificate_type  # noqa: F401  (read from the content, see there)
from .certificates import name_mismatch


def _size(n: int, *, exact: bool = False) -> str:
    """A byte count for people: '101 bytes', '20 KB', '10 MB' (`exact`: no decimal when whole), '10.5 MB'."""
    for unit, factor in (("MB", 1_048_576), ("KB", 1024)):
        if n >= factor:
            amount = n / factor
            return f"{amount:.0f} {unit}" if exact and amount == int(amount) else f"{amount:.1f} {unit}"
    return f"{n} bytes"


def validate_certificate_file(file) -> None:
    limit = settings.CERTIFICATE_MAX_BYTES
    if file.size > limit:
        raise ValidationError(
            f"The file is {_size(file.size)}; certificates may be at most {_size(limit, exact=True)}.",
            code="too_large",
        )
    if file.size == 0:
        raise ValidationError("The file is empty.", code="empty")
    detected = sniff_certificate_type(file)
    if detected is None:
        raise ValidationError("Certificates must be PDF, PNG or JPEG files.", code="file_type")
    if getattr(file, "_committed", True) is False:  # a new upload: its name must not contradict its content
        mismatch = name_mismatch(getattr(file, "name", ""), detected)
        if mismatch:
            raise ValidationError(mismatch, code="file_name")


NUL_MESSAGE = "Remove the NUL character (an invisible control character) from this text."


def refuse_nul_characters(obj) -> None:
    """ValidationError naming every text field of a model instance that holds a NUL character, which PostgreSQL
    cannot store. Forms and serializers refuse NUL already; services check again before they save."""
    from django.db import models

    errors = {}
    for field in obj._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(obj, field.attname, None)
            if isinstance(value, str) and "\x00" in value:
                errors[field.name] = NUL_MESSAGE
    if errors:
        raise ValidationError(errors)
