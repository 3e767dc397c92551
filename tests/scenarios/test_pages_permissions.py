"""Permission table over every HTML page of the scenarios app, plus the frozen approved scenario.

Actors (tests/scenarios/conftest.py): the end collector Forge Works' admin, editor, viewer and auditor; a member of
the invited partner Alu Collect (partner_member); a member of a partner that is not invited (stranger); a member of
another end collector (other_ec); and an anonymous visitor, who is sent to the login page.
"""

from decimal import Decimal

import pytest

from partners.models import Facility, LogEntry, SheetShare
from scenarios import services
from scenarios.models import Node, Route, Scenario
from tests.scenarios.conftest import ACTORS, NOT_ASSESSED, build_network

LOGIN = "login"

# Expected status per actor, in ACTORS order:
# ec_admin, ec_editor, ec_viewer, ec_auditor, partner_member, stranger, other_ec, anonymous
EC_READ = [200, 200, 200, 200, 404, 404, 404, LOGIN]  # the end collector's members; partners never see scenarios
STUDY_READ = [200, 200, 200, 200, 200, 404, 404, LOGIN]  # ... and the invited partner sees the study
PARTNER_LIST = [404, 404, 404, 404, 200, 404, 404, LOGIN]  # the partner's own studies page
EC_EDIT = [200, 200, 403, 403, 404, 404, 404, LOGIN]  # editors and admins; the partner cannot see it at all
STUDY_EDIT = [200, 200, 403, 403, 403, 404, 404, LOGIN]  # the partner reads the study, may not change it
STUDY_EDIT_DONE = [302, 302, 403, 403, 403, 404, 404, LOGIN]
EDIT_DONE = [302, 302, 403, 403, 404, 404, 404, LOGIN]
ADMIN_DONE = [302, 403, 403, 403, 404, 404, 404, LOGIN]  # only admins approve or reject (editor 403)

PAGES = [
    # (method, url template, expected row)
    ("get", "/o/forge-works/studies/", EC_READ),
    ("get", "/o/alu-collect/studies/", PARTNER_LIST),
    ("get", "/o/forge-works/studies/new/", EC_EDIT),
    ("post", "/o/forge-works/studies/new/", EDIT_DONE),
    ("get", "/studies/{study}/", STUDY_READ),
    ("get", "/studies/{study}/edit/", STUDY_EDIT),
    ("post", "/studies/{study}/edit/", STUDY_EDIT_DONE),
    ("get", "/studies/{study}/scenarios/new/", STUDY_EDIT),
    ("post", "/studies/{study}/scenarios/new/", STUDY_EDIT_DONE),
    ("get", "/scenarios/{scenario}/", EC_READ),
    ("get", "/scenarios/{submitted}/", EC_READ),
    ("get", "/scenarios/{scenario}/history/", EC_READ),
    ("get", "/scenarios/{scenario}/history/?at={first_entry}", EC_READ),
    ("post", "/scenarios/{scenario}/nodes/", EDIT_DONE),
    ("get", "/scenarios/{scenario}/nodes/{hagen_node}/edit/", EC_EDIT),
    ("post", "/scenarios/{scenario}/nodes/{hagen_node}/edit/", EDIT_DONE),
    ("post", "/scenarios/{scenario}/nodes/{mannheim_node}/remove/", EDIT_DONE),
    ("post", "/scenarios/{scenario}/delete/", EDIT_DONE),
    ("post", "/scenarios/{scenario}/routes/", EDIT_DONE),
    ("get", "/scenarios/{scenario}/routes/{hagen_route}/edit/", EC_EDIT),
    ("post", "/scenarios/{scenario}/routes/{hagen_route}/edit/", EDIT_DONE),
    ("post", "/scenarios/{scenario}/routes/{hagen_route}/delete/", EDIT_DONE),
    ("post", "/scenarios/{scenario}/submit/", EDIT_DONE),
    ("post", "/scenarios/{scenario}/clone/", EDIT_DONE),
    ("post", "/scenarios/{submitted}/new-version/", EDIT_DONE),
    ("post", "/scenarios/{submitted}/approve/", ADMIN_DONE),
    ("post", "/scenarios/{submitted}/reject/", ADMIN_DONE),
]


def _cases():
    for method, url, row in PAGES:
        for actor, expected in zip(ACTORS, row):
            yield pytest.param(method, url, actor, expected, id=f"{method} {url} {actor}")


