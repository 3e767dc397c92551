"""Celery entry points of the scenarios app: load by id, send. Arguments carry no address."""

from celery import shared_task

from . import notify


@shared_task(acks_late=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_workflow_email(kind: str, scenario_id: int) -> int:
    """E-mail the admins about a submitted scenario, or its submitter about a decision (scenarios.notify)."""
    return notify.send(kind, scenario_id)
