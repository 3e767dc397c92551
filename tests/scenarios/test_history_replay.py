"""Past versions rebuilt from the log (network.replay) equal what was live at the time; the timeline page shows them.

The edits, through the services, on the network of tests/scenarios/conftest.py (need 90 t/year), with the recommended
route quantities worked out by hand (t/year):

1 build            Stuttgart 75, Mannheim 50 (125 split 3:2), Hagen -> Neuss 100, Neuss -> Forge 90
2 share 3 -> 1     125 split 1:2 into Stuttgart 41.67 and Mannheim 83.33; 100 and 90 unchanged
3 typed quantity   Hagen -> Neuss carries a typed 110; its recommended 100 is unchanged
4 need 90 -> 120   a study entry, in force from the next scenario entry on: Neuss -> Forge 120; Neuss receives
                   120 / 0.9 = 133.33; Hagen receives 133.33 / 0.8 = 166.67, split 1:2 into 55.56 and 111.11
5 route deleted    Mannheim -> Hagen goes; Stuttgart alone brings Hagen's 166.67
6 node added       Karlsruhe yard (collector, typed yield 0.6), not connected yet: nothing changes
7 route drawn      Karlsruhe -> Hagen, share 2: 166.67 split 1:2 into Stuttgart 55.56 and Karlsruhe 111.11
8 node removed     Mannheim yard, now without routes
9 submitted, 10 rejected
"""

from decimal import Decimal

import pytest

from partners.models import Facility, LogEntry
from scenarios import network, selectors, services
from scenarios.models import Scenario
from tests.scenarios.conftest import NOT_ASSESSED, build_network


def live_state(scenario: Scenario) -> dict:
    scenario.refresh_from_db()
    flows = network.flows(scenario)
    return {
        "status": scenario.status,
        "nodes": {n.pk: (n.facility.name, n.role, n.yield_ratio) for n in scenario.nodes.select_related("facility")},
        "routes": {r.pk: (r.origin_id, r.destination_id, r.share, r.quantity_t) for r in scenario.routes.all()},
        "recommended": {pk: round(f.recommended_t, 2) for pk, f in flows.routes.items()},
        "quantity": {pk: round(f.quantity_t, 2) for pk, f in flows.routes.items()},
        "node_in": {pk: round(f.recommended_in_t, 2) for pk, f in flows.nodes.items()},
    }


def replayed_state(past: network.PastVersion) -> dict:
    flows = past.flows()

    def dec(value):
        return None if value in (None, "") else Decimal(value)

    return {
        "status": past.scenario.get("status", "draft"),
        "nodes": {pk: (n["facility"], n["role"], dec(n["yield_ratio"])) for pk, n in past.nodes.items()},
        "routes": {
            pk: (r["origin_node"], r["destination_node"], dec(r.get("share", "1")), dec(r.get("quantity_t")))
            for pk, r in past.routes.items()
        },
        "recommended": {pk: round(f.recommended_t, 2) for pk, f in flows.routes.items()},
        "quantity": {pk: round(f.quantity_t, 2) for pk, f in flows.routes.items()},
        "node_in": {pk: round(f.recommended_in_t, 2) for pk, f in flows.nodes.items()},
    }


@pytest.fixture
def story(net):
    """Run the edits of the module docstring; after each, the live state and the id of the last scenario entry."""
    editor, admin = net.ec_editor, net.ec_admin
    scenario, nodes, routes = build_network(net)
    karlsruhe_site = Facility.objects.create(
        organization=net.world.partner,
        name="Karlsruhe yard",
        country="DE",
        latitude=Decimal("49.0069"),
        longitude=Decimal("8.4037"),
        is_collector=True,
        capacity_t_per_year=Decimal("500"),
    )
    parts = net.material("al-vehicle-parts")
    new = {}
    steps = [
        ("built", lambda: None),
        ("share", lambda: services.route_update(user=editor, route=routes["stuttgart"], share=Decimal(1))),
        ("typed", lambda: services.route_update(user=editor, route=routes["hagen"], quantity_t=Decimal(110))),
        ("need", lambda: services.study_update(user=editor, study=net.study, need_t_per_year=Decimal(120))),
        ("route deleted", lambda: services.route_delete(user=editor, route=routes["mannheim"])),
        (
            "node added",
            lambda: new.setdefault(
                "karlsruhe",
                services.node_add(
                    user=editor,
                    scenario=scenario,
                    facility=karlsruhe_site,
                    role="collector",
                    yield_ratio=Decimal("0.6"),
                ),
            ),
        ),
        (
            "route drawn",
            lambda: services.route_create(
                user=editor,
                scenario=scenario,
                origin=new["karlsruhe"],
                destination=nodes["hagen"],
                material=parts,
                share=Decimal(2),
            ),
        ),
        ("node removed", lambda: services.node_remove(user=editor, node=nodes["mannheim"])),
        (
            "submitted",
            lambda: services.scenario_submit(user=editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED),
        ),
        ("rejected", lambda: services.scenario_reject(user=admin, scenario=scenario, comment="Too far from Hagen.")),
    ]
    pks = {k: r.pk for k, r in routes.items()}  # Django forgets the pk of a deleted row
    node_pks = {k: n.pk for k, n in nodes.items()}
    states = {}
    for name, call in steps:
        call()
        last = selectors.scenario_history(user=editor, scenario=scenario).last()
        states[name] = (last.pk, live_state(scenario))
    return scenario, node_pks, pks, new, states