@pytest.fixture
def ids(net):
    scenario, nodes, routes = build_network(net)
    submitted, _, _ = build_network(net, name="Submitted")
    services.scenario_submit(user=net.ec_editor, scenario=submitted, acknowledge=True, reason=NOT_ASSESSED)
    # A spare collector to add, and a second material Hagen takes and the study accepts (a route's material must be
    # one the study accepts, scenarios/materials.py), so that adding a node and a route succeed.
    karlsruhe = Facility.objects.create(
        organization=net.world.partner,
        name="Karlsruhe yard",
        country="DE",
        latitude=Decimal("49.0069"),
        longitude=Decimal("8.4037"),
        is_collector=True,
        capacity_t_per_year=Decimal("500"),
    )
    net.hagen.accepted_materials.add(net.material("al-wheels"))
    net.study.accepted_materials.add(net.material("al-wheels"))
    return {
        "study": net.study.pk,
        "scenario": scenario.pk,
        "submitted": submitted.pk,
        "mannheim_node": nodes["mannheim"].pk,
        "stuttgart_node": nodes["stuttgart"].pk,
        "hagen_node": nodes["hagen"].pk,
        "hagen_route": routes["hagen"].pk,
        "karlsruhe": karlsruhe.pk,
        "first_entry": LogEntry.objects.filter(target_type="scenario", target_id=str(scenario.pk)).order_by("pk")[0].pk,
    }


def post_data(path: str, ids: dict) -> dict:
    study = {
        "name": "Bracket",
        "product_name": "Bracket",
        "product_material": "al-secondary-billet",
        "product_mass_kg": "1.2",
        "units_per_year": "50000",
        "need_t_per_year": "",
        "recycled_share_pct": "25",
        "accepted_materials": ["al-vehicle-parts"],
        "candidates": ["alu-collect"],
    }
    if path.endswith("/edit/") and "/nodes/" in path:
        return {"yield_ratio": "0.75", "capacity_t_per_year": "1800"}
    if path.endswith("/edit/") and "/routes/" in path:
        return {"share": "2", "mode": "rail", "quantity_t": "", "distance_km": ""}
    if path.endswith("/edit/"):
        return {**study, "name": "Control arm", "need_t_per_year": "95"}
    if path.endswith("/studies/new/"):
        return study
    if path.endswith("/scenarios/new/"):
        return {"name": "Far away"}
    if path.endswith("/nodes/"):
        return {"facility": ids["karlsruhe"], "role": "collector", "yield_ratio": "0.6"}
    if path.endswith("/routes/"):
        return {
            "origin": ids["stuttgart_node"],
            "destination": ids["hagen_node"],
            "material": "al-wheels",
            "share": "1",
            "mode": "road",
        }
    if path.endswith(("/approve/", "/reject/")):
        return {"comment": "Checked the capacities.", "acknowledge": "on", "reason": NOT_ASSESSED}
    if path.endswith("/submit/"):
        return {"acknowledge": "on", "reason": NOT_ASSESSED}
    return {}


@pytest.mark.parametrize("method,url,actor,expected", list(_cases()))
def test_page_permissions(net, ids, client_for, method, url, actor, expected):
    client = client_for(None if actor == "anonymous" else net.user(actor))  # net.user("anonymous") raises
    path = url.format(**ids)
    response = getattr(client, method)(path, post_data(path, ids) if method == "post" else None)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]


def test_successful_posts_did_their_work(net, ids, client_for):
    """The 302s of the table are successes, not refusals hidden behind a redirect."""
    client = client_for(net.ec_admin)
    for path in [
        "/scenarios/{scenario}/nodes/",
        "/scenarios/{scenario}/routes/",
        "/scenarios/{submitted}/approve/",
        "/scenarios/{scenario}/nodes/{hagen_node}/edit/",
    ]:
        path = path.format(**ids)
        response = client.post(path, post_data(path, ids), follow=True)
        assert [m.level_tag for m in response.context["messages"]] == ["success"], path
    assert Node.objects.filter(scenario_id=ids["scenario"], facility_id=ids["karlsruhe"]).exists()
    assert Route.objects.filter(scenario_id=ids["scenario"], material__code="al-wheels").exists()
    assert Scenario.objects.get(pk=ids["submitted"]).status == "approved"
    hagen = Node.objects.get(pk=ids["hagen_node"])
    assert (hagen.yield_ratio, hagen.capacity_t_per_year) == (Decimal("0.75"), Decimal("1800"))
    response = client.post(f"/scenarios/{ids['scenario']}/delete/", follow=True)
    assert response.redirect_chain == [(f"/studies/{ids['study']}/", 302)]
    assert not Scenario.objects.filter(pk=ids["scenario"]).exists()
    assert LogEntry.objects.filter(action="scenario.deleted", target_id=str(ids["scenario"])).count() == 1


def test_partner_not_invited_gets_404_even_when_sharing(net, client_for):
    """Sharing a sheet with the end collector is not enough: only invited partners see the study."""
    SheetShare.objects.create(organization=net.world.other, end_collector=net.ec)
    client = client_for(net.world.stranger)
    assert client.get(f"/studies/{net.study.pk}/").status_code == 404
    assert net.study.name not in client.get("/o/other-metals/studies/").content.decode()


