"""The Content-Security-Policy header (django-csp, config/settings.py) and the markup it relies on: pages carry no
inline script, no style attribute and no on* handler, so the policy can forbid them all.

The expected directives are the policy README's "Security model" states, written out by hand here.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.settings import tile_image_source
from partners.maps import ROLE_COLOURS

EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:", "https://tile.openstreetmap.org"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def directives(response) -> dict[str, set[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, "no Content-Security-Policy header"
    parsed = {}
    for part in header.split(";"):
        name, *sources = part.split()
        parsed[name] = set(sources)
    return parsed


class InlineCode(HTMLParser):
    """Collects what a strict policy refuses: <script> without src (JSON data blocks are fine), <style> elements,
    style attributes, on* handler attributes and javascript: links."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.found.append(f"inline <script> {attrs}")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs.items():
            if name == "style":
                self.found.append(f"style attribute on <{tag}>: {value}")
            if name.startswith("on"):
                self.found.append(f"{name} handler on <{tag}>: {value}")
            if name == "href" and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"javascript: link {value}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_every_directive_of_the_policy_on_the_login_page(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert directives(response) == EXPECTED


def test_the_policy_allows_no_inline_code_nor_eval_anywhere():
    for sources in EXPECTED.values():
        assert not sources & {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'"}


@pytest.mark.parametrize(
    "who, name, args",
    [
        ("editor", "sheet", ["alu-collect"]),
        ("editor", "facilities", ["alu-collect"]),
        ("editor", "facility-new", ["alu-collect"]),
        ("editor", "facility-edit", ["alu-collect", "FACILITY"]),
        ("editor", "certificate-new", ["alu-collect"]),
        ("editor", "sheet-edit", ["alu-collect"]),
        ("admin", "members", ["alu-collect"]),
        ("admin", "shares", ["alu-collect"]),
        ("auditor", "history", ["alu-collect"]),
        ("shared_member", "partners", ["forge-works"]),
        ("shared_member", "sheet", ["alu-collect"]),
        ("shared_member", "facility", ["alu-collect", "FACILITY"]),
    ],
)
def test_pages_carry_the_policy_and_no_inline_code(world, client_for, who, name, args):
    """Every map page used to carry django-leaflet's inline <script>, the legend and the dots style attributes."""
    args = [world.facility.pk if a == "FACILITY" else a for a in args]
    response = client_for(world.user(who)).get(reverse(name, args=args))
    assert response.status_code == 200
    assert directives(response) == EXPECTED
    assert inline_code(response.content.decode()) == []


def test_map_pages_start_their_maps_from_data_attributes(world, client_for):
    html = client_for(world.shared_member).get(reverse("partners", args=["forge-works"])).content.decode()
    assert 'id="partners-map"' in html and 'data-map-ready="showFacilities"' in html
    assert "data-leaflet=" in html and "closeloop/map_init.js" in html
    assert "L.Map.djangoMap" not in html  # no longer written into the page


def test_htmx_is_told_not_to_inject_its_indicator_style(client):
    html = client.get(reverse("login")).content.decode()
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false, "allowEval": false' in html


def test_api_docs_load_their_start_up_script_from_a_url(client, world):
    client.force_login(world.editor)
    response = client.get(reverse("api-docs"))
    html = response.content.decode()
    assert directives(response) == EXPECTED
    assert inline_code(html) == []
    assert '<script src="/api/docs/?script="></script>' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_browsable_api_pages_allow_drf_inline_styles_but_no_inline_script(world, client_for):
    """DRF's own templates carry style attributes (config/api_renderers.py); JSON keeps the plain policy."""
    client = client_for(world.editor)
    url = reverse("api-facilities", args=["alu-collect"])
    page = directives(client.get(url, HTTP_ACCEPT="text/html"))
    assert page["style-src"] == {"'self'", "'unsafe-inline'"}
    assert page["script-src"] == {"'self'"}
    assert directives(client.get(url, HTTP_ACCEPT="application/json")) == EXPECTED


@pytest.mark.parametrize(
    "url, source",
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("http://tiles.example.org:8080/{z}/{x}/{y}.png", "http://tiles.example.org:8080"),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("", None),
    ],
)
def test_tile_host_becomes_an_image_source(url, source):
    assert tile_image_source(url) == source


@pytest.mark.parametrize(
    "url",
    ["ftp://tiles.example.org/{z}.png", "https://{a}.example.org/{z}.png", "tile.openstreetmap.org/{z}/{x}/{y}.png"],
)
def test_a_tile_url_the_policy_cannot_name_stops_the_start(url):
    with pytest.raises(ImproperlyConfigured, match="MAP_TILES_URL"):
        tile_image_source(url)


def test_role_colours_of_the_stylesheet_are_the_maps_colours():
    """Dots and legends take their colour from a role class (no style attribute): the same as the map markers."""
    css = (Path(settings.BASE_DIR) / "static/closeloop/closeloop.css").read_text()
    found = dict(re.findall(r"\.role-(\w+) \{ --c: (#[0-9a-f]{6}); \}", css))
    assert found == {role.value: colour for role, colour in ROLE_COLOURS.items()}


def test_error_pages_carry_the_policy_and_no_inline_code(world, client_for):
    """404 for what another tenant may not see (settings.DEBUG is off in tests, so django-csp does not skip it)."""
    response = client_for(world.stranger).get(reverse("sheet", args=["alu-collect"]))
    assert response.status_code == 404
    assert directives(response) == EXPECTED
    assert inline_code(response.content.decode()) == []
