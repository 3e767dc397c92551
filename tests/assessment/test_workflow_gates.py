"""Decisions that respect the figures (issue 12): submitting or approving a scenario with problems needs them
acknowledged with a reason (logged); an organisation may require an approver other than the submitter; the workflow
e-mails the approvers and the submitter; an approved scenario keeps the need it was approved with.

The network is the three-stage one of tests/scenarios/conftest.py, worked out by hand there: the forge needs 90
t/year; Neuss receives 100, Hagen 125 (split 3:2), Stuttgart collects 75 / 0.85 = 88.24 and Mannheim 50 / 0.5 = 100
t/year (capacity 300). Lowering Mannheim's capacity to 50 t/year puts it at 100 / 50 = 200 % of its capacity.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from assessment import services as assessment_services
from assessment import workflow
from partners.errors import ApplicationError
from partners.history import describe
from partners.models import LogEntry, Membership
from partners.services import organization_update
from scenarios import services
from scenarios.models import Scenario
from tests.conftest import make_user
from tests.scenarios.conftest import build_network

pytestmark = pytest.mark.django_db

MANNHEIM_OVER = "Collector: Mannheim yard needs 100 t/year but its capacity is 50 t/year"


def over_capacity(net):
    scenario, nodes, routes = build_network(net)
    services.node_update(user=net.ec_editor, node=nodes["mannheim"], capacity_t_per_year=Decimal("50"))
    return scenario, nodes, routes


def assess(scenario, user, capture):
    with capture(execute=True):
        assessment_services.assessment_request(user=user, scenario=scenario)


def test_submitting_over_capacity_needs_an_acknowledgement_and_a_reason(net, library):
    """Mannheim at 200 % of its capacity and no assessment: refused with both problems named, nothing written; with
    the box ticked but no reason, still refused; with both, submitted and the acknowledgement logged as a sentence
    with the problems and the reason."""
    scenario, _, _ = over_capacity(net)
    entries = LogEntry.objects.count()
    with pytest.raises(ApplicationError) as refused:
        services.scenario_submit(user=net.ec_editor, scenario=scenario)
    assert MANNHEIM_OVER in refused.value.message and workflow.NOT_ASSESSED in refused.value.message
    assert refused.value.field_errors["problems"] == [MANNHEIM_OVER, workflow.NOT_ASSESSED]
    assert set(refused.value.field_errors) == {"acknowledge", "reason", "problems"}
    with pytest.raises(ApplicationError) as no_reason:
        services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason="  ")
    assert set(no_reason.value.field_errors) == {"reason", "problems"}
    assert LogEntry.objects.count() == entries
    assert Scenario.objects.get(pk=scenario.pk).status == "draft"

    services.scenario_submit(
        user=net.ec_editor, scenario=scenario, acknowledge=True, reason="Mannheim confirmed a second shift"
    )
    scenario.refresh_from_db()
    assert scenario.status == "submitted" and scenario.submitted_by == net.ec_editor
    entry = LogEntry.objects.get(action="scenario.problems_acknowledged")
    assert entry.changes["problems"] == [None, [MANNHEIM_OVER, workflow.NOT_ASSESSED]]
    assert entry.changes["transition"] == [None, "submit"]
    sentence = describe([entry])[0]
    assert sentence.sentence == (
        "Acknowledged the problems of Nearby v1 and went on: Mannheim confirmed a second shift"
    )


def test_a_scenario_assessed_within_capacity_needs_no_acknowledgement_until_it_goes_stale(
    net, library, django_capture_on_commit_callbacks
):
    """Assessed and within every capacity, delivering 90 of 90 t/year: submitted without a word. A second scenario,
    assessed then changed (Mannheim's share 2 -> 4), is stale: refused, naming the staleness only."""
    scenario, _, _ = build_network(net)
    assess(scenario, net.ec_editor, django_capture_on_commit_callbacks)
    services.scenario_submit(user=net.ec_editor, scenario=scenario)
    assert not LogEntry.objects.filter(action="scenario.problems_acknowledged").exists()

    other, _, routes = build_network(net, name="Changed after assessment")
    assess(other, net.ec_editor, django_capture_on_commit_callbacks)
    services.route_update(user=net.ec_editor, route=routes["mannheim"], share=Decimal(4))
    with pytest.raises(ApplicationError) as refused:
        services.scenario_submit(user=net.ec_editor, scenario=other)
    assert refused.value.field_errors["problems"] == [workflow.STALE]


def test_approving_with_problems_needs_the_acknowledgement_too(net, library):
    """Submitted with an acknowledgement; the admin's approval without one is refused naming the over-capacity
    yard; with it, approved and a second acknowledgement logged (transition approve)."""
    scenario, _, _ = over_capacity(net)
    services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason="Second shift")
    with pytest.raises(ApplicationError) as refused:
        services.scenario_approve(user=net.ec_admin, scenario=scenario, comment="Go")
    assert MANNHEIM_OVER in refused.value.message
    assert Scenario.objects.get(pk=scenario.pk).status == "submitted"
    services.scenario_approve(
        user=net.ec_admin, scenario=scenario, comment="Go", acknowledge=True, reason="Signed off with the second shift"
    )
    assert Scenario.objects.get(pk=scenario.pk).status == "approved"
    transitions = [
        e.changes["transition"][1]
        for e in LogEntry.objects.filter(action="scenario.problems_acknowledged").order_by("pk")
    ]
    assert transitions == ["submit", "approve"]


