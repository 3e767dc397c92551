"""Gatekeeping of routes (scenarios/materials.py): a route's material must be one its origin sends, its destination
accepts and the study accepts; the route services (pages and API), the step-by-step builder and the optimiser's
candidate arcs follow the same rule.

The world of tests/scenarios/conftest.py: collector Stuttgart yard (dismantling), sorter Hagen (accepts aluminium
parts from dismantled vehicles), remelter Neuss (accepts sorted 6xxx scrap), the forge (accepts secondary billet);
the study "Control arm" accepts aluminium parts and sorted 6xxx scrap, and its product is secondary billet. Each test
sets the materials it is about, and its docstring works out by hand which rule refuses the route.
"""

import pytest
from django.urls import reverse

from assessment import builder, optimisation
from partners.errors import ApplicationError
from partners.models import LogEntry, Material
from scenarios import materials, services
from scenarios.models import Route

pytestmark = pytest.mark.django_db

PARTS, WHEELS, STEEL, PLASTICS = "al-vehicle-parts", "al-wheels", "steel-scrap", "mixed-plastics"


def m(code):
    return Material.objects.get(code=code)


def accepts(facility, *codes):
    facility.accepted_materials.set([m(c) for c in codes])


def study_accepts(net, *codes):
    net.study.accepted_materials.set([m(c) for c in codes])


@pytest.fixture
def bare(net):
    """A draft with the five nodes and no route."""
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Gates")
    nodes = {"forge": scenario.nodes.get(role="end_collector")}
    for key, role in (
        ("stuttgart", "collector"),
        ("mannheim", "collector"),
        ("hagen", "sorter"),
        ("neuss", "recoverer"),
    ):
        nodes[key] = services.node_add(user=net.ec_editor, scenario=scenario, facility=getattr(net, key), role=role)
    return scenario, nodes


def refused(net, scenario, origin, destination, code) -> str:
    before = (Route.objects.count(), LogEntry.objects.count())
    with pytest.raises(ApplicationError) as caught:
        services.route_create(
            user=net.ec_editor, scenario=scenario, origin=origin, destination=destination, material=m(code)
        )
    assert (Route.objects.count(), LogEntry.objects.count()) == before  # nothing written
    assert list(caught.value.field_errors) == ["material"]
    return " ".join(caught.value.field_errors["material"])


# ---------------------------------------------------------------- the three rules, through the service


def test_the_reported_case_ferrous_scrap_from_a_dismantler(net, bare):
    """The issue: a dismantler that takes only aluminium parts sends "Ferrous scrap" to a sorter that takes it, in a
    study that does not accept ferrous scrap. Before, the route was drawn and, with equal shares, carried a third of
    the sorter's inflow next to two aluminium routes. Now refused: Stuttgart collects aluminium parts only, so the
    origin rule speaks first."""
    scenario, nodes = bare
    accepts(net.stuttgart, PARTS)
    accepts(net.hagen, PARTS, STEEL)
    message = refused(net, scenario, nodes["stuttgart"], nodes["hagen"], STEEL)
    assert message == (
        "Stuttgart yard does not send Ferrous scrap: it collects Aluminium parts from dismantled vehicles."
    )


def test_origin_does_not_send_it(net, bare):
    """Only the origin rule fails: Hagen and the study both accept ferrous scrap, but Stuttgart collects aluminium
    parts and wheels only."""
    scenario, nodes = bare
    accepts(net.stuttgart, PARTS, WHEELS)
    accepts(net.hagen, PARTS, STEEL)
    study_accepts(net, PARTS, STEEL)
    assert refused(net, scenario, nodes["stuttgart"], nodes["hagen"], STEEL) == (
        "Stuttgart yard does not send Ferrous scrap: it collects Aluminium parts from dismantled vehicles, "
        "Aluminium wheels."
    )


def test_a_sorter_sends_what_its_activity_makes_of_what_it_takes_in(net, bare):
    """Only the origin rule fails: Neuss and the study accept mixed plastics, but Hagen takes in aluminium parts
    only, so shredding them makes aluminium fractions, not plastics. Sorted 6xxx scrap (aluminium) it may send."""
    scenario, nodes = bare
    accepts(net.neuss, "al-sorted-6xxx", PLASTICS)
    study_accepts(net, PARTS, "al-sorted-6xxx", PLASTICS)
    assert refused(net, scenario, nodes["hagen"], nodes["neuss"], PLASTICS) == (
        "Hagen sorter does not send Mixed plastics: its sorter activity makes aluminium material of what it takes in."
    )
    services.route_create(
        user=net.ec_editor,
        scenario=scenario,
        origin=nodes["hagen"],
        destination=nodes["neuss"],
        material=m("al-sorted-6xxx"),
    )


