"""Who gets what from every endpoint and method of the partners API (pretix style permission table).

The organisation under test is Alu Collect (tests/conftest.py). Its members are admin, editor, viewer and
auditor; shared is a member of Forge Works, an end collector Alu Collect shares with; unshared is a member of
Press Co, an end collector without a share; stranger is the admin of another partner.

Reads: sharers read sheet, facilities, activities and certificates, never members, invitations, shares or
history. Writes: editors change data, admins also members, invitations, sharing and the organisation itself.
Outsiders get 404 whatever they try (they must not learn the organisation exists), anonymous callers 401.
Every refused request leaves the log as it was; every accepted write adds to it.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from partners import services
from partners.models import Facility, Invitation, LogEntry, Membership, SheetShare
from tests import permission_tables

ACTORS = ["admin", "editor", "viewer", "auditor", "shared_member", "unshared_member", "stranger", "anonymous"]

TABLE = """
endpoint          method  admin editor viewer auditor shared unshared stranger anonymous
organizations     GET     200   200    200    200     200    200      200      401
organizations     POST    405   405    405    405     405    405      405      401
organization      GET     200   200    200    200     200    404      404      401
organization      PATCH   200   403    403    403     403    404      404      401
end-collectors    GET     200   200    200    200     200    200      200      401
materials         GET     200   200    200    200     200    200      200      401
processes         GET     200   200    200    200     200    200      200      401
criteria          GET     200   200    200    200     200    200      200      401
memberships       GET     200   200    200    200     404    404      404      401
membership        GET     200   200    200    200     404    404      404      401
membership        PATCH   200   403    403    403     403    404      404      401
membership        DELETE  204   403    403    403     403    404      404      401
invitations       GET     200   200    200    200     404    404      404      401
invitations       POST    201   403    403    403     403    404      404      401
invitation        GET     200   200    200    200     404    404      404      401
invitation        DELETE  204   403    403    403     403    404      404      401
facilities        GET     200   200    200    200     200    404      404      401
facilities        POST    201   201    403    403     403    404      404      401
facility          GET     200   200    200    200     200    404      404      401
facility          PUT     200   200    403    403     403    404      404      401
facility          PATCH   200   200    403    403     403    404      404      401
facility          DELETE  204   204    403    403     403    404      404      401
activities        GET     200   200    200    200     200    404      404      401
activities        POST    201   201    403    403     403    404      404      401
activity          GET     200   200    200    200     200    404      404      401
activity          PATCH   200   200    403    403     403    404      404      401
activity          DELETE  204   204    403    403     403    404      404      401
sheet             GET     200   200    200    200     200    404      404      401
sheet             PATCH   200   200    403    403     403    404      404      401
certificates      GET     200   200    200    200     200    404      404      401
certificates      POST    201   201    403    403     403    404      404      401
certificate       GET     200   200    200    200     200    404      404      401
certificate       PATCH   200   200    403    403     403    404      404      401
certificate       DELETE  204   204    403    403     403    404      404      401
certificate-file  GET     200   200    200    200     200    404      404      401
shares            GET     200   200    200    200     404    404      404      401
shares            POST    201   403    403    403     403    404      404      401
share             GET     200   200    200    200     404    404      404      401
share             DELETE  204   403    403    403     403    404      404      401
history           GET     200   200    200    200     404    404      404      401
history           POST    405   405    405    405     405    404      404      401
history           PUT     405   405    405    405     405    404      404      401
history           PATCH   405   405    405    405     405    404      404      401
history           DELETE  405   405    405    405     405    404      404      401
"""

PDF = b"%PDF-1.4\n%%EOF\n"


def _rows():
    columns = ["admin", "editor", "viewer", "auditor", "shared", "unshared", "stranger", "anonymous"]
    return permission_tables.rows(TABLE, columns, ACTORS)


@pytest.fixture
def objects(world):
    """The rows the detail endpoints address, beyond those of the world."""
    certificate = services.certificate_create(
        user=world.admin,
        organization=world.partner,
        kind="licence",
        title="Permit",
        file=SimpleUploadedFile("permit.pdf", PDF, content_type="application/pdf"),
    )
    invitation = Invitation.objects.create(
        organization=world.partner,
        email="invitee@example.com",
        role="viewer",
        token="a-test-token",
        invited_by=world.admin,
    )
    return {
        "membership": Membership.objects.get(user=world.auditor, organization=world.partner),
        "invitation": invitation,
        "facility": world.facility,
        "activity": world.activity,
        "certificate": certificate,
        "certificate-file": certificate,
        "share": SheetShare.objects.get(organization=world.partner, end_collector=world.shared_ec),
    }


FACILITY = {
    "name": "Hamburg sorting",
    "country": "DE",
    "latitude": 53.55,
    "longitude": 9.99,
    "roles": ["sorter"],
    "capacity_t_per_year": 5000,
    "accepted_materials": ["al-wheels"],
}

BODIES = {
    ("organization", "PATCH"): {"website": "https://alu.example"},
    ("membership", "PATCH"): {"role": "viewer"},
    ("invitations", "POST"): {"email": "newcomer@example.com", "role": "viewer"},
    ("facilities", "POST"): FACILITY,
    ("facility", "PUT"): {**FACILITY, "name": "Stuttgart yard"},
    ("facility", "PATCH"): {"capacity_t_per_year": 1300},
    ("activity", "PATCH"): {"yield_ratio": 0.8},
    ("sheet", "PATCH"): {"summary": "Aluminium parts from dismantlers."},
    ("certificate", "PATCH"): {"title": "Operating permit"},
    ("shares", "POST"): {"end_collector": "press-co"},
}

GLOBAL = {"organizations", "end-collectors", "materials", "processes", "criteria"}


def _request(world, objects, endpoint, method):
    """(url, body, format) for one row of the table."""
    if endpoint in GLOBAL:
        return reverse(f"api-{endpoint}"), None, "json"
    kwargs = {"slug": world.partner.slug}
    if endpoint in objects:
        kwargs["pk"] = objects[endpoint].pk
    url = reverse(f"api-{endpoint}", kwargs=kwargs)
    if (endpoint, method) == ("activities", "POST"):
        body = {"facility": world.facility.pk, "process": "shredding", "yield_ratio": 0.9, "cost_eur_per_t": 10}
    elif (endpoint, method) == ("certificates", "POST"):
        file = SimpleUploadedFile("iso.pdf", PDF, content_type="application/pdf")
        return url, {"kind": "iso14001", "title": "ISO 14001", "file": file}, "multipart"
    else:
        body = BODIES.get((endpoint, method), {} if method in ("POST", "PUT", "PATCH") else None)
    return url, body, "json"


@pytest.mark.parametrize("endpoint, method, actor, expected", list(_rows()))
def test_permission_table(world, objects, api_for, endpoint, method, actor, expected):
    url, body, fmt = _request(world, objects, endpoint, method)
    log_before = LogEntry.objects.count()
    response = getattr(api_for(world.user(actor)), method.lower())(url, body, format=fmt)
    assert response.status_code == expected, getattr(response, "data", response)
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"
    if expected == 404:
        assert response.json()["detail"] == "No such organisation."
    if method != "GET":
        grew = LogEntry.objects.count() > log_before
        assert grew == (expected in (200, 201, 204)), "accepted writes are logged, refused ones write nothing"


def test_table_covers_every_api_route_and_method():
    """A new endpoint or method without its row in the table fails here."""
    from partners import api_urls

    assert permission_tables.served_methods(api_urls.urlpatterns) == permission_tables.table_methods(TABLE)


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_an_id_of_another_tenant_is_not_found_through_ones_own_organisation(world, api_for, method):
    """The stranger administers Other Metals; Alu Collect's facility id does not work through that slug."""
    url = reverse("api-facility", kwargs={"slug": world.other.slug, "pk": world.facility.pk})
    response = getattr(api_for(world.stranger), method)(url, {"name": "Taken"}, format="json")
    assert response.status_code == 404
    assert Facility.objects.get(pk=world.facility.pk).name == "Stuttgart yard"


