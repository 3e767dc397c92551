"""Invitations with the task queue down (CELERY_BROKER_URL pointed at a closed port of 127.0.0.1): the worker would
e-mail the link, so the invitation is refused at once, in the user's words, and nothing is created; someone who
already has an account is still added at once, since no e-mail is needed."""

import pytest
from django.urls import reverse

from partners.models import Invitation, LogEntry, Membership
from tests.faults import broker_unreachable

pytestmark = pytest.mark.django_db

QUEUE_DOWN = "The task queue is not reachable; nothing was started. Try again in a few minutes."


def url(name, org="alu-collect", **kwargs):
    return reverse(name, kwargs={"slug": org, **kwargs})


def test_an_invitation_through_the_api_is_refused_with_503(world, api_for, mailoutbox, broker_down):
    entries = LogEntry.objects.count()
    response = api_for(world.admin).post(
        url("api-invitations"), {"email": "new@example.com", "role": "editor"}, format="json"
    )
    assert response.status_code == 503
    assert response.json() == {"detail": QUEUE_DOWN}
    assert Invitation.objects.count() == 0 and LogEntry.objects.count() == entries and mailoutbox == []


def test_an_invitation_on_the_members_page_says_so(world, client_for, broker_down):
    response = client_for(world.admin).post("/o/alu-collect/members/", {"email": "new@example.com", "role": "editor"})
    assert response.status_code == 200  # the page again, with the message on the form
    assert QUEUE_DOWN in response.content.decode()
    assert Invitation.objects.count() == 0


def test_someone_with_an_account_is_added_without_the_queue(world, api_for, broker_down):
    response = api_for(world.admin).post(
        url("api-invitations"), {"email": "stranger@example.com", "role": "viewer"}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert Membership.objects.get(user=world.stranger, organization=world.partner).role == "viewer"


@pytest.mark.django_db(transaction=True)  # the send runs when the request's transaction really commits
def test_a_send_that_fails_after_the_commit_withdraws_the_invitation(world, api_for, mailoutbox, monkeypatch):
    """The link lives only in the e-mail, so an invitation whose e-mail cannot be handed to the queue is withdrawn
    (both steps in the history) rather than left open with nobody told."""
    from partners import broker

    with broker_unreachable():
        monkeypatch.setattr(broker, "require_reachable", lambda: None)  # the queue answered the check, then died
        response = api_for(world.admin).post(
            url("api-invitations"), {"email": "new@example.com", "role": "editor"}, format="json"
        )
    assert response.status_code == 503
    assert response.json() == {"detail": QUEUE_DOWN}
    assert Invitation.objects.count() == 0 and mailoutbox == []
    entries = list(LogEntry.objects.filter(target_type="invitation").order_by("pk").values_list("action", "changes"))
    assert entries == [
        ("invitation.created", {"email": [None, "new@example.com"], "role": [None, "editor"]}),
        (
            "invitation.deleted",
            {
                "email": ["new@example.com", None],
                "role": ["editor", None],
                "reason": [None, "the task queue was not reachable; the e-mail was not sent"],
            },
        ),
    ]
