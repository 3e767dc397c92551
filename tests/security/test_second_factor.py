"""Second factor (TOTP through django-otp): setting it up, the code after the password, an organisation making it
mandatory for its admins. Codes are computed from the device's own key with django_otp.oath.totp, as the person's
authenticator app would."""

import re

import pytest
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import LogEntry
from tests.conftest import PASSWORD


def code_for(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):0{device.digits}d}"


def wrong_code_for(device: TOTPDevice) -> str:
    """A 6-digit code that is none of the codes the device accepts now (the current, previous and next steps)."""
    accepted = {totp(device.bin_key, device.step, device.t0, device.digits, drift) for drift in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if n not in accepted)


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def test_totp_algorithm_rfc6238_vector():
    """RFC 6238, appendix B: the SHA-1 key "12345678901234567890" at T = 59 s, 30-s steps, 8 digits gives
    94287082; at T = 1111111109 it gives 07081804."""
    generator = TOTP(b"12345678901234567890", step=30, t0=0, digits=8)
    generator.time = 59
    assert generator.token() == 94287082
    generator.time = 1111111109
    assert generator.token() == 7081804


def test_set_up_shows_the_secret_and_a_qr_code_then_confirms_with_a_code(client_for, world):
    """The set-up page shows the key (base32), the otpauth URI and an inline SVG QR code; the current code from
    that key confirms the device and the session counts as verified."""
    client = client_for(world.editor)
    page = client.get("/accounts/second-factor/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=world.editor)
    assert device.confirmed is False
    text = page.content.decode()
    secret = re.search(r'id="otp-secret">([A-Z2-7]+)<', text).group(1)
    import base64

    assert base64.b32decode(secret) == device.bin_key
    assert "<svg" in text and re.search(r"<script(?![^>]*\bsrc=)", text) is None  # the QR code carries no script
    assert f"otpauth://totp/Closeloop%3Aeditor?secret={secret}&amp;" in text
    response = client.post("/accounts/second-factor/setup/", {"otp_token": code_for(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/o/alu-collect/").status_code == 200  # verified: no detour


def test_a_wrong_code_does_not_confirm_and_names_the_field(client_for, world):
    client = client_for(world.editor)
    client.get("/accounts/second-factor/setup/")
    device = TOTPDevice.objects.get(user=world.editor)
    response = client.post("/accounts/second-factor/setup/", {"otp_token": wrong_code_for(device)})
    assert response.status_code == 200
    assert 'id="field-otp_token"' in response.content.decode()
    assert "This code is not right" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False


def test_after_the_password_a_code_is_asked_before_any_page(client, world):
    """Signed in with the password only: every page sends to the code step (keeping where the person was going);
    the API on the same session answers 403; the right code opens the page."""
    device = confirmed_device(world.editor)
    assert client.post("/accounts/login/", {"username": "editor", "password": PASSWORD}).status_code == 302
    response = client.get("/o/alu-collect/facilities/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/second-factor/verify/?next=/o/alu-collect/facilities/"
    api = client.get("/api/v1/organizations/alu-collect/")
    assert api.status_code == 403 and "code from your authenticator app" in api.json()["detail"]
    assert client.get("/accounts/second-factor/setup/").status_code == 302  # no second device before the code
    done = client.post(
        "/accounts/second-factor/verify/", {"otp_token": code_for(device), "next": "/o/alu-collect/facilities/"}
    )
    assert done.status_code == 302 and done["Location"] == "/o/alu-collect/facilities/"
    assert client.get("/o/alu-collect/facilities/").status_code == 200
    assert client.get("/api/v1/organizations/alu-collect/").status_code == 200


def test_a_wrong_code_keeps_the_page_closed_and_is_logged_without_the_code(client, world, caplog):
    device = confirmed_device(world.editor)
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    wrong = wrong_code_for(device)
    response = client.post("/accounts/second-factor/verify/", {"otp_token": wrong})
    assert response.status_code == 200 and "This code is not right" in response.content.decode()
    assert client.get("/o/alu-collect/").status_code == 302
    assert "second factor: wrong code for account 'editor'" in caplog.text
    assert wrong not in caplog.text


def test_verify_refuses_a_link_to_another_site(client, world):
    device = confirmed_device(world.editor)
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    done = client.post(
        "/accounts/second-factor/verify/", {"otp_token": code_for(device), "next": "https://evil.example.com/"}
    )
    assert done["Location"] == "/"


def test_requiring_a_second_factor_is_admin_only_and_logged(client_for, world):
    """The admin turns the setting on: the history records it (False -> True); an editor's attempt is refused."""
    assert (
        client_for(world.editor).post("/o/alu-collect/security/", {"require_admin_second_factor": "on"}).status_code
        == 403
    )
    world.partner.refresh_from_db()
    assert world.partner.require_admin_second_factor is False
    response = client_for(world.admin).post("/o/alu-collect/security/", {"require_admin_second_factor": "on"})
    assert response.status_code == 302
    world.partner.refresh_from_db()
    assert world.partner.require_admin_second_factor is True
    entry = LogEntry.objects.filter(organization=world.partner, action="organization.changed").get()
    assert entry.actor == world.admin
    assert entry.changes == {"require_admin_second_factor": [False, True]}


def test_when_required_an_admin_without_a_device_is_sent_to_set_one_up(client_for, world):
    """Required by Alu Collect: its admin (no device) is sent to the set-up from any page; its editor is not an
    admin and goes on; once the admin has confirmed a device, pages open."""
    world.partner.require_admin_second_factor = True
    world.partner.save()
    client = client_for(world.admin)
    response = client.get("/o/alu-collect/facilities/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/second-factor/setup/?next=/o/alu-collect/facilities/"
    assert client.post("/o/alu-collect/members/", {"email": "x@example.com", "role": "viewer"}).status_code == 302
    assert not world.partner.invitations.exists()  # the POST was turned away, not performed
    page = client.get("/accounts/second-factor/setup/")
    assert "Alu Collect requires a second factor of its admins" in page.content.decode()
    device = TOTPDevice.objects.get(user=world.admin)
    client.post("/accounts/second-factor/setup/", {"otp_token": code_for(device)})
    assert client.get("/o/alu-collect/facilities/").status_code == 200
    assert client_for(world.editor).get("/o/alu-collect/facilities/").status_code == 200


def test_a_required_second_factor_cannot_be_removed(client_for, world):
    device = confirmed_device(world.admin)
    world.partner.require_admin_second_factor = True
    world.partner.save()
    client = client_for(world.admin)
    client.post("/accounts/second-factor/verify/", {"otp_token": code_for(device)})
    response = client.post("/accounts/second-factor/remove/", {"otp_token": "123456"})
    assert response.status_code == 400
    assert "Alu Collect requires a second factor of its admins" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.admin, confirmed=True).exists()


def test_removing_the_second_factor_takes_a_current_code(client_for, world):
    device = confirmed_device(world.editor)
    client = client_for(world.editor)
    client.post("/accounts/second-factor/verify/", {"otp_token": code_for(device)})
    wrong = client.post("/accounts/second-factor/remove/", {"otp_token": wrong_code_for(device)})
    assert wrong.status_code == 400
    assert TOTPDevice.objects.filter(user=world.editor).exists()
    device.throttle_reset()  # the wrong code above starts django-otp's back-off (1 s); the person would wait
    device.last_t = -1  # the code used to verify may be the current one; a person would wait for the next
    device.save()
    assert client.post("/accounts/second-factor/remove/", {"otp_token": code_for(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.editor).exists()


def test_the_organisation_api_shows_and_changes_the_setting(api_for, world):
    api = api_for(world.admin)
    assert api.get("/api/v1/organizations/alu-collect/").json()["require_admin_second_factor"] is False
    response = api.patch("/api/v1/organizations/alu-collect/", {"require_admin_second_factor": True}, format="json")
    assert response.status_code == 200 and response.json()["require_admin_second_factor"] is True
    editor = api_for(world.editor).patch(
        "/api/v1/organizations/alu-collect/", {"require_admin_second_factor": False}, format="json"
    )
    assert editor.status_code == 403


ACTORS = ["admin", "editor", "viewer", "auditor", "stranger", "shared_member", "unshared_member", "anonymous"]
LOGIN = "login"
PAGES = [
    # Every signed-in person has their own second factor; the organisation's setting is its admins'.
    ("get", "/accounts/second-factor/", [200, 200, 200, 200, 200, 200, 200, LOGIN]),
    ("get", "/accounts/second-factor/setup/", [200, 200, 200, 200, 200, 200, 200, LOGIN]),
    ("get", "/accounts/second-factor/verify/", [302, 302, 302, 302, 302, 302, 302, LOGIN]),  # no device: nothing
    ("post", "/accounts/second-factor/remove/", [302, 302, 302, 302, 302, 302, 302, LOGIN]),  # no device: nothing
    ("get", "/o/alu-collect/security/", [200, 403, 403, 403, 404, 404, 404, LOGIN]),
    ("post", "/o/alu-collect/security/", [302, 403, 403, 403, 404, 404, 404, LOGIN]),
]


@pytest.mark.parametrize(
    "method,url,actor,expected",
    [pytest.param(m, u, a, e, id=f"{m} {u} {a}") for m, u, row in PAGES for a, e in zip(ACTORS, row, strict=True)],
)
def test_page_permissions(world, client_for, method, url, actor, expected):
    client = client_for(world.user(actor))
    response = getattr(client, method)(url, {"require_admin_second_factor": ""} if method == "post" else {})
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


def test_the_admin_site_asks_for_the_code_too(client, db):
    """A staff member with a device who signs in on /admin/login/ reaches /admin/ only after the code."""
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    device = confirmed_device(boss)
    assert client.post("/admin/login/", {"username": "boss", "password": PASSWORD}).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/second-factor/verify/?next=/admin/"
    client.post("/accounts/second-factor/verify/", {"otp_token": code_for(device), "next": "/admin/"})
    assert client.get("/admin/").status_code == 200


def test_wrong_codes_slow_down_the_next_tries(client, world):
    """django-otp's back-off: after 5 wrong codes in a row the device waits 2**4 = 16 s before it checks another, so
    even the right code is turned away at once, with the reason on the code field."""
    from django.utils import timezone

    device = confirmed_device(world.editor)
    device.throttling_failure_count = 5
    device.throttling_failure_timestamp = timezone.now()
    device.save()
    client.post("/accounts/login/", {"username": "editor", "password": PASSWORD})
    response = client.post("/accounts/second-factor/verify/", {"otp_token": code_for(device)})
    assert response.status_code == 200
    assert response.context["form"].errors["otp_token"] == [
        "Too many wrong codes; wait a few seconds, then enter the current code."
    ]
    assert client.get("/o/alu-collect/").status_code == 302


def test_staff_remove_a_lost_authenticator_app_without_seeing_its_key(client_for, world):
    """A superuser deletes the editor's device in /admin/; the pages never show the
    key, and there is no form to add or change one."""
    from django.contrib.auth import get_user_model

    boss = get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    lost = confirmed_device(world.editor)
    client = client_for(boss)
    listing = client.get("/admin/otp_totp/totpdevice/")
    assert listing.status_code == 200 and "editor" in listing.content.decode()
    page = client.get(f"/admin/otp_totp/totpdevice/{lost.pk}/change/")
    assert page.status_code == 200 and lost.key not in page.content.decode()
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    response = client.post(f"/admin/otp_totp/totpdevice/{lost.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.editor).exists()
