"""Who gets what from every endpoint and method of the assessment API (pretix style permission table).

The world is that of tests/scenarios/test_api_permissions.py: the end collector Forge Works (ec_admin, ec_editor,
ec_viewer, ec_auditor) with its study "Control arm" and the three-stage network of tests/scenarios/conftest.py;
partner_member is an editor of Alu Collect, a partner invited into the study; stranger administers Other Metals, not
invited; other_ec administers Press Co, another end collector.

Runs, their status, results and inputs, the study's factor overrides, comparisons, AHP criteria sets (with their
weights), judgements and rankings, partner candidates and partner rankings, the scenario builder, and optimisations
(candidates, runs, their front, scenarios made of them): every member of the end collector reads them; editors and
admins ask for runs, rankings, optimisations (202: a worker solves them), builder steps and scenarios of a solution
and change overrides; readers get 403 before their body is read; whoever is not a member of the end collector gets
404 (the invited partner included: it reads the study and nothing more, not the ranking of its rivals nor their
figures), anonymous callers 401. Runs, rankings and optimisations are kept (DELETE is not served). Factor
libraries are reference data that every signed-in user reads. Every refused request leaves the log as it was;
every accepted write adds to it.
"""

import pytest
from django.urls import reverse

from assessment import decisions, inputs, optimisation, services
from assessment.models import (
    AssessmentRun,
    CriteriaSet,
    FactorOverride,
    Judgement,
    OptimisationRun,
    PartnerRanking,
    Ranking,
)
from partners.models import LogEntry, Material
from scenarios import services as scenario_services
from scenarios.models import Node, Route, Scenario
from tests import permission_tables
from tests.scenarios.conftest import ACTORS, build_network

from .test_compare import result

TABLE = """
endpoint                    method  ec_admin ec_editor ec_viewer ec_auditor partner stranger other_ec anonymous
scenario-assessments        GET     200      200       200       200        404     404      404      401
scenario-assessments        POST    201      201       403       403        404     404      404      401
scenario-assessments        DELETE  405      405       405       405        404     404      404      401
scenario-assessments-slash  GET     200      200       200       200        404     404      404      401
scenario-assessments-slash  POST    201      201       403       403        404     404      404      401
scenario-assessment-status  GET     200      200       200       200        404     404      404      401
scenario-assessment         GET     200      200       200       200        404     404      404      401
scenario-assessment         DELETE  405      405       405       405        404     404      404      401
scenario-assessment-inputs  GET     200      200       200       200        404     404      404      401
factor-libraries            GET     200      200       200       200        200     200      200      401
factor-library-factors      GET     200      200       200       200        200     200      200      401
study-factors               GET     200      200       200       200        404     404      404      401
study-factors               POST    201      201       403       403        404     404      404      401
study-factor                GET     200      200       200       200        404     404      404      401
study-factor                DELETE  204      204       403       403        404     404      404      401
study-comparison            GET     200      200       200       200        404     404      404      401
study-comparison-slash      GET     200      200       200       200        404     404      404      401
study-criteria-sets         GET     200      200       200       200        404     404      404      401
study-criteria-sets         POST    201      201       403       403        404     404      404      401
study-criteria-set          GET     200      200       200       200        404     404      404      401
study-criteria-set          DELETE  405      405       405       405        404     404      404      401
study-criteria-set-judgement PUT    200      200       403       403        404     404      404      401
study-rankings              GET     200      200       200       200        404     404      404      401
study-rankings              POST    201      201       403       403        404     404      404      401
study-ranking               GET     200      200       200       200        404     404      404      401
study-ranking               DELETE  405      405       405       405        404     404      404      401
study-partner-candidates    GET     200      200       200       200        404     404      404      401
study-partner-candidates    POST    405      405       405       405        404     404      404      401
study-partner-rankings      GET     200      200       200       200        404     404      404      401
study-partner-rankings      POST    201      201       403       403        404     404      404      401
study-partner-ranking       GET     200      200       200       200        404     404      404      401
study-partner-ranking       DELETE  405      405       405       405        404     404      404      401
scenario-builder            GET     200      200       200       200        404     404      404      401
scenario-builder            POST    405      405       405       405        404     404      404      401
scenario-builder-steps      POST    201      201       403       403        404     404      404      401
scenario-builder-steps      GET     405      405       405       405        404     404      404      401
study-optimisation-candidates GET   200      200       200       200        404     404      404      401
study-optimisation-candidates POST  405      405       405       405        404     404      404      401
study-optimisations         GET     200      200       200       200        404     404      404      401
study-optimisations         POST    202      202       403       403        404     404      404      401
study-optimisations         DELETE  405      405       405       405        404     404      404      401
study-optimisation          GET     200      200       200       200        404     404      404      401
study-optimisation          DELETE  405      405       405       405        404     404      404      401
study-optimisation-pareto   GET     200      200       200       200        404     404      404      401
study-optimisation-pareto   POST    405      405       405       405        404     404      404      401
study-optimisation-scenarios POST   201      201       403       403        404     404      404      401
study-optimisation-scenarios GET    405      405       405       405        404     404      404      401
"""

