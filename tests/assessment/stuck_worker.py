"""A Celery worker whose optimisation solve never returns, for tests/assessment/test_worker_faults.py to kill with
SIGKILL mid-run: `python -m tests.assessment.stuck_worker <node name>` from the project folder. Everything else (the
claim, the heartbeat thread, the broker, the database) is the real worker's."""

import os
import sys
import threading

import django


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from assessment import optimisation
    from config.celery import app

    def solve_forever(run, options):
        threading.Event().wait()  # until the test kills the process

    optimisation._solve = solve_forever
    app.worker_main(
        [
            "worker",
            "--pool=solo",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            sys.argv[1],
        ]
    )


if __name__ == "__main__":
    main()
