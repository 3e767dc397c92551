"""The study and scenario forms: good input writes through the services, bad input answers 200 with the error on the
named field and writes nothing; the scenario page shows the hand-worked quantities of tests/scenarios/conftest.py."""

import html
import re
from decimal import Decimal

import pytest

from partners.models import LogEntry
from scenarios import services
from scenarios.models import Node, Route, Scenario, Study
from tests.scenarios.conftest import NOT_ASSESSED, build_network

GOOD_STUDY = {
    "name": "Knuckle",
    "product_name": "Steering knuckle",
    "product_material": "al-secondary-billet",
    "product_alloy": "AA6082",
    "product_mass_kg": "2.5",
    "units_per_year": "100000",
    "need_t_per_year": "",
    "recycled_share_pct": "30",
    "accepted_materials": ["al-vehicle-parts", "al-sorted-6xxx"],
    "candidates": ["alu-collect", "sort-melt"],
    "description": "",
}


def counts():
    return (
        Study.objects.count(),
        Scenario.objects.count(),
        Node.objects.count(),
        Route.objects.count(),
        LogEntry.objects.count(),
    )


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def row(page: str, kind: str, pk: int) -> str:
    """The visible text of the table row of one node or route."""
    match = re.search(rf'<tr data-{kind}="{pk}">(.*?)</tr>', page, re.S)
    assert match, f"no {kind} row {pk}"
    return text(match.group(1))


# ---------------------------------------------------------------- studies


def test_study_share_is_typed_in_percent(net, client_for):
    """Typing 50 for a 50 % share stores the fraction 0.5 (it used to say "no more than 1 digit before the decimal
    point"); the edit form shows it back as 50."""
    client = client_for(net.ec_editor)
    response = client.post("/o/forge-works/studies/new/", {**GOOD_STUDY, "recycled_share_pct": "50"})
    study = Study.objects.get(name="Knuckle")
    assert response.status_code == 302 and study.recycled_share == Decimal("0.5")
    page = client.get(f"/studies/{study.pk}/edit/").content.decode()
    assert 'name="recycled_share_pct" value="50"' in page


def test_study_with_a_share_shows_the_derived_tonnage(net, client_for):
    client = client_for(net.ec_editor)
    response = client.post("/o/forge-works/studies/new/", GOOD_STUDY)
    study = Study.objects.get(name="Knuckle")
    assert response.status_code == 302 and response["Location"] == f"/studies/{study.pk}/"
    assert study.need_t_per_year is None and study.recycled_share == Decimal("0.3")
    assert sorted(c.slug for c in study.candidates.all()) == ["alu-collect", "sort-melt"]
    # 0.3 x 2.5 kg x 100,000 units / 1000 = 75 t/year
    page = text(client.get(response["Location"]).content.decode())
    assert "75 t/year = recycled share 0.3 × 2.5 kg × 100,000 units / 1000" in page
    assert "250 t/year of product" in page
    listing = text(client.get("/o/forge-works/studies/").content.decode())
    assert "Knuckle Steering knuckle" in listing


def test_study_form_offers_only_sharing_partners(net, client_for):
    page = client_for(net.ec_editor).get("/o/forge-works/studies/new/").content.decode()
    assert 'value="alu-collect"' in page and 'value="sort-melt"' in page and 'value="other-metals"' not in page
    assert "one of the two is needed" in page


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"need_t_per_year": "", "recycled_share_pct": ""}, "need_t_per_year", "Give the need in t/year, or a target"),
        (
            {"recycled_share_pct": "150"},
            "recycled_share_pct",
            "The target recycled-content share must be at most 100 %.",
        ),
        ({"recycled_share_pct": "0"}, "recycled_share_pct", "The target recycled-content share must be above 0 %."),
        ({"product_mass_kg": "0"}, "product_mass_kg", "Mass per unit must be above 0 kg."),
        ({"units_per_year": "9223372036854775808"}, "units_per_year", "Units per year must be at most 1,000,000,000."),
        ({"name": "K" * 161}, "name", "at most 160 characters"),
        ({"name": "Knuckle\x00"}, "name", "Null characters are not allowed."),
        ({"candidates": ["other-metals"]}, "candidates", "Select a valid choice"),
        ({"name": "Control arm"}, "name", "already have a study of that name"),
    ],
)
def test_study_form_refuses_bad_input(net, client_for, changes, field, message):
    before = counts()
    response = client_for(net.ec_editor).post("/o/forge-works/studies/new/", {**GOOD_STUDY, **changes})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert message in " ".join(errors[field])
    assert counts() == before


