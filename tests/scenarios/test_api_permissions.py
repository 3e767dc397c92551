"""Who gets what from every endpoint and method of the scenarios API (pretix style permission table).

The end collector under test is Forge Works with its study "Control arm" and, for the scenario endpoints, the
three-stage network of tests/scenarios/conftest.py. Its members: ec_admin, ec_editor, ec_viewer, ec_auditor.
partner_member is an editor of Alu Collect, a partner invited into the study; stranger administers Other Metals, a
partner that is not invited; other_ec administers Press Co, another end collector.

Reads: every member of the end collector reads everything, history included; an invited partner reads the study
and nothing of its scenarios. Writes: editors and admins change studies and drafts, submit, make new versions and
clones; only admins approve or reject. Readers get 403 before their body is read; whoever is not a member of the
end collector gets 404 (an invited partner may not learn more than the study), anonymous callers 401. Every
refused request leaves the log as it was; every accepted write adds to it.
"""

import pytest
from django.urls import reverse

from partners.models import LogEntry
from scenarios import services
from scenarios.models import Node, Route, Scenario, Study
from tests import permission_tables
from tests.scenarios.conftest import NOT_ASSESSED

from .conftest import ACTORS, _facility, build_network

TABLE = """
endpoint                method  ec_admin ec_editor ec_viewer ec_auditor partner stranger other_ec anonymous
studies                 GET     200      200       200       200        404     404      404      401
studies                 POST    201      201       403       403        404     404      404      401
study                   GET     200      200       200       200        200     404      404      401
study                   PATCH   200      200       403       403        404     404      404      401
study                   DELETE  204      204       403       403        404     404      404      401
study-scenarios         GET     200      200       200       200        404     404      404      401
study-scenarios         POST    201      201       403       403        404     404      404      401
scenario                GET     200      200       200       200        404     404      404      401
scenario                PATCH   200      200       403       403        404     404      404      401
scenario                DELETE  204      204       403       403        404     404      404      401
scenario-nodes          GET     200      200       200       200        404     404      404      401
scenario-nodes          POST    201      201       403       403        404     404      404      401
scenario-node           GET     200      200       200       200        404     404      404      401
scenario-node           PATCH   200      200       403       403        404     404      404      401
scenario-node           DELETE  204      204       403       403        404     404      404      401
scenario-routes         GET     200      200       200       200        404     404      404      401
scenario-routes         POST    201      201       403       403        404     404      404      401
scenario-route          GET     200      200       200       200        404     404      404      401
scenario-route          PATCH   200      200       403       403        404     404      404      401
scenario-route          DELETE  204      204       403       403        404     404      404      401
scenario-submit         POST    200      200       403       403        404     404      404      401
scenario-approve        POST    200      403       403       403        404     404      404      401
scenario-reject         POST    200      403       403       403        404     404      404      401
scenario-new-version    POST    201      201       403       403        404     404      404      401
scenario-clone          POST    201      201       403       403        404     404      404      401
scenario-geojson        GET     200      200       200       200        404     404      404      401
scenario-geojson        POST    405      405       405       405        404     404      404      401
scenario-geojson-slash  GET     200      200       200       200        404     404      404      401
scenario-history        GET     200      200       200       200        404     404      404      401
scenario-history        POST    405      405       405       405        404     404      404      401
scenario-history        DELETE  405      405       405       405        404     404      404      401
scenario-history-entry  GET     200      200       200       200        404     404      404      401
scenario-history-entry  PATCH   405      405       405       405        404     404      404      401
"""


def _rows():
    columns = ["ec_admin", "ec_editor", "ec_viewer", "ec_auditor", "partner", "stranger", "other_ec", "anonymous"]
    return permission_tables.rows(TABLE, columns, ACTORS)


def _user(net, actor):
    # Net.user() maps "anonymous" to None and then falls back to getattr(net, "anonymous"); answer None here.
    return None if actor == "anonymous" else net.user(actor)


NEW_STUDY = {
    "name": "Door hinge",
    "product_name": "Door hinge",
    "product_material": "al-secondary-billet",
    "product_mass_kg": 0.4,
    "units_per_year": 50_000,
    "recycled_share": 0.5,
    "accepted_materials": ["al-vehicle-parts"],
    "candidates": ["alu-collect"],
}


