"""Pages of the second factor (TOTP): set up an authenticator app, give a code after the password, remove it; and
an organisation's setting that makes it mandatory for its admins."""

import logging
from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import services
from .second_factor import confirmed_device, device_confirm, device_pending, device_remove, required_by
from .views import org_context, org_view, submit

logger = logging.getLogger(__name__)


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label="Code from your authenticator app",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]{6}", "autofocus": True}
        ),
        error_messages={
            "min_length": "The code has 6 digits.",
            "max_length": "The code has 6 digits.",
            "required": "Enter the 6-digit code.",
        },
    )

    def clean_otp_token(self):
        code = self.cleaned_data["otp_token"].strip()
        if not code.isdigit():
            raise forms.ValidationError("The code has 6 digits.")
        return code


class SecondFactorSettingForm(forms.Form):
    require_admin_second_factor = forms.BooleanField(
        label="Require a second factor for admins",
        required=False,
        help_text="Admins without an authenticator app are sent to set one up before they can do anything else.",
    )
    approver_not_submitter = forms.BooleanField(
        label="The approver of a scenario must not be its submitter",
        required=False,
        help_text="Another admin approves a scenario than the person who submitted it.",
    )


def _next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


def _check(device: TOTPDevice, form: CodeForm) -> bool:
    """Verify the form's code on the device; on refusal put the reason on the code field."""
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        logger.warning(
            "second factor: code refused for account %r, wrong codes in a row: %s",
            device.user.get_username(),
            device.throttling_failure_count,
        )
        form.add_error("otp_token", "Too many wrong codes; wait a few seconds, then enter the current code.")
        return False
    if device.verify_token(form.cleaned_data["otp_token"]):
        return True
    logger.warning("second factor: wrong code for account %r", device.user.get_username())
    form.add_error("otp_token", "This code is not right; enter the code your app shows now.")
    return False


def _qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (segno writes only path elements; no script, no text of ours)."""
    return segno.make(uri, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


@login_required
def second_factor(request):
    """The person's second factor: whether it is on, and why it may be required."""
    return render(
        request,
        "registration/second_factor.html",
        {"device": confirmed_device(request.user), "required_by": required_by(request.user), "form": CodeForm()},
    )


@login_required
def second_factor_setup(request):
    """Show a new secret (QR code, text and otpauth URI) and confirm it with a code from the app."""
    if confirmed_device(request.user) is not None:
        messages.info(request, "Your account already has an authenticator app; remove it first to change it.")
        return redirect("second-factor")
    device = device_pending(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(device, form):
        device_confirm(request.user, device)
        otp_login(request, device)
        logger.info("second factor: account %r confirmed an authenticator app", request.user.get_username())
        messages.success(request, "Second factor on: after your password you will be asked for a code.")
        return redirect(_next(request))
    uri = device.config_url
    return render(
        request,
        "registration/second_factor_setup.html",
        {
            "form": form,
            "qr_svg": mark_safe(_qr_svg(uri)),
            "otpauth_uri": uri,
            "secret": b32encode(device.bin_key).decode(),
            "required_by": required_by(request.user),
            "next": request.GET.get("next", ""),
        },
    )


@login_required
def second_factor_verify(request):
    """After the password: the code from the app, before any other page."""
    device = confirmed_device(request.user)
    if device is None or request.user.is_verified():
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _check(device, form):
        otp_login(request, device)
        return redirect(_next(request))
    return render(
        request,
        "registration/second_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@require_POST
@login_required
def second_factor_remove(request):
    """Remove the authenticator app, with a current code; refused while an organisation requires one."""
    device = confirmed_device(request.user)
    if device is None:
        return redirect("second-factor")
    form = CodeForm(request.POST)
    orgs = required_by(request.user)
    if orgs:
        form.add_error(None, f"{', '.join(orgs)} requires a second factor of its admins; it cannot be removed.")
    elif form.is_valid() and _check(device, form):
        device_remove(request.user)
        logger.info("second factor: account %r removed its authenticator app", request.user.get_username())
        messages.success(request, "Second factor removed.")
        return redirect("second-factor")
    return render(
        request, "registration/second_factor.html", {"device": device, "required_by": orgs, "form": form}, status=400
    )


@org_view("admin")
def organization_security(request, org):
    """An admin's settings: require a second factor of this organisation's admins; require that a scenario's
    approver is not its submitter (both logged in the history)."""
    form = SecondFactorSettingForm(
        request.POST or None,
        initial={
            "require_admin_second_factor": org.require_admin_second_factor,
            "approver_not_submitter": org.approver_not_submitter,
        },
    )
    if request.method == "POST" and form.is_valid():
        done = submit(
            form, lambda: services.organization_update(user=request.user, organization=org, **form.cleaned_data)
        )
        if done:
            messages.success(
                request,
                "Second factor for admins: "
                + ("required" if org.require_admin_second_factor else "not required")
                + "; approver other than the submitter: "
                + ("required." if org.approver_not_submitter else "not required."),
            )
            return redirect("organization-security", slug=org.slug)
    return render(request, "partners/organization_security.html", org_context(request, org, form=form))
