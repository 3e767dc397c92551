"""Permission table over every HTML page of the assessment app (assessment/urls.py).

Actors (tests/scenarios/conftest.py): the end collector Forge Works' admin, editor, viewer and auditor; a member of
the invited partner Alu Collect (partner_member), who reads the study but never its scenarios, runs or factors; a
member of a partner that is not invited (stranger); a member of another end collector (other_ec); and an anonymous
visitor, who is sent to the login page.
"""

import csv
import io

import pytest

from assessment import services
from assessment.models import AssessmentRun, FactorOverride
from partners.models import LogEntry
from scenarios import services as scenario_services
from tests.scenarios.conftest import ACTORS, build_network

LOGIN = "login"

# Expected status per actor, in ACTORS order:
# ec_admin, ec_editor, ec_viewer, ec_auditor, partner_member, stranger, other_ec, anonymous
EC_READ = [200, 200, 200, 200, 404, 404, 404, LOGIN]  # the end collector's members read runs, factors, comparisons
EDIT_DONE = [302, 302, 403, 403, 404, 404, 404, LOGIN]  # its editors and admins assess and set factors
HTMX = {"HTTP_HX_REQUEST": "true"}
BOTH = "scenarios={scenario}&scenarios={other}"

PAGES = [
    # (method, url template, expected row, extra request headers)
    ("get", "/scenarios/{scenario}/assessment/", EC_READ, {}),
    ("get", "/scenarios/{scenario}/assessment/", EC_READ, HTMX),  # the polled part
    ("post", "/scenarios/{scenario}/assess/", EDIT_DONE, {}),
    ("get", "/studies/{study}/factors/", EC_READ, {}),
    ("get", "/studies/{study}/factors/?code=transport.cost.road", EC_READ, {}),
    ("post", "/studies/{study}/factors/", EDIT_DONE, {}),
    ("post", "/studies/{study}/factors/{override}/delete/", EDIT_DONE, {}),
    ("get", "/studies/{study}/compare/", EC_READ, {}),
    ("get", "/studies/{study}/compare/?" + BOTH, EC_READ, {}),
    ("get", "/studies/{study}/compare/?format=csv&" + BOTH, EC_READ, {}),
    ("get", "/studies/{study}/compare.csv?" + BOTH, EC_READ, {}),
    ("get", "/studies/{study}/compare.json?" + BOTH, EC_READ, {}),
    ("get", "/studies/{study}/optimise/", EC_READ, {}),  # its runs' rows: test_pages_optimisation.py
]

OVERRIDE = {"code": "transport.cost.road", "value": "0.2", "unit": "EUR/tkm", "source": "Our carrier's 2026 contract"}


def _cases():
    for method, url, row, headers in PAGES:
        for actor, expected in zip(ACTORS, row):
            name = f"{method} {url}{' htmx' if headers else ''} {actor}"
            yield pytest.param(method, url, headers, actor, expected, id=name)


def assess(scenario, user, capture):
    with capture(execute=True):
        return services.assessment_request(user=user, scenario=scenario)


@pytest.fixture
def ids(net, library, django_capture_on_commit_callbacks):
    scenario, _, _ = build_network(net)
    other, _, _ = build_network(net, name="Other")
    # The override comes first: set after the assessments, it would make their results stale, which comparisons
    # refuse unless told to use them.
    override = services.factor_override_set(
        user=net.ec_editor, study=net.study, code="stock.holding", value=100, unit="EUR/t/year", source="Our treasurer"
    )
    for s in (scenario, other):
        assess(s, net.ec_editor, django_capture_on_commit_callbacks)
    return {"study": net.study.pk, "scenario": scenario.pk, "other": other.pk, "override": override.pk}


@pytest.mark.parametrize("method,url,headers,actor,expected", list(_cases()))
def test_page_permissions(net, ids, client_for, method, url, headers, actor, expected):
    client = client_for(None if actor == "anonymous" else net.user(actor))
    path = url.format(**ids)
    data = OVERRIDE if path.endswith("/factors/") and method == "post" else None
    response = getattr(client, method)(path, data, **headers)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected, response.content[:300]
    if expected == 200 and "csv" in path:
        assert response["Content-Disposition"] == f'attachment; filename="comparison-study-{ids["study"]}.csv"'