def test_the_organisation_may_require_an_approver_other_than_the_submitter(net, library):
    """With the setting off the admin approves what they submitted (as before). With it on (logged), the same
    admin is refused with a message; a second admin approves."""
    ack = {"acknowledge": True, "reason": "Not assessed in this test."}
    first, _, _ = build_network(net, name="First")
    services.scenario_submit(user=net.ec_admin, scenario=first, **ack)
    services.scenario_approve(user=net.ec_admin, scenario=first, **ack)

    organization_update(user=net.ec_admin, organization=net.ec, approver_not_submitter=True)
    changed = LogEntry.objects.filter(action="organization.changed").latest("pk")
    assert changed.changes == {"approver_not_submitter": [False, True]}
    with pytest.raises(PermissionDenied):
        organization_update(user=net.ec_editor, organization=net.ec, approver_not_submitter=False)

    second, _, _ = build_network(net, name="Second")
    services.scenario_submit(user=net.ec_admin, scenario=second, **ack)
    with pytest.raises(ApplicationError) as refused:
        services.scenario_approve(user=net.ec_admin, scenario=second, **ack)
    assert refused.value.status == 403
    assert refused.value.message == (
        "Forge Works requires that a scenario is approved by someone other than the "
        "person who submitted it; another admin approves it."
    )
    other_admin = make_user("second_admin")
    Membership.objects.create(user=other_admin, organization=net.ec, role="admin")
    services.scenario_approve(user=other_admin, scenario=second, **ack)
    assert Scenario.objects.get(pk=second.pk).status == "approved"


def test_submitting_emails_the_admins_and_a_decision_the_submitter(
    net, library, mailoutbox, caplog, django_capture_on_commit_callbacks
):
    """The end collector has two admins (shared_member, and one added here); the editor submits: one e-mail to both
    admins. The admin rejects: one e-mail to the editor, with the comment. No address in the log."""
    net.ec_admin.email, net.ec_editor.email = "admin@forge.example", "editor@forge.example"
    net.ec_admin.save()
    net.ec_editor.save()
    other_admin = make_user("second_admin")
    other_admin.email = "second@forge.example"
    other_admin.save()
    Membership.objects.create(user=other_admin, organization=net.ec, role="admin")
    scenario, _, _ = build_network(net)
    caplog.set_level("DEBUG")
    with django_capture_on_commit_callbacks(execute=True):
        services.scenario_submit(user=net.ec_editor, scenario=scenario, acknowledge=True, reason="Not assessed")
    assert len(mailoutbox) == 1
    assert sorted(mailoutbox[0].to) == ["admin@forge.example", "second@forge.example"]
    assert mailoutbox[0].subject == "Nearby v1 submitted for approval in Control arm"
    with django_capture_on_commit_callbacks(execute=True):
        services.scenario_reject(user=net.ec_admin, scenario=scenario, comment="Too far from Hagen")
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == ["editor@forge.example"]
    assert mailoutbox[1].subject == "Nearby v1 rejected in Control arm"
    assert "Comment: Too far from Hagen" in mailoutbox[1].body
    assert "@forge.example" not in caplog.text