OVERRIDE = {"code": "transport.cost.road", "value": 0.12, "unit": "EUR/tkm", "source": "Carrier contract 2026"}
CRITERIA_SET = {"name": "Cost vs recycling", "kind": "scenario", "criteria": ["cost.total_eur", "recycling_rate"]}


def _rows():
    columns = ["ec_admin", "ec_editor", "ec_viewer", "ec_auditor", "partner", "stranger", "other_ec", "anonymous"]
    return permission_tables.rows(TABLE, columns, ACTORS)


def _user(net, actor):
    return None if actor == "anonymous" else net.user(actor)


def _assessed(net, name="Nearby"):
    """A scenario of the three-stage network with one finished run (the task called directly: on-commit
    callbacks do not fire inside a test's transaction)."""
    scenario, nodes, routes = build_network(net, name=name)
    run = services.assessment_request(user=net.ec_editor, scenario=scenario)
    services.assessment_execute(run_id=run.pk)
    return scenario, run


def _request(net, library, endpoint, method, request):
    """(url, body, query) for one row of the table, after preparing the rows it addresses."""
    if endpoint.startswith("study-partner"):
        return _partner_request(request.getfixturevalue("collectors"), endpoint)
    if endpoint.startswith("study-optimisation"):
        return _optimisation_request(net, endpoint)
    if endpoint.startswith("scenario-builder"):
        scenario = scenario_services.scenario_create(user=net.ec_editor, study=net.study, name="Step by step")
        body = {"direction": "backwards", "role": "recoverer", "facility": net.neuss.pk, "mode": "road"}
        return reverse(f"api-{endpoint}", kwargs={"id": scenario.pk}), body, {"direction": "backwards"}
    if endpoint == "factor-libraries":
        return reverse("api-factor-libraries"), {}, None
    if endpoint == "factor-library-factors":
        return reverse("api-factor-library-factors", kwargs={"id": library.pk}), {}, None
    if endpoint == "study-factors":
        return reverse("api-study-factors", kwargs={"id": net.study.pk}), OVERRIDE, None
    if endpoint == "study-factor":
        override = services.factor_override_set(user=net.ec_editor, study=net.study, **OVERRIDE)
        return reverse("api-study-factor", kwargs={"id": net.study.pk, "override_id": override.pk}), {}, None
    if endpoint.startswith("study-comparison"):
        first, _ = _assessed(net, "Nearby")
        second, _ = _assessed(net, "Wider")
        return (reverse(f"api-{endpoint}", kwargs={"id": net.study.pk}), {}, {"scenarios": f"{first.pk},{second.pk}"})
    if endpoint.startswith(("study-criteria-set", "study-ranking")):
        return _ahp_request(net, endpoint)
    scenario, run = _assessed(net)
    kwargs = {"id": scenario.pk}
    if endpoint in ("scenario-assessment", "scenario-assessment-inputs"):
        kwargs["run_id"] = run.pk
    return reverse(f"api-{endpoint}", kwargs=kwargs), {}, None


