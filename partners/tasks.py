"""Celery entry points: load by id, call a service. Idempotent."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_invitation_email(invitation_id: int, site_url: str = "") -> bool:
    """Arguments are the invitation's id and the site's address: never the token or the e-mail address, which the
    broker, the worker's log and its events would otherwise carry."""
    return services.invitation_email_send(invitation_id=invitation_id, site_url=site_url)
