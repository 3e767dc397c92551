"""Handing work to the task queue (Celery's broker) when the queue may be down.

Services that hand work to a worker call `require_reachable()` before they write anything: with the broker down
the request is refused at once with a 503 and nothing is created (no run or invitation that nothing would
compute). The message itself is sent once the transaction commits (`publish`); should the broker go down between
the check and the commit, `publish` reports it instead of raising, and the caller decides: runs are kept and the
sweep (`manage.py sweep_jobs`, or Celery beat) sends them later; an invitation is withdrawn (see
`partners.services.invitation_create`). Without a broker (tasks in-process) there is nothing to check.
"""

import logging

from celery import current_app
from kombu.exceptions import OperationalError

from .errors import ApplicationError

logger = logging.getLogger(__name__)

QUEUE_DOWN = "The task queue is not reachable; nothing was started. Try again in a few minutes."

# What a broker that does not answer raises: kombu wraps the transport's errors in OperationalError; a socket
# error may escape before kombu wraps it.
BROKER_ERRORS = (OperationalError, OSError)


def in_process() -> bool:
    return bool(current_app.conf.task_always_eager)


def require_reachable() -> None:
    """Raise ApplicationError (503, the user's words) when the broker does not answer within its connection timeout
    (`CELERY_BROKER_CONNECTION_TIMEOUT`), trying once."""
    if in_process():
        return
    try:
        with current_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, interval_max=0)
    except BROKER_ERRORS as exc:
        logger.error("task queue unreachable: %s", exc)
        raise ApplicationError(QUEUE_DOWN, status=503) from exc


def publish(task, *args) -> bool:
    """Send `task(*args)` to a worker. False (logged) when the broker refuses it after the publish retry policy
    (`CELERY_TASK_PUBLISH_RETRY_POLICY`, a few seconds at most); the caller keeps or undoes its work."""
    try:
        task.delay(*args)
    except BROKER_ERRORS as exc:
        logger.error("could not send %s to the task queue: %s", task.name, exc)  # arguments may hold a secret link
        return False
    return True
