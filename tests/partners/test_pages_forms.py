"""Bad input on the HTML forms: the page answers 200 with the error on the named field and writes nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from partners import services
from partners.models import Activity, Certificate, Facility, LogEntry
from tests.partners.files import TINY_PDF

GOOD_FACILITY = {
    "name": "Lyon sorting line",
    "address": "Rue de l'Industrie, Lyon",
    "country": "FR",
    "latitude": "45.764",
    "longitude": "4.8357",
    "capacity_t_per_year": "20000",
    "roles": ["sorter"],
    "accepted_materials": ["al-vehicle-parts"],
}
GOOD_ACTIVITY = {
    "process": "",
    "yield_ratio": "0.9",
    "cost_eur_per_t": "35",
    "energy_mj_per_t": "120",
    "co2e_kg_per_t": "8",
    "water_m3_per_t": "0.1",
    "data_source": "operator data 2025",
}


def counts():
    return (Facility.objects.count(), Activity.objects.count(), Certificate.objects.count(), LogEntry.objects.count())


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("latitude", "91", "Latitude must be at most 90."),
        ("latitude", "-90.5", "Latitude must be at least -90."),
        ("longitude", "181", "Longitude must be at most 180."),
        ("longitude", "-180.01", "Longitude must be at least -180."),
        ("capacity_t_per_year", "-1", "Capacity must be above 0 t/year."),
        ("capacity_t_per_year", "0", "Capacity must be above 0 t/year."),
        ("capacity_t_per_year", "10000000000", "Capacity must be at most 9,999,999,999.99 t/year."),
        ("accepted_materials", ["unobtainium"], "Select a valid choice"),
        ("roles", [], "This field is required"),
        ("name", "Lyon\x00sorting", "Null characters are not allowed"),
        ("name", "L" * 161, "at most 160 characters"),
    ],
)
def test_facility_form_refuses_bad_input(world, client_for, field, value, message):
    before = counts()
    response = client_for(world.editor).post("/o/alu-collect/facilities/new/", {**GOOD_FACILITY, field: value})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert f'id="field-{field}"' in response.content.decode()
    assert counts() == before


def test_facility_form_saves_good_input(world, client_for):
    response = client_for(world.editor).post("/o/alu-collect/facilities/new/", GOOD_FACILITY)
    facility = Facility.objects.get(name="Lyon sorting line")
    assert response.status_code == 302 and response["Location"] == f"/o/alu-collect/facilities/{facility.pk}/"
    assert (facility.latitude, facility.longitude) == (Decimal("45.764"), Decimal("4.8357"))
    assert [m.code for m in facility.accepted_materials.all()] == ["al-vehicle-parts"]


def test_duplicate_facility_name_is_a_form_error(world, client_for):
    before = counts()
    response = client_for(world.editor).post(
        "/o/alu-collect/facilities/new/", {**GOOD_FACILITY, "name": world.facility.name}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Alu Collect already has a facility called Stuttgart yard."]}
    assert counts() == before


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("yield_ratio", "0", "Yield must be above 0."),
        ("yield_ratio", "1.2", "Yield must be at most 1."),
        ("cost_eur_per_t", "-5", "Processing cost must be at least 0 EUR/t."),
        ("process", "999999", "Select a valid choice"),
    ],
)
def test_activity_form_refuses_bad_input(world, client_for, field, value, message):
    from partners.models import Process

    before = counts()
    data = {**GOOD_ACTIVITY, "process": Process.objects.get(code="shredding").pk, field: value}
    response = client_for(world.editor).post(f"/o/alu-collect/facilities/{world.facility.pk}/activities/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    assert message in " ".join(errors[field])
    assert counts() == before


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("notes.txt", b"just some text, not a certificate", "PDF, PNG or JPEG"),
        ("fake.pdf", b"<html>not really a pdf</html>", "PDF, PNG or JPEG"),
        ("big.pdf", TINY_PDF + b"0" * 2000, "at most"),
    ],
)
def test_certificate_form_refuses_bad_files(world, client_for, settings, name, content, message):
    settings.CERTIFICATE_MAX_BYTES = 1000
    before = counts()
    response = client_for(world.editor).post(
        "/o/alu-collect/certificates/new/",
        {"kind": "iso14001", "title": "ISO 14001", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["file"]
    assert message in " ".join(errors["file"])
    assert counts() == before


def test_certificate_upload_and_download(world, client_for):
    client = client_for(world.editor)
    response = client.post(
        "/o/alu-collect/certificates/new/",
        {
            "kind": "treatment",
            "title": "Certificate of treatment 2026",
            "valid_until": "2027-03-31",
            "file": SimpleUploadedFile("cot.pdf", TINY_PDF),
        },
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get()
    assert (certificate.content_type, certificate.size_bytes) == ("application/pdf", len(TINY_PDF))
    shared = client_for(world.shared_member).get(f"/o/alu-collect/certificates/{certificate.pk}/file/")
    assert shared.status_code == 200
    assert shared["Content-Type"] == "application/pdf"
    assert b"".join(shared.streaming_content) == TINY_PDF


def test_sheet_form_refuses_out_of_range_criterion(world, client_for):
    before = LogEntry.objects.count()
    response = client_for(world.editor).post(
        "/o/alu-collect/sheet/edit/",
        {"summary": "Dismantler", "criterion_delivery-on-time": "120", "criterion_price": "-3"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert sorted(errors) == ["criterion_delivery-on-time", "criterion_price"]
    assert errors["criterion_delivery-on-time"] == ["Delivery on time must be at most 100 %."]
    assert errors["criterion_price"] == ["Price must be at least 0 EUR/t."]
    assert LogEntry.objects.count() == before
    assert world.partner.sheet.values.count() == 0


def test_sheet_page_shows_values_with_units_and_history(world, client_for):
    client = client_for(world.editor)
    client.post(
        "/o/alu-collect/sheet/edit/",
        {"summary": "Dismantler near Stuttgart", "criterion_price": "850", "criterion_order-delay": "4"},
    )
    page = client.get("/o/alu-collect/").content.decode()
    assert "<td>850</td>" in page and "EUR/t" in page
    assert "<td>4</td>" in page and "days" in page
    assert "Changed the description sheet" in page and "<li>Price: 850\u00a0EUR/t</li>" in page
    assert "sheet.changed" not in page  # the sentence, not the code
    shared_page = client_for(world.shared_member).get("/o/alu-collect/").content.decode()
    assert "<td>850</td>" in shared_page
    assert "Changed the description sheet" not in shared_page  # the history is for members only
    assert "Edit sheet" not in shared_page


def test_invitation_flow_for_a_newcomer(world, client_for, mailoutbox, django_capture_on_commit_callbacks):
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/o/alu-collect/members/", {"email": "Newcomer@Example.com", "role": "editor"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["newcomer@example.com"]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/invitations/" in line).split("Accept: ")[1]
    path = link.split("testserver", 1)[1]
    anonymous = client_for(None)
    response = anonymous.post(
        path, {"username": "newcomer", "password1": "a-long-pass-phrase-42", "password2": "a-long-pass-phrase-42"}
    )
    assert response.status_code == 302 and response["Location"] == "/o/alu-collect/"
    assert world.partner.memberships.get(user__username="newcomer").role == "editor"


def test_history_page_is_paginated_newest_first(world, client_for):
    for capacity in range(101, 206):  # 105 changes, one entry each
        services.facility_update(user=world.editor, facility=world.facility, capacity_t_per_year=capacity)
    client = client_for(world.auditor)
    first = client.get("/o/alu-collect/history/")
    assert first.context["page"].paginator.count == 105
    assert len(first.context["entries"]) == 100
    assert first.context["entries"][0].changes == {"capacity_t_per_year": ["204", "205"]}
    second = client.get("/o/alu-collect/history/?page=2")
    assert len(second.context["entries"]) == 5
    assert second.context["entries"][4].changes == {"capacity_t_per_year": ["1200", "101"]}
    assert "Page 2 of 2" in second.content.decode()


def test_unknown_or_used_invitation_links_answer_404(world, client_for):
    assert client_for(None).get("/invitations/no-such-token/").status_code == 404
    invitation = services.invitation_create(
        user=world.admin, organization=world.partner, email="stranger@example.com", role="viewer"
    )  # an existing account joins at once
    assert invitation.token and client_for(world.stranger).get(f"/invitations/{invitation.token}/").status_code == 404


@pytest.mark.parametrize("actor, role", [("editor", "editor"), ("viewer", "viewer"), ("auditor", "auditor")])
def test_sharing_and_members_pages_say_only_admins_act_there(world, client_for, actor, role):
    """Without the admin's forms the pages say why: only Alu Collect's admins share the sheet, invite people and
    change roles; the reader's own role is named."""
    client = client_for(world.user(actor))
    sharing = client.get("/o/alu-collect/sharing/").content.decode()
    assert (
        "Only Alu Collect's admins share the sheet with an end collector or stop sharing it; "
        f"you are {role}." in sharing.replace("&#x27;", "'")
    )
    assert 'name="end_collector"' not in sharing
    members = client.get("/o/alu-collect/members/").content.decode()
    assert f"Only Alu Collect's admins invite people and change their roles; you are {role}." in members.replace(
        "&#x27;", "'"
    )
    assert 'name="email"' not in members


def test_the_admin_gets_the_forms_and_no_such_notice(world, client_for):
    client = client_for(world.admin)
    sharing = client.get("/o/alu-collect/sharing/").content.decode()
    assert 'name="end_collector"' in sharing and 'id="admins-only"' not in sharing
    members = client.get("/o/alu-collect/members/").content.decode()
    assert 'name="email"' in members and 'id="admins-only"' not in members
