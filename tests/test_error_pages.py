"""Error pages as visitors see them with DEBUG off (as in `make demo` and production; pytest-django runs the tests
with DEBUG off too): Closeloop's own pages in the site's layout, never Django's debug pages, and the failure's
traceback in the console log."""

import io
import logging

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def _console_streams():
    """The stream handlers a record of `django.request` reaches under settings.LOGGING."""
    handlers, logger = [], logging.getLogger("django.request")
    while logger:
        handlers += [h for h in logger.handlers if isinstance(h, logging.StreamHandler)]
        logger = logger.parent if logger.propagate else None
    return handlers


def test_debug_is_off_here():
    assert settings.DEBUG is False


def test_a_missing_page_shows_the_friendly_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Not found</h1>" in page and 'class="container-fluid site-header"' in page
    assert "Page not found at" not in page and "URLconf" not in page


@pytest.mark.urls("tests.error_urls")
def test_an_exception_shows_the_friendly_500_page_and_logs_the_traceback(world):
    """The visitor sees the 500 page in the site's layout, without the error's text; the console gets one
    ERROR line for the request with the whole traceback."""
    console = io.StringIO()
    handlers = _console_streams()
    assert handlers, "LOGGING sends django.request nowhere"
    previous = [h.setStream(console) for h in handlers]
    try:
        client = Client(raise_request_exception=False)
        client.force_login(world.editor)
        response = client.get("/broken/")
    finally:
        for handler, stream in zip(handlers, previous):
            handler.setStream(stream)
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Something went wrong</h1>" in page and 'class="container-fluid site-header"' in page
    assert "ZeroDivisionError" not in page and "deliberate" not in page
    logged = console.getvalue()
    assert logged.count("ERROR django.request: Internal Server Error: /broken/") == 1
    assert "Traceback (most recent call last):" in logged
    assert "ZeroDivisionError: a deliberate failure for the error-page test" in logged


def test_a_request_for_an_unknown_host_shows_the_friendly_400_page(client):
    response = client.get("/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Bad request</h1>" in page and 'class="container-fluid site-header"' in page


def test_a_refused_action_shows_the_friendly_403_page(world, client_for):
    """The viewer opening the facility form: the reason in words, in the site's layout."""
    response = client_for(world.viewer).get("/o/alu-collect/facilities/new/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>Not allowed</h1>" in page and "Your role in this organisation does not allow this." in page


def test_a_form_without_its_csrf_token_shows_the_friendly_expired_form_page(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "editor", "password": "whatever"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>This form has expired</h1>" in page and 'class="container-fluid site-header"' in page
    assert "CSRF verification failed" not in page
