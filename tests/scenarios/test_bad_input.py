"""Bad input to studies and scenarios, on the pages and through the API: names too long or holding a NUL
character, comments with NUL, a capacity of 0, shares typed as percentages, counts beyond any line. Each is refused
with a message naming the field and writes nothing (row counts and the log unchanged); none answers 500.

The network is the one of tests/scenarios/conftest.py (Stuttgart and Mannheim -> Hagen -> Neuss -> Forge plant).
"""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages

from scenarios import services
from scenarios.models import Node, Scenario
from tests.scenarios.conftest import NOT_ASSESSED

from .conftest import build_network
from .test_api import STUDY, Unchanged, u


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# ---------------------------------------------------------------- workflow pages


@pytest.mark.parametrize(
    "name,message",
    [
        ("x" * 200, "Name of the copy must be at most 160 characters long."),
        ("Copy\x00one", "Name of the copy: Null characters are not allowed."),
    ],
)
def test_clone_page_refuses_a_bad_name_without_500(net, client_for, name, message):
    scenario, _, _ = build_network(net)
    unchanged = Unchanged()
    response = client_for(net.ec_editor).post(u("scenario-clone", pk=scenario.pk), {"name": name})
    assert response.status_code == 302 and response["Location"] == f"/scenarios/{scenario.pk}/"
    assert _messages(response) == [message]
    assert unchanged


def test_approve_page_refuses_a_comment_with_nul(net, client_for):
    scenario, _, _ = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    unchanged = Unchanged()
    response = client_for(net.ec_admin).post(u("scenario-approve", pk=scenario.pk), {"comment": "Fine\x00"})
    assert response.status_code == 302
    assert _messages(response) == ["Comment: Null characters are not allowed."]
    assert Scenario.objects.get(pk=scenario.pk).status == "submitted" and unchanged


def test_approve_api_refuses_a_comment_with_nul(net, api_for):
    scenario, _, _ = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    unchanged = Unchanged()
    response = api_for(net.ec_admin).post(
        u("api-scenario-approve", id=scenario.pk), {"comment": "Fine\x00"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"comment": ["Null characters are not allowed."]}
    assert unchanged


def test_services_refuse_a_nul_character_even_past_the_forms(net):
    """The service checks again (PostgreSQL cannot store NUL): the comment is named and nothing is written."""
    scenario, _, _ = build_network(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason=NOT_ASSESSED)
    unchanged = Unchanged()
    with pytest.raises(Exception) as caught:
        services.scenario_approve(
            user=net.ec_admin, scenario=scenario, comment="Fine\x00", acknowledge=True, reason=NOT_ASSESSED
        )
    assert caught.value.message_dict == {
        "decision_comment": ["Remove the NUL character (an invisible control character) from this text."]
    }
    assert Scenario.objects.get(pk=scenario.pk).status == "submitted" and unchanged


def test_clone_of_a_160_character_name_shortens_the_default_name(net, client_for):
    """A 160-character name plus " (copy)" would be 167 characters: the copy is named with the first 152
    characters, an ellipsis and " (copy)" (152 + 1 + 7 = 160)."""
    scenario = services.scenario_create(user=net.ec_editor, study=net.study, name="N" * 160)
    response = client_for(net.ec_editor).post(u("scenario-clone", pk=scenario.pk), {"name": ""})
    copy = Scenario.objects.exclude(pk=scenario.pk).get(study=net.study, previous=scenario)
    assert response.status_code == 302 and response["Location"] == f"/scenarios/{copy.pk}/"
    assert copy.name == "N" * 152 + "… (copy)" and len(copy.name) == 160


# ---------------------------------------------------------------- capacity of 0


def test_node_capacity_of_zero_is_refused_through_the_api(net, api_for):
    scenario, nodes, _ = build_network(net)
    unchanged = Unchanged()
    response = api_for(net.ec_editor).patch(
        u("api-scenario-node", id=scenario.pk, node_id=nodes["hagen"].pk), {"capacity_t_per_year": 0}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"capacity_t_per_year": ["Capacity must be above 0 t/year."]}
    assert Node.objects.get(pk=nodes["hagen"].pk).capacity_t_per_year == Decimal("2000") and unchanged


def test_geojson_of_a_node_with_a_capacity_of_zero_answers(net, api_for):
    """A node stored with a capacity of 0 before it was refused: it receives 125 t/year, so its use is infinite;
    the map data says null for it and flags the overrun (125 t/year over a capacity of 0)."""
    scenario, nodes, _ = build_network(net)
    Node.objects.filter(pk=nodes["hagen"].pk).update(capacity_t_per_year=0)
    response = api_for(net.ec_editor).get(u("api-scenario-geojson", id=scenario.pk))
    assert response.status_code == 200
    hagen = next(
        f
        for f in response.json()["features"]
        if f["properties"]["kind"] == "node" and f["properties"]["id"] == nodes["hagen"].pk
    )
    assert hagen["properties"]["capacity_use"] is None
    assert hagen["properties"]["inflow_t"] == 125
    assert "needs 125 t/year but its capacity is 0 t/year" in hagen["properties"]["flags"]


def test_scenario_page_of_a_node_with_a_capacity_of_zero_shows_no_infinite_use(net, client_for):
    scenario, nodes, _ = build_network(net)
    Node.objects.filter(pk=nodes["hagen"].pk).update(capacity_t_per_year=0)
    response = client_for(net.ec_viewer).get(f"/scenarios/{scenario.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "inf %" not in page and "needs 125 t/year but its capacity is 0 t/year" in page


# ---------------------------------------------------------------- studies


@pytest.mark.parametrize(
    "change,field,message",
    [
        (
            {"recycled_share": 50},
            "recycled_share",
            "The target recycled-content share is a fraction from 0 to 1, not a percentage: send 0.5 for 50 %.",
        ),
        (
            {"recycled_share": 1.5},
            "recycled_share",
            "The target recycled-content share is a fraction from 0 to 1, not a percentage: send 0.5 for 50 %.",
        ),
        ({"units_per_year": 9223372036854775807}, "units_per_year", "Units per year must be at most 1,000,000,000."),
        (
            {"need_t_per_year": 1e12},
            "need_t_per_year",
            "Recycled material needed must be at most 999,999,999.999 t/year.",
        ),
        ({"name": "D" * 161}, "name", "Name must be at most 160 characters long."),
    ],
)
def test_study_api_refuses_numbers_beyond_the_model_in_words(net, api_for, change, field, message):
    unchanged = Unchanged()
    response = api_for(net.ec_editor).post(
        u("api-studies", slug="forge-works"),
        {**STUDY, "need_t_per_year": None, "recycled_share": 0.3, **change},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {field: [message]}
    assert unchanged
