"""The assessment task on a real Celery worker through Redis (CI), not only in-process."""

import os
import time

import pytest

from assessment import services
from assessment.models import AssessmentRun
from tests.scenarios.conftest import build_network


@pytest.mark.services
@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_assesses_the_scenario_from_redis(net, library, settings):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker:
        if settings.REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but CELERY_BROKER_URL is not set")
        pytest.skip("no CELERY_BROKER_URL: tasks run in-process; CI runs this against Redis")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    assert app.conf.task_always_eager is False
    scenario, _, _ = build_network(net)
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
        run = services.assessment_request(user=net.ec_editor, scenario=scenario)  # sent on commit
        deadline = time.monotonic() + 30
        while AssessmentRun.objects.get(pk=run.pk).status in ("pending", "running"):
            assert time.monotonic() < deadline, "the worker did not finish the run within 30 s"
            time.sleep(0.1)
    run.refresh_from_db()
    assert run.status == "done", run.error
    # 90 t delivered for 2.5 kg x 100,000 units = 250 t of product (tests/scenarios/conftest.py).
    rate = next(row for row in run.result["indicators"] if row["code"] == "recycling_rate")
    assert rate["value"] == pytest.approx(0.36)