def _ahp_request(net, endpoint):
    """AHP rows: a criteria set of the study (judged by the editor for the rankings) and two scenarios with stored
    results."""
    study = {"id": net.study.pk}
    if endpoint == "study-criteria-sets":
        return reverse("api-study-criteria-sets", kwargs=study), CRITERIA_SET, None
    criteria_set = decisions.criteria_set_create(user=net.ec_editor, study=net.study, **CRITERIA_SET)
    if endpoint == "study-criteria-set":
        decisions.judgement_set(user=net.ec_editor, criteria_set=criteria_set, matrix=[[1, 3], [1 / 3, 1]])
        return reverse("api-study-criteria-set", kwargs={**study, "set_id": criteria_set.pk}), {}, None
    if endpoint == "study-criteria-set-judgement":
        return (
            reverse("api-study-criteria-set-judgement", kwargs={**study, "set_id": criteria_set.pk}),
            {"matrix": [[1, 3], [1 / 3, 1]]},
            None,
        )
    decisions.judgement_set(user=net.ec_editor, criteria_set=criteria_set, matrix=[[1, 3], [1 / 3, 1]])
    scenarios = []
    for name, cost, rate in (("A", 200_000, 0.25), ("B", 400_000, 0.5)):
        scenario = build_network(net, name=name)[0]  # assessable, its result current (not stale)
        AssessmentRun.objects.create(
            scenario=scenario,
            inputs={},
            inputs_hash=inputs.digest(inputs.snapshot(scenario)),
            status="done",
            result=result(cost=cost, rate=rate, eol_co2e=1000, whole_co2e=1000),
        )
        scenarios.append(scenario.pk)
    if endpoint == "study-rankings":
        return (
            reverse("api-study-rankings", kwargs=study),
            {"criteria_set": criteria_set.pk, "scenarios": scenarios},
            None,
        )
    ranking = decisions.scenario_ranking_create(
        user=net.ec_editor, study=net.study, criteria_set=criteria_set, scenario_ids=scenarios
    )
    return reverse("api-study-ranking", kwargs={**study, "ranking_id": ranking.pk}), {}, None


def _partner_request(net, endpoint):
    """Partner rows: the three collector candidates of the `collectors` fixture and its judged partner set."""
    study = {"id": net.study.pk}
    body = {"criteria_set": net.partner_set.pk, "role": "collector", "material": "al-vehicle-parts"}
    if endpoint == "study-partner-candidates":
        return reverse(f"api-{endpoint}", kwargs=study), {}, {"role": "collector", "material": "al-vehicle-parts"}
    if endpoint == "study-partner-rankings":
        return reverse(f"api-{endpoint}", kwargs=study), body, None
    ranking = decisions.partner_ranking_request(
        user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
    )
    return reverse(f"api-{endpoint}", kwargs={**study, "ranking_id": ranking.pk}), {}, None


def _optimisation_request(net, endpoint):
    """Optimisation rows: the study's candidates, and a run of the cost objective solved by calling the task's
    service directly (on-commit callbacks do not fire inside a test's transaction)."""
    study = {"id": net.study.pk}
    if endpoint in ("study-optimisation-candidates", "study-optimisations"):
        return reverse(f"api-{endpoint}", kwargs=study), {"objective": "cost"}, None
    run = optimisation.optimisation_request(user=net.ec_editor, study=net.study)
    optimisation.optimisation_execute(run_id=run.pk)
    return reverse(f"api-{endpoint}", kwargs={**study, "run_id": run.pk}), {"point": None}, None


def _work_rows():
    """The rows a refused write must leave as they were (beyond the log, runs and overrides)."""
    return (
        CriteriaSet.objects.count(),
        list(Judgement.objects.values()),
        Ranking.objects.count(),
        PartnerRanking.objects.count(),
        Node.objects.count(),
        Route.objects.count(),
        OptimisationRun.objects.count(),
        Scenario.objects.count(),
    )


@pytest.mark.parametrize("endpoint, method, actor, expected", list(_rows()))
def test_permission_table(net, library, api_for, request, endpoint, method, actor, expected):
    url, body, query = _request(net, library, endpoint, method, request)
    log_before, runs_before = LogEntry.objects.count(), AssessmentRun.objects.count()
    overrides_before, work_before = list(FactorOverride.objects.values()), _work_rows()
    api = api_for(_user(net, actor))
    if method == "GET":
        response = api.get(url, query)
    else:
        response = getattr(api, method.lower())(url, body, format="json")
    assert response.status_code == expected, getattr(response, "data", response)
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"
    if expected == 403:
        assert response.json() == {"detail": "Your role in this organisation does not allow this change."}
    if expected == 404:
        assert response.json()["detail"].startswith("No such")
    if method != "GET":
        accepted = expected in (200, 201, 202, 204)
        assert (LogEntry.objects.count() > log_before) == accepted, (
            "accepted writes are logged, refused ones write nothing"
        )
        if not accepted:
            assert AssessmentRun.objects.count() == runs_before
            assert list(FactorOverride.objects.values()) == overrides_before
            assert _work_rows() == work_before


