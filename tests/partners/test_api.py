"""The partners REST API, version 1: round trips, filters, pagination, authentication and refused input.

Every refusal answers 400 with the offending field named in the JSON and leaves the database as it was
(row counts and the append-only log unchanged). The world is the one of tests/conftest.py.
"""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from partners.models import (
    Activity,
    Certificate,
    CriterionValue,
    Facility,
    Invitation,
    LogEntry,
    Membership,
    SheetShare,
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

NEW_FACILITY = {
    "name": "Hamburg sorting",
    "address": "Hafenstrasse 1, Hamburg",
    "country": "DE",
    "latitude": 53.5511,
    "longitude": 9.9937,
    "roles": ["recoverer", "sorter"],
    "capacity_t_per_year": 5000,
    "accepted_materials": ["al-wheels", "al-vehicle-parts"],
}


def url(name, org="alu-collect", **kwargs):
    return reverse(name, kwargs={"slug": org, **kwargs})


def pdf(name="iso.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


class Unchanged:
    """Counts rows of the given models and of the log, to assert a refused request wrote nothing."""

    def __init__(self, *models):
        self.models = (*models, LogEntry)
        self.before = self.counts()

    def counts(self):
        return {model.__name__: model.objects.count() for model in self.models}

    def __bool__(self):
        return self.counts() == self.before


# ---------------------------------------------------------------- organisations, directory, catalogues


def test_organizations_list_member_and_shared(world, api_for):
    api = api_for(world.shared_member)
    body = api.get(reverse("api-organizations")).json()
    assert body["count"] == 2
    assert body["results"] == [
        {
            "slug": "alu-collect",
            "name": "Alu Collect",
            "country": "DE",
            "website": "",
            "is_end_collector": False,
            "require_admin_second_factor": False,
            "approver_not_submitter": False,
            "my_role": None,
            "access": "shared",
        },
        {
            "slug": "forge-works",
            "name": "Forge Works",
            "country": "DE",
            "website": "",
            "is_end_collector": True,
            "require_admin_second_factor": False,
            "approver_not_submitter": False,
            "my_role": "admin",
            "access": "member",
        },
    ]
    shared = api.get(reverse("api-organizations"), {"access": "shared"}).json()["results"]
    member = api.get(reverse("api-organizations"), {"access": "member"}).json()["results"]
    assert [o["slug"] for o in shared] == ["alu-collect"]
    assert [o["slug"] for o in member] == ["forge-works"]
    assert api.get(reverse("api-organizations"), {"access": "everything"}).status_code == 400


def test_organizations_list_of_a_viewer_holds_only_own(world, api_for):
    body = api_for(world.viewer).get(reverse("api-organizations")).json()
    assert [(o["slug"], o["my_role"], o["access"]) for o in body["results"]] == [("alu-collect", "viewer", "member")]


def test_organization_patch_by_admin(world, api_for):
    api = api_for(world.admin)
    response = api.patch(url("api-organization"), {"website": "https://alu.example", "country": "AT"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "slug": "alu-collect",
        "name": "Alu Collect",
        "country": "AT",
        "website": "https://alu.example",
        "is_end_collector": False,
        "require_admin_second_factor": False,
        "approver_not_submitter": False,
        "my_role": "admin",
        "access": "member",
    }
    world.partner.refresh_from_db()
    assert (world.partner.country.code, world.partner.website) == ("AT", "https://alu.example")
    entry = LogEntry.objects.get(action="organization.changed")
    assert entry.changes == {"country": ["DE", "AT"], "website": ["", "https://alu.example"]}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"country": "XX"}, "country"),
        ({"name": "Other Metals"}, "name"),
        ({"website": "not a url"}, "website"),
    ],
)
def test_organization_patch_refused(world, api_for, body, field):
    unchanged = Unchanged()
    response = api_for(world.admin).patch(url("api-organization"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert unchanged
    world.partner.refresh_from_db()
    assert (world.partner.name, world.partner.country.code, world.partner.website) == ("Alu Collect", "DE", "")


def test_end_collector_directory(world, api_for):
    body = api_for(world.viewer).get(reverse("api-end-collectors")).json()
    assert body["results"] == [{"slug": "forge-works", "name": "Forge Works"}, {"slug": "press-co", "name": "Press Co"}]


def test_catalogues(world, api_for):
    api = api_for(world.stranger)
    materials = api.get(reverse("api-materials")).json()
    assert materials["count"] == 9
    assert {
        "code": "al-wheels",
        "name": "Aluminium wheels",
        "family": "aluminium",
        "description": "Cast wheels from vehicle dismantling.",
    } in materials["results"]
    processes = api.get(reverse("api-processes")).json()
    assert processes["count"] == 14
    assert {
        "code": "shredding",
        "name": "Shredding",
        "stage": "sorting",
        "description": "Size reduction of scrap.",
    } in processes["results"]
    criteria = api.get(reverse("api-criteria")).json()
    assert criteria["count"] == 10
    assert criteria["results"][1] == {
        "code": "delivery-on-time",
        "name": "Delivery on time",
        "unit": "%",
        "higher_is_better": True,
        "min_value": 0.0,
        "max_value": 100.0,
        "description": "Share of deliveries on the agreed date.",
    }
    assert api.post(reverse("api-materials"), {"code": "x"}, format="json").status_code == 405


# ---------------------------------------------------------------- facilities


def test_facility_round_trip(world, api_for):
    api = api_for(world.editor)
    created = api.post(url("api-facilities"), NEW_FACILITY, format="json")
    assert created.status_code == 201, created.json()
    facility_id = created.json()["id"]
    expected = {
        "id": facility_id,
        "organization": "alu-collect",
        "name": "Hamburg sorting",
        "address": "Hafenstrasse 1, Hamburg",
        "country": "DE",
        "latitude": 53.5511,
        "longitude": 9.9937,
        "roles": ["sorter", "recoverer"],
        "capacity_t_per_year": 5000.0,
        "fixed_cost_eur_per_year": 0.0,  # not given: no fixed cost
        "accepted_materials": ["al-vehicle-parts", "al-wheels"],  # ordered by the catalogue's names
        "activities": [],
    }
    assert created.json() == expected
    assert api.get(url("api-facility", pk=facility_id)).json() == expected
    created_entry = LogEntry.objects.get(action="facility.created")
    assert (created_entry.actor, created_entry.target_id) == (world.editor, str(facility_id))

    patched = api.patch(
        url("api-facility", pk=facility_id), {"roles": ["sorter"], "capacity_t_per_year": 6000}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert patched.json() == {**expected, "roles": ["sorter"], "capacity_t_per_year": 6000.0}
    changed = LogEntry.objects.get(action="facility.changed")
    assert changed.changes == {"capacity_t_per_year": ["5000", "6000"], "is_recoverer": [True, False]}

    replaced = api.put(
        url("api-facility", pk=facility_id),
        {
            "name": "Hamburg hub",
            "country": "de",
            "latitude": 53.5,
            "longitude": 10,
            "roles": ["collector"],
            "capacity_t_per_year": 100,
        },
        format="json",
    )
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json() == {
        **expected,
        "name": "Hamburg hub",
        "address": "",
        "latitude": 53.5,
        "longitude": 10.0,
        "roles": ["collector"],
        "capacity_t_per_year": 100.0,
        "accepted_materials": [],
    }
    stored = Facility.objects.get(pk=facility_id)
    assert (stored.name, stored.latitude, stored.accepted_materials.count()) == ("Hamburg hub", Decimal("53.5"), 0)

    assert api.delete(url("api-facility", pk=facility_id)).status_code == 204
    assert api.get(url("api-facility", pk=facility_id)).status_code == 404
    assert list(Facility.objects.values_list("name", flat=True)) == ["Stuttgart yard"]
    assert LogEntry.objects.filter(action="facility.deleted", target_id=str(facility_id)).count() == 1


def test_facility_detail_renders_nested_activities(world, api_for):
    body = api_for(world.shared_member).get(url("api-facility", pk=world.facility.pk)).json()
    assert body["name"] == "Stuttgart yard"
    assert (body["latitude"], body["longitude"], body["roles"]) == (48.7758, 9.1829, ["collector"])
    assert body["activities"] == [
        {
            "id": world.activity.pk,
            "facility": world.facility.pk,
            "process": "dismantling",
            "yield_ratio": 0.85,
            "cost_eur_per_t": 40.0,
            "energy_mj_per_t": 0.0,
            "co2e_kg_per_t": 0.0,
            "water_m3_per_t": 0.0,
            "data_source": "",
        }
    ]


def test_facility_of_another_organisation_is_not_found_through_this_one(world, api_for):
    theirs = Facility.objects.create(
        organization=world.other,
        name="Elsewhere",
        country="FR",
        latitude=45,
        longitude=4,
        is_sorter=True,
        capacity_t_per_year=10,
    )
    api = api_for(world.admin)
    assert api.get(url("api-facility", pk=theirs.pk)).status_code == 404
    assert api.patch(url("api-facility", pk=theirs.pk), {"name": "Mine"}, format="json").status_code == 404
    assert api.delete(url("api-facility", pk=theirs.pk)).status_code == 404
    assert Facility.objects.get(pk=theirs.pk).name == "Elsewhere"


def _facility(org, name, country, **roles):
    return Facility.objects.create(
        organization=org, name=name, country=country, latitude=50, longitude=8, capacity_t_per_year=10, **roles
    )


def test_facility_filters_and_search(world, api_for):
    _facility(world.partner, "Hamburg sorter", "DE", is_sorter=True)
    lyon = _facility(world.partner, "Lyon recovery", "FR", is_sorter=True, is_recoverer=True)
    lyon.accepted_materials.set([])
    api = api_for(world.viewer)

    def names(**params):
        response = api.get(url("api-facilities"), params)
        assert response.status_code == 200, response.json()
        return [f["name"] for f in response.json()["results"]]

    assert names() == ["Hamburg sorter", "Lyon recovery", "Stuttgart yard"]
    assert names(role="sorter") == ["Hamburg sorter", "Lyon recovery"]
    assert names(role="recoverer") == ["Lyon recovery"]
    assert names(role="collector") == ["Stuttgart yard"]
    assert names(role="end_collector") == []
    assert names(country="fr") == ["Lyon recovery"]
    assert names(country="DE", role="sorter") == ["Hamburg sorter"]
    assert names(search="yard") == ["Stuttgart yard"]
    assert names(ordering="-name") == ["Stuttgart yard", "Lyon recovery", "Hamburg sorter"]
    response = api.get(url("api-facilities"), {"role": "wizard"})
    assert response.status_code == 400
    assert "role" in response.json()


def test_facility_filter_by_material(world, api_for):
    world.facility.accepted_materials.set([])
    api_for(world.editor).patch(
        url("api-facility", pk=world.facility.pk), {"accepted_materials": ["al-wheels"]}, format="json"
    )
    _facility(world.partner, "Hamburg sorter", "DE", is_sorter=True)
    body = api_for(world.viewer).get(url("api-facilities"), {"material": "al-wheels"}).json()
    assert [(f["name"], f["accepted_materials"]) for f in body["results"]] == [("Stuttgart yard", ["al-wheels"])]


def test_facility_list_is_paginated(world, api_for):
    Facility.objects.bulk_create(
        Facility(
            organization=world.partner,
            name=f"Depot {n:02d}",
            country="DE",
            latitude=50,
            longitude=8,
            is_collector=True,
            capacity_t_per_year=1,
        )
        for n in range(54)
    )
    api = api_for(world.auditor)
    first = api.get(url("api-facilities")).json()
    assert first["count"] == 55
    assert len(first["results"]) == 50
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/organizations/alu-collect/facilities/?page=2"
    assert first["results"][0]["name"] == "Depot 00"
    second = api.get(first["next"]).json()
    assert [f["name"] for f in second["results"]] == ["Depot 50", "Depot 51", "Depot 52", "Depot 53", "Stuttgart yard"]
    assert second["next"] is None
    assert api.get(url("api-facilities"), {"page": 3}).status_code == 404


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"latitude": 91}, "latitude", "Latitude must be at most 90."),
        ({"latitude": -91}, "latitude", "Latitude must be at least -90."),
        ({"longitude": 181}, "longitude", "Longitude must be at most 180."),
        ({"longitude": -180.5}, "longitude", "Longitude must be at least -180."),
        ({"capacity_t_per_year": -1}, "capacity_t_per_year", "Capacity must be above 0 t/year."),
        ({"capacity_t_per_year": 0}, "capacity_t_per_year", "Capacity must be above 0 t/year."),
        ({"capacity_t_per_year": 1e10}, "capacity_t_per_year", "Capacity must be at most 9,999,999,999.99 t/year."),
        ({"name": "x" * 161}, "name", "Name must be at most 160 characters long."),
        ({"name": "Hamburg\u0000sorting"}, "name", "Null characters are not allowed."),
        ({"accepted_materials": ["al-wheels", "unobtainium"]}, "accepted_materials", "Unknown material: unobtainium."),
        ({"roles": []}, "roles", "Choose at least one role."),
        ({"latitude": "north"}, "latitude", "Latitude must be a number."),
        ({"latitude": 48.1234567}, "latitude", "Latitude takes at most 6 decimals."),
        ({"country": "XX"}, "country", '"XX" is not a valid choice.'),
    ],
)
def test_facility_create_refused(world, api_for, change, field, message):
    unchanged = Unchanged(Facility)
    response = api_for(world.editor).post(url("api-facilities"), {**NEW_FACILITY, **change}, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert unchanged


def test_facility_create_refuses_unknown_role_and_duplicate_name(world, api_for):
    unchanged = Unchanged(Facility)
    api = api_for(world.editor)
    unknown_role = api.post(url("api-facilities"), {**NEW_FACILITY, "roles": ["wizard"]}, format="json")
    assert unknown_role.status_code == 400
    assert unknown_role.json()["roles"] == {"0": ['"wizard" is not a valid choice.']}
    duplicate = api.post(url("api-facilities"), {**NEW_FACILITY, "name": "Stuttgart yard"}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json() == {
        "detail": "Facility names are unique within an organisation.",
        "name": ["Alu Collect already has a facility called Stuttgart yard."],
    }
    assert unchanged


@pytest.mark.parametrize(
    "change, field",
    [
        ({"latitude": 91}, "latitude"),
        ({"capacity_t_per_year": -0.01}, "capacity_t_per_year"),
        ({"accepted_materials": ["unobtainium"]}, "accepted_materials"),
    ],
)
def test_facility_patch_refused_keeps_the_row(world, api_for, change, field):
    world.facility.accepted_materials.set([])
    unchanged = Unchanged(Facility)
    response = api_for(world.admin).patch(url("api-facility", pk=world.facility.pk), change, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert unchanged
    world.facility.refresh_from_db()
    assert (world.facility.latitude, world.facility.capacity_t_per_year) == (Decimal("48.775800"), Decimal("1200"))
    assert world.facility.accepted_materials.count() == 0


def test_malformed_json_and_huge_ids_never_answer_500(world, api_for):
    api = api_for(world.admin)
    broken = api.generic("POST", url("api-facilities"), '{"name": ', content_type="application/json")
    assert broken.status_code == 400
    not_a_number = api.generic("POST", url("api-facilities"), '{"latitude": NaN}', content_type="application/json")
    assert not_a_number.status_code == 400
    assert api.get(url("api-facility", pk=2**70)).status_code == 404
    assert api.post(url("api-facilities"), [1, 2], format="json").status_code == 400


@pytest.mark.parametrize(
    "endpoint, body, field",
    [
        ("api-facilities", {**NEW_FACILITY, "latitude": "1e400"}, "latitude"),
        ("api-facilities", {**NEW_FACILITY, "roles": None}, "roles"),
        ("api-facilities", {**NEW_FACILITY, "name": "x" * 161}, "name"),
        ("api-facilities", {**NEW_FACILITY, "capacity_t_per_year": 10**12}, "capacity_t_per_year"),
        (
            "api-activities",
            {"facility": 1, "process": "shredding", "yield_ratio": 0.5, "cost_eur_per_t": "1e9"},
            "cost_eur_per_t",
        ),
        ("api-shares", {"end_collector": ""}, "end_collector"),
        ("api-invitations", {"email": ["a@example.com"], "role": "viewer"}, "email"),
    ],
)
def test_odd_bodies_are_refused_with_the_field_named(world, api_for, endpoint, body, field):
    unchanged = Unchanged(Facility)
    response = api_for(world.admin).post(url(endpoint), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert unchanged


@pytest.mark.parametrize(
    "body, field",
    [({"values": ["price", 1]}, "values"), ({"values": {"price": 10**15}}, "values"), ({"summary": None}, "summary")],
)
def test_odd_sheet_bodies_are_refused(world, api_for, body, field):
    unchanged = Unchanged(CriterionValue)
    response = api_for(world.editor).patch(url("api-sheet"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert unchanged


@pytest.mark.parametrize(
    "params, status",
    [({"facility": "abc"}, 400), ({"page": "0"}, 400), ({"page": "x"}, 400), ({"process": "nothing"}, 200)],
)
def test_odd_query_parameters_are_refused(world, api_for, params, status):
    assert api_for(world.viewer).get(url("api-activities"), params).status_code == status


# ---------------------------------------------------------------- activities

NEW_ACTIVITY = {
    "process": "shredding",
    "yield_ratio": 0.92,
    "cost_eur_per_t": 25.5,
    "energy_mj_per_t": 310,
    "co2e_kg_per_t": 12.345,
    "water_m3_per_t": 0.5,
    "data_source": "Plant records 2024",
}


def test_activity_create_and_patch(world, api_for):
    api = api_for(world.editor)
    created = api.post(url("api-activities"), {"facility": world.facility.pk, **NEW_ACTIVITY}, format="json")
    assert created.status_code == 201, created.json()
    activity_id = created.json()["id"]
    assert created.json() == {
        "id": activity_id,
        "facility": world.facility.pk,
        **NEW_ACTIVITY,
        "energy_mj_per_t": 310.0,
    }
    assert LogEntry.objects.filter(action="activity.created", target_id=str(activity_id)).count() == 1

    patched = api.patch(
        url("api-activity", pk=activity_id), {"yield_ratio": 0.9, "process": "colour-sorting"}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["yield_ratio"], patched.json()["process"]) == (0.9, "colour-sorting")
    assert LogEntry.objects.get(action="activity.changed").changes == {
        "process": ["Shredding", "Colour sorting / etching"],
        "yield_ratio": ["0.92", "0.9"],
    }
    listed = api.get(url("api-activities"), {"facility": world.facility.pk}).json()
    assert [a["process"] for a in listed["results"]] == ["dismantling", "colour-sorting"]
    nested = api.get(url("api-facility", pk=world.facility.pk)).json()["activities"]
    assert [a["id"] for a in nested] == [world.activity.pk, activity_id]

    assert api.delete(url("api-activity", pk=activity_id)).status_code == 204
    assert list(Activity.objects.values_list("pk", flat=True)) == [world.activity.pk]


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"yield_ratio": 0}, "yield_ratio", "Yield must be above 0."),
        ({"yield_ratio": 1.2}, "yield_ratio", "Yield must be at most 1."),
        ({"cost_eur_per_t": -5}, "cost_eur_per_t", "Processing cost must be at least 0 EUR/t."),
        ({"water_m3_per_t": -0.1}, "water_m3_per_t", "Water must be at least 0 m3/t."),
        ({"process": "teleportation"}, "process", "Unknown process: teleportation."),
        ({"facility": 999_999}, "facility", "Choose a facility of this organisation."),
        ({"facility": "one"}, "facility", "A valid integer is required."),
    ],
)
def test_activity_create_refused(world, api_for, change, field, message):
    unchanged = Unchanged(Activity)
    body = {"facility": world.facility.pk, **NEW_ACTIVITY, **change}
    response = api_for(world.editor).post(url("api-activities"), body, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert unchanged


def test_activity_on_a_facility_of_another_organisation_is_refused(world, api_for):
    theirs = _facility(world.other, "Their plant", "FR", is_recoverer=True)
    unchanged = Unchanged(Activity)
    response = api_for(world.admin).post(url("api-activities"), {"facility": theirs.pk, **NEW_ACTIVITY}, format="json")
    assert response.status_code == 400
    assert response.json() == {"facility": ["Choose a facility of this organisation."]}
    assert unchanged


@pytest.mark.parametrize(
    "change, field",
    [
        ({"yield_ratio": 0}, "yield_ratio"),
        ({"yield_ratio": 1.2}, "yield_ratio"),
        ({"cost_eur_per_t": -1}, "cost_eur_per_t"),
        ({"process": "teleportation"}, "process"),
    ],
)
def test_activity_patch_refused_keeps_the_row(world, api_for, change, field):
    unchanged = Unchanged(Activity)
    response = api_for(world.editor).patch(url("api-activity", pk=world.activity.pk), change, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert unchanged
    world.activity.refresh_from_db()
    assert (world.activity.process.code, world.activity.yield_ratio, world.activity.cost_eur_per_t) == (
        "dismantling",
        Decimal("0.8500"),
        Decimal("40.00"),
    )


# ---------------------------------------------------------------- description sheet


def test_sheet_patch_with_values_and_units(world, api_for):
    api = api_for(world.editor)
    response = api.patch(
        url("api-sheet"),
        {
            "summary": "Collects aluminium parts from dismantlers in Baden-Wuerttemberg.",
            "contact_email": "ops@alu.example",
            "values": {"quality": 98, "price": 120.5},
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["summary"], body["constraints"], body["contact_email"]) == (
        "Collects aluminium parts from dismantlers in Baden-Wuerttemberg.",
        "",
        "ops@alu.example",
    )
    assert body["values"] == [  # in the catalogue's order: price first, then quality
        {"criterion": "price", "name": "Price", "unit": "EUR/t", "value": 120.5, "note": ""},
        {"criterion": "quality", "name": "Quality", "unit": "%", "value": 98.0, "note": ""},
    ]
    assert LogEntry.objects.get(action="sheet.changed").changes == {
        "contact_email": ["", "ops@alu.example"],
        "criterion:price": [None, "120.5"],
        "criterion:quality": [None, "98"],
        "summary": ["", "Collects aluminium parts from dismantlers in Baden-Wuerttemberg."],
    }

    cleared = api.patch(url("api-sheet"), {"values": {"price": None}}, format="json").json()
    assert [(v["criterion"], v["value"]) for v in cleared["values"]] == [("quality", 98.0)]
    assert cleared["contact_email"] == "ops@alu.example"
    shared_view = api_for(world.shared_member).get(url("api-sheet")).json()
    assert shared_view["values"] == [
        {"criterion": "quality", "name": "Quality", "unit": "%", "value": 98.0, "note": ""}
    ]


@pytest.mark.parametrize(
    "values, errors",
    [
        ({"delivery-on-time": -1}, {"delivery-on-time": ["Delivery on time must be at least 0 %."]}),
        ({"quality": 101}, {"quality": ["Quality must be at most 100 %."]}),
        ({"price": 10, "reputation": 0}, {"reputation": ["Reputation must be at least 1 score 1-10."]}),
        ({"price": 10, "charisma": 5}, {"charisma": ["Unknown criterion: charisma."]}),
    ],
)
def test_sheet_values_refused(world, api_for, values, errors):
    unchanged = Unchanged(CriterionValue)
    response = api_for(world.editor).patch(url("api-sheet"), {"summary": "New", "values": values}, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Some criterion values are not valid.", "values": errors}
    assert unchanged
    assert api_for(world.viewer).get(url("api-sheet")).json()["summary"] == ""


def test_sheet_refuses_values_that_are_not_numbers(world, api_for):
    unchanged = Unchanged(CriterionValue)
    response = api_for(world.editor).patch(url("api-sheet"), {"values": {"price": "cheap"}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"values": {"price": ["Value must be a number."]}}
    response = api_for(world.editor).patch(url("api-sheet"), {"values": {"price": 1e12}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"values": {"price": ["Value must be at most 9,999,999,999.9999."]}}
    response = api_for(world.editor).patch(url("api-sheet"), {"contact_email": "nobody"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"contact_email": ["Enter a valid email address."]}
    assert unchanged


# ---------------------------------------------------------------- certificates


def test_certificate_upload_download_patch_delete(world, api_for, settings):
    api = api_for(world.editor)
    response = api.post(
        url("api-certificates"),
        {
            "kind": "iso14001",
            "title": "ISO 14001 certificate",
            "issuer": "TUV Sued",
            "valid_until": "2027-06-30",
            "file": pdf(),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    certificate_id = body["id"]
    download = f"http://testserver/api/v1/organizations/alu-collect/certificates/{certificate_id}/file/"
    assert {k: v for k, v in body.items() if k != "uploaded_at"} == {
        "id": certificate_id,
        "kind": "iso14001",
        "title": "ISO 14001 certificate",
        "issuer": "TUV Sued",
        "valid_until": "2027-06-30",
        "content_type": "application/pdf",
        "size_bytes": len(PDF),
        "download_url": download,
    }
    assert [len(n) for n in stored_files(settings)] == [len("0123456789abcdef0123456789abcdef.pdf")]
    assert stored_files(settings)[0].endswith(".pdf") and stored_files(settings) != ["iso.pdf"]

    for reader in (world.viewer, world.shared_member):
        answer = api_for(reader).get(download, HTTP_ACCEPT="application/pdf")
        assert answer.status_code == 200
        assert answer["Content-Type"] == "application/pdf"
        assert answer["Content-Disposition"] == 'attachment; filename="iso-14001-certificate.pdf"'
        assert (answer["X-Content-Type-Options"], answer["Content-Security-Policy"]) == ("nosniff", "sandbox")
        assert b"".join(answer.streaming_content) == PDF

    patched = api.patch(
        url("api-certificate", pk=certificate_id), {"title": "ISO 14001:2015", "valid_until": None}, format="json"
    )
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["title"], patched.json()["valid_until"]) == ("ISO 14001:2015", None)
    assert LogEntry.objects.get(action="certificate.changed").changes == {
        "title": ["ISO 14001 certificate", "ISO 14001:2015"],
        "valid_until": ["2027-06-30", None],
    }

    assert api.delete(url("api-certificate", pk=certificate_id)).status_code == 204
    assert Certificate.objects.count() == 0
    assert api.get(download).status_code == 404


def test_certificate_png_is_accepted_by_its_bytes(world, api_for):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24
    response = api_for(world.admin).post(
        url("api-certificates"),
        {
            "kind": "licence",
            "title": "Permit",
            "file": SimpleUploadedFile("permit.bin", png, "application/octet-stream"),
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert (response.json()["content_type"], response.json()["size_bytes"], response.json()["issuer"]) == (
        "image/png",
        32,
        "",
    )


def test_certificate_that_is_a_text_file_is_refused(world, api_for, settings):
    unchanged = Unchanged(Certificate)
    text = SimpleUploadedFile("licence.pdf", b"This is not a PDF at all.\n", content_type="application/pdf")
    response = api_for(world.editor).post(
        url("api-certificates"), {"kind": "licence", "title": "Licence", "file": text}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["Certificates must be PDF, PNG or JPEG files."]}
    assert unchanged
    assert stored_files(settings) == []


def test_certificate_over_the_size_limit_is_refused(world, api_for, settings):
    settings.CERTIFICATE_MAX_BYTES = 1000
    unchanged = Unchanged(Certificate)
    response = api_for(world.editor).post(
        url("api-certificates"),
        {
            "kind": "licence",
            "title": "Licence",
            "file": pdf(content=PDF + b"0" * (1001 - len(PDF))),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["The file is 1001 bytes; certificates may be at most 1000 bytes."]}
    assert unchanged
    assert stored_files(settings) == []
    exactly = api_for(world.editor).post(
        url("api-certificates"),
        {
            "kind": "licence",
            "title": "Licence",
            "file": pdf(content=PDF + b"0" * (1000 - len(PDF))),
        },
        format="multipart",
    )
    assert exactly.status_code == 201, exactly.json()
    assert exactly.json()["size_bytes"] == 1000


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "diploma", "title": "T"}, "kind"),
        ({"kind": "licence"}, "title"),
        ({"kind": "licence", "title": "T"}, "file"),
        ({"kind": "licence", "title": "T", "valid_until": "soon"}, "valid_until"),
    ],
)
def test_certificate_create_refused(world, api_for, body, field):
    unchanged = Unchanged(Certificate)
    if field != "file":
        body = {**body, "file": pdf()}
    response = api_for(world.editor).post(url("api-certificates"), body, format="multipart")
    assert response.status_code == 400
    assert field in response.json()
    assert unchanged


def test_certificate_upload_as_json_is_unsupported_not_an_error(world, api_for):
    response = api_for(world.editor).post(url("api-certificates"), {"kind": "licence", "title": "T"}, format="json")
    assert response.status_code == 415


# ---------------------------------------------------------------- sharing


def test_share_create_and_delete(world, api_for):
    api = api_for(world.admin)
    outsider = api_for(world.unshared_member)
    assert outsider.get(url("api-sheet")).status_code == 404
    created = api.post(url("api-shares"), {"end_collector": "press-co"}, format="json")
    assert created.status_code == 201, created.json()
    share_id = created.json()["id"]
    assert {k: v for k, v in created.json().items() if k != "created_at"} == {
        "id": share_id,
        "end_collector": {"slug": "press-co", "name": "Press Co"},
        "granted_by": "admin",
    }
    assert [s["end_collector"]["slug"] for s in api.get(url("api-shares")).json()["results"]] == [
        "forge-works",
        "press-co",
    ]
    assert outsider.get(url("api-sheet")).status_code == 200
    assert outsider.get(url("api-facility", pk=world.facility.pk)).json()["name"] == "Stuttgart yard"
    assert outsider.patch(url("api-sheet"), {"summary": "mine"}, format="json").status_code == 403

    assert api.delete(url("api-share", pk=share_id)).status_code == 204
    assert outsider.get(url("api-sheet")).status_code == 404
    assert list(LogEntry.objects.filter(action__startswith="share.").values_list("action", "changes")) == [
        ("share.deleted", {"end_collector": ["Press Co", None]}),
        ("share.created", {"end_collector": [None, "Press Co"]}),
    ]


@pytest.mark.parametrize(
    "slug, message",
    [
        ("forge-works", "Already shared."),
        ("other-metals", "No end collector has this slug."),
        ("nowhere", "No end collector has this slug."),
    ],
)
def test_share_refused(world, api_for, slug, message):
    unchanged = Unchanged(SheetShare)
    response = api_for(world.admin).post(url("api-shares"), {"end_collector": slug}, format="json")
    assert response.status_code == 400
    assert response.json()["end_collector"] == [message]
    assert unchanged


# ---------------------------------------------------------------- members and invitations


def test_membership_role_change_and_removal(world, api_for):
    api = api_for(world.admin)
    listed = api.get(url("api-memberships")).json()
    assert [(m["username"], m["role"]) for m in listed["results"]] == [
        ("admin", "admin"),
        ("auditor", "auditor"),
        ("editor", "editor"),
        ("viewer", "viewer"),
    ]
    viewer = Membership.objects.get(user=world.viewer)
    response = api.patch(url("api-membership", pk=viewer.pk), {"role": "editor"}, format="json")
    assert response.status_code == 200, response.json()
    assert {k: v for k, v in response.json().items() if k != "created_at"} == {
        "id": viewer.pk,
        "username": "viewer",
        "email": "viewer@example.com",
        "role": "editor",
    }
    assert LogEntry.objects.get(action="membership.changed").changes == {"role": ["viewer", "editor"]}

    auditor = Membership.objects.get(user=world.auditor)
    assert api.delete(url("api-membership", pk=auditor.pk)).status_code == 204
    assert not Membership.objects.filter(pk=auditor.pk).exists()


def test_the_last_admin_stays(world, api_for):
    own = Membership.objects.get(user=world.admin)
    unchanged = Unchanged(Membership)
    api = api_for(world.admin)
    demote = api.patch(url("api-membership", pk=own.pk), {"role": "viewer"}, format="json")
    assert demote.status_code == 400
    assert demote.json() == {"detail": "An organisation needs at least one admin.", "role": ["This is the last admin."]}
    assert api.delete(url("api-membership", pk=own.pk)).status_code == 400
    unknown = api.patch(url("api-membership", pk=own.pk), {"role": "overlord"}, format="json")
    assert unknown.status_code == 400
    assert unknown.json() == {"role": ['"overlord" is not a valid choice.']}
    assert unchanged


def test_invitation_create_list_revoke(world, api_for, mailoutbox, django_capture_on_commit_callbacks):
    api = api_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            url("api-invitations"), {"email": "New.Person@Example.com", "role": "editor"}, format="json"
        )
    assert response.status_code == 201, response.json()
    invitation_id = response.json()["id"]
    assert {k: v for k, v in response.json().items() if k != "created_at"} == {
        "id": invitation_id,
        "email": "new.person@example.com",
        "role": "editor",
        "invited_by": "admin",
    }
    token = Invitation.objects.get().token
    assert [m.to for m in mailoutbox] == [["new.person@example.com"]]
    assert f"Accept: http://testserver/invitations/{token}/" in mailoutbox[0].body
    detail = api.get(url("api-invitation", pk=invitation_id)).json()
    assert "token" not in detail and token not in str(detail)
    assert [i["email"] for i in api_for(world.viewer).get(url("api-invitations")).json()["results"]] == [
        "new.person@example.com"
    ]

    unchanged = Unchanged(Invitation)
    again = api.post(url("api-invitations"), {"email": "new.person@example.com", "role": "viewer"}, format="json")
    assert again.status_code == 400
    assert again.json() == {"detail": "An invitation to this address is already open.", "email": ["Already invited."]}
    assert unchanged

    assert api.delete(url("api-invitation", pk=invitation_id)).status_code == 204
    assert Invitation.objects.count() == 0
    assert LogEntry.objects.filter(action="invitation.deleted", target_id=str(invitation_id)).count() == 1


def test_inviting_someone_with_an_account_adds_them(world, api_for):
    response = api_for(world.admin).post(
        url("api-invitations"), {"email": "stranger@example.com", "role": "viewer"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Membership.objects.get(user=world.stranger, organization=world.partner).role == "viewer"
    assert api_for(world.stranger).get(url("api-sheet")).status_code == 200


@pytest.mark.parametrize(
    "body, field",
    [
        ({"email": "not-an-address", "role": "viewer"}, "email"),
        ({"email": "x@example.com", "role": "boss"}, "role"),
        ({"email": "editor@example.com", "role": "viewer"}, "email"),
    ],
)
def test_invitation_refused(world, api_for, body, field):
    unchanged = Unchanged(Invitation, Membership)
    response = api_for(world.admin).post(url("api-invitations"), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert unchanged


# ---------------------------------------------------------------- history and authentication


def test_history_lists_changes_newest_first(world, api_for):
    api = api_for(world.editor)
    api.patch(url("api-facility", pk=world.facility.pk), {"capacity_t_per_year": 1500}, format="json")
    api.patch(url("api-sheet"), {"constraints": "Lots of 20 t minimum"}, format="json")
    body = api_for(world.auditor).get(url("api-history")).json()
    assert body["count"] == 2
    newest, oldest = body["results"]
    assert {k: v for k, v in newest.items() if k not in ("id", "at", "target_id")} == {
        "actor": "editor",
        "action": "sheet.changed",
        "target_type": "descriptionsheet",
        "target_repr": "Sheet of Alu Collect",
        "changes": {"constraints": ["", "Lots of 20 t minimum"]},
    }
    assert {k: v for k, v in oldest.items() if k not in ("id", "at")} == {
        "actor": "editor",
        "action": "facility.changed",
        "target_type": "facility",
        "target_id": str(world.facility.pk),
        "target_repr": "Stuttgart yard",
        "changes": {"capacity_t_per_year": ["1200", "1500"]},
    }
    filtered = api.get(url("api-history"), {"target_type": "facility"}).json()
    assert [e["action"] for e in filtered["results"]] == ["facility.changed"]
    for method in ("post", "put", "patch", "delete"):
        assert getattr(api, method)(url("api-history"), {}, format="json").status_code == 405
    assert LogEntry.objects.count() == 2


def test_token_authentication(world):
    token = Token.objects.create(user=world.viewer)
    api = APIClient()
    response = api.get(url("api-facilities"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert [f["name"] for f in response.json()["results"]] == ["Stuttgart yard"]
    refused = api.patch(url("api-sheet"), {"summary": "x"}, format="json", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert refused.status_code == 403
    wrong = api.get(url("api-facilities"), HTTP_AUTHORIZATION="Token not-a-real-key")
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"] == "Token"


def test_anonymous_gets_401_with_a_challenge(world):
    response = APIClient().get(url("api-facilities"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_session_authentication(world, client):
    client.force_login(world.shared_member)
    response = client.get(url("api-sheet"))
    assert response.status_code == 200
    assert response.json()["values"] == []
