"""Production refuses an e-mail backend that delivers nothing (partners/checks.py): with the console backend, the
default, invitations would only reach the worker's log."""

import pytest
from django.core import checks

from tests.test_settings import PRODUCTION, manage

CONSOLE = "django.core.mail.backends.console.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize("backend", [CONSOLE, LOCMEM, "django.core.mail.backends.dummy.EmailBackend"])
def test_a_backend_that_delivers_nothing_is_an_error_when_debug_is_off(settings, backend):
    from partners.checks import email_is_delivered

    settings.DEBUG, settings.EMAIL_BACKEND = False, backend
    (error,) = email_is_delivered()
    assert error.level == checks.ERROR and error.id == "partners.E001"
    assert error.msg.startswith(f"EMAIL_BACKEND is {backend}, which ")
    assert error.msg.endswith(": invitations would never reach anybody.")
    assert "EMAIL_URL" in error.hint


def test_smtp_or_debug_passes(settings):
    from partners.checks import email_is_delivered

    settings.DEBUG, settings.EMAIL_BACKEND = False, SMTP
    assert email_is_delivered() == []
    settings.DEBUG, settings.EMAIL_BACKEND = True, CONSOLE  # development: mails in the console are the point
    assert email_is_delivered() == []


def test_production_without_e_mail_settings_does_not_start():
    """The README's production environment without EMAIL_URL: every `manage.py check` fails (not only --deploy),
    so `migrate` refuses to run too."""
    env = {k: v for k, v in PRODUCTION.items() if k != "EMAIL_URL"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"(partners.E001) EMAIL_BACKEND is {CONSOLE}, which writes e-mails to the worker's log" in result.stderr


@pytest.mark.parametrize(
    "env, expected",
    [
        (
            {"EMAIL_URL": "smtp+tls://closeloop:secret@mail.example.com:587"},
            [SMTP, "mail.example.com", 587, "closeloop", "secret", True, False],
        ),
        (
            {
                "EMAIL_HOST": "mail.example.com",
                "EMAIL_PORT": "465",
                "EMAIL_HOST_USER": "closeloop",
                "EMAIL_HOST_PASSWORD": "secret",
                "EMAIL_USE_SSL": "1",
            },
            [SMTP, "mail.example.com", 465, "closeloop", "secret", False, True],
        ),
        ({}, [CONSOLE, "localhost", 25, "", "", False, False]),
    ],
)
def test_the_e_mail_settings_of_the_readme(env, expected):
    names = [
        "EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_HOST_USER",
        "EMAIL_HOST_PASSWORD",
        "EMAIL_USE_TLS",
        "EMAIL_USE_SSL",
    ]
    code = f"from django.conf import settings as s; print(repr([getattr(s, n) for n in {names!r}]))"
    result = manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == repr(expected)