def test_table_covers_every_api_route_and_method():
    """A new endpoint or method without its row in the table fails here."""
    from assessment import api_urls

    assert permission_tables.served_methods(api_urls.urlpatterns) == permission_tables.table_methods(TABLE)


@pytest.mark.parametrize("who", ["ec_viewer", "ec_auditor"])
@pytest.mark.parametrize(
    "name, body",
    [
        ("api-study-criteria-sets", {"name": [], "kind": "nonsense", "criteria": "all"}),
        ("api-study-rankings", {"criteria_set": "none", "scenarios": {}}),
        ("api-study-factors", {"code": "transport.cost.air", "value": "lots", "unit": []}),
        ("api-scenario-assessments", {"anything": ["at", "all"]}),
        ("api-study-partner-rankings", {"criteria_set": [], "role": 7, "local_matrices": "square"}),
        ("api-scenario-builder-steps", {"direction": "up", "facility": "Neuss", "connect": {}}),
        ("api-study-optimisations", {"objective": [], "pareto_points": "all", "constraints": 7}),
    ],
)
def test_a_reader_is_refused_before_the_body_is_read(net, library, api_for, who, name, body):
    """Nonsense from a reader earns 403, not 400: a reader learns nothing about validation."""
    scenario, _, _ = build_network(net)
    kwargs = {"id": net.study.pk if name.startswith("api-study") else scenario.pk}
    network_before = Node.objects.count(), Route.objects.count(), LogEntry.objects.count()
    response = api_for(net.user(who)).post(reverse(name, kwargs=kwargs), body, format="json")
    assert response.status_code == 403
    assert not AssessmentRun.objects.exists() and not FactorOverride.objects.exists()
    assert not CriteriaSet.objects.exists() and not Ranking.objects.exists() and not PartnerRanking.objects.exists()
    assert not OptimisationRun.objects.exists()
    assert (Node.objects.count(), Route.objects.count(), LogEntry.objects.count()) == network_before


def test_ids_of_another_scenario_or_study_are_not_found_through_this_one(net, library, api_for):
    """A run id only works through its own scenario's URL, an override id through its own study's."""
    first, run = _assessed(net, "First")
    second, _, _ = build_network(net, name="Second")
    api = api_for(net.ec_admin)
    for name in ("api-scenario-assessment", "api-scenario-assessment-inputs"):
        assert api.get(reverse(name, kwargs={"id": second.pk, "run_id": run.pk})).status_code == 404
        assert api.get(reverse(name, kwargs={"id": first.pk, "run_id": run.pk})).status_code == 200

    other_study = scenario_services.study_create(
        user=net.ec_editor,
        end_collector=net.ec,
        name="Door hinge",
        product_name="Door hinge",
        product_material=Material.objects.get(code="al-secondary-billet"),
        product_mass_kg=1,
        units_per_year=10_000,
        need_t_per_year=5,
    )
    override = services.factor_override_set(user=net.ec_editor, study=other_study, **OVERRIDE)
    url = reverse("api-study-factor", kwargs={"id": net.study.pk, "override_id": override.pk})
    assert api.get(url).status_code == 404
    assert api.delete(url).status_code == 404
    assert FactorOverride.objects.filter(pk=override.pk).exists()


def test_an_unknown_library_is_not_found(net, api_for):
    response = api_for(net.ec_viewer).get(reverse("api-factor-library-factors", kwargs={"id": 999_999}))
    assert response.status_code == 404 and response.json()["detail"] == "No such factor library."


def test_another_end_collector_cannot_compare_through_its_own_study(net, library, api_for):
    """Press Co's admin, with a study of its own, still cannot put Forge Works' scenarios into a comparison."""
    first, _ = _assessed(net, "Nearby")
    second, _ = _assessed(net, "Wider")
    own = scenario_services.study_create(
        user=net.world.unshared_member,
        end_collector=net.world.unshared_ec,
        name="Bracket",
        product_name="Bracket",
        product_material=Material.objects.get(code="al-secondary-billet"),
        product_mass_kg=1,
        units_per_year=1_000,
        need_t_per_year=1,
    )
    response = api_for(net.world.unshared_member).get(
        reverse("api-study-comparison", kwargs={"id": own.pk}), {"scenarios": f"{first.pk},{second.pk}"}
    )
    assert response.status_code == 400
    assert response.json() == {"scenarios": [f"Scenario {first.pk} is not a scenario of this study."]}