def _request(net, endpoint, method):
    """(url, body) for one row of the table, after preparing the rows it addresses."""
    if endpoint == "studies":
        return reverse("api-studies", kwargs={"slug": net.ec.slug}), NEW_STUDY
    if endpoint.startswith("study"):
        body = {"units_per_year": 120_000} if method == "PATCH" else {"name": "Far partners"}
        return reverse(f"api-{endpoint}", kwargs={"id": net.study.pk}), body
    scenario, nodes, routes = build_network(net)
    kwargs, body = {"id": scenario.pk}, {}
    if endpoint in ("scenario-approve", "scenario-reject", "scenario-new-version"):
        services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    if (endpoint, method) == ("scenario", "PATCH"):
        body = {"description": "Partners within 300 km"}
    elif (endpoint, method) == ("scenario-nodes", "POST"):
        dortmund = _facility(
            net.sort_melt,
            "Dortmund sorter",
            "51.5136",
            "7.4653",
            "800",
            roles=["sorter"],
            process="shredding",
            yield_ratio="0.75",
            accepts=["al-vehicle-parts"],
        )
        body = {"facility": dortmund.pk, "role": "sorter"}
    elif endpoint == "scenario-node":
        kwargs["node_id"] = nodes["mannheim"].pk
        body = {"capacity_t_per_year": 400}
    elif (endpoint, method) == ("scenario-routes", "POST"):
        services.route_delete(user=net.ec_editor, route=routes["mannheim"])
        body = {
            "origin": nodes["mannheim"].pk,
            "destination": nodes["hagen"].pk,
            "material": "al-vehicle-parts",
            "share": 2,
        }
    elif endpoint == "scenario-route":
        kwargs["route_id"] = routes["mannheim"].pk
        body = {"share": 4}
    elif endpoint == "scenario-approve":
        body = {"comment": "Go", "acknowledge": True, "reason": NOT_ASSESSED}
    elif endpoint == "scenario-submit":
        body = {"acknowledge": True, "reason": NOT_ASSESSED}
    elif endpoint == "scenario-reject":
        body = {"comment": "Too far"}
    elif endpoint == "scenario-clone":
        body = {"name": "Nearby B"}
    elif endpoint == "scenario-history-entry":
        kwargs["entry_id"] = LogEntry.objects.filter(parent_type="scenario", parent_id=str(scenario.pk)).first().pk
    return reverse(f"api-{endpoint}", kwargs=kwargs), body


@pytest.mark.parametrize("endpoint, method, actor, expected", list(_rows()))
def test_permission_table(net, api_for, endpoint, method, actor, expected):
    url, body = _request(net, endpoint, method)
    log_before = LogEntry.objects.count()
    api = api_for(_user(net, actor))
    response = getattr(api, method.lower())(url, body if method != "GET" else None, format="json")
    assert response.status_code == expected, getattr(response, "data", response)
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"
    if expected == 403:
        assert response.json() == {"detail": "Your role in this organisation does not allow this change."}
    if expected == 404:
        assert response.json()["detail"].startswith("No such")
    if method != "GET":
        grew = LogEntry.objects.count() > log_before
        assert grew == (expected in (200, 201, 204)), "accepted writes are logged, refused ones write nothing"


def test_table_covers_every_api_route_and_method():
    """A new endpoint or method without its row in the table fails here."""
    from scenarios import api_urls

    assert permission_tables.served_methods(api_urls.urlpatterns) == permission_tables.table_methods(TABLE)


@pytest.mark.parametrize("who", ["ec_viewer", "ec_auditor"])
@pytest.mark.parametrize(
    "name, body",
    [
        ("api-scenario-nodes", {"facility": "north", "role": "boss"}),
        ("api-scenario-routes", {"origin": [], "quantity_t": "lots"}),
        ("api-scenario-reject", {}),
    ],
)
def test_a_reader_is_refused_before_the_body_is_read(net, api_for, who, name, body):
    """Nonsense from a reader earns 403, not 400: a reader learns nothing about validation."""
    scenario, _, _ = build_network(net)
    response = api_for(net.user(who)).post(reverse(name, kwargs={"id": scenario.pk}), body, format="json")
    assert response.status_code == 403


def test_an_editor_is_refused_a_decision_before_the_body_is_read(net, api_for):
    """Only admins decide: an editor's rejection without its required comment is 403, not 400."""
    scenario, _, _ = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    response = api_for(net.ec_editor).post(
        reverse("api-scenario-reject", kwargs={"id": scenario.pk}), {}, format="json"
    )
    assert response.status_code == 403
    assert Scenario.objects.get(pk=scenario.pk).status == "submitted"


def test_an_invited_partner_reads_the_study_but_not_its_candidates(net, api_for):
    url = reverse("api-study", kwargs={"id": net.study.pk})
    partner = api_for(net.user("partner_member")).get(url).json()
    assert partner["name"] == "Control arm" and partner["candidates"] is None
    member = api_for(net.ec_viewer).get(url).json()
    assert member["candidates"] == ["alu-collect", "sort-melt"]


def test_ids_of_another_scenario_are_not_found_through_this_one(net, api_for):
    """A node or route id only works through its own scenario's URL."""
    first, nodes, routes = build_network(net, name="First")
    second, _, _ = build_network(net, name="Second")
    api = api_for(net.ec_admin)
    node = reverse("api-scenario-node", kwargs={"id": second.pk, "node_id": nodes["hagen"].pk})
    route = reverse("api-scenario-route", kwargs={"id": second.pk, "route_id": routes["hagen"].pk})
    for method, url in (
        ("get", node),
        ("patch", node),
        ("delete", node),
        ("get", route),
        ("patch", route),
        ("delete", route),
    ):
        response = getattr(api, method)(url, {"share": 9, "yield_ratio": 0.1}, format="json")
        assert response.status_code == 404, (method, url)
    assert Node.objects.filter(scenario=first).count() == 5 and Route.objects.filter(scenario=first).count() == 4
    assert Route.objects.get(pk=routes["hagen"].pk).share == 1