def test_study_edit_keeps_what_it_is_not_given(net, client_for):
    client = client_for(net.ec_editor)
    page = client.get(f"/studies/{net.study.pk}/edit/").content.decode()
    assert 'name="need_t_per_year" value="90"' in page  # 90, not 90.000
    assert re.search(r'name="candidates" value="alu-collect"[^>]*checked', page)
    assert re.search(r'name="accepted_materials" value="al-sorted-6xxx"[^>]*checked', page)
    response = client.post(
        f"/studies/{net.study.pk}/edit/",
        {**GOOD_STUDY, "name": "Control arm", "product_name": "Front lower control arm", "need_t_per_year": "120"},
    )
    assert response.status_code == 302
    net.study.refresh_from_db()
    assert net.study.need_t_per_year == Decimal("120")
    assert LogEntry.objects.filter(action="study.changed").count() == 1


# ---------------------------------------------------------------- building a scenario through the forms


def test_scenario_built_through_the_forms(net, client_for):
    client = client_for(net.ec_editor)
    response = client.post(f"/studies/{net.study.pk}/scenarios/new/", {"name": "By hand"})
    scenario = Scenario.objects.get(name="By hand")
    assert response["Location"] == f"/scenarios/{scenario.pk}/"
    forge = scenario.nodes.get(role="end_collector")  # the end collector's single plant comes in by itself
    page = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "Cannot be submitted:" in text(page) and "No route reaches the end collector." in text(page)
    assert 'id="submit-scenario" disabled' in page

    for facility, role in [(net.stuttgart, "collector"), (net.hagen, "sorter"), (net.neuss, "recoverer")]:
        response = client.post(f"/scenarios/{scenario.pk}/nodes/", {"facility": facility.pk, "role": role})
        assert response.status_code == 302, response.context["node_form"].errors
    nodes = {n.facility.name.split()[0].lower(): n for n in scenario.nodes.select_related("facility")}
    assert nodes["stuttgart"].yield_ratio == Decimal("0.85")  # copied from its dismantling activity
    for origin, destination, material in [
        ("stuttgart", "hagen", "al-vehicle-parts"),
        ("hagen", "neuss", "al-sorted-6xxx"),
        ("neuss", "forge", "al-secondary-billet"),
    ]:
        response = client.post(
            f"/scenarios/{scenario.pk}/routes/",
            {
                "origin": nodes[origin].pk,
                "destination": nodes[destination].pk,
                "material": material,
                "share": "1",
                "mode": "road",
                "quantity_t": "",
                "distance_km": "",
            },
        )
        assert response.status_code == 302, response.context["route_form"].errors
    assert nodes["forge"] == forge

    page = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    routes = {r.origin.facility.name.split()[0].lower(): r for r in scenario.routes.select_related("origin__facility")}
    # Neuss delivers 90, receives 90 / 0.9 = 100; Hagen delivers 100, receives 100 / 0.8 = 125, all from Stuttgart,
    # which collects 125 / 0.85 = 147.06.
    assert row(page, "route", routes["neuss"].pk).startswith("Neuss remelter → Forge plant")
    assert "100 % weight 1 90 recommended" in row(page, "route", routes["neuss"].pk)
    assert " 100 recommended" in row(page, "route", routes["hagen"].pk)
    assert " 125 recommended" in row(page, "route", routes["stuttgart"].pk)
    assert "147.06" in row(page, "node", nodes["stuttgart"].pk)
    assert "Cannot be submitted" not in text(page)
    assert (
        client.post(f"/scenarios/{scenario.pk}/submit/", {"acknowledge": "on", "reason": NOT_ASSESSED}).status_code
        == 302
    )
    scenario.refresh_from_db()
    assert scenario.status == "submitted"


