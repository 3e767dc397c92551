"""Comparison and rankings mark each scenario's shortfall (delivered vs need) and staleness, and refuse stale
results unless the user re-assesses or acknowledges (a checkbox / API flag, logged).

Two scenarios of the study world (tests/scenarios/conftest.py, need 90 t/year), both assessed:
- "Full": the three-stage network, delivering 90 of 90 t/year;
- "Short": the same with 60 t/year typed on Neuss -> forge, delivering 60: short by 90 - 60 = 30 t/year.
Then Full's Mannheim share changes 2 -> 4 after its assessment: its result is stale.
"""

from decimal import Decimal

import pytest

from assessment import decisions
from assessment import services as assessment_services
from partners.errors import ApplicationError
from partners.history import describe
from partners.models import LogEntry
from scenarios import services
from tests.scenarios.conftest import build_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(net, library, django_capture_on_commit_callbacks):
    full, _, full_routes = build_network(net, name="Full")
    short, _, routes = build_network(net, name="Short")
    services.route_update(user=net.ec_editor, route=routes["neuss"], quantity_t=Decimal("60"))
    for scenario in (full, short):
        with django_capture_on_commit_callbacks(execute=True):
            assessment_services.assessment_request(user=net.ec_editor, scenario=scenario)
    return full, short, full_routes


def make_stale(net, full_routes):
    services.route_update(user=net.ec_editor, route=full_routes["mannheim"], share=Decimal(4))


def test_the_comparison_marks_the_shortfall(net, pair, api_for, client_for):
    full, short, _ = pair
    body = api_for(net.ec_viewer).get(f"/api/v1/studies/{net.study.pk}/comparison?scenarios={full.pk},{short.pk}")
    assert body.status_code == 200
    assert body.json()["markers"] == [
        {"name": "Full v1", "need_t": 90.0, "delivered_t": 90.0, "shortfall_t": 0.0, "stale": False},
        {"name": "Short v1", "need_t": 90.0, "delivered_t": 60.0, "shortfall_t": 30.0, "stale": False},
    ]
    page = (
        client_for(net.ec_viewer)
        .get(f"/studies/{net.study.pk}/compare/", {"scenarios": [full.pk, short.pk]})
        .content.decode()
    )
    assert "delivers 60 of 90 t/year" in page and "short by 30 t/year" in page


def test_stale_results_are_refused_unless_acknowledged_and_the_acknowledgement_is_logged(
    net, pair, api_for, client_for
):
    full, short, routes = pair
    make_stale(net, routes)
    api = api_for(net.ec_viewer)
    url = f"/api/v1/studies/{net.study.pk}/comparison?scenarios={full.pk},{short.pk}"
    refused = api.get(url)
    assert refused.status_code == 400
    assert refused.json()["accept_stale"][0].startswith("Full v1 changed since its last assessment (stale result)")
    assert not LogEntry.objects.filter(action="study.stale_results_used").exists()
    accepted = api.get(url + "&accept_stale=1").json()
    assert [m["stale"] for m in accepted["markers"]] == [True, False]
    entry = LogEntry.objects.get(action="study.stale_results_used")
    assert entry.changes == {"scenarios": [None, ["Full v1"]], "where": [None, "comparison"]}
    assert describe([entry])[0].sentence == ("Went on with stale assessment results of Full v1 in a comparison")

    page = (
        client_for(net.ec_viewer)
        .get(f"/studies/{net.study.pk}/compare/", {"scenarios": [full.pk, short.pk]}, follow=True)
        .content.decode()
    )
    assert "Full v1 changed since its last assessment" in page and 'id="compare-table"' not in page
    page = (
        client_for(net.ec_viewer)
        .get(f"/studies/{net.study.pk}/compare/", {"scenarios": [full.pk, short.pk], "accept_stale": "1"})
        .content.decode()
    )
    assert "stale result</mark>" in page and 'id="compare-table"' in page


def test_a_ranking_refuses_stale_results_unless_acknowledged_and_keeps_the_markers(net, pair, api_for, client_for):
    """Two criteria (recycling rate, total cost), equally weighed by the editor. Short delivers 60 of 90: marked
    short by 30; Full's result is stale."""
    full, short, routes = pair
    criteria_set = decisions.criteria_set_create(
        user=net.ec_editor,
        study=net.study,
        name="Rate only",
        kind="scenario",
        criteria=["recycling_rate", "cost.total_eur"],
    )
    decisions.judgement_set(user=net.ec_editor, criteria_set=criteria_set, matrix=[[1, 1], [1, 1]])
    make_stale(net, routes)
    with pytest.raises(ApplicationError) as refused:
        decisions.scenario_ranking_create(
            user=net.ec_editor, study=net.study, criteria_set=criteria_set, scenario_ids=[full.pk, short.pk]
        )
    assert "Full v1 changed since its last assessment" in refused.value.field_errors["accept_stale"][0]
    ranking = decisions.scenario_ranking_create(
        user=net.ec_editor,
        study=net.study,
        criteria_set=criteria_set,
        scenario_ids=[full.pk, short.pk],
        accept_stale=True,
    )
    assert [(m["name"], m["shortfall_t"], m["stale"]) for m in ranking.result["markers"]] == [
        ("Full v1", 0.0, True),
        ("Short v1", 30.0, False),
    ]
    assert LogEntry.objects.get(action="study.stale_results_used").changes["where"] == [None, "ranking"]
    body = api_for(net.ec_viewer).get(f"/api/v1/studies/{net.study.pk}/rankings/{ranking.pk}/").json()
    assert body["result"]["markers"][1]["shortfall_t"] == 30.0
    page = client_for(net.ec_viewer).get(f"/studies/{net.study.pk}/rankings/{ranking.pk}/").content.decode()
    markers = page[page.index('id="scenario-markers"') :]
    assert "delivers 60 of 90 t/year" in markers and "short by 30 t/year" in markers
    assert markers.index("stale result") < markers.index("Short v1")  # Full's result is the stale one


def test_the_ranking_form_names_the_stale_scenario_next_to_the_choice(net, pair, client_for):
    """Posting the ranking form on a stale result re-shows the form with the refusal under “Use stale results”; with
    the box ticked the ranking is made."""
    full, short, routes = pair
    criteria_set = decisions.criteria_set_create(
        user=net.ec_editor,
        study=net.study,
        name="Rate and cost",
        kind="scenario",
        criteria=["recycling_rate", "cost.total_eur"],
    )
    decisions.judgement_set(user=net.ec_editor, criteria_set=criteria_set, matrix=[[1, 1], [1, 1]])
    make_stale(net, routes)
    client = client_for(net.ec_editor)
    url = f"/studies/{net.study.pk}/ahp/{criteria_set.pk}/rank/"
    page = client.post(url, {"scenarios": [full.pk, short.pk], "mode": "distributive"}).content.decode()
    field = page[page.index('id="field-accept_stale"') : page.index('id="rank-button"')]
    assert "Full v1 changed since its last assessment" in field
    done = client.post(url, {"scenarios": [full.pk, short.pk], "mode": "distributive", "accept_stale": "on"})
    assert done.status_code == 302
