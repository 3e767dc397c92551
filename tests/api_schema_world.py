"""The world the schema run of tests/test_api_schema.py addresses: one row of every kind the API serves.

On top of tests/scenarios/conftest.py (the end collector Forge Works, its study "Control arm" and the partners
Alu Collect and Sort & Melt) and the `collectors` fixture of tests/assessment/conftest.py, this adds: a scenario of
the three-stage network with a finished assessment run, a second scenario submitted for approval, a factor
override, a scenario criteria set with a judgement and a ranking, a partner ranking, a solved optimisation, an
invitation and a certificate. The actors hold the same role in both Alu Collect (a partner sharing its sheet) and
Forge Works (the end collector owning the study), so each one meets both kinds of tenant data in its role; the
outsider administers Other Metals, which neither shares with nor is invited by anyone.
"""

from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token

from assessment import decisions, optimisation, services
from assessment.models import AssessmentRun
from partners import services as partner_services
from partners.models import LogEntry, Membership
from scenarios import services as scenario_services
from tests.assessment.test_compare import result
from tests.partners.files import TINY_PDF
from tests.scenarios.conftest import NOT_ASSESSED, build_network

ACTORS = ["admin", "editor", "viewer", "auditor", "outsider", "anonymous"]


@dataclass
class SchemaWorld:
    tokens: dict = field(default_factory=dict)  # actor -> token key (no entry for anonymous)
    known: dict = field(default_factory=dict)  # the path segment before a parameter -> values that exist

    def headers(self, actor: str) -> dict:
        token = self.tokens.get(actor)
        return {"Authorization": f"Token {token}"} if token else {}


def build(net, library) -> SchemaWorld:
    world = net.world
    actors = {"admin": world.admin, "editor": world.editor, "viewer": world.viewer, "auditor": world.auditor}
    for role, user in actors.items():
        Membership.objects.create(user=user, organization=net.ec, role=role)
    actors["outsider"] = world.stranger
    editor = net.ec_editor

    scenario, nodes, routes = build_network(net, name="Nearby")
    run = services.assessment_request(user=editor, scenario=scenario)
    services.assessment_execute(run_id=run.pk)
    submitted, _, _ = build_network(net, name="Wider")
    scenario_services.scenario_submit(user=editor, scenario=submitted, acknowledge=True, reason=NOT_ASSESSED)

    override = services.factor_override_set(
        user=editor,
        study=net.study,
        code="transport.cost.road",
        value=0.12,
        unit="EUR/tkm",
        source="Carrier contract 2026",
    )
    criteria_set = decisions.criteria_set_create(
        user=editor,
        study=net.study,
        name="Cost vs recycling",
        kind="scenario",
        criteria=["cost.total_eur", "recycling_rate"],
    )
    decisions.judgement_set(user=editor, criteria_set=criteria_set, matrix=[[1, 3], [1 / 3, 1]])
    ranked = []
    for name, cost, rate in (("A", 200_000, 0.25), ("B", 400_000, 0.5)):
        other = scenario_services.scenario_create(user=editor, study=net.study, name=name)
        AssessmentRun.objects.create(
            scenario=other,
            inputs={},
            inputs_hash=name,
            status="done",
            result=result(cost=cost, rate=rate, eol_co2e=1000, whole_co2e=1000),
        )
        ranked.append(other.pk)
    ranking = decisions.scenario_ranking_create(
        user=editor, study=net.study, criteria_set=criteria_set, scenario_ids=ranked, accept_stale=True
    )  # made-up results
    partner_ranking = decisions.partner_ranking_request(
        user=editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
    )
    optimisation_run = optimisation.optimisation_request(user=editor, study=net.study)
    optimisation.optimisation_execute(run_id=optimisation_run.pk)

    invitation = partner_services.invitation_create(
        user=world.admin, organization=world.partner, email="newcomer@example.com", role="viewer"
    )
    certificate = partner_services.certificate_create(
        user=world.admin,
        organization=world.partner,
        kind="iso14001",
        title="ISO 14001",
        file=SimpleUploadedFile("iso.pdf", TINY_PDF, content_type="application/pdf"),
    )

    scenario_entries = LogEntry.objects.filter(target_type="scenario", target_id=str(scenario.pk))
    known = {
        "partners": [world.partner.slug],
        "end-collectors": [net.ec.slug],
        "memberships": list(Membership.objects.filter(organization=world.partner).values_list("pk", flat=True)),
        "invitations": [invitation.pk],
        "facilities": [net.stuttgart.pk, net.mannheim.pk],
        "activities": [world.activity.pk],
        "certificates": [certificate.pk],
        "shares": list(world.partner.shares_given.values_list("pk", flat=True)),
        "studies": [net.study.pk],
        "scenarios": [scenario.pk, submitted.pk],
        "nodes": [node.pk for node in nodes.values()],
        "routes": [route.pk for route in routes.values()],
        "history": list(scenario_entries.values_list("pk", flat=True)[:3]),
        "assessments": [run.pk],
        "factor-libraries": [library.pk],
        "factors": [override.pk],
        "criteria-sets": [criteria_set.pk, net.partner_set.pk],
        "rankings": [ranking.pk],
        "partner-rankings": [partner_ranking.pk],
        "optimisations": [optimisation_run.pk],
    }
    tokens = {actor: Token.objects.create(user=user).key for actor, user in actors.items()}
    return SchemaWorld(tokens=tokens, known=known)
