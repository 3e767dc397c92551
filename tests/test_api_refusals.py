"""Refusals the published schema promises: `?page=` that is not a page number, `?format=` the view does not
render, unknown keys in a request body, a path under /api/ that names no view, and the error answers every
operation documents.

The world is tests/conftest.py's: Alu Collect (admin, editor, viewer, auditor) with one facility, "Stuttgart yard".
Expected bodies are written out by hand from the messages in partners/pagination.py and partners/serializers.py.
"""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from partners.models import Facility, LogEntry
from scenarios import services as scenario_services
from tests.scenarios.conftest import NOT_ASSESSED, build_network, net  # noqa: F401  (the fixture)

PAGE_MESSAGE = "A page number is a whole number from 1; leave ?page= out for the first page."
FACILITY_FIELDS = (
    "accepted_materials, address, capacity_t_per_year, country, fixed_cost_eur_per_year, latitude, "
    "longitude, name, roles"
)
FACILITY = {
    "name": "Mannheim yard",
    "country": "DE",
    "latitude": 49.4875,
    "longitude": 8.466,
    "roles": ["collector"],
    "capacity_t_per_year": 300,
}


def facilities_url(world):
    return reverse("api-facilities", kwargs={"slug": world.partner.slug})


@pytest.mark.parametrize("page", ["", "abc", "0", "-1", "1.5", "last", "１"])
def test_a_page_that_is_not_a_page_number_is_refused_naming_the_parameter(world, api_for, page):
    """Empty, words, 0, negatives, fractions, "last" (DRF's default accepted it; the schema says integer) and a
    full-width digit: 400 with the parameter named, never the first page nor a 404."""
    response = api_for(world.viewer).get(facilities_url(world), {"page": page})
    assert response.status_code == 400
    assert response.json() == {"page": [PAGE_MESSAGE]}


def test_pages_that_are_page_numbers_still_page(world, api_for):
    """One facility, 50 a page: page 1 holds it, page 2 is past the last one (404 JSON, as documented)."""
    api = api_for(world.viewer)
    first = api.get(facilities_url(world), {"page": "1"})
    assert first.status_code == 200
    assert first.json()["count"] == 1 and [f["name"] for f in first.json()["results"]] == ["Stuttgart yard"]
    past = api.get(facilities_url(world), {"page": "2"})
    assert past.status_code == 404
    assert past["Content-Type"] == "application/json"
    assert past.json() == {"detail": "Invalid page."}


def test_an_unknown_key_in_a_body_is_refused_naming_it_and_nothing_is_written(world, api_for):
    """A misspelt "capcity" next to a complete facility: 400 naming it and listing what the request takes; no
    facility and no history entry are added."""
    facilities, entries = Facility.objects.count(), LogEntry.objects.count()
    response = api_for(world.editor).post(
        facilities_url(world), {**FACILITY, "capcity": 5, "colour": "red"}, format="json"
    )
    assert response.status_code == 400
    message = [f"Unknown field; this request takes {FACILITY_FIELDS}."]
    assert response.json() == {"capcity": message, "colour": message}
    assert (Facility.objects.count(), LogEntry.objects.count()) == (facilities, entries)


def test_an_unknown_key_in_a_patch_leaves_the_row_as_it_was(world, api_for):
    """PATCH with only a misspelt key used to answer 200 and change nothing, as if it had worked."""
    url = reverse("api-facility", kwargs={"slug": world.partner.slug, "pk": world.facility.pk})
    response = api_for(world.editor).patch(url, {"capacity_t_per_yr": 5000}, format="json")
    assert response.status_code == 400
    assert response.json() == {"capacity_t_per_yr": [f"Unknown field; this request takes {FACILITY_FIELDS}."]}
    world.facility.refresh_from_db()
    assert world.facility.capacity_t_per_year == 1200


def test_an_unknown_key_in_a_form_body_is_refused_too(world, api_for):
    """The same check holds for form-encoded bodies (the API takes JSON, forms and multipart)."""
    url = reverse("api-facility", kwargs={"slug": world.partner.slug, "pk": world.facility.pk})
    response = api_for(world.editor).patch(url, {"nickname": "Yard"}, format="multipart")
    assert response.status_code == 400
    assert list(response.json()) == ["nickname"]


