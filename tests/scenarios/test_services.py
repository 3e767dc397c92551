"""Studies and scenarios through the services: quantities on the hand-worked network, distances, validation,
workflow and immutability. The network and its figures are in tests/scenarios/conftest.py."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from partners.errors import ApplicationError
from partners.models import LogEntry
from scenarios import network, services
from scenarios.distances import geodesic_km
from scenarios.models import Node, Route, Scenario, Study
from tests.scenarios.conftest import NOT_ASSESSED

from .conftest import build_network

pytestmark = pytest.mark.django_db


def test_recommended_quantities_on_the_three_stage_network(net):
    scenario, nodes, routes = build_network(net)
    flows = network.flows(scenario)
    # Hand-worked in conftest: 90 at the forge, Neuss 100 in, Hagen 125 in split 3:2 into 75 and 50.
    assert flows.routes[routes["neuss"].pk].recommended_t == pytest.approx(90)
    assert flows.routes[routes["hagen"].pk].recommended_t == pytest.approx(100)
    assert flows.routes[routes["stuttgart"].pk].recommended_t == pytest.approx(75)
    assert flows.routes[routes["mannheim"].pk].recommended_t == pytest.approx(50)
    # Collectors gather their output over their yield: 75 / 0.85 and 50 / 0.5.
    assert flows.nodes[nodes["stuttgart"].pk].recommended_in_t == pytest.approx(75 / 0.85)
    assert flows.nodes[nodes["mannheim"].pk].recommended_in_t == pytest.approx(100)
    # Capacity use of Hagen: 125 of 2,000 t/year.
    assert flows.nodes[nodes["hagen"].pk].capacity_use == pytest.approx(0.0625)
    assert flows.problems == ()
    assert not any(f.capacity_overrun or f.mass_balance_break for f in flows.nodes.values())


def test_a_capacity_overrun_is_flagged(net):
    scenario, nodes, _ = build_network(net)
    # Mannheim may collect 300 t/year; at a need of 270 t/year everything triples: it must collect 3 x 100 = 300
    # (at capacity, no flag). At 297 t/year (x 3.3) it must collect 330 > 300.
    services.study_update(user=net.ec_editor, study=net.study, need_t_per_year=Decimal("297"))
    scenario.refresh_from_db()
    flows = network.flows(scenario)
    mannheim = flows.nodes[nodes["mannheim"].pk]
    assert mannheim.recommended_in_t == pytest.approx(330)
    assert mannheim.capacity_overrun and mannheim.capacity_use == pytest.approx(1.1)
    assert not flows.nodes[nodes["hagen"].pk].capacity_overrun  # 412.5 of 2,000


def test_node_copies_yield_capacity_and_coordinates_from_the_sheet(net):
    scenario, nodes, _ = build_network(net)
    hagen = nodes["hagen"]
    assert (hagen.yield_ratio, hagen.capacity_t_per_year) == (Decimal("0.8"), Decimal("2000"))
    assert (hagen.latitude, hagen.longitude) == (net.hagen.latitude, net.hagen.longitude)
    assert hagen.activity.process.code == "shredding"
    assert nodes["forge"].yield_ratio == 1


def test_computed_distance_is_geodesic_times_road_circuity(net, settings):
    scenario, nodes, routes = build_network(net)
    route = routes["hagen"]
    expected = geodesic_km(51.3671, 7.4633, 51.2042, 6.6879) * 1.3
    assert float(route.distance_km) == pytest.approx(expected, abs=0.005)
    assert (route.distance_source, route.circuity, route.mode) == ("computed", Decimal("1.3"), "road")
    # A typed distance overrides it and says so; clearing it returns to the computed one.
    route = services.route_update(user=net.ec_editor, route=route, distance_km=Decimal("80"))
    assert (route.distance_km, route.distance_source, route.circuity) == (Decimal("80"), "typed", None)
    settings.CIRCUITY_FACTORS = {**settings.CIRCUITY_FACTORS, "rail": 1.5}
    route = services.route_update(user=net.ec_editor, route=route, distance_km=None, mode="rail")
    assert float(route.distance_km) == pytest.approx(geodesic_km(51.3671, 7.4633, 51.2042, 6.6879) * 1.5, abs=0.005)


@pytest.mark.parametrize(
    "change,field",
    [
        ({"origin": "hagen", "destination": "stuttgart", "material": "al-vehicle-parts"}, "destination"),  # upstream
        ({"origin": "stuttgart", "destination": "neuss", "material": "al-sorted-6xxx"}, "destination"),  # skips sorting
        ({"origin": "stuttgart", "destination": "hagen", "material": "steel-scrap"}, "material"),  # not accepted
        (
            {"origin": "mannheim", "destination": "hagen", "material": "al-vehicle-parts", "quantity_t": Decimal(0)},
            "quantity_t",
        ),
        (
            {"origin": "hagen", "destination": "neuss", "material": "al-sorted-6xxx", "distance_km": Decimal("-3")},
            "distance_km",
        ),
        ({"origin": "hagen", "destination": "neuss", "material": "al-sorted-6xxx", "share": Decimal(0)}, "share"),
    ],
)
def test_bad_routes_are_refused_with_the_field_named_and_nothing_written(net, change, field):
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Bad")
    nodes = {
        "stuttgart": ("stuttgart", "collector"),
        "mannheim": ("mannheim", "collector"),
        "hagen": ("hagen", "sorter"),
        "neuss": ("neuss", "recoverer"),
    }
    made = {
        k: services.node_add(user=net.ec_editor, scenario=scenario, facility=getattr(net, f), role=r)
        for k, (f, r) in nodes.items()
    }
    entries = LogEntry.objects.count()
    data = dict(change)
    data["origin"], data["destination"] = made[data["origin"]], made[data["destination"]]
    data["material"] = net.material(data["material"])
    with pytest.raises(ApplicationError) as info:
        services.route_create(user=net.ec_editor, scenario=scenario, **data)
    assert field in info.value.field_errors
    assert Route.objects.count() == 0 and LogEntry.objects.count() == entries


def test_skipping_a_stage_is_allowed_when_the_facility_performs_it(net):
    net.stuttgart.is_sorter = True
    net.stuttgart.save()
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Skip")
    origin = services.node_add(user=net.ec_editor, scenario=scenario, facility=net.stuttgart, role="collector")
    neuss = services.node_add(user=net.ec_editor, scenario=scenario, facility=net.neuss, role="recoverer")
    route = services.route_create(
        user=net.ec_editor, scenario=scenario, origin=origin, destination=neuss, material=net.material("al-sorted-6xxx")
    )
    assert route.pk


def test_unreachable_network_cannot_be_submitted_and_says_why(net):
    scenario, nodes, routes = build_network(net)
    services.route_delete(user=net.ec_editor, route=routes["hagen"])
    with pytest.raises(ApplicationError) as info:
        services.scenario_submit(user=net.ec_editor, scenario=scenario)
    assert "Sorter: Hagen sorter is not connected to the end collector." in info.value.message
    scenario.refresh_from_db()
    assert scenario.status == "draft"


def test_workflow_submit_approve_freezes_and_new_version_copies(net):
    scenario, nodes, routes = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    with pytest.raises(PermissionDenied):
        services.scenario_approve(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    services.scenario_approve(user=net.ec_admin, scenario=scenario, comment="Go", acknowledge=True, reason=NOT_ASSESSED)
    scenario.refresh_from_db()
    assert (scenario.status, scenario.decided_by, scenario.decision_comment) == ("approved", net.ec_admin, "Go")
    for call in (
        lambda: services.route_update(user=net.ec_editor, route=routes["hagen"], quantity_t=Decimal(5)),
        lambda: services.route_delete(user=net.ec_editor, route=routes["hagen"]),
        lambda: services.node_remove(user=net.ec_editor, node=nodes["hagen"]),
        lambda: services.node_add(user=net.ec_editor, scenario=scenario, facility=net.mannheim, role="collector"),
        lambda: services.scenario_update(user=net.ec_editor, scenario=scenario, name="Renamed"),
        lambda: services.scenario_delete(user=net.ec_editor, scenario=scenario),
    ):
        with pytest.raises(ApplicationError) as info:
            call()
        assert info.value.status == 409
    copy = services.scenario_new_version(user=net.ec_editor, scenario=scenario)
    assert (copy.name, copy.version, copy.status, copy.previous) == ("Nearby", 2, "draft", scenario)
    assert copy.nodes.count() == 5 and copy.routes.count() == 4
    assert network.flows(copy).routes[
        copy.routes.get(origin__facility=net.stuttgart).pk
    ].recommended_t == pytest.approx(75)
    clone = services.scenario_clone(user=net.ec_editor, scenario=scenario)
    assert (clone.name, clone.version) == ("Nearby (copy)", 1)


def test_reject_needs_a_comment_and_only_submitted_scenarios_are_decided(net):
    scenario, _, _ = build_network(net)
    with pytest.raises(ApplicationError) as info:
        services.scenario_reject(user=net.ec_admin, scenario=scenario, comment="Too far")
    assert info.value.status == 409
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    with pytest.raises(ApplicationError) as info:
        services.scenario_reject(user=net.ec_admin, scenario=scenario, comment="  ")
    assert "comment" in info.value.field_errors
    services.scenario_reject(user=net.ec_admin, scenario=scenario, comment="Too far")
    scenario.refresh_from_db()
    assert scenario.status == "rejected"


def test_candidates_must_share_their_sheet(net):
    with pytest.raises(ApplicationError) as info:
        services.study_update(user=net.ec_editor, study=net.study, candidates=[net.world.other])
    assert "Other Metals" in info.value.field_errors["candidates"][0]
    assert set(net.study.candidates.all()) == {net.world.partner, net.sort_melt}


def test_need_follows_from_the_recycled_share(net):
    # 30 % of 2.5 kg x 100,000 units = 75,000 kg = 75 t/year.
    study = services.study_update(
        user=net.ec_editor, study=net.study, need_t_per_year=None, recycled_share=Decimal("0.3")
    )
    assert study.required_t_per_year == Decimal("75")
    with pytest.raises(ApplicationError):
        services.study_update(user=net.ec_editor, study=net.study, recycled_share=None)


def test_facilities_of_partners_not_invited_are_refused(net):
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Outsider")
    from tests.scenarios.conftest import _facility

    outsider = _facility(
        net.world.other, "Far yard", "50", "10", "100", roles=["collector"], process="collection", yield_ratio="0.5"
    )
    with pytest.raises(ApplicationError) as info:
        services.node_add(user=net.ec_editor, scenario=scenario, facility=outsider, role="collector")
    assert "facility" in info.value.field_errors
    with pytest.raises(ApplicationError) as info:
        services.node_add(user=net.ec_editor, scenario=scenario, facility=net.hagen, role="collector")
    assert "role" in info.value.field_errors
    assert Node.objects.filter(scenario=scenario).count() == 1  # the forge only


@pytest.mark.parametrize(
    "who,error",
    [
        ("ec_viewer", PermissionDenied),
        ("ec_auditor", PermissionDenied),
        ("partner_member", Http404),
        ("stranger", Http404),
    ],
)
def test_readers_and_outsiders_cannot_write(net, who, error):
    with pytest.raises(error):
        services.scenario_create(user=net.user(who), study=net.study, name="Mine")
    assert not Scenario.objects.exists()
    assert Study.objects.count() == 1


def test_a_partner_cannot_delete_a_facility_used_in_a_scenario(net):
    from partners import services as partner_services

    build_network(net)
    with pytest.raises(ApplicationError, match="network scenario"):
        partner_services.facility_delete(user=net.world.editor, facility=net.stuttgart)
    assert LogEntry.objects.filter(action="facility.deleted").count() == 0