def replay_at(net, scenario, entry_id) -> network.PastVersion:
    entries = list(selectors.scenario_history(user=net.ec_auditor, scenario=scenario))
    study_entries = list(selectors.study_history(user=net.ec_auditor, study=scenario.study))
    return network.replay(entries, study_entries, entry_id)


def test_every_past_version_equals_what_was_live(net, story):
    scenario, _, _, _, states = story
    for name, (entry_id, live) in states.items():
        if name == "need":  # a study entry: the scenario's last entry is still the "typed" one, from before it
            assert entry_id == states["typed"][0]
            continue
        assert replayed_state(replay_at(net, scenario, entry_id)) == live, name


def test_the_hand_worked_figures_of_each_step(net, story):
    scenario, nodes, routes, new, states = story
    s, m, h, n = (routes[k] for k in ("stuttgart", "mannheim", "hagen", "neuss"))
    expected = {
        "built": {s: 75, m: 50, h: 100, n: 90},
        "share": {s: 41.67, m: 83.33, h: 100, n: 90},
        "typed": {s: 41.67, m: 83.33, h: 100, n: 90},
        "route deleted": {s: 166.67, h: 133.33, n: 120},
    }
    for name, recommended in expected.items():
        past = replayed_state(replay_at(net, scenario, states[name][0]))
        assert past["recommended"] == recommended, name
    typed = replayed_state(replay_at(net, scenario, states["typed"][0]))
    assert typed["quantity"][h] == 110 and typed["routes"][h][3] == Decimal(110)
    drawn = replayed_state(replay_at(net, scenario, states["route drawn"][0]))
    karlsruhe_route = next(pk for pk, r in drawn["routes"].items() if r[0] == new["karlsruhe"].pk)
    assert drawn["recommended"][s] == 55.56 and drawn["recommended"][karlsruhe_route] == 111.11
    assert nodes["mannheim"] in drawn["nodes"]
    assert nodes["mannheim"] not in replayed_state(replay_at(net, scenario, states["node removed"][0]))["nodes"]
    rejected = replay_at(net, scenario, states["rejected"][0])
    assert rejected.scenario["status"] == "rejected" and rejected.scenario["decision_comment"] == "Too far from Hagen."
    assert replay_at(net, scenario, states["submitted"][0]).scenario["status"] == "submitted"


def _table(page: str, table_id: str) -> str:
    start = page.index(f'id="{table_id}"')
    return page[start : page.index("</table>", start)]


def test_timeline_page_shows_past_versions_to_the_auditor(net, story, client_for):
    scenario, _, routes, _, states = story
    client = client_for(net.ec_auditor)
    entries = list(selectors.scenario_history(user=net.ec_auditor, scenario=scenario))
    page = client.get(f"/scenarios/{scenario.pk}/history/").content.decode()
    for sentence in (
        "Created the scenario Nearby v1",
        "Changed the route Stuttgart yard → Hagen sorter",
        "Removed the route Mannheim yard → Hagen sorter",
        "Added Hagen sorter (Sort &amp; Melt) to Nearby v1 as sorter",
        "Submitted Nearby v1 for approval",
        "Rejected Nearby v1",
    ):
        assert sentence in page
    assert "scenario.route.changed" not in page
    assert page.count("?at=") == len(entries)
    assert "<form" not in page.replace('<form method="post" action="/accounts/logout/"', "")
    assert "Version as of" not in page

    mannheim_route = f'data-route="{routes["mannheim"]}"'
    before_id = states["typed"][0]
    before = client.get(f"/scenarios/{scenario.pk}/history/?at={before_id}").content.decode()
    position = [e.pk for e in entries].index(before_id) + 1
    assert f"entry {position} of {len(entries)}" in before and "Version as of" in before
    assert mannheim_route in _table(before, "past-route-table")  # the deleted route, as it was
    assert "110 <small>typed</small>" in _table(before, "past-route-table")
    assert 'id="past-map"' in before and '"kind": "route"' in before
    after = client.get(f"/scenarios/{scenario.pk}/history/?at={states['route deleted'][0]}").content.decode()
    assert mannheim_route not in _table(after, "past-route-table")
    assert "166.67" in _table(after, "past-route-table")
    rejected = client.get(f"/scenarios/{scenario.pk}/history/?at={states['rejected'][0]}").content.decode()
    assert "Status then: <strong>Rejected</strong>" in rejected and "Too far from Hagen." in rejected
    # The auditor changes nothing.
    assert client.post(f"/scenarios/{scenario.pk}/routes/{routes['stuttgart']}/delete/").status_code == 403
    assert client.post(f"/scenarios/{scenario.pk}/new-version/").status_code == 403


def test_unknown_entries_are_404(net, story, client_for):
    scenario, _, _, _, _ = story
    other, _, _ = build_network(net, name="Other")
    foreign = LogEntry.objects.filter(target_type="scenario", target_id=str(other.pk)).first()
    client = client_for(net.ec_viewer)
    for at in ("nonsense", "999999", str(foreign.pk)):
        assert client.get(f"/scenarios/{scenario.pk}/history/?at={at}").status_code == 404, at