def test_destination_does_not_accept_it(net, bare):
    """Only the destination rule fails: Stuttgart collects wheels and the study accepts them, but Hagen takes
    aluminium parts only."""
    scenario, nodes = bare
    accepts(net.stuttgart, PARTS, WHEELS)
    study_accepts(net, PARTS, WHEELS)
    assert refused(net, scenario, nodes["stuttgart"], nodes["hagen"], WHEELS) == (
        "Hagen sorter does not accept Aluminium wheels."
    )


def test_study_does_not_accept_it(net, bare):
    """Only the study rule fails: Stuttgart collects ferrous scrap (whole cars) and Hagen takes it, but the study
    accepts aluminium parts and sorted 6xxx scrap, and its product is secondary billet."""
    scenario, nodes = bare
    accepts(net.stuttgart, PARTS, STEEL)
    accepts(net.hagen, PARTS, STEEL)
    assert refused(net, scenario, nodes["stuttgart"], nodes["hagen"], STEEL) == (
        "The study does not accept Ferrous scrap; it accepts Aluminium parts from dismantled vehicles, Secondary "
        "aluminium billet (AA6082), Sorted 6xxx-series aluminium scrap."
    )


def test_changing_a_routes_material_follows_the_rule(net, bare):
    """route_update checks the same rule: Stuttgart -> Hagen with parts is good; changing it to ferrous scrap, which
    Stuttgart does not collect, is refused and the route keeps its parts."""
    scenario, nodes = bare
    accepts(net.stuttgart, PARTS)
    accepts(net.hagen, PARTS, STEEL)
    study_accepts(net, PARTS, STEEL)
    route = services.route_create(
        user=net.ec_editor, scenario=scenario, origin=nodes["stuttgart"], destination=nodes["hagen"], material=m(PARTS)
    )
    with pytest.raises(ApplicationError) as caught:
        services.route_update(user=net.ec_editor, route=route, material=m(STEEL))
    assert caught.value.field_errors["material"] == [
        "Stuttgart yard does not send Ferrous scrap: it collects Aluminium parts from dismantled vehicles."
    ]
    assert Route.objects.get(pk=route.pk).material.code == PARTS


# ---------------------------------------------------------------- API and page


