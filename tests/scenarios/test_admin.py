"""Studies, scenarios, nodes and routes in the Django admin: read-only and scoped to the end collectors the staff
member belongs to, so an approved scenario cannot be changed there either. The study world is in conftest.py."""

from decimal import Decimal

import pytest

from partners.models import Facility, LogEntry, Material
from scenarios import services
from scenarios.models import Node, Route, Scenario, Study
from tests.scenarios.conftest import NOT_ASSESSED

from .conftest import build_network

pytestmark = pytest.mark.django_db


def _staff(user):
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def approved(net):
    """The three-stage network, submitted by the editor and approved by the admin."""
    scenario, nodes, routes = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    scenario = services.scenario_approve(
        user=net.ec_admin, scenario=scenario, comment="Fine.", acknowledge=True, reason=NOT_ASSESSED
    )
    return scenario, nodes, routes


@pytest.fixture
def foreign(net):
    """A study and a draft scenario of another end collector, Press Co, with its plant as the sink node."""
    member = net.world.unshared_member
    Facility.objects.create(
        organization=net.world.unshared_ec,
        name="Secret press plant",
        country="DE",
        latitude=Decimal("50"),
        longitude=Decimal("8"),
        is_end_collector=True,
        capacity_t_per_year=Decimal("100"),
    )
    study = services.study_create(
        user=member,
        end_collector=net.world.unshared_ec,
        name="Secret press study",
        product_name="Press part",
        product_material=Material.objects.get(code="al-secondary-billet"),
        product_mass_kg=Decimal("1"),
        units_per_year=1000,
        need_t_per_year=Decimal("1"),
    )
    scenario = services.scenario_create(user=member, study=study, name="Secret scenario")
    assert scenario.nodes.get().facility.name == "Secret press plant"
    return study, scenario


def test_staff_see_their_end_collectors_studies_and_scenarios_only(net, approved, foreign, client_for):
    client = client_for(_staff(net.ec_admin))
    studies = client.get("/admin/scenarios/study/").content.decode()
    assert "Control arm" in studies
    assert "Secret press study" not in studies
    scenarios = client.get("/admin/scenarios/scenario/").content.decode()
    assert "Nearby" in scenarios
    assert "Secret scenario" not in scenarios
    nodes = client.get("/admin/scenarios/node/").content.decode()
    assert "Hagen sorter" in nodes
    assert "Secret press plant" not in nodes

    study, scenario = foreign
    for url in (f"/admin/scenarios/study/{study.pk}/change/", f"/admin/scenarios/scenario/{scenario.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302  # the admin redirects to its index for an object outside the queryset
        assert "Secret" not in client.get(response["Location"]).content.decode()


def test_invited_partners_and_outsiders_see_no_scenarios(net, approved, client_for):
    # Alu Collect is invited into the study (it reads the study in the portal) but never sees its scenarios.
    for user in (net.world.admin, net.world.unshared_member):
        client = client_for(_staff(user))
        assert "Nearby" not in client.get("/admin/scenarios/scenario/").content.decode()
        assert "Hagen sorter" not in client.get("/admin/scenarios/node/").content.decode()
        assert "Control arm" not in client.get("/admin/scenarios/study/").content.decode()


def test_superusers_follow_the_membership_rule(net, approved, client_for, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.com", "a-long-root-password")
    client = client_for(root)
    assert client.get("/admin/scenarios/scenario/").status_code == 200
    assert "Nearby" not in client.get("/admin/scenarios/scenario/").content.decode()


def test_an_approved_scenario_cannot_be_changed_in_the_admin(net, approved, client_for):
    scenario, nodes, routes = approved
    client = client_for(_staff(net.ec_admin))
    entries = LogEntry.objects.count()
    url = f"/admin/scenarios/scenario/{scenario.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200  # viewable
    assert 'name="_save"' not in page.content.decode()  # no save button: a read-only view

    assert client.post(url, {"name": "Renamed", "version": "1", "status": "draft"}).status_code == 403
    assert client.post(f"/admin/scenarios/scenario/{scenario.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get("/admin/scenarios/scenario/add/").status_code == 403
    assert (
        client.post(
            "/admin/scenarios/scenario/add/",
            {"study": net.study.pk, "name": "Sneaky", "version": "1", "status": "approved"},
        ).status_code
        == 403
    )
    changelist = client.post(
        "/admin/scenarios/scenario/", {"action": "delete_selected", "_selected_action": [scenario.pk]}
    )
    assert changelist.status_code in (200, 302)

    node, route = nodes["hagen"], routes["hagen"]
    assert client.post(f"/admin/scenarios/node/{node.pk}/change/", {"yield_ratio": "1"}).status_code == 403
    assert client.post(f"/admin/scenarios/node/{node.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/scenarios/route/{route.pk}/change/", {"quantity_t": "1"}).status_code == 403
    assert client.post(f"/admin/scenarios/route/{route.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/scenarios/study/{net.study.pk}/change/", {"name": "Renamed"}).status_code == 403
    assert client.post(f"/admin/scenarios/study/{net.study.pk}/delete/", {"post": "yes"}).status_code == 403

    scenario.refresh_from_db()
    assert (scenario.name, scenario.status, scenario.version) == ("Nearby", Scenario.Status.APPROVED, 1)
    assert Scenario.objects.count() == 1
    assert Study.objects.get().name == "Control arm"
    assert Node.objects.get(pk=node.pk).yield_ratio == Decimal("0.8")
    assert Route.objects.get(pk=route.pk).quantity_t is None
    assert Route.objects.filter(scenario=scenario).count() == 4
    assert LogEntry.objects.count() == entries  # nothing was written, so nothing was logged


def test_a_draft_cannot_be_changed_in_the_admin_either(net, client_for):
    scenario, nodes, _ = build_network(net)
    client = client_for(_staff(net.ec_editor))  # may edit drafts in the portal, not here
    assert client.get(f"/admin/scenarios/scenario/{scenario.pk}/change/").status_code == 200
    assert (
        client.post(
            f"/admin/scenarios/scenario/{scenario.pk}/change/",
            {"name": "Renamed", "version": "1", "status": "approved"},
        ).status_code
        == 403
    )
    scenario.refresh_from_db()
    assert (scenario.name, scenario.status) == ("Nearby", Scenario.Status.DRAFT)
