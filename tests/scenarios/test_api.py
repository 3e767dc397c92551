"""The scenarios REST API, version 1: a study, a scenario and the three-stage network built through the API with
the hand-worked quantities of tests/scenarios/conftest.py, refused input, the workflow, the GeoJSON map data,
the history and the replay of past versions, and the schema.

Hand-worked network (conftest): the forge needs 90 t/year; Neuss (yield 0.9) must receive 90 / 0.9 = 100; Hagen
(yield 0.8) must deliver those 100 and so receive 100 / 0.8 = 125, split 3:2 into 75 from Stuttgart and 50 from
Mannheim; Stuttgart (yield 0.85) collects 75 / 0.85 = 88.235294 and Mannheim (yield 0.5) 50 / 0.5 = 100.
Every refusal answers 400 with the offending field named and leaves the database as it was.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from partners.models import LogEntry
from scenarios import services
from scenarios.models import Node, Route, Scenario, Study
from tests.scenarios.conftest import NOT_ASSESSED

from .conftest import _facility, build_network

STUDY = {
    "name": "Door hinge",
    "product_name": "Door hinge",
    "product_material": "al-secondary-billet",
    "product_alloy": "AA6082",
    "product_mass_kg": 2.5,
    "units_per_year": 100_000,
    "need_t_per_year": 90,
    "accepted_materials": ["al-vehicle-parts", "al-sorted-6xxx"],
    "candidates": ["sort-melt", "alu-collect"],
    "description": "Recycled billets for the hinge.",
}


def u(name, **kwargs):
    return reverse(name, kwargs=kwargs)


class Unchanged:
    """Counts the rows of the scenarios app and of the log, to assert that a refused request wrote nothing."""

    MODELS = (Study, Scenario, Node, Route, LogEntry)

    def __init__(self):
        self.before = self.counts()

    def counts(self):
        return {model.__name__: model.objects.count() for model in self.MODELS}

    def __bool__(self):
        return self.counts() == self.before


def by(items, key):
    return {item[key]: item for item in items}


# ---------------------------------------------------------------- the network through the API


def test_study_scenario_and_network_built_through_the_api(net, api_for):
    api = api_for(net.ec_editor)
    response = api.post(u("api-studies", slug="forge-works"), STUDY, format="json")
    assert response.status_code == 201, response.json()
    study = response.json()
    assert {
        k: study[k]
        for k in (
            "end_collector",
            "name",
            "product_material",
            "units_per_year",
            "need_t_per_year",
            "recycled_share",
            "required_t_per_year",
            "accepted_materials",
            "candidates",
        )
    } == {
        "end_collector": "forge-works",
        "name": "Door hinge",
        "product_material": "al-secondary-billet",
        "units_per_year": 100_000,
        "need_t_per_year": 90.0,
        "recycled_share": None,
        "required_t_per_year": 90.0,
        "accepted_materials": ["al-vehicle-parts", "al-sorted-6xxx"],
        "candidates": ["alu-collect", "sort-melt"],
    }
    assert study["links"]["self"] == f"http://testserver/api/v1/studies/{study['id']}/"
    listed = api.get(u("api-studies", slug="forge-works")).json()
    assert [s["name"] for s in listed["results"]] == ["Control arm", "Door hinge"]

    response = api.post(study["links"]["scenarios"], {"name": "Nearby"}, format="json")
    assert response.status_code == 201, response.json()
    scenario = response.json()
    assert (scenario["status"], scenario["version"], scenario["previous"]) == ("draft", 1, None)
    # A new scenario starts with the end collector's only end-collector facility as its sink; nothing reaches it.
    assert scenario["flows"]["need_t"] == 90 and scenario["flows"]["delivered_t"] == 0
    assert "No route reaches the end collector." in scenario["flows"]["problems"]
    sid = scenario["id"]
    nodes = {"forge": api.get(u("api-scenario-nodes", id=sid)).json()["results"][0]}
    assert (nodes["forge"]["facility_name"], nodes["forge"]["role"]) == ("Forge plant", "end_collector")

    for key, role in (
        ("stuttgart", "collector"),
        ("mannheim", "collector"),
        ("hagen", "sorter"),
        ("neuss", "recoverer"),
    ):
        response = api.post(
            u("api-scenario-nodes", id=sid), {"facility": getattr(net, key).pk, "role": role}, format="json"
        )
        assert response.status_code == 201, response.json()
        nodes[key] = response.json()
    # Yield and capacity come from the partner's sheet: Hagen shreds at 0.8 with 2,000 t/year.
    assert (nodes["hagen"]["yield_ratio"], nodes["hagen"]["capacity_t_per_year"]) == (0.8, 2000.0)
    assert nodes["hagen"]["organization"] == "sort-melt"

    for origin, destination, material, share in (
        ("stuttgart", "hagen", "al-vehicle-parts", 3),
        ("mannheim", "hagen", "al-vehicle-parts", 2),
        ("hagen", "neuss", "al-sorted-6xxx", 1),
        ("neuss", "forge", "al-secondary-billet", 1),
    ):
        response = api.post(
            u("api-scenario-routes", id=sid),
            {
                "origin": nodes[origin]["id"],
                "destination": nodes[destination]["id"],
                "material": material,
                "share": share,
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
    # The last route closes the network: the forge receives its 90 t/year on it.
    last = response.json()
    assert (last["recommended_t"], last["effective_t"], last["typed"], last["split"]) == (90, 90, False, 1)
    assert (last["distance_source"], last["circuity"], last["mode"]) == ("computed", 1.3, "road")

    routes = by(api.get(u("api-scenario-routes", id=sid)).json()["results"], "origin")
    recommended = {
        key: routes[nodes[key]["id"]]["recommended_t"] for key in ("stuttgart", "mannheim", "hagen", "neuss")
    }
    assert recommended == pytest.approx({"stuttgart": 75, "mannheim": 50, "hagen": 100, "neuss": 90})
    # Hagen's input is split 3:2, i.e. 0.6 and 0.4 of it.
    assert routes[nodes["stuttgart"]["id"]]["split"] == pytest.approx(0.6)
    assert routes[nodes["mannheim"]["id"]]["split"] == pytest.approx(0.4)
    assert routes[nodes["stuttgart"]["id"]]["origin_label"] == "Collector: Stuttgart yard"

    flows = {
        key: n["flow"]
        for key, n in by(api.get(u("api-scenario-nodes", id=sid)).json()["results"], "facility_name").items()
    }
    assert flows["Hagen sorter"]["recommended_in_t"] == pytest.approx(125)
    assert flows["Hagen sorter"]["recommended_out_t"] == pytest.approx(100)
    assert flows["Hagen sorter"]["capacity_use"] == pytest.approx(0.0625)  # 125 of 2,000 t/year
    assert flows["Neuss remelter"]["recommended_in_t"] == pytest.approx(100)
    assert flows["Stuttgart yard"]["recommended_in_t"] == pytest.approx(88.235294)  # 75 / 0.85
    assert flows["Mannheim yard"]["recommended_in_t"] == pytest.approx(100)  # 50 / 0.5
    assert flows["Forge plant"]["inflow_t"] == pytest.approx(90)
    assert not any(f["mass_balance_break"] or f["capacity_overrun"] or f["messages"] for f in flows.values())

    detail = api.get(u("api-scenario", id=sid)).json()
    assert detail["flows"] == {
        "need_t": 90.0,
        "delivered_t": 90.0,
        "problems": [],
        "figure_problems": [],
        "shortfall_t": 0.0,
        "can_submit": True,
    }


def test_typed_quantities_yields_and_shares_change_the_answers(net, api_for):
    scenario, nodes, routes = build_network(net)
    api = api_for(net.ec_editor)
    mannheim = u("api-scenario-route", id=scenario.pk, route_id=routes["mannheim"].pk)
    response = api.patch(mannheim, {"quantity_t": 60}, format="json")
    assert response.status_code == 200, response.json()
    # Typed 60 t/year is carried; 50 stays the recommendation. Hagen then receives 75 + 60 = 135.
    assert (
        response.json()["quantity_t"],
        response.json()["effective_t"],
        response.json()["recommended_t"],
        response.json()["typed"],
    ) == (60, 60, 50, True)
    hagen = u("api-scenario-node", id=scenario.pk, node_id=nodes["hagen"].pk)
    assert api.get(hagen).json()["flow"]["inflow_t"] == pytest.approx(135)
    # Back to the recommendation, then Hagen's yield down to 0.5: it must receive 100 / 0.5 = 200, split 3:2
    # into 120 and 80; Mannheim then collects 80 / 0.5 = 160.
    assert api.patch(mannheim, {"quantity_t": None}, format="json").json()["typed"] is False
    response = api.patch(hagen, {"yield_ratio": 0.5}, format="json")
    assert response.status_code == 200
    assert response.json()["flow"]["recommended_in_t"] == pytest.approx(200)
    listed = by(api.get(u("api-scenario-routes", id=scenario.pk)).json()["results"], "id")
    assert listed[routes["stuttgart"].pk]["recommended_t"] == pytest.approx(120)
    assert listed[routes["mannheim"].pk]["recommended_t"] == pytest.approx(80)
    assert api.get(u("api-scenario-node", id=scenario.pk, node_id=nodes["mannheim"].pk)).json()["flow"][
        "recommended_in_t"
    ] == pytest.approx(160)
    # A typed distance replaces the computed one, null returns to it.
    hagen_route = u("api-scenario-route", id=scenario.pk, route_id=routes["hagen"].pk)
    typed = api.patch(hagen_route, {"distance_km": 80}, format="json").json()
    assert (typed["distance_km"], typed["distance_source"], typed["circuity"]) == (80, "typed", None)
    computed = api.patch(hagen_route, {"distance_km": None}, format="json").json()
    assert (computed["distance_km"], computed["distance_source"]) == (float(routes["hagen"].distance_km), "computed")


# ---------------------------------------------------------------- refused input


@pytest.mark.parametrize(
    "change, field",
    [
        ({"product_material": "unobtainium"}, "product_material"),
        ({"accepted_materials": ["al-vehicle-parts", "unobtainium"]}, "accepted_materials"),
        ({"candidates": ["alu-collect", "other-metals"]}, "candidates"),  # Other Metals does not share its sheet
        ({"candidates": ["press-co"]}, "candidates"),
        ({"need_t_per_year": None}, "need_t_per_year"),  # neither a need nor a share
        ({"product_mass_kg": "heavy"}, "product_mass_kg"),
        ({"units_per_year": 0}, "units_per_year"),
    ],
)
def test_study_create_refused(net, api_for, change, field):
    unchanged = Unchanged()
    response = api_for(net.ec_editor).post(u("api-studies", slug="forge-works"), {**STUDY, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert unchanged


def test_study_patch_refused_keeps_the_candidates(net, api_for):
    unchanged = Unchanged()
    response = api_for(net.ec_editor).patch(
        u("api-study", id=net.study.pk), {"candidates": ["other-metals"]}, format="json"
    )
    assert response.status_code == 400
    assert "other-metals" in response.json()["candidates"][0]
    assert unchanged
    assert sorted(net.study.candidates.values_list("slug", flat=True)) == ["alu-collect", "sort-melt"]


@pytest.fixture
def bare(net):
    """A scenario with the five nodes of the network and no route yet."""
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Bare")
    nodes = {"forge": scenario.nodes.get(role="end_collector")}
    for key, role in (
        ("stuttgart", "collector"),
        ("mannheim", "collector"),
        ("hagen", "sorter"),
        ("neuss", "recoverer"),
    ):
        nodes[key] = services.node_add(user=net.ec_editor, scenario=scenario, facility=getattr(net, key), role=role)
    return scenario, nodes


@pytest.mark.parametrize(
    "body, field",
    [
        ({"origin": "hagen", "destination": "stuttgart", "material": "al-vehicle-parts"}, "destination"),  # upstream
        ({"origin": "stuttgart", "destination": "neuss", "material": "al-sorted-6xxx"}, "destination"),  # skips sorting
        ({"origin": "stuttgart", "destination": "hagen", "material": "steel-scrap"}, "material"),  # not accepted
        ({"origin": "stuttgart", "destination": "hagen", "material": "unobtainium"}, "material"),  # no such code
        ({"origin": "mannheim", "destination": "hagen", "material": "al-vehicle-parts", "quantity_t": 0}, "quantity_t"),
        ({"origin": "hagen", "destination": "neuss", "material": "al-sorted-6xxx", "distance_km": -3}, "distance_km"),
        ({"origin": "hagen", "destination": "neuss", "material": "al-sorted-6xxx", "share": 0}, "share"),
        ({"origin": "hagen", "destination": "neuss", "material": "al-sorted-6xxx", "mode": "teleport"}, "mode"),
        ({"origin": 10**9, "destination": "neuss", "material": "al-sorted-6xxx"}, "origin"),
        ({"origin": "hagen", "destination": 2**70, "material": "al-sorted-6xxx"}, "destination"),
    ],
)
def test_route_create_refused(net, bare, api_for, body, field):
    scenario, nodes = bare
    body = {k: nodes[v].pk if k in ("origin", "destination") and isinstance(v, str) else v for k, v in body.items()}
    unchanged = Unchanged()
    response = api_for(net.ec_editor).post(u("api-scenario-routes", id=scenario.pk), body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert unchanged


def test_a_node_of_another_scenario_is_not_an_end_of_a_route(net, bare, api_for):
    scenario, nodes = bare
    other, other_nodes, _ = build_network(net)
    unchanged = Unchanged()
    response = api_for(net.ec_editor).post(
        u("api-scenario-routes", id=scenario.pk),
        {"origin": other_nodes["stuttgart"].pk, "destination": nodes["hagen"].pk, "material": "al-vehicle-parts"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"origin": ["Choose a node of this scenario."]}
    assert unchanged


@pytest.mark.parametrize(
    "body, field",
    [
        ({"facility": "outsider", "role": "collector"}, "facility"),  # Other Metals is not invited
        ({"facility": "hagen", "role": "collector"}, "role"),  # Hagen only sorts
        ({"facility": "stuttgart", "role": "collector", "activity": "neuss"}, "activity"),  # Neuss's remelting
        ({"facility": "stuttgart", "role": "collector", "yield_ratio": 1.5}, "yield_ratio"),
        ({"facility": "stuttgart", "role": "boss"}, "role"),
        ({"facility": 2**70, "role": "collector"}, "facility"),
    ],
)
def test_node_create_refused(net, api_for, body, field):
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="Outsider")
    outsider = _facility(
        net.world.other, "Far yard", "50", "10", "100", roles=["collector"], process="collection", yield_ratio="0.5"
    )
    facilities = {"outsider": outsider, "hagen": net.hagen, "stuttgart": net.stuttgart}
    body = dict(body)
    if isinstance(body["facility"], str):
        body["facility"] = facilities[body["facility"]].pk
    if "activity" in body:
        body["activity"] = net.neuss.activities.get().pk
    unchanged = Unchanged()
    response = api_for(net.ec_editor).post(u("api-scenario-nodes", id=scenario.pk), body, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert unchanged
    assert Node.objects.filter(scenario=scenario).count() == 1  # the forge only


def test_node_patch_refuses_an_activity_of_another_facility(net, api_for):
    scenario, nodes, _ = build_network(net)
    unchanged = Unchanged()
    response = api_for(net.ec_editor).patch(
        u("api-scenario-node", id=scenario.pk, node_id=nodes["hagen"].pk),
        {"activity": net.neuss.activities.get().pk},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"activity": ["Choose an activity of Hagen sorter."]}
    assert unchanged


def test_odd_bodies_never_answer_500(net, api_for):
    scenario, _, _ = build_network(net)
    api = api_for(net.ec_editor)
    broken = api.generic(
        "POST", u("api-scenario-routes", id=scenario.pk), '{"origin": ', content_type="application/json"
    )
    assert broken.status_code == 400
    assert api.post(u("api-scenario-nodes", id=scenario.pk), [1, 2], format="json").status_code == 400
    assert api.get(u("api-scenario", id=2**70)).status_code == 404
    assert api.get(u("api-scenario-node", id=scenario.pk, node_id=2**70)).status_code == 404
    assert api.get(u("api-scenario-history-entry", id=scenario.pk, entry_id=2**70)).status_code == 404


# ---------------------------------------------------------------- workflow


def test_submit_of_an_unreachable_network_names_the_unconnected_node(net, api_for):
    scenario, _, routes = build_network(net)
    api = api_for(net.ec_editor)
    deleted = api.delete(u("api-scenario-route", id=scenario.pk, route_id=routes["hagen"].pk))
    assert deleted.status_code == 204
    entries = LogEntry.objects.count()
    response = api.post(u("api-scenario-submit", id=scenario.pk), format="json")
    assert response.status_code == 400
    body = response.json()
    assert "Sorter: Hagen sorter is not connected to the end collector." in body["network"]
    assert "Sorter: Hagen sorter is not connected to the end collector." in body["detail"]
    assert Scenario.objects.get(pk=scenario.pk).status == "draft"
    assert LogEntry.objects.count() == entries


def test_submit_approve_reject_new_version_and_clone(net, api_for):
    scenario, _, _ = build_network(net)
    editor, admin = api_for(net.ec_editor), api_for(net.ec_admin)
    sid = {"id": scenario.pk}
    ack = {"acknowledge": True, "reason": NOT_ASSESSED}
    submitted = editor.post(u("api-scenario-submit", **sid), ack, format="json")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted" and submitted.json()["submitted_at"]
    assert editor.post(u("api-scenario-approve", **sid), format="json").status_code == 403
    refused = admin.post(u("api-scenario-reject", **sid), {}, format="json")
    assert refused.status_code == 400 and "comment" in refused.json()
    blank = admin.post(u("api-scenario-reject", **sid), {"comment": "  "}, format="json")
    assert blank.status_code == 400 and blank.json()["comment"] == ["A rejection needs a comment."]
    approved = admin.post(u("api-scenario-approve", **sid), {"comment": "Go", **ack}, format="json").json()
    assert (approved["status"], approved["decided_by"], approved["decision_comment"]) == (
        "approved",
        "shared_member",
        "Go",
    )
    version = editor.post(u("api-scenario-new-version", **sid), format="json")
    assert version.status_code == 201
    assert (version.json()["version"], version.json()["previous"], version.json()["status"]) == (
        2,
        scenario.pk,
        "draft",
    )
    clone = editor.post(u("api-scenario-clone", **sid), {"name": "Far"}, format="json")
    assert clone.status_code == 201
    assert (clone.json()["name"], clone.json()["version"], clone.json()["previous"]) == ("Far", 1, scenario.pk)
    default = editor.post(u("api-scenario-clone", **sid), format="json").json()
    assert default["name"] == "Nearby (copy)"
    clash = editor.post(u("api-scenario-clone", **sid), {"name": "Far"}, format="json")
    assert clash.status_code == 400 and "name" in clash.json()
    names = [s["name"] for s in editor.get(u("api-study-scenarios", id=net.study.pk)).json()["results"]]
    assert names == ["Far", "Nearby", "Nearby", "Nearby (copy)"]


def test_a_rejected_scenario_keeps_the_reason(net, api_for):
    scenario, _, _ = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    response = api_for(net.ec_admin).post(
        u("api-scenario-reject", id=scenario.pk), {"comment": " Too far "}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decision_comment"]) == ("rejected", "Too far")


# ---------------------------------------------------------------- GeoJSON


def test_geojson_of_the_network(net, api_for):
    scenario, nodes, routes = build_network(net)
    api = api_for(net.ec_viewer)
    response = api.get(f"/api/v1/scenarios/{scenario.pk}/geojson")  # the path the issue names, without a slash
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    points = {f["properties"]["name"]: f for f in body["features"] if f["geometry"]["type"] == "Point"}
    lines = {f["properties"]["id"]: f for f in body["features"] if f["geometry"]["type"] == "LineString"}
    assert len(points) == 5 and len(lines) == 4
    # One colour per role (partners.maps.ROLE_COLOURS).
    assert {name: (p["properties"]["role"], p["properties"]["colour"]) for name, p in points.items()} == {
        "Stuttgart yard": ("collector", "#2e7d32"),
        "Mannheim yard": ("collector", "#2e7d32"),
        "Hagen sorter": ("sorter", "#1565c0"),
        "Neuss remelter": ("recoverer", "#c62828"),
        "Forge plant": ("end_collector", "#6a1b9a"),
    }
    assert points["Hagen sorter"]["geometry"]["coordinates"] == [7.4633, 51.3671]  # [longitude, latitude]
    assert points["Hagen sorter"]["properties"]["inflow_t"] == 125
    hagen = lines[routes["hagen"].pk]
    assert hagen["geometry"]["coordinates"] == [[7.4633, 51.3671], [6.6879, 51.2042]]
    assert {
        k: hagen["properties"][k] for k in ("material", "quantity_t", "mode", "distance_km", "distance_source")
    } == {
        "material": "Sorted 6xxx-series aluminium scrap",
        "quantity_t": 100.0,
        "mode": "road",
        "distance_km": float(routes["hagen"].distance_km),
        "distance_source": "computed",
    }
    # Width = 2 + 10 x quantity / largest quantity (100 t/year on the Hagen route): 100 -> 12, 90 -> 11,
    # 75 -> 9.5, 50 -> 7. The 100 t route is drawn wider than the 50 t one.
    widths = {key: lines[routes[key].pk]["properties"]["width"] for key in routes}
    assert widths == {"hagen": 12.0, "neuss": 11.0, "stuttgart": 9.5, "mannheim": 7.0}
    assert widths["hagen"] > widths["mannheim"]
    slash = api.get(f"/api/v1/scenarios/{scenario.pk}/geojson/")
    assert slash.status_code == 200 and slash.json() == body
    as_json = api.get(f"/api/v1/scenarios/{scenario.pk}/geojson", HTTP_ACCEPT="application/json")
    assert as_json["Content-Type"] == "application/json" and as_json.json() == body


# ---------------------------------------------------------------- history and replay


def test_history_and_replay_of_past_versions(net, api_for):
    scenario, nodes, routes = build_network(net)
    editor = api_for(net.ec_editor)
    stuttgart = u("api-scenario-route", id=scenario.pk, route_id=routes["stuttgart"].pk)
    assert editor.patch(stuttgart, {"share": 1}, format="json").status_code == 200
    assert editor.delete(u("api-scenario-route", id=scenario.pk, route_id=routes["mannheim"].pk)).status_code == 204
    # After the history below, the study's need doubles: 180 t/year.
    assert editor.patch(u("api-study", id=net.study.pk), {"need_t_per_year": 180}, format="json").status_code == 200

    auditor = api_for(net.ec_auditor)
    history = auditor.get(u("api-scenario-history", id=scenario.pk)).json()
    # 1 scenario + 5 nodes (the forge comes with the scenario) + 4 routes + 1 change + 1 deletion; the study's
    # change is the study's, not the scenario's.
    assert history["count"] == 12
    entries = history["results"]
    assert [e["action"] for e in entries] == (
        ["scenario.created"]
        + ["scenario.node.created"] * 5
        + ["scenario.route.created"] * 4
        + ["scenario.route.changed", "scenario.route.deleted"]
    )
    changed, deleted = entries[-2:]
    assert (changed["actor"], changed["target_id"], changed["changes"]) == (
        "ec_editor",
        str(routes["stuttgart"].pk),
        {"share": ["3", "1"]},
    )
    assert deleted["target_repr"] == "Mannheim yard -> Hagen sorter (Aluminium parts from dismantled vehicles)"

    def replay(entry):
        response = auditor.get(u("api-scenario-history-entry", id=scenario.pk, entry_id=entry["id"]))
        assert response.status_code == 200
        body = response.json()
        return body, {r["id"]: r["recommended_t"] for r in body["routes"]}

    # Just after the last route was drawn: the hand-worked figures, under the need of 90 t/year then in force.
    body, quantities = replay(entries[9])
    assert body["entry"]["id"] == entries[9]["id"] and body["need_t"] == 90
    assert quantities == pytest.approx(
        {routes["stuttgart"].pk: 75, routes["mannheim"].pk: 50, routes["hagen"].pk: 100, routes["neuss"].pk: 90}
    )
    assert body["problems"] == [] and body["delivered_t"] == pytest.approx(90)
    assert by(body["nodes"], "facility")["Hagen sorter"]["flow"]["recommended_in_t"] == pytest.approx(125)
    # After the share change, Hagen's 125 t/year are split 1:2: 125 / 3 = 41.666667 and 250 / 3 = 83.333333.
    body, quantities = replay(changed)
    assert by(body["routes"], "id")[routes["stuttgart"].pk]["share"] == 1
    assert quantities == pytest.approx(
        {
            routes["stuttgart"].pk: 125 / 3,
            routes["mannheim"].pk: 250 / 3,
            routes["hagen"].pk: 100,
            routes["neuss"].pk: 90,
        }
    )
    # After the deletion, Stuttgart alone carries Hagen's 125 t/year.
    body, quantities = replay(deleted)
    assert quantities == pytest.approx({routes["stuttgart"].pk: 125, routes["hagen"].pk: 100, routes["neuss"].pk: 90})
    assert body["need_t"] == 90  # the doubled need came later
    # Early on, two nodes and nothing else: the scenario and its first collector.
    body, quantities = replay(entries[2])
    assert sorted(n["facility"] for n in body["nodes"]) == ["Forge plant", "Stuttgart yard"]
    assert quantities == {} and body["scenario"]["name"] == "Nearby"

    # The live network runs under the doubled need: 180 / 0.9 / 0.8 = 250 t/year from Stuttgart.
    live = by(auditor.get(u("api-scenario-routes", id=scenario.pk)).json()["results"], "id")
    assert live[routes["stuttgart"].pk]["recommended_t"] == pytest.approx(250)

    other, _, _ = build_network(net, name="Other")
    foreign = LogEntry.objects.filter(parent_type="scenario", parent_id=str(other.pk)).first()
    response = auditor.get(u("api-scenario-history-entry", id=scenario.pk, entry_id=foreign.pk))
    assert response.status_code == 404
    assert response.json()["detail"] == "No such entry in this scenario's history."


# ---------------------------------------------------------------- schema


def test_schema_generates_without_warnings_and_documents_the_scenarios_api(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = (tmp_path / "schema.yml").read_text()
    assert "  /api/v1/scenarios/{id}/geojson:\n" in schema
    assert "/api/v1/scenarios/{id}/geojson/:" not in schema  # the slash variant is not documented twice
    for path in (
        "/api/v1/organizations/{slug}/studies/:",
        "/api/v1/studies/{id}/scenarios/:",
        "/api/v1/scenarios/{id}/nodes/{node_id}/:",
        "/api/v1/scenarios/{id}/routes/{route_id}/:",
        "/api/v1/scenarios/{id}/history/{entry_id}/:",
        "/api/v1/scenarios/{id}/new-version/:",
    ):
        assert path in schema
    for operation in ("scenarios_routes_create", "scenarios_approve_create", "scenarios_history_retrieve"):
        assert f"operationId: {operation}" in schema
    assert "application/geo+json" in schema
    assert "NodeRoleEnum" in schema and "RouteCreateRequest" in schema