def test_api_answers_400_naming_material(net, bare, api_for):
    """The reported case through the API: 400, the message under `material`, no route."""
    scenario, nodes = bare
    accepts(net.stuttgart, PARTS)
    accepts(net.hagen, PARTS, STEEL)
    response = api_for(net.ec_editor).post(
        reverse("api-scenario-routes", kwargs={"id": scenario.pk}),
        {"origin": nodes["stuttgart"].pk, "destination": nodes["hagen"].pk, "material": STEEL},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["material"] == [
        "Stuttgart yard does not send Ferrous scrap: it collects Aluminium parts from dismantled vehicles."
    ]
    assert not scenario.routes.exists()


def test_page_form_shows_the_error_on_material(net, bare, client_for):
    """The reported case through the scenario page's route form: the form comes back with the message on the
    material field, and no route is drawn."""
    scenario, nodes = bare
    accepts(net.stuttgart, PARTS)
    accepts(net.hagen, PARTS, STEEL)
    response = client_for(net.ec_editor).post(
        reverse("route-add", args=[scenario.pk]),
        {
            "origin": nodes["stuttgart"].pk,
            "destination": nodes["hagen"].pk,
            "material": STEEL,
            "quantity_t": "",
            "share": "1",
            "mode": "road",
            "distance_km": "",
            "is_backhaul": "",
        },
    )
    assert response.status_code == 200
    errors = response.context["route_form"].errors
    assert list(errors) == ["material"]
    assert errors["material"] == [
        "Stuttgart yard does not send Ferrous scrap: it collects Aluminium parts from dismantled vehicles."
    ]
    assert not scenario.routes.exists()


def test_scenario_page_names_a_draft_route_that_breaks_the_rule(net, bare, client_for):
    """A route drawn while Stuttgart still collected ferrous scrap stays (nothing deleted) when Stuttgart stops
    collecting it; the draft's page names it as a problem to fix."""
    scenario, nodes = bare
    accepts(net.stuttgart, PARTS, STEEL)
    accepts(net.hagen, PARTS, STEEL)
    study_accepts(net, PARTS, STEEL)
    route = services.route_create(
        user=net.ec_editor, scenario=scenario, origin=nodes["stuttgart"], destination=nodes["hagen"], material=m(STEEL)
    )
    accepts(net.stuttgart, PARTS)
    page = client_for(net.ec_viewer).get(reverse("scenario", args=[scenario.pk])).content.decode()
    assert 'id="route-problems"' in page
    assert (
        "Stuttgart yard to Hagen sorter carries Ferrous scrap. Stuttgart yard does not send Ferrous scrap: it "
        "collects Aluminium parts from dismantled vehicles."
    ) in page
    assert Route.objects.filter(pk=route.pk).exists()


def test_scenario_page_without_such_routes_says_nothing(net, client_for):
    """The conftest network (parts, sorted 6xxx scrap, billet) keeps the rule: no problem shown."""
    from tests.scenarios.conftest import build_network

    scenario, _, _ = build_network(net)
    page = client_for(net.ec_viewer).get(reverse("scenario", args=[scenario.pk])).content.decode()
    assert 'id="route-problems"' not in page


# ---------------------------------------------------------------- builder and optimiser


def test_builder_gives_no_default_the_rule_refuses(net):
    """Building backwards, Hagen joins Neuss. Neuss takes only aluminium wheels, which Hagen could make (aluminium)
    but the study does not accept (parts, sorted 6xxx scrap, billet): there is no material for that route, so the
    step is refused under `material` and nothing is added. Before, the builder fell back on whatever Neuss took
    (wheels)."""
    accepts(net.neuss, WHEELS)
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Built")
    services.node_add(user=net.ec_editor, scenario=scenario, facility=net.neuss, role="recoverer")
    before = (scenario.nodes.count(), Route.objects.count(), LogEntry.objects.count())
    with pytest.raises(ApplicationError) as caught:
        builder.step(user=net.ec_editor, scenario=scenario, direction="backwards", role="sorter", facility=net.hagen)
    assert caught.value.field_errors["material"] == [
        "No material may run from Hagen sorter to Neuss remelter: none that Hagen sorter sends is accepted by "
        "Neuss remelter and by the study."
    ]
    assert (scenario.nodes.count(), Route.objects.count(), LogEntry.objects.count()) == before


def test_builder_default_is_one_the_rule_allows(net):
    """Hagen -> Neuss where Neuss takes mixed plastics and sorted 6xxx scrap: only sorted 6xxx passes (Hagen makes
    aluminium material; the study does not accept plastics), and each default passes `materials.problem`."""
    accepts(net.neuss, PLASTICS, "al-sorted-6xxx")
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Built")
    neuss = services.node_add(user=net.ec_editor, scenario=scenario, facility=net.neuss, role="recoverer")
    hagen = services.node_add(user=net.ec_editor, scenario=scenario, facility=net.hagen, role="sorter")
    assert [x.code for x in materials.route_materials(net.study, hagen, neuss)] == ["al-sorted-6xxx"]
    assert builder.default_material(net.study, hagen, neuss).code == "al-sorted-6xxx"


def test_optimiser_leaves_out_arcs_without_a_material_and_says_so(net):
    """Candidate arcs: Stuttgart and Mannheim -> Hagen (parts), Hagen -> Neuss, Neuss -> forge (billet). With Neuss
    taking only aluminium wheels (which the study does not accept) the Hagen -> Neuss arc goes, with a note naming
    both; Neuss, an aluminium remelter, still sends billet to the forge. Before, the arc was modelled carrying
    wheels."""
    accepts(net.neuss, WHEELS)
    inputs = optimisation.study_inputs(user=net.ec_editor, study=net.study)
    arcs = {(a["origin"], a["destination"]): a["material"] for a in inputs["arcs"]}
    hagen, neuss = f"sorter:{net.hagen.pk}", f"recoverer:{net.neuss.pk}"
    assert (hagen, neuss) not in arcs
    assert arcs[(neuss, f"end_collector:{net.forge.pk}")] == "al-secondary-billet"
    assert arcs[(f"collector:{net.stuttgart.pk}", hagen)] == PARTS
    assert (
        "Hagen sorter (Sort & Melt) as sorter to Neuss remelter (Sort & Melt): no route, no material it sends "
        "is accepted there and by the study"
    ) in inputs["left_out"]
