"""A worker killed with SIGKILL in the middle of an optimisation: the run does not stay "running" for good. Real
Celery workers in processes of their own, through Redis, on a database both can open (PostgreSQL in CI): the first
worker takes the run and never finishes it (tests/assessment/stuck_worker.py), is killed, a second worker starts, the
sweep (`manage.py sweep_jobs`) takes the silent run back and the second worker computes it, once."""

import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from assessment import jobs, optimisation
from assessment.models import OptimisationRun
from partners.models import LogEntry

HEARTBEAT_S, STALE_AFTER_S = 0.5, 2  # quick, for the test; the defaults are 15 s and 120 s


def missing(settings, reason):
    if settings.REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES is set, but {reason}", pytrace=False)
    pytest.skip(reason)


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {seconds:g} s"
        time.sleep(0.2)


def forget_message(app, run_id: int) -> None:
    """Drop the killed worker's unacknowledged message from Redis, which would otherwise come back after the
    visibility timeout, to a later test run's database."""
    import redis

    client = redis.Redis.from_url(app.conf.broker_url)
    try:
        for tag, payload in client.hgetall("unacked").items():
            headers = json.loads(payload)[0]["headers"]
            if headers.get("task") == "assessment.tasks.optimise_study" and headers.get("argsrepr") == f"({run_id},)":
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    finally:
        client.close()


@pytest.mark.services
@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_a_run_whose_worker_is_killed_finishes_once_on_another_worker(net, library, settings, tmp_path):
    if not os.environ.get("CELERY_BROKER_URL"):
        missing(settings, "no CELERY_BROKER_URL: tasks run in-process; CI runs this against Redis")
    if connection.vendor != "postgresql":
        missing(
            settings, "workers in processes of their own need a database they can open: set DATABASE_URL to PostgreSQL"
        )
    from config.celery import app

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "WORKER_HEARTBEAT_S": str(HEARTBEAT_S),
        "WORKER_STALE_AFTER_S": str(STALE_AFTER_S),
    }
    workers = []

    def start(name, *command):
        log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115  (closed with the process below)
        workers.append(
            (
                subprocess.Popen(
                    [sys.executable, *command],
                    cwd=django_settings.BASE_DIR,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                ),
                log,
            )
        )
        return workers[-1][0]

    app.control.purge()
    run = None
    try:
        stuck = start("stuck", "-m", "tests.assessment.stuck_worker", "stuck@closeloop-test")
        run = optimisation.optimisation_request(user=net.ec_editor, study=net.study)  # committed, so sent
        # The first worker takes it and its heartbeat thread writes at least once after the claim.
        wait_for(
            lambda: OptimisationRun.objects.filter(
                pk=run.pk, status="running", heartbeat_at__gt=F("started_at")
            ).exists(),
            90,
            "the first worker taking the run",
        )
        os.kill(stuck.pid, signal.SIGKILL)
        assert stuck.wait(timeout=30) == -signal.SIGKILL
        run.refresh_from_db()
        assert (run.status, run.attempts, run.result) == ("running", 1, None)  # stuck, as before the sweep existed

        start(
            "second",
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            "second@closeloop-test",
        )
        settings.WORKER_STALE_AFTER_S = STALE_AFTER_S
        said = []

        def swept():
            out = io.StringIO()
            call_command("sweep_jobs", stdout=out)
            said.append(out.getvalue())
            return out.getvalue().startswith("1 taken back from a silent worker and sent again")

        wait_for(swept, 30, "the sweep taking the run back")
        assert said[-1] == (
            "1 taken back from a silent worker and sent again, 0 waiting ones sent, 0 stopped after 3 attempts.\n"
        )
        wait_for(
            lambda: OptimisationRun.objects.get(pk=run.pk).status not in ("pending", "running"),
            90,
            "the second worker finishing the run",
        )
        run.refresh_from_db()
        assert (run.status, run.error, run.attempts) == ("done", "", 2)
        assert run.result["solution"]["status"] == "optimal"
        # Stuttgart feeds Hagen's 125 t: 125 / 0.85 t (tests/assessment/test_optimisation.py, least cost).
        opened = {o["key"]: o["processed_t"] for o in run.result["solution"]["open"]}
        assert opened[f"collector:{net.stuttgart.pk}"] == pytest.approx(125 / 0.85)
        done = LogEntry.objects.filter(action="study.optimisation.done", target_id=str(run.pk))
        assert done.count() == 1
        # The killed worker's message, delivered at last, finds the run done and changes nothing.
        assert optimisation.optimisation_execute(run_id=run.pk) == "done"
        assert done.count() == 1 and OptimisationRun.objects.get(pk=run.pk).attempts == 2
        assert jobs.sweep() == {"requeued": 0, "resent": 0, "failed": 0, "unsent": 0}  # nothing left to do
    finally:
        for process, log in workers:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            log.close()
        if run is not None:
            forget_message(app, run.pk)
