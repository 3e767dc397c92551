"""Sign-in lock-out (django-axes, per account): the portal's sign-in page and the Django admin's.

Settings in these tests: LOGIN_FAILURE_LIMIT (AXES_FAILURE_LIMIT) 3 and a 15-minute cool-off, so the figures are
worked out by hand: three wrong passwords lock the account; the fourth attempt, with the right password, is refused
with "try again in 15 minutes"; two wrong passwords followed by the right one sign in.
"""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import PASSWORD

WRONG = "not-the-password-1234"


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)


def _sign_in(client, username, password, url="/accounts/login/"):
    return client.post(url, {"username": username, "password": password})


def test_before_the_limit_the_right_password_still_signs_in(client, world):
    """Two failures (below the limit of 3), then the right password: signed in (302 to the portal)."""
    for _ in range(2):
        assert _sign_in(client, "editor", WRONG).status_code == 200
    response = _sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302
    assert client.get("/").status_code in (200, 302)
    assert "_auth_user_id" in client.session


def test_after_the_limit_the_right_password_is_refused_with_the_reason(client, world, caplog):
    """Three failures lock the account: the right password is then answered 429 with the reason and the minutes
    (15, the cool-off), nobody is signed in, and the log names the account but never the password."""
    caplog.set_level(logging.DEBUG)
    assert [_sign_in(client, "editor", WRONG).status_code for _ in range(3)] == [200, 200, 429]
    response = _sign_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == str(15 * 60)
    text = response.content.decode()
    assert "Too many failed sign-ins for this account; try again in 15 minutes" in text
    assert "_auth_user_id" not in client.session
    locked = [r.getMessage() for r in caplog.records if r.name == "partners.security"]
    assert locked and "'editor'" in locked[0] and "locked" in locked[0]
    assert all(WRONG not in repr(r.__dict__) + r.getMessage() for r in caplog.records)
    assert all(PASSWORD not in repr(r.__dict__) + r.getMessage() for r in caplog.records)
    stored = AccessAttempt.objects.get(username="editor")  # what axes keeps of the attempts: no password either
    assert WRONG not in stored.post_data and PASSWORD not in stored.post_data


def test_the_lock_is_per_account(client, world):
    """Another account signs in while the first is locked."""
    for _ in range(3):
        _sign_in(client, "editor", WRONG)
    assert _sign_in(client, "viewer", PASSWORD).status_code == 302


def test_the_lock_expires_after_the_cool_off(client, world):
    """The failures were 16 minutes ago (the clock moved on by dating them back): past the 15-minute cool-off, so
    the right password signs in again."""
    for _ in range(3):
        _sign_in(client, "editor", WRONG)
    assert _sign_in(client, "editor", PASSWORD).status_code == 429
    AccessAttempt.objects.filter(username="editor").update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _sign_in(client, "editor", PASSWORD).status_code == 302


def test_minutes_left_count_from_the_last_failure(client, world):
    """Last failure 10 minutes 30 s ago, 15-minute cool-off: 4.5 minutes left, shown rounded up as 5."""
    for _ in range(3):
        _sign_in(client, "editor", WRONG)
    AccessAttempt.objects.filter(username="editor").update(
        attempt_time=timezone.now() - timedelta(minutes=10, seconds=30)
    )
    response = _sign_in(client, "editor", PASSWORD)
    assert "try again in 5 minutes" in response.content.decode()


def test_an_administrator_lifts_the_lock(client, world):
    """`manage.py axes_reset_username editor` lifts the lock at once."""
    for _ in range(3):
        _sign_in(client, "editor", WRONG)
    call_command("axes_reset_username", "editor")
    assert _sign_in(client, "editor", PASSWORD).status_code == 302


def test_the_admin_site_login_is_locked_too(client, db):
    """The Django admin's sign-in counts the same way: 3 failures, then the staff member's right password is
    refused with the reason."""
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    for _ in range(2):
        assert _sign_in(client, "boss", WRONG, "/admin/login/").status_code == 200
    assert _sign_in(client, "boss", WRONG, "/admin/login/").status_code == 429  # the failure that locks
    response = _sign_in(client, "boss", PASSWORD, "/admin/login/")
    assert response.status_code == 429
    assert "Too many failed sign-ins for this account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_api_tokens_are_created_by_staff_only(world):
    """No URL serves DRF's password-for-token view (ObtainAuthToken), so there is no token endpoint to throttle:
    tokens come from the `drf_create_token` command only."""
    from django.urls import get_resolver
    from rest_framework.authtoken.views import ObtainAuthToken

    def views(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from views(pattern.url_patterns)
            else:
                yield getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)

    served = [view for view in views(get_resolver().url_patterns) if isinstance(view, type)]
    assert len(served) > 50  # the walk does reach the API's views
    assert not [view for view in served if issubclass(view, ObtainAuthToken)]


def test_a_successful_sign_in_resets_the_count(client, world):
    """2 failures, a success, then 2 more failures: never 3 in a row, so the right password still works."""
    for _ in range(2):
        _sign_in(client, "editor", WRONG)
    assert _sign_in(client, "editor", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    assert [_sign_in(client, "editor", WRONG).status_code for _ in range(2)] == [200, 200]
    assert _sign_in(client, "editor", PASSWORD).status_code == 302
