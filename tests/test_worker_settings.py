"""The settings that keep work handed to workers alive (config/settings.py, block "Work handed to workers")."""

from django.conf import settings

from tests.test_settings import manage


def test_the_visibility_timeout_outlasts_the_longest_optimisation():
    """The longest task: an optimisation with a 30-point front, 1 + 31 solves of at most OPTIMISE_TIME_LIMIT_S
    (60 s by default) each, plus 600 s of margin: 60 x 32 + 600 = 2,520 s; Redis is told the same."""
    from config.celery import app

    assert settings.OPTIMISE_TIME_LIMIT_S == 60
    assert settings.CELERY_VISIBILITY_TIMEOUT_S == 2520
    assert app.conf.broker_transport_options["visibility_timeout"] == 2520
    # With 10 s a solve: 10 x 32 + 600 = 920 s.
    result = manage(
        "shell",
        "-c",
        "from config.celery import app; print(app.conf.broker_transport_options['visibility_timeout'])",
        OPTIMISE_TIME_LIMIT_S="10",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "920"


def test_sending_fails_within_seconds_and_results_stay_on_the_rows():
    from config.celery import app

    assert app.conf.broker_connection_timeout == 2.0
    assert app.conf.broker_transport_options["socket_connect_timeout"] == 2.0
    assert app.conf.task_publish_retry_policy["max_retries"] == 1
    assert app.conf.task_ignore_result is True  # no result-backend round trip on each send


def test_beat_runs_the_sweep_every_minute():
    import assessment.tasks  # noqa: F401  (what the worker's autodiscovery imports)
    from config.celery import app

    entry = app.conf.beat_schedule["sweep-worker-jobs"]
    assert (entry["task"], entry["schedule"]) == ("assessment.tasks.sweep_jobs", 60.0)
    assert entry["task"] in app.tasks


def test_a_stale_threshold_below_three_heartbeats_stops_the_start():
    result = manage("check", WORKER_HEARTBEAT_S="30", WORKER_STALE_AFTER_S="60")
    assert result.returncode != 0
    assert "WORKER_STALE_AFTER_S=60 must be at least three heartbeats" in result.stderr


def test_no_attempt_at_all_stops_the_start():
    result = manage("check", WORKER_MAX_ATTEMPTS="0")
    assert result.returncode != 0
    assert "WORKER_MAX_ATTEMPTS=0: a job is taken at least once" in result.stderr
