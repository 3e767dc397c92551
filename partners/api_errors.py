"""Turns ApplicationError, Django's ValidationError, PermissionDenied, Http404 and a refused request body into
readable API answers (JSON, never an HTML page)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from .errors import ApplicationError
from .models import AppendOnlyError
from .validators import _size


def _too_big_message() -> str:
    return (
        f"The request body is larger than {_size(settings.DATA_UPLOAD_MAX_MEMORY_SIZE, exact=True)}, the most "
        "the server accepts."
    )


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        detail = {"detail": exc.message, **exc.field_errors} if exc.field_errors else {"detail": exc.message}
        status = exc.status
        exc = exceptions.APIException(detail)
        exc.status_code = status
        response = drf_exception_handler(exc, context)
        response.status_code = status  # 400 for bad input, 409 for a change an approved scenario refuses
        return response
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()}
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, RequestDataTooBig):
        exc = exceptions.ParseError(_too_big_message())
    elif isinstance(exc, TooManyFieldsSent):
        exc = exceptions.ParseError("The request has more fields than the server accepts.")
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError("The request could not be read.")
    elif isinstance(exc, AppendOnlyError):
        exc = exceptions.MethodNotAllowed("DELETE", detail=str(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


def page_not_found(request, exception):
    """The project's 404 handler: under /api/ a path that names no view answers JSON like every other refusal of
    the API (the schema documents it so); elsewhere Django's page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "No such path in the API; see /api/docs/."}, status=404)
    return defaults.page_not_found(request, exception)