def test_a_reader_is_refused_before_the_body_is_read(world, api_for):
    """A viewer sending nonsense learns nothing about validation: 403, not 400."""
    url = reverse("api-facilities", kwargs={"slug": world.partner.slug})
    response = api_for(world.viewer).post(url, {"latitude": "north"}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role in this organisation does not allow this change."}


def test_a_demoted_admin_loses_admin_endpoints(world, api_for):
    editor_membership = Membership.objects.get(user=world.editor)
    admin_api = api_for(world.admin)
    url = reverse("api-membership", kwargs={"slug": world.partner.slug, "pk": editor_membership.pk})
    assert admin_api.patch(url, {"role": "admin"}, format="json").status_code == 200
    own = Membership.objects.get(user=world.admin)
    own_url = reverse("api-membership", kwargs={"slug": world.partner.slug, "pk": own.pk})
    assert admin_api.patch(own_url, {"role": "viewer"}, format="json").status_code == 200
    shares = reverse("api-shares", kwargs={"slug": world.partner.slug})
    assert admin_api.post(shares, {"end_collector": "press-co"}, format="json").status_code == 403
    assert admin_api.get(shares).status_code == 200
    assert list(SheetShare.objects.values_list("end_collector__slug", flat=True)) == ["forge-works"]


def test_schema_and_docs_are_served(client):
    schema = client.get(reverse("schema"))
    assert schema.status_code == 200
    assert b"/api/v1/organizations/{slug}/facilities/" in schema.content
    assert client.get(reverse("api-docs")).status_code == 200


def test_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    assert "operationId: organizations_facilities_list" in (tmp_path / "schema.yml").read_text()
