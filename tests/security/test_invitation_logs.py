"""Invitation e-mails: the token in the link admits whoever holds it, so neither it nor the invited address may
reach a log, the broker's message or the worker's events. Every log record is read whole (message, arguments and
extra fields, as a structured-log formatter would print them)."""

import logging
import smtplib
from unittest import mock

import pytest

from partners import services, tasks
from partners.models import Invitation

EMAIL = "new.buyer@example.com"


def everything_logged(caplog) -> str:
    return "\n".join(repr(record.__dict__) + record.getMessage() for record in caplog.records)


def test_neither_the_link_nor_the_address_is_logged_or_sent_to_the_broker(
    world, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    """The task is sent (id, site address) only; the e-mail still carries the full link to the right person."""
    caplog.set_level(logging.DEBUG)
    delay = mock.patch.object(tasks.send_invitation_email, "delay", wraps=tasks.send_invitation_email.delay)
    with delay as sent, django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            user=world.admin,
            organization=world.partner,
            email=EMAIL,
            role="viewer",
            site_url="https://closeloop.example.com/",
        )
    token = Invitation.objects.get(pk=invitation.pk).token
    assert sent.call_args.args == (invitation.pk, "https://closeloop.example.com/")
    assert mailoutbox[0].to == [EMAIL]
    assert f"Accept: https://closeloop.example.com/invitations/{token}/" in mailoutbox[0].body
    logged = everything_logged(caplog)
    assert f"invitation {invitation.pk} to alu-collect e-mailed" in logged
    assert token not in logged and EMAIL not in logged and "/invitations/" not in logged


def test_a_refusal_by_the_mail_server_names_neither(world, caplog, django_capture_on_commit_callbacks):
    """An SMTP refusal names the recipient; the error the worker logs says which invitation, nothing more."""
    caplog.set_level(logging.DEBUG)
    refused = smtplib.SMTPRecipientsRefused({EMAIL: (550, b"5.1.1 <new.buyer@example.com>: no such user")})
    with (
        mock.patch("partners.services.send_mail", side_effect=refused),
        pytest.raises(services.InvitationEmailError) as raised,
        django_capture_on_commit_callbacks(execute=True),
    ):
        invitation = services.invitation_create(
            user=world.admin,
            organization=world.partner,
            email=EMAIL,
            role="viewer",
            site_url="https://closeloop.example.com/",
        )
    invitation = Invitation.objects.get(email=EMAIL)
    error = (
        str(raised.value)
        + repr(raised.value.__cause__)
        + repr(raised.value.__context__ if not raised.value.__suppress_context__ else "")
    )
    assert EMAIL not in error and invitation.token not in error
    assert EMAIL not in everything_logged(caplog) and invitation.token not in everything_logged(caplog)
    assert (
        f"invitation {invitation.pk} to alu-collect: the mail server refused it (SMTPRecipientsRefused)"
        in everything_logged(caplog)
    )
    assert invitation.emailed_at is None


def test_a_task_queued_with_a_whole_link_before_the_change_still_sends_it(world, mailoutbox):
    invitation = services.invitation_create(user=world.admin, organization=world.partner, email=EMAIL, role="viewer")
    link = f"https://closeloop.example.com/invitations/{invitation.token}/"
    assert tasks.send_invitation_email.apply(args=[invitation.pk, link]).get() is True
    assert f"Accept: {link}\n" in mailoutbox[0].body
