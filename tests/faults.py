"""Faults of the task queue for tests: a broker that does not answer."""

import os
import socket
from contextlib import contextmanager


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: bound, then closed, so connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _reset_pools(app):
    """Celery keeps its connection and producer pools once made; forget them (they stay in kombu's registry, one per
    broker URL, for the next use) so the next send uses the broker URL."""
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_unreachable():
    """Tasks go to a Redis broker on a closed port of 127.0.0.1 (CELERY_BROKER_URL pointed at nothing) inside the
    block; tasks run as before after it."""
    from config.celery import app

    saved = app.conf.broker_url, app.conf.task_always_eager
    saved_environ = os.environ.get("CELERY_BROKER_URL")
    _reset_pools(app)
    unreachable = f"redis://127.0.0.1:{closed_port()}/5"
    # Celery reads the CELERY_BROKER_URL environment variable before its configuration (CI sets it): both change.
    os.environ["CELERY_BROKER_URL"] = unreachable
    app.conf.broker_url = unreachable
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        _reset_pools(app)
        if saved_environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_environ
        app.conf.broker_url, app.conf.task_always_eager = saved
