"""Celery entry points: load by id, call a service. Idempotent."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int, link: str) -> bool:
    return services.invitation_email_send(invitation_id=invitation_id, link=link)