def test_scenario_page_shows_the_hand_worked_quantities(net, client_for):
    scenario, nodes, routes = build_network(net)
    services.route_update(user=net.ec_editor, route=routes["hagen"], distance_km=Decimal("64"), is_backhaul=True)
    page = client_for(net.ec_viewer).get(f"/scenarios/{scenario.pk}/").content.decode()
    # Neuss must deliver 90 so receives 100; Hagen delivers 100 so receives 125, split 3:2 into 75 and 50.
    assert row(page, "route", routes["stuttgart"].pk) == (
        "Stuttgart yard → Hagen sorter Aluminium parts from dismantled vehicles 60 % weight 3 75 recommended Road "
        f"{routes['stuttgart'].distance_km.normalize():f} geodesic x 1.3 no"
    )
    assert "40 % weight 2 50 recommended" in row(page, "route", routes["mannheim"].pk)
    assert "100 recommended Road 64 typed yes" in row(page, "route", routes["hagen"].pk)
    assert " 90 recommended" in row(page, "route", routes["neuss"].pk)
    # Recommended inputs: Stuttgart 75 / 0.85 = 88.24, Mannheim 50 / 0.5 = 100 (one third of its 300 t/year).
    assert row(page, "node", nodes["stuttgart"].pk).startswith("Stuttgart yard Alu Collect Collector 0.85 1,200 88.24")
    assert row(page, "node", nodes["mannheim"].pk) == "Mannheim yard Alu Collect Collector 0.5 300 100 100 50 33.3 %"
    assert "Cannot be submitted" not in text(page) and "flag" not in row(page, "node", nodes["mannheim"].pk)


def test_capacity_overrun_is_flagged_when_the_need_rises(net, client_for):
    scenario, nodes, _ = build_network(net)
    client = client_for(net.ec_editor)
    response = client.post(
        f"/studies/{net.study.pk}/edit/",
        {**GOOD_STUDY, "name": "Control arm", "product_name": "Front lower control arm", "need_t_per_year": "297"},
    )
    assert response.status_code == 302
    page = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    # 297 / 0.9 = 330 into Neuss; 330 / 0.8 = 412.5 into Hagen, 2/5 of it (165) from Mannheim, which must collect
    # 165 / 0.5 = 330 > its 300 t/year.
    mannheim = row(page, "node", nodes["mannheim"].pk)
    assert "Collector 0.5 300 330 330 165 110 % capacity overrun" in mannheim
    assert "needs 330 t/year but its capacity is 300 t/year" in mannheim
    for other in ("stuttgart", "hagen", "neuss", "forge"):
        assert "capacity overrun" not in row(page, "node", nodes[other].pk)
    assert 'class="flag"' in page


def test_typed_quantity_and_mass_balance_break(net, client_for):
    scenario, nodes, routes = build_network(net)
    client = client_for(net.ec_editor)
    response = client.post(
        f"/scenarios/{scenario.pk}/routes/{routes['neuss'].pk}/edit/",
        {"quantity_t": "95", "share": "1", "mode": "road", "distance_km": ""},
    )
    assert response.status_code == 302
    page = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "90 95 typed" in row(page, "route", routes["neuss"].pk)
    # Neuss receives 100 and yields 0.9: it can deliver 90, not 95.
    assert "mass-balance break" in row(page, "node", nodes["neuss"].pk)


def test_route_edit_changes_the_split(net, client_for):
    scenario, _, routes = build_network(net)
    client = client_for(net.ec_editor)
    page = client.get(f"/scenarios/{scenario.pk}/routes/{routes['stuttgart'].pk}/edit/").content.decode()
    assert 'name="share" value="3"' in page and "Leave empty to compute it" in page
    client.post(
        f"/scenarios/{scenario.pk}/routes/{routes['stuttgart'].pk}/edit/",
        {"share": "2", "mode": "rail", "quantity_t": "", "distance_km": ""},
    )
    page = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    # shares 2:2 split 125 into 62.5 and 62.5
    assert "50 % weight 2 62.5 recommended Rail" in row(page, "route", routes["stuttgart"].pk)
    assert "62.5 recommended" in row(page, "route", routes["mannheim"].pk)


