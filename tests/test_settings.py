"""Settings come from the environment and fail loudly on a bad value; production settings pass check --deploy."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x" * 40 + "-production-secret-key-for-the-test",
    "ALLOWED_HOSTS": "closeloop.example.com",
    "EMAIL_URL": "smtp+tls://closeloop:mail-password@mail.example.com:587",  # the README's production e-mail
}


def manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_secret_key_required_when_debug_is_off():
    result = manage("check", DEBUG="0", ALLOWED_HOSTS="closeloop.example.com")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_malformed_boolean_stops_the_start():
    result = manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_malformed_database_url_stops_the_start():
    result = manage("check", DATABASE_URL="notadb://whatever")
    assert result.returncode != 0
    assert "notadb" in result.stderr


def test_circuity_below_one_stops_the_start():
    result = manage("check", CIRCUITY_RAIL="0.9")
    assert result.returncode != 0
    assert "CIRCUITY_RAIL=0.9 is below 1" in result.stderr


def test_unknown_default_transport_mode_stops_the_start():
    result = manage("check", DEFAULT_TRANSPORT_MODE="air")
    assert result.returncode != 0
    assert "DEFAULT_TRANSPORT_MODE='air'" in result.stderr


def test_each_mode_has_a_circuity_factor_and_its_source():
    # Road 1.3 from DOMAIN.md (Newell 1980; O'Sullivan 1996); the other modes reuse it and say so.
    assert settings.CIRCUITY_FACTORS == {"road": 1.3, "rail": 1.3, "inland_waterway": 1.3, "sea": 1.3}
    assert set(settings.CIRCUITY_SOURCES) == set(settings.CIRCUITY_FACTORS)
    assert "Newell 1980" in settings.CIRCUITY_SOURCES["road"]


def test_make_demo_serves_with_debug_off_and_collected_static_files():
    """`make demo` runs the server as production does (DEBUG=0, so the friendly error pages), with the static files
    collected for WhiteNoise first, and only plain-http allowances (no HTTPS redirect, no secure-only cookies)."""
    import re
    import shutil

    import pytest

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry_run = subprocess.run(["make", "-n", "demo"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60)
    assert dry_run.returncode == 0, dry_run.stderr
    serve = next(line for line in dry_run.stdout.splitlines() if "manage.py runserver" in line)
    assert re.search(r"\bDEBUG=0\b", serve) and "ALLOWED_HOSTS=127.0.0.1," in serve
    assert "SECURE_SSL_REDIRECT=0" in serve and "SESSION_COOKIE_SECURE=0" in serve
    lines = dry_run.stdout.splitlines()
    collect = next(i for i, line in enumerate(lines) if "manage.py collectstatic" in line)
    assert collect < lines.index(serve)


def test_make_demo_environment_passes_the_system_checks():
    """The demo's DEBUG=0 environment must pass `manage.py check`: the e-mail check (partners.E001) refuses the
    console backend when DEBUG is off, so the demo writes its e-mails to files (demo-mail/). Before that, `make demo`
    stopped at `migrate` with partners.E001."""
    import os
    import shlex
    import shutil
    import sys

    import pytest

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    dry_run = subprocess.run(["make", "-n", "demo"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=60)
    migrate = next(line for line in dry_run.stdout.splitlines() if "manage.py migrate" in line)
    words = shlex.split(migrate.split("manage.py")[0].replace('"$(', "'").replace(')"', "'"))
    demo_env = dict(word.split("=", 1) for word in words if "=" in word and not word.startswith("-"))
    assert demo_env["EMAIL_URL"].startswith("filemail:")
    demo_env["SECRET_KEY"] = "x" * 60  # the Makefile makes a random one at each start
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}} | demo_env
    check = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert check.returncode == 0, check.stdout + check.stderr
