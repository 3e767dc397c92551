"""Bad input to the assessment API that used to pass without a word: factor overrides and carbon prices of 1e308
or `true`, an AHP judgement of `true`, a ranking naming a scenario twice, a builder step's yield of "NaN" or 2
(which was dropped), and OPTIONS on a judgement. Each refusal is a 400 naming the field and writes nothing (row
counts and the log unchanged).
"""

from decimal import Decimal

import pytest

from assessment.models import FactorOverride, Judgement, OptimisationRun, Ranking
from partners.models import LogEntry
from scenarios import services as scenario_services
from scenarios.models import Node

from .test_api_ahp import COST_AND_RATE, create_set, judge, u
from .test_decisions import two_assessed  # noqa: F401  (the fixture)


def written():
    return {
        model.__name__: model.objects.count()
        for model in (FactorOverride, Judgement, OptimisationRun, Ranking, Node, LogEntry)
    }


# ---------------------------------------------------------------- factors and carbon price


@pytest.mark.parametrize(
    "value, message",
    [
        (1e308, "A factor is at most 1,000,000,000 in its unit."),
        (1_000_000_001, "A factor is at most 1,000,000,000 in its unit."),
        (True, "A factor is a number (not true, false, NaN or infinity)."),
    ],
)
def test_factor_override_beyond_the_bound_or_not_a_number_is_refused(library, net, api_for, value, message):
    before = written()
    body = {"code": "transport.cost.road", "value": value, "unit": "EUR/tkm", "source": "Carrier"}
    response = api_for(net.ec_editor).post(u("api-study-factors", id=net.study.pk), body, format="json")
    assert response.status_code == 400
    assert response.json() == {"value": [message]}
    assert written() == before


def test_factor_override_at_the_bound_is_taken(library, net, api_for):
    body = {"code": "transport.cost.road", "value": 1_000_000_000, "unit": "EUR/tkm", "source": "Carrier"}
    response = api_for(net.ec_editor).post(u("api-study-factors", id=net.study.pk), body, format="json")
    assert response.status_code in (200, 201), response.json()
    assert FactorOverride.objects.get().value == 1e9


@pytest.mark.parametrize(
    "price, message",
    [
        (1e308, "The carbon price is at most 100 EUR per kg CO2e (100,000 EUR per tonne)."),
        (100.5, "The carbon price is at most 100 EUR per kg CO2e (100,000 EUR per tonne)."),
        (True, "The carbon price is a number of EUR per kg CO2e."),
    ],
)
def test_carbon_price_beyond_the_bound_is_refused(net, library, api_for, price, message):
    before = written()
    response = api_for(net.ec_editor).post(
        u("api-study-optimisations", id=net.study.pk),
        {"objective": "weighted", "carbon_price_eur_per_kg": price},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"carbon_price_eur_per_kg": [message]}
    assert written() == before


# ---------------------------------------------------------------- AHP


def test_a_judgement_entry_of_true_is_refused(net, api_for):
    set_id = create_set(net, api_for).json()["id"]
    before = written()
    response = judge(net, api_for, net.ec_editor, set_id, [[1, True], [1, 1]])
    assert response.status_code == 400
    assert response.json() == {
        "matrix": {"0": {"1": ["Each judgement is a number, e.g. 3 or 0.333 (not true, false or NaN)."]}}
    }
    assert written() == before


def test_options_on_a_judgement_shows_its_body_to_the_admin(net, api_for):
    set_id = create_set(net, api_for).json()["id"]
    response = api_for(net.ec_admin).options(u("api-study-criteria-set-judgement", id=net.study.pk, set_id=set_id))
    assert response.status_code == 200
    assert list(response.json()["actions"]) == ["PUT"]
    assert "matrix" in response.json()["actions"]["PUT"]


def test_a_ranking_naming_a_scenario_twice_is_refused(net, api_for, two_assessed):  # noqa: F811
    set_id = create_set(net, api_for, COST_AND_RATE).json()["id"]
    judge(net, api_for, net.ec_editor, set_id, [[1, 3], [1 / 3, 1]])
    a, b = two_assessed
    before = written()
    response = api_for(net.ec_editor).post(
        u("api-study-rankings", id=net.study.pk),
        {"criteria_set": set_id, "scenarios": [a.pk, b.pk, a.pk]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"scenarios": [f"Name each scenario once; {a.pk} is named more than once."]}
    assert written() == before


# ---------------------------------------------------------------- builder


def _step(net, api_for, scenario, **body):
    return api_for(net.ec_editor).post(
        u("api-scenario-builder-steps", id=scenario.pk),
        {"direction": "backwards", "role": "recoverer", "facility": net.neuss.pk, "mode": "road", **body},
        format="json",
    )


@pytest.mark.parametrize(
    "value, message",
    [
        ("NaN", "Yield must be a number."),
        (2, "Yield must be at most 1."),
        (0, "Yield must be above 0."),
    ],
)
def test_a_builder_step_yield_out_of_range_is_refused(net, api_for, value, message):
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Step by step")
    before = written()
    response = _step(net, api_for, scenario, yield_ratio=value)
    assert response.status_code == 400
    assert response.json() == {"yield_ratio": [message]}
    assert written() == before


def test_a_builder_step_yield_is_taken_not_dropped(net, api_for):
    """Neuss declares remelting at 0.9; the step types 0.6 for the node, which the node keeps."""
    scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Step by step")
    response = _step(net, api_for, scenario, yield_ratio=0.6)
    assert response.status_code == 201, response.json()
    assert Node.objects.get(pk=response.json()["node"]).yield_ratio == Decimal("0.6")