def test_node_edit_changes_the_yield_and_the_quantities_upstream(net, client_for):
    scenario, nodes, routes = build_network(net)
    client = client_for(net.ec_editor)
    url = f"/scenarios/{scenario.pk}/nodes/{nodes['hagen'].pk}/edit/"
    assert 'name="yield_ratio" value="0.8"' in client.get(url).content.decode()
    # Yield 1.5 is refused on its field and nothing is written.
    before = counts()
    page = client.post(url, {"yield_ratio": "1.5", "capacity_t_per_year": "2000"}).content.decode()
    assert "Yield must be at most 1." in page and counts() == before
    # A capacity of 0 is refused with its unit; the map would divide by it.
    page = client.post(url, {"yield_ratio": "0.8", "capacity_t_per_year": "0"}).content.decode()
    assert "Capacity must be above 0 t/year." in page and counts() == before
    # Hagen at yield 0.5: it must receive 100 / 0.5 = 200, split 3:2 into 120 from Stuttgart and 80 from Mannheim.
    client.post(url, {"yield_ratio": "0.5", "capacity_t_per_year": "2000"})
    page = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "120 recommended" in row(page, "route", routes["stuttgart"].pk)
    assert "80 recommended" in row(page, "route", routes["mannheim"].pk)
    assert LogEntry.objects.filter(action="scenario.node.changed").get().changes == {"yield_ratio": ["0.8", "0.5"]}


# ---------------------------------------------------------------- bad node and route input


@pytest.fixture
def open_network(net):
    """The network without its Stuttgart route, so that drawing Stuttgart -> Hagen again is good input."""
    scenario, nodes, routes = build_network(net)
    services.route_delete(user=net.ec_editor, route=routes["stuttgart"])
    good = {
        "origin": nodes["stuttgart"].pk,
        "destination": nodes["hagen"].pk,
        "material": "al-vehicle-parts",
        "quantity_t": "",
        "share": "3",
        "mode": "road",
        "distance_km": "",
        "is_backhaul": "",
    }
    return scenario, nodes, good


def test_route_form_saves_good_input(net, open_network, client_for):
    scenario, _, good = open_network
    response = client_for(net.ec_editor).post(f"/scenarios/{scenario.pk}/routes/", good)
    assert response.status_code == 302 and scenario.routes.count() == 4


@pytest.mark.parametrize(
    "change,field,message",
    [
        (
            lambda n: {"origin": n["hagen"].pk, "destination": n["stuttgart"].pk},
            "destination",
            "Material runs downstream",
        ),
        (
            lambda n: {"material": "al-sorted-6xxx"},
            "material",
            "Hagen sorter does not accept Sorted 6xxx-series aluminium scrap.",
        ),
        (lambda n: {"quantity_t": "0"}, "quantity_t", "Type a quantity above 0 t/year, or leave it empty"),
        (lambda n: {"distance_km": "-5"}, "distance_km", "Type a distance above 0 km"),
        (lambda n: {"distance_km": "0"}, "distance_km", "Type a distance above 0 km"),
        (lambda n: {"share": "0"}, "share", "Type a share above 0."),
        (lambda n: {"mode": "teleport"}, "mode", "Select a valid choice"),
        (
            lambda n: {"origin": n["stuttgart"].pk, "destination": n["neuss"].pk, "material": "al-sorted-6xxx"},
            "destination",
            "skips the sorter stage",
        ),
    ],
)
def test_route_form_refuses_bad_input(net, open_network, client_for, change, field, message):
    scenario, nodes, good = open_network
    before = counts()
    response = client_for(net.ec_editor).post(f"/scenarios/{scenario.pk}/routes/", {**good, **change(nodes)})
    assert response.status_code == 200
    errors = response.context["route_form"].errors
    assert list(errors) == [field], errors
    assert message in " ".join(errors[field])
    assert f'id="field-{field}"' in response.content.decode()
    assert counts() == before


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"role": "collector", "yield_ratio": "1.5"}, "yield_ratio", "Yield override must be at most 1."),
        ({"role": "collector", "yield_ratio": "0"}, "yield_ratio", "Yield override must be above 0."),
        ({"role": "sorter"}, "role", "offers: Collector"),
        ({"role": "collector", "facility": "999999"}, "facility", "Select a valid choice"),
    ],
)
def test_node_form_refuses_bad_input(net, client_for, data, field, message):
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Empty")
    before = counts()
    response = client_for(net.ec_editor).post(f"/scenarios/{scenario.pk}/nodes/", {"facility": net.mannheim.pk, **data})
    assert response.status_code == 200
    errors = response.context["node_form"].errors
    assert list(errors) == [field], errors
    assert message in " ".join(errors[field])
    assert counts() == before


