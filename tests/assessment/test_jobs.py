"""Work handed to workers survives faults (assessment/jobs.py): a worker that stops reporting, a message the queue
never got, a delivery twice. Tasks run in-process here, so a job the sweep sends is computed at once;
tests/assessment/test_worker_faults.py kills a real worker.

The run assessed is the network of tests/scenarios/conftest.py: 90 t delivered for 2.5 kg x 100,000 units = 250 t
of product, a recycling rate of 0.36 (as tests/assessment/test_tasks.py)."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from assessment import jobs, optimisation, services
from assessment.models import AssessmentRun, OptimisationRun
from partners.models import LogEntry
from tests.faults import broker_unreachable
from tests.scenarios.conftest import build_network

pytestmark = pytest.mark.django_db


def ask(net, capture, scenario=None):
    """A pending run whose message was never sent (the commit's send is captured, not run)."""
    scenario = scenario or build_network(net)[0]
    with capture(execute=False):
        run = services.assessment_request(user=net.ec_editor, scenario=scenario)
    return run


def ago(seconds):
    return timezone.now() - timedelta(seconds=seconds)


def rate(run):
    return next(row["value"] for row in run.result["indicators"] if row["code"] == "recycling_rate")


def test_a_silent_workers_run_is_sent_again_and_finishes_once(
    net, library, settings, django_capture_on_commit_callbacks
):
    run = ask(net, django_capture_on_commit_callbacks)
    assert (run.status, run.attempts, run.sent_at) == ("pending", 0, None)
    first, why = jobs.claim(AssessmentRun, run.pk)  # worker A takes it...
    assert why is None and (first.status, first.attempts) == ("running", 1)
    # ...and while its heartbeat is fresh, a second delivery of the message leaves it to A, and the sweep too.
    assert services.assessment_execute(run_id=run.pk) == "running"
    assert jobs.sweep() == {"requeued": 0, "resent": 0, "failed": 0, "unsent": 0}
    run.refresh_from_db()
    assert (run.status, run.attempts, run.result) == ("running", 1, None)

    # A is killed: no heartbeat for longer than WORKER_STALE_AFTER_S (120 s by default).
    AssessmentRun.objects.filter(pk=run.pk).update(heartbeat_at=ago(settings.WORKER_STALE_AFTER_S + 1))
    assert jobs.sweep() == {"requeued": 1, "resent": 0, "failed": 0, "unsent": 0}
    run.refresh_from_db()
    assert (run.status, run.attempts, run.error) == ("done", 2, "")  # sent again and computed by the next worker
    assert rate(run) == pytest.approx(0.36)
    assert run.sent_at is not None

    # A was not dead after all and comes back with its result: it no longer holds the run, which stays as it is.
    with transaction.atomic():
        assert jobs.holds(AssessmentRun, first) == (False, "done")
    assert services.assessment_execute(run_id=run.pk) == "done"  # the original message, delivered late
    assert jobs.sweep() == {"requeued": 0, "resent": 0, "failed": 0, "unsent": 0}  # nothing left to do
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 2)


def test_a_run_that_keeps_losing_its_worker_fails_with_a_message(
    net, library, settings, django_capture_on_commit_callbacks
):
    settings.WORKER_MAX_ATTEMPTS = 2
    run = ask(net, django_capture_on_commit_callbacks)
    jobs.claim(AssessmentRun, run.pk)
    # Taken twice already (the first worker died once and was swept), and silent again.
    AssessmentRun.objects.filter(pk=run.pk).update(attempts=2, heartbeat_at=ago(settings.WORKER_STALE_AFTER_S + 1))
    assert jobs.sweep() == {"requeued": 0, "resent": 0, "failed": 1, "unsent": 0}
    run.refresh_from_db()
    assert run.status == "failed" and run.finished_at is not None
    assert run.error == (
        "The worker computing this stopped responding 2 times, so it was stopped. Ask again; if it "
        "stops again, tell your administrator (the work may need more memory or time than the "
        "worker has)."
    )
    assert services.assessment_execute(run_id=run.pk) == "failed"  # a late delivery leaves it failed


def test_pending_runs_the_queue_never_got_are_sent(net, library, settings, django_capture_on_commit_callbacks):
    never_sent = ask(net, django_capture_on_commit_callbacks)
    assert jobs.sweep()["resent"] == 0  # just asked for: its send may be on its way
    AssessmentRun.objects.filter(pk=never_sent.pk).update(created_at=ago(settings.WORKER_STALE_AFTER_S + 1))
    # Sent longer ago than the broker's visibility timeout (2,520 s by default): its message was lost.
    lost = ask(net, django_capture_on_commit_callbacks, never_sent.scenario)
    AssessmentRun.objects.filter(pk=lost.pk).update(
        sent_at=ago(settings.CELERY_VISIBILITY_TIMEOUT_S + 1), created_at=ago(settings.CELERY_VISIBILITY_TIMEOUT_S + 2)
    )
    # Sent a minute ago and waiting behind other work: left alone.
    waiting = ask(net, django_capture_on_commit_callbacks, never_sent.scenario)
    AssessmentRun.objects.filter(pk=waiting.pk).update(sent_at=ago(60), created_at=ago(3600))
    assert jobs.sweep() == {"requeued": 0, "resent": 2, "failed": 0, "unsent": 0}
    statuses = dict(AssessmentRun.objects.values_list("pk", "status"))
    assert statuses == {never_sent.pk: "done", lost.pk: "done", waiting.pk: "pending"}


def test_the_sweep_command_and_a_queue_still_down(net, library, settings, django_capture_on_commit_callbacks):
    run = ask(net, django_capture_on_commit_callbacks)
    AssessmentRun.objects.filter(pk=run.pk).update(created_at=ago(settings.WORKER_STALE_AFTER_S + 1))
    with broker_unreachable(), pytest.raises(CommandError) as refused:
        call_command("sweep_jobs", stdout=io.StringIO())
    assert str(refused.value) == "The task queue is not reachable: 1 waiting; the next sweep sends them."
    run.refresh_from_db()
    assert (run.status, run.sent_at) == ("pending", None)  # kept for the next sweep
    out = io.StringIO()
    call_command("sweep_jobs", stdout=out)  # the queue is back (in-process here)
    assert out.getvalue() == (
        "0 taken back from a silent worker and sent again, 1 waiting ones sent, 0 stopped after 3 attempts.\n"
    )
    run.refresh_from_db()
    assert run.status == "done" and rate(run) == pytest.approx(0.36)


def test_a_silent_optimisation_is_sent_again_and_logged_done_once(
    net, library, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        run = optimisation.optimisation_request(user=net.ec_editor, study=net.study)
    jobs.claim(OptimisationRun, run.pk)
    OptimisationRun.objects.filter(pk=run.pk).update(
        progress_done=1, heartbeat_at=ago(settings.WORKER_STALE_AFTER_S + 1)
    )
    assert jobs.sweep()["requeued"] == 1
    run.refresh_from_db()
    assert (run.status, run.attempts, run.progress_done, run.progress_total) == ("done", 2, 1, 1)
    assert run.result["solution"]["status"] == "optimal"
    assert LogEntry.objects.filter(action="study.optimisation.done", target_id=str(run.pk)).count() == 1
    assert optimisation.optimisation_execute(run_id=run.pk) == "done"
    assert LogEntry.objects.filter(action="study.optimisation.done", target_id=str(run.pk)).count() == 1
