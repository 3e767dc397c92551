"""The aluminium demo case loader (partners/demo.py). `manage.py load_demo`, which also loads the demo study and its
decision aid, is tested in tests/scenarios/test_demo.py and tests/assessment/test_demo.py."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from partners import demo
from partners.catalogue import CRITERIA
from partners.models import (
    Activity,
    CriterionValue,
    DescriptionSheet,
    Facility,
    Invitation,
    LogEntry,
    Membership,
    Organization,
    SheetShare,
)

# What the demo defines (partners/demo.py): the forge and 20 partners (8 collectors, 6 sorters, 6 recoverers, two of
# them with a second role); 25 facilities; 3 personas plus one admin per partner.
ORGANISATIONS = 21
PARTNERS = 20
FACILITIES = 25
ACTIVITIES = 64
USERS = 23
MEMBERSHIPS = 24  # 20 partner admins, the editor in two partners, the forge's admin and auditor
FORGE = "aluforge-automotive"

# Known town coordinates, from the GeoNames gazetteer (geonames.org; the id is the page
# https://www.geonames.org/<id>), for three facilities of the demo.
KNOWN_TOWNS = [
    # facility name, town, GeoNames id, latitude, longitude
    ("Forge Meinerzhagen", "Meinerzhagen", 2872237, 51.1074, 7.64838),
    ("Depot Waalhaven", "Rotterdam", 2747891, 51.9225, 4.47917),
    ("Stabilimento Brescia", "Brescia", 3181554, 45.53558, 10.21472),
]

MODELS = [
    Organization,
    DescriptionSheet,
    CriterionValue,
    Facility,
    Activity,
    Membership,
    Invitation,
    SheetShare,
    LogEntry,
    get_user_model(),
]


@pytest.fixture
def loaded(db, catalogue, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    return demo.load_demo()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_counts(loaded):
    assert loaded.created
    assert Organization.objects.count() == ORGANISATIONS == len(demo.PARTNERS) + 1
    assert Organization.objects.filter(is_end_collector=True).get().slug == FORGE
    assert Facility.objects.count() == FACILITIES
    assert Activity.objects.count() == ACTIVITIES
    assert get_user_model().objects.count() == USERS
    assert Membership.objects.count() == MEMBERSHIPS
    forge = Organization.objects.get(slug=FORGE)
    assert SheetShare.objects.count() == PARTNERS
    assert set(SheetShare.objects.values_list("end_collector", flat=True)) == {forge.pk}
    assert SheetShare.objects.values("organization").distinct().count() == PARTNERS


def test_roles_in_the_network(loaded):
    def companies(field):
        return Organization.objects.filter(**{f"facilities__{field}": True}).distinct().count()

    assert companies("is_collector") == 9  # 8 collectors + the Konin remelter's collection yard
    assert companies("is_sorter") == 6
    assert companies("is_recoverer") == 7  # 6 recoverers + the Brescia sorter that remelts
    assert companies("is_end_collector") == 1


def test_personas(loaded):
    roles = {
        user.username: sorted((m.organization.slug, m.role) for m in user.memberships.select_related("organization"))
        for user in get_user_model().objects.filter(username__in=["editor", "admin", "auditor"])
    }
    assert roles == {
        "editor": [("duisburger-shredderwerk", "editor"), ("ruhr-autoverwertung", "editor")],
        "admin": [(FORGE, "admin")],
        "auditor": [(FORGE, "auditor")],
    }
    for user in loaded.personas:
        assert user.email == f"{user.username}@closeloop.test"
        assert user.first_name and user.last_name
        assert user.check_password("closeloop-demo")


def test_editor_is_member_of_two_organisations(loaded):
    editor = get_user_model().objects.get(username="editor")
    assert editor.memberships.count() == 2
    assert not editor.memberships.filter(organization__is_end_collector=True).exists()
    # The editor kept those sheets: the history shows their work.
    assert LogEntry.objects.filter(actor=editor, action="sheet.changed").count() == 2
    assert LogEntry.objects.filter(actor=editor, action="facility.created").count() == 3  # Dortmund, Bochum, Duisburg


def test_every_partner_has_an_admin_and_a_full_sheet(loaded):
    for data in demo.PARTNERS:
        org = Organization.objects.get(slug=data["slug"])
        admin = get_user_model().objects.get(username=f"{data['slug']}-admin")
        assert Membership.objects.get(organization=org, user=admin).role == "admin"
        assert admin.email == f"{data['slug']}-admin@closeloop.test"
        assert org.sheet.summary and org.sheet.constraints
        assert org.sheet.contact_email.endswith(".example.com")
        assert org.sheet.values.count() == len(CRITERIA)
        assert 1 <= org.facilities.count() <= 2
        assert org.facilities.filter(activities__isnull=False).exists()


def test_every_criterion_value_within_bounds(loaded):
    assert CriterionValue.objects.count() == PARTNERS * len(CRITERIA)
    for value in CriterionValue.objects.select_related("criterion"):
        c = value.criterion
        assert c.min_value is None or value.value >= c.min_value, (value.sheet, c.code, value.value)
        assert c.max_value is None or value.value <= c.max_value, (value.sheet, c.code, value.value)


def test_yields_and_figures(loaded):
    for activity in Activity.objects.all():
        assert Decimal(0) < activity.yield_ratio <= Decimal(1), activity
        assert activity.cost_eur_per_t > 0
        assert min(activity.energy_mj_per_t, activity.co2e_kg_per_t, activity.water_m3_per_t) >= 0
        assert activity.data_source.startswith("Illustrative demo values")
    remelting = Activity.objects.filter(process__code="remelting")
    assert remelting.exists()
    assert all("European Aluminium 2018" in a.data_source for a in remelting)


def test_capacities_are_plausible_for_the_role(loaded):
    bounds = {"is_collector": (500, 5_000), "is_sorter": (10_000, 60_000), "is_recoverer": (20_000, 120_000)}
    for facility in Facility.objects.filter(is_end_collector=False):
        for field, (low, high) in bounds.items():
            if getattr(facility, field):
                assert low <= facility.capacity_t_per_year <= high, (facility, field)


def test_facilities_are_in_europe(loaded):
    for facility in Facility.objects.all():
        assert 35 <= facility.latitude <= 71, facility
        assert -10 <= facility.longitude <= 40, facility
        assert facility.country.code in {"DE", "FR", "BE", "NL", "AT", "CZ", "PL", "IT"}
        assert facility.accepted_materials.exists()


@pytest.mark.parametrize("facility_name, town, geonames_id, lat, lon", KNOWN_TOWNS)
def test_facility_coordinates_match_the_town(loaded, facility_name, town, geonames_id, lat, lon):
    facility = Facility.objects.get(name=facility_name)
    assert town in facility.address
    assert abs(float(facility.latitude) - lat) <= 0.05
    assert abs(float(facility.longitude) - lon) <= 0.05


def test_loading_twice_changes_nothing(loaded):
    before = counts()
    again = demo.load_demo()
    assert not again.created
    assert counts() == before


def test_loading_again_resets_the_persona_passwords(loaded):
    editor = get_user_model().objects.get(username="editor")
    editor.set_password("something-else-entirely")
    editor.save()
    demo.load_demo()
    editor.refresh_from_db()
    assert editor.check_password("closeloop-demo")


def test_password_from_the_environment(db, catalogue, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret")
    result = demo.load_demo()
    assert result.password == "another-demo-secret"
    assert get_user_model().objects.get(username="auditor").check_password("another-demo-secret")