# ---------------------------------------------------------------- an approved scenario is frozen


def _state(scenario):
    """Everything a write could change: the log, the scenario row, its nodes and its routes."""
    return (
        LogEntry.objects.count(),
        Scenario.objects.filter(pk=scenario.pk).values().first(),
        list(Node.objects.filter(scenario=scenario).order_by("pk").values()),
        list(Route.objects.filter(scenario=scenario).order_by("pk").values()),
    )


def test_an_approved_scenario_is_immutable_through_the_api(net, api_for):
    scenario, nodes, routes = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    services.scenario_approve(user=net.ec_admin, scenario=scenario, comment="Go", acknowledge=True, reason=NOT_ASSESSED)
    before = _state(scenario)
    api = api_for(net.ec_admin)
    sid = {"id": scenario.pk}
    node = {**sid, "node_id": nodes["hagen"].pk}
    route = {**sid, "route_id": routes["hagen"].pk}
    writes = [
        ("patch", "api-scenario", sid, {"name": "Renamed"}),
        ("delete", "api-scenario", sid, None),
        ("post", "api-scenario-nodes", sid, {"facility": net.mannheim.pk, "role": "collector"}),
        ("patch", "api-scenario-node", node, {"yield_ratio": 0.5}),
        ("delete", "api-scenario-node", node, None),
        (
            "post",
            "api-scenario-routes",
            sid,
            {"origin": nodes["stuttgart"].pk, "destination": nodes["hagen"].pk, "material": "al-wheels"},
        ),
        ("patch", "api-scenario-route", route, {"quantity_t": 5}),
        ("delete", "api-scenario-route", route, None),
        ("post", "api-scenario-submit", sid, {}),
    ]
    for method, name, kwargs, body in writes:
        response = getattr(api, method)(reverse(name, kwargs=kwargs), body, format="json")
        assert response.status_code == 409, (method, name, response.json())
        assert response.json()["detail"] == "This scenario is approved and frozen; make a new version to change it."
    for name, body in (("api-scenario-approve", {}), ("api-scenario-reject", {"comment": "Late"})):
        response = api.post(reverse(name, kwargs=sid), body, format="json")
        assert response.status_code == 409
        assert response.json()["detail"] == "Only submitted scenarios are decided; this one is approved."
    assert _state(scenario) == before

    response = api.post(reverse("api-scenario-new-version", kwargs=sid), format="json")
    assert response.status_code == 201
    copy = response.json()
    assert (copy["name"], copy["version"], copy["status"], copy["previous"]) == ("Nearby", 2, "draft", scenario.pk)
    # The copy carries the same network, so the same hand-worked need: 90 t/year delivered, nothing missing.
    assert copy["flows"] == {
        "need_t": 90.0,
        "delivered_t": 90.0,
        "problems": [],
        "figure_problems": [],
        "shortfall_t": 0.0,
        "can_submit": True,
    }
    nodes_of_copy = api.get(reverse("api-scenario-nodes", kwargs={"id": copy["id"]})).json()
    assert nodes_of_copy["count"] == 5
    renamed = api.patch(reverse("api-scenario", kwargs={"id": copy["id"]}), {"description": "v2"}, format="json")
    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["description"] == "v2"
    assert _state(scenario)[1:] == before[1:]


def test_a_submitted_scenario_says_why_it_does_not_change(net, api_for):
    scenario, _, _ = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    response = api_for(net.ec_editor).patch(
        reverse("api-scenario", kwargs={"id": scenario.pk}), {"name": "Renamed"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "This scenario is submitted; only drafts change. Make a new version to change it."
    )
    assert Scenario.objects.get(pk=scenario.pk).name == "Nearby"


def test_a_study_with_scenarios_is_kept(net, api_for):
    build_network(net)
    response = api_for(net.ec_admin).delete(reverse("api-study", kwargs={"id": net.study.pk}))
    assert response.status_code == 409
    assert Study.objects.filter(pk=net.study.pk).exists()


def test_a_demoted_editor_loses_the_writes(net, api_for):
    from django.contrib.auth import get_user_model

    from partners.models import Membership

    scenario, _, _ = build_network(net)
    Membership.objects.filter(user=net.ec_editor).update(role="viewer")
    api = api_for(get_user_model().objects.get(pk=net.ec_editor.pk))  # a fresh request: roles are read anew
    url = reverse("api-scenario", kwargs={"id": scenario.pk})
    assert api.patch(url, {"name": "Mine"}, format="json").status_code == 403
    assert api.get(url).status_code == 200
    assert Scenario.objects.get(pk=scenario.pk).name == "Nearby"
