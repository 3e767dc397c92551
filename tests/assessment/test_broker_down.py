"""With the task queue down (CELERY_BROKER_URL pointed at a closed port of 127.0.0.1), asking for work a worker
computes is refused at once, in the user's words, and leaves nothing pending; should the queue go down between that
check and the commit, the run is kept and the sweep sends it once the queue is back."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.models import AssessmentRun, OptimisationRun, PartnerRanking
from partners.models import LogEntry
from tests.faults import broker_unreachable
from tests.scenarios.conftest import build_network

pytestmark = pytest.mark.django_db

QUEUE_DOWN = "The task queue is not reachable; nothing was started. Try again in a few minutes."


def u(name, **kwargs):
    return reverse(name, kwargs=kwargs)


def written():
    return (
        AssessmentRun.objects.count(),
        OptimisationRun.objects.count(),
        PartnerRanking.objects.count(),
        LogEntry.objects.count(),
    )


def test_an_assessment_asked_through_the_api_is_refused_with_503(net, library, api_for, broker_down):
    scenario, _, _ = build_network(net)
    before = written()
    response = api_for(net.ec_editor).post(u("api-scenario-assessments", id=scenario.pk), format="json")
    assert response.status_code == 503
    assert response.json() == {"detail": QUEUE_DOWN}
    assert written() == before  # no run, no history entry


def test_an_assessment_asked_on_the_page_says_so(net, library, client_for, broker_down):
    scenario, _, _ = build_network(net)
    before = written()
    response = client_for(net.ec_editor).post(u("scenario-assess", pk=scenario.pk), follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [QUEUE_DOWN]
    assert written() == before


def test_an_optimisation_is_refused_with_503(net, library, api_for, client_for, broker_down):
    before = written()
    response = api_for(net.ec_editor).post(u("api-study-optimisations", id=net.study.pk), {}, format="json")
    assert response.status_code == 503
    assert response.json() == {"detail": QUEUE_DOWN}
    page = client_for(net.ec_editor).post(u("study-optimise", pk=net.study.pk), {"objective": "cost"})
    assert page.status_code == 200  # the form again, with the message
    assert QUEUE_DOWN in page.content.decode()
    assert written() == before


def test_a_heavy_partner_ranking_is_refused_a_small_one_is_computed(collectors, api_for, settings, broker_down):
    net = collectors
    body = {"criteria_set": net.partner_set.pk, "role": "collector", "material": "al-vehicle-parts"}
    api = api_for(net.ec_editor)
    settings.AHP_TASK_MIN_CANDIDATES = 3  # the three candidates go to a worker
    before = written()
    response = api.post(u("api-study-partner-rankings", id=net.study.pk), body, format="json")
    assert response.status_code == 503
    assert response.json() == {"detail": QUEUE_DOWN}
    assert written() == before
    settings.AHP_TASK_MIN_CANDIDATES = 30  # computed while the user waits: no queue needed
    response = api.post(u("api-study-partner-rankings", id=net.study.pk), body, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "done"


def test_a_send_that_fails_after_the_commit_keeps_the_run_for_the_sweep(
    net, library, api_for, settings, monkeypatch, django_capture_on_commit_callbacks
):
    scenario, _, _ = build_network(net)
    from partners import broker

    with broker_unreachable():
        monkeypatch.setattr(broker, "require_reachable", lambda: None)  # the queue answered the check, then died
        with django_capture_on_commit_callbacks(execute=True):
            response = api_for(net.ec_editor).post(u("api-scenario-assessments", id=scenario.pk), format="json")
        monkeypatch.undo()
    assert response.status_code == 201  # asked for: kept, and computed once the queue is back
    run = AssessmentRun.objects.get(pk=response.json()["id"])
    assert (run.status, run.sent_at, run.attempts) == ("pending", None, 0)
    from assessment import jobs

    # The queue is back (in-process here); the sweep sends what was never sent once WORKER_STALE_AFTER_S has passed.
    assert jobs.sweep()["resent"] == 0
    AssessmentRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.WORKER_STALE_AFTER_S + 1)
    )
    assert jobs.sweep() == {"requeued": 0, "resent": 1, "failed": 0, "unsent": 0}
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 1)
    # 90 t delivered for 2.5 kg x 100,000 units = 250 t of product (tests/scenarios/conftest.py).
    assert next(r["value"] for r in run.result["indicators"] if r["code"] == "recycling_rate") == pytest.approx(0.36)
