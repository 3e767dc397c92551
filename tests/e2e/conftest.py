"""Browser journeys: Playwright for Python driving Debian's Chromium (never a downloaded browser).

Without /usr/bin/chromium the journeys skip with the reason, except under REQUIRE_SERVICES=1 (CI), where they fail.
Screenshots go to test-output/<test name>/ in the project folder.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
OUTPUT = Path(settings.BASE_DIR) / "test-output"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = "Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium)"
        if settings.REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the tests' own ORM calls stay synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def page(browser, live_server):
    """A fresh page that may only reach the live server: map tiles and anything else outside are refused."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, base_url=live_server.url)
    allowed = live_server.url

    def route(r):
        if r.request.url.startswith(allowed):
            return r.continue_()
        return r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    yield page
    context.close()


@pytest.fixture
def output_dir(request) -> Path:
    folder = OUTPUT / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