def test_invited_partner_sees_figures_not_scenarios_or_other_candidates(net, client_for):
    scenario, _, _ = build_network(net)
    client = client_for(net.world.editor)
    page = client.get(f"/studies/{net.study.pk}/").content.decode()
    assert "Front lower control arm" in page and "90 t/year" in page
    assert scenario.name not in page and "Sort &amp; Melt" not in page and "New scenario" not in page
    assert client.get(f"/scenarios/{scenario.pk}/").status_code == 404
    assert client.get(f"/scenarios/{scenario.pk}/history/").status_code == 404
    listing = client.get("/o/alu-collect/studies/").content.decode()
    assert "Control arm" in listing and "Forge Works" in listing


def test_auditor_sees_no_forms(net, client_for):
    scenario, _, _ = build_network(net)
    client = client_for(net.ec_auditor)
    for path in [f"/scenarios/{scenario.pk}/", f"/scenarios/{scenario.pk}/history/", f"/studies/{net.study.pk}/"]:
        page = client.get(path).content.decode()
        assert page.count("<form") == page.count('action="/accounts/logout/"') == 1, path  # sign-out only


# ---------------------------------------------------------------- an approved scenario is frozen


@pytest.fixture
def approved(net):
    scenario, nodes, routes = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    services.scenario_approve(
        user=net.ec_admin, scenario=scenario, comment="Good to go.", acknowledge=True, reason=NOT_ASSESSED
    )
    return scenario, nodes, routes


def _state(scenario):
    scenario.refresh_from_db()
    return (
        scenario.status,
        scenario.decision_comment,
        sorted(scenario.nodes.values_list("pk", "facility_id", "role", "yield_ratio")),
        sorted(scenario.routes.values_list("pk", "quantity_t", "share", "mode", "distance_km", "is_backhaul")),
    )


def test_every_change_form_on_an_approved_scenario_changes_nothing(net, approved, client_for):
    scenario, nodes, routes = approved
    extra = Facility.objects.create(
        organization=net.world.partner,
        name="Karlsruhe yard",
        country="DE",
        latitude=Decimal("49.0"),
        longitude=Decimal("8.4"),
        is_collector=True,
        capacity_t_per_year=Decimal("500"),
    )
    pk = scenario.pk
    posts = [
        (f"/scenarios/{pk}/nodes/", {"facility": extra.pk, "role": "collector", "yield_ratio": "0.5"}),
        (f"/scenarios/{pk}/nodes/{nodes['mannheim'].pk}/remove/", {}),
        (f"/scenarios/{pk}/nodes/{nodes['hagen'].pk}/edit/", {"yield_ratio": "0.5", "capacity_t_per_year": "10"}),
        (f"/scenarios/{pk}/delete/", {}),
        (
            f"/scenarios/{pk}/routes/",
            {
                "origin": nodes["stuttgart"].pk,
                "destination": nodes["hagen"].pk,
                "material": "al-vehicle-parts",
                "share": "1",
                "mode": "road",
            },
        ),
        (f"/scenarios/{pk}/routes/{routes['hagen'].pk}/edit/", {"share": "5", "mode": "rail", "quantity_t": "1"}),
        (f"/scenarios/{pk}/routes/{routes['hagen'].pk}/delete/", {}),
        (f"/scenarios/{pk}/submit/", {}),
        (f"/scenarios/{pk}/approve/", {"comment": "again"}),
        (f"/scenarios/{pk}/reject/", {"comment": "changed my mind"}),
    ]
    client = client_for(net.ec_admin)
    before, log_before = _state(scenario), LogEntry.objects.count()
    for path, data in posts:
        response = client.post(path, data, follow=True)
        assert response.redirect_chain == [(f"/scenarios/{pk}/", 302)], path
        assert _state(scenario) == before, path
        assert LogEntry.objects.count() == log_before, path
        page = response.content.decode()
        assert 'class="notice error"' in page, path  # the reason, as a message
        assert "frozen: make a new version to change it" in page
    # The edit page itself is not offered either.
    assert client.get(f"/scenarios/{pk}/routes/{routes['hagen'].pk}/edit/").status_code == 302


def test_approved_page_shows_the_frozen_banner_and_no_editing(net, approved, client_for):
    scenario, _, _ = approved
    page = client_for(net.ec_editor).get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "Approved on" in page and "by shared_member; frozen: make a new version to change it." in page
    assert "Good to go." in page
    assert 'id="node-form"' not in page and 'id="route-form"' not in page and "Submit for approval" not in page
    assert "New version" in page and "Clone" in page


def test_new_version_and_clone_leave_the_approved_scenario_alone(net, approved, client_for):
    scenario, _, _ = approved
    before = _state(scenario)
    client = client_for(net.ec_editor)
    response = client.post(f"/scenarios/{scenario.pk}/new-version/")
    draft = Scenario.objects.get(name=scenario.name, version=2)
    assert response["Location"] == f"/scenarios/{draft.pk}/"
    assert draft.status == "draft" and draft.nodes.count() == 5 and draft.routes.count() == 4
    client.post(f"/scenarios/{scenario.pk}/clone/", {"name": "Nearby bis"})
    assert Scenario.objects.get(name="Nearby bis").routes.count() == 4
    assert _state(scenario) == before
