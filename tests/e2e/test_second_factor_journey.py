"""On a 360-px phone: an admin whose organisation requires a second factor is sent to set one up at the first
sign-in, scans (here: reads) the key, confirms with a code; the next sign-in asks for a code. A locked account
shows why. No page scrolls sideways and no script error occurs."""

import base64

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD, make_org, make_user
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone(page):
    page.set_viewport_size({"width": 360, "height": 780})


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_required_second_factor_on_a_phone(page, output_dir):
    org = make_org("Alu Collect", "alu-collect")
    org.require_admin_second_factor = True
    org.save()
    admin = make_user("admin")
    org.memberships.create(user=admin, role="admin")
    phone(page)

    sign_in(page, "admin", PASSWORD)
    assert "/accounts/second-factor/setup/" in page.url
    assert "Alu Collect requires a second factor of its admins" in page.inner_text("main")
    assert page.locator("#otp-qr svg").count() == 1
    page.screenshot(path=str(output_dir / "setup-360.png"), full_page=True)
    no_sideways_scroll(page)

    page.click("text=Cannot scan? Type the key instead")
    key = base64.b32decode(page.inner_text("#otp-secret").strip())
    page.fill("#id_otp_token", f"{totp(key):06d}")
    page.click("button:has-text('Confirm')")
    page.wait_for_load_state()
    assert page.url.endswith("/o/alu-collect/")
    assert "Second factor on" in page.inner_text("main")

    page.click("#site-menu > summary")  # on a phone, Sign out sits in the folded menu
    page.click("text=Sign out admin")
    page.wait_for_load_state()
    # A person signing in again waits for the app's next code; the test lets that time pass by forgetting which
    # code was used last, instead of sleeping up to 30 s.
    TOTPDevice.objects.filter(user=admin).update(last_t=-1)
    sign_in(page, "admin", PASSWORD)
    assert "/accounts/second-factor/verify/" in page.url
    page.screenshot(path=str(output_dir / "verify-360.png"), full_page=True)
    no_sideways_scroll(page)
    page.fill("#id_otp_token", f"{totp(key):06d}")
    page.click("button:has-text('Continue')")
    page.wait_for_load_state()
    assert page.url.endswith("/o/alu-collect/")
    assert page.js_errors == []


def test_locked_account_on_a_phone(page, output_dir, settings):
    settings.AXES_FAILURE_LIMIT = 2
    make_user("editor")
    phone(page)
    for _ in range(2):
        sign_in(page, "editor", "wrong-password-123")
    sign_in(page, "editor", PASSWORD)
    message = page.inner_text("#lockout-message")
    assert message.startswith("Too many failed sign-ins for this account; try again in 15 minutes")
    page.screenshot(path=str(output_dir / "locked-360.png"), full_page=True)
    no_sideways_scroll(page)
