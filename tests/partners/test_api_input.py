"""Bad input to the API as a whole: bodies too large or too deep, NaN, OPTIONS on every kind of view, a PATCH
without its field, a certificate whose stored file is gone. Each answers JSON with a message (400 or 404), never
a 500 or an HTML page, and writes nothing (row counts and the log unchanged).
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partners.api_input import depth, loads
from partners.models import Certificate, Facility, Membership
from tests.partners.test_api import NEW_FACILITY, PDF, Unchanged, url


def post_raw(api, path, body: str | bytes):
    return api.post(path, data=body, content_type="application/json")


def test_depth_counts_nesting_by_hand():
    """[] is 1 level, {"a": [[1]]} is 3, a number 0."""
    assert depth(5) == 0 and depth([]) == 1 and depth({"a": [[1]]}) == 3 and depth([{}, [[[]]]]) == 4


@pytest.mark.parametrize(
    "text,message",
    [
        ("[" * 3000 + "]" * 3000, "more than 32 levels deep"),
        ("[" * 33 + "]" * 33, "more than 32 levels deep"),
        ('{"a": NaN}', "NaN is not a JSON number"),
        ('{"a": -Infinity}', "-Infinity is not a JSON number"),
    ],
)
def test_loads_refuses_deep_nesting_and_non_numbers(text, message):
    with pytest.raises(ValueError, match=message):
        loads(text, max_depth=32)


def test_loads_takes_32_levels():
    assert depth(loads("[" * 32 + "]" * 32, max_depth=32)) == 32


def test_a_json_body_nested_thousands_of_levels_is_a_400_with_a_message(world, api_for):
    unchanged = Unchanged(Facility)
    response = post_raw(api_for(world.editor), url("api-facilities"), "[" * 3000 + "]" * 3000)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The JSON nests lists and objects more than 32 levels deep."}
    assert unchanged


def test_nan_in_a_body_is_a_400(world, api_for):
    unchanged = Unchanged(Facility)
    body = json.dumps(NEW_FACILITY).replace('"capacity_t_per_year": 5000', '"capacity_t_per_year": NaN')
    response = post_raw(api_for(world.editor), url("api-facilities"), body)
    assert response.status_code == 400
    assert response.json() == {"detail": "NaN is not a JSON number; send a finite number."}
    assert unchanged


def test_a_json_body_above_the_json_limit_is_a_400_naming_the_limit(world, api_for, settings):
    """API_JSON_MAX_BYTES = 2048: a 3,000-byte body is refused by the parser ("2 KB")."""
    settings.API_JSON_MAX_BYTES = 2048
    unchanged = Unchanged(Facility)
    body = json.dumps({**NEW_FACILITY, "address": "x" * 3000})
    response = post_raw(api_for(world.editor), url("api-facilities"), body)
    assert response.status_code == 400
    assert response.json() == {"detail": "The request body is larger than 2 KB, the most a JSON body may be."}
    assert unchanged


def test_a_body_above_the_upload_limit_is_a_400_in_json_not_an_html_page(world, api_for, settings):
    """DATA_UPLOAD_MAX_MEMORY_SIZE = 1 MB: Django refuses a 1.5 MB body before any parser reads it."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    unchanged = Unchanged(Facility)
    response = post_raw(api_for(world.editor), url("api-facilities"), "x" * (1536 * 1024))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request body is larger than 1 MB, the most the server accepts."}
    assert unchanged


def test_membership_patch_without_a_role_is_a_400_naming_it(world, api_for):
    membership = Membership.objects.get(user=world.viewer)
    unchanged = Unchanged(Membership)
    response = api_for(world.admin).patch(url("api-membership", pk=membership.pk), {}, format="json")
    assert response.status_code == 400
    assert response.json() == {"role": ["This field is required."]}
    assert Membership.objects.get(pk=membership.pk).role == "viewer" and unchanged


def test_options_on_the_api_docs_answers_its_methods(world, client_for):
    response = client_for(world.viewer).options("/api/docs/")
    assert response.status_code == 200
    assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_options_on_a_detail_view_lists_the_fields_its_writes_take(world, api_for):
    """OPTIONS loads no object: the admin sees the PATCH body of a membership (its role), a viewer no action."""
    membership = Membership.objects.get(user=world.viewer)
    admin = api_for(world.admin).options(url("api-membership", pk=membership.pk))
    assert admin.status_code == 200
    assert list(admin.json()["actions"]) == ["PATCH"]
    assert admin.json()["actions"]["PATCH"]["role"]["required"] is True
    viewer = api_for(world.viewer).options(url("api-membership", pk=membership.pk))
    assert viewer.status_code == 200 and "actions" not in viewer.json()


def test_page_download_of_a_certificate_whose_file_is_gone_is_a_404(world, client_for, settings):
    certificate = Certificate.objects.create(
        organization=world.partner,
        kind="iso14001",
        title="ISO 14001",
        content_type="application/pdf",
        size_bytes=len(PDF),
        file=SimpleUploadedFile("iso.pdf", PDF),
    )
    certificate.file.storage.delete(certificate.file.name)
    response = client_for(world.editor).get(
        reverse("certificate-file", kwargs={"slug": "alu-collect", "pk": certificate.pk})
    )
    assert response.status_code == 404


def test_a_second_activity_for_the_same_process_is_refused_on_its_process(world, api_for):
    """It used to be the non-field error "Activity with this Facility and Process already exists."."""
    from partners.models import Activity

    unchanged = Unchanged(Activity)
    response = api_for(world.editor).post(
        url("api-activities"),
        {"facility": world.facility.pk, "process": "dismantling", "yield_ratio": 0.9, "cost_eur_per_t": 10},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"process": ["This facility already has an activity for this process."]}
    assert unchanged


def test_an_activity_filter_on_an_id_no_database_could_hold_is_a_400_naming_it(client_for, world):
    """`?facility=` beyond the largest id a database stores (2^63 - 1) made the query overflow (a 500 on SQLite and
    PostgreSQL); it is refused naming the parameter, while a real id still filters."""
    client = client_for(world.admin)
    url = f"/api/v1/organizations/{world.partner.slug}/activities/"
    refused = client.get(url + "?facility=99999999999999999999")
    assert refused.status_code == 400
    assert refused.json() == {"facility": ["There is no facility with this id."]}
    found = client.get(url + f"?facility={world.facility.pk}")
    assert found.status_code == 200 and [row["id"] for row in found.json()["results"]] == [world.activity.pk]
