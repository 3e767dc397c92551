"""The Django admin: staff keep the catalogues; tenant data is read-only there and scoped to the staff member's
organisations; log entries can be neither changed nor deleted."""

import pytest

from partners import services
from partners.models import Facility, LogEntry, Material


@pytest.fixture
def staff(world):
    """The partner's admin, given access to the Django admin."""
    world.admin.is_staff = True
    world.admin.save()
    return world.admin


def test_staff_edit_the_material_catalogue(staff, client_for):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="add_material"))
    client = client_for(staff)
    response = client.post(
        "/admin/partners/material/add/",
        {"code": "al-cans", "name": "Used beverage cans", "family": "aluminium", "description": ""},
    )
    assert response.status_code == 302
    assert Material.objects.get(code="al-cans").name == "Used beverage cans"


def test_staff_see_only_their_organisations_facilities(world, staff, client_for):
    services.facility_create(
        user=world.stranger,
        organization=world.other,
        name="Secret plant",
        country="FR",
        latitude=45,
        longitude=4,
        capacity_t_per_year=10,
        roles=["sorter"],
    )
    client = client_for(staff)
    listing = client.get("/admin/partners/facility/").content.decode()
    assert "Stuttgart yard" in listing
    assert "Secret plant" not in listing
    foreign = Facility.objects.get(name="Secret plant")
    response = client.get(f"/admin/partners/facility/{foreign.pk}/change/")
    assert response.status_code == 302  # the admin redirects to its index for an object outside the queryset
    assert "Secret plant" not in client.get(response["Location"]).content.decode()


def test_tenant_data_is_read_only_in_the_admin(world, staff, client_for):
    client = client_for(staff)
    url = f"/admin/partners/facility/{world.facility.pk}/change/"
    assert client.get(url).status_code == 200  # viewable
    response = client.post(
        url, {"name": "Renamed", "country": "DE", "latitude": "1", "longitude": "1", "capacity_t_per_year": "1"}
    )
    assert response.status_code == 403
    world.facility.refresh_from_db()
    assert world.facility.name == "Stuttgart yard"
    assert client.get("/admin/partners/facility/add/").status_code == 403


def test_log_entries_cannot_be_changed_or_deleted_in_the_admin(world, staff, client_for):
    services.facility_update(user=world.editor, facility=world.facility, capacity_t_per_year=1500)
    entry = LogEntry.objects.get(action="facility.changed")
    client = client_for(staff)
    assert client.get(f"/admin/partners/logentry/{entry.pk}/change/").status_code == 200
    assert client.post(f"/admin/partners/logentry/{entry.pk}/change/", {"action": "x"}).status_code == 403
    assert client.post(f"/admin/partners/logentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    changelist = client.post("/admin/partners/logentry/", {"action": "delete_selected", "_selected_action": [entry.pk]})
    assert changelist.status_code in (200, 302)
    entry.refresh_from_db()
    assert (entry.action, entry.changes) == ("facility.changed", {"capacity_t_per_year": ["1200", "1500"]})
