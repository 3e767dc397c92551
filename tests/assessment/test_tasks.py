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


@pytest.mark.services
@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_ranks_many_candidates_with_progress(collectors, settings):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker:
        if settings.REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but CELERY_BROKER_URL is not set")
        pytest.skip("no CELERY_BROKER_URL: tasks run in-process; CI runs this against Redis")
    from celery.contrib.testing.worker import start_worker

    from assessment import decisions
    from assessment.models import PartnerRanking
    from config.celery import app

    net = collectors
    settings.AHP_TASK_MIN_CANDIDATES = 3  # the three collectors count as many here
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
        ranking = decisions.partner_ranking_request(
            user=net.ec_editor, study=net.study, criteria_set=net.partner_set, role="collector", material=net.parts
        )  # sent on commit
        assert ranking.status == "pending"
        deadline = time.monotonic() + 30
        while PartnerRanking.objects.get(pk=ranking.pk).status in ("pending", "running"):
            assert time.monotonic() < deadline, "the worker did not finish the ranking within 30 s"
            time.sleep(0.1)
    ranking.refresh_from_db()
    assert ranking.status == "done", ranking.error
    assert (ranking.progress_done, ranking.progress_total) == (6, 6)  # 3 candidates, 2 criteria, the synthesis
    # Köln first with 0.75 x 3/7 + 0.25 x 0.25 = 0.3839286 (tests/assessment/test_partner_ranking.py).
    assert ranking.result["winner"]["facility"] == "Köln yard"
    assert ranking.result["winner"]["score"] == pytest.approx(0.3839286)
