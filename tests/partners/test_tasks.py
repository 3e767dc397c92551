"""Invitation e-mails go out through a Celery task sent on commit.

In CI (CELERY_BROKER_URL set) a real worker consumes the task from Redis; without a broker the task runs
in-process, the embedded default, and the worker test skips (or fails under REQUIRE_SERVICES=1).
"""

import os
import time

import pytest
from django.core import mail

from partners import services
from partners.models import Invitation
from partners.tasks import send_invitation_email


def test_invitation_email_is_sent_once_even_if_the_task_is_delivered_twice(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invitation = services.invitation_create(
            user=world.admin, organization=world.partner, email="new.buyer@example.com", role="viewer"
        )
    assert len(callbacks) == 1 and len(mailoutbox) == 1
    assert "Accept: /invitations/" in mailoutbox[0].body
    assert "admin invites you to join Alu Collect as viewer" in mailoutbox[0].body
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None
    # A second delivery of the same task (a redelivery after a worker loss) sends nothing more.
    assert send_invitation_email.apply(args=[invitation.pk, "/x/"]).get() is False
    assert len(mailoutbox) == 1


def test_no_email_when_the_invitation_is_withdrawn_before_the_task_runs(world, mailoutbox):
    invitation = services.invitation_create(
        user=world.admin, organization=world.partner, email="late@example.com", role="viewer"
    )  # on_commit not run here
    services.invitation_revoke(user=world.admin, invitation=invitation)
    assert send_invitation_email.apply(args=[invitation.pk, "/x/"]).get() is False
    assert mailoutbox == []


@pytest.mark.services
@pytest.mark.real_worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_invitation_from_redis(world, settings):
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if not broker:
        if settings.REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but CELERY_BROKER_URL is not set")
        pytest.skip("no CELERY_BROKER_URL: tasks run in-process; CI runs this against Redis")
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    assert app.conf.task_always_eager is False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    app.control.purge()
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10):
        # The service commits, then sends the task to Redis; the worker takes it from there.
        invitation = services.invitation_create(
            user=world.admin,
            organization=world.partner,
            email="worker@example.com",
            role="editor",
            site_url="https://closeloop.example.com/",
        )
        deadline = time.monotonic() + 30
        while not Invitation.objects.filter(pk=invitation.pk, emailed_at__isnull=False).exists():
            assert time.monotonic() < deadline, "the worker did not send the invitation within 30 s"
            time.sleep(0.1)
    assert [m.to for m in mail.outbox] == [["worker@example.com"]]
    assert f"https://closeloop.example.com/invitations/{invitation.token}/" in mail.outbox[0].body
