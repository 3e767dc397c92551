"""Sign-in lock-out: what a person sees, and what the log says, when django-axes refuses a sign-in.

django-axes counts failed sign-ins per account (AXES_LOCKOUT_PARAMETERS = username) on every form that calls
`authenticate()` with the request: the portal's sign-in page and the Django admin's. After LOGIN_FAILURE_LIMIT failures
in a row the account is refused, even with the right password, for LOGIN_LOCKOUT_MINUTES counted from the last
failure. This module answers that refusal: the sign-in page again (or JSON under /api/) with the reason and the
minutes left, status 429 with Retry-After, and one warning in the log naming the account and the client address,
never the password.
"""

import logging
import math

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone

logger = logging.getLogger(__name__)


def lockout_message(minutes: int) -> str:
    return (
        f"Too many failed sign-ins for this account; try again in {minutes} minute{'s' if minutes != 1 else ''}"
        " or ask an administrator to lift the lock."
    )


def minutes_left(username: str) -> int:
    """Whole minutes (rounded up, at least 1) until the account's lock-out ends: the cool-off counts from the last
    failed attempt."""
    from axes.models import AccessAttempt

    cooloff = settings.AXES_COOLOFF_TIME
    last = (
        AccessAttempt.objects.filter(username=username)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    if last is None:
        return max(1, math.ceil(cooloff.total_seconds() / 60))
    remaining = (last + cooloff - timezone.now()).total_seconds()
    return max(1, math.ceil(remaining / 60))


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the refusal, with its reason, for people and for API clients."""
    from axes.helpers import get_client_ip_address, get_client_username

    username = get_client_username(request, credentials) or ""
    minutes = minutes_left(username)
    message = lockout_message(minutes)
    logger.warning(
        "sign-in refused: account %r is locked after %d failed attempts (%d minute(s) left), client %s, path %s",
        username,
        settings.AXES_FAILURE_LIMIT,
        minutes,
        get_client_ip_address(request),
        request.path,
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(
            request,
            "registration/locked_out.html",
            {"message": message, "admin_site": request.path.startswith("/admin/")},
            status=429,
        )
    response["Retry-After"] = str(minutes * 60)
    return response