def test_an_approved_scenario_keeps_the_need_it_was_approved_with(net, library, api_for, client_for):
    """Approved when the study needed 90 t/year (delivering 90). The study's need then becomes 120 t/year: the
    approved scenario still answers 90 (its flows, page and API), while a draft of the study answers 120."""
    scenario, nodes, _ = build_network(net)
    ack = {"acknowledge": True, "reason": "Not assessed in this test."}
    services.scenario_submit(user=net.ec_editor, scenario=scenario, **ack)
    services.scenario_approve(user=net.ec_admin, scenario=scenario, comment="Go", **ack)
    scenario.refresh_from_db()
    assert (scenario.approved_need_t, scenario.approved_delivered_t) == (Decimal("90"), Decimal("90"))
    services.study_update(user=net.ec_editor, study=net.study, need_t_per_year=Decimal("120"))

    body = api_for(net.ec_viewer).get(f"/api/v1/scenarios/{scenario.pk}/").json()
    assert (body["flows"]["need_t"], body["flows"]["delivered_t"]) == (90.0, 90.0)
    assert (body["approved_need_t"], body["approved_delivered_t"]) == (90.0, 90.0)
    page = client_for(net.ec_viewer).get(f"/scenarios/{scenario.pk}/").content.decode()
    assert "Approved with a need of <strong>90 t/year</strong>" in page
    assert "the study now needs 120 t/year" in page
    draft, _, _ = build_network(net, name="Draft")
    assert api_for(net.ec_viewer).get(f"/api/v1/scenarios/{draft.pk}/").json()["flows"]["need_t"] == 120.0


def test_the_page_shows_the_problems_next_to_the_button_and_refuses_without_the_acknowledgement(
    net, library, client_for, api_for
):
    """The editor's page lists Mannheim's overrun and the missing assessment inside the submit form, with the box
    and the reason field; posting without them leaves a draft and a message naming the overrun; with them,
    submitted. The API answers 400 naming the fields, then 200."""
    scenario, _, _ = over_capacity(net)
    client = client_for(net.ec_editor)
    page = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    form = page[page.index('id="submit-form"') : page.index('id="submit-scenario"')]
    assert MANNHEIM_OVER in form and workflow.NOT_ASSESSED in form
    assert 'name="acknowledge"' in form and 'name="reason"' in form
    refused = client.post(f"/scenarios/{scenario.pk}/submit/", follow=True).content.decode()
    assert "This scenario has problems: " + MANNHEIM_OVER in refused
    assert Scenario.objects.get(pk=scenario.pk).status == "draft"

    api = api_for(net.ec_editor)
    response = api.post(f"/api/v1/scenarios/{scenario.pk}/submit/", {"acknowledge": True}, format="json")
    assert response.status_code == 400
    assert response.json()["reason"] == ["Say why it should be submitted despite its problems."]
    assert response.json()["problems"] == [MANNHEIM_OVER, workflow.NOT_ASSESSED]
    done = client.post(f"/scenarios/{scenario.pk}/submit/", {"acknowledge": "on", "reason": "Second shift"})
    assert done.status_code == 302 and Scenario.objects.get(pk=scenario.pk).status == "submitted"


def test_the_admin_who_submitted_is_told_on_the_page_when_another_must_approve(net, library, client_for, api_for):
    """Setting on, the admin submitted: the decision form says another admin approves; posting approve is refused
    with that message on the page and the scenario stays submitted; the API answers 403 with it."""
    organization_update(user=net.ec_admin, organization=net.ec, approver_not_submitter=True)
    scenario, _, _ = build_network(net)
    services.scenario_submit(user=net.ec_admin, scenario=scenario, acknowledge=True, reason="Not assessed")
    client = client_for(net.ec_admin)
    page = client.get(f"/scenarios/{scenario.pk}/").content.decode()
    assert 'id="same-person"' in page
    response = client.post(
        f"/scenarios/{scenario.pk}/approve/", {"acknowledge": "on", "reason": "Not assessed"}, follow=True
    )
    assert "approved by someone other than the person who submitted it" in response.content.decode()
    assert Scenario.objects.get(pk=scenario.pk).status == "submitted"
    api = api_for(net.ec_admin)
    refused = api.post(f"/api/v1/scenarios/{scenario.pk}/approve/", {"acknowledge": True, "reason": "x"}, format="json")
    assert refused.status_code == 403 and "someone other than" in refused.json()["detail"]


def test_an_admin_sets_the_separate_approver_on_the_security_page(net, client_for):
    """The admin ticks the setting on the organisation's security page: saved, logged with its label; an editor is
    refused (403) and nothing changes."""
    url = f"/o/{net.ec.slug}/security/"
    assert client_for(net.ec_editor).post(url, {"approver_not_submitter": "on"}).status_code == 403
    net.ec.refresh_from_db()
    assert not net.ec.approver_not_submitter
    response = client_for(net.ec_admin).post(url, {"approver_not_submitter": "on"}, follow=True)
    assert "approver other than the submitter: required." in response.content.decode()
    net.ec.refresh_from_db()
    assert net.ec.approver_not_submitter
    entry = LogEntry.objects.filter(action="organization.changed").latest("pk")
    assert [(c.label, c.old, c.new) for c in describe([entry])[0].changes] == [
        ("Approver must not be the submitter", "no", "yes")
    ]