def test_successes_did_their_work(net, ids, client_for, django_capture_on_commit_callbacks):
    """The 200s and 302s of the table are successes, not refusals behind a redirect or an empty page."""
    client = client_for(net.ec_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/scenarios/{ids['scenario']}/assess/", follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    runs = AssessmentRun.objects.filter(scenario_id=ids["scenario"])
    assert runs.count() == 2 and runs.first().status == "done" and runs.first().requested_by == net.ec_admin

    response = client.post(f"/studies/{ids['study']}/factors/", OVERRIDE, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    override = FactorOverride.objects.get(study_id=ids["study"], code="transport.cost.road")
    assert (override.value, override.unit, override.source) == (0.2, "EUR/tkm", "Our carrier's 2026 contract")

    response = client.post(f"/studies/{ids['study']}/factors/{ids['override']}/delete/", follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]
    assert not FactorOverride.objects.filter(pk=ids["override"]).exists()
    assert LogEntry.objects.filter(action="study.factor.deleted").count() == 1

    both = BOTH.format(**ids) + "&accept_stale=1"  # the factors just changed: the results are stale, used knowingly
    lines = list(csv.reader(io.StringIO(client.get(f"/studies/{ids['study']}/compare.csv?{both}").content.decode())))
    assert lines[0] == ["indicator", "phase", "unit", "origin", "Nearby v1", "Other v1"] and len(lines) == 14
    data = client.get(f"/studies/{ids['study']}/compare.json?{both}").json()
    assert data["scenarios"] == ["Nearby v1", "Other v1"] and len(data["radars"]) == 2
    page = client.get(f"/studies/{ids['study']}/compare/?{both}").content.decode()
    assert 'id="compare-table"' in page and 'id="radar-end_of_life"' in page and 'id="radar-whole_life"' in page


def test_readers_see_no_write_forms(net, ids, client_for):
    client = client_for(net.ec_auditor)
    for path in ["/scenarios/{scenario}/assessment/", "/studies/{study}/factors/", "/studies/{study}/compare/?" + BOTH]:
        page = client.get(path.format(**ids)).content.decode()
        assert page.count('method="post"') == 1, path  # the sign-out only
        assert 'id="assess"' not in page and 'id="override-form"' not in page


def test_a_refused_write_changes_nothing(net, ids, client_for):
    client = client_for(net.ec_viewer)
    runs, log = AssessmentRun.objects.count(), LogEntry.objects.count()
    assert client.post(f"/scenarios/{ids['scenario']}/assess/").status_code == 403
    assert client.post(f"/studies/{ids['study']}/factors/", OVERRIDE).status_code == 403
    assert client.post(f"/studies/{ids['study']}/factors/{ids['override']}/delete/").status_code == 403
    assert (AssessmentRun.objects.count(), LogEntry.objects.count()) == (runs, log)
    assert FactorOverride.objects.filter(pk=ids["override"]).exists()
    assert not FactorOverride.objects.filter(code="transport.cost.road").exists()


def test_other_tenants_scenarios_cannot_be_compared_in(net, ids, client_for):
    """A scenario id of another end collector's study is refused by name, and nothing of it shows."""
    world = net.world
    foreign_study = scenario_services.study_create(
        user=world.unshared_member,
        end_collector=world.unshared_ec,
        name="Secret bracket",
        product_name="Bracket",
        product_material=net.study.product_material,
        product_mass_kg=1,
        units_per_year=1000,
        need_t_per_year=1,
        accepted_materials=[],
        candidates=[],
    )
    foreign = scenario_services.scenario_create(user=world.unshared_member, study=foreign_study, name="Secret plan")
    client = client_for(net.ec_admin)
    response = client.get(f"/studies/{ids['study']}/compare/?scenarios={ids['scenario']}&scenarios={foreign.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Scenario {foreign.pk} is not a scenario of this study." in page and "Secret" not in page
    # ... and the other end collector's member cannot open the first study's pages with its own scenario either.
    other = client_for(world.unshared_member)
    assert other.get(f"/studies/{ids['study']}/compare/?scenarios={foreign.pk}").status_code == 404
    assert other.get(f"/scenarios/{foreign.pk}/assessment/").status_code == 200