def test_node_with_typed_yield(net, client_for):
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Typed")
    client_for(net.ec_editor).post(
        f"/scenarios/{scenario.pk}/nodes/", {"facility": net.mannheim.pk, "role": "collector", "yield_ratio": "0.45"}
    )
    assert scenario.nodes.get(role="collector").yield_ratio == Decimal("0.45")


def test_node_remove_takes_its_routes(net, client_for):
    scenario, nodes, _ = build_network(net)
    client_for(net.ec_editor).post(f"/scenarios/{scenario.pk}/nodes/{nodes['mannheim'].pk}/remove/")
    assert scenario.nodes.count() == 4 and scenario.routes.count() == 3


# ---------------------------------------------------------------- workflow refusals become messages


def _messages(response):
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


def test_submit_with_problems_is_refused_with_the_reason(net, client_for):
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Empty")
    before = counts()
    response = client_for(net.ec_editor).post(f"/scenarios/{scenario.pk}/submit/", follow=True)
    [(level, message)] = _messages(response)
    assert level == "error" and message.startswith("This network cannot be submitted: No route reaches")
    assert counts() == before and Scenario.objects.get(pk=scenario.pk).status == "draft"


def test_reject_needs_a_comment_and_shows_it(net, client_for):
    scenario, _, _ = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    client = client_for(net.ec_admin)
    page = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    assert 'id="decision-form"' in page and "waiting for an admin" in page
    response = client.post(f"/scenarios/{scenario.pk}/reject/", {"comment": "  "}, follow=True)
    assert _messages(response) == [("error", "Say why the scenario is rejected.")]
    assert Scenario.objects.get(pk=scenario.pk).status == "submitted"
    response = client.post(f"/scenarios/{scenario.pk}/reject/", {"comment": "Mannheim is too small."}, follow=True)
    assert "Rejected on" in text(response.content.decode()) and "“Mannheim is too small.”" in response.content.decode()
    assert Scenario.objects.get(pk=scenario.pk).status == "rejected"


def test_editor_sees_no_decision_form(net, client_for):
    scenario, _, _ = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    page = client_for(net.ec_editor).get(f"/scenarios/{scenario.pk}/").content.decode()
    assert 'id="decision-form"' not in page and 'id="node-form"' not in page


def test_study_form_sets_the_allocation(net, client_for):
    """The study form offers mass and economic allocation (issue 12, item 5); chosen, it is stored and logged."""
    client = client_for(net.ec_editor)
    page = client.get(f"/studies/{net.study.pk}/edit/").content.decode()
    assert 'name="allocation"' in page and "By economic value" in page
    response = client.post(
        f"/studies/{net.study.pk}/edit/",
        {
            **GOOD_STUDY,
            "name": "Control arm",
            "product_name": "Front lower control arm",
            "need_t_per_year": "90",
            "allocation": "economic",
        },
    )
    assert response.status_code == 302
    net.study.refresh_from_db()
    assert net.study.allocation == "economic"
    entry = LogEntry.objects.get(action="study.changed")
    assert entry.changes["allocation"] == ["mass", "economic"]