def test_an_unknown_key_on_a_transition_is_refused(net, api_for):  # noqa: F811
    """Approving with "coment" (misspelt): 400 naming it; the scenario stays submitted."""
    scenario, _, _ = build_network(net)
    scenario_services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    response = api_for(net.ec_admin).post(
        reverse("api-scenario-approve", kwargs={"id": scenario.pk}), {"coment": "fine"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"coment": ["Unknown field; this request takes acknowledge, comment, reason."]}
    scenario.refresh_from_db()
    assert scenario.status == "submitted"


def test_a_body_sent_to_a_write_that_takes_none_is_refused(net, api_for):  # noqa: F811
    """Submit takes only an acknowledgement and its reason, and "assess" no body: other keys sent anyway are named
    (400) rather than ignored; the scenario stays a draft and no run is asked for."""
    from assessment.models import AssessmentRun

    scenario, _, _ = build_network(net)
    api = api_for(net.ec_editor)
    submit = api.post(reverse("api-scenario-submit", kwargs={"id": scenario.pk}), {"comment": "ready"}, format="json")
    assert submit.status_code == 400
    assert submit.json() == {"comment": ["Unknown field; this request takes acknowledge, reason."]}
    assess = api.post(reverse("api-scenario-assessments", kwargs={"id": scenario.pk}), [1, 2], format="json")
    assert assess.status_code == 400
    assert assess.json() == {"non_field_errors": ["This request takes no body."]}
    scenario.refresh_from_db()
    assert scenario.status == "draft" and not AssessmentRun.objects.exists()
    done = api.post(
        reverse("api-scenario-submit", kwargs={"id": scenario.pk}),
        {"acknowledge": True, "reason": NOT_ASSESSED},
        format="json",
    )
    assert done.status_code == 200


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing-here/", "/api/v1/scenarios/not-a-number/", "/api/v1/organizations/Ünïcode/"]
)
def test_a_path_under_api_that_names_no_view_answers_json(world, api_for, path):
    response = api_for(world.viewer).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "No such path in the API; see /api/docs/."}


def test_the_geojson_of_a_scenario_you_may_not_see_answers_json(net, api_for):  # noqa: F811
    """The map's data renders GeoJSON; its refusals are JSON like the schema says."""
    scenario, _, _ = build_network(net)
    response = api_for(net.world.stranger).get(reverse("api-scenario-geojson", kwargs={"id": scenario.pk}))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("value", ["", "xml"])
def test_a_format_the_view_does_not_render_is_refused_naming_the_parameter(net, api_for, value):  # noqa: F811
    """DRF ignored an empty ?format= (answering GeoJSON) and answered an unknown one 404; the map's data renders
    GeoJSON or JSON, which the message lists in the view's order."""
    scenario, _, _ = build_network(net)
    response = api_for(net.ec_viewer).get(
        reverse("api-scenario-geojson", kwargs={"id": scenario.pk}), {"format": value}
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"format": ["Choose one of: geojson, json."]}


def test_a_format_the_view_renders_is_served(net, api_for):  # noqa: F811
    scenario, _, _ = build_network(net)
    response = api_for(net.ec_viewer).get(
        reverse("api-scenario-geojson", kwargs={"id": scenario.pk}), {"format": "json"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["type"] == "FeatureCollection"


@pytest.fixture
def schema(db):
    return SchemaGenerator().get_schema(request=None, public=True)


def _statuses(schema, path, method):
    return sorted(schema["paths"][path][method]["responses"])


def test_the_schema_documents_the_refusals_of_each_operation(schema):
    """A write on a row: 400 (body or service), 401, 403, 404, 415; a scenario change also 409; a plain list read:
    400 (?page=), 401, 404 (a page past the last); a catalogue read takes no body and writes nothing."""
    facility = "/api/v1/organizations/{slug}/facilities/{id}/"
    assert _statuses(schema, facility, "patch") == ["200", "400", "401", "403", "404", "415"]
    assert _statuses(schema, facility, "delete") == ["204", "400", "401", "403", "404"]
    assert _statuses(schema, "/api/v1/scenarios/{id}/nodes/{node_id}/", "patch") == [
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
        "415",
    ]
    assert _statuses(schema, "/api/v1/scenarios/{id}/submit/", "post") == [
        "200",
        "400",
        "401",
        "403",
        "404",
        "409",
        "415",
    ]  # it takes a body (an acknowledgement): 415 for another type
    assert _statuses(schema, "/api/v1/materials/", "get") == ["200", "400", "401", "404"]
    patch = schema["paths"][facility]["patch"]["responses"]
    assert patch["400"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ValidationErrors"}
    assert patch["403"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_the_schema_says_request_bodies_take_no_other_keys_and_pages_start_at_1(schema):
    components = schema["components"]["schemas"]
    assert components["FacilityInputRequest"]["additionalProperties"] is False
    assert components["PatchedFacilityInputRequest"]["additionalProperties"] is False
    assert "additionalProperties" not in components["FacilityOutput"]  # answers may grow
    page = next(p for p in schema["paths"]["/api/v1/materials/"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"] == {"type": "integer", "minimum": 1}


def test_the_run_detail_requires_only_the_fields_every_indicator_has(schema):
    """Cost and recycling rows carry code, label, value, unit, phase and origin; only LCA rows add the per-unit and
    baseline figures, so those must not be required."""
    assert sorted(schema["components"]["schemas"]["Indicator"]["required"]) == [
        "code",
        "label",
        "origin",
        "phase",
        "unit",
        "value",
    ]
