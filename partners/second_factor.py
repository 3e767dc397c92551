"""Second factor (TOTP, django-otp): who must give one, and the gate that sends people to give it.

- Anyone may add an authenticator app (a TOTP device) to their account; once it is confirmed with a code, every
  sign-in with the password is followed by a code before any page opens (the verify step).
- An organisation's admins may make a second factor mandatory for its admins. An admin of such an organisation who
  has no confirmed device is sent to set one up before any other page: the account is protected as a whole, since
  the same session reaches every organisation the person belongs to, and the pages of studies and scenarios are
  addressed by id rather than by organisation.

API requests signed with a token do not pass this gate (the token is its own credential, created by staff); API
requests riding on a browser session do, and are answered 403 until the code is given.
"""

from urllib.parse import quote

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import MemberRole, Membership

VERIFY_MESSAGE = "Enter the code from your authenticator app first."
SETUP_MESSAGE = "An organisation you administer requires a second factor for its admins; set one up first."


def confirmed_device(user) -> TOTPDevice | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def required_by(user) -> list[str]:
    """Names of the organisations where the user is an admin and which require a second factor of their admins."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(
            user=user, role=MemberRole.ADMIN, organization__require_admin_second_factor=True
        ).values_list("organization__name", flat=True)
    )


def device_pending(user) -> TOTPDevice:
    """The user's unconfirmed device (its secret shown until confirmed), made the first time it is asked for."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def device_confirm(user, device: TOTPDevice) -> None:
    """A code from the app matched: the device counts from now on, and any other pending one goes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()


def device_remove(user) -> None:
    TOTPDevice.objects.filter(user=user).delete()


def _open(path: str, page: str) -> bool:
    """Paths a person held at `page` may still reach: that page, signing in and out, static files."""
    return path.startswith("/static/") or path in {reverse("login"), reverse("logout"), reverse(page)}


class SecondFactorMiddleware:
    """After OTPMiddleware: a signed-in user whose session is not yet verified is sent to the verify step (when
    they have a device) or to the set-up (when an organisation they administer requires one)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path_info.startswith("/static/"):
            page = self._held_at(user)
            if page and not _open(request.path_info, page):
                return self._send(request, page, VERIFY_MESSAGE if page == "second-factor-verify" else SETUP_MESSAGE)
        return self.get_response(request)

    @staticmethod
    def _held_at(user) -> str | None:
        if user_has_device(user, confirmed=True):
            return None if user.is_verified() else "second-factor-verify"
        return "second-factor-setup" if required_by(user) else None

    @staticmethod
    def _send(request, url_name: str, message: str):
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        target = reverse(url_name)
        if request.method == "GET":
            target += "?next=" + quote(request.get_full_path())
        return redirect(target)
